// pki/kubeconfigs holds credentials (client keys, tokens, passwords): only its owner may list or enter it.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadOrInitPki, type StoredPki } from '../../../src/pki/index.js';
import { ensureDemoIdentities } from '../../../src/server/demo-identities.js';

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
