// RBAC decision cost with few and with many unrelated RoleBindings, in its own process. The user has a
// handful of bindings (a ClusterRoleBinding, three RoleBindings); the others name other users, spread over
// 1,000 namespaces. Decisions are evaluated without the decision cache, so each one walks the index and
// asks casbin.
import { RbacAuthorizer } from '../src/authz/rbac/authorizer.js';
import { RbacIndex, type BindingLike, type RoleLike } from '../src/authz/rbac/binding-index.js';
import type { Attributes } from '../src/authz/types.js';
import { serve } from './ipc.js';

export interface DecisionResult {
  bindings: number;
  microsPerDecision: number;
  decisions: number;
}

const rb = (ns: string, name: string, role: string, user: string): BindingLike => ({
  kind: 'RoleBinding',
  metadata: { namespace: ns, name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
});

async function build(unrelated: number): Promise<RbacAuthorizer> {
  const index = new RbacIndex();
  const roles: RoleLike[] = [
    { kind: 'ClusterRole', metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] }] },
    { kind: 'ClusterRole', metadata: { name: 'cm-editor' }, rules: [{ verbs: ['*'], apiGroups: [''], resources: ['configmaps'] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['app'] }] },
    { kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }, { verbs: ['list'], apiGroups: ['apps'], resources: ['deployments'] }] },
  ];
  for (const r of roles) index.upsert(r);
  index.upsert({ kind: 'ClusterRoleBinding', metadata: { name: 'bench-viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'viewer' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'bench' }] });
  for (const [ns, role] of [['ns-1', 'pod-reader'], ['ns-1', 'cm-editor'], ['ns-2', 'pod-reader']] as const) index.upsert(rb(ns, `bench-${role}`, role, 'bench-user'));
  for (let i = 0; i < unrelated; i++) index.upsert(rb(`ns-${i % 1000}`, `other-${i}`, i % 2 ? 'pod-reader' : 'cm-editor', `user-${i}`));
  // Wait for every role's casbin enforcer.
  for (const r of roles) await index.clusterRole(r.metadata.name!)!.evaluator;
  return new RbacAuthorizer(index, { cacheDecisions: false });
}

const user = { name: 'bench-user', uid: '', groups: ['bench', 'system:authenticated'], extra: {} };
const requests: Attributes[] = [
  { user, verb: 'list', isResourceRequest: true, path: '', namespace: 'ns-1', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: '' },
  { user, verb: 'get', isResourceRequest: true, path: '', namespace: 'ns-1', apiGroup: '', apiVersion: 'v1', resource: 'secrets', subresource: '', name: 'app' },
  { user, verb: 'delete', isResourceRequest: true, path: '', namespace: 'ns-1', apiGroup: '', apiVersion: 'v1', resource: 'secrets', subresource: '', name: 'db' },
  { user, verb: 'get', isResourceRequest: false, path: '/version', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' },
  { user, verb: 'list', isResourceRequest: true, path: '', namespace: 'ns-7', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: '' },
];

serve({
  async decisions(p: { bindings: number; budgetMs: number; max: number }): Promise<DecisionResult> {
    const authorizer = await build(p.bindings);
    for (let i = 0; i < 2000; i++) await authorizer.authorize(requests[i % requests.length]!);
    let n = 0;
    const start = performance.now();
    const deadline = start + p.budgetMs;
    while (n < p.max && performance.now() < deadline) {
      for (let i = 0; i < 100; i++) await authorizer.authorize(requests[(n + i) % requests.length]!);
      n += 100;
    }
    return { bindings: p.bindings, decisions: n, microsPerDecision: ((performance.now() - start) * 1000) / n };
  },
});
