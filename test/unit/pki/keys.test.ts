import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { generateRsaKey, keyPairFromPrivateKeyPem, takeKey } from '../../../src/pki/index.js';

function spkiHex(pem: string): string {
  return createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('hex');
}

test('generateRsaKey returns PKCS#1 private and SPKI public PEMs that match the KeyObjects', async () => {
  const k = await generateRsaKey(2048);
  assert.match(k.privateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
  assert.match(k.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
  assert.equal(k.privateKey.type, 'private');
  assert.equal(k.publicKey.type, 'public');
  assert.equal(k.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(spkiHex(k.publicKeyPem), k.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
  assert.equal(spkiHex(k.privateKeyPem), spkiHex(k.publicKeyPem));
});

test('generateRsaKey honours other sizes and rejects silly ones', async () => {
  const k = await generateRsaKey(1024);
  assert.equal(k.privateKey.asymmetricKeyDetails?.modulusLength, 1024);
  for (const bits of [0, 512, 1024.5, 100000, Number.NaN]) {
    assert.throws(() => generateRsaKey(bits), RangeError, String(bits));
    assert.throws(() => takeKey(bits), RangeError, String(bits));
  }
});

test('takeKey hands out distinct keys, from the pool or freshly made', async () => {
  const keys = await Promise.all(Array.from({ length: 7 }, () => takeKey()));
  const distinct = new Set(keys.map((k) => spkiHex(k.publicKeyPem)));
  assert.equal(distinct.size, keys.length);
  for (const k of keys) {
    assert.equal(k.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.match(k.privateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
  }
  const other = await takeKey(1024);
  assert.equal(other.privateKey.asymmetricKeyDetails?.modulusLength, 1024);
});

test('keyPairFromPrivateKeyPem accepts PKCS#1 and PKCS#8 and keeps the text as given', async () => {
  const k = await takeKey();
  const pkcs8 = k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  for (const pem of [k.privateKeyPem, pkcs8]) {
    const loaded = keyPairFromPrivateKeyPem(pem);
    assert.equal(loaded.privateKeyPem, pem);
    assert.equal(spkiHex(loaded.publicKeyPem), spkiHex(k.publicKeyPem));
  }
  assert.throws(() => keyPairFromPrivateKeyPem(k.publicKeyPem));
  assert.throws(() => keyPairFromPrivateKeyPem('garbage'));
});

test('the pool never keeps a process alive, but a caller waiting on it does', async () => {
  const { execFile } = await import('node:child_process');
  const keysModule = new URL('../../../src/pki/keys.ts', import.meta.url).href;
  // getActiveResourcesInfo() lists exactly what keeps the event loop alive.
  const code = `
    const { takeKey } = await import(${JSON.stringify(keysModule)});
    const before = process.getActiveResourcesInfo();
    const pending = takeKey();
    const waiting = process.getActiveResourcesInfo();
    const key = await pending;
    // The key handed out, the pool goes on refilling in the background.
    const idle = process.getActiveResourcesInfo();
    console.log(JSON.stringify({ before, idle, waiting, bits: key.privateKey.asymmetricKeyDetails.modulusLength }));
  `;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], (err, out, errOut) => {
      if (err) reject(new Error(`${err.message}\n${errOut}`));
      else resolve(out);
    });
  });
  const report = JSON.parse(stdout.trim()) as { before: string[]; idle: string[]; waiting: string[]; bits: number };
  // (stdio pipes to this parent show up in all three lists; node 24 also lists their connects, still pending at the
  // start, as ConnectWrap: so nothing may be there when idle that was not there before.)
  // The child exited, with the pool still refilling: nothing kept it alive.
  const added = [...report.idle];
  for (const r of report.before) if (added.includes(r)) added.splice(added.indexOf(r), 1);
  assert.deepEqual(added, [], `an idle refill keeps nothing alive (before: ${report.before.join(', ')}; idle: ${report.idle.join(', ')})`);
  assert.ok(report.waiting.includes('MessagePort'), 'a waiting caller keeps the worker alive');
  assert.equal(report.bits, 2048);
});
