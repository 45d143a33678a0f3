// RBAC objects: create, get, update, delete; validation's 422; the escalation and bind refusals.
import type { JsonValue, ScenarioGroup, UnrecordedRequest } from '../scenario.js';
import { RBAC, typed } from './common.js';

const role = (name: string, rules: JsonValue) => typed('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name, namespace: 'parity' }, rules });
const configmapReader: JsonValue = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }];
const roles = `${RBAC}/namespaces/parity/roles`;
const deleteRole = (name: string): UnrecordedRequest => ({ method: 'DELETE', path: `${roles}/${name}`, as: 'admin' });
const rolebindings = `${RBAC}/namespaces/parity/rolebindings`;
const deleteBinding = (name: string): UnrecordedRequest => ({ method: 'DELETE', path: `${rolebindings}/${name}`, as: 'admin' });
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const user = (name: string): JsonValue => ({ apiGroup: RBAC_GROUP, kind: 'User', name });
const binding = (name: string, roleRef: JsonValue, subjects: JsonValue): ReturnType<typeof typed> =>
  typed('rbac.authorization.k8s.io/v1', 'RoleBinding', { metadata: { name, namespace: 'parity' }, roleRef, subjects });
const toRole = (name: string): JsonValue => ({ apiGroup: RBAC_GROUP, kind: 'Role', name });
const clusterRole = (name: string, rules: JsonValue) => typed('rbac.authorization.k8s.io/v1', 'ClusterRole', { metadata: { name }, rules });
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const JSON_PATCH = { 'Content-Type': 'application/json-patch+json' };
const STRATEGIC = { 'Content-Type': 'application/strategic-merge-patch+json' };
/** bob, who holds only one get, is given create with escalate on Roles, or create on RoleBindings with bind on cluster-admin. */
const bobMay = (name: string, rules: JsonValue): UnrecordedRequest[] => [
  { method: 'POST', path: roles, as: 'admin', body: role(name, rules) },
  { method: 'POST', path: rolebindings, as: 'admin', body: binding(name, toRole(name), [user('bob')]) },
];
const bobMayNot = (name: string): UnrecordedRequest[] => [deleteBinding(name), deleteRole(name)];

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
    {
      name: 'rolebinding-patches',
      description: 'a RoleBinding updated, then patched with a merge patch, a JSON patch and a strategic merge patch of its subjects',
      setup: [{ method: 'POST', path: rolebindings, as: 'admin', body: binding('patched', toRole('parity-dev'), [user('bob')]) }],
      requests: [
        { method: 'PUT', path: `${rolebindings}/patched`, as: 'admin', body: binding('patched', toRole('parity-dev'), [user('bob'), user('carol')]) },
        { method: 'PATCH', path: `${rolebindings}/patched`, as: 'admin', headers: MERGE, body: { json: { metadata: { annotations: { why: 'parity' } } } } },
        { method: 'PATCH', path: `${rolebindings}/patched`, as: 'admin', headers: JSON_PATCH, body: { json: [{ op: 'remove', path: '/subjects/1' }] } },
        { method: 'PATCH', path: `${rolebindings}/patched`, as: 'admin', headers: STRATEGIC, body: { json: { subjects: [{ apiGroup: RBAC_GROUP, kind: 'Group', name: 'parity-devs' }] } } },
        { method: 'PATCH', path: `${rolebindings}/patched`, as: 'admin', headers: MERGE, body: { json: { roleRef: { name: 'parity-settings-reader' } } } },
      ],
      cleanup: [deleteBinding('patched')],
    },
    {
      name: 'clusterrole-update-and-patch',
      description: 'a ClusterRole updated, then merge-patched (labels) and JSON-patched (a rule replaced)',
      setup: [{ method: 'POST', path: `${RBAC}/clusterroles`, as: 'admin', body: clusterRole('parity-patched', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]) }],
      requests: [
        { method: 'PUT', path: `${RBAC}/clusterroles/parity-patched`, as: 'admin', body: clusterRole('parity-patched', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }, { nonResourceURLs: ['/patched'], verbs: ['get'] }]) },
        { method: 'PATCH', path: `${RBAC}/clusterroles/parity-patched`, as: 'admin', headers: MERGE, body: { json: { metadata: { labels: { tier: 'parity' } } } } },
        { method: 'PATCH', path: `${RBAC}/clusterroles/parity-patched`, as: 'admin', headers: JSON_PATCH, body: { json: [{ op: 'replace', path: '/rules/1', value: { nonResourceURLs: ['/other'], verbs: ['head'] } }] } },
      ],
      cleanup: [{ method: 'DELETE', path: `${RBAC}/clusterroles/parity-patched`, as: 'admin' }],
    },
    {
      name: 'role-patch-invalid',
      description: 'a patch that would make a Role invalid (a rule without verbs): 422; a malformed JSON patch: 400',
      setup: [{ method: 'POST', path: roles, as: 'admin', body: role('patch-invalid', configmapReader) }],
      requests: [
        { method: 'PATCH', path: `${roles}/patch-invalid`, as: 'admin', headers: JSON_PATCH, body: { json: [{ op: 'remove', path: '/rules/0/verbs' }] } },
        { method: 'PATCH', path: `${roles}/patch-invalid`, as: 'admin', headers: JSON_PATCH, body: { json: { op: 'remove' } } },
      ],
      cleanup: [deleteRole('patch-invalid')],
    },
    { name: 'role-rule-empty-verbs', description: 'a rule with verbs: []: 422', requests: [{ method: 'POST', path: roles, as: 'admin', body: role('empty-verbs', [{ apiGroups: [''], resources: ['pods'], verbs: [] }]) }], cleanup: [deleteRole('empty-verbs')] },
    { name: 'role-rule-empty', description: 'an empty rule: 422 and each cause', requests: [{ method: 'POST', path: roles, as: 'admin', body: role('empty-rule', [{}]) }], cleanup: [deleteRole('empty-rule')] },
    { name: 'role-rule-groups-without-resources', description: 'a rule with apiGroups and verbs but no resources: 422', requests: [{ method: 'POST', path: roles, as: 'admin', body: role('no-resources', [{ apiGroups: [''], verbs: ['get'] }]) }], cleanup: [deleteRole('no-resources')] },
    { name: 'role-rule-odd-verb', description: 'a verb no API has (frobnicate) is not validated: 201', requests: [{ method: 'POST', path: roles, as: 'admin', body: role('odd-verb', [{ apiGroups: [''], resources: ['pods'], verbs: ['frobnicate'] }]) }], cleanup: [deleteRole('odd-verb')] },
    { name: 'rolebinding-roleref-kind-wrong', description: 'a roleRef of kind Pod: 422 naming the supported values', requests: [{ method: 'POST', path: rolebindings, as: 'admin', body: binding('bad-kind', { apiGroup: RBAC_GROUP, kind: 'Pod', name: 'parity-dev' }, [user('bob')]) }], cleanup: [deleteBinding('bad-kind')] },
    { name: 'rolebinding-roleref-group-wrong', description: 'a roleRef in API group "": defaulted to rbac.authorization.k8s.io, 201', requests: [{ method: 'POST', path: rolebindings, as: 'admin', body: binding('bad-group', { apiGroup: '', kind: 'Role', name: 'parity-dev' }, [user('bob')]) }], cleanup: [deleteBinding('bad-group')] },
    { name: 'rolebinding-subject-kind-wrong', description: 'a subject of kind Robot: 422', requests: [{ method: 'POST', path: rolebindings, as: 'admin', body: binding('bad-subject', toRole('parity-dev'), [{ apiGroup: RBAC_GROUP, kind: 'Robot', name: 'r2' }]) }], cleanup: [deleteBinding('bad-subject')] },
    { name: 'rolebinding-user-group-wrong', description: 'a User subject in API group "": defaulted to rbac.authorization.k8s.io, 201', requests: [{ method: 'POST', path: rolebindings, as: 'admin', body: binding('bad-user-group', toRole('parity-dev'), [{ apiGroup: '', kind: 'User', name: 'bob' }]) }], cleanup: [deleteBinding('bad-user-group')] },
    { name: 'rolebinding-serviceaccount-without-namespace', description: 'a ServiceAccount subject with no namespace in a RoleBinding: allowed (the binding\'s namespace)', requests: [{ method: 'POST', path: rolebindings, as: 'admin', body: binding('sa-no-ns', toRole('parity-dev'), [{ kind: 'ServiceAccount', name: 'builder' }]) }], cleanup: [deleteBinding('sa-no-ns')] },
    {
      name: 'clusterrolebinding-serviceaccount-without-namespace',
      description: 'a ServiceAccount subject with no namespace in a ClusterRoleBinding: 422',
      requests: [{ method: 'POST', path: `${RBAC}/clusterrolebindings`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { metadata: { name: 'parity-sa-no-ns' }, roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'parity-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] }) }],
      cleanup: [{ method: 'DELETE', path: `${RBAC}/clusterrolebindings/parity-sa-no-ns`, as: 'admin' }],
    },
    { name: 'clusterrolebinding-to-role', description: 'a ClusterRoleBinding whose roleRef is a Role: 422', requests: [{ method: 'POST', path: `${RBAC}/clusterrolebindings`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { metadata: { name: 'parity-to-role' }, roleRef: toRole('parity-dev'), subjects: [user('bob')] }) }], cleanup: [{ method: 'DELETE', path: `${RBAC}/clusterrolebindings/parity-to-role`, as: 'admin' }] },
    { name: 'clusterrole-name-percent', description: 'a ClusterRole named a%b: 422', requests: [{ method: 'POST', path: `${RBAC}/clusterroles`, as: 'admin', body: clusterRole('a%b', configmapReader) }] },
    { name: 'clusterrole-name-dotdot', description: 'a ClusterRole named "..": 422', requests: [{ method: 'POST', path: `${RBAC}/clusterroles`, as: 'admin', body: clusterRole('..', configmapReader) }] },
    { name: 'clusterrole-name-uppercase-colon', description: 'RBAC names are path segments: Upper:Case is fine', requests: [{ method: 'POST', path: `${RBAC}/clusterroles`, as: 'admin', body: clusterRole('Parity:Upper', configmapReader) }], cleanup: [{ method: 'DELETE', path: `${RBAC}/clusterroles/Parity:Upper`, as: 'admin' }] },
    { name: 'rolebinding-name-slash', description: 'a RoleBinding named x/y: 422', requests: [{ method: 'POST', path: rolebindings, as: 'admin', body: binding('x/y', toRole('parity-dev'), [user('bob')]) }] },
    {
      name: 'escalate-verb-allows',
      description: 'bob, with create and escalate on Roles, creates a Role granting secrets he cannot read: 201',
      setup: bobMay('bob-escalates', [{ apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['create', 'escalate'] }]),
      requests: [{ method: 'POST', path: roles, as: 'bob', body: role('bob-escalated', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]) }],
      cleanup: [deleteRole('bob-escalated'), ...bobMayNot('bob-escalates')],
    },
    {
      name: 'escalate-verb-missing',
      description: 'bob, with create on Roles but no escalate, creates the same Role: 403',
      setup: bobMay('bob-creates', [{ apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['create'] }]),
      requests: [{ method: 'POST', path: roles, as: 'bob', body: role('bob-not-escalated', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]) }],
      cleanup: [deleteRole('bob-not-escalated'), ...bobMayNot('bob-creates')],
    },
    {
      name: 'bind-verb-allows',
      description: 'bob, with create on RoleBindings and bind on the cluster-admin ClusterRole, binds it: 201',
      setup: bobMay('bob-binds', [{ apiGroups: [RBAC_GROUP], resources: ['rolebindings'], verbs: ['create'] }, { apiGroups: [RBAC_GROUP], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }]),
      requests: [{ method: 'POST', path: rolebindings, as: 'bob', body: binding('bob-bound', { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'cluster-admin' }, [user('carol')]) }],
      cleanup: [deleteBinding('bob-bound'), ...bobMayNot('bob-binds')],
    },
    {
      name: 'bind-verb-other-name',
      description: 'bob may bind cluster-admin only: binding system:node-proxier is refused',
      setup: bobMay('bob-binds-one', [{ apiGroups: [RBAC_GROUP], resources: ['rolebindings'], verbs: ['create'] }, { apiGroups: [RBAC_GROUP], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }]),
      requests: [{ method: 'POST', path: rolebindings, as: 'bob', body: binding('bob-bound-other', { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'system:node-proxier' }, [user('carol')]) }],
      cleanup: [deleteBinding('bob-bound-other'), ...bobMayNot('bob-binds-one')],
    },
  ],
};
