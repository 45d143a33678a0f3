// What a TLS connection negotiated and what the client presented, read from node's TLSSocket once per connection.
// The connection trace (--tls-trace), the request log and the live view all read it from here.
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { summarizeCertificate, type CertificateSummary } from './certificate-summary.js';
import type { X509Certificate } from 'node:crypto';

/** One connection's negotiated parameters and the client's certificate chain. */
export interface TlsConnectionFacts {
  /** "TLSv1.3", "TLSv1.2". */
  protocol: string;
  /** The IANA name of the cipher suite ("TLS_AES_128_GCM_SHA256"), and OpenSSL's. */
  cipherSuite: string;
  cipherOpenSsl: string;
  /** The key exchange group ("X25519", "P-256"), when it could be observed; undefined otherwise. */
  keyExchangeGroup?: string;
  /** The ALPN protocol agreed, or false when none was. */
  alpn: string | false;
  /** The server name the client asked for (SNI), or false when it sent none (an IP address is never sent). */
  sni: string | false;
  /** Whether the session was resumed from an earlier one. */
  resumed: boolean;
  /** The client's certificate chain as presented, leaf first; empty when it sent none. */
  clientChain: CertificateSummary[];
  /** The client's address and port, as Go's RemoteAddr writes them. */
  remote: string;
}

const facts = new WeakMap<Socket, TlsConnectionFacts>();

/** The client's chain as OpenSSL hands it over, linked through issuerCertificate, leaf first. */
export function presentedChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let cert: X509Certificate | undefined = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
  while (cert !== undefined && !chain.includes(cert) && chain.length < 16) {
    chain.push(cert);
    const issuer: X509Certificate | undefined = cert.issuerCertificate;
    if (issuer === undefined || issuer.fingerprint256 === cert.fingerprint256) break;
    cert = issuer;
  }
  return chain;
}

/** The facts of an established TLS connection, computed once per socket (keep-alive requests share them). */
export function tlsConnectionFacts(socket: TLSSocket): TlsConnectionFacts {
  const known = facts.get(socket);
  if (known !== undefined) return known;
  const cipher = socket.getCipher();
  const host = socket.remoteAddress ?? '';
  const read: TlsConnectionFacts = {
    protocol: socket.getProtocol() ?? 'unknown',
    cipherSuite: cipher.standardName,
    cipherOpenSsl: cipher.name,
    alpn: socket.alpnProtocol ?? false,
    sni: typeof socket.servername === 'string' && socket.servername !== '' ? socket.servername : false,
    resumed: socket.isSessionReused(),
    clientChain: presentedChain(socket).map(summarizeCertificate),
    remote: `${host.includes(':') ? `[${host}]` : host}:${socket.remotePort ?? ''}`,
  };
  facts.set(socket, read);
  return read;
}
