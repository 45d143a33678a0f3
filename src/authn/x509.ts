// Source: staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go (Authenticator,
// certificateIdentifier, CommonNameUserConversion, parseUIDFromCert). The chain is verified as Go's crypto/x509
// Verify does (x509-verify.ts), after the checks Go's crypto/tls makes during the handshake (handshake_server.go).
// The user UID is read as kube 1.34 reads it: AllowParsingUserUIDFromCertAuth is beta and on by default from 1.33
// (staging/src/k8s.io/apiserver/pkg/features/kube_features.go), and the mock has no switch to turn it off.
import type { X509Certificate } from 'node:crypto';
import type { AuthnRequest, AuthnResult, RequestAuthenticator, UserInfo } from './types.js';
import { parseCertificate, type ParsedCertificate } from './x509-parse.js';
import { rsaKeySizeError, verifyChains } from './x509-verify.js';

/** The window of time in which every certificate on a verified path is valid, and the leaf's CN, O and UIDs as Go reads them. */
interface VerifiedPath {
  notBefore: number;
  notAfter: number;
  commonName: string;
  organizations: string[];
  uids: string[];
}

/** A verified path's validity window and what CommonNameUserConversion makes of its leaf: a user, null (empty CN) or an error. */
interface Verified {
  notBefore: number;
  notAfter: number;
  answer: AuthnResult;
}

/**
 * What kube-apiserver makes of a presented chain before its authenticator maps the leaf to a user: Go's
 * crypto/tls parses every certificate and checks the client's signature with the leaf's key (failing the
 * handshake otherwise; here those become 401s too), then x509.Verify builds a chain to the client CA bundle.
 * Returns the validity window of a verified chain, or why it failed in Go's words.
 */
export function verifyClientChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[], now: Date): VerifiedPath | string {
  const parsed: ParsedCertificate[] = [];
  for (const cert of chain) {
    const p = parseCertificate(cert);
    if (typeof p === 'string') return `tls: failed to parse client certificate: ${p}`;
    parsed.push(p);
  }
  const [leaf, ...intermediates] = parsed;
  if (leaf === undefined) return 'x509: no certificate';
  // handshake_server.go checks CertificateVerify with the leaf's key; crypto/rsa refuses keys under 1024 bits.
  const keyErr = rsaKeySizeError(leaf);
  if (keyErr !== undefined) return `tls: invalid signature by the client certificate: ${keyErr}`;
  // A CA Go cannot parse is left out of the pool (kube-apiserver would not start with it in --client-ca-file).
  const rootPool = roots.map(parseCertificate).filter((r): r is ParsedCertificate => typeof r !== 'string');
  const chains = verifyChains(leaf, intermediates, rootPool, now);
  if (typeof chains === 'string') return chains;
  let notBefore = -Infinity;
  let notAfter = Infinity;
  for (const c of chains[0]!) {
    notBefore = Math.max(notBefore, c.notBefore.ms);
    notAfter = Math.min(notAfter, c.notAfter.ms);
  }
  return { notBefore, notAfter, commonName: leaf.commonName, organizations: leaf.organizations, uids: leaf.uids };
}

/**
 * kube's parseUIDFromCert over the subject's UID values: none is no UID, one is the UID unless empty, more than
 * one is an error (Go's %v of the []string: the values space-separated in brackets). kube's third error,
 * "unable to parse UID into a string", cannot happen for a certificate from the wire: Go's parseName refuses a
 * name with a non-string value (the certificate then fails to parse, x509-name.ts), so it has no case here.
 */
export function uidFromSubject(uids: readonly string[]): { uid: string } | { error: string } {
  if (uids.length === 0) return { uid: '' };
  if (uids.length !== 1) return { error: `expected 1 UID, but found multiple: [${uids.join(' ')}]` };
  if (uids[0] === '') return { error: 'UID cannot be an empty string' };
  return { uid: uids[0]! };
}

