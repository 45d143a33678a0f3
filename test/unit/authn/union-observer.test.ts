// The per-request observer of the authenticator unions (AuthnRequest.observe), which the live view (--ui) sets: each
// named member's answer, in the order kube's union asks them (request/union/union.go, token/union/union.go), through
// nested unions and the bearer-token adapter; unnamed wrappers are not reported, and without an observer nothing is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerTokenAuthenticator } from '../../../src/authn/bearer-token.js';
import { newAuthenticator } from '../../../src/authn/config.js';
import { tokenUnion } from '../../../src/authn/token-union.js';
import { named, type AuthnStep, type RequestAuthenticator, type TokenAuthenticator } from '../../../src/authn/types.js';
import { union } from '../../../src/authn/union.js';
import { emptyPasswordTable } from '../../../src/authn/password-file.js';
import { emptyTokenTable } from '../../../src/authn/token-file.js';

const user = (name: string) => ({ name, uid: '', groups: [], extra: {} });
const none = (name: string): RequestAuthenticator => named(name, { authenticate: async () => null });
const fail = (name: string, reason: string): RequestAuthenticator => named(name, { authenticate: async () => ({ ok: false, reason }) });
const ok = (name: string): RequestAuthenticator => named(name, { authenticate: async () => ({ ok: true, authenticator: name, user: user(name) }) });
const token = (name: string, known: string): TokenAuthenticator => named(name, { authenticateToken: async (t: string) => (t === known ? { ok: true, authenticator: name, user: user(name) } : null) });

const summary = (steps: AuthnStep[]) => steps.map((s) => `${s.authenticator}:${s.result === null ? 'null' : s.result.ok ? `ok ${s.result.user.name}` : `fail ${s.result.reason}`}`);

const cases: { name: string; authenticator: RequestAuthenticator; headers?: Record<string, string>; want: string[] }[] = [
  { name: 'each member until the first that authenticates', authenticator: union([none('a'), fail('b', 'bad'), ok('c'), ok('d')]), want: ['a:null', 'b:fail bad', 'c:ok c'] },
  { name: 'failOnError stops at the first failure, and says so', authenticator: union([fail('a', 'bad'), ok('b')], { failOnError: true }), want: ['a:fail bad'] },
  { name: 'a nested unnamed union reports its named members, not itself', authenticator: union([union([none('x'), none('y')]), ok('z')]), want: ['x:null', 'y:null', 'z:ok z'] },
  {
    name: 'the bearer adapter passes the observer to its token union',
    authenticator: union([none('x509'), bearerTokenAuthenticator(tokenUnion([token('token-file', 'nope'), token('serviceaccount', 't0k')]))]),
    headers: { authorization: 'Bearer t0k' },
    want: ['x509:null', 'token-file:null', 'serviceaccount:ok serviceaccount'],
  },
];

for (const c of cases) {
  test(`observer: ${c.name}`, async () => {
    const steps: AuthnStep[] = [];
    await c.authenticator.authenticate({ headers: c.headers ?? {}, peerCertificates: [], observe: (s) => void steps.push(s) });
    assert.deepEqual(summary(steps), c.want);
  });
}

test('observer: unset, the union asks the same members and reports nothing', async () => {
  let asked = 0;
  const counting = named('n', { authenticate: async () => (asked++, null) });
  assert.equal(await union([counting, counting]).authenticate({ headers: {}, peerCertificates: [] }), null);
  assert.equal(asked, 2);
});

test('observer: newAuthenticator names its members as the live view shows them, in kube\'s order', async () => {
  const authn = newAuthenticator({ anonymous: true, passwordSources: [{ current: emptyPasswordTable() }], clientCaRoots: () => [], tokenSources: [{ current: emptyTokenTable() }], apiAudiences: [] });
  const steps: AuthnStep[] = [];
  const result = await authn.requestAuthenticator.authenticate({ headers: {}, peerCertificates: [], observe: (s) => void steps.push(s) });
  assert.equal(result?.ok && result.user.name, 'system:anonymous');
  assert.deepEqual(summary(steps), ['loopback:null', 'password-file:null', 'x509:null', 'anonymous:ok system:anonymous']);
});
