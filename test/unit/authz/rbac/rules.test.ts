// RBAC rule matching, every row run through the authorizer (RbacAuthorizer over an RbacIndex, casbin deciding
// each bound role). Each row names where it comes from:
// - kube TestRuleMatches, TestAuthorizer: plugin/pkg/auth/authorizer/rbac/rbac_test.go;
// - kube TestAppliesTo: pkg/registry/rbac/validation/rule_test.go;
// - kube TestResourceMatches: pkg/apis/rbac/helpers_test.go;
// - ours: rows kube's tests do not have (resourceNames, kube's subresource and URL forms as docs/authorization.md
//   lists them, rules of one kind never matching requests of the other).
// kube's TestRuleMatches and TestResourceMatches call RuleAllows and ResourceMatches on one rule; here the rule
// is the only rule of a ClusterRole bound to the requesting user, so the authorizer's answer is the rule's. For
// TestResourceMatches the rule also has verbs ["*"] and apiGroups ["*"], so that only its resources decide.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RbacAuthorizer } from '../../../../src/authz/rbac/authorizer.js';
import { RbacIndex, type BindingLike, type RoleLike, type SubjectLike } from '../../../../src/authz/rbac/binding-index.js';
import { RoleEvaluator } from '../../../../src/authz/rbac/role-evaluator.js';
import type { MatchableRule } from '../../../../src/authz/rbac/rules.js';
import type { Attributes } from '../../../../src/authz/types.js';

const RBAC = 'rbac.authorization.k8s.io';
type Request = Omit<Attributes, 'user'>;
type User = Attributes['user'];
const userInfo = (name: string, groups: string[] = []): User => ({ name, uid: '', groups, extra: {} });

