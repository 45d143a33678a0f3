// getConfigMapDataFor over kube's combined info, for a fresh store. Source: pkg/controlplane/controller/
// clusterauthenticationtrust/cluster_authentication_trust_controller.go (getConfigMapDataFor, combineUniqueStringSlices,
// combineCertLists: duplicates and certificates expired more than five minutes ago dropped, Go's pem.Encode).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { authenticationTrustData } from '../../../src/api/groups/core/authentication-trust.js';
import { createCa, type IssuedCert } from '../../../src/pki/index.js';

let ca: IssuedCert;
let proxyCa: IssuedCert;
let expired: IssuedCert;
before(async () => {
  [ca, proxyCa, expired] = await Promise.all([
    createCa({ commonName: 'ca' }),
    createCa({ commonName: 'front-proxy-ca' }),
    createCa({ commonName: 'old', notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 3_600_000) }),
  ]);
});
const lists = { usernameHeaders: ['X-Remote-User'], uidHeaders: [] as string[], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'], allowedNames: [] as string[] };

test('no front proxy: client-ca-file alone', () => {
  assert.deepEqual(authenticationTrustData({ clientCaPem: ca.certPem }), { 'client-ca-file': ca.cert.toString() });
});

test('front proxy: the lists as JSON arrays ("[]" when empty, never null), no uid key without uid headers', () => {
  assert.deepEqual(authenticationTrustData({ clientCaPem: ca.certPem, requestHeader: { caPem: proxyCa.certPem, ...lists } }), {
    'client-ca-file': ca.cert.toString(),
    'requestheader-username-headers': '["X-Remote-User"]',
    'requestheader-group-headers': '["X-Remote-Group"]',
    'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
    'requestheader-client-ca-file': proxyCa.cert.toString(),
    'requestheader-allowed-names': '[]',
  });
});

test('uid headers are published when configured; repeated names once (combineUniqueStringSlices)', () => {
  const data = authenticationTrustData({ clientCaPem: ca.certPem, requestHeader: { caPem: proxyCa.certPem, ...lists, uidHeaders: ['X-Remote-Uid'], allowedNames: ['a', 'a', 'b'] } });
  assert.equal(data['requestheader-uid-headers'], '["X-Remote-Uid"]');
  assert.equal(data['requestheader-allowed-names'], '["a","b"]');
});

test('a bundle loses its duplicates and its expired certificates; a proxy CA bundle with none left publishes no requestheader keys', () => {
  assert.deepEqual(authenticationTrustData({ clientCaPem: ca.certPem + expired.certPem + ca.certPem }), { 'client-ca-file': ca.cert.toString() });
  assert.deepEqual(Object.keys(authenticationTrustData({ clientCaPem: ca.certPem, requestHeader: { caPem: expired.certPem, ...lists } })), ['client-ca-file']);
});
