// The controllers of kube-controller-manager that this mock runs beside its API, on the store's change events:
// the ServiceAccounts controller (a default ServiceAccount in every namespace) and the tokens controller (legacy
// token Secrets filled in). kube-apiserver alone runs neither; a cluster always has them.
import { startServiceAccountController } from '../api/groups/core/serviceaccount-controller.js';
import { startTokensController } from '../api/groups/core/tokens-controller.js';
import type { TokenGenerator } from '../authn/serviceaccount/generator.js';
import type { ObjectStore } from '../store/object-store.js';

export interface ControllersConfig {
  /** Signs legacy tokens (issuer kubernetes/serviceaccount). */
  legacyGenerator: TokenGenerator;
  /** The CA written as a token Secret's ca.crt. */
  rootCaPem: string;
}

/** Starts the controllers over what the store holds; returns the function that stops them. */
export function startControllers(store: ObjectStore, config: ControllersConfig): () => void {
  const kind = (resource: string) => {
    const type = store.typeFor('', resource);
    if (type === undefined) throw new Error(`the store holds no core ${resource}`);
    return type;
  };
  const [namespaces, serviceAccounts, secrets] = [kind('namespaces'), kind('serviceaccounts'), kind('secrets')];
  const stops = [
    startServiceAccountController(store, namespaces, serviceAccounts),
    startTokensController(store, { secrets, serviceAccounts, legacyGenerator: config.legacyGenerator, rootCaPem: config.rootCaPem }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
