// startServer's options: what kube-apiserver takes as flags (cmd/kube-apiserver/app/options), as one typed record.
import type { Pki } from '../pki/index.js';
import type { LogFormat, Logger } from '../util/log.js';

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
  /** --authorization-mode, a comma list of AUTHORIZATION_MODES (src/authz/config.ts). Default "RBAC". */
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
