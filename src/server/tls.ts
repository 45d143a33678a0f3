import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

const chains = new WeakMap<Socket, readonly X509Certificate[]>();

/**
 * The certificate chain the client presented on this connection, leaf first, parsed once per connection
 * (keep-alive requests reuse it). Certificates are requested, never required, during the handshake, so a
 * bad one reaches the x509 authenticator and gets kube's 401 instead of a broken handshake.
 */
export function peerCertificates(socket: Socket): readonly X509Certificate[] {
  const cached = chains.get(socket);
  if (cached !== undefined) return cached;
  const chain: X509Certificate[] = [];
  const tls = socket as TLSSocket;
  if (typeof tls.getPeerCertificate === 'function') {
    let cert: DetailedPeerCertificate | undefined = tls.getPeerCertificate(true);
    const seen = new Set<Buffer>();
    while (cert?.raw !== undefined && !seen.has(cert.raw)) {
      seen.add(cert.raw);
      try {
        chain.push(new X509Certificate(cert.raw));
      } catch {
        break;
      }
      if (cert.issuerCertificate === cert) break;
      cert = cert.issuerCertificate;
    }
  }
  chains.set(socket, chain);
  return chain;
}

/** Splits a PEM bundle into certificates (a --client-ca-file may hold several). */
export function parseCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
