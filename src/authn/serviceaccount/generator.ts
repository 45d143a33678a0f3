// The token signer: kube's JWTTokenGenerator (pkg/serviceaccount/jwt.go): RS256 for an RSA key, ES256/384/512 by an
// EC key's curve; the header is {"alg","kid"} (go-jose writes no typ); the claims are the payload with iss added,
// keys in byte order as go-jose's merged map writes them.
import { createPublicKey, type KeyObject } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';
import { keyIdFromPublicKey } from './key-id.js';

/** Signs ServiceAccount tokens for one issuer. */
export interface TokenGenerator {
  readonly issuer: string;
  /** The kid of the tokens it signs. */
  readonly keyId: string;
  generateToken(claims: Record<string, unknown>): string;
}

function algorithmOf(key: KeyObject): jsonwebtoken.Algorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  switch (key.asymmetricKeyDetails?.namedCurve) {
    case 'prime256v1':
      return 'ES256';
    case 'secp384r1':
      return 'ES384';
    case 'secp521r1':
      return 'ES512';
  }
  // kube's own words for a key it cannot sign with.
  throw new Error(key.asymmetricKeyType === 'ec' ? 'unknown private key curve, must be 256, 384, or 521' : `unknown private key type ${key.asymmetricKeyType ?? ''}, must be RSA or ECDSA`);
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((k) => [k, sortedKeys(obj[k])]),
  );
}

/** JWTTokenGenerator(iss, privateKey); throws kube's message for a key it cannot sign with. */
export function jwtTokenGenerator(issuer: string, privateKey: KeyObject): TokenGenerator {
  const algorithm = algorithmOf(privateKey);
  const keyId = keyIdFromPublicKey(createPublicKey(privateKey));
  return {
    issuer,
    keyId,
    generateToken(claims) {
      const payload = sortedKeys({ ...claims, iss: issuer }) as Record<string, unknown>;
      // typ set to undefined keeps jsonwebtoken from writing "typ":"JWT"; noTimestamp keeps it from adding an iat
      // to claims without one (a legacy token's), and it keeps the iat of those that have one, in its place.
      return jsonwebtoken.sign(payload, privateKey, { algorithm, noTimestamp: !('iat' in payload), header: { alg: algorithm, kid: keyId, typ: undefined } as jsonwebtoken.JwtHeader });
    },
  };
}
