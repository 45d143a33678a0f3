// The server's certificate judged as a Go TLS client judges it, check by check, so each can be narrated while
// the verdict stays Go's. crypto/tls handshake_client.go verifyServerCertificate calls
// certs[0].Verify(VerifyOptions{Roots: RootCAs, Intermediates: certs[1:], DNSName: ServerName}) and wraps a failure
// as CertificateVerificationError ("tls: failed to verify certificate: ..."); crypto/x509 verify.go Verify checks, in
// this order and stopping at the first failure: the leaf's validity period, the hostname, a chain to a root, then
// the chain's extended key usage (none asked: ServerAuth).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { metaTime } from '../apimachinery/meta-time.js';
import { parseCertificate, type ParsedCertificate } from '../authn/x509-parse.js';
import { rfc3339 } from '../authn/x509-time.js';
import { SERVER_AUTH, verifyChains } from '../authn/x509-verify.js';
import { distinguishedName } from '../tls/certificate-summary.js';
import { certificateNames, verifyHostname } from './go-hostname.js';

/** One of Verify's checks: passed, failed (Go's error text), or not reached because an earlier one failed. */
export interface VerifyCheck {
  name: 'validity' | 'hostname' | 'chain' | 'usage';
  result: 'ok' | 'failed' | 'not reached';
  /** What was checked and what was found, in words. */
  detail: string;
  /** Go's error text when the check failed. */
  error?: string;
}

/** The outcome: the checks in Go's order and, when one failed, Go's error (x509: ...). */
export interface ServerVerification {
  checks: VerifyCheck[];
  error?: string;
  /** The verified chain's subjects, leaf first, when a chain was found. */
  chain?: string[];
}

/** Where the roots came from, for the narration. */
export interface Roots {
  certs: X509Certificate[];
  source: string;
}

/** Splits PEM text into certificates; blocks that are not certificates are skipped, as AppendCertsFromPEM does. */
export function certificatesFromPem(pem: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // AppendCertsFromPEM skips a block that does not parse.
    }
  }
  return out;
}

/**
 * client-go transport.go rootCertPool: undefined when the CA data gives a pool, else its error (after
 * "unable to load root certificates: "), as createErrorParsingCAData words it.
 */
export function caDataError(pem: string): string | undefined {
  if (certificatesFromPem(pem).length > 0) return undefined;
  const blocks = [...pem.matchAll(/-----BEGIN ([^-]+)-----/g)].map((m) => m[1]);
  if (blocks.length === 0) return 'unable to parse bytes as PEM block';
  if (blocks.includes('CERTIFICATE')) return 'failed to parse certificate: x509: malformed certificate';
  return 'no valid certificate authority data seen';
}

/**
 * Go's system roots on Linux (crypto/x509 root_unix.go, root_linux.go): $SSL_CERT_FILE, else the first bundle
 * of certFiles that reads. Node's bundled Mozilla store stands in when none exists (said in the source).
 */
export function systemRoots(env: NodeJS.ProcessEnv = process.env): Roots {
  const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/pki/tls/cacert.pem', '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', '/etc/ssl/cert.pem'];
  for (const file of files) {
    try {
      const certs = certificatesFromPem(readFileSync(file, 'utf8'));
      if (certs.length > 0) return { certs, source: `the system roots (${file}, ${certs.length} certificates)` };
    } catch {
      // the next file, as Go tries them
    }
  }
  return { certs: rootCertificates.flatMap(certificatesFromPem), source: `node's bundled root store (${rootCertificates.length} certificates; no system bundle found)` };
}

const parsed = (certs: readonly X509Certificate[]): ParsedCertificate[] => certs.map(parseCertificate).filter((p): p is ParsedCertificate => typeof p !== 'string');

/**
 * Verify(VerifyOptions{Roots, Intermediates: rest of the chain, DNSName: serverName}) as a Go client makes it,
 * narrated. `presented` is the server's chain, leaf first.
 */
export function verifyServerChain(presented: readonly X509Certificate[], roots: readonly X509Certificate[], serverName: string, now: Date): ServerVerification {
  const [leafCert, ...rest] = presented;
  if (leafCert === undefined) return { checks: [], error: 'tls: server sent no certificate' };
  const leaf = parseCertificate(leafCert);
  // handshake_client.go: a certificate Go cannot parse ends the handshake before any check.
  if (typeof leaf === 'string') return { checks: [], error: `tls: failed to parse certificate from server: ${leaf}` };
  const checks: VerifyCheck[] = [];
  let error: string | undefined;
  const add = (name: VerifyCheck['name'], detail: string, failure: string | undefined): void => {
    if (error !== undefined) {
      checks.push({ name, result: 'not reached', detail: `${detail} (not reached: Go stops at the first failure)` });
      return;
    }
    checks.push({ name, result: failure === undefined ? 'ok' : 'failed', detail, ...(failure !== undefined ? { error: failure } : {}) });
    error = failure;
  };
  // verify.go isValid(leafCertificate): the validity period, with Go's text.
  const t = now.getTime();
  const validity = t < leaf.notBefore.ms ? `x509: certificate has expired or is not yet valid: current time ${metaTime(now)} is before ${rfc3339(leaf.notBefore)}` : t > leaf.notAfter.ms ? `x509: certificate has expired or is not yet valid: current time ${metaTime(now)} is after ${rfc3339(leaf.notAfter)}` : undefined;
  add('validity', `valid from ${rfc3339(leaf.notBefore)} to ${rfc3339(leaf.notAfter)}; now is ${metaTime(now)}`, validity);
  // VerifyHostname(DNSName): IP hosts against IP SANs, names against DNS SANs, never the CommonName.
  const names = certificateNames(leafCert);
  const listed = [...names.dnsNames.map((d) => `DNS:${d}`), ...names.ipAddresses.map((i) => `IP:${i}`)];
  add('hostname', `${JSON.stringify(serverName)} against the SANs [${listed.join(', ')}]`, verifyHostname(names, serverName));
  // buildChains and checkChainForKeyUsage(ServerAuth), with the rest of the chain as intermediates.
  const result = error === undefined ? verifyChains(leaf, parsed(rest), parsed(roots), now, SERVER_AUTH) : undefined;
  const chainFailure = typeof result === 'string' && !result.includes('incompatible key usage') ? result : undefined;
  const usageFailure = typeof result === 'string' && result.includes('incompatible key usage') ? result : undefined;
  const chain = Array.isArray(result) ? result[0]!.map((c) => distinguishedName(c.cert.subject)) : undefined;
  add('chain', chain !== undefined ? `a chain to a trusted root: ${chain.map((s) => JSON.stringify(s)).join(', signed by ')}` : `a chain from ${JSON.stringify(distinguishedName(leafCert.issuer))} to one of ${roots.length} trusted root(s)`, chainFailure);
  add('usage', `every certificate of the chain allows serverAuth (or lists no extended key usage)`, usageFailure);
  return { checks, ...(error !== undefined ? { error } : {}), ...(chain !== undefined ? { chain } : {}) };
}
