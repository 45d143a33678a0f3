// The ServiceAccounts controller of kube-controller-manager (pkg/controller/serviceaccount/
// serviceaccounts_controller.go): every active namespace has a "default" ServiceAccount; one created with the
// namespace, and one deleted is made again. It runs on the store's change events, within the write that caused
// them, so a namespace answered as created already has its ServiceAccount.
import type { KubeObject } from '../../../apimachinery/object.js';
import { recordOf } from '../../../apimachinery/json-value.js';
import type { ObjectStore } from '../../../store/object-store.js';
import type { ResourceType } from '../../../store/types.js';

/** The ServiceAccounts every namespace gets (the controller's --service-account names: only "default"). */
export const DEFAULT_SERVICE_ACCOUNTS: readonly string[] = ['default'];

function active(ns: KubeObject | undefined): boolean {
  return ns !== undefined && ns.metadata.deletionTimestamp === undefined && recordOf(ns.status).phase !== 'Terminating';
}

/** Starts the controller over the namespaces already in the store and every change after; returns its stop. */
export function startServiceAccountController(store: ObjectStore, namespaces: ResourceType, serviceAccounts: ResourceType): () => void {
  const ensure = (namespace: string): void => {
    if (!active(store.find(namespaces, '', namespace))) return;
    for (const name of DEFAULT_SERVICE_ACCOUNTS) {
      if (store.find(serviceAccounts, namespace, name) !== undefined) continue;
      store.create(serviceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
    }
  };
  for (const ns of store.list(namespaces).items) ensure(ns.metadata.name ?? '');
  return store.onChange(({ type, event }) => {
    if (type === namespaces && event.type === 'ADDED') ensure(event.object.metadata.name ?? '');
    else if (type === serviceAccounts && event.type === 'DELETED' && DEFAULT_SERVICE_ACCOUNTS.includes(event.object.metadata.name ?? '')) {
      ensure(event.object.metadata.namespace ?? '');
    }
  });
}
