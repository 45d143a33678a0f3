// startServer, read as a table of contents: options -> config -> new, as kube-apiserver's
// cmd/kube-apiserver/app/server.go goes from its options to a completed config to the running server.
import { createApiStore } from '../api/groups/index.js';
import { newAuthenticator } from '../authn/config.js';
import { newAuthorizer } from '../authz/config.js';
import { startLivePolicy } from '../authz/rbac/live-policy.js';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import { mintCredentials, type IdentityRequest } from '../kubeconfig/mint.js';
import { serveApis } from './apis.js';
import { openAudit } from './audit.js';
import { chainListener } from './chain.js';
import { completeConfig } from './config.js';
import { publishAuthenticationTrust } from '../api/groups/core/authentication-trust.js';
import { startControllers } from './controllers.js';
import { prepareDemoIdentities, type DemoIdentity } from './demo-identities.js';
import { listen, type Listener } from './listen.js';
import type { StartServerOptions } from './options.js';
import { rbacStoreOf } from './rbac-store.js';
import { issuerDiscoveryConfig, storeTokenGetter, tokenRequestConfig } from './service-accounts.js';
import { serviceAccountAccess, type InClusterFiles, type ServiceAccountTokenOptions } from './service-account-tokens.js';
import { tokenWebhookAuthentication } from './token-webhook.js';
import { newAuthorizationWebhook } from './authorization-webhook.js';
import { openUserTables } from './user-tables.js';
import { checkLiveViewOptions, openLiveView, type LiveView } from '../ui/index.js';

export type { StartServerOptions } from './options.js';
export type { InClusterFiles, ServiceAccountTokenOptions } from './service-account-tokens.js';
export { DEFAULT_API_AUDIENCES } from '../authn/config.js';

/** A running server. */
export interface KubeAuthMockServer {
  /** https://host:port */
  readonly url: string;
  readonly port: number;
  /** The CA clients must trust (PEM). */
  readonly caCert: string;
  /** The live view's page (http://127.0.0.1:PORT/) when started with `ui`; undefined otherwise. */
  readonly uiUrl: string | undefined;
  /** The PKI folder, when the server has one. */
  readonly pkiDir: string | undefined;
  /** The demo identities of the PKI folder (empty for an in-memory PKI). */
  readonly demoIdentities: readonly DemoIdentity[];
  /** Mints an identity the server accepts at once and returns a kubeconfig (YAML) for it. */
  kubeconfig(identity: IdentityRequest): Promise<string>;
  /** A token for the ServiceAccount "namespace/name", issued as TokenRequest issues it (kubectl create token). */
  serviceAccountToken(serviceAccount: string, options?: ServiceAccountTokenOptions): Promise<string>;
  /** A kubeconfig authenticating as the ServiceAccount "namespace/name" with such a token, its namespace as the context's. */
  serviceAccountKubeconfig(serviceAccount: string, options?: ServiceAccountTokenOptions): Promise<string>;
  /** Writes token, ca.crt and namespace into dir as the kubelet projects them, for code that uses in-cluster config. */
  inCluster(serviceAccount: string, dir: string, options?: ServiceAccountTokenOptions): Promise<InClusterFiles>;
  /** Writes the demo kubeconfigs, pointed at this server, when startServer deferred them (deferDemoKubeconfigs); else does nothing. */
  publishDemoKubeconfigs(): Promise<void>;
  /** Stops listening, ends idle keep-alive connections and releases file watchers. */
  stop(): Promise<void>;
}

