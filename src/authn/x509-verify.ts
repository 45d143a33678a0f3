// Go's crypto/x509 Certificate.Verify for a client certificate (KeyUsages: ClientAuth), on certificates
// parsed by x509-parse.ts, with Go's error wording. Source: Go's src/crypto/x509/verify.go (Verify,
// buildChains, isValid, alreadyInChain, checkChainForKeyUsage, the error types), cert_pool.go
// (findPotentialParents) and x509.go (CheckSignatureFrom, checkSignature, InsecureAlgorithmError).
// Not reproduced: matching names against name constraints (constraints.go checkChainConstraints): a chain in
// which a constrained CA certifies a certificate with names is refused whatever the names (see
// nameConstraintsUnchecked), and certificate policies (policiesValid).
import type { KeyObject } from 'node:crypto';
import { metaTime } from '../apimachinery/meta-time.js';
import { goQuote } from '../apimachinery/validation.js';
import { KEY_USAGE_CERT_SIGN, type ParsedCertificate, type PublicKeyAlgorithm } from './x509-parse.js';
import { rfc3339 } from './x509-time.js';
import { appendAll } from '../util/append-all.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
/** x509.ExtKeyUsageServerAuth: what a client asks of a server's chain (crypto/tls verifyServerCertificate). */
export const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
/** verify.go maxChainSignatureChecks: the most CheckSignatureFrom calls one Verify makes. */
const MAX_CHAIN_SIGNATURE_CHECKS = 100;

/** Go's verify.go leafCertificate, intermediateCertificate and rootCertificate. */
type CertType = 'leaf' | 'intermediate' | 'root';

/** A verified chain, leaf first, root last. */
export type Chain = readonly ParsedCertificate[];

/** A failure in Go's words (err.Error()). */
class VerifyError extends Error {}

const SIGNATURE_LIMIT = 'x509: signature check attempts limit reached while verifying certificate chain';

/** crypto/rsa checkKeySize (Go 1.24+): RSA keys under 1024 bits are refused wherever they are used. */
export function rsaKeySizeError(c: ParsedCertificate): string | undefined {
  const bits = c.rsaBits;
  return bits !== undefined && bits < 1024 ? `crypto/rsa: ${bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)` : undefined;
}

/** Whether `key` verifies the certificate's signature (OpenSSL, after the algorithm checks Go makes first). */
function signedBy(child: ParsedCertificate, key: KeyObject): boolean {
  try {
    return child.cert.verify(key);
  } catch {
    return false;
  }
}

/** The Go type (%T) of each kind of public key, for signaturePublicKeyAlgoMismatchError. */
const GO_KEY_TYPES: Readonly<Record<PublicKeyAlgorithm, string>> = { RSA: '*rsa.PublicKey', DSA: '*dsa.PublicKey', ECDSA: '*ecdsa.PublicKey', Ed25519: 'ed25519.PublicKey', unknown: '<nil>' };

/** x509.go CheckSignatureFrom: may `parent` sign, and did it sign `child`? Returns Go's error or undefined. */
function checkSignatureFrom(child: ParsedCertificate, parent: ParsedCertificate): string | undefined {
  // RFC 5280, 4.2.1.9: only a CA's key verifies certificate signatures.
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  if (parent.keyUsage !== 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) === 0) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  const unsupported = 'x509: cannot verify signature: algorithm unimplemented';
  // checkSignature: MD5 always, SHA-1 for certificates (allowed only for CRLs and CSRs).
  const algorithm = child.signatureAlgorithm;
  if (algorithm === undefined) return unsupported;
  if (algorithm.hash === 'MD5' || algorithm.hash === 'SHA1') return `x509: cannot verify signature: insecure algorithm ${algorithm.name}`;
  if (algorithm.publicKey !== parent.publicKeyAlgorithm) {
    const goType = GO_KEY_TYPES[parent.publicKeyAlgorithm];
    return `x509: signature algorithm specifies an ${algorithm.publicKey} public key, but have public key of type ${goType}`;
  }
  const key = parent.publicKey;
  if (key === undefined) return unsupported; // never reached: buildChains skips parents without a key, as Go does
  switch (parent.publicKeyAlgorithm) {
    case 'RSA':
      return rsaKeySizeError(parent) ?? (signedBy(child, key) ? undefined : 'crypto/rsa: verification error');
    case 'ECDSA':
      return signedBy(child, key) ? undefined : 'x509: ECDSA verification failure';
    case 'Ed25519':
      return signedBy(child, key) ? undefined : 'x509: Ed25519 verification failure';
    default:
      return unsupported; // checkSignature has no case for DSA keys
  }
}

