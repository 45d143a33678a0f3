import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import Koa from 'koa';
import { authenticationApi } from '../api/authentication.js';
import { ApiRegistry } from '../api/registry.js';
import { router } from '../api/router.js';
import { DEFAULT_KUBERNETES_VERSION } from '../api/version.js';
import { anonymousAuthenticator } from '../authn/anonymous.js';
import { bearerTokenAuthenticator } from '../authn/bearer-token.js';
import { authenticatedGroupAdder, tokenAuthenticatedGroupAdder } from '../authn/group-adder.js';
import { BASIC_AUTH_CHALLENGE, basicAuthAuthenticator, emptyPasswordTable, openPasswordFile, type PasswordTable } from '../authn/password-file.js';
import type { UserSource } from '../authn/static-users.js';
import { emptyTokenTable, openTokenFile, staticTokenAuthenticator, type TokenTable } from '../authn/token-file.js';
import type { RequestAuthenticator } from '../authn/types.js';
import { union } from '../authn/union.js';
import { x509Authenticator } from '../authn/x509.js';
import { alwaysDeny } from '../authz/always.js';
import { buildAuthorizer, DEFAULT_AUTHORIZATION_MODE, parseAuthorizationModes } from '../authz/modes.js';
import type { Authorizer } from '../authz/types.js';
import { rbacAdmission } from '../authz/rbac/admission.js';
import { loadBootstrapPolicy } from '../authz/rbac/bootstrap.js';
import { startLivePolicy } from '../authz/rbac/live-policy.js';
import { authorizationApi } from '../api/authorization.js';
import { EXPLAIN_PATH, serveExplain } from '../api/explain.js';
import { registerCoreAndRbacKinds, type AdmitHook } from '../api/kinds.js';
import { ObjectStore } from '../store/object-store.js';
import { rbacStoreOf } from './rbac-store.js';
import { ListenError, PkiError } from '../util/errors.js';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import { mintCredentials, type IdentityRequest, type IdentityStore } from '../kubeconfig/mint.js';
import { createInMemoryPki, issueClient, loadOrInitPki, type Pki, type StoredPki } from '../pki/index.js';
import type { KubeState } from '../request/state.js';
import { buildHandlerChain } from './chain.js';
import { defaultAuthFiles, ensureDemoIdentities, type DemoIdentity } from './demo-identities.js';
import { serveHttp1 } from './http1.js';
import { createLogger, type LogFormat, type Logger } from '../util/log.js';
import { checkServingPair, checkTlsAccepts } from './serving-cert.js';
import { GO_DEFAULT_CIPHERS, parseCertificateBundle } from './tls.js';

/** Options of startServer; each mirrors the kube-apiserver flag named beside it. */
export interface StartServerOptions {
  /** --secure-port; 0 picks a free port. Default 0 (the CLI defaults to 6443). */
  port?: number;
  /** --bind-address. Default 127.0.0.1. */
  bindAddress?: string;
  /** --pki-dir: keep the PKI, the demo identities and their kubeconfigs in this folder (created on first use). Default: an in-memory PKI. */
  pkiDir?: string;
  /** A PKI made beforehand (createInMemoryPki), so a test can sign odd client certificates with the server's CA. Wins over pkiDir. */
  pki?: Pki;
  /** --tls-san: extra names and addresses for the serving certificate. */
  tlsSans?: string[];
  /** --tls-cert-file and --tls-private-key-file: serve with this certificate instead of the PKI's. */
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  /** --client-ca-file: trust client certificates signed by these CAs instead of the PKI's CA. */
  clientCaFile?: string;
  /** --token-auth-file. Default with pkiDir: its token-auth-file.csv. */
  tokenAuthFile?: string;
  /** --basic-auth-file. Default with pkiDir: its basic-auth-file.csv. */
  basicAuthFile?: string;
  /** --anonymous-auth. Default true. */
  anonymousAuth?: boolean;
  /** --authorization-mode, a comma list of RBAC, AlwaysAllow, AlwaysDeny. Default "RBAC". */
  authorizationMode?: string;
  /** --policy-dir and --rbac-file: RBAC objects as Kubernetes YAML, loaded at start and re-read when they change. */
  policyPaths?: string[];
  /** Load kube-apiserver's bootstrap ClusterRoles and ClusterRoleBindings. Default true. */
  bootstrapPolicy?: boolean;
  /** The version /version reports. */
  kubernetesVersion?: string;
  /** --api-audiences: the audiences TokenReview assumes when a review names none. */
  apiAudiences?: string[];
  /** A logger, or the format of one on stderr. Default: silent. */
  log?: Logger | LogFormat;
  /** Re-read the token, password and policy files when they change. Default true. */
  watchFiles?: boolean;
}

