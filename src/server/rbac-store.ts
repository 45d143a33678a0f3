// The RBAC policy's view of the object store: kinds by name, writes that create or replace, and change
// events for the four RBAC kinds.
import { RBAC_GROUP } from '../apimachinery/group-version.js';
import type { RbacStore } from '../authz/rbac/live-policy.js';
import { RBAC_RESOURCES, type RbacKind, type RbacObject } from '../authz/rbac/types.js';
import { StatusError } from '../apimachinery/status.js';
import type { ObjectStore } from '../store/object-store.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { ResourceType } from '../store/types.js';


/** Adapts the object store to what live RBAC needs; the store must have the RBAC kinds and namespaces registered. */
export function rbacStoreOf(store: ObjectStore): RbacStore {
  const typeOf = (kind: RbacKind): ResourceType => {
    const type = store.typeFor(RBAC_GROUP, RBAC_RESOURCES[kind]);
    if (type === undefined) throw new Error(`the object store does not serve ${RBAC_RESOURCES[kind]}.${RBAC_GROUP}`);
    return type;
  };
  const namespaces = store.typeFor('', 'namespaces');
  const ensureNamespace = (name: string): void => {
    // Policy files may name namespaces nobody created yet; they are created, as `kubectl create ns` would.
    if (namespaces && store.find(namespaces, '', name) === undefined) {
      store.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  };
  return {
    list: (kind) => store.list(typeOf(kind)).items,
    put(obj: RbacObject) {
      const type = typeOf(obj.kind);
      const namespace = type.namespaced ? (obj.metadata.namespace ?? '') : '';
      const { resourceVersion: _ignored, ...metadata } = obj.metadata;
      const input = { ...obj, metadata } as KubeObject;
      if (store.find(type, namespace, obj.metadata.name ?? '') !== undefined) {
        store.update(type, input);
        return;
      }
      if (namespace !== '') ensureNamespace(namespace);
      store.create(type, input);
    },
    remove(kind, namespace, name) {
      try {
        store.delete(typeOf(kind), namespace, name);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    },
    onChange: (listener) => store.onChange((c) => {
      if (c.event.type === 'ADDED' || c.event.type === 'MODIFIED' || c.event.type === 'DELETED') listener(c.event.type, c.event.object);
    }),
  };
}