/** verify.go isValid: may `c` be appended to `chain` as a certificate of this type? */
function isValid(c: ParsedCertificate, certType: CertType, chain: Chain, now: Date): string | undefined {
  if (c.unhandledCriticalExtensions.length > 0) return 'x509: unhandled critical extension';
  const child = chain.at(-1);
  if (child !== undefined && !child.rawIssuer.equals(c.rawSubject)) return 'x509: issuer name does not match subject from issuing certificate';
  if (now.getTime() < c.notBefore.ms) return `x509: certificate has expired or is not yet valid: current time ${metaTime(now)} is before ${rfc3339(c.notBefore)}`;
  if (now.getTime() > c.notAfter.ms) return `x509: certificate has expired or is not yet valid: current time ${metaTime(now)} is after ${rfc3339(c.notAfter)}`;
  // Key usage bits are not checked here (Go ignores them on purpose); CheckSignatureFrom checks certSign.
  if (certType === 'intermediate' && (!c.basicConstraintsValid || !c.isCA)) return 'x509: certificate is not authorized to sign other certificates';
  if (c.basicConstraintsValid && c.maxPathLen >= 0 && chain.length - 1 > c.maxPathLen) return 'x509: too many intermediates for path length constraint';
  return undefined;
}

/** cert_pool.go findPotentialParents: same subject as the child's issuer, key identifiers that match first. */
function potentialParents(child: ParsedCertificate, pool: readonly ParsedCertificate[]): ParsedCertificate[] {
  const matching: ParsedCertificate[] = [];
  const oneKeyId: ParsedCertificate[] = [];
  const mismatched: ParsedCertificate[] = [];
  for (const candidate of pool) {
    if (!candidate.rawSubject.equals(child.rawIssuer)) continue;
    if (candidate.subjectKeyId.equals(child.authorityKeyId)) matching.push(candidate);
    else if ((candidate.subjectKeyId.length === 0) !== (child.authorityKeyId.length === 0)) oneKeyId.push(candidate);
    else mismatched.push(candidate);
  }
  return [...matching, ...oneKeyId, ...mismatched];
}

/** verify.go alreadyInChain: the same subject, public key and SAN extension (loops through cross-signatures). */
function alreadyInChain(candidate: ParsedCertificate, chain: Chain): boolean {
  return chain.some(
    (c) =>
      c.rawSubject.equals(candidate.rawSubject) &&
      c.rawSubjectPublicKeyInfo.equals(candidate.rawSubjectPublicKeyInfo) &&
      (c.subjectAltName === undefined) === (candidate.subjectAltName === undefined) &&
      (c.subjectAltName === undefined || c.subjectAltName.equals(candidate.subjectAltName!)),
  );
}

/** UnknownAuthorityError.Error(): names the candidate that came closest and why it failed. */
function unknownAuthority(hint: { err: string; cert: ParsedCertificate } | undefined): string {
  const s = 'x509: certificate signed by unknown authority';
  if (hint === undefined) return s;
  const { commonName, organizations } = hint.cert;
  const certName = commonName !== '' ? commonName : (organizations[0] ?? `serial:${hint.cert.serial.toString()}`);
  return `${s} (possibly because of ${goQuote(hint.err)} while trying to verify candidate authority certificate ${goQuote(certName)})`;
}

interface Pools {
  roots: readonly ParsedCertificate[];
  intermediates: readonly ParsedCertificate[];
  now: Date;
  sigChecks: { count: number };
}

/** verify.go buildChains: every path from `chain`'s last certificate to a root, or the error Go reports. */
function buildChains(chain: Chain, pools: Pools): Chain[] {
  const c = chain.at(-1)!;
  const chains: Chain[] = [];
  let err: string | undefined;
  let hint: { err: string; cert: ParsedCertificate } | undefined;
  const candidates: [CertType, ParsedCertificate][] = [
    ...potentialParents(c, pools.roots).map((p): [CertType, ParsedCertificate] => ['root', p]),
    ...potentialParents(c, pools.intermediates).map((p): [CertType, ParsedCertificate] => ['intermediate', p]),
  ];
  for (const [certType, candidate] of candidates) {
    if (++pools.sigChecks.count > MAX_CHAIN_SIGNATURE_CHECKS) {
      err = SIGNATURE_LIMIT;
      break;
    }
    // Go leaves a certificate whose key algorithm it does not know without a public key, and skips it.
    if (candidate.publicKey === undefined || alreadyInChain(candidate, chain)) continue;
    const sigErr = checkSignatureFrom(c, candidate);
    if (sigErr !== undefined) {
      hint ??= { err: sigErr, cert: candidate };
      continue;
    }
    // As in Go, the last candidate's failure (not the first) is the error when no chain is found.
    err = isValid(candidate, certType, chain, pools.now);
    if (err !== undefined) {
      hint ??= { err, cert: candidate };
      continue;
    }
    if (certType === 'root') {
      chains.push([...chain, candidate]);
      continue;
    }
    try {
      appendAll(chains, buildChains([...chain, candidate], pools));
      err = undefined;
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      err = e.message;
      if (err === SIGNATURE_LIMIT) break;
    }
  }
  if (chains.length > 0) return chains;
  throw new VerifyError(err ?? unknownAuthority(hint));
}

