// Which bindings apply and what they grant. The cases are ours, written after kube's rules for bindings and
// subjects (pkg/registry/rbac/validation/rule.go: VisitRulesFor, appliesToUser, describeSubject); kube's own
// cases (TestAuthorizer, TestAppliesTo) run in rules.test.ts. The rules listing is also checked against kube's
// TestDefaultRuleResolver (pkg/registry/rbac/validation/rule_test.go).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { RbacAuthorizer } from '../../../../src/authz/rbac/authorizer.js';
import { policyRulesFor } from '../../../../src/authz/rbac/rule-resolver.js';
import { RbacIndex, type BindingLike, type RoleLike } from '../../../../src/authz/rbac/binding-index.js';
import type { Attributes } from '../../../../src/authz/types.js';

const role = (namespace: string, name: string, rules: RoleLike['rules']): RoleLike => ({ kind: 'Role', metadata: { namespace, name }, rules });
const clusterRole = (name: string, rules: RoleLike['rules']): RoleLike => ({ kind: 'ClusterRole', metadata: { name }, rules });
const rb = (namespace: string, name: string, roleKind: string, roleName: string, subjects: BindingLike['subjects']): BindingLike => ({
  kind: 'RoleBinding',
  metadata: { namespace, name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects,
});
const crb = (name: string, roleName: string, subjects: BindingLike['subjects']): BindingLike => ({
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects,
});

const index = new RbacIndex();
const authorizer = new RbacAuthorizer(index);

before(async () => {
  for (const obj of [
    role('dev', 'pod-reader', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]),
    clusterRole('secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]),
    clusterRole('health', [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics/*'] }]),
    clusterRole('node-viewer', [{ verbs: ['list'], apiGroups: [''], resources: ['nodes'] }]),
    rb('dev', 'jane-reads', 'Role', 'pod-reader', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }]),
    rb('dev', 'devs-secrets', 'ClusterRole', 'secret-reader', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'developers' }]),
    rb('dev', 'local-sa', 'Role', 'pod-reader', [{ kind: 'ServiceAccount', name: 'builder' }]),
    rb('dev', 'ghost-binding', 'Role', 'ghost', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'casper' }]),
    crb('ops-nodes', 'node-viewer', [
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ops' },
      { kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' },
    ]),
    crb('health-all', 'health', [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }]),
    crb('sa-without-namespace', 'node-viewer', [{ kind: 'ServiceAccount', name: 'nowhere' }]),
  ]) {
    index.upsert(obj);
  }
});

const user = (name: string, groups: string[] = []) => ({ name, uid: '', groups, extra: {} });
const resourceReq = (u: ReturnType<typeof user>, verb: string, resource: string, namespace = '', name = '', apiGroup = '', subresource = ''): Attributes => ({
  user: u, verb, isResourceRequest: true, path: '', namespace, apiGroup, apiVersion: 'v1', resource, subresource, name,
});
const pathReq = (u: ReturnType<typeof user>, verb: string, path: string): Attributes => ({
  user: u, verb, isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '',
});

const cases: { name: string; attrs: Attributes; decision: 'allow' | 'noOpinion'; reason?: string }[] = [
  { name: 'RoleBinding to a Role grants in its namespace', attrs: resourceReq(user('jane'), 'list', 'pods', 'dev'), decision: 'allow', reason: 'RBAC: allowed by RoleBinding "jane-reads/dev" of Role "pod-reader" to User "jane"' },
  { name: 'RoleBinding grants nothing in another namespace', attrs: resourceReq(user('jane'), 'list', 'pods', 'prod'), decision: 'noOpinion', reason: '' },
  { name: 'RoleBinding grants nothing cluster-wide', attrs: resourceReq(user('jane'), 'list', 'pods'), decision: 'noOpinion' },
  { name: 'verbs outside the role are not granted', attrs: resourceReq(user('jane'), 'delete', 'pods', 'dev', 'web'), decision: 'noOpinion' },
  { name: 'RoleBinding to a ClusterRole grants it in the binding\'s namespace, to a group', attrs: resourceReq(user('amy', ['developers']), 'get', 'secrets', 'dev', 'db'), decision: 'allow', reason: 'RBAC: allowed by RoleBinding "devs-secrets/dev" of ClusterRole "secret-reader" to Group "developers"' },
  { name: '... and only there', attrs: resourceReq(user('amy', ['developers']), 'get', 'secrets', 'prod', 'db'), decision: 'noOpinion' },
  { name: 'ClusterRoleBinding applies in every namespace', attrs: resourceReq(user('olly', ['ops']), 'list', 'nodes', 'anything'), decision: 'allow' },
  { name: 'ClusterRoleBinding applies to cluster-scoped requests', attrs: resourceReq(user('olly', ['ops']), 'list', 'nodes'), decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "ops-nodes" of ClusterRole "node-viewer" to Group "ops"' },
  { name: 'ServiceAccount subject with a namespace, in a ClusterRoleBinding', attrs: resourceReq(user('system:serviceaccount:ci:deployer', ['system:serviceaccounts', 'system:serviceaccounts:ci']), 'list', 'nodes'), decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "ops-nodes" of ClusterRole "node-viewer" to ServiceAccount "deployer/ci"' },
  { name: 'the same service account name in another namespace is someone else', attrs: resourceReq(user('system:serviceaccount:other:deployer'), 'list', 'nodes'), decision: 'noOpinion' },
  { name: 'ServiceAccount subject without a namespace takes the RoleBinding\'s', attrs: resourceReq(user('system:serviceaccount:dev:builder'), 'get', 'pods', 'dev', 'web'), decision: 'allow', reason: 'RBAC: allowed by RoleBinding "local-sa/dev" of Role "pod-reader" to ServiceAccount "builder/dev"' },
  { name: 'ServiceAccount subject without a namespace applies to nobody in a ClusterRoleBinding', attrs: resourceReq(user('system:serviceaccount:default:nowhere'), 'list', 'nodes'), decision: 'noOpinion' },
  { name: 'non-resource URL granted to system:authenticated', attrs: pathReq(user('anyone', ['system:authenticated']), 'get', '/healthz'), decision: 'allow' },
  { name: 'non-resource URL prefix', attrs: pathReq(user('anyone', ['system:authenticated']), 'get', '/metrics/cadvisor'), decision: 'allow' },
  { name: 'non-resource URL verb mismatch', attrs: pathReq(user('anyone', ['system:authenticated']), 'post', '/healthz'), decision: 'noOpinion' },
  { name: 'a binding to a missing role grants nothing and says why', attrs: resourceReq(user('casper'), 'get', 'pods', 'dev', 'web'), decision: 'noOpinion', reason: 'RBAC: role.rbac.authorization.k8s.io "ghost" not found' },
  { name: 'a user named like a group is not in the group', attrs: resourceReq(user('ops'), 'list', 'nodes'), decision: 'noOpinion' },
];

for (const c of cases) {
  test(`RBAC: ${c.name}`, async () => {
    const result = await authorizer.authorize(c.attrs);
    assert.equal(result.decision, c.decision);
    if (c.reason !== undefined) assert.equal(result.reason, c.reason);
  });
}

test('RBAC: a deleted binding stops granting at once (decisions are not cached across changes)', async () => {
  const index2 = new RbacIndex();
  const authz = new RbacAuthorizer(index2);
  const binding = rb('dev', 'tmp', 'ClusterRole', 'secret-reader', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'tim' }]);
  index2.upsert(clusterRole('secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]));
  index2.upsert(binding);
  const attrs = resourceReq(user('tim'), 'get', 'secrets', 'dev', 's');
  assert.equal((await authz.authorize(attrs)).decision, 'allow');
  index2.remove(binding);
  assert.equal((await authz.authorize(attrs)).decision, 'noOpinion');
});

test('RBAC: policyRulesFor lists every rule bound to the user in a namespace, cluster bindings first', () => {
  const { rules, errors } = policyRulesFor(index, user('jane', ['developers', 'system:authenticated']), 'dev');
  assert.deepEqual(
    rules.map((r) => r.resources?.[0] ?? r.nonResourceURLs?.[0]),
    ['/healthz', 'secrets', 'pods'],
  );
  assert.deepEqual(errors, []);
});

test('RBAC: policyRulesFor reports the error of a binding to a missing role beside the rules it found', () => {
  const { rules, errors } = policyRulesFor(index, user('casper', ['system:authenticated']), 'dev');
  assert.deepEqual(rules, [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics/*'] }]);
  assert.deepEqual(errors, ['role.rbac.authorization.k8s.io "ghost" not found']);
});

test('RBAC: rulesReviewFor splits the bound rules into resource and non-resource rule infos, as SelfSubjectRulesReview reports them', () => {
  assert.deepEqual(authorizer.rulesReviewFor(user('jane', ['developers', 'system:authenticated']), 'dev'), {
    resourceRules: [
      { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: [] },
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
    ],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics/*'] }],
    incomplete: false,
    errors: [],
  });
});

// kube TestDefaultRuleResolver (pkg/registry/rbac/validation/rule_test.go): its objects (kube's bindings have
// no names; ours do, since the index keys bindings by name) and its four cases, compared in any order as kube does.
const ruleReadPods = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['pods'] };
const ruleReadServices = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['services'] };
const ruleWriteNodes = { verbs: ['PUT', 'CREATE', 'UPDATE'], apiGroups: ['v1'], resources: ['nodes'] };
const ruleAdmin = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
const staticRoles1 = new RbacIndex();
for (const obj of [
  role('namespace1', 'readthings', [ruleReadPods, ruleReadServices]),
  clusterRole('cluster-admin', [ruleAdmin]),
  clusterRole('write-nodes', [ruleWriteNodes]),
  rb('namespace1', 'readthings', 'Role', 'readthings', [{ kind: 'User', name: 'foobar' }, { kind: 'Group', name: 'group1' }]),
  crb('cluster-admin', 'cluster-admin', [{ kind: 'User', name: 'admin' }, { kind: 'Group', name: 'admin' }]),
]) {
  staticRoles1.upsert(obj);
}
const defaultRuleResolverCases: { name: string; user: ReturnType<typeof user>; namespace: string; effectiveRules: object[] }[] = [
  { name: 'case 0: foobar in namespace1', user: user('foobar'), namespace: 'namespace1', effectiveRules: [ruleReadPods, ruleReadServices] },
  { name: 'case 1: foobar in namespace2', user: user('foobar'), namespace: 'namespace2', effectiveRules: [] },
  { name: 'case 2: foobar in group admin, without a namespace: only cluster rules apply', user: user('foobar', ['admin']), namespace: '', effectiveRules: [ruleAdmin] },
  { name: 'case 3: the empty user', user: user(''), namespace: '', effectiveRules: [] },
];
for (const c of defaultRuleResolverCases) {
  test(`kube TestDefaultRuleResolver ${c.name}`, () => {
    const { rules, errors } = policyRulesFor(staticRoles1, c.user, c.namespace);
    const sorted = (list: object[]): string[] => list.map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(sorted(rules), sorted(c.effectiveRules));
    assert.deepEqual(errors, []);
  });
}

test('RBAC: the cost of a decision does not depend on unrelated bindings (index lookups only)', async () => {
  const big = new RbacIndex();
  big.upsert(clusterRole('r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
  for (let i = 0; i < 2000; i++) big.upsert(rb(`ns-${i % 100}`, `b-${i}`, 'ClusterRole', 'r', [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` }]));
  const { cluster, namespaced } = big.applicable(user('user-7'), 'ns-7');
  assert.equal(cluster.length + namespaced.length, 1);
});
