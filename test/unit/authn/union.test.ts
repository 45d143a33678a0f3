// Cases from staging/src/k8s.io/apiserver/pkg/authentication/request/union/union_test.go and the chain
// kube-apiserver builds: failOnError(groupAdder(union(...)), anonymous).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anonymousAuthenticator } from '../../../src/authn/anonymous.js';
import { authenticatedGroupAdder } from '../../../src/authn/group-adder.js';
import type { AuthnResult, RequestAuthenticator } from '../../../src/authn/types.js';
import { union } from '../../../src/authn/union.js';

const none: RequestAuthenticator = { authenticate: async () => null };
const fail = (reason: string): RequestAuthenticator => ({ authenticate: async () => ({ ok: false, reason }) });
const succeed = (name: string, groups: string[] = []): RequestAuthenticator => ({
  authenticate: async () => ({ ok: true, authenticator: name, user: { name, uid: '', groups, extra: {} } }),
});
const empty = { headers: {}, peerCertificates: [] };

const cases: { name: string; chain: RequestAuthenticator[]; failOnError?: boolean; want: AuthnResult }[] = [
  { name: 'TestAuthenticateRequestSecondPasses: first has no opinion, second authenticates', chain: [none, succeed('b')], want: { ok: true, authenticator: 'b', user: { name: 'b', uid: '', groups: [], extra: {} } } },
  { name: 'TestAuthenticateRequestFirstPasses: first wins', chain: [succeed('a'), succeed('b')], want: { ok: true, authenticator: 'a', user: { name: 'a', uid: '', groups: [], extra: {} } } },
  { name: 'TestAuthenticateRequestSuppressUnnecessaryErrors: a failure does not hide a later success', chain: [fail('bad cert'), succeed('b')], want: { ok: true, authenticator: 'b', user: { name: 'b', uid: '', groups: [], extra: {} } } },
  { name: 'TestAuthenticateRequestNoAuthenticators: nobody recognises anything', chain: [none, none], want: null },
  { name: 'TestAuthenticateRequestAdditiveErrors: failures are aggregated', chain: [fail('one'), none, fail('two')], want: { ok: false, reason: '[one, two]' } },
  { name: 'one failure is reported as itself', chain: [fail('one')], want: { ok: false, reason: 'one' } },
  { name: 'TestAuthenticateRequestFailOnError: the first failure ends the walk', chain: [fail('one'), succeed('b')], failOnError: true, want: { ok: false, reason: 'one' } },
];

for (const c of cases) {
  test(`union: ${c.name}`, async () => {
    assert.deepEqual(await union(c.chain, { failOnError: c.failOnError ?? false }).authenticate(empty), c.want);
  });
}

const kubeChain = (authenticators: RequestAuthenticator[]) => union([authenticatedGroupAdder(union(authenticators)), anonymousAuthenticator()], { failOnError: true });

const chainCases: { name: string; chain: RequestAuthenticator[]; user: string | null; groups?: string[] }[] = [
  { name: 'no credentials: anonymous, system:unauthenticated only', chain: [none], user: 'system:anonymous', groups: ['system:unauthenticated'] },
  { name: 'invalid credentials never fall through to anonymous', chain: [fail('invalid bearer token')], user: null },
  { name: 'authenticated users get system:authenticated appended', chain: [succeed('jane', ['dev'])], user: 'jane', groups: ['dev', 'system:authenticated'] },
  { name: 'TestAuthenticatedGroupAdder: a user already in system:authenticated is not given it twice', chain: [succeed('jane', ['system:authenticated'])], user: 'jane', groups: ['system:authenticated'] },
  { name: 'a user in system:unauthenticated is left alone', chain: [succeed('x', ['system:unauthenticated'])], user: 'x', groups: ['system:unauthenticated'] },
];

for (const c of chainCases) {
  test(`kube chain: ${c.name}`, async () => {
    const result = await kubeChain(c.chain).authenticate(empty);
    if (c.user === null) {
      assert.equal(result?.ok, false);
      return;
    }
    assert.equal(result?.ok, true);
    if (result?.ok) {
      assert.equal(result.user.name, c.user);
      assert.deepEqual(result.user.groups, c.groups);
    }
  });
}
