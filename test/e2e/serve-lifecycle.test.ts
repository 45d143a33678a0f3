// A server never outlives what started it (issue 12): npm passes no SIGTERM on to `serve`, and a killed test
// process signals nobody, so `serve` watches its parent, and with --exit-with-parent its standard input too.
// A start-up that fails once the port is open leaves the PKI folder's kubeconfigs as they were.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { tempDir } from '../helpers/clients.js';
import { serve, type ReadyLine } from '../helpers/cli.js';
import { processGone } from '../helpers/processes.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SERVE = [process.execPath, '--import', 'tsx', MAIN, 'serve', '--secure-port', '0'];
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pkiDir: string;
before(async () => {
  tmp = await tempDir('kam-lifecycle-');
  pkiDir = join(tmp.dir, 'pki');
  // One start makes the PKI folder the other starts reuse, so that each test waits for no key generation.
  const first = await serve('--pki-dir', pkiDir);
  await first.stop();
});
after(async () => {
  await tmp?.remove();
});

/** A wrapper process (npm, a shell) whose stdout is the server's too: it closes only once both are gone. */
interface Wrapped {
  wrapper: ChildProcess;
  ready: ReadyLine;
  stderr: () => string;
  /** Resolves once no process holds the wrapper's stdout any more: the server has exited. */
  serverGone: Promise<void>;
}

async function startWrapped(command: string, args: string[], env: NodeJS.ProcessEnv, stdin: 'pipe' | 'ignore' = 'ignore'): Promise<Wrapped> {
  const wrapper = spawn(command, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: [stdin, 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  wrapper.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const serverGone = once(wrapper.stdout!, 'close').then(() => undefined);
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    wrapper.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line !== undefined) resolve(JSON.parse(line) as ReadyLine);
    });
    void serverGone.then(() => reject(new Error(`the server exited before its ready line:\n${stderr}`)));
  });
  return { wrapper, ready, stderr: () => stderr, serverGone };
}

const wrappers: { name: string; start: () => Promise<Wrapped>; end: (w: Wrapped) => void; reason: RegExp }[] = [
  {
    // The issue's case: a suite in another language runs `npx kube-auth-mock serve` and stops it with SIGTERM.
    name: 'npm exec (what npx runs) gets SIGTERM: npm exits without passing it on, and the server follows',
    start: () => startWrapped('npm', ['exec', '--offline', '--', ...SERVE, '--pki-dir', pkiDir], {}),
    end: (w) => w.wrapper.kill('SIGTERM'),
    reason: /shutting down reason="parent process \d+ exited"/,
  },
  {
    name: 'a shell that started the server under npm is SIGKILLed: the server, re-parented, stops',
    start: () => startWrapped('sh', ['-c', `${SERVE.map(quote).join(' ')} --pki-dir ${quote(pkiDir)} & wait`], { npm_lifecycle_event: 'start' }),
    end: (w) => w.wrapper.kill('SIGKILL'),
    reason: /shutting down reason="parent process \d+ exited"/,
  },
  {
    // A fixture holds a pipe to stdin: however the fixture's process dies, the kernel closes it.
    name: '--exit-with-parent: standard input closed',
    start: () => startWrapped(SERVE[0]!, [...SERVE.slice(1), '--pki-dir', pkiDir, '--exit-with-parent'], { npm_lifecycle_event: '' }, 'pipe'),
    end: (w) => w.wrapper.stdin!.end(),
    reason: /shutting down reason="standard input closed"/,
  },
];
for (const c of wrappers) {
  test(`the server stops: ${c.name}`, async () => {
    const w = await c.start();
    assert.equal(typeof w.ready.pid, 'number', 'the ready line names the server\'s own pid');
    c.end(w);
    await w.serverGone;
    assert.ok(processGone(w.ready.pid), 'no server left running');
    assert.match(w.stderr(), c.reason);
  });
}

