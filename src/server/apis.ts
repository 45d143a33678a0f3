// ======================================================================================================
// THE API GROUPS, installed in one place (kube: the RESTStorageProviders that InstallAPIs walks in
// pkg/controlplane/instance.go). At the merge of issue 7 this block gives way to one install function per
// group (src/api/groups/); nothing else in startServer changes.
// ======================================================================================================
import { authenticationApi, type TokenReviewOptions } from '../api/authentication.js';
import { authorizationApi } from '../api/authorization.js';
import { EXPLAIN_PATH, serveExplain } from '../api/explain.js';
import { registerCoreAndRbacKinds, type AdmitHook } from '../api/kinds.js';
import type { ApiRegistry } from '../api/registry.js';
import { router } from '../api/router.js';
import { alwaysDeny } from '../authz/always.js';
import type { AuthorizerUnion } from '../authz/config.js';
import { rbacAdmission } from '../authz/rbac/admission.js';
import type { LivePolicy } from '../authz/rbac/live-policy.js';
import type { Authorizer } from '../authz/types.js';
import type { FileReloadLog } from '../authn/watched-file.js';
import type { KubeMiddleware } from '../request/state.js';
import type { ObjectStore } from '../store/object-store.js';

/** What the APIs need once the authorizer exists; `complete` returns the router that serves them all. */
export interface InstalledApis {
  complete(parts: {
    authorizers: AuthorizerUnion;
    live: LivePolicy;
    tokenReview: TokenReviewOptions;
    kubernetesVersion: string;
    /** host:port clients use, for discovery. */
    serverAddress: string;
  }): KubeMiddleware;
}

/**
 * Serves the core and RBAC kinds from the store at once (the live RBAC policy writes into it), and the review
 * APIs, explain and the router once `complete` gets the authorizer. RBAC's admission (escalation) and the
 * create check of a PUT that creates need the whole authorizer union, which needs the live policy: hence the
 * late binding.
 */
export function installApis(registry: ApiRegistry, store: ObjectStore, deps: { log: FileReloadLog; closers: (() => void)[] }): InstalledApis {
  let admit: AdmitHook = async () => undefined;
  let authorizer: Authorizer = alwaysDeny();
  const openWatches = new Set<() => void>();
  registerCoreAndRbacKinds(registry, store, {
    admit: (...args) => admit(...args),
    authorizer: { authorize: (attrs) => authorizer.authorize(attrs) },
    openWatches,
    log: deps.log,
  });
  deps.closers.push(() => {
    for (const close of [...openWatches]) close();
  });
  return {
    complete({ authorizers, live, tokenReview, kubernetesVersion, serverAddress }) {
      authorizer = authorizers.authorizer;
      admit = rbacAdmission({ authorizer: authorizers.authorizer, index: live.index });
      for (const gv of authenticationApi(tokenReview)) registry.add(gv);
      registry.add(authorizationApi(authorizers.authorizer, authorizers.ruleResolver));
      return router({
        registry,
        kubernetesVersion,
        serverAddress: () => serverAddress,
        nonResource: { [EXPLAIN_PATH]: (ctx) => serveExplain(ctx, { index: live.index, rbac: live.authorizer, chain: authorizers.authorizer }) },
      });
    },
  };
}
