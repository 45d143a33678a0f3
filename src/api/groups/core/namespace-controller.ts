// The namespace controller of kube-controller-manager (pkg/controller/namespace/namespace_controller.go and
// deletion/namespaced_resources_deleter.go), as far as a store without finalizers on other objects needs it: a
// namespace marked Terminating has everything in it deleted, kind by kind, then is deleted itself. It runs on
// the store's change events, within the write that marked the namespace, so a DELETE of a namespace has
// finished by the time its answer is sent and nothing ever sees it half emptied.
import type { KubeObject } from '../../../apimachinery/object.js';
import { recordOf } from '../../../apimachinery/json-value.js';
import type { ObjectStore } from '../../../store/object-store.js';
import type { ResourceType } from '../../../store/types.js';

/**
 * Starts the controller: `namespaces` is the Namespace kind, `namespacedKinds` every namespaced kind the store
 * holds (kube's controller asks discovery for them). Returns the function that stops it.
 */
export function startNamespaceController(store: ObjectStore, namespaces: ResourceType, namespacedKinds: readonly ResourceType[]): () => void {
  const namespaced = new Set(namespacedKinds);
  const goneOrTerminating = (name: string): boolean => {
    const ns = store.find(namespaces, '', name);
    return ns === undefined || ns.metadata.deletionTimestamp !== undefined || recordOf(ns.status).phase === 'Terminating';
  };
  return store.onChange(({ type, event }) => {
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    if (namespaced.has(type)) {
      // Content written after its namespace was marked: a create admitted while the namespace was Active whose
      // admission awaited (RBAC's escalation check) past the namespace's deletion. kube's controller finds it on
      // its next pass of deleteAllContent, which finalizes the namespace only once it is empty; this controller
      // empties the namespace at once, so it deletes such content when it arrives.
      if (event.type === 'ADDED') deleteIfOrphaned(store, type, event.object, goneOrTerminating);
      return;
    }
    if (type !== namespaces || event.object.metadata.deletionTimestamp === undefined) return;
    const name = event.object.metadata.name ?? '';
    if (store.find(namespaces, '', name) === undefined) return;
    // deleteAllContent: every kind in turn, each in key order, then the namespace (its finalizer done).
    for (const kind of namespacedKinds) {
      for (const obj of store.list(kind, { namespace: name }).items) store.delete(kind, name, obj.metadata.name ?? '');
    }
    store.delete(namespaces, '', name);
  });
}

function deleteIfOrphaned(store: ObjectStore, type: ResourceType, obj: KubeObject, goneOrTerminating: (name: string) => boolean): void {
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  if (namespace === '' || !goneOrTerminating(namespace)) return;
  if (store.find(type, namespace, name)?.metadata.uid !== obj.metadata.uid) return;
  store.delete(type, namespace, name);
}
