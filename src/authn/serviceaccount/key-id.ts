// The key id kube-apiserver puts in a token's header and in its JWKS: the SHA-256 of the public key's PKIX DER,
// base64url without padding. Source: pkg/serviceaccount/jwt.go (keyIDFromPublicKey).
import { createHash, type KeyObject } from 'node:crypto';

/** kube's keyIDFromPublicKey: the same public key always gives the same id, on every server that holds it. */
export function keyIdFromPublicKey(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}