/** verify.go checkChainForKeyUsage for one usage: every certificate that lists usages must allow it. */
function allowsUsage(chain: Chain, usage: string): boolean {
  return chain.every((c) => c.extKeyUsage.length === 0 || c.extKeyUsage.includes(ANY_EXTENDED_KEY_USAGE) || c.extKeyUsage.includes(usage));
}

/**
 * Certificate.Verify(VerifyOptions{Roots, Intermediates, KeyUsages: [ClientAuth]}) as kube's x509 authenticator
 * calls it: the verified chains, or Go's error text. `usage` SERVER_AUTH is what a TLS client asks of a server's
 * chain (handshake_client.go verifyServerCertificate leaves KeyUsages empty, which Verify reads as ServerAuth);
 * the hostname check Verify makes between the leaf's validity and chain building is the caller's (DNSName).
 */
export function verifyChains(leaf: ParsedCertificate, intermediates: readonly ParsedCertificate[], roots: readonly ParsedCertificate[], now: Date, usage: string = CLIENT_AUTH): Chain[] | string {
  const leafErr = isValid(leaf, 'leaf', [], now);
  if (leafErr !== undefined) return leafErr;
  let candidates: Chain[];
  if (roots.some((r) => r.cert.raw.equals(leaf.cert.raw))) {
    candidates = [[leaf]];
  } else {
    try {
      candidates = buildChains([leaf], { roots, intermediates, now, sigChecks: { count: 0 } });
    } catch (e) {
      if (e instanceof VerifyError) return e.message;
      throw e;
    }
  }
  const usable = candidates.filter((chain) => allowsUsage(chain, usage));
  if (usable.length === 0) return 'x509: certificate specifies an incompatible key usage';
  const policyFree = usable.filter((chain) => !policiesUnchecked(chain));
  if (policyFree.length === 0) return POLICIES_UNCHECKED;
  const checked = policyFree.filter((chain) => !nameConstraintsUnchecked(chain));
  return checked.length > 0 ? checked : NAME_CONSTRAINTS_UNCHECKED;
}

const POLICIES_UNCHECKED =
  'x509: no valid chains built: kube-auth-mock does not evaluate certificate policies, so it refuses every chain with a policyMappings or policyConstraints extension';

/**
 * Go's policiesValid (verify.go, RFC 5280 section 6.1) can refuse a chain only through policy mappings (to or
 * from anyPolicy) or policy constraints (requireExplicitPolicy, inhibitPolicyMapping); certificatePolicies
 * and inhibitAnyPolicy alone never fail a chain when, as in kube, no policy is asked for. Without that
 * evaluation here, such a chain is refused rather than granted.
 */
function policiesUnchecked(chain: Chain): boolean {
  return chain.length > 1 && chain.some((c) => c.hasPolicyConstraints);
}

const NAME_CONSTRAINTS_UNCHECKED =
  'x509: a root or intermediate certificate is not authorized to sign for this name: kube-auth-mock does not match names against name constraints, so it refuses every chain in which a name-constrained CA certifies a certificate with subject alternative names';

/**
 * Go applies a CA's name constraints to the SAN names of every certificate below it in the chain and drops
 * the chains that break them. Without that matching here, such a chain is refused rather than granted: a
 * refusal where Go might accept, never a grant where Go refuses. Chains without SANs under the CA are as in Go.
 */
function nameConstraintsUnchecked(chain: Chain): boolean {
  let highestConstrained = 0;
  chain.forEach((c, i) => {
    if (c.hasNameConstraints) highestConstrained = i;
  });
  return chain.slice(0, highestConstrained).some((c) => c.hasConstrainableNames);
}
