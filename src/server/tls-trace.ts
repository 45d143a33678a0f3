// --tls-trace: one event per TLS connection with what it negotiated, the client's certificates and what kube's
// x509 authenticator (staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go) would make of them,
// and a trace-level event for each handshake that failed.
import type { X509Certificate } from 'node:crypto';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { uidFromSubject, verifyClientChain } from '../authn/x509.js';
import type { CertificateSummary } from '../tls/certificate-summary.js';
import { presentedChain, tlsConnectionFacts } from '../tls/connection-facts.js';
import { observeHandshakes } from '../tls/handshake-observer.js';
import type { Logger } from '../util/log.js';
import { joinHostPort } from '../util/host-port.js';

/** The message of the event per connection. */
export const TLS_CONNECTION_MESSAGE = 'TLS connection';
/** The message of the event per failed handshake (trace level). */
export const TLS_HANDSHAKE_FAILED_MESSAGE = 'TLS handshake failed';
/** The verdict when the client sent no certificate. */
export const NO_CLIENT_CERTIFICATE = 'no client certificate';

/** One certificate of the client's chain, as the trace prints it. */
export type TracedCertificate = Pick<CertificateSummary, 'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'sha256'>;

/** The fields of a "TLS connection" event, in the order they are written. */
export interface TlsTraceFields {
  /** The client's address and port ("127.0.0.1:50412"). */
  remote: string;
  /** "TLSv1.3", "TLSv1.2". */
  protocol: string;
  /** The IANA cipher suite name ("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"). */
  cipherSuite: string;
  /** "X25519", "P-256", ...; absent when the handshake had no key exchange (a resumed TLS 1.2 session) or it could not be read. */
  keyExchangeGroup?: string;
  /** True when the server had to ask for another key share (TLS 1.3 HelloRetryRequest). */
  helloRetryRequest?: boolean;
  /** The ALPN protocol agreed ("http/1.1"), or false. */
  alpn: string | false;
  /** The server name the client sent (SNI), or false: clients send none for an IP address. */
  sni: string | false;
  /** Whether the session was resumed. */
  resumed: boolean;
  /** The chain as presented, leaf first; empty without a client certificate. */
  clientCertificates: TracedCertificate[];
  /** What kube's x509 authenticator would make of the chain against the client CA, in one sentence. */
  verdict: string;
}

/**
 * What kube's x509 authenticator would do with this chain against `roots` (--client-ca-file): verify it as Go's
 * crypto/x509 does, then CommonNameUserConversion (an empty CommonName is not a user, the UID attribute must be
 * single and non-empty). A chain of the authenticating proxy's CA is named as such. Returns a sentence starting
 * "accepted", "rejected", "ignored", "front proxy" or "no client certificate".
 */
export function clientChainVerdict(chain: readonly X509Certificate[], roots: readonly X509Certificate[], now: Date, frontProxy?: FrontProxyTrust): string {
  if (chain.length === 0) return NO_CLIENT_CERTIFICATE;
  const path = verifyClientChain(chain, roots, now);
  if (typeof path === 'string') {
    // kube's request header authenticator verifies against its own CA (requestheader.go, x509request.NewVerifier)
    // and then the CommonName against --requestheader-allowed-names; it goes before the x509 one in the union.
    const proxy = frontProxy === undefined ? undefined : verifyClientChain(chain, frontProxy.roots, now);
    if (proxy !== undefined && typeof proxy !== 'string') {
      const allowed = frontProxy!.allowedNames.length === 0 || frontProxy!.allowedNames.includes(proxy.commonName);
      return allowed
        ? `front proxy: verifies against --requestheader-client-ca-file, CommonName ${proxy.commonName} allowed; its requests name their user in headers`
        : `rejected: the front proxy certificate's CommonName ${proxy.commonName} is not in --requestheader-allowed-names, and the x509 authenticator says ${path}`;
    }
    return `rejected: ${path}`;
  }
  if (path.commonName === '') return 'ignored: the chain verifies but the certificate has no CommonName, which the x509 authenticator does not map to a user';
  const uid = uidFromSubject(path.uids);
  if ('error' in uid) return `rejected: ${uid.error}`;
  const groups = path.organizations.length > 0 ? `groups ${path.organizations.join(', ')}` : 'no groups';
  return `accepted: user ${path.commonName}${uid.uid !== '' ? ` (uid ${uid.uid})` : ''}, ${groups}`;
}

/** The authenticating proxy's trust (--requestheader-client-ca-file and --requestheader-allowed-names), when it is on. */
export interface FrontProxyTrust {
  roots: readonly X509Certificate[];
  allowedNames: readonly string[];
}

/** The event for an established connection. */
export function tlsTraceFields(socket: TLSSocket, roots: readonly X509Certificate[], now: Date, frontProxy?: FrontProxyTrust): TlsTraceFields {
  const facts = tlsConnectionFacts(socket);
  return {
    remote: facts.remote,
    protocol: facts.protocol,
    cipherSuite: facts.cipherSuite,
    ...(facts.keyExchangeGroup !== undefined ? { keyExchangeGroup: facts.keyExchangeGroup } : {}),
    ...(facts.helloRetryRequest === true ? { helloRetryRequest: true } : {}),
    alpn: facts.alpn,
    sni: facts.sni,
    resumed: facts.resumed,
    clientCertificates: facts.clientChain.map(({ subject, issuer, serialNumber, notBefore, notAfter, sha256 }) => ({ subject, issuer, serialNumber, notBefore, notAfter, sha256 })),
    verdict: clientChainVerdict(presentedChain(socket), roots, now, frontProxy),
  };
}

/** What the trace needs: where to log, and the roots client certificates are verified against. */
export interface TlsTraceOptions {
  log: Logger;
  clientRoots: () => readonly X509Certificate[];
  frontProxy?: FrontProxyTrust;
  now?: () => Date;
}

/**
 * Logs every connection of `server` (info) and every failed handshake (trace, shown while tracing). Reading the
 * key exchange group takes the handshake through JavaScript (handshake-observer.ts): only call this when tracing.
 */
export function traceTlsConnections(server: TlsServer, opts: TlsTraceOptions): void {
  // The failures are trace-level events: a logger that logs at all logs them while --tls-trace is on.
  const log = opts.log.isLevelEnabled('info') && !opts.log.isLevelEnabled('trace') ? opts.log.child({}, { level: 'trace' }) : opts.log;
  const now = opts.now ?? (() => new Date());
  if (!observeHandshakes(server)) opts.log.warn('--tls-trace: this server\'s connections cannot be observed; the key exchange group is left out');
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!log.isLevelEnabled('info')) return;
    log.info(tlsTraceFields(socket, opts.clientRoots(), now(), opts.frontProxy), TLS_CONNECTION_MESSAGE);
  });
  server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
    const host = socket.remoteAddress;
    const remote = host === undefined ? {} : { remote: joinHostPort(host, socket.remotePort ?? '') };
    log.trace({ ...remote, error: err.message, ...(err.code !== undefined ? { code: err.code } : {}) }, TLS_HANDSHAKE_FAILED_MESSAGE);
  });
}
