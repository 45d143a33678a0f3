// Impersonation: each header kind allowed (admin, system:masters) and refused (alice may not impersonate).
import type { ScenarioGroup } from '../scenario.js';
import { whoami } from './common.js';

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
  ],
};
