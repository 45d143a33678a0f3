import { X509Certificate } from 'node:crypto';
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

/** Splits a PEM bundle into certificates (a --client-ca-file may hold several). */
export function parseCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * Go's default cipher suites (crypto/tls cipher_suites.go cipherSuitesPreferenceOrder, less defaults.go's
 * disabledCipherSuites, rsaKexCiphers and tdesCiphers since Go 1.22), which kube-apiserver serves when
 * --tls-cipher-suites is unset: TLS 1.2 only with ECDHE (forward secret), never RSA key exchange, 3DES,
 * RC4 or CBC-SHA256. OpenSSL names; the TLS 1.3 suites are listed too, as node turns TLS 1.3 off otherwise.
 */
export const GO_DEFAULT_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
].join(':');
