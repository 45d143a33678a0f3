// The JSON Web Key Set kube-apiserver publishes at /openid/v1/jwks: one JWK per ServiceAccount verification key.
// Sources: pkg/serviceaccount/openidmetadata.go (publicJWKSFromKeys, jwkFromPublicKey, algorithmFromPublicKey) and
// go-jose v2.6.3's jwk.go (rawJSONWebKey's field order, fromRsaPublicKey, fromEcPublicKey), which kube marshals with.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { aggregateMessage } from '../../apimachinery/aggregate.js';
import { keyIdFromPublicKey } from './key-id.js';

/** The signature algorithms kube assigns to keys: RS256 for every RSA key, ES256/384/512 by the ECDSA curve. */
export type JwkAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

/** An RSA public key as go-jose writes it: use, kty, kid, alg, n, e. */
export interface RsaJwk {
  use: 'sig';
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  n: string;
  e: string;
}

/** An ECDSA public key as go-jose writes it: use, kty, kid, crv, alg, x, y. */
export interface EcJwk {
  use: 'sig';
  kty: 'EC';
  kid: string;
  crv: 'P-256' | 'P-384' | 'P-521';
  alg: 'ES256' | 'ES384' | 'ES512';
  x: string;
  y: string;
}

/** One key of the set. */
export type PublicJwk = RsaJwk | EcJwk;

/** go-jose's JSONWebKeySet: `{"keys":[...]}`. */
export interface PublicJwks {
  keys: PublicJwk[];
}

// OpenSSL's curve names, as node reports them in asymmetricKeyDetails, to JOSE's crv and kube's alg.
const CURVES: Readonly<Record<string, { crv: EcJwk['crv']; alg: EcJwk['alg'] }>> = {
  prime256v1: { crv: 'P-256', alg: 'ES256' },
  secp384r1: { crv: 'P-384', alg: 'ES384' },
  secp521r1: { crv: 'P-521', alg: 'ES512' },
};

/** kube's algorithmFromPublicKey; throws kube's error for other key types and curves. */
export function algorithmFromPublicKey(key: KeyObject): JwkAlgorithm {
  const publicKey = publicHalf(key);
  if (publicKey.asymmetricKeyType === 'rsa') return 'RS256';
  if (publicKey.asymmetricKeyType === 'ec') {
    const curve = CURVES[publicKey.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve === undefined) throw new Error('unknown private key curve, must be 256, 384, or 521');
    return curve.alg;
  }
  throw new Error('unknown public key type, must be *rsa.PublicKey, *ecdsa.PublicKey, or jose.OpaqueSigner');
}

/**
 * kube's jwkFromPublicKey, marshalled as go-jose does: kid is keyIDFromPublicKey, use is "sig"; n and e are
 * big-endian without leading zero bytes, x and y padded to the curve's size, all base64url without padding
 * (node's JWK export encodes the numbers the same way). A private key stands for its public half, as in kube's
 * StaticPublicKeysGetter.
 */
export function jwkFromPublicKey(key: KeyObject): PublicJwk {
  const publicKey = publicHalf(key);
  const alg = algorithmFromPublicKey(publicKey);
  const kid = keyIdFromPublicKey(publicKey);
  const jwk = publicKey.export({ format: 'jwk' });
  if (alg === 'RS256') return { use: 'sig', kty: 'RSA', kid, alg, n: jwk.n!, e: jwk.e! };
  const curve = CURVES[publicKey.asymmetricKeyDetails!.namedCurve!]!;
  return { use: 'sig', kty: 'EC', kid, crv: curve.crv, alg: curve.alg, x: jwk.x!, y: jwk.y! };
}

/**
 * kube's publicJWKSFromKeys: every key in order (a key given twice is listed twice); any key that has no JWK
 * fails the whole set with kube's aggregate of "error constructing JWK for key #i: ...".
 */
export function publicJwksFromKeys(keys: readonly KeyObject[]): PublicJwks {
  const out: PublicJwk[] = [];
  const errors: string[] = [];
  keys.forEach((key, i) => {
    try {
      out.push(jwkFromPublicKey(key));
    } catch (err) {
      errors.push(`error constructing JWK for key #${i}: ${(err as Error).message}`);
    }
  });
  if (errors.length > 0) throw new Error(aggregateMessage(errors));
  return { keys: out };
}

function publicHalf(key: KeyObject): KeyObject {
  if (key.type === 'private') return createPublicKey(key);
  if (key.type === 'secret') throw new Error('unknown public key type, must be *rsa.PublicKey, *ecdsa.PublicKey, or jose.OpaqueSigner');
  return key;
}
