// explain and the authorizer share one decision (rbacDecision): on a table of requests they give the same
// allow or no opinion, the same reason, and explain's matching binding and rule are the ones that decided.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { RbacAuthorizer } from '../../../../src/authz/rbac/authorizer.js';
import { RbacIndex, type BindingLike, type RoleLike } from '../../../../src/authz/rbac/binding-index.js';
import { explain, renderExplanation, type Explanation } from '../../../../src/authz/rbac/explain.js';
import type { Attributes } from '../../../../src/authz/types.js';

const RBAC = 'rbac.authorization.k8s.io';
const role = (namespace: string, name: string, rules: RoleLike['rules']): RoleLike => ({ kind: 'Role', metadata: { namespace, name }, rules });
const clusterRole = (name: string, rules: RoleLike['rules']): RoleLike => ({ kind: 'ClusterRole', metadata: { name }, rules });
const rb = (namespace: string, name: string, roleKind: string, roleName: string, subjects: BindingLike['subjects']): BindingLike => ({
  kind: 'RoleBinding', metadata: { namespace, name }, roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName }, subjects,
});
const crb = (name: string, roleName: string, subjects: BindingLike['subjects']): BindingLike => ({
  kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName }, subjects,
});
const userSubject = (name: string) => [{ kind: 'User', apiGroup: RBAC, name }];
const groupSubject = (name: string) => [{ kind: 'Group', apiGroup: RBAC, name }];

const index = new RbacIndex();
const authorizer = new RbacAuthorizer(index);

