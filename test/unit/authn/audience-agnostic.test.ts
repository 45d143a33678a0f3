// kube's WrapAudienceAgnosticToken (staging/src/k8s.io/apiserver/pkg/authentication/authenticator/audiences.go and
// audagnostic.go): implicitAuds.Intersect(targetAuds) walks the TARGET audiences (the request's or the
// TokenReview's), keeping each one the implicit (API) audiences have: target order, duplicates kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audienceAgnostic } from '../../../src/authn/audience-agnostic.js';
import type { AuthnResult, TokenAuthenticator } from '../../../src/authn/types.js';

const user = { name: 'u', uid: '', groups: [], extra: {} };
const delegate = (answer: AuthnResult): TokenAuthenticator => ({ authenticateToken: async () => answer });
const ok: AuthnResult = { ok: true, authenticator: 'token-file', user };

const cases: { name: string; implicit: string[]; target?: string[]; answer: AuthnResult; want: AuthnResult }[] = [
  { name: 'no target audiences on the request: the delegate\'s answer as is', implicit: ['api'], answer: ok, want: ok },
  { name: 'no audience in common: not this authenticator\'s token', implicit: ['api'], target: ['vault'], answer: ok, want: null },
  { name: 'the audiences in common, in the target\'s order (Intersect walks tauds)', implicit: ['a', 'b'], target: ['b', 'x', 'a'], answer: ok, want: { ...ok, audiences: ['b', 'a'] } },
  { name: 'a target audience named twice is kept twice, as Intersect appends each', implicit: ['a'], target: ['a', 'a'], answer: ok, want: { ...ok, audiences: ['a', 'a'] } },
  { name: 'the delegate\'s error is returned', implicit: ['a'], target: ['a'], answer: { ok: false, reason: 'boom' }, want: { ok: false, reason: 'boom' } },
  {
    name: 'a delegate that names audiences was not audience-agnostic: kube\'s error, %q of the list',
    implicit: ['a'],
    target: ['a'],
    answer: { ...ok, audiences: ['x', 'y'] },
    want: { ok: false, reason: 'audience agnostic authenticator wrapped an authenticator that returned audiences: ["x" "y"]' },
  },
];

for (const c of cases) {
  test(`audienceAgnostic: ${c.name}`, async () => {
    assert.deepEqual(await audienceAgnostic(delegate(c.answer), c.implicit).authenticateToken('t', c.target), c.want);
  });
}
