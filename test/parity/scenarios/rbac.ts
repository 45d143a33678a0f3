// RBAC objects: create, get, update, delete; validation's 422; the escalation and bind refusals.
import type { JsonValue, ScenarioGroup, UnrecordedRequest } from '../scenario.js';
import { RBAC, typed } from './common.js';

const role = (name: string, rules: JsonValue) => typed('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name, namespace: 'parity' }, rules });
const configmapReader: JsonValue = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }];
const roles = `${RBAC}/namespaces/parity/roles`;
const deleteRole = (name: string): UnrecordedRequest => ({ method: 'DELETE', path: `${roles}/${name}`, as: 'admin' });

export const rbac: ScenarioGroup = {
  group: 'rbac',
  scenarios: [
    {
      name: 'role-lifecycle',
      description: 'admin creates, reads, lists, updates and deletes a Role',
      requests: [
        { method: 'POST', path: roles, as: 'admin', body: role('lifecycle', configmapReader) },
        { method: 'GET', path: `${roles}/lifecycle`, as: 'admin' },
        { method: 'PUT', path: `${roles}/lifecycle`, as: 'admin', body: role('lifecycle', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]) },
        { method: 'DELETE', path: `${roles}/lifecycle`, as: 'admin' },
        { method: 'GET', path: `${roles}/lifecycle`, as: 'admin' },
      ],
      cleanup: [deleteRole('lifecycle')],
    },
    {
      name: 'role-create-conflict',
      description: 'creating a Role that exists: 409',
      requests: [{ method: 'POST', path: roles, as: 'admin', body: role('parity-dev', configmapReader) }],
    },
    {
      name: 'role-name-mismatch',
      description: 'a PUT whose body names another object: 400',
      setup: [{ method: 'POST', path: roles, as: 'admin', body: role('mismatch', configmapReader) }],
      requests: [{ method: 'PUT', path: `${roles}/mismatch`, as: 'admin', body: role('other-name', configmapReader) }],
      cleanup: [deleteRole('mismatch')],
    },
    { name: 'role-rule-without-verbs', description: 'a rule without verbs: 422 and its causes', requests: [{ method: 'POST', path: roles, as: 'admin', body: role('no-verbs', [{ apiGroups: [''], resources: ['pods'] }]) }], cleanup: [deleteRole('no-verbs')] },
    { name: 'role-invalid-name', description: 'a Role whose name is not a path segment name: 422', requests: [{ method: 'POST', path: roles, as: 'admin', body: role('a/b', configmapReader) }] },
    {
      name: 'clusterrole-non-resource-in-role',
      description: 'a namespaced Role with nonResourceURLs: 422',
      requests: [{ method: 'POST', path: roles, as: 'admin', body: role('nonresource', [{ nonResourceURLs: ['/x'], verbs: ['get'] }]) }],
      cleanup: [deleteRole('nonresource')],
    },
    {
      name: 'rolebinding-invalid-roleref',
      description: 'a RoleBinding with an empty roleRef name and an unnamed subject: 422',
      requests: [{ method: 'POST', path: `${RBAC}/namespaces/parity/rolebindings`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'RoleBinding', { metadata: { name: 'invalid' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: '' }, subjects: [{ kind: 'User', name: '' }] }) }],
      cleanup: [{ method: 'DELETE', path: `${RBAC}/namespaces/parity/rolebindings/invalid`, as: 'admin' }],
    },
    { name: 'role-within-grants', description: 'alice creates a Role granting what she holds herself', requests: [{ method: 'POST', path: roles, as: 'alice', body: role('alice-subset', configmapReader) }], cleanup: [deleteRole('alice-subset')] },
    {
      name: 'role-escalation-refused',
      description: 'alice creates a Role granting secrets she cannot read: 403 with the missing rules',
      requests: [{ method: 'POST', path: roles, as: 'alice', body: role('alice-escalates', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]) }],
      cleanup: [deleteRole('alice-escalates')],
    },
    {
      name: 'rolebinding-bind-refused',
      // cluster-admin, not admin: admin's rules come from aggregation, which kube-controller-manager does and the
      // reference does not run, so the reference's admin is empty and binding it escalates nothing.
      description: 'alice binds herself to the cluster-admin ClusterRole: 403',
      requests: [{ method: 'POST', path: `${RBAC}/namespaces/parity/rolebindings`, as: 'alice', body: typed('rbac.authorization.k8s.io/v1', 'RoleBinding', { metadata: { name: 'alice-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] }) }],
      cleanup: [{ method: 'DELETE', path: `${RBAC}/namespaces/parity/rolebindings/alice-admin`, as: 'admin' }],
    },
    {
      name: 'clusterrole-lifecycle',
      description: 'admin creates, reads and deletes a ClusterRole and a ClusterRoleBinding to it',
      requests: [
        { method: 'POST', path: `${RBAC}/clusterroles`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'ClusterRole', { metadata: { name: 'parity-lifecycle' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, { nonResourceURLs: ['/lifecycle'], verbs: ['get'] }] }) },
        { method: 'POST', path: `${RBAC}/clusterrolebindings`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { metadata: { name: 'parity-lifecycle' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'parity-lifecycle' }, subjects: [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }] }) },
        { method: 'GET', path: `${RBAC}/clusterrolebindings/parity-lifecycle`, as: 'admin' },
        { method: 'DELETE', path: `${RBAC}/clusterrolebindings/parity-lifecycle`, as: 'admin' },
        { method: 'DELETE', path: `${RBAC}/clusterroles/parity-lifecycle`, as: 'admin' },
      ],
      cleanup: [
        { method: 'DELETE', path: `${RBAC}/clusterrolebindings/parity-lifecycle`, as: 'admin' },
        { method: 'DELETE', path: `${RBAC}/clusterroles/parity-lifecycle`, as: 'admin' },
      ],
    },
    {
      name: 'role-patches',
      description: 'a Role patched with a merge patch, a JSON patch and a strategic merge patch',
      setup: [{ method: 'POST', path: roles, as: 'admin', body: role('patched', configmapReader) }],
      requests: [
        { method: 'PATCH', path: `${roles}/patched`, as: 'admin', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { json: { metadata: { labels: { a: 'b' } } } } },
        { method: 'PATCH', path: `${roles}/patched`, as: 'admin', headers: { 'Content-Type': 'application/json-patch+json' }, body: { json: [{ op: 'add', path: '/rules/0/verbs/-', value: 'list' }] } },
        { method: 'PATCH', path: `${roles}/patched`, as: 'admin', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: { json: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } } },
        { method: 'PATCH', path: `${roles}/patched`, as: 'admin', headers: { 'Content-Type': 'application/json-patch+json' }, body: { json: [{ op: 'test', path: '/rules/0/verbs/0', value: 'nope' }] } },
      ],
      cleanup: [deleteRole('patched')],
    },
    {
      name: 'role-list',
      description: 'listing Roles in a namespace: the fixtures, in name order',
      requests: [{ method: 'GET', path: roles, as: 'admin' }],
    },
    {
      name: 'role-update-stale-resource-version',
      description: 'an update with a resourceVersion that is not the current one: 409',
      setup: [{ method: 'POST', path: roles, as: 'admin', body: role('stale', configmapReader) }],
      requests: [{ method: 'PUT', path: `${roles}/stale`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name: 'stale', namespace: 'parity', resourceVersion: '1' }, rules: configmapReader }) }],
      cleanup: [deleteRole('stale')],
    },
    {
      name: 'role-escalation-by-update',
      description: 'alice updates a Role she may edit so it grants secrets: 403',
      setup: [{ method: 'POST', path: roles, as: 'admin', body: role('alice-edits', configmapReader) }],
      requests: [{ method: 'PUT', path: `${roles}/alice-edits`, as: 'alice', body: role('alice-edits', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]) }],
      cleanup: [deleteRole('alice-edits')],
    },
    {
      name: 'rolebinding-to-missing-role',
      description: 'alice binds to a Role that does not exist: refused, since its rules cannot be checked',
      requests: [{ method: 'POST', path: `${RBAC}/namespaces/parity/rolebindings`, as: 'alice', body: typed('rbac.authorization.k8s.io/v1', 'RoleBinding', { metadata: { name: 'to-missing' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] }) }],
      cleanup: [{ method: 'DELETE', path: `${RBAC}/namespaces/parity/rolebindings/to-missing`, as: 'admin' }],
    },
    {
      name: 'rolebinding-roleref-immutable',
      description: "a RoleBinding's roleRef cannot change: 422",
      setup: [{ method: 'POST', path: `${RBAC}/namespaces/parity/rolebindings`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'RoleBinding', { metadata: { name: 'immutable' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'parity-dev' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }] }) }],
      requests: [{ method: 'PUT', path: `${RBAC}/namespaces/parity/rolebindings/immutable`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'RoleBinding', { metadata: { name: 'immutable', namespace: 'parity' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'parity-settings-reader' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }] }) }],
      cleanup: [{ method: 'DELETE', path: `${RBAC}/namespaces/parity/rolebindings/immutable`, as: 'admin' }],
    },
    { name: 'get-missing', description: 'a Role that does not exist: 404', requests: [{ method: 'GET', path: `${roles}/does-not-exist`, as: 'admin' }] },
    { name: 'bootstrap-basic-user', description: 'the bootstrap ClusterRole system:basic-user, its labels and annotations', requests: [{ method: 'GET', path: `${RBAC}/clusterroles/system:basic-user`, as: 'admin' }] },
    { name: 'bootstrap-discovery-binding', description: 'the bootstrap ClusterRoleBinding system:discovery', requests: [{ method: 'GET', path: `${RBAC}/clusterrolebindings/system:discovery`, as: 'admin' }] },
  ],
};
