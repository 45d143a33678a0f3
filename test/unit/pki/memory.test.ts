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

test('in-memory PKIs share keys but never trust each other: each CA has a name of its own', async () => {
  const [a, b] = await Promise.all([createInMemoryPki(), createInMemoryPki()]);
  assert.notEqual(a.ca.cert.subject, b.ca.cert.subject);
  const client = await issueClient(a, { user: 'u', groups: ['g'] });
  assert.ok(client.cert.checkIssued(a.ca.cert) && client.cert.verify(a.ca.cert.publicKey));
  // The signature would verify with b's (shared) key; the chain does not, because names must match.
  assert.equal(client.cert.checkIssued(b.ca.cert), false);
  assert.equal(b.serving.cert.checkIssued(a.ca.cert), false);
});

test('keyBits applies to every key', async () => {
  const pki = await createInMemoryPki({ keyBits: 1024 });
  for (const key of [pki.ca.key, pki.serving.key, pki.serviceAccountKey.privateKey]) {
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 1024);
  }
});