before(() => {
  for (const obj of [
    clusterRole('health', [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez'] }]),
    clusterRole('secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }]),
    role('dev', 'developer', [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
      { verbs: ['*'], apiGroups: ['apps'], resources: ['deployments', '*/scale'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    ]),
    role('dev', 'pod-lister', [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]),
    crb('a-health', 'health', groupSubject('system:authenticated')),
    crb('b-missing', 'no-such-clusterrole', userSubject('jane')),
    rb('dev', 'a-jane-develops', 'Role', 'developer', userSubject('jane')),
    rb('dev', 'b-jane-lists', 'Role', 'pod-lister', userSubject('jane')),
    rb('dev', 'c-devs-read-db', 'ClusterRole', 'secret-reader', groupSubject('devs')),
    rb('dev', 'd-ghost', 'Role', 'ghost', groupSubject('devs')),
  ]) {
    index.upsert(obj);
  }
});

const jane = { name: 'jane', uid: '', groups: ['devs', 'system:authenticated'], extra: {} };
const res = (verb: string, apiGroup: string, resource: string, subresource = '', name = '', namespace = 'dev'): Attributes => ({
  user: jane, verb, isResourceRequest: true, path: '', namespace, apiGroup, apiVersion: 'v1', resource, subresource, name,
});
const path = (verb: string, p: string): Attributes => ({ user: jane, verb, isResourceRequest: false, path: p, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' });

const MISSING = 'clusterrole.rbac.authorization.k8s.io "no-such-clusterrole" not found';
const GHOST = 'role.rbac.authorization.k8s.io "ghost" not found';

const cases: { name: string; attrs: Attributes; allowedBy?: { binding: string; rule: number }; errors?: string[] }[] = [
  { name: 'a non-resource path, from the first ClusterRoleBinding', attrs: path('get', '/livez'), allowedBy: { binding: 'a-health', rule: 0 } },
  { name: 'a non-resource path no rule grants', attrs: path('get', '/metrics'), errors: [MISSING] },
  { name: 'list pods: the first binding that allows is named, not the later one', attrs: res('list', '', 'pods'), allowedBy: { binding: 'a-jane-develops', rule: 0 } },
  { name: 'a subresource rule', attrs: res('get', '', 'pods', 'log', 'web'), allowedBy: { binding: 'a-jane-develops', rule: 1 } },
  { name: 'a */subresource rule', attrs: res('update', 'apps', 'statefulsets', 'scale', 'db'), allowedBy: { binding: 'a-jane-develops', rule: 2 } },
  { name: 'a repeated rule: the first of its copies decides', attrs: res('get', '', 'pods', '', 'web'), allowedBy: { binding: 'a-jane-develops', rule: 0 } },
  { name: 'resourceNames through a RoleBinding to a ClusterRole', attrs: res('get', '', 'secrets', '', 'db'), allowedBy: { binding: 'c-devs-read-db', rule: 0 } },
  { name: 'another secret name: no rule, and every error met', attrs: res('get', '', 'secrets', '', 'other'), errors: [MISSING, GHOST] },
  { name: 'a verb no rule has', attrs: res('delete', '', 'pods', '', 'web'), errors: [MISSING, GHOST] },
  { name: 'another namespace: only cluster bindings apply', attrs: res('list', '', 'pods', '', '', 'prod'), errors: [MISSING] },
  { name: 'cluster scope', attrs: res('list', '', 'pods', '', '', ''), errors: [MISSING] },
];

/** The bindings explain shows as allowing, and the rules it shows as matching. */
function matchesOf(e: Explanation): { binding: string; rule: number }[] {
  return e.bindings.flatMap((b) => b.rules.flatMap((r, i) => (r.matched ? [{ binding: b.binding.name, rule: i }] : [])));
}

for (const c of cases) {
  test(`explain agrees with the decision: ${c.name}`, async () => {
    const decision = await authorizer.authorize(c.attrs);
    const explanation = await explain(index, c.attrs);
    assert.equal(explanation.decision, decision.decision);
    assert.equal(explanation.reason, decision.reason);

    if (c.allowedBy) {
      assert.equal(decision.decision, 'allow');
      assert.deepEqual(matchesOf(explanation), [c.allowedBy]);
      const last = explanation.bindings.at(-1)!;
      assert.equal(last.binding.name, c.allowedBy.binding, 'the walk stops at the binding that allows');
      assert.ok(last.allows);
      assert.equal(decision.reason, `RBAC: allowed by ${last.description}`);
      assert.deepEqual(explanation.bindings.map((b) => b.allows), [...explanation.bindings.slice(1).map(() => false), true]);
      assert.deepEqual(last.rules.map((r) => r.evaluated), last.rules.map((_, i) => i <= c.allowedBy!.rule), 'rules after the one that allows are not tried');
    } else {
      assert.equal(decision.decision, 'noOpinion');
      assert.deepEqual(matchesOf(explanation), []);
      assert.ok(explanation.bindings.every((b) => !b.allows && b.rules.every((r) => r.evaluated)));
      assert.deepEqual(explanation.bindings.filter((b) => !b.role.found).map((b) => b.role.error), c.errors);
      assert.equal(decision.reason, `RBAC: ${c.errors!.length === 1 ? c.errors![0] : `[${c.errors!.join(', ')}]`}`);
    }
    // The fields shown for each rule tried agree with casbin's answer for it.
    for (const b of explanation.bindings) {
      for (const r of b.rules) {
        if (r.evaluated) assert.equal(r.checks.every((check) => check.ok), r.matched, `${b.description}: ${JSON.stringify(r.rule)}`);
        else assert.deepEqual(r.checks, []);
      }
    }
  });
}

test('explain as text: the rule that allows, the rules not tried, and the decision', async () => {
  const text = renderExplanation(await explain(index, res('get', '', 'pods', 'log', 'web')));
  assert.equal(
    text,
    [
      'User "jane" (groups ["devs","system:authenticated"]) asks to get pods/log "web" in API group "" in the namespace "dev".',
      '',
      'ClusterRoleBinding "a-health" of ClusterRole "health" to Group "system:authenticated"',
      '  rule 1: does not match',
      '    yes verbs           wants "get", rule has ["get"]',
      '    NO  apiGroups       wants "", rule has []',
      '    NO  resources       wants "pods/log", rule has []',
      '    yes resourceNames   wants "web", rule has (any name)',
      '',
      'ClusterRoleBinding "b-missing" of ClusterRole "no-such-clusterrole" to User "jane"',
      `  grants nothing: ${MISSING}`,
      '',
      'RoleBinding "a-jane-develops/dev" of Role "developer" to User "jane"',
      '  rule 1: does not match',
      '    yes verbs           wants "get", rule has ["get","list"]',
      '    yes apiGroups       wants "", rule has [""]',
      '    NO  resources       wants "pods/log", rule has ["pods"]',
      '    yes resourceNames   wants "web", rule has (any name)',
      '  rule 2: MATCHES',
      '    yes verbs           wants "get", rule has ["get"]',
      '    yes apiGroups       wants "", rule has [""]',
      '    yes resources       wants "pods/log", rule has ["pods/log"]',
      '    yes resourceNames   wants "web", rule has (any name)',
      '  rule 3: not tried (an earlier rule allows)',
      '  rule 4: not tried (an earlier rule allows)',
      '',
      'Decision: allowed (RBAC: allowed by RoleBinding "a-jane-develops/dev" of Role "developer" to User "jane"); RBAC looks no further, as kube-apiserver does.',
      '',
    ].join('\n'),
  );
});
