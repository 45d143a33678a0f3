// The JWK of each ServiceAccount key kind against kube-apiserver's own bytes (pkg/serviceaccount/openidmetadata.go,
// jwkFromPublicKey and algorithmFromPublicKey; go-jose v2.6.3 marshals them), recorded in kube-jwks-vectors.ts.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { test } from 'node:test';
import * as jose from 'jose';
import { algorithmFromPublicKey, jwkFromPublicKey, publicJwksFromKeys } from '../../../../src/authn/serviceaccount/jwks.js';
import { keyIdFromPublicKey } from '../../../../src/authn/serviceaccount/key-id.js';
import { ALL_KEYSET, ALL_ORDER, KUBE_JWKS_VECTORS } from './kube-jwks-vectors.js';

for (const v of KUBE_JWKS_VECTORS) {
  test(`jwkFromPublicKey: ${v.name} gives kube's JWK, fields in go-jose's order`, () => {
    const key = createPublicKey(v.pem);
    assert.equal(JSON.stringify({ keys: [jwkFromPublicKey(key)] }), v.keyset);
  });

  test(`jwkFromPublicKey: ${v.name}: kid is keyIDFromPublicKey, the numbers are node's and jose's JWK`, async () => {
    const key = createPublicKey(v.pem);
    const jwk = jwkFromPublicKey(key);
    assert.equal(jwk.kid, keyIdFromPublicKey(key));
    assert.equal(jwk.use, 'sig');
    const fromNode = key.export({ format: 'jwk' });
    const fromJose = await jose.exportJWK(key);
    for (const field of jwk.kty === 'RSA' ? (['kty', 'n', 'e'] as const) : (['kty', 'crv', 'x', 'y'] as const)) {
      assert.equal((jwk as unknown as Record<string, string>)[field], fromNode[field], field);
      assert.equal((jwk as unknown as Record<string, string>)[field], fromJose[field], field);
    }
  });
}

const algorithms: { name: string; key: () => KeyObject; alg: string }[] = [
  { name: 'RSA 2048', key: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, alg: 'RS256' },
  // kube signs with RS256 whatever the RSA key's size.
  { name: 'RSA 1024', key: () => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, alg: 'RS256' },
  { name: 'P-256', key: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, alg: 'ES256' },
  { name: 'P-384', key: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey, alg: 'ES384' },
  { name: 'P-521', key: () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey, alg: 'ES512' },
];

for (const c of algorithms) {
  test(`algorithmFromPublicKey: ${c.name} is ${c.alg}`, () => {
    assert.equal(algorithmFromPublicKey(c.key()), c.alg);
  });
}

const refused: { name: string; key: () => KeyObject; error: string }[] = [
  { name: 'an ECDSA curve kube does not sign with (secp256k1)', key: () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey, error: 'unknown private key curve, must be 256, 384, or 521' },
  { name: 'Ed25519', key: () => generateKeyPairSync('ed25519').publicKey, error: 'unknown public key type, must be *rsa.PublicKey, *ecdsa.PublicKey, or jose.OpaqueSigner' },
];

for (const c of refused) {
  test(`algorithmFromPublicKey: ${c.name} is kube's error`, () => {
    assert.throws(() => algorithmFromPublicKey(c.key()), { message: c.error });
  });
}

test('jwkFromPublicKey: a private key stands for its public half, as in StaticPublicKeysGetter', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  assert.deepEqual(jwkFromPublicKey(privateKey), jwkFromPublicKey(publicKey));
});

test('publicJwksFromKeys: every key in order, a repeated key listed twice (kube bytes)', () => {
  const keys = ALL_ORDER.map((i) => createPublicKey(KUBE_JWKS_VECTORS[i]!.pem));
  assert.equal(JSON.stringify(publicJwksFromKeys(keys)), ALL_KEYSET);
});

test('publicJwksFromKeys: one key without a JWK fails the set with kube\'s aggregate, naming each key by index', () => {
  const rsa = createPublicKey(KUBE_JWKS_VECTORS[0]!.pem);
  const ed = generateKeyPairSync('ed25519').publicKey;
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey;
  assert.throws(() => publicJwksFromKeys([rsa, ed]), {
    message: 'error constructing JWK for key #1: unknown public key type, must be *rsa.PublicKey, *ecdsa.PublicKey, or jose.OpaqueSigner',
  });
  assert.throws(() => publicJwksFromKeys([ed, rsa, k1]), {
    message:
      '[error constructing JWK for key #0: unknown public key type, must be *rsa.PublicKey, *ecdsa.PublicKey, or jose.OpaqueSigner, error constructing JWK for key #2: unknown private key curve, must be 256, 384, or 521]',
  });
});