/** kube's resourceRequest(verb).Group(g).Resource(r).Subresource(s).Name(n). */
const res = (verb: string, apiGroup: string, resource: string, subresource = '', name = '', namespace = ''): Request => ({
  verb, isResourceRequest: true, path: '', namespace, apiGroup, apiVersion: '', resource, subresource, name,
});
/** kube's nonresourceRequest(verb).URL(path). */
const url = (verb: string, path: string): Request => ({ verb, isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' });

const clusterRole = (name: string, rules: MatchableRule[]): RoleLike => ({ kind: 'ClusterRole', metadata: { name }, rules });
const crb = (name: string, roleName: string, subjects: SubjectLike[]): BindingLike => ({ kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName }, subjects });
const rbToClusterRole = (namespace: string, name: string, roleName: string, subjects: SubjectLike[]): BindingLike => ({
  kind: 'RoleBinding', metadata: { namespace, name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName }, subjects,
});
/** kube's "User:admin", "Group:admins", "ServiceAccount:name" subject strings. */
const subjects = (...specs: string[]): SubjectLike[] =>
  specs.map((spec) => {
    const [kind, name] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
    return kind === 'ServiceAccount' ? { kind, name, apiGroup: '' } : { kind, name, apiGroup: RBAC };
  });

function authorizerOver(objects: readonly (RoleLike | BindingLike)[]): RbacAuthorizer {
  const index = new RbacIndex();
  for (const obj of objects) index.upsert(obj);
  return new RbacAuthorizer(index);
}

// ----- one rule, bound to the user "u" by a ClusterRoleBinding -----

const oneRuleAuthorizers = new Map<MatchableRule, RbacAuthorizer>();
async function ruleAllowsThroughAuthorizer(rule: MatchableRule, req: Request): Promise<boolean> {
  let authorizer = oneRuleAuthorizers.get(rule);
  if (authorizer === undefined) {
    authorizer = authorizerOver([clusterRole('the-rule', [rule]), crb('u-has-the-rule', 'the-rule', subjects('User:u'))]);
    oneRuleAuthorizers.set(rule, authorizer);
  }
  const result = await authorizer.authorize({ user: userInfo('u'), ...req });
  assert.ok(result.decision === 'allow' || result.decision === 'noOpinion', 'RBAC never denies');
  if (result.decision === 'allow') assert.equal(result.reason, 'RBAC: allowed by ClusterRoleBinding "u-has-the-rule" of ClusterRole "the-rule" to User "u"');
  else assert.equal(result.reason, '');
  return result.decision === 'allow';
}

const show = (r: Request): string =>
  r.isResourceRequest ? `${r.verb} ${r.apiGroup}/${r.subresource ? `${r.resource}/${r.subresource}` : r.resource}${r.name ? ` "${r.name}"` : ''}` : `${r.verb} ${r.path}`;

/** kube's rbacv1helpers.NewRule(verbs...).Groups(...).Resources(...).URLs(...). */
const rule = (verbs: string[], parts: Omit<MatchableRule, 'verbs'> = {}): MatchableRule => ({ verbs, ...parts });

// kube TestRuleMatches, every case and every request of each, in kube's order.
const ruleMatches: { name: string; rule: MatchableRule; requests: [Request, boolean][] }[] = [
  {
    name: 'star verb, exact match other',
    rule: rule(['*'], { apiGroups: ['group1'], resources: ['resource1'] }),
    requests: [
      [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), false], [res('verb1', 'group1', 'resource2'), false], [res('verb1', 'group2', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), true], [res('verb2', 'group2', 'resource1'), false], [res('verb2', 'group1', 'resource2'), false], [res('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star group, exact match other',
    rule: rule(['verb1'], { apiGroups: ['*'], resources: ['resource1'] }),
    requests: [
      [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), true], [res('verb1', 'group1', 'resource2'), false], [res('verb1', 'group2', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), false], [res('verb2', 'group2', 'resource1'), false], [res('verb2', 'group1', 'resource2'), false], [res('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star resource, exact match other',
    rule: rule(['verb1'], { apiGroups: ['group1'], resources: ['*'] }),
    requests: [
      [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), false], [res('verb1', 'group1', 'resource2'), true], [res('verb1', 'group2', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), false], [res('verb2', 'group2', 'resource1'), false], [res('verb2', 'group1', 'resource2'), false], [res('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'tuple expansion',
    rule: rule(['verb1', 'verb2'], { apiGroups: ['group1', 'group2'], resources: ['resource1', 'resource2'] }),
    requests: [
      [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), true], [res('verb1', 'group1', 'resource2'), true], [res('verb1', 'group2', 'resource2'), true],
      [res('verb2', 'group1', 'resource1'), true], [res('verb2', 'group2', 'resource1'), true], [res('verb2', 'group1', 'resource2'), true], [res('verb2', 'group2', 'resource2'), true],
    ],
  },
  {
    name: 'subresource expansion',
    rule: rule(['*'], { apiGroups: ['*'], resources: ['resource1/subresource1'] }),
    requests: [
      [res('verb1', 'group1', 'resource1', 'subresource1'), true], [res('verb1', 'group2', 'resource1', 'subresource2'), false],
      [res('verb1', 'group1', 'resource2', 'subresource1'), false], [res('verb1', 'group2', 'resource2', 'subresource1'), false],
      [res('verb2', 'group1', 'resource1', 'subresource1'), true], [res('verb2', 'group2', 'resource1', 'subresource2'), false],
      [res('verb2', 'group1', 'resource2', 'subresource1'), false], [res('verb2', 'group2', 'resource2', 'subresource1'), false],
    ],
  },
  {
    name: 'star nonresource, exact match other',
    rule: rule(['verb1'], { nonResourceURLs: ['*'] }),
    requests: [
      [url('verb1', '/foo'), true], [url('verb1', '/foo/bar'), true], [url('verb1', '/foo/baz'), true], [url('verb1', '/foo/bar/one'), true], [url('verb1', '/foo/baz/one'), true],
      [url('verb2', '/foo'), false], [url('verb2', '/foo/bar'), false], [url('verb2', '/foo/baz'), false], [url('verb2', '/foo/bar/one'), false], [url('verb2', '/foo/baz/one'), false],
    ],
  },
  {
    name: 'star nonresource subpath',
    rule: rule(['verb1'], { nonResourceURLs: ['/foo/*'] }),
    requests: [
      [url('verb1', '/foo'), false], [url('verb1', '/foo/bar'), true], [url('verb1', '/foo/baz'), true], [url('verb1', '/foo/bar/one'), true], [url('verb1', '/foo/baz/one'), true],
      [url('verb1', '/notfoo'), false], [url('verb1', '/notfoo/bar'), false], [url('verb1', '/notfoo/baz'), false], [url('verb1', '/notfoo/bar/one'), false], [url('verb1', '/notfoo/baz/one'), false],
    ],
  },
  {
    name: 'star verb, exact nonresource',
    rule: rule(['*'], { nonResourceURLs: ['/foo', '/foo/bar/one'] }),
    requests: [
      [url('verb1', '/foo'), true], [url('verb1', '/foo/bar'), false], [url('verb1', '/foo/baz'), false], [url('verb1', '/foo/bar/one'), true], [url('verb1', '/foo/baz/one'), false],
      [url('verb2', '/foo'), true], [url('verb2', '/foo/bar'), false], [url('verb2', '/foo/baz'), false], [url('verb2', '/foo/bar/one'), true], [url('verb2', '/foo/baz/one'), false],
    ],
  },
];

for (const c of ruleMatches) {
  for (const [req, allowed] of c.requests) {
    test(`kube TestRuleMatches "${c.name}": ${show(req)} is ${allowed ? 'allowed' : 'not allowed'}`, async () => {
      assert.equal(await ruleAllowsThroughAuthorizer(c.rule, req), allowed);
    });
  }
}

// kube TestResourceMatches: rule resources, the request's resource and subresource (kube passes them joined
// as combinedRequestedResource, and the subresource alone).
const resourceMatches: { name: string; ruleResources: string[]; resource: string; subresource?: string; expected: boolean }[] = [
  { name: 'all matches 01', ruleResources: ['*'], resource: 'foo', expected: true },
  { name: 'checks all rules', ruleResources: ["doesn't match", '*'], resource: 'foo', expected: true },
  { name: 'matches exact rule', ruleResources: ['foo/bar'], resource: 'foo', subresource: 'bar', expected: true },
  { name: 'matches exact rule 02', ruleResources: ['foo/bar'], resource: 'foo', expected: false },
  { name: 'matches subresource', ruleResources: ['*/scale'], resource: 'foo', subresource: 'scale', expected: true },
  { name: "doesn't match partial subresource hit", ruleResources: ['foo/bar', '*/other'], resource: 'foo', subresource: 'other/segment', expected: false },
  { name: 'matches subresource with multiple slashes', ruleResources: ['*/other/segment'], resource: 'foo', subresource: 'other/segment', expected: true },
  { name: "doesn't fail on empty", ruleResources: [''], resource: 'foo', subresource: 'other/segment', expected: false },
  { name: "doesn't fail on slash", ruleResources: ['/'], resource: 'foo', subresource: 'other/segment', expected: false },
  { name: "doesn't fail on missing subresource", ruleResources: ['*/'], resource: 'foo', subresource: 'other/segment', expected: false },
  { name: "doesn't match on not star", ruleResources: ['*something/other/segment'], resource: 'foo', subresource: 'other/segment', expected: false },
  { name: "doesn't match on something else", ruleResources: ['something/other/segment'], resource: 'foo', subresource: 'other/segment', expected: false },
];

for (const c of resourceMatches) {
  test(`kube TestResourceMatches "${c.name}"`, async () => {
    const req = res('get', 'group', c.resource, c.subresource ?? '');
    assert.equal(await ruleAllowsThroughAuthorizer(rule(['*'], { apiGroups: ['*'], resources: c.ruleResources }), req), c.expected);
  });
}

// Ours: rows kube's tests do not have.
const ours: { name: string; rule: MatchableRule; req: Request; allowed: boolean }[] = [
  { name: 'core group "" matches only the core group', rule: rule(['get'], { apiGroups: [''], resources: ['deployments'] }), req: res('get', 'apps', 'deployments'), allowed: false },
  { name: 'a rule without apiGroups matches no resource request', rule: rule(['get'], { resources: ['pods'] }), req: res('get', '', 'pods'), allowed: false },
  { name: 'verbs are case-sensitive', rule: rule(['get'], { apiGroups: [''], resources: ['pods'] }), req: res('GET', '', 'pods'), allowed: false },
  { name: 'resource name matches', rule: rule(['get'], { apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }), req: res('get', '', 'secrets', '', 'db'), allowed: true },
  { name: 'resource name mismatch', rule: rule(['get'], { apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }), req: res('get', '', 'secrets', '', 'other'), allowed: false },
  { name: 'resource names never match a list (no name)', rule: rule(['list'], { apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }), req: res('list', '', 'secrets'), allowed: false },
  { name: 'resource names apply to subresources too', rule: rule(['get'], { apiGroups: [''], resources: ['pods/log'], resourceNames: ['web'] }), req: res('get', '', 'pods', 'log', 'api'), allowed: false },
  { name: 'subresource exact', rule: rule(['get'], { apiGroups: [''], resources: ['pods/log'] }), req: res('get', '', 'pods', 'log', 'web'), allowed: true },
  { name: 'resource without subresource does not match the subresource', rule: rule(['get'], { apiGroups: [''], resources: ['pods'] }), req: res('get', '', 'pods', 'log', 'web'), allowed: false },
  { name: 'subresource rule does not match the resource', rule: rule(['get'], { apiGroups: [''], resources: ['pods/log'] }), req: res('get', '', 'pods', '', 'web'), allowed: false },
  { name: '*/subresource matches any resource\'s subresource', rule: rule(['update'], { apiGroups: ['*'], resources: ['*/scale'] }), req: res('update', 'apps', 'deployments', 'scale', 'd'), allowed: true },
  { name: '*/subresource does not match another subresource', rule: rule(['get'], { apiGroups: [''], resources: ['*/status'] }), req: res('get', '', 'pods', 'log', 'web'), allowed: false },
  { name: '*/subresource does not match the resource itself', rule: rule(['get'], { apiGroups: [''], resources: ['*/status'] }), req: res('get', '', 'pods'), allowed: false },
  { name: 'pods/* is not a wildcard', rule: rule(['get'], { apiGroups: [''], resources: ['pods/*'] }), req: res('get', '', 'pods', 'log', 'web'), allowed: false },
  { name: '* matches subresources too', rule: rule(['get'], { apiGroups: [''], resources: ['*'] }), req: res('get', '', 'pods', 'exec', 'web'), allowed: true },
  { name: 'star everything', rule: rule(['*'], { apiGroups: ['*'], resources: ['*'] }), req: res('delete', 'x.io', 'widgets', 'status', 'w'), allowed: true },
  { name: 'non-resource exact is not a prefix', rule: rule(['get'], { nonResourceURLs: ['/healthz'] }), req: url('get', '/healthz/ping'), allowed: false },
  { name: 'non-resource prefix star does not match the bare prefix without its slash', rule: rule(['get'], { nonResourceURLs: ['/api/*'] }), req: url('get', '/api'), allowed: false },
  { name: 'non-resource prefix star without slash matches longer paths', rule: rule(['get'], { nonResourceURLs: ['/healthz*'] }), req: url('get', '/healthz/etcd'), allowed: true },
  { name: 'a resource rule never matches a non-resource request', rule: rule(['*'], { apiGroups: ['*'], resources: ['*'] }), req: url('get', '/version'), allowed: false },
  { name: 'a non-resource rule never matches a resource request', rule: rule(['*'], { nonResourceURLs: ['*'] }), req: res('get', '', 'pods'), allowed: false },
];

for (const c of ours) {
  test(`ours: ${c.name}`, async () => {
    assert.equal(await ruleAllowsThroughAuthorizer(c.rule, c.req), c.allowed);
  });
}

// kube TestAuthorizer: each case's objects, then every shouldPass and shouldFail request. kube's bindings have
// no names; ours are named after their role, since the index keys bindings by name. kube's defaultAttributes
// are resource requests without a name whose groups are strings.Split(groups, ","), so "" is the group [""].
const defaultAttributes = (user: string, groups: string, verb: string, resource: string, subresource: string, namespace: string, apiGroup: string): Attributes => ({
  user: userInfo(user, groups.split(',')), ...res(verb, apiGroup, resource, subresource, '', namespace),
});
const nonResource = (user: { name?: string; groups?: string[] }, verb: string, path: string): Attributes => ({ user: userInfo(user.name ?? '', user.groups ?? []), ...url(verb, path) });
/** kube's newRule(verbs, apiGroups, resources, nonResourceURLs): each a comma list. */
const newRule = (verbs: string, apiGroups: string, resources: string, nonResourceURLs: string): MatchableRule => ({
  verbs: verbs.split(','), apiGroups: apiGroups.split(','), resources: resources.split(','), nonResourceURLs: nonResourceURLs.split(','),
});

const authorizerCases: { objects: (RoleLike | BindingLike)[]; shouldPass: Attributes[]; shouldFail: Attributes[] }[] = [
  {
    objects: [clusterRole('admin', [newRule('*', '*', '*', '*')]), rbToClusterRole('ns1', 'admin', 'admin', subjects('User:admin', 'Group:admins'))],
    shouldPass: [
      defaultAttributes('admin', '', 'get', 'Pods', '', 'ns1', ''),
      defaultAttributes('admin', '', 'watch', 'Pods', '', 'ns1', ''),
      defaultAttributes('admin', 'group1', 'watch', 'Foobar', '', 'ns1', ''),
      defaultAttributes('joe', 'admins', 'watch', 'Foobar', '', 'ns1', ''),
      defaultAttributes('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1', ''),
    ],
    shouldFail: [
      defaultAttributes('admin', '', 'GET', 'Pods', '', 'ns2', ''),
      defaultAttributes('admin', '', 'GET', 'Nodes', '', '', ''),
      defaultAttributes('admin', 'admins', 'GET', 'Pods', '', 'ns2', ''),
      defaultAttributes('admin', 'admins', 'GET', 'Nodes', '', '', ''),
    ],
  },
  {
    // Non-resource-url tests
    objects: [
      clusterRole('non-resource-url-getter', [newRule('get', '', '', '/apis')]),
      clusterRole('non-resource-url', [newRule('*', '', '', '/apis')]),
      clusterRole('non-resource-url-prefix', [newRule('get', '', '', '/apis/*')]),
      crb('non-resource-url-getter', 'non-resource-url-getter', subjects('User:foo', 'Group:bar')),
      crb('non-resource-url', 'non-resource-url', subjects('User:admin', 'Group:admin')),
      crb('non-resource-url-prefix', 'non-resource-url-prefix', subjects('User:prefixed', 'Group:prefixed')),
    ],
    shouldPass: [
      nonResource({ name: 'foo' }, 'get', '/apis'),
      nonResource({ groups: ['bar'] }, 'get', '/apis'),
      nonResource({ name: 'admin' }, 'get', '/apis'),
      nonResource({ groups: ['admin'] }, 'get', '/apis'),
      nonResource({ name: 'admin' }, 'watch', '/apis'),
      nonResource({ groups: ['admin'] }, 'watch', '/apis'),
      nonResource({ name: 'prefixed' }, 'get', '/apis/v1'),
      nonResource({ groups: ['prefixed'] }, 'get', '/apis/v1'),
      nonResource({ name: 'prefixed' }, 'get', '/apis/v1/foobar'),
      nonResource({ groups: ['prefixed'] }, 'get', '/apis/v1/foorbar'),
    ],
    shouldFail: [
      // wrong verb
      nonResource({ name: 'foo' }, 'watch', '/apis'),
      nonResource({ groups: ['bar'] }, 'watch', '/apis'),
      // wrong path
      nonResource({ name: 'foo' }, 'get', '/api/v1'),
      nonResource({ groups: ['bar'] }, 'get', '/api/v1'),
      nonResource({ name: 'admin' }, 'get', '/api/v1'),
      nonResource({ groups: ['admin'] }, 'get', '/api/v1'),
      // not covered by prefix
      nonResource({ name: 'prefixed' }, 'get', '/api/v1'),
      nonResource({ groups: ['prefixed'] }, 'get', '/api/v1'),
    ],
  },
  {
    // test subresource resolution
    objects: [clusterRole('admin', [newRule('*', '*', 'pods', '*')]), rbToClusterRole('ns1', 'admin', 'admin', subjects('User:admin', 'Group:admins'))],
    shouldPass: [defaultAttributes('admin', '', 'get', 'pods', '', 'ns1', '')],
    shouldFail: [defaultAttributes('admin', '', 'get', 'pods', 'status', 'ns1', '')],
  },
  {
    // test subresource resolution
    objects: [
      clusterRole('admin', [newRule('*', '*', 'pods/status', '*'), newRule('*', '*', '*/scale', '*')]),
      rbToClusterRole('ns1', 'admin', 'admin', subjects('User:admin', 'Group:admins')),
    ],
    shouldPass: [
      defaultAttributes('admin', '', 'get', 'pods', 'status', 'ns1', ''),
      defaultAttributes('admin', '', 'get', 'pods', 'scale', 'ns1', ''),
      defaultAttributes('admin', '', 'get', 'deployments', 'scale', 'ns1', ''),
      defaultAttributes('admin', '', 'get', 'anything', 'scale', 'ns1', ''),
    ],
    shouldFail: [defaultAttributes('admin', '', 'get', 'pods', '', 'ns1', '')],
  },
];

const showAttrs = (a: Attributes): string => `user=${JSON.stringify(a.user.name)} groups=${JSON.stringify(a.user.groups)} ${show(a)}${a.namespace ? ` in ${a.namespace}` : ''}`;
authorizerCases.forEach((c, i) => {
  const authorizer = authorizerOver(c.objects);
  for (const [attrs, allowed] of [...c.shouldPass.map((a) => [a, true] as const), ...c.shouldFail.map((a) => [a, false] as const)]) {
    test(`kube TestAuthorizer case ${i} ${allowed ? 'shouldPass' : 'shouldFail'}: ${showAttrs(attrs)}`, async () => {
      assert.equal((await authorizer.authorize(attrs)).decision, allowed ? 'allow' : 'noOpinion');
    });
  }
});

// kube TestAppliesTo: a binding with these subjects (a RoleBinding in the namespace, or a ClusterRoleBinding
// when there is none) applies to the user or not, and the reason names the first subject that applies (kube's
// index).
const appliesTo: { testCase: string; subjects: SubjectLike[]; user: User; namespace: string; appliesTo: boolean; index?: number }[] = [
  { testCase: 'single subject that matches username', subjects: [{ kind: 'User', name: 'foobar' }], user: userInfo('foobar'), namespace: '', appliesTo: true, index: 0 },
  { testCase: 'multiple subjects, one that matches username', subjects: [{ kind: 'User', name: 'barfoo' }, { kind: 'User', name: 'foobar' }], user: userInfo('foobar'), namespace: '', appliesTo: true, index: 1 },
  { testCase: 'multiple subjects, none that match username', subjects: [{ kind: 'User', name: 'barfoo' }, { kind: 'User', name: 'foobar' }], user: userInfo('zimzam'), namespace: '', appliesTo: false },
  { testCase: 'multiple subjects, one that match group', subjects: [{ kind: 'User', name: 'barfoo' }, { kind: 'Group', name: 'foobar' }], user: userInfo('zimzam', ['foobar']), namespace: '', appliesTo: true, index: 1 },
  {
    testCase: 'multiple subjects, one that match group, should ignore namespace',
    subjects: [{ kind: 'User', name: 'barfoo' }, { kind: 'Group', name: 'foobar' }], user: userInfo('zimzam', ['foobar']), namespace: 'namespace1', appliesTo: true, index: 1,
  },
  {
    testCase: 'multiple subjects with a service account that matches',
    subjects: [{ kind: 'User', name: 'barfoo' }, { kind: 'Group', name: 'foobar' }, { kind: 'ServiceAccount', namespace: 'kube-system', name: 'default' }],
    user: userInfo('system:serviceaccount:kube-system:default'), namespace: 'default', appliesTo: true, index: 2,
  },
  { testCase: "* user subject name doesn't match all users", subjects: [{ kind: 'User', name: '*' }], user: userInfo('foobar'), namespace: 'default', appliesTo: false },
  {
    testCase: 'binding to all authenticated and unauthenticated subjects matches authenticated user',
    subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }], user: userInfo('foobar', ['system:authenticated']), namespace: 'default', appliesTo: true, index: 0,
  },
  {
    testCase: 'binding to all authenticated and unauthenticated subjects matches anonymous user',
    subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }], user: userInfo('system:anonymous', ['system:unauthenticated']), namespace: 'default', appliesTo: true, index: 1,
  },
];

for (const c of appliesTo) {
  test(`kube TestAppliesTo "${c.testCase}"`, async () => {
    const binding = c.namespace === '' ? crb('the-binding', 'pod-getter', c.subjects) : rbToClusterRole(c.namespace, 'the-binding', 'pod-getter', c.subjects);
    const authorizer = authorizerOver([clusterRole('pod-getter', [rule(['get'], { apiGroups: [''], resources: ['pods'] })]), binding]);
    const result = await authorizer.authorize({ user: c.user, ...res('get', '', 'pods', '', 'p', c.namespace) });
    assert.equal(result.decision, c.appliesTo ? 'allow' : 'noOpinion');
    if (c.index !== undefined) {
      const s = c.subjects[c.index]!;
      const subject = s.kind === 'ServiceAccount' ? `ServiceAccount "${s.name}/${s.namespace}"` : `${s.kind} ${JSON.stringify(s.name)}`;
      const described = c.namespace === '' ? 'ClusterRoleBinding "the-binding"' : `RoleBinding "the-binding/${c.namespace}"`;
      assert.equal(result.reason, `RBAC: allowed by ${described} of ClusterRole "pod-getter" to ${subject}`);
    }
  });
}

test('ours: casbin names the first rule that allows, also when a role repeats a rule', async () => {
  const evaluator = await RoleEvaluator.compile([
    rule(['get'], { apiGroups: [''], resources: ['secrets'] }),
    rule(['list'], { apiGroups: [''], resources: ['pods'] }),
    rule(['list'], { apiGroups: [''], resources: ['pods'] }),
  ]);
  assert.equal(evaluator.firstAllowing(res('list', '', 'pods')), 1);
  assert.equal(evaluator.firstAllowing(res('watch', '', 'pods')), -1);
});
