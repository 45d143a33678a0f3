// The serving certificate and key given by flag are checked before the TLS server is made, so a bad file
// stops start-up naming it (kube-apiserver: "failed to load ... cert/key pair"), not with an OpenSSL stack.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { PkiError } from '../util/errors.js';

/** A PEM text and the file (or description) it came from. */
export interface PemSource {
  file: string;
  pem: string;
}

function opensslReason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Throws a PkiError naming the file when the certificate or key does not parse, or when they are not a pair. */
export function checkServingPair(cert: PemSource, key: PemSource): void {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert.pem);
  } catch (err) {
    throw new PkiError(cert.file, 'PKI_CORRUPT', `is not a valid PEM certificate (${opensslReason(err)})`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key.pem);
  } catch (err) {
    throw new PkiError(key.file, 'PKI_CORRUPT', `is not a valid unencrypted PEM private key (${opensslReason(err)})`);
  }
  if (!leaf.checkPrivateKey(privateKey)) throw new PkiError(key.file, 'PKI_KEY_MISMATCH', `does not match the certificate in ${cert.file}`);
}

/**
 * Throws a PkiError naming the file when TLS itself refuses what parsed: a key OpenSSL finds too weak for its
 * security level ("ee key too small"), a CA bundle it cannot load. node would throw the same from the server's
 * constructor, as a stack trace.
 */
export function checkTlsAccepts(cert: PemSource, key: PemSource, clientCa: PemSource): void {
  try {
    createSecureContext({ cert: cert.pem, key: key.pem });
  } catch (err) {
    throw new PkiError(cert.file, 'PKI_UNSUPPORTED', `cannot be served with the key in ${key.file} (${opensslReason(err)})`);
  }
  try {
    createSecureContext({ ca: clientCa.pem });
  } catch (err) {
    throw new PkiError(clientCa.file, 'PKI_UNSUPPORTED', `cannot be used as the client CA bundle (${opensslReason(err)})`);
  }
}
