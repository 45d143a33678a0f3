import { constants, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server as TlsServer } from 'node:tls';
import type { ServerOptions } from 'node:https';
import { PkiError } from '../util/errors.js';

/** Splits a PEM bundle into certificates (a --client-ca-file may hold several). */
export function parseCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/** A PEM file a flag names; a file that cannot be read is a PkiError naming it and what it was for. */
export async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new PkiError(file, 'PKI_UNREADABLE', `cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A CA bundle (--client-ca-file, --requestheader-client-ca-file) parsed; a broken or certificate-less one is a PkiError naming `file`. */
export function parseCaBundle(file: string, pem: string): X509Certificate[] {
  let roots: X509Certificate[];
  try {
    roots = parseCertificateBundle(pem);
  } catch (err) {
    throw new PkiError(file, 'PKI_CORRUPT', `is not a valid PEM certificate bundle (${(err as Error).message})`);
  }
  if (roots.length === 0) throw new PkiError(file, 'PKI_CORRUPT', 'no PEM certificate found');
  return roots;
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

/**
 * The TLS and header settings kube-apiserver serves with: client certificates requested but not required (a bad
 * one gets the x509 authenticator's 401), TLS 1.2 and up, Go's default suites in Go's preference order, and
 * MaxHeaderBytes of 1 MiB (node's default is 16 KiB). The bench's bare baseline server uses the same.
 *
 * No session tickets (SSL_OP_NO_TICKET): a resumed OpenSSL session keeps only the client's leaf certificate, not
 * the intermediates it sent, so the x509 authenticator would answer 401 to a resumed connection that kube-apiserver
 * (Go keeps the whole peer chain in its ticket) authenticates. In TLS 1.3 NO_TICKET makes OpenSSL issue stateful
 * tickets instead; listen() refuses those in the 'resumeSession' event (refuseSessionResumption), so every connection
 * is a full handshake with the client's whole chain.
 */
export function servingOptions(pems: { keyPem: string; certPem: string; clientCaPem: string }): ServerOptions {
  return {
    key: pems.keyPem,
    cert: pems.certPem,
    ca: pems.clientCaPem,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ciphers: GO_DEFAULT_CIPHERS,
    honorCipherOrder: true,
    maxHeaderSize: 1 << 20,
    // Go's crypto/tls refuses a client's renegotiation (Config.Renegotiation is for clients); OpenSSL would let a
    // TLS 1.2 client swap its certificate under a connection whose requests were authenticated with the first one.
    secureOptions: constants.SSL_OP_NO_TICKET | constants.SSL_OP_NO_RENEGOTIATION,
  };
}

/**
 * Makes every stateful resumption attempt (a TLS 1.2 session id, a TLS 1.3 stateful ticket) miss, so the client
 * falls back to a full handshake (see servingOptions for why). node's server keeps no session cache of its own
 * (SSL_SESS_CACHE_NO_INTERNAL), so a session is only ever found through this event; answering "not found" says so
 * explicitly instead of relying on nobody listening. The tests check that an offered session is not resumed.
 */
export function refuseSessionResumption(server: TlsServer): void {
  server.on('resumeSession', (_id: Buffer, cb: (err: Error | null, data: Buffer | null) => void) => cb(null, null));
}
