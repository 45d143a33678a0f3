// The core group, "" v1 at /api/v1: the kinds kube-apiserver's legacy storage serves that this mock stores, in
// discovery's order (by name). Source: pkg/registry/core/rest/storage_core.go.
import { configMapPrinter, configMapType } from './core/configmaps.js';
import { startNamespaceController } from './core/namespace-controller.js';
import { createInitialNamespaces, deleteNamespace, namespacePrinter, namespaceType } from './core/namespaces.js';
import { nodePrinter, nodeType } from './core/nodes.js';
import { podPrinter, podType } from './core/pods.js';
import { secretPrinter, secretType } from './core/secrets.js';
import { serviceAccountTokenResource } from './core/serviceaccount-token.js';
import { serviceAccountPrinter, serviceAccountType } from './core/serviceaccounts.js';
import type { ApiGroup } from './group.js';

/** core/v1. */
export const coreGroup: ApiGroup = {
  name: '',
  stored: {
    version: 'v1',
    kinds: [
      { type: configMapType, printer: configMapPrinter },
      { type: namespaceType, printer: namespacePrinter, delete: deleteNamespace },
      { type: nodeType, printer: nodePrinter },
      { type: podType, printer: podPrinter },
      { type: secretType, printer: secretPrinter },
      {
        type: serviceAccountType,
        printer: serviceAccountPrinter,
        subresources: (deps) => (deps.tokenRequest ? [serviceAccountTokenResource(deps.store, deps.tokenRequest)] : []),
      },
    ],
  },
  startStorage(store, kinds) {
    createInitialNamespaces(store);
    startNamespaceController(store, namespaceType, kinds.filter((k) => k.namespaced));
  },
};
