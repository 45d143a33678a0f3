// The namespace controller of kube-controller-manager (pkg/controller/namespace/namespace_controller.go and
// deletion/namespaced_resources_deleter.go), as far as a store without finalizers on other objects needs it: a
// namespace marked Terminating has everything in it deleted, kind by kind, then is deleted itself. It runs on
// the store's change events, within the write that marked the namespace, so a DELETE of a namespace has
// finished by the time its answer is sent and nothing ever sees it half emptied.
import type { ObjectStore } from '../../../store/object-store.js';
import type { ResourceType } from '../../../store/types.js';

/**
 * Starts the controller: `namespaces` is the Namespace kind, `namespacedKinds` every namespaced kind the store
 * holds (kube's controller asks discovery for them). Returns the function that stops it.
 */
export function startNamespaceController(store: ObjectStore, namespaces: ResourceType, namespacedKinds: readonly ResourceType[]): () => void {
  return store.onChange(({ type, event }) => {
    if (type !== namespaces || event.type === 'DELETED' || event.object.metadata.deletionTimestamp === undefined) return;
    const name = event.object.metadata.name ?? '';
    if (store.find(namespaces, '', name) === undefined) return;
    // deleteAllContent: every kind in turn, each in key order, then the namespace (its finalizer done).
    for (const kind of namespacedKinds) {
      for (const obj of store.list(kind, { namespace: name }).items) store.delete(kind, name, obj.metadata.name ?? '');
    }
    store.delete(namespaces, '', name);
  });
}
