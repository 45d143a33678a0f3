// What a TLS connection negotiated and what the client presented, read from node's TLSSocket once per connection.
// The connection trace (--tls-trace), the request log and the live view all read it from here.
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { summarizeCertificate, type CertificateSummary } from './certificate-summary.js';
import type { X509Certificate } from 'node:crypto';
import { groupName } from './handshake-records.js';
import { observedHandshake } from './handshake-observer.js';
import { joinHostPort } from '../util/host-port.js';

/** One connection's negotiated parameters and the client's certificate chain. */
export interface TlsConnectionFacts {
  /** "TLSv1.3", "TLSv1.2". */
  protocol: string;
  /** The IANA name of the cipher suite ("TLS_AES_128_GCM_SHA256"), and OpenSSL's. */
  cipherSuite: string;
  cipherOpenSsl: string;
  /**
   * The key exchange group ("X25519", "P-256", "X25519MLKEM768"), read from the handshake's plaintext while its
   * server observes handshakes (--tls-trace, handshake-observer.ts); undefined otherwise, and for a handshake
   * without one (a resumed TLS 1.2 session).
   */
  keyExchangeGroup?: string;
  /** Whether the server asked for another key share first (a TLS 1.3 HelloRetryRequest); only while observing. */
  helloRetryRequest?: boolean;
  /** The ALPN protocol agreed, or false when none was. */
  alpn: string | false;
  /** The server name the client asked for (SNI), or false when it sent none (an IP address is never sent); read from the ClientHello while observing. */
  sni: string | false;
  /** Whether the session was resumed from an earlier one. */
  resumed: boolean;
  /** The client's certificate chain as presented, leaf first; empty when it sent none. */
  clientChain: CertificateSummary[];
  /** The client's address and port, as Go's RemoteAddr writes them. */
  remote: string;
}

const facts = new WeakMap<Socket, TlsConnectionFacts>();
const chains = new WeakMap<Socket, readonly X509Certificate[]>();

/** What a TLS socket's native handle offers that keepPeerChain wraps (node's internal TLSWrap). */
interface PeerCertificateHandle {
  getPeerX509Certificate?: () => X509Certificate | undefined;
}

/**
 * Keeps the intermediates a client sends readable. OpenSSL hands the client's intermediates over once: node's
 * getPeerX509Certificate() removes them from OpenSSL's list as it links them through issuerCertificate, so a second
 * read has the leaf alone (Node 20.20 and 24 alike). node 24.21 (and 26.8-26.9) makes that first read itself once
 * OpenSSL has verified the chain (onServerSocketSecure), so there every read this package makes would have no
 * issuerCertificate and a chain through an intermediate would be refused (nodejs/node#65579, fixed by #65602); on
 * Node 20 any second reader (the trace, then the authenticator) would lose it the same way. The server's 'keylog'
 * event names each TLS socket during its handshake, before any read; there the handle is made to hand every caller
 * the first certificate read, taken while the chain is whole (the server refuses renegotiation, so there is no
 * second handshake whose chain could differ).
 *
 * `warn` is called once per server if node's TLS handle does not have the shape this relies on (a node release
 * that changed its internals): chains through an intermediate may then be refused, and the log should say why.
 */
export function keepPeerChain(server: TlsServer, warn: (message: string) => void = () => {}): void {
  const kept = new WeakSet<TLSSocket>();
  let warned = false;
  const warnOnce = (why: string): void => {
    if (warned) return;
    warned = true;
    warn(`cannot keep client certificate chains readable (${why}); a client certificate signed through an intermediate may be refused`);
  };
  server.prependListener('keylog', (_line: Buffer, socket: TLSSocket) => {
    if (kept.has(socket)) return;
    kept.add(socket);
    const handle = (socket as unknown as { _handle?: PeerCertificateHandle | null })._handle;
    const read = handle?.getPeerX509Certificate;
    if (handle === undefined || handle === null || typeof read !== 'function') {
      warnOnce('the TLS socket has no native handle with getPeerX509Certificate');
      return;
    }
    let first: X509Certificate | undefined;
    // Inside node's keylog emit: a handle that refuses the assignment (frozen, a getter) must not throw there.
    try {
      handle.getPeerX509Certificate = () => (first ??= read.call(handle));
    } catch (err) {
      warnOnce(`the native handle refused the wrapper: ${(err as Error).message}`);
    }
  });
}

/**
 * The client's chain as OpenSSL hands it over, linked through issuerCertificate, leaf first; read once per
 * connection, so the authenticator, the trace and the request log share the same objects. getPeerX509Certificate
 * hands over OpenSSL's parsed certificates; getPeerCertificate(true) would build a JS object of every field.
 */
export function presentedChain(socket: TLSSocket): readonly X509Certificate[] {
  const cached = chains.get(socket);
  if (cached !== undefined) return cached;
  const chain: X509Certificate[] = [];
  let cert: X509Certificate | undefined = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
  while (cert !== undefined && !chain.includes(cert) && chain.length < 16) {
    chain.push(cert);
    const issuer: X509Certificate | undefined = cert.issuerCertificate;
    if (issuer === undefined || issuer.fingerprint256 === cert.fingerprint256) break;
    cert = issuer;
  }
  chains.set(socket, chain);
  return chain;
}

/** The facts of an established TLS connection, computed once per socket (keep-alive requests share them). */
export function tlsConnectionFacts(socket: TLSSocket): TlsConnectionFacts {
  const known = facts.get(socket);
  if (known !== undefined) return known;
  const cipher = socket.getCipher();
  const host = socket.remoteAddress ?? '';
  const observed = observedHandshake(socket);
  const read: TlsConnectionFacts = {
    protocol: socket.getProtocol() ?? 'unknown',
    cipherSuite: cipher.standardName,
    cipherOpenSsl: cipher.name,
    ...(observed?.group !== undefined ? { keyExchangeGroup: groupName(observed.group) } : {}),
    ...(observed !== undefined ? { helloRetryRequest: observed.helloRetryRequest } : {}),
    alpn: socket.alpnProtocol ?? false,
    // node leaves servername unset on a resumed TLS 1.2 session; the ClientHello, when it was read, says what was sent.
    sni: observed?.serverName !== undefined ? (observed.serverName ?? false) : typeof socket.servername === 'string' && socket.servername !== '' ? socket.servername : false,
    resumed: socket.isSessionReused(),
    clientChain: presentedChain(socket).map(summarizeCertificate),
    remote: joinHostPort(host, socket.remotePort ?? ''),
  };
  facts.set(socket, read);
  return read;
}
