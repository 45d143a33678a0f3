import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { DEFAULT_SERVING_SANS, createInMemoryPki, issueClient } from '../../../src/pki/index.js';

test('createInMemoryPki returns a complete PKI and writes nothing', async () => {
  const pki = await createInMemoryPki({ sans: ['10.0.0.7', 'mock.test'] });
  assert.equal(pki.dir, undefined);
  assert.deepEqual(pki.created, []);
  assert.equal(pki.servingReissued, false);
  assert.equal(pki.ca.cert.ca, true);
  assert.ok(pki.serving.cert.checkIssued(pki.ca.cert) && pki.serving.cert.verify(pki.ca.cert.publicKey));
  for (const name of [...DEFAULT_SERVING_SANS, 'mock.test']) {
    const ok = name.includes(':') || /^\d/.test(name) ? pki.serving.cert.checkIP(name) : pki.serving.cert.checkHost(name);
    assert.equal(ok, name);
  }
  assert.equal(pki.serving.cert.checkIP('10.0.0.7'), '10.0.0.7');
  assert.match(pki.serviceAccountKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  assert.deepEqual(
    createPublicKey(pki.serviceAccountKey.privateKey).export({ type: 'spki', format: 'der' }),
    pki.serviceAccountKey.publicKey.export({ type: 'spki', format: 'der' }),
  );
});

test('every in-memory PKI has its own CA key; serving and ServiceAccount keys are shared per process', async () => {
  const [a, b] = await Promise.all([createInMemoryPki(), createInMemoryPki()]);
  const spki = (k: { export(o: { type: 'spki'; format: 'der' }): Buffer }): string => k.export({ type: 'spki', format: 'der' }).toString('hex');
  assert.notEqual(spki(a.ca.cert.publicKey), spki(b.ca.cert.publicKey));
  assert.equal(spki(a.serving.cert.publicKey), spki(b.serving.cert.publicKey));
  assert.equal(spki(a.serviceAccountKey.publicKey), spki(b.serviceAccountKey.publicKey));
  assert.notEqual(spki(a.ca.cert.publicKey), spki(a.serving.cert.publicKey));
  const client = await issueClient(a, { user: 'u', groups: ['g'] });
  assert.ok(client.cert.checkIssued(a.ca.cert) && client.cert.verify(a.ca.cert.publicKey));
  assert.equal(client.cert.verify(b.ca.cert.publicKey), false);
});

test('keyBits applies to every key', async () => {
  const pki = await createInMemoryPki({ keyBits: 1024 });
  for (const key of [pki.ca.key, pki.serving.key, pki.serviceAccountKey.privateKey]) {
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 1024);
  }
});
