// --authorization-mode as kube-apiserver reads it: the checks and messages of
// pkg/kubeapiserver/options/authorization.go (BuiltInAuthorizationOptions.Validate), and the union
// pkg/kubeapiserver/authorizer/config.go (Config.New) builds, system:masters first, then each mode in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newAuthorizer, parseAuthorizationModes, type AuthorizationMode } from '../../../src/authz/config.js';
import type { Attributes, Authorizer, AuthorizationResult, RuleResolver } from '../../../src/authz/types.js';
import { ConfigError } from '../../../src/util/errors.js';

const parseCases: { name: string; flag: string; want: AuthorizationMode[] | string }[] = [
  { name: 'one mode', flag: 'RBAC', want: ['RBAC'] },
  { name: 'the order given is the order kept', flag: 'AlwaysDeny,RBAC,AlwaysAllow', want: ['AlwaysDeny', 'RBAC', 'AlwaysAllow'] },
  { name: 'spaces around a name are forgiven', flag: 'RBAC, AlwaysDeny', want: ['RBAC', 'AlwaysDeny'] },
  { name: 'an unknown mode', flag: 'Foo', want: 'authorization-mode "Foo" is not a valid mode' },
  { name: 'a mode kube knows but this build does not serve', flag: 'RBAC,Node', want: 'authorization-mode "Node" is not a valid mode' },
  { name: 'Webhook without --authorization-webhook-config-file', flag: 'RBAC,Webhook', want: "authorization-mode Webhook's authorization config file not passed" },
  { name: 'a name in the wrong case', flag: 'rbac', want: 'authorization-mode "rbac" is not a valid mode' },
  { name: 'an empty value is no mode at all', flag: '', want: 'at least one authorization-mode must be passed' },
  { name: 'a trailing comma is an empty mode', flag: 'RBAC,', want: 'authorization-mode "" is not a valid mode' },
  { name: 'a repeated mode: the whole list, as Go\'s %q prints a []string', flag: 'RBAC,AlwaysDeny,RBAC', want: 'authorization-mode ["RBAC" "AlwaysDeny" "RBAC"] has mode specified more than once' },
  { name: 'every error at once, joined as utilerrors.NewAggregate joins them', flag: 'Foo,Foo', want: '[authorization-mode "Foo" is not a valid mode, authorization-mode ["Foo" "Foo"] has mode specified more than once]' },
];

for (const c of parseCases) {
  test(`parseAuthorizationModes: ${c.name}`, () => {
    if (Array.isArray(c.want)) return assert.deepEqual(parseAuthorizationModes(c.flag), c.want);
    assert.throws(() => parseAuthorizationModes(c.flag), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.code, 'FLAG_INVALID');
      assert.equal(err.message, `--authorization-mode: ${c.want as string}`);
      return true;
    });
  });
}

/** A stand-in RBAC authorizer that answers what the case says and lists one rule. */
function fakeRbac(result: AuthorizationResult): Authorizer & RuleResolver {
  return {
    authorize: async () => result,
    rulesReviewFor: () => ({ resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }], nonResourceRules: [], incomplete: false, errors: ['rbac error'] }),
  };
}

const attrs = (groups: string[]): Attributes => ({
  user: { name: 'jane', uid: '', groups, extra: {} },
  verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/ns/pods', namespace: 'ns', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: '',
});

const RBAC_NO_OPINION = fakeRbac({ decision: 'noOpinion', reason: 'no RBAC policy matched' });

const unionCases: { name: string; modes: AuthorizationMode[]; groups?: string[]; rbac?: Authorizer & RuleResolver; want: AuthorizationResult }[] = [
  { name: 'AlwaysAllow allows', modes: ['AlwaysAllow'], want: { decision: 'allow', reason: '' } },
  { name: 'AlwaysDeny has no opinion, with kube\'s reason', modes: ['AlwaysDeny'], want: { decision: 'noOpinion', reason: 'Everything is forbidden.' } },
  { name: 'system:masters is allowed before any mode is asked', modes: ['AlwaysDeny'], groups: ['system:masters'], want: { decision: 'allow', reason: '' } },
  { name: 'modes are asked in the order given: AlwaysDeny first still lets AlwaysAllow allow (noOpinion)', modes: ['AlwaysDeny', 'AlwaysAllow'], want: { decision: 'allow', reason: '' } },
  { name: 'RBAC\'s allow ends the walk', modes: ['RBAC', 'AlwaysDeny'], rbac: fakeRbac({ decision: 'allow', reason: '' }), want: { decision: 'allow', reason: '' } },
  { name: 'every mode without an opinion: the reasons joined with newlines', modes: ['RBAC', 'AlwaysDeny'], rbac: RBAC_NO_OPINION, want: { decision: 'noOpinion', reason: 'no RBAC policy matched\nEverything is forbidden.' } },
  { name: 'a deny ends the walk before a later allow', modes: ['RBAC', 'AlwaysAllow'], rbac: fakeRbac({ decision: 'deny', reason: 'denied' }), want: { decision: 'deny', reason: 'denied' } },
];

for (const c of unionCases) {
  test(`newAuthorizer: ${c.name}`, async () => {
    const { authorizer } = newAuthorizer({ modes: c.modes, ...(c.rbac ? { rbac: c.rbac } : {}) });
    assert.deepEqual(await authorizer.authorize(attrs(c.groups ?? ['dev'])), c.want);
  });
}

test('newAuthorizer: the rule resolver lists every mode\'s rules, in the order of the modes (kube\'s unionAuthzRulesHandler)', () => {
  const { ruleResolver } = newAuthorizer({ modes: ['RBAC', 'AlwaysDeny', 'AlwaysAllow'], rbac: RBAC_NO_OPINION });
  assert.deepEqual(ruleResolver.rulesReviewFor({ name: 'jane', uid: '', groups: [], extra: {} }, 'ns'), {
    resourceRules: [
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] },
    ],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
    errors: ['rbac error'],
  });
});

test('newAuthorizer: RBAC mode without the RBAC authorizer is a programming error', () => {
  assert.throws(() => newAuthorizer({ modes: ['RBAC'] }), /RBAC mode needs the RBAC authorizer/);
});
