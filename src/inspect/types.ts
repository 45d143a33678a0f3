// The inspector's report: plain data (no Buffers, no KeyObjects) so `-o json` prints it as it is and the live view
// can send it to a browser. Secrets never appear in it: no private key material, tokens or passwords, only what they are.
import type { CertificateSummary } from '../tls/certificate-summary.js';
import type { Validity } from './time-words.js';

/** What kube-apiserver would make of a credential: the user its authenticator returns, or why it would not. */
export type KubeIdentity =
  | { outcome: 'user'; authenticator: string; user: string; uid: string; groups: string[]; extra: Record<string, string[]>; condition?: string }
  | { outcome: 'refused'; authenticator: string; reason: string }
  | { outcome: 'ignored'; authenticator: string; reason: string };

/** One certificate of a file or chain. */
export interface CertificateItem {
  kind: 'certificate';
  /** Its place in the file or chain, from 1. */
  position: number;
  summary: CertificateSummary;
  validity: Validity;
  /** Key usage bits by name (digitalSignature, keyCertSign, ...), as Go reads them; empty when absent. */
  keyUsage: string[];
  /** What it may be used for, one sentence per purpose. */
  purposes: string[];
  /** The CA's path length limit, when it sets one. */
  maxPathLength?: number;
  /** Who signed it, as far as this file tells: "itself (self-signed)", "block 2 of this file", or "" when not known here. */
  signedBy: string;
  /** Go's crypto/x509 parse error when kube-apiserver and kubectl would refuse the certificate outright. */
  goParseError?: string;
  /** What kube-apiserver's x509 authenticator would make of it as a client certificate (leaves only). */
  kube?: KubeIdentity;
}

/** A private key. Encrypted keys are named, not read. */
export interface PrivateKeyItem {
  kind: 'private-key';
  position: number;
  /** "PKCS#1", "PKCS#8", "SEC1", "encrypted PKCS#8", "encrypted PKCS#1 (OpenSSL PEM encryption)". */
  format: string;
  encrypted: boolean;
  /** "RSA 2048", "EC prime256v1", "Ed25519"; empty when encrypted. */
  algorithm: string;
  /** SHA-256 of the public half's SubjectPublicKeyInfo (what matches it to a certificate); empty when encrypted. */
  publicKeySha256: string;
  /** The kid kube puts in ServiceAccount tokens signed with it (keyIDFromPublicKey), when kube can sign with it. */
  serviceAccountKeyId?: string;
  note: string;
}

/** A public key. */
export interface PublicKeyItem {
  kind: 'public-key';
  position: number;
  /** "SPKI" or "PKCS#1". */
  format: string;
  algorithm: string;
  publicKeySha256: string;
  serviceAccountKeyId?: string;
  /** The JWS algorithm kube signs ServiceAccount tokens with for this key (RS256, ES256, ...). */
  jwsAlgorithm?: string;
}

/** A PKCS#10 certificate signing request. */
export interface CsrItem {
  kind: 'csr';
  position: number;
  subject: string;
  commonName: string;
  organizations: string[];
  subjectAltNames: string[];
  extKeyUsage: string[];
  publicKey: string;
  publicKeySha256: string;
  signatureAlgorithm: string;
  /** Whether the request's signature verifies with its own key (it proves the requester holds the key). */
  signatureValid: boolean | undefined;
  /** What a certificate signed for it by kube's kubernetes.io/kube-apiserver-client signer would authenticate as. */
  kube: KubeIdentity;
}

/** A bound or legacy ServiceAccount token's kube claims. */
export interface ServiceAccountClaims {
  generation: 'bound' | 'legacy';
  namespace: string;
  serviceAccount: string;
  serviceAccountUid: string;
  pod?: { name: string; uid: string };
  node?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  /** A bound token's warnafter: after it, kube warns that the token is stale (RFC 3339). */
  warnAfter?: string;
}

/** A JSON Web Token. */
export interface JwtItem {
  kind: 'jwt';
  position: number;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  issuer: string;
  subject: string;
  audiences: string[];
  /** exp, iat and nbf in RFC 3339 and words. */
  times: { name: 'exp' | 'iat' | 'nbf'; at: string; words: string }[];
  validity: Validity;
  serviceAccount?: ServiceAccountClaims;
  kube: KubeIdentity;
  /** The signature check, when a key, JWKS or server was given. */
  signature?: CheckResult;
}

/** A kubeconfig cluster entry. */
export interface KubeconfigCluster {
  name: string;
  server: string;
  /** Where the CA comes from: "embedded", a file path, or "" (the system's roots). */
  caSource: string;
  ca: Item[];
  caError?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName: string;
  proxyUrl: string;
}

/** A kubeconfig user entry: how it authenticates. */
export interface KubeconfigUser {
  name: string;
  /** Each way it authenticates, in words ("client certificate", "bearer token (a ServiceAccount token)", "exec plugin aws"). */
  methods: string[];
  clientCertificate: Item[];
  clientCertificateSource: string;
  clientKey: Item[];
  clientKeySource: string;
  /** Whether the client key belongs to the client certificate. */
  keyMatchesCertificate?: boolean;
  token?: { source: string; kind: string; jwt?: JwtItem };
  basicAuth?: { username: string; passwordLength: number };
  exec?: { command: string; args: string[]; apiVersion: string };
  authProvider?: string;
  impersonate?: { user: string; groups: string[]; uid: string };
  problems: string[];
}

export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace: string;
  current: boolean;
  problems: string[];
}

export interface KubeconfigItem {
  kind: 'kubeconfig';
  position: number;
  currentContext: string;
  clusters: KubeconfigCluster[];
  users: KubeconfigUser[];
  contexts: KubeconfigContext[];
  problems: string[];
}

/** A PEM block of a kind the inspector names but does not read (EC PARAMETERS, X509 CRL, ...). */
export interface OtherPemItem {
  kind: 'other';
  position: number;
  label: string;
  note: string;
}

export type Item = CertificateItem | PrivateKeyItem | PublicKeyItem | CsrItem | JwtItem | KubeconfigItem | OtherPemItem;

/** A check asked for on the command line (--key, --ca, --jwks, --server) and its outcome. */
export interface CheckResult {
  check: 'key-matches-certificate' | 'chain-verifies' | 'signature';
  ok: boolean;
  message: string;
}

/** What one input turned out to be. */
export interface InspectReport {
  /** The file name as given ("-" is "stdin"). */
  source: string;
  /** "PEM", "DER", "JWT", "kubeconfig"; empty when it was none of these. */
  encoding: string;
  items: Item[];
  checks: CheckResult[];
  /** Set when the input could not be read as any known kind: one line saying why. */
  error?: string;
}
