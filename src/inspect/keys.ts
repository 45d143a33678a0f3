// Private and public keys: which format, which algorithm and size, and the fingerprint of the public half that ties a
// key to its certificate. Encrypted keys are named and left alone: kubectl and kube-apiserver (Go's tls.X509KeyPair
// and keyutil.ParsePrivateKeyPEM) cannot read them either.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { algorithmFromPublicKey } from '../authn/serviceaccount/jwks.js';
import { keyIdFromPublicKey } from '../authn/serviceaccount/key-id.js';
import type { PrivateKeyItem, PublicKeyItem } from './types.js';

/** "RSA 2048", "EC prime256v1", "Ed25519": the same words as certificate-summary.ts uses for a certificate's key. */
export function keyAlgorithm(key: KeyObject): string {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') return `RSA${type === 'rsa-pss' ? '-PSS' : ''} ${details.modulusLength ?? '?'}`;
  if (type === 'ec') return `EC ${details.namedCurve ?? '?'}`;
  if (type === 'ed25519') return 'Ed25519';
  return type;
}

/** SHA-256 of a key's SubjectPublicKeyInfo (the public half of a private key), upper-case colon hex. */
export function publicKeySha256(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return (createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase().match(/../g) ?? []).join(':');
}

/** The kid and JWS algorithm kube would use for this key as a ServiceAccount key; undefined for keys kube cannot sign with. */
function serviceAccountKey(key: KeyObject): { kid: string; alg: string } | undefined {
  try {
    const alg = algorithmFromPublicKey(key);
    return { kid: keyIdFromPublicKey(key.type === 'private' ? createPublicKey(key) : key), alg };
  } catch {
    return undefined;
  }
}

/** The PEM labels of private keys, and the format each names. */
const PRIVATE_LABELS: Readonly<Record<string, { format: string; type: 'pkcs1' | 'pkcs8' | 'sec1' }>> = {
  'RSA PRIVATE KEY': { format: 'PKCS#1', type: 'pkcs1' },
  'PRIVATE KEY': { format: 'PKCS#8', type: 'pkcs8' },
  'EC PRIVATE KEY': { format: 'SEC1', type: 'sec1' },
};

export const PRIVATE_KEY_LABELS = new Set([...Object.keys(PRIVATE_LABELS), 'ENCRYPTED PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY']);
export const PUBLIC_KEY_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);

/** A private key item from a key object that node could read. */
function privateItem(position: number, format: string, key: KeyObject): PrivateKeyItem {
  const sa = serviceAccountKey(key);
  return {
    kind: 'private-key',
    position,
    format,
    encrypted: false,
    algorithm: keyAlgorithm(key),
    publicKeySha256: publicKeySha256(key),
    ...(sa === undefined ? {} : { serviceAccountKeyId: sa.kid }),
    note: 'a secret: whoever holds it can act as the certificate or signer it belongs to; keep it 0600',
  };
}

/** A PEM private key block: read it, or say that it is encrypted. Throws with a one-line reason when it is damaged. */
export function privateKeyFromPem(position: number, label: string, headers: Record<string, string>, der: Buffer): { item: PrivateKeyItem; key?: KeyObject } {
  const encryptedLegacy = /ENCRYPTED/.test(headers['Proc-Type'] ?? '');
  if (label === 'ENCRYPTED PRIVATE KEY' || encryptedLegacy) {
    const format = label === 'ENCRYPTED PRIVATE KEY' ? 'encrypted PKCS#8' : `encrypted ${PRIVATE_LABELS[label]?.format ?? label} (OpenSSL PEM encryption, ${headers['DEK-Info']?.split(',')[0] ?? 'unknown cipher'})`;
    return {
      item: {
        kind: 'private-key', position, format, encrypted: true, algorithm: '', publicKeySha256: '',
        note: 'encrypted with a passphrase: it cannot be read here, and kubectl and kube-apiserver cannot use it either (Go\'s tls.X509KeyPair reads only unencrypted keys); decrypt it with `openssl pkey -in FILE -out plain.key`',
      },
    };
  }
  const known = PRIVATE_LABELS[label];
  if (known === undefined) throw new Error(`a "${label}" block, which kubectl and kube-apiserver cannot read (they take PKCS#1, PKCS#8 and SEC1 keys)`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: known.type });
  } catch (err) {
    throw new Error(`a damaged ${known.format} private key (${(err as Error).message})`);
  }
  return { item: privateItem(position, known.format, key), key };
}

/** A PEM public key block. */
export function publicKeyFromPem(position: number, label: string, der: Buffer): { item: PublicKeyItem; key: KeyObject } {
  const format = label === 'RSA PUBLIC KEY' ? 'PKCS#1' : 'SPKI';
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: format === 'PKCS#1' ? 'pkcs1' : 'spki' });
  } catch (err) {
    throw new Error(`a damaged ${format} public key (${(err as Error).message})`);
  }
  return { item: publicItem(position, format, key), key };
}

function publicItem(position: number, format: string, key: KeyObject): PublicKeyItem {
  const sa = serviceAccountKey(key);
  return {
    kind: 'public-key',
    position,
    format,
    algorithm: keyAlgorithm(key),
    publicKeySha256: publicKeySha256(key),
    ...(sa === undefined ? {} : { serviceAccountKeyId: sa.kid, jwsAlgorithm: sa.alg }),
  };
}

/** A DER key of any of the usual forms, or undefined when the bytes are none of them. */
export function keyFromDer(position: number, der: Buffer): { item: PrivateKeyItem | PublicKeyItem; key: KeyObject } | undefined {
  for (const [format, type] of [['PKCS#8', 'pkcs8'], ['PKCS#1', 'pkcs1'], ['SEC1', 'sec1']] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      return { item: privateItem(position, format, key), key };
    } catch {
      // not this form
    }
  }
  for (const [format, type] of [['SPKI', 'spki'], ['PKCS#1', 'pkcs1']] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      return { item: publicItem(position, format, key), key };
    } catch {
      // not this form
    }
  }
  return undefined;
}

/** Whether two keys (private or public) share a public half. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const spki = (k: KeyObject): Buffer => (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });
  return spki(a).equals(spki(b));
}

/**
 * What Go's tls.X509KeyPair says for a key that is not the certificate's (crypto/tls tls.go): a key of another
 * type ("tls: private key type does not match public key type") or another key of the same type. Go 1.26's tls.go
 * compares RSA keys with PublicKey.Equal (N and E); older Go compared only N, so a key with the right modulus and
 * another exponent loaded there, and failed at the handshake.
 */
export function keyMismatchError(certKey: KeyObject, privateKey: KeyObject): string {
  const family = (k: KeyObject): string => (k.asymmetricKeyType === 'rsa-pss' ? 'rsa' : (k.asymmetricKeyType ?? ''));
  if (family(certKey) !== family(privateKey)) return 'tls: private key type does not match public key type';
  if (family(certKey) === 'rsa') {
    const jwk = (k: KeyObject): { n?: string; e?: string } => (k.type === 'private' ? createPublicKey(k) : k).export({ format: 'jwk' });
    const [a, b] = [jwk(certKey), jwk(privateKey)];
    if (a.n === b.n && a.e !== b.e) return 'tls: private key does not match public key, with a recent Go (PublicKey.Equal); a kubectl built with an older Go compared only the RSA modulus, loads the pair, and the server then finds the handshake signature invalid';
  }
  return 'tls: private key does not match public key';
}