/**
 * CommonNameUserConversion: an empty CN is "not mine" (before the UID is looked at); otherwise CN is the user, each
 * O a group, the UID attribute the uid, and the credential id names the certificate. A UID error fails the
 * authenticator: kube aggregates the same message once per verified chain, and the aggregate prints it once.
 */
function commonNameUser(leaf: X509Certificate, path: VerifiedPath): AuthnResult {
  if (path.commonName === '') return null;
  const credentialId = `X509SHA256=${leaf.fingerprint256.replaceAll(':', '').toLowerCase()}`;
  const uid = uidFromSubject(path.uids);
  if ('error' in uid) return { ok: false, reason: uid.error };
  const user: UserInfo = { name: path.commonName, uid: uid.uid, groups: path.organizations, extra: { [CREDENTIAL_ID_KEY]: [credentialId] } };
  return { ok: true, authenticator: 'x509', user };
}

/** Upper-case hex bytes joined by colons, as kube's columnSeparatedHex. */
function columnSeparatedHex(bytes: Buffer): string {
  return bytes.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/** kube's certificateIdentifier, for log lines: which certificate failed. */
function certificateIdentifier(cert: X509Certificate): string {
  const parsed = parseCertificate(cert);
  const serial = BigInt(`0x${cert.serialNumber}`).toString();
  if (typeof parsed === 'string') return `SN=${serial}, SKID=, AKID=`;
  return `SN=${serial}, SKID=${columnSeparatedHex(parsed.subjectKeyId)}, AKID=${columnSeparatedHex(parsed.authorityKeyId)}`;
}

/** The extra kube-apiserver attaches to certificate users: which certificate it was (x509.go, CommonNameUserConversion). */
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';

/** Where the x509 authenticator gets the trusted roots and the time. */
export interface X509Options {
  /** The --client-ca-file bundle, read once. */
  roots: () => readonly X509Certificate[];
  now?: () => Date;
}

/**
 * kube's x509 authenticator with CommonNameUserConversion: no client certificate is "not mine"; one that
 * does not verify, or whose subject carries several or an empty UID, is a failure (401 unless another
 * authenticator succeeds); CN is the user, each O a group, the UID attribute the uid; an empty CN is "not mine".
 * Verified chains are remembered per leaf until they expire.
 */
export function x509Authenticator(opts: X509Options): RequestAuthenticator {
  const now = opts.now ?? (() => new Date());
  // Verified paths are remembered per certificate object (every request of a keep-alive connection) and,
  // bounded, per chain fingerprint (new connections from the same client skip the signature checks).
  const byObject = new WeakMap<X509Certificate, Verified>();
  const byFingerprint = new Map<string, Verified>();
  const MAX_REMEMBERED = 1024;
  return {
    async authenticate(req: AuthnRequest): Promise<AuthnResult> {
      const leaf = req.peerCertificates[0];
      if (leaf === undefined) return null;
      const t = now().getTime();
      const fresh = (v: Verified | undefined): v is Verified => v !== undefined && t >= v.notBefore && t <= v.notAfter;
      let verified = byObject.get(leaf);
      if (!fresh(verified)) {
        const key = req.peerCertificates.map((c) => c.fingerprint256).join(',');
        verified = byFingerprint.get(key);
        if (!fresh(verified)) {
          const result = verifyClientChain(req.peerCertificates, opts.roots(), new Date(t));
          if (typeof result === 'string') return { ok: false, reason: `verifying certificate ${certificateIdentifier(leaf)} failed: ${result}` };
          verified = { notBefore: result.notBefore, notAfter: result.notAfter, answer: commonNameUser(leaf, result) };
          if (byFingerprint.size >= MAX_REMEMBERED) byFingerprint.delete(byFingerprint.keys().next().value!);
          byFingerprint.set(key, verified);
        }
        byObject.set(leaf, verified);
      }
      return verified.answer;
    },
  };
}
