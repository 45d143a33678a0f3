// ServiceAccount keys as kube-apiserver reads them: --service-account-key-file through keyutil.ParsePublicKeysPEM
// (every PEM block of a file is tried as an RSA or ECDSA private key, public key or certificate, whatever its
// label; blocks that are none of these, such as "EC PARAMETERS", are skipped) and
// --service-account-signing-key-file through keyutil.ParsePrivateKeyPEM. Sources (kube v1.34):
// staging/src/k8s.io/client-go/util/keyutil/key.go and pkg/serviceaccount/jwt.go (StaticPublicKeysGetter).
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { keyIdFromPublicKey } from './key-id.js';

/** A verification key and kube's id for it (the `kid` of the tokens it verifies and of the JWKS). */
export interface ServiceAccountPublicKey {
  keyId: string;
  key: KeyObject;
}

interface PemBlock {
  label: string;
  der: Buffer;
}

/** Go's pem.Decode loop: each BEGIN/END block in turn, text between blocks ignored. */
function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([^-\r\n]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // Headers (Proc-Type, ...) end at the first blank line; the rest is base64.
    const body = m[2]!.includes(':') ? m[2]!.replace(/^[\s\S]*?\r?\n\r?\n/, '') : m[2]!;
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) continue;
    blocks.push({ label: m[1]!, der: Buffer.from(body.replace(/\s+/g, ''), 'base64') });
  }
  return blocks;
}

function isRsaOrEc(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec';
}

function attempt(make: () => KeyObject): KeyObject | undefined {
  try {
    const key = make();
    return isRsaOrEc(key) ? key : undefined;
  } catch {
    return undefined;
  }
}

/** One block as ParsePublicKeysPEM tries it: RSA private, RSA public (PKIX, then a certificate), EC private, EC public. */
function publicKeyOfBlock(der: Buffer): KeyObject | undefined {
  const candidates: (() => KeyObject)[] = [
    () => createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })),
    () => createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })),
    () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
    () => new X509Certificate(der).publicKey,
    () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
    () => createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'sec1' })),
  ];
  for (const make of candidates) {
    const key = attempt(make);
    if (key !== undefined) return key;
  }
  return undefined;
}

/** keyutil.ParsePublicKeysPEM: every RSA or ECDSA key in the text; throws kube's message when there is none. */
export function parsePublicKeysPem(text: string): KeyObject[] {
  const keys = pemBlocks(text)
    .map((b) => publicKeyOfBlock(b.der))
    .filter((k): k is KeyObject => k !== undefined);
  if (keys.length === 0) throw new Error('data does not contain any valid RSA or ECDSA public keys');
  return keys;
}

/** keyutil.ParsePrivateKeyPEM: the first RSA or ECDSA private key, by its PEM label as Go reads it. */
export function parsePrivateKeyPem(text: string): KeyObject {
  for (const block of pemBlocks(text)) {
    const type = block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : block.label === 'PRIVATE KEY' ? 'pkcs8' : block.label === 'EC PRIVATE KEY' ? 'sec1' : undefined;
    if (type === undefined) continue;
    const key = attempt(() => createPrivateKey({ key: block.der, format: 'der', type }));
    if (key !== undefined) return key;
  }
  throw new Error('data does not contain a valid RSA or ECDSA private key');
}

/** StaticPublicKeysGetter: each key with its id. */
export function withKeyIds(keys: readonly KeyObject[]): ServiceAccountPublicKey[] {
  return keys.map((key) => ({ keyId: keyIdFromPublicKey(key), key }));
}

/** kube's GetPublicKeys(kid): every key when the token names none, else those whose id it names. */
export function keysForId(keys: readonly ServiceAccountPublicKey[], keyId: string): ServiceAccountPublicKey[] {
  return keyId === '' ? [...keys] : keys.filter((k) => k.keyId === keyId);
}
