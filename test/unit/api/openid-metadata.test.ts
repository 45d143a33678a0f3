// The discovery document and key set against kube-apiserver's own bytes and errors (pkg/serviceaccount/
// openidmetadata.go: NewOpenIDMetadataProvider, openIDConfigJSON, openIDKeysetJSON), recorded from v1.34.4 in
// test/unit/authn/serviceaccount/kube-jwks-vectors.ts; and the flag check of pkg/kubeapiserver/options/authentication.go.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { buildOpenIdMetadata, jwksUriProblem } from '../../../src/api/openid-metadata.js';
import { ALL_CONFIG, ALL_KEYSET, ALL_ORDER, ESCAPED_CONFIG, ISSUER_ANSWERS, JWKS_URI_ANSWERS, KUBE_JWKS_VECTORS } from '../authn/serviceaccount/kube-jwks-vectors.js';

const rsa = createPublicKey(KUBE_JWKS_VECTORS[0]!.pem);

test('buildOpenIdMetadata: the document and key set are kube\'s bytes (algorithms a sorted set, no newline)', () => {
  const publicKeys = ALL_ORDER.map((i) => createPublicKey(KUBE_JWKS_VECTORS[i]!.pem));
  const built = buildOpenIdMetadata({ issuer: 'https://kubernetes.default.svc.cluster.local', publicKeys }, '127.0.0.1:6443');
  assert.deepEqual(built, { ok: true, metadata: { configJson: ALL_CONFIG, keysetJson: ALL_KEYSET } });
});

test('buildOpenIdMetadata: Go\'s JSON escapes <, & and > in the issuer; an IPv6 external address keeps its brackets', () => {
  const built = buildOpenIdMetadata({ issuer: 'https://a/<&>', publicKeys: [rsa] }, '[::1]:6443');
  assert.equal(built.ok && built.metadata.configJson, ESCAPED_CONFIG);
});

test('buildOpenIdMetadata: --service-account-jwks-uri replaces the default jwks_uri as given', () => {
  const built = buildOpenIdMetadata({ issuer: 'https://issuer.example', jwksUri: 'https://keys.example/jwks.json', publicKeys: [rsa] }, '127.0.0.1:6443');
  assert.ok(built.ok);
  assert.equal(JSON.parse(built.metadata.configJson).jwks_uri, 'https://keys.example/jwks.json');
});

for (const [issuer, answer] of Object.entries(ISSUER_ANSWERS)) {
  test(`buildOpenIdMetadata: issuer ${JSON.stringify(issuer)} is ${answer === 'OK' ? 'served' : 'refused'} as kube does`, () => {
    const built = buildOpenIdMetadata({ issuer, publicKeys: [rsa] }, '127.0.0.1:6443');
    if (answer === 'OK') {
      assert.ok(built.ok);
      assert.equal(JSON.parse(built.metadata.configJson).issuer, issuer);
    } else assert.deepEqual(built, { ok: false, error: answer });
  });
}

for (const [jwksUri, answer] of Object.entries(JWKS_URI_ANSWERS)) {
  test(`buildOpenIdMetadata: jwks URI ${JSON.stringify(jwksUri)} with no external address is ${answer === 'OK' ? 'served' : 'refused'} as kube does`, () => {
    const built = buildOpenIdMetadata({ issuer: 'https://a', jwksUri, publicKeys: [rsa] }, '');
    if (answer === 'OK') assert.ok(built.ok);
    else assert.deepEqual(built, { ok: false, error: answer });
  });
}

test('buildOpenIdMetadata: no keys, or a key without a JWK, is kube\'s error', () => {
  assert.deepEqual(buildOpenIdMetadata({ issuer: 'https://a', publicKeys: [] }, '127.0.0.1:6443'), { ok: false, error: 'no keys provided for validating keyset' });
  const ed = createPublicKey({ key: Buffer.from('302a300506032b6570032100' + '11'.repeat(32), 'hex'), format: 'der', type: 'spki' });
  assert.deepEqual(buildOpenIdMetadata({ issuer: 'https://a', publicKeys: [rsa, ed] }, '127.0.0.1:6443'), {
    ok: false,
    error: 'could not marshal issuer discovery JSON, error: error constructing JWK for key #1: unknown public key type, must be *rsa.PublicKey, *ecdsa.PublicKey, or jose.OpaqueSigner',
  });
});

const flagCases: { uri: string; problem: string | undefined }[] = [
  { uri: 'https://keys.example/jwks', problem: undefined },
  { uri: 'HTTPS://keys.example/jwks', problem: undefined },
  { uri: 'http://keys.example/jwks', problem: 'service-account-jwks-uri requires https scheme, parsed as: http://keys.example/jwks' },
  { uri: 'keys.example/jwks', problem: 'service-account-jwks-uri requires https scheme, parsed as: keys.example/jwks' },
  { uri: 'https://keys.example:port/jwks', problem: 'service-account-jwks-uri must be a valid URL: parse "https://keys.example:port/jwks": invalid port ":port" after host' },
];

for (const c of flagCases) {
  test(`jwksUriProblem: --service-account-jwks-uri ${c.uri} (options/authentication.go Validate)`, () => {
    assert.equal(jwksUriProblem(c.uri), c.problem);
  });
}
