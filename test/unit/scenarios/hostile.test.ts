// pki scenario against odd input (a review's findings): server URLs as client-go reads them, and an output folder
// that already holds files of the same names, a symlink among them, or is not a folder at all.
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { createInMemoryPki, type Pki } from '../../../src/pki/index.js';
import { buildScenario, checkServerUrl, ScenarioError } from '../../../src/scenarios/index.js';

let pki: Pki;
let dir: string;
before(async () => {
  pki = await createInMemoryPki();
  dir = await mkdtemp(join(tmpdir(), 'kam-scenario-hostile-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('--server: HOST:PORT is https (client-go DefaultServerURL), IPv6 and a path stay; credentials, queries and junk are refused', () => {
  const rows: [string, string | RegExp][] = [
    ['https://127.0.0.1:6443', 'https://127.0.0.1:6443'],
    ['127.0.0.1:6443', 'https://127.0.0.1:6443'],
    ['localhost:6443', 'https://localhost:6443'],
    ['https://[::1]:6443', 'https://[::1]:6443'],
    ['https://kube.example:6443/prefix', 'https://kube.example:6443/prefix'],
    ['http://127.0.0.1:6443', /the scenarios are about TLS, use https:\/\//],
    ['https://admin:s3cret@kube.example', /holds a user name or password/],
    ['https://kube.example/?a=1', /no query or fragment/],
    ['https://kube.example/#x', /no query or fragment/],
    ['https://[::1', /expected https:\/\/HOST:PORT/],
    ['https://h:99999', /expected https:\/\/HOST:PORT/],
    ['https://', /expected https:\/\/HOST:PORT/],
    ['', /expected https:\/\/HOST:PORT/],
  ];
  for (const [input, want] of rows) {
    if (typeof want === 'string') assert.equal(checkServerUrl(input), want, input);
    else assert.throws(() => checkServerUrl(input), (err: unknown) => err instanceof ScenarioError && want.test(err.message) && !err.message.includes('s3cret'), input);
  }
});

test('a scenario built for HOST:PORT writes https://HOST:PORT, and expired-server\'s certificate names an IPv6 host', async () => {
  const plain = await buildScenario('wrong-ca', { pki, server: '127.0.0.1:6443' });
  assert.equal((parse(plain.kubeconfig) as { clusters: { cluster: { server: string } }[] }).clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
  const v6 = await buildScenario('expired-server', { pki, server: 'https://[fd00::5]:6443' });
  const crt = v6.files.find((f) => f.name === 'expired-server.crt')!;
  const { X509Certificate } = await import('node:crypto');
  assert.match(new X509Certificate(crt.content).subjectAltName ?? '', /IP Address:FD00:0:0:0:0:0:0:5/i);
});

test('-o into a folder with files of the same names: replaced 0600, a symlink replaced and never written through', async () => {
  const out = join(dir, 'out');
  await mkdir(out);
  const victim = join(dir, 'victim.txt');
  await writeFile(victim, 'not a key\n', { mode: 0o644 });
  await symlink(victim, join(out, 'wrong-ca.key'));
  await writeFile(join(out, 'wrong-ca.kubeconfig'), 'old\n', { mode: 0o644 });
  const built = await buildScenario('wrong-ca', { pki, server: 'https://127.0.0.1:6443', dir: out });
  assert.equal(await readFile(victim, 'utf8'), 'not a key\n');
  assert.equal((await stat(victim)).mode & 0o777, 0o644);
  for (const f of built.files) {
    const st = await lstat(f.path!);
    assert.ok(st.isFile(), `${f.name} is a file`);
    assert.equal(st.mode & 0o777, 0o600, f.name);
    assert.equal(await readFile(f.path!, 'utf8'), f.content);
  }
  // No temporary file left behind.
  assert.deepEqual((await readdir(out)).filter((n) => n.startsWith('.')), []);
});

test('-o naming a file, or a folder where a scenario file belongs: one-line errors', async () => {
  const file = join(dir, 'a-file');
  await writeFile(file, 'x');
  await assert.rejects(buildScenario('wrong-ca', { pki, server: 'https://127.0.0.1:6443', dir: file }), (err: unknown) => err instanceof ScenarioError && err.message === `${file}: exists and is not a folder (-o names the folder to write into)`);
  const out = join(dir, 'with-dir');
  await mkdir(join(out, 'wrong-ca.key'), { recursive: true });
  await assert.rejects(buildScenario('wrong-ca', { pki, server: 'https://127.0.0.1:6443', dir: out }), (err: unknown) => (err as NodeJS.ErrnoException).code === 'EISDIR' && typeof (err as NodeJS.ErrnoException).path === 'string');
  assert.deepEqual((await readdir(out)).filter((n) => n.startsWith('.')), []);
});