test('--exit-with-parent: the server exits with code 0 when its standard input closes', async () => {
  const child = spawn(SERVE[0]!, [...SERVE.slice(1), '--pki-dir', pkiDir, '--exit-with-parent'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = once(child, 'exit');
  await once(child.stdout!, 'data');
  child.stdin!.end();
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
});

test('--exit-with-parent with standard input already closed: start-up ends cleanly, no ready line, exit 0', async () => {
  const child = spawn(SERVE[0]!, [...SERVE.slice(1), '--pki-dir', pkiDir, '--exit-with-parent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.resume();
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
  assert.equal(stdout, '');
});

test('a start-up that fails once the port is open leaves the PKI folder\'s kubeconfigs as they were', async () => {
  const bomb = join(tmp.dir, 'bad.yaml');
  await writeFile(bomb, 'kind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x, namespace: [}\n');
  const copy = join(tmp.dir, 'pki-copy');
  await cp(pkiDir, copy, { recursive: true });
  const before = await readFile(join(copy, 'kubeconfigs', 'admin.kubeconfig'), 'utf8');
  await assert.rejects(serve('--pki-dir', copy, '--rbac-file', bomb), (err: unknown) => (err as { exitCode?: number }).exitCode === 1);
  assert.equal(await readFile(join(copy, 'kubeconfigs', 'admin.kubeconfig'), 'utf8'), before, 'still names the server that answered');

  const fresh = join(tmp.dir, 'pki-fresh');
  await assert.rejects(serve('--pki-dir', fresh, '--rbac-file', bomb), (err: unknown) => (err as { exitCode?: number }).exitCode === 1);
  assert.deepEqual(await readdir(join(fresh, 'kubeconfigs')), [], 'no kubeconfig names a port where nothing listened');
});

const kubeconfigCases: { name: string; args: (dir: string) => string[]; stdin: 'ignore' | 'pipe'; code: number }[] = [
  // Standard input already at its end: the stop is asked for while the server is still starting.
  { name: 'a stop asked for during start-up', args: () => ['--exit-with-parent'], stdin: 'ignore', code: 0 },
  { name: 'a --ready-file that cannot be written', args: (dir) => ['--ready-file', join(dir, 'no-such-folder', 'ready.json')], stdin: 'pipe', code: 1 },
];
for (const c of kubeconfigCases) {
  test(`${c.name} leaves the PKI folder's kubeconfigs naming the server that last answered`, async () => {
    const copy = join(tmp.dir, `pki-${c.code}-${c.args(tmp.dir).length}`);
    await cp(pkiDir, copy, { recursive: true });
    const names = (await readdir(join(copy, 'kubeconfigs'))).sort();
    const before = await Promise.all(names.map((n) => readFile(join(copy, 'kubeconfigs', n), 'utf8')));
    const child = spawn(SERVE[0]!, [...SERVE.slice(1), '--pki-dir', copy, ...c.args(tmp.dir)], { stdio: [c.stdin, 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, c.code, stderr);
    assert.deepEqual(await Promise.all(names.map((n) => readFile(join(copy, 'kubeconfigs', n), 'utf8'))), before);
  });
}

const secondStops: { name: string; first: 'SIGTERM' | 'stdin'; code: number }[] = [
  { name: 'a second SIGTERM while the server stops exits at once with code 1, as kube-apiserver does', first: 'SIGTERM', code: 1 },
  // Only a second signal counts: a fixture that closed stdin and then sends SIGTERM asks for the same clean stop.
  { name: 'a SIGTERM after standard input closed is the same clean stop: exit code 0', first: 'stdin', code: 0 },
];
for (const c of secondStops) test(c.name, async () => {
  const child = spawn(SERVE[0]!, [...SERVE.slice(1), '--pki-dir', pkiDir, '--authorization-mode', 'AlwaysAllow', '--exit-with-parent'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<ReadyLine>((resolve) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(JSON.parse(stdout.split('\n')[0]!) as ReadyLine);
    });
  });
  const { url } = await ready;
  const ca = await readFile(join(pkiDir, 'ca.crt'), 'utf8');
  // A request in flight holds the graceful stop for its grace: its handler waits for a body that is never sent.
  const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(url).port), ca, servername: 'localhost' });
  socket.on('error', () => undefined);
  await once(socket, 'secureConnect');
  socket.write('POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n');
  await once(socket, 'data');
  const shuttingDown = new Promise<void>((resolve) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.includes('shutting down')) resolve();
    });
  });
  if (c.first === 'SIGTERM') child.kill('SIGTERM');
  else child.stdin!.end();
  await shuttingDown;
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  socket.destroy();
  assert.equal(code, c.code);
});
