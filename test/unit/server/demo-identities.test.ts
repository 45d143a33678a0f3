// pki/kubeconfigs holds credentials (client keys, tokens, passwords): only its owner may list or enter it.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadOrInitPki, type StoredPki } from '../../../src/pki/index.js';
import { ensureDemoIdentities, prepareDemoIdentities } from '../../../src/server/demo-identities.js';

let scratch: string;
let pki: StoredPki;

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'kam-demo-'));
  pki = await loadOrInitPki(path.join(scratch, 'pki'), { keyBits: 1024 });
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;
const kubeconfigs = (): string => path.join(pki.dir, 'kubeconfigs');

test('pki/kubeconfigs is created 0700 whatever the umask', async () => {
  const previous = process.umask(0o000);
  try {
    await ensureDemoIdentities(pki, 'https://127.0.0.1:6443');
  } finally {
    process.umask(previous);
  }
  assert.equal(await mode(kubeconfigs()), 0o700);
});

test('a pki/kubeconfigs left 0755 by an older start is tightened to 0700', async () => {
  await mkdir(kubeconfigs(), { recursive: true });
  await chmod(kubeconfigs(), 0o755);
  await ensureDemoIdentities(pki, 'https://127.0.0.1:6444');
  assert.equal(await mode(kubeconfigs()), 0o700);
});

test('prepared demo identities write no kubeconfig until published, then point every one at the server', async () => {
  const fresh = await loadOrInitPki(path.join(scratch, 'pki-prepare'), { keyBits: 1024 });
  const dir = path.join(fresh.dir, 'kubeconfigs');
  const prepared = await prepareDemoIdentities(fresh);
  assert.deepEqual(await readdir(dir), [], 'nothing names a port before the server answers');
  assert.match(await readFile(path.join(fresh.dir, 'token-auth-file.csv'), 'utf8'), /,alice,alice,developers\n/, 'the token is in the file the authenticator reads');
  await prepared.publish('https://127.0.0.1:7001');
  assert.deepEqual((await readdir(dir)).sort(), ['admin.kubeconfig', 'alice.kubeconfig', 'bob.kubeconfig']);
  const again = await prepareDemoIdentities(fresh);
  assert.match(await readFile(path.join(dir, 'admin.kubeconfig'), 'utf8'), /server: https:\/\/127\.0\.0\.1:7001\n/, 'a second start that never publishes changes nothing');
  await again.publish('https://127.0.0.1:7002');
  for (const name of await readdir(dir)) assert.match(await readFile(path.join(dir, name), 'utf8'), /server: https:\/\/127\.0\.0\.1:7002\n/, name);
});

test('a broken kubeconfig in the folder stops publishing before any file is rewritten', async () => {
  const fresh = await loadOrInitPki(path.join(scratch, 'pki-broken'), { keyBits: 1024 });
  await ensureDemoIdentities(fresh, 'https://127.0.0.1:7001');
  const prepared = await prepareDemoIdentities(fresh);
  await writeFile(path.join(fresh.dir, 'kubeconfigs', 'zz-broken.kubeconfig'), 'clusters: 5\n');
  await assert.rejects(prepared.publish('https://127.0.0.1:7002'), /zz-broken\.kubeconfig: invalid kubeconfig: clusters is not a list/);
  assert.match(await readFile(path.join(fresh.dir, 'kubeconfigs', 'admin.kubeconfig'), 'utf8'), /server: https:\/\/127\.0\.0\.1:7001\n/);
});
