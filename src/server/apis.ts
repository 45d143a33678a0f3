// The API groups and the non-resource paths, served over the store once the authorizer exists (kube: the
// RESTStorageProviders that InstallAPIs walks in pkg/controlplane/instance.go). Groups are listed in
// src/api/groups/index.ts; this only hands them what they need.
import { EXPLAIN_PATH, serveExplain } from '../api/explain.js';
import { installApiGroups } from '../api/groups/index.js';
import { ApiRegistry } from '../api/registry.js';
import { buildOpenIdMetadata, openIdMetadataRoutes, type IssuerDiscoveryConfig } from '../api/openid-metadata.js';
import { router } from '../api/router.js';
import type { TokenRequestConfig } from '../api/groups/core/serviceaccount-token.js';
import type { RequestAuthenticator } from '../authn/types.js';
import type { AuthorizerUnion } from '../authz/config.js';
import type { LivePolicy } from '../authz/rbac/live-policy.js';
import type { KubeMiddleware } from '../request/state.js';
import type { ObjectStore } from '../store/object-store.js';
import type { FileReloadLog } from '../util/watched-file.js';

/** What serving the APIs needs. */
export interface ApisConfig {
  store: ObjectStore;
  authorizers: AuthorizerUnion;
  live: LivePolicy;
  /**
   * The server's request authenticator: kube's TokenReview storage asks it about a request carrying only
   * `Authorization: Bearer <token>`, so a review answers what the bearer path would.
   */
  authenticator: RequestAuthenticator;
  /** --api-audiences: what a TokenReview naming none checks the token against. */
  apiAudiences: readonly string[];
  kubernetesVersion: string;
  /** TokenRequest's signer and settings. */
  tokenRequest?: TokenRequestConfig;
  /** host:port clients use, for discovery. */
  serverAddress: string;
  log: FileReloadLog;
  /** Where the open watches' closers go, for stop(). */
  closers: (() => void)[];
  /** ServiceAccount issuer discovery (/.well-known/openid-configuration, /openid/v1/jwks); unset serves neither. */
  serviceAccountIssuer?: IssuerDiscoveryConfig;
}

/** Installs every API group and returns the router that serves them, discovery, /version, health and explain. */
export function serveApis(c: ApisConfig): KubeMiddleware {
  const registry = new ApiRegistry();
  const openWatches = new Set<() => void>();
  c.closers.push(() => {
    for (const close of [...openWatches]) close();
  });
  installApiGroups(registry, {
    store: c.store,
    authorizer: c.authorizers.authorizer,
    ruleResolver: c.authorizers.ruleResolver,
    rbacIndex: c.live.index,
    tokenReviewAuthenticator: c.authenticator,
    apiAudiences: c.apiAudiences,
    ...(c.tokenRequest ? { tokenRequest: c.tokenRequest } : {}),
    openWatches,
    log: c.log,
  });
  // kube (pkg/controlplane/apiserver/server.go) logs why discovery cannot be built and goes on without its routes.
  const discovery = c.serviceAccountIssuer && buildOpenIdMetadata(c.serviceAccountIssuer, c.serverAddress);
  if (discovery && !discovery.ok) c.log.warn(`Could not construct pre-rendered responses for ServiceAccountIssuerDiscovery endpoints. Endpoints will not be enabled. Error: ${discovery.error}`);
  return router({
    registry,
    kubernetesVersion: c.kubernetesVersion,
    serverAddress: () => c.serverAddress,
    nonResource: {
      [EXPLAIN_PATH]: (ctx) => serveExplain(ctx, { index: c.live.index, authorizer: c.authorizers.authorizer }),
      ...(discovery?.ok ? openIdMetadataRoutes(discovery.metadata) : {}),
    },
  });
}
