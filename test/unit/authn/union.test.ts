// The union of request authenticators and the chain kube-apiserver builds from it:
// failOnError(groupAdder(union(...)), anonymous) (pkg/kubeapiserver/authenticator/config.go).
// Rows named `Test...` are kube's own cases, from
// staging/src/k8s.io/apiserver/pkg/authentication/request/union/unionauth_test.go and
// staging/src/k8s.io/apiserver/pkg/authentication/group/group_adder_test.go; rows marked (ours) are not in kube's tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anonymousAuthenticator } from '../../../src/authn/anonymous.js';
import { authenticatedGroupAdder } from '../../../src/authn/group-adder.js';
import type { AuthnResult, RequestAuthenticator, UserInfo } from '../../../src/authn/types.js';
import { union } from '../../../src/authn/union.js';

const none: RequestAuthenticator = { authenticate: async () => null };
const fail = (reason: string): RequestAuthenticator => ({ authenticate: async () => ({ ok: false, reason }) });
const succeedAs = (user: UserInfo): RequestAuthenticator => ({ authenticate: async () => ({ ok: true, authenticator: user.name, user }) });
const succeed = (name: string, groups: string[] = []): RequestAuthenticator => succeedAs({ name, uid: '', groups, extra: {} });
const empty = { headers: {}, peerCertificates: [] };

// unionauth_test.go's two users.
const user1: UserInfo = { name: 'fresh_ferret', uid: 'alfa', groups: [], extra: {} };
const user2: UserInfo = { name: 'elegant_sheep', uid: 'bravo', groups: [], extra: {} };

const cases: { name: string; chain: RequestAuthenticator[]; failOnError?: boolean; want: AuthnResult }[] = [
  { name: 'TestAuthenticateRequestSecondPasses: first has no opinion, second authenticates', chain: [none, succeedAs(user2)], want: { ok: true, authenticator: user2.name, user: user2 } },
  { name: 'TestAuthenticateRequestFirstPasses: first wins', chain: [succeedAs(user1), none], want: { ok: true, authenticator: user1.name, user: user1 } },
  { name: 'TestAuthenticateRequestSuppressUnnecessaryErrors: a failure does not hide a later success', chain: [fail('first'), succeedAs(user2)], want: { ok: true, authenticator: user2.name, user: user2 } },
  { name: 'TestAuthenticateRequestNoAuthenticators: an empty union recognises nothing', chain: [], want: null },
  { name: 'TestAuthenticateRequestNonePass: no authenticator has an opinion', chain: [none, none], want: null },
  { name: 'TestAuthenticateRequestAdditiveErrors: both failures are in the error', chain: [fail('first'), fail('second')], want: { ok: false, reason: '[first, second]' } },
  { name: 'TestAuthenticateRequestFailEarly: failOnError stops at the first failure', chain: [fail('first'), fail('second')], failOnError: true, want: { ok: false, reason: 'first' } },
  { name: '(ours) both authenticate: the first wins', chain: [succeed('a'), succeed('b')], want: { ok: true, authenticator: 'a', user: { name: 'a', uid: '', groups: [], extra: {} } } },
  { name: '(ours) an authenticator with no opinion between two failures adds nothing to the error', chain: [fail('one'), none, fail('two')], want: { ok: false, reason: '[one, two]' } },
  { name: '(ours) one failure is reported as itself, not as a one-element list', chain: [fail('one')], want: { ok: false, reason: 'one' } },
  { name: '(ours) failOnError: a failure ends the walk before a later success', chain: [fail('one'), succeed('b')], failOnError: true, want: { ok: false, reason: 'one' } },
  // utilerrors' aggregate flattens nested aggregates when printed (errors.go visit): a union inside a union (the
  // token union behind the bearer adapter) reads "[a, b, c]", and a message already seen is not repeated.
  { name: '(ours) a union\'s failures inside a union are listed flat', chain: [union([fail('a'), fail('b')]), fail('c')], want: { ok: false, reason: '[a, b, c]' } },
  { name: '(ours) a nested union\'s repeated message is listed once', chain: [union([fail('a'), fail('b')]), fail('a')], want: { ok: false, reason: '[a, b]' } },
];

for (const c of cases) {
  test(`union: ${c.name}`, async () => {
    const got = await union(c.chain, { failOnError: c.failOnError ?? false }).authenticate(empty);
    assert.deepEqual(got !== null && !got.ok ? { ok: got.ok, reason: got.reason } : got, c.want);
  });
}

// group_adder_test.go TestAuthenticatedGroupAdder: the adder alone, and the delegate's user is not modified.
const groupAdderCases: { name: string; input: UserInfo; want: UserInfo }[] = [
  { name: 'add', input: { name: 'user', uid: '', groups: ['some-group'], extra: {} }, want: { name: 'user', uid: '', groups: ['some-group', 'system:authenticated'], extra: {} } },
  { name: "don't double add", input: { name: 'user', uid: '', groups: ['system:authenticated', 'some-group'], extra: {} }, want: { name: 'user', uid: '', groups: ['system:authenticated', 'some-group'], extra: {} } },
  { name: "don't add for anon", input: { name: 'system:anonymous', uid: '', groups: ['some-group'], extra: {} }, want: { name: 'system:anonymous', uid: '', groups: ['some-group'], extra: {} } },
  { name: "don't add for unauthenticated group", input: { name: 'user', uid: '', groups: ['system:unauthenticated', 'some-group'], extra: {} }, want: { name: 'user', uid: '', groups: ['system:unauthenticated', 'some-group'], extra: {} } },
];

for (const c of groupAdderCases) {
  test(`TestAuthenticatedGroupAdder: ${c.name}`, async () => {
    const before = structuredClone(c.input);
    const result = await authenticatedGroupAdder(succeedAs(c.input)).authenticate(empty);
    assert.deepEqual(result, { ok: true, authenticator: c.input.name, user: c.want });
    assert.deepEqual(c.input, before, 'the delegate\'s user is not modified');
  });
}

const kubeChain = (authenticators: RequestAuthenticator[]) => union([authenticatedGroupAdder(union(authenticators)), anonymousAuthenticator()], { failOnError: true });

// (ours) The whole chain as kube-apiserver assembles it.
const chainCases: { name: string; chain: RequestAuthenticator[]; want: AuthnResult }[] = [
  { name: 'no credentials: anonymous, system:unauthenticated only', chain: [none], want: { ok: true, authenticator: 'anonymous', user: { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'], extra: {} } } },
  { name: 'invalid credentials never fall through to anonymous', chain: [fail('invalid bearer token')], want: { ok: false, reason: 'invalid bearer token' } },
  { name: 'authenticated users get system:authenticated appended', chain: [succeed('jane', ['dev'])], want: { ok: true, authenticator: 'jane', user: { name: 'jane', uid: '', groups: ['dev', 'system:authenticated'], extra: {} } } },
  { name: 'a user already in system:authenticated is not given it twice', chain: [succeed('jane', ['system:authenticated'])], want: { ok: true, authenticator: 'jane', user: { name: 'jane', uid: '', groups: ['system:authenticated'], extra: {} } } },
  { name: 'a user in system:unauthenticated is left alone', chain: [succeed('x', ['system:unauthenticated'])], want: { ok: true, authenticator: 'x', user: { name: 'x', uid: '', groups: ['system:unauthenticated'], extra: {} } } },
];

for (const c of chainCases) {
  test(`kube chain (ours): ${c.name}`, async () => {
    assert.deepEqual(await kubeChain(c.chain).authenticate(empty), c.want);
  });
}