/** A running server. */
export interface KubeAuthMockServer {
  /** https://host:port */
  readonly url: string;
  readonly port: number;
  /** The CA clients must trust (PEM). */
  readonly caCert: string;
  /** The PKI folder, when the server has one. */
  readonly pkiDir: string | undefined;
  /** The demo identities of the PKI folder (empty for an in-memory PKI). */
  readonly demoIdentities: readonly DemoIdentity[];
  /** Mints an identity the server accepts at once and returns a kubeconfig (YAML) for it. */
  kubeconfig(identity: IdentityRequest): Promise<string>;
  /** Stops listening, ends idle keep-alive connections and releases file watchers. */
  stop(): Promise<void>;
}

/** The audiences kubeadm's default --service-account-issuer implies. */
export const DEFAULT_API_AUDIENCES = ['https://kubernetes.default.svc.cluster.local'];

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new PkiError(file, 'PKI_UNREADABLE', `cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Starts a kube-auth-mock server and resolves once it listens. */
export async function startServer(options: StartServerOptions = {}): Promise<KubeAuthMockServer> {
  const log = typeof options.log === 'object' ? options.log : createLogger(options.log ?? 'silent');
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  // Parse the bootstrap policy while the PKI's keys are generated on other threads (it is cached per process).
  if (options.bootstrapPolicy !== false) loadBootstrapPolicy().catch(() => undefined);
  // File watchers to release on stop, or when start-up fails half-way.
  const closers: (() => void)[] = [];
  let listening: Server | undefined;
  try {
    const storedPki: StoredPki | undefined = options.pkiDir && !options.pki ? await loadOrInitPki(options.pkiDir, { sans: options.tlsSans ?? [] }) : undefined;
    const pki: Pki = options.pki ?? storedPki ?? (await createInMemoryPki({ sans: options.tlsSans ?? [] }));
    const servingCertPem = options.tlsCertFile ? await readPem(options.tlsCertFile, 'the serving certificate') : pki.serving.certPem;
    const servingKeyPem = options.tlsPrivateKeyFile ? await readPem(options.tlsPrivateKeyFile, 'the serving key') : pki.serving.keyPem;
    const clientCaPem = options.clientCaFile ? await readPem(options.clientCaFile, 'the client CA bundle') : pki.ca.certPem;
    const pkiFile = (name: string): string => (options.pkiDir ? join(options.pkiDir, name) : `the PKI's ${name}`);
    const servingCert = { file: options.tlsCertFile ?? pkiFile('apiserver.crt'), pem: servingCertPem };
    const servingKey = { file: options.tlsPrivateKeyFile ?? pkiFile('apiserver.key'), pem: servingKeyPem };
    if (options.tlsCertFile || options.tlsPrivateKeyFile) checkServingPair(servingCert, servingKey);
    let clientRoots: X509Certificate[];
    try {
      clientRoots = parseCertificateBundle(clientCaPem);
    } catch (err) {
      throw new PkiError(options.clientCaFile ?? 'ca.crt', 'PKI_CORRUPT', `is not a valid PEM certificate bundle (${(err as Error).message})`);
    }
    if (clientRoots.length === 0) throw new PkiError(options.clientCaFile ?? 'ca.crt', 'PKI_CORRUPT', 'no PEM certificate found');
    checkTlsAccepts(servingCert, servingKey, { file: options.clientCaFile ?? pkiFile('ca.crt'), pem: clientCaPem });

    // Static users: tables minted in memory (server.kubeconfig) first, then the files.
    const fileReloadLog = { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m) };
    const defaults = options.pkiDir ? defaultAuthFiles(options.pkiDir) : undefined;
    const watch = { watch: options.watchFiles !== false };
    const mintedTokens = emptyTokenTable();
    const mintedPasswords = emptyPasswordTable();
    const tokenSources: UserSource<TokenTable>[] = [{ current: mintedTokens }];
    const passwordSources: UserSource<PasswordTable>[] = [{ current: mintedPasswords }];
    const tokenFile = options.tokenAuthFile ?? defaults?.tokenFile;
    const passwordFile = options.basicAuthFile ?? defaults?.passwordFile;
    let demoIdentities: DemoIdentity[] = [];

    const app = new Koa<KubeState>();
    app.silent = true;
    let handle: RequestListener = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    const server: Server = createServer(
      {
        key: servingKeyPem,
        cert: servingCertPem,
        ca: clientCaPem,
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
        // Go's server picks from its own preference order, among its default suites.
        ciphers: GO_DEFAULT_CIPHERS,
        honorCipherOrder: true,
        // kube-apiserver accepts 1 MiB of headers (MaxHeaderBytes); node's default is 16 KiB.
        maxHeaderSize: 1 << 20,
      },
    );
    // Go's net/http limits header bytes only (above), never their number; node silently drops every header
    // past maxHeadersCount (2000 by default), which could drop an Impersonate-User or Authorization header.
    server.maxHeadersCount = 0;
    // The chain is built once the port is known (discovery and the demo kubeconfigs name it);
    // nothing is answered before startServer resolves.
    serveHttp1(server, (req, res) => handle(req, res));
    const sockets = new Set<Socket>();
    // Connections still in their TLS handshake: server.close() waits for them (node's handshakeTimeout is 120 s),
    // and they hold no request, so stop() ends them at once.
    const handshaking = new Set<Socket>();
    server.on('connection', (raw: Socket) => {
      handshaking.add(raw);
      raw.once('close', () => handshaking.delete(raw));
    });
    server.on('secureConnection', (socket: Socket) => {
      // node's TLSSocket keeps the TCP socket it wraps as _parent.
      const raw = (socket as Socket & { _parent?: Socket | null })._parent;
      if (raw) handshaking.delete(raw);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    // A client that fails the handshake is its own problem; it must not become an unhandled error.
    server.on('tlsClientError', (err) => log.debug({ err: err.message }, 'TLS handshake failed'));

    listening = server;
    await new Promise<void>((resolve, reject) => {
      // kube-apiserver's words (options/serving.go, CreateListener): one line that names the address.
      const failed = (err: NodeJS.ErrnoException): void =>
        reject(new ListenError(`failed to create listener: failed to listen on ${bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress}:${options.port ?? 0}: ${err.message}`, err.code));
      server.once('error', failed);
      server.listen(options.port ?? 0, bindAddress, () => {
        server.off('error', failed);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const host = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress;
    const url = `https://${host}:${port}`;

    if (storedPki) demoIdentities = await ensureDemoIdentities(storedPki, url);
    if (tokenFile) {
      const file = await openTokenFile(tokenFile, fileReloadLog, watch);
      closers.push(() => file.close());
      tokenSources.push(file);
    }
    if (passwordFile) {
      const file = await openPasswordFile(passwordFile, fileReloadLog, watch);
      closers.push(() => file.close());
      passwordSources.push(file);
    }

    const tokenAuthenticator = staticTokenAuthenticator(tokenSources);
    // kube 1.18's order: basic auth, x509, then bearer tokens (pkg/kubeapiserver/authenticator/config.go).
    const authenticated: RequestAuthenticator = authenticatedGroupAdder(
      union([basicAuthAuthenticator(passwordSources), x509Authenticator({ roots: () => clientRoots }), bearerTokenAuthenticator(tokenAuthenticator)]),
    );
    const authenticator = options.anonymousAuth === false ? authenticated : union([authenticated, anonymousAuthenticator()], { failOnError: true });
    // The object store serves the core and RBAC kinds; RBAC reads its policy from it, and its writes are
    // checked by RBAC's admission (escalation), which needs the whole authorizer chain: hence the late binding.
    const store = new ObjectStore();
    const registry = new ApiRegistry();
    let admit: AdmitHook = async () => undefined;
    let authorizer: Authorizer = alwaysDeny();
    const openWatches = new Set<() => void>();
    registerCoreAndRbacKinds(registry, store, {
      admit: (...args) => admit(...args),
      authorizer: { authorize: (attrs) => authorizer.authorize(attrs) },
      openWatches,
      log: fileReloadLog,
    });
    closers.push(() => {
      for (const close of [...openWatches]) close();
    });
    const live = await startLivePolicy(rbacStoreOf(store), {
      policyPaths: options.policyPaths ?? [],
      bootstrap: options.bootstrapPolicy !== false,
      watch: options.watchFiles !== false,
      log: fileReloadLog,
    });
    closers.push(() => live.close());
    const chain = buildAuthorizer(parseAuthorizationModes(options.authorizationMode ?? DEFAULT_AUTHORIZATION_MODE), { rbac: live.authorizer });
    authorizer = chain.authorizer;
    admit = rbacAdmission({ authorizer: chain.authorizer, index: live.index });
    for (const gv of authenticationApi({ tokenAuthenticator: tokenAuthenticatedGroupAdder(tokenAuthenticator), apiAudiences: options.apiAudiences ?? DEFAULT_API_AUDIENCES })) {
      registry.add(gv);
    }
    registry.add(authorizationApi(chain.authorizer, chain.ruleResolver));
    app.use(
      buildHandlerChain({
        log,
        authenticator,
        challengeHeaders: { 'WWW-Authenticate': BASIC_AUTH_CHALLENGE },
        authorizer: chain.authorizer,
        handler: router({
          registry,
          kubernetesVersion: options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
          serverAddress: () => `${host}:${port}`,
          nonResource: { [EXPLAIN_PATH]: (ctx) => serveExplain(ctx, { index: live.index, chain: chain.authorizer }) },
        }),
      }),
    );
    handle = app.callback();

    const memoryStore: IdentityStore = {
      issueClientCertificate: async (user, groups) => issueClient(pki, { user, groups }),
      addToken: async (token, user) => {
        mintedTokens.tokens.set(token, { name: user.name, uid: user.uid, groups: [...user.groups], extra: {} });
      },
      addPassword: async (password, user) => {
        mintedPasswords.users.set(user.name, { password: Buffer.from(password, 'utf8'), user: { name: user.name, uid: user.uid, groups: [...user.groups], extra: {} } });
      },
    };

    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      caCert: pki.ca.certPem,
      pkiDir: options.pkiDir,
      demoIdentities,
      async kubeconfig(identity) {
        const credentials = await mintCredentials(memoryStore, identity);
        return renderKubeconfig({ server: url, caPem: pki.ca.certPem, userName: identity.user, credentials });
      },
      stop() {
        stopping ??= new Promise<void>((resolve) => {
          for (const close of closers.splice(0)) close();
          server.close(() => resolve());
          for (const raw of handshaking) raw.destroy();
          server.closeIdleConnections();
          // Responses ended just now (watches) finish asynchronously; their connections turn idle a moment later.
          const idle = setInterval(() => server.closeIdleConnections(), 10);
          idle.unref();
          server.once('close', () => clearInterval(idle));
          // Watches were ended above (closers); requests still running (a slow client) get a moment, then their sockets are ended.
          const grace = setTimeout(() => {
            for (const socket of sockets) socket.destroy();
          }, 2000);
          grace.unref();
          server.once('close', () => clearTimeout(grace));
        });
        return stopping;
      },
    };
  } catch (err) {
    for (const close of closers) close();
    listening?.close();
    throw err;
  }
}
