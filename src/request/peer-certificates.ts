import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

const chains = new WeakMap<Socket, readonly X509Certificate[]>();

/**
 * The certificate chain the client presented on this connection, leaf first, read once per connection
 * (keep-alive requests reuse it). Certificates are requested, never required, during the handshake, so a
 * bad one reaches the x509 authenticator and gets kube's 401 instead of a broken handshake.
 */
export function peerCertificates(socket: Socket): readonly X509Certificate[] {
  const cached = chains.get(socket);
  if (cached !== undefined) return cached;
  const chain: X509Certificate[] = [];
  const tls = socket as TLSSocket;
  // getPeerX509Certificate hands over OpenSSL's parsed certificates, linked through issuerCertificate;
  // getPeerCertificate(true) would build a JS object of every field and need each one parsed again.
  let cert: X509Certificate | undefined = typeof tls.getPeerX509Certificate === 'function' ? tls.getPeerX509Certificate() : undefined;
  while (cert !== undefined && !chain.includes(cert) && chain.length < 16) {
    chain.push(cert);
    const issuer: X509Certificate | undefined = cert.issuerCertificate;
    if (issuer === undefined || issuer.fingerprint256 === cert.fingerprint256) break;
    cert = issuer;
  }
  chains.set(socket, chain);
  return chain;
}
