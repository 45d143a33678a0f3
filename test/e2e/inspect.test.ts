// `kube-auth-mock inspect` on every file `pki init` writes, and on a ServiceAccount token from a running server whose
// signature it checks with the server's own JWKS (--server).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { jwtTokenGenerator } from '../../src/authn/serviceaccount/generator.js';
import type { InspectReport } from '../../src/inspect/index.js';
import { tempDir } from '../helpers/clients.js';
import { cli, serve, type ServeProcess } from '../helpers/cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
const pkiDir = () => join(tmp.dir, 'pki');

before(async () => {
  tmp = await tempDir('kam-inspect-');
  const init = await cli('pki', 'init', '--pki-dir', pkiDir());
  assert.equal(init.code, 0, init.stderr);
});
after(async () => {
  await tmp?.remove();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** What the heading line of each kind of file the PKI writes says. */
function expectedHeading(file: string): RegExp | 'refused' {
  if (file.endsWith('.csv')) return 'refused';
  if (file.endsWith('.crt')) return /: PEM, 1 certificate$/;
  if (file.endsWith('sa.pub')) return /: PEM, 1 public key$/;
  if (file.endsWith('.key')) return /: PEM, 1 private key$/;
  if (file.endsWith('.kubeconfig')) return /: a kubeconfig$/;
  throw new Error(`pki init wrote ${file}, which this test does not know: add it`);
}

test('inspect explains every file pki init writes, and refuses the CSV files in one line', async () => {
  const files = await filesUnder(pkiDir());
  // The PKI's files as kubeadm names them, the demo users' CSV files and their kubeconfigs: all of them are inspected below.
  assert.deepEqual(files.map((f) => relative(pkiDir(), f)), [
    'admin.crt', 'admin.key', 'apiserver.crt', 'apiserver.key', 'basic-auth-file.csv', 'ca.crt', 'ca.key',
    'front-proxy-ca.crt', 'front-proxy-ca.key', 'front-proxy-client.crt', 'front-proxy-client.key',
    'kubeconfigs/admin.kubeconfig', 'kubeconfigs/alice.kubeconfig', 'kubeconfigs/bob.kubeconfig',
    'sa.key', 'sa.pub', 'token-auth-file.csv',
  ]);
  for (const file of files) {
    const res = await cli('inspect', file);
    const expected = expectedHeading(file);
    if (expected === 'refused') {
      assert.equal(res.code, 1, file);
      assert.equal(res.stdout, '');
      assert.equal(res.stderr, `kube-auth-mock inspect: ${file}: not a certificate, key, CSR, kubeconfig or JWT (it looks like a CSV file: kube-apiserver reads --token-auth-file and --basic-auth-file as CSV; this tool does not explain them)\n`);
      continue;
    }
    assert.equal(res.code, 0, `${file}: ${res.stderr}`);
    assert.equal(res.stderr, '', file);
    assert.match(res.stdout.split('\n')[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${expected.source}`), file);
  }
  // The secrets in the files never reach the output: passwords and tokens stay where they are.
  const passwords = (await readFile(join(pkiDir(), 'basic-auth-file.csv'), 'utf8')).split('\n').filter(Boolean).map((l) => l.split(',')[0]!);
  const tokens = (await readFile(join(pkiDir(), 'token-auth-file.csv'), 'utf8')).split('\n').filter(Boolean).map((l) => l.split(',')[0]!);
  const all = await cli('inspect', ...files.filter((f) => f.endsWith('.kubeconfig')));
  for (const secret of [...passwords, ...tokens]) assert.ok(!all.stdout.includes(secret));
});

test('inspect explains what kube-apiserver makes of each certificate, and checks keys and chains', async () => {
  const p = (name: string) => join(pkiDir(), name);
  const admin = await cli('inspect', p('admin.crt'), '--key', p('admin.key'), '--ca', p('ca.crt'));
  assert.equal(admin.code, 0, admin.stderr);
  assert.match(admin.stdout, /kube-apiserver {2}user "admin", groups \[system:masters\], no uid\n {22}extra authentication\.kubernetes\.io\/credential-id: X509SHA256=[0-9a-f]{64}\n/);
  assert.match(admin.stdout, /\n {2}ok {4}the private key in .*admin\.key belongs to certificate block 1 \(CN=admin,O=system:masters\)\n/);
  assert.match(admin.stdout, /\n {2}ok {4}verifies to the CA in .*ca\.crt \(CN=kube-auth-mock-ca\) as kube-apiserver checks a client certificate/);

  const serving = await cli('inspect', p('apiserver.crt'), '--key', p('apiserver.key'), '--ca', p('ca.crt'));
  assert.equal(serving.code, 0, serving.stderr);
  assert.match(serving.stdout, /SANs {12}DNS:localhost, IP Address:127\.0\.0\.1/);
  assert.match(serving.stdout, /serverAuth: a TLS server may present it/);

  // The front proxy's client certificate is signed by its own CA, not the cluster's: kube's x509 error says so.
  const proxy = await cli('inspect', p('front-proxy-client.crt'), '--ca', p('ca.crt'));
  assert.equal(proxy.code, 1);
  assert.match(proxy.stdout, /FAIL {2}does not verify to the CA in .*ca\.crt \(CN=kube-auth-mock-ca\) as a client certificate: x509: certificate signed by unknown authority\n/);
  const wrongKey = await cli('inspect', p('admin.crt'), '--key', p('apiserver.key'));
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stdout, /FAIL {2}the private key in .* belongs to none of these certificates \(kubectl would fail: tls: private key does not match public key\)/);

  const json = await cli('inspect', '-o', 'json', p('admin.crt'), p('token-auth-file.csv'));
  assert.equal(json.code, 1);
  const reports = JSON.parse(json.stdout) as InspectReport[];
  assert.deepEqual(reports.map((r) => [r.encoding, r.items.map((i) => i.kind), r.error === undefined]), [['PEM', ['certificate'], true], ['', [], false]]);
  const kube = reports[0]!.items[0]!.kind === 'certificate' ? reports[0]!.items[0]!.kube : undefined;
  assert.equal(kube?.outcome === 'user' ? kube.user : '', 'admin');
});

/** Runs the CLI with `input` on its stdin. */
function cliWithStdin(input: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a ServiceAccount token from a running server: decoded, and its signature checked with the server\'s JWKS', async () => {
  let server: ServeProcess | undefined;
  try {
    server = await serve('--pki-dir', pkiDir());
    const admin = server.ready.kubeconfigs.admin!;
    const minted = await cli('token', '--serviceaccount', 'default/default', '--pki-dir', pkiDir());
    assert.equal(minted.code, 0, minted.stderr);
    const tokenFile = await tmp.write('sa.jwt', minted.stdout);

    const res = await cli('inspect', tokenFile, '--server', admin);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /: JWT, 1 JWT\n {2}\[1\] JWT, a bound ServiceAccount token\n/);
    assert.match(res.stdout, /\n {6}exp {13}\S+ \(expires in 59 minutes\)\n/);
    assert.match(res.stdout, /\n {6}ServiceAccount {2}default\/default \(uid [0-9a-f-]{36}\)\n/);
    assert.match(res.stdout, new RegExp(`signature {7}ok: signature verified with the JWKS of ${server.ready.url.replace(/[.]/g, '\\.')} \\(kid `));
    assert.match(res.stdout, /kube-apiserver {2}user "system:serviceaccount:default:default", groups \[system:serviceaccounts system:serviceaccounts:default\], uid "[0-9a-f-]{36}"\n/);

    // The same from stdin ('-'), and the same checked with sa.pub as --key.
    const piped = await cliWithStdin(minted.stdout, 'inspect', '-', '--key', join(pkiDir(), 'sa.pub'));
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, /^stdin: JWT, 1 JWT\n/);
    assert.match(piped.stdout, /signature verified with .*sa\.pub/);

    // A token signed with another key (the front-proxy CA's, with the server's issuer) fails as kube fails it.
    const [, payload] = minted.stdout.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const { iss, ...rest } = claims;
    const forged = jwtTokenGenerator(String(iss), createPrivateKey(await readFile(join(pkiDir(), 'front-proxy-ca.key')))).generateToken(rest);
    const forgedFile = await tmp.write('forged.jwt', forged);
    const bad = await cli('inspect', forgedFile, '--server', admin);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /FAIL {2}no key with kid "[^"]+" in the JWKS of .* \(kube says: invalid signature, no keys found\)\n/);
    assert.match(bad.stdout, /kube-apiserver {2}refused by the ServiceAccount token \(TokenRequest, bound\) authenticator: invalid signature, no keys found\n/);
  } finally {
    await server?.stop();
  }
  // With the server gone, --server is one line naming what failed, and nothing is explained.
  const gone = await cli('inspect', join(tmp.dir, 'sa.jwt'), '--server', join(pkiDir(), 'kubeconfigs', 'admin.kubeconfig'));
  assert.equal(gone.code, 1);
  assert.equal(gone.stdout, '');
  assert.match(gone.stderr, /^kube-auth-mock inspect: Get "https:\/\/127\.0\.0\.1:\d+\/openid\/v1\/jwks": .*connect: connection refused\n$/);
});

test('hostile files through the CLI: one line on stderr each, exit 1, no stack, no hang (review table)', async () => {
  const { writeFile: write } = await import('node:fs/promises');
  const { randomBytes } = await import('node:crypto');
  const b64u = (v: string): string => Buffer.from(v).toString('base64url');
  const files: [string, string | Buffer, RegExp][] = [
    ['random.bin', randomBytes(4096), /binary data that is not DER/],
    ['garbled.pem', `-----BEGIN CERTIFICATE-----\n${Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), randomBytes(60)]).toString('base64')}\n-----END CERTIFICATE-----\n`, /PEM block 1: a damaged certificate/],
    ['huge-length.pem', `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.concat([Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), Buffer.alloc(30)]).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`, /PEM block 1: a damaged certificate signing request/],
    ['not-json.jwt', `${b64u('{"alg":')}.${b64u('{}')}.c2ln`, /not a valid JWT: its header is not JSON/],
    ['bomb.yaml', `a: &a [x,x,x,x,x,x,x,x,x]\n${'bcdefghijk'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghijk'[i]}`).join(',')}]`).join('\n')}\nkind: Config\n`, /a kubeconfig that is not valid YAML: Excessive alias count/],
    ['not-utf8.txt', Buffer.from([0xff, 0xfe, 0x80, 0x81, 0x20, 0xc3, 0x28]), /not a certificate, key, CSR, kubeconfig or JWT/],
  ];
  const paths: string[] = [];
  for (const [name, content] of files) {
    const path = join(tmp.dir, name);
    await write(path, content);
    paths.push(path);
  }
  const run = await cli('inspect', ...paths, '/dev/zero', tmp.dir);
  assert.equal(run.code, 1);
  assert.doesNotMatch(run.stderr, /^\s+at /m);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, files.length + 2, run.stderr);
  files.forEach(([name, , reason], i) => assert.match(lines[i]!, reason, name));
  assert.match(lines[files.length]!, /\/dev\/zero: cannot be read: larger than 16 MiB/);
  assert.match(lines[files.length + 1]!, /cannot be read: EISDIR/);
  // -o json says the same, as data.
  const json = await cli('inspect', ...paths, '-o', 'json');
  assert.equal(json.code, 1);
  const reports = JSON.parse(json.stdout) as InspectReport[];
  files.forEach(([name, , reason], i) => assert.match(reports[i]!.error ?? '', reason, name));
});

test('help names the exit codes (inspect and pki scenario)', async () => {
  const inspectHelp = await cli('inspect', '--help');
  assert.equal(inspectHelp.code, 0);
  assert.match(inspectHelp.stdout, /Exit codes: 0 every file read and every check passed; 1 .*; 2 usage/);
  const scenarioHelp = await cli('pki', 'scenario', '--help');
  assert.equal(scenarioHelp.code, 0);
  assert.match(scenarioHelp.stdout, /Exit codes: 0 written; 1 .*; 2 usage/);
});
