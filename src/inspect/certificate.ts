// One certificate, or a chain, explained: what it is for, whether it is valid now, who signed it as far as the file
// shows, and what kube-apiserver's x509 authenticator would make of it as a client certificate. The identity rules
// are kube's (staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go, ported in ../authn/x509.ts):
// CN is the user, each O a group, the subject's 1.3.6.1.4.1.57683.2 attribute the uid, and the credential id names
// the certificate by its SHA-256 (X509SHA256=...).
import { X509Certificate } from 'node:crypto';
import { CREDENTIAL_ID_KEY, uidFromSubject, verifyClientChain } from '../authn/x509.js';
import { parseCertificate, type ParsedCertificate } from '../authn/x509-parse.js';
import { rsaKeySizeError } from '../authn/x509-verify.js';
import { sha256Hex, summarizeCertificate } from '../tls/certificate-summary.js';
import { metaTime } from '../apimachinery/meta-time.js';
import { rfc3339, validity } from './time-words.js';
import type { CertificateItem, CheckResult, KubeIdentity } from './types.js';

/** Go's KeyUsage bits (crypto/x509 x509.go), lowest first, by RFC 5280's names. */
const KEY_USAGE_BITS = ['digitalSignature', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

const PURPOSE_WORDS: Readonly<Record<string, string>> = {
  serverAuth: 'serverAuth: a TLS server may present it; clients check the name they dialled against its SANs',
  clientAuth: 'clientAuth: a TLS client may present it to prove who it is (kubectl to kube-apiserver, for one)',
  codeSigning: 'codeSigning: signing code',
  emailProtection: 'emailProtection: signing and encrypting email',
  timeStamping: 'timeStamping: trusted time stamps',
  OCSPSigning: 'OCSPSigning: signing OCSP answers',
  any: 'any: any purpose (the anyExtendedKeyUsage OID)',
};

/** Whether Go's verification with KeyUsages [ClientAuth] accepts this leaf's EKU (verify.go checkChainForKeyUsage). */
function allowsClientAuth(eku: readonly string[]): boolean {
  return eku.length === 0 || eku.includes('clientAuth') || eku.includes('any');
}

/**
 * What makes kube-apiserver refuse a leaf whichever CA it trusts, so no "user, when its issuer is trusted" may be
 * claimed (the same rules ../authn/x509-verify.ts applies with a CA): verify.go isValid's unhandled critical
 * extension; checkSignature's refusal of MD5 and SHA-1 signatures (a self-signed leaf listed among the roots is not
 * signature-checked, so it is spared); and crypto/rsa's 1024-bit minimum, which fails the client's CertificateVerify.
 */
function refusedWhateverTheCa(c: ParsedCertificate): string | undefined {
  if (c.unhandledCriticalExtensions.length > 0) return 'x509: unhandled critical extension';
  const algorithm = c.signatureAlgorithm;
  if (algorithm !== undefined && (algorithm.hash === 'MD5' || algorithm.hash === 'SHA1') && !c.rawIssuer.equals(c.rawSubject)) {
    return `x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm ${algorithm.name}" while trying to verify candidate authority certificate), whatever CA it is checked against`;
  }
  const small = rsaKeySizeError(c);
  if (small !== undefined) return `tls: invalid signature by the client certificate: ${small}`;
  return undefined;
}

/** What kube's x509 authenticator would answer for this leaf, verified or not (a caller says which). */
export function kubeIdentityForLeaf(cert: X509Certificate, parsed: ParsedCertificate | string, condition: string | undefined): KubeIdentity {
  const authenticator = 'x509 (client certificate, --client-ca-file)';
  if (typeof parsed === 'string') return { outcome: 'refused', authenticator, reason: `Go cannot parse it, so the TLS handshake fails: ${parsed}` };
  const eku = summarizeCertificate(cert).extKeyUsage;
  if (!allowsClientAuth(eku)) return { outcome: 'refused', authenticator, reason: 'x509: certificate specifies an incompatible key usage (it does not allow clientAuth)' };
  const hopeless = refusedWhateverTheCa(parsed);
  if (hopeless !== undefined) return { outcome: 'refused', authenticator, reason: hopeless };
  // CommonNameUserConversion: an empty CN is "not mine", before the UID is looked at.
  if (parsed.commonName === '') return { outcome: 'ignored', authenticator, reason: 'its subject has no CN, so the x509 authenticator passes (the request goes on to the other authenticators, else anonymous)' };
  const uid = uidFromSubject(parsed.uids);
  if ('error' in uid) return { outcome: 'refused', authenticator, reason: uid.error };
  return {
    outcome: 'user',
    authenticator,
    user: parsed.commonName,
    uid: uid.uid,
    groups: parsed.organizations,
    extra: { [CREDENTIAL_ID_KEY]: [`X509SHA256=${sha256Hex(cert)}`] },
    ...(condition === undefined ? {} : { condition }),
  };
}

/** Whether `child` names `parent` as its issuer and carries its signature. */
function signs(parent: X509Certificate, child: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** How many certificates of the same subject are tried as one certificate's issuer. */
const MAX_ISSUER_TRIES = 100;

/** The items for a list of certificates read from one file: a chain when each signs the one before. */
export function certificateItems(certs: readonly X509Certificate[], now: Date, positions: readonly number[] = certs.map((_, i) => i + 1)): CertificateItem[] {
  // Issuers looked up by subject, not tried pairwise: a 16 MiB file holds some ten thousand certificates, and
  // n² signature checks would hang the inspector on one.
  const bySubject = new Map<string, number[]>();
  certs.forEach((c, k) => bySubject.set(c.subject, [...(bySubject.get(c.subject) ?? []), k]));
  return certs.map((cert, i) => {
    const summary = summarizeCertificate(cert);
    const parsed = parseCertificate(cert);
    const keyUsage = typeof parsed === 'string' ? [] : KEY_USAGE_BITS.filter((_, bit) => parsed.keyUsage & (1 << bit));
    const purposes: string[] = [];
    if (summary.isCA) purposes.push('a certificate authority (CA): its key signs other certificates');
    for (const eku of summary.extKeyUsage) purposes.push(PURPOSE_WORDS[eku] ?? `${eku}: a purpose Go does not know`);
    if (summary.extKeyUsage.length === 0 && !summary.isCA) purposes.push('no extended key usage: Go accepts it for any purpose, client and server alike');
    let signedBy = '';
    if (signs(cert, cert)) signedBy = 'itself (self-signed)';
    else {
      // At most MAX_ISSUER_TRIES candidates, as Go bounds signature checks per verification (verify.go maxChainSignatureChecks).
      const j = (bySubject.get(cert.issuer) ?? []).slice(0, MAX_ISSUER_TRIES + 1).find((k) => k !== i && signs(certs[k]!, cert)) ?? -1;
      if (j >= 0) signedBy = `block ${positions[j]} of this file`;
    }
    const item: CertificateItem = {
      kind: 'certificate',
      position: positions[i]!,
      summary,
      validity: validity(new Date(summary.notBefore), new Date(summary.notAfter), now),
      keyUsage,
      purposes,
      signedBy,
    };
    if (typeof parsed !== 'string' && parsed.basicConstraintsValid && parsed.isCA && parsed.maxPathLen >= 0) item.maxPathLength = parsed.maxPathLen;
    if (typeof parsed === 'string') item.goParseError = parsed;
    // The first certificate of a file is the leaf of its chain; a CA is not presented as a client certificate.
    if (i === 0 && !summary.isCA) {
      const late = timeProblem(cert, now);
      item.kube = late !== undefined ? { outcome: 'refused', authenticator: 'x509 (client certificate, --client-ca-file)', reason: late } : kubeIdentityForLeaf(cert, parsed, 'when kube-apiserver trusts its issuer (the CA in --client-ca-file); check with --ca');
    }
    return item;
  });
}

/** Reads a PEM or DER certificate; throws with node's reason when it is damaged. */
export function certificateFromDer(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new Error(`a damaged certificate (${(err as Error).message})`);
  }
}

/**
 * Does the chain (leaf first) verify to one of the CA certificates? A leaf that allows clientAuth is verified as
 * kube-apiserver verifies a client certificate (Go's x509.Verify with KeyUsages [ClientAuth], its error text); a
 * serving certificate is checked link by link (issuer name, signature, validity, the CA bit) as a client checks a
 * server's chain, without the host name (which depends on the URL dialled).
 */
export function verifyToCa(chain: readonly X509Certificate[], roots: readonly X509Certificate[], caName: string, now: Date): CheckResult {
  const leaf = chain[0]!;
  const eku = summarizeCertificate(leaf).extKeyUsage;
  if (allowsClientAuth(eku)) {
    const result = verifyClientChain(chain, roots, now);
    if (typeof result === 'string') return { check: 'chain-verifies', ok: false, message: `does not verify to ${caName} as a client certificate: ${result}` };
    return { check: 'chain-verifies', ok: true, message: `verifies to ${caName} as kube-apiserver checks a client certificate (valid together until ${rfc3339(new Date(result.notAfter))})` };
  }
  const pool = [...chain.slice(1), ...roots];
  const path: X509Certificate[] = [leaf];
  for (let current = leaf; ; ) {
    const problem = timeProblem(current, now);
    if (problem !== undefined) return { check: 'chain-verifies', ok: false, message: `does not verify to ${caName}: ${problem}` };
    const root = roots.find((r) => r.raw.equals(current.raw) || signs(r, current));
    if (root !== undefined) {
      if (!root.raw.equals(current.raw)) {
        const rootProblem = timeProblem(root, now);
        if (rootProblem !== undefined) return { check: 'chain-verifies', ok: false, message: `does not verify to ${caName}: ${rootProblem}` };
      }
      // OpenSSL's signature check above takes what Go refuses: say Go's refusal, never "verifies".
      const goProblem = servingPathProblem(path, root);
      if (goProblem !== undefined) return { check: 'chain-verifies', ok: false, message: `does not verify to ${caName}: ${goProblem}` };
      return { check: 'chain-verifies', ok: true, message: `verifies to ${caName} (${path.length === 1 ? 'signed by it directly' : `through ${path.length - 1} intermediate${path.length === 2 ? '' : 's'}`}) as a serving certificate; the host name is checked by the client against its SANs` };
    }
    const parent = pool.find((p) => !path.includes(p) && signs(p, current));
    if (parent === undefined) return { check: 'chain-verifies', ok: false, message: `does not verify to ${caName}: x509: certificate signed by unknown authority` };
    if (!parent.ca) return { check: 'chain-verifies', ok: false, message: `does not verify to ${caName}: x509: certificate is not authorized to sign other certificates` };
    path.push(parent);
    current = parent;
  }
}

/**
 * What Go's crypto/x509 refuses in a serving chain that node's checks pass (the rules of ../authn/x509-verify.ts):
 * a certificate Go cannot parse, an unhandled critical extension, an MD5 or SHA-1 signature on a certificate the
 * root did not stand in for, an RSA key under 1024 bits in the leaf (its CertificateVerify fails) or in a signer.
 */
function servingPathProblem(path: readonly X509Certificate[], root: X509Certificate): string | undefined {
  const all = path[path.length - 1]!.raw.equals(root.raw) ? path : [...path, root];
  for (const [i, cert] of all.entries()) {
    const parsed = parseCertificate(cert);
    if (typeof parsed === 'string') return `tls: failed to parse certificate from server: ${parsed}`;
    if (parsed.unhandledCriticalExtensions.length > 0) return 'x509: unhandled critical extension';
    const isRoot = cert.raw.equals(root.raw);
    const algorithm = parsed.signatureAlgorithm;
    if (!isRoot && algorithm !== undefined && (algorithm.hash === 'MD5' || algorithm.hash === 'SHA1')) return `x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm ${algorithm.name}" while trying to verify candidate authority certificate)`;
    const small = rsaKeySizeError(parsed);
    if (small !== undefined) return i === 0 ? `tls: invalid signature by the server certificate: ${small}` : small;
  }
  return undefined;
}

/** Go's validity error for one certificate (verify.go isValid), or undefined. */
function timeProblem(cert: X509Certificate, now: Date): string | undefined {
  const nb = new Date(cert.validFrom);
  const na = new Date(cert.validTo);
  if (now < nb) return `x509: certificate has expired or is not yet valid: current time ${metaTime(now)} is before ${metaTime(nb)}`;
  if (now > na) return `x509: certificate has expired or is not yet valid: current time ${metaTime(now)} is after ${metaTime(na)}`;
  return undefined;
}