/** Starts a kube-auth-mock server and resolves once it listens. */
export async function startServer(options: StartServerOptions = {}): Promise<KubeAuthMockServer> {
  // options -> config: flags checked, the PKI, the serving pair and the client CA loaded.
  const config = await completeConfig(options);
  const { log, pki } = config;
  const uiOptions = options.ui === true ? {} : options.ui === false || options.ui === undefined ? undefined : options.ui;
  if (uiOptions) checkLiveViewOptions(uiOptions);
  // File watchers and open watches, released on stop, or when start-up fails half-way.
  const closers: (() => void)[] = [];
  let listener: Listener | undefined;
  let liveView: LiveView | undefined;
  try {
    // Listen first: the demo kubeconfigs and discovery name the port. Until the chain is set, nothing is answered.
    listener = await listen(config.listen);
    // The demo secrets go in before the user tables open; their kubeconfigs are written once the server answers.
    const demos = config.storedPki ? await prepareDemoIdentities(config.storedPki) : undefined;
    const users = await openUserTables(config, closers);
    // The store comes before the authenticators: ServiceAccount and bootstrap tokens are checked against its objects.
    const store = createApiStore();
    const sa = config.serviceAccounts;
    closers.push(startControllers(store, { legacyGenerator: sa.legacyGenerator, rootCaPem: pki.ca.certPem }));
    // kube's cluster authentication trust controller: what an aggregated API server reads to trust our clients and proxy.
    publishAuthenticationTrust(store, { clientCaPem: config.clientCaPem, ...(config.requestHeader ? { requestHeader: config.requestHeader } : {}) });
    const getter = storeTokenGetter(store);
    const authn = newAuthenticator({
      anonymous: config.anonymousAuth,
      passwordSources: users.passwordSources,
      clientCaRoots: () => config.clientRoots,
      ...(config.requestHeader ? { requestHeader: { ...config.requestHeader, roots: () => config.requestHeader!.roots } } : {}),
      tokenSources: users.tokenSources,
      apiAudiences: config.apiAudiences,
      serviceAccounts: { publicKeys: sa.publicKeys, issuers: sa.issuers, lookup: sa.lookup, getter },
      ...(config.enableBootstrapTokenAuth ? { bootstrapTokenSecrets: getter } : {}),
      ...(config.tokenWebhook ? { tokenWebhook: tokenWebhookAuthentication(config.tokenWebhook, log) } : {}),
    });
    // RBAC's policy lives in the store: the bootstrap policy and the policy files are written into it.
    const live = await startLivePolicy(rbacStoreOf(store), { policyPaths: config.policyPaths, bootstrap: config.bootstrapPolicy, watch: config.watchFiles, log: config.fileLog });
    closers.push(() => live.close());
    const authorizers = newAuthorizer({
      modes: config.authorizationModes,
      rbac: live.authorizer,
      ...(config.authorizationWebhook ? { webhook: newAuthorizationWebhook(config.authorizationWebhook, options, log) } : {}),
    });
    const tokenRequest = tokenRequestConfig(sa, config.apiAudiences, config.kubernetesVersion);
    const serviceAccountIssuer = issuerDiscoveryConfig(sa);
    const handler = serveApis({ store, authorizers, live, authenticator: authn.requestAuthenticator, apiAudiences: config.apiAudiences, kubernetesVersion: config.kubernetesVersion, tokenRequest, serverAddress: listener.hostPort, log: config.fileLog, closers, serviceAccountIssuer });
    const audit = config.audit && openAudit(config.audit, log, closers);
    // The live view explains RBAC's decisions from the live index, when RBAC is one of the modes.
    if (uiOptions) liveView = await openLiveView(uiOptions, config.authorizationModes.includes('RBAC') ? () => live.index : undefined);
    listener.serve(chainListener({ log, ...(audit ? { audit } : {}), ...(liveView ? { liveView: liveView.capture } : {}), authenticator: authn.requestAuthenticator, challengeHeaders: authn.challengeHeaders, ...(authn.requestHeaders ? { requestHeaders: authn.requestHeaders } : {}), authorizer: authorizers.authorizer, handler }));

    const { url } = listener;
    let published = options.deferDemoKubeconfigs !== true;
    if (published) await demos?.publish(url);
    const demoIdentities: readonly DemoIdentity[] = demos?.identities ?? [];
    const running = listener;
    const ui = liveView;
    const serviceAccounts = serviceAccountAccess(store, tokenRequest, { url, caPem: pki.ca.certPem });
    return {
      url,
      port: listener.port,
      caCert: pki.ca.certPem,
      uiUrl: ui?.server.url,
      pkiDir: config.pkiDir,
      demoIdentities,
      async publishDemoKubeconfigs() {
        if (published) return;
        published = true;
        await demos?.publish(url);
      },
      async kubeconfig(identity) {
        const credentials = await mintCredentials(users.minted, identity);
        return renderKubeconfig({ server: url, caPem: pki.ca.certPem, userName: identity.user, credentials });
      },
      serviceAccountToken: (serviceAccount, options) => serviceAccounts.token(serviceAccount, options),
      serviceAccountKubeconfig: (serviceAccount, options) => serviceAccounts.kubeconfig(serviceAccount, options),
      inCluster: (serviceAccount, dir, options) => serviceAccounts.inCluster(serviceAccount, dir, options),
      stop() {
        for (const close of closers.splice(0)) close();
        return Promise.all([running.stop(), ui?.server.stop()]).then(() => undefined);
      },
    };
  } catch (err) {
    for (const close of closers) close();
    listener?.close();
    void liveView?.server.stop();
    throw err;
  }
}
