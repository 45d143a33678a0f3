// startServer's options: what kube-apiserver takes as flags (cmd/kube-apiserver/app/options), as one typed record.
import type { Backoff } from '../authn/webhook/client.js';
import type { Pki } from '../pki/index.js';
import type { LogFormat, Logger } from '../util/log.js';
import type { LiveViewStartOptions } from '../ui/index.js';

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
  /** --requestheader-client-ca-file: the authenticating proxy's CA; set, it turns the proxy on. Default with pkiDir: its front-proxy-ca.crt, with kubeadm's header flags. */
  requestheaderClientCaFile?: string;
  /** --requestheader-allowed-names: CommonNames a proxy certificate may have; empty allows any. */
  requestheaderAllowedNames?: string[];
  /** --requestheader-username-headers, --requestheader-uid-headers, --requestheader-group-headers, --requestheader-extra-headers-prefix. */
  requestheaderUsernameHeaders?: string[];
  requestheaderUidHeaders?: string[];
  requestheaderGroupHeaders?: string[];
  requestheaderExtraHeadersPrefix?: string[];
  /** --token-auth-file. Default with pkiDir: its token-auth-file.csv. */
  tokenAuthFile?: string;
  /** --basic-auth-file. Default with pkiDir: its basic-auth-file.csv. */
  basicAuthFile?: string;
  /** --anonymous-auth. Default true. */
  anonymousAuth?: boolean;
  /** --authorization-mode, a comma list of AUTHORIZATION_MODES (src/authz/config.ts). Default "RBAC". */
  authorizationMode?: string;
  /** --policy-dir and --rbac-file: RBAC objects as Kubernetes YAML, loaded at start and re-read when they change. */
  policyPaths?: string[];
  /** Load kube-apiserver's bootstrap ClusterRoles and ClusterRoleBindings. Default true. */
  bootstrapPolicy?: boolean;
  /** The version /version reports. */
  kubernetesVersion?: string;
  /** --api-audiences: what a credential must be meant for. Default: the first --service-account-issuer (kube's default). */
  apiAudiences?: string[];
  /** --service-account-issuer (repeatable): the first signs new tokens; tokens from any of them are accepted. Default: kubeadm's https://kubernetes.default.svc.cluster.local. */
  serviceAccountIssuers?: string[];
  /** --service-account-key-file (repeatable): PEM public keys, private keys or certificates (RSA, ECDSA) that verify ServiceAccount tokens. Default: the signing key's public half. */
  serviceAccountKeyFiles?: string[];
  /** --service-account-signing-key-file: the PEM private key TokenRequest signs with. Default: the PKI's sa.key. */
  serviceAccountSigningKeyFile?: string;
  /** --service-account-lookup: legacy tokens are checked against their Secret and ServiceAccount in the store. Default true. */
  serviceAccountLookup?: boolean;
  /** --service-account-max-token-expiration, in seconds: longer TokenRequests are shortened to it. Default: no limit. */
  serviceAccountMaxTokenExpirationSeconds?: number;
  /** --service-account-extend-token-expiration: pod-bound tokens of the kubelet's 3607 s last a year, warning after 3607 s. Default true. */
  serviceAccountExtendTokenExpiration?: boolean;
  /** --service-account-jwks-uri: the jwks_uri of the discovery document. Default: the server's own /openid/v1/jwks. */
  serviceAccountJwksUri?: string;
  /** --enable-bootstrap-token-auth: Secrets of type bootstrap.kubernetes.io/token in kube-system authenticate. Default false. */
  enableBootstrapTokenAuth?: boolean;
  /** --authentication-token-webhook-config-file: a kubeconfig naming the TokenReview webhook; absent turns it off. */
  authenticationTokenWebhookConfigFile?: string;
  /** --authentication-token-webhook-version: v1 or v1beta1. Default v1beta1, as kube's. */
  authenticationTokenWebhookVersion?: string;
  /** --authentication-token-webhook-cache-ttl, in ms. Default 2m. */
  authenticationTokenWebhookCacheTtlMs?: number;
  /** --authorization-webhook-config-file: a kubeconfig naming the SubjectAccessReview webhook, with --authorization-mode Webhook. */
  authorizationWebhookConfigFile?: string;
  /** --authorization-webhook-version: v1 or v1beta1. Default v1beta1, as kube's. */
  authorizationWebhookVersion?: string;
  /** --authorization-webhook-cache-authorized-ttl, in ms. Default 5m. */
  authorizationWebhookCacheAuthorizedTtlMs?: number;
  /** --authorization-webhook-cache-unauthorized-ttl, in ms. Default 30s. */
  authorizationWebhookCacheUnauthorizedTtlMs?: number;
  /** kube's Config.WebhookRetryBackoff (no flag): the webhook's retries. Default 500ms x1.5, jitter 0.2, 5 calls. */
  webhookRetryBackoff?: Backoff;
  /** --audit-policy-file: an audit.k8s.io/v1 Policy. Without it (or without auditLogPath) nothing is audited. */
  auditPolicyFile?: string;
  /** --audit-log-path: the audit log, one Event per line; "-" is stdout. */
  auditLogPath?: string;
  /** --audit-log-format: "json" (the default) or "legacy" (kube's one-line text, audit.EventString). */
  auditLogFormat?: string;
  /** --audit-log-maxsize: megabytes before the log is rotated. Default 0, which lumberjack (and so kube) takes as 100. */
  auditLogMaxSize?: number;
  /** --audit-log-maxbackup: rotated files kept. Default 0: all. */
  auditLogMaxBackup?: number;
  /** --audit-log-maxage: days a rotated file is kept, by the time in its name. Default 0: no limit. */
  auditLogMaxAge?: number;
  /** --audit-log-compress: gzip rotated files. Default false. */
  auditLogCompress?: boolean;
  /** --audit-log-mode: "blocking" (the default: a failed write is logged, the request goes on) or "blocking-strict" (a failed RequestReceived write answers 500); kube's "batch" is refused. */
  auditLogMode?: string;
  /** --tls-trace: log each TLS connection (version, cipher suite, key exchange group, ALPN, SNI, resumption, the client's chain and what the x509 authenticator makes of it) and, at trace level, each failed handshake. Default false. */
  tlsTrace?: boolean;
  /** --tls-keylog: append every connection's session secrets to this file (NSS key log format, created 0600) so Wireshark can decrypt a capture. */
  tlsKeylog?: string;
  /** A logger, or the format of one on stderr. Default: silent. */
  log?: Logger | LogFormat;
  /** Re-read the token, password and policy files when they change. Default true. */
  watchFiles?: boolean;
  /**
   * --ui and --ui-port: the live view, a page showing each request as it happens, on its own plain-HTTP listener on
   * 127.0.0.1 only (ephemeral port by default). Not a kube-apiserver flag. Default off, and then costs nothing.
   */
  ui?: boolean | LiveViewStartOptions;
  /**
   * Leave the PKI folder's demo kubeconfigs as they are until publishDemoKubeconfigs() is called (the CLI does so
   * once its ready line can be written): a start-up stopped before that leaves them naming the server that last
   * answered. By default they are written before startServer resolves.
   */
  deferDemoKubeconfigs?: boolean;
}
