// The API group tables (src/api/groups/): each stored kind is registered in the store once, served at its group
// version in the table's order, decodable from protobuf, and RBAC's policybased checks are attached to exactly the
// four RBAC kinds (pkg/registry/rbac/rest/storage_rbac.go wraps exactly those in policybased storage).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeKubeProtobuf, encodeKubeProtobuf } from '../../../src/api/codec/protobuf.js';
import { API_GROUPS, createApiStore, installApiGroups } from '../../../src/api/groups/index.js';
import { ApiRegistry } from '../../../src/api/registry.js';
import { groupVersionString } from '../../../src/apimachinery/group-version.js';
import { permissiveGroupDeps } from '../../helpers/api-groups.js';

const stored = API_GROUPS.flatMap((group) => (group.stored ? group.stored.kinds.map((kind) => ({ group: group.name, version: group.stored!.version, kind })) : []));

describe('API group tables', () => {
  test('createApiStore registers every stored kind, the very ResourceType of its table entry, and the initial namespaces', () => {
    const store = createApiStore();
    for (const { kind } of stored) assert.equal(store.typeFor(kind.type.group, kind.type.resource), kind.type, kind.type.resource);
    const namespaces = store.typeFor('', 'namespaces')!;
    assert.deepEqual(store.list(namespaces).items.map((n) => n.metadata.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  test('installApiGroups serves each group version with the table\'s kinds, in its order, which is discovery\'s (by name)', () => {
    const registry = new ApiRegistry();
    installApiGroups(registry, permissiveGroupDeps(createApiStore()));
    for (const group of API_GROUPS) {
      if (!group.stored) continue;
      const names = registry.groupVersion(group.name, group.stored.version)!.resources.map((r) => r.name);
      assert.deepEqual(names, group.stored.kinds.map((k) => k.type.resource));
      assert.deepEqual(names, [...names].sort(), `${group.name || 'core'} in discovery order`);
    }
    assert.deepEqual(registry.groups().map((g) => g.name), ['', 'rbac.authorization.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io']);
  });

  for (const { kind } of stored) {
    test(`${kind.type.resource}.${kind.type.group || 'core'}: kube's protobuf message for ${kind.type.kind} is known to the codec`, () => {
      const apiVersion = groupVersionString(kind.type);
      const body = encodeKubeProtobuf({ apiVersion, kind: kind.type.kind, metadata: { name: 'x' } });
      assert.deepEqual(decodeKubeProtobuf(body, { apiVersion, kind: kind.type.kind }), { kind: kind.type.kind, apiVersion, metadata: { name: 'x' } });
    });
  }

  test('own admission: exactly the four RBAC kinds', () => {
    const withAdmission = stored.filter(({ kind }) => kind.admission !== undefined).map(({ kind }) => kind.type.kind);
    assert.deepEqual(withAdmission.sort(), ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
  });
});
