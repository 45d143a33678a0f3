// Impersonation: each header kind allowed (admin, system:masters) and refused (alice may not impersonate).
import type { ScenarioGroup, UnrecordedRequest } from '../scenario.js';
import { RBAC, typed, whoami } from './common.js';

/** alice may impersonate the user bob and nothing else (resourceNames): a ClusterRole and its binding. */
const ALICE_AS_BOB: UnrecordedRequest[] = [
  { method: 'POST', path: `${RBAC}/clusterroles`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'ClusterRole', { metadata: { name: 'parity-impersonate-bob' }, rules: [{ apiGroups: [''], resources: ['users'], resourceNames: ['bob'], verbs: ['impersonate'] }] }) },
  { method: 'POST', path: `${RBAC}/clusterrolebindings`, as: 'admin', body: typed('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { metadata: { name: 'parity-impersonate-bob' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'parity-impersonate-bob' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] }) },
];
const ALICE_AS_BOB_CLEANUP: UnrecordedRequest[] = [
  { method: 'DELETE', path: `${RBAC}/clusterrolebindings/parity-impersonate-bob`, as: 'admin' },
  { method: 'DELETE', path: `${RBAC}/clusterroles/parity-impersonate-bob`, as: 'admin' },
];

export const impersonation: ScenarioGroup = {
  group: 'impersonation',
  scenarios: [
    { name: 'user', description: 'admin as alice: who the server then sees', requests: [whoami('admin', 'v1', { 'Impersonate-User': 'alice' })] },
    { name: 'user-and-groups', description: 'admin as alice in two groups', requests: [whoami('admin', 'v1', { 'Impersonate-User': 'alice', 'Impersonate-Group': 'g1, g2' })] },
    { name: 'user-uid-extra', description: 'admin as alice with a UID and an extra', requests: [whoami('admin', 'v1', { 'Impersonate-User': 'alice', 'Impersonate-Uid': 'u-123', 'Impersonate-Extra-Scopes': 'view' })] },
    { name: 'service-account', description: 'admin as a ServiceAccount: its groups are added', requests: [whoami('admin', 'v1', { 'Impersonate-User': 'system:serviceaccount:parity:builder' })] },
    { name: 'group-without-user', description: 'Impersonate-Group without Impersonate-User', requests: [whoami('admin', 'v1', { 'Impersonate-Group': 'g1' })] },
    { name: 'uid-without-user', description: 'Impersonate-Uid without Impersonate-User', requests: [whoami('admin', 'v1', { 'Impersonate-Uid': 'u-123' })] },
    { name: 'refused-user', description: 'alice may not impersonate: 403 naming the user', requests: [whoami('alice', 'v1', { 'Impersonate-User': 'bob' })] },
    { name: 'refused-group', description: 'jane may not impersonate a group: 403 naming the group', requests: [whoami('jane', 'v1', { 'Impersonate-User': 'jane', 'Impersonate-Group': 'system:masters' })] },
    { name: 'impersonated-forbidden', description: "admin as bob: bob's own 403", requests: [{ method: 'GET', path: '/api/v1/namespaces', as: 'admin', headers: { 'Impersonate-User': 'bob' } }] },
    { name: 'service-account-forbidden', description: "admin as a ServiceAccount: the 403 names system:serviceaccount:parity:builder", requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/secrets', as: 'admin', headers: { 'Impersonate-User': 'system:serviceaccount:parity:builder' } }] },
    { name: 'user-with-bound-group', description: 'admin as bob in group parity-readers: the group grants the list', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'admin', headers: { 'Impersonate-User': 'bob', 'Impersonate-Group': 'parity-readers' } }] },
    { name: 'extra-several-values', description: 'admin as alice with an extra of two values and a percent-encoded key', requests: [whoami('admin', 'v1', { 'Impersonate-User': 'alice', 'Impersonate-Extra-Scopes': 'view, edit', 'Impersonate-Extra-acme.com%2Fproject': 'p1' })] },
    { name: 'refused-service-account', description: 'alice may not impersonate a ServiceAccount: 403 naming serviceaccounts', requests: [whoami('alice', 'v1', { 'Impersonate-User': 'system:serviceaccount:parity:builder' })] },
    { name: 'refused-extra', description: 'alice, who may impersonate bob only, as bob with an extra: 403 naming userextras', setup: ALICE_AS_BOB, requests: [whoami('alice', 'v1', { 'Impersonate-User': 'bob', 'Impersonate-Extra-Scopes': 'view' })], cleanup: ALICE_AS_BOB_CLEANUP },
    { name: 'refused-uid', description: 'alice, who may impersonate bob only, as bob with a UID: 403 naming uids', setup: ALICE_AS_BOB, requests: [whoami('alice', 'v1', { 'Impersonate-User': 'bob', 'Impersonate-Uid': 'u-1' })], cleanup: ALICE_AS_BOB_CLEANUP },
    { name: 'refused-group-of-allowed-user', description: 'alice, who may impersonate bob only, as bob in a group: 403 naming groups', setup: ALICE_AS_BOB, requests: [whoami('alice', 'v1', { 'Impersonate-User': 'bob', 'Impersonate-Group': 'parity-readers' })], cleanup: ALICE_AS_BOB_CLEANUP },
    {
      name: 'allowed-by-resource-name',
      description: 'alice may impersonate user bob only (resourceNames): as bob, then as jane (403)',
      setup: ALICE_AS_BOB,
      requests: [whoami('alice', 'v1', { 'Impersonate-User': 'bob' }), whoami('alice', 'v1', { 'Impersonate-User': 'jane' })],
      cleanup: ALICE_AS_BOB_CLEANUP,
    },
  ],
};
