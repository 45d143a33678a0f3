// Source: staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go (Authenticator,
// CommonNameUserConversion) and Go's crypto/x509 Verify, whose rules are reproduced here with node:crypto.
import { metaTime } from '../meta-time.js';
import type { X509Certificate } from 'node:crypto';
import type { AuthnRequest, AuthnResult, RequestAuthenticator, UserInfo } from './types.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
/** Go's crypto/x509 stops looking for a path after this many intermediates. */
const MAX_CHAIN_DEPTH = 10;

/** The window of time in which every certificate on a verified path is valid. */
interface VerifiedPath {
  notBefore: number;
  notAfter: number;
}

/** A verified path and the user its leaf names (null for an empty CN). */
interface Verified extends VerifiedPath {
  user: UserInfo | null;
}

/**
 * Verifies a client certificate chain against the CA bundle the way Go's x509.Verify does for
 * ExtKeyUsageClientAuth; returns why it failed, in Go's words, or the path's validity window.
 */
export function verifyClientChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[], now: Date): VerifiedPath | string {
  const leaf = chain[0];
  if (leaf === undefined) return 'x509: no certificate';
  const intermediates = chain.slice(1);
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; ; depth++) {
    const root = roots.find((r) => issued(r, current));
    if (root !== undefined) {
      // A root that is itself the leaf (a CA used as a client cert) is still a one-element path, as in Go.
      if (root.fingerprint256 !== current.fingerprint256) path.push(root);
      break;
    }
    const next = depth < MAX_CHAIN_DEPTH ? intermediates.find((i) => i.ca && !path.includes(i) && issued(i, current)) : undefined;
    if (next === undefined) return 'x509: certificate signed by unknown authority';
    path.push(next);
    current = next;
  }
  let notBefore = -Infinity;
  let notAfter = Infinity;
  for (const cert of path) {
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    if (now.getTime() < from || now.getTime() > to) {
      const detail = now.getTime() > to ? `current time ${metaTime(now)} is after ${metaTime(new Date(to))}` : `current time ${metaTime(now)} is before ${metaTime(new Date(from))}`;
      return `x509: certificate has expired or is not yet valid: ${detail}`;
    }
    notBefore = Math.max(notBefore, from);
    notAfter = Math.min(notAfter, to);
  }
  // Go checks extended key usage along the whole chain; a certificate without the extension allows any.
  for (const cert of path) {
    const usages = cert.keyUsage;
    if (usages !== undefined && usages.length > 0 && !usages.includes(CLIENT_AUTH) && !usages.includes(ANY_EXTENDED_KEY_USAGE)) {
      return 'x509: certificate specifies an incompatible key usage';
    }
  }
  return { notBefore, notAfter };
}

function issued(issuer: X509Certificate, cert: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/** kube's certificateIdentifier, for log lines: which certificate failed. */
function certificateIdentifier(cert: X509Certificate): string {
  return `SN=${BigInt(`0x${cert.serialNumber}`).toString()}, subject=${JSON.stringify(cert.subject.replaceAll('\n', ', '))}`;
}

/**
 * The subject's CN and O values, in order, unescaped as Go's pkix.Name holds them (node's `subject` text
 * escapes RFC 2253 specials: a CN "jane,doe" would read "jane\\,doe"). With several CNs, Go keeps the last.
 */
export function subjectNames(cert: X509Certificate): { commonName: string; organizations: string[] } {
  const subject = cert.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { commonName: list(subject.CN).at(-1) ?? '', organizations: list(subject.O) };
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
 * does not verify is a failure (401 unless another authenticator succeeds); CN is the user, each O a group;
 * an empty CN is "not mine". Verified chains are remembered per leaf until they expire.
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
          const { commonName, organizations } = subjectNames(leaf);
          const credentialId = `X509SHA256=${leaf.fingerprint256.replaceAll(':', '').toLowerCase()}`;
          verified = { ...result, user: commonName === '' ? null : { name: commonName, uid: '', groups: organizations, extra: { [CREDENTIAL_ID_KEY]: [credentialId] } } };
          if (byFingerprint.size >= MAX_REMEMBERED) byFingerprint.delete(byFingerprint.keys().next().value!);
          byFingerprint.set(key, verified);
        }
        byObject.set(leaf, verified);
      }
      return verified.user === null ? null : { ok: true, authenticator: 'x509', user: verified.user };
    },
  };
}
