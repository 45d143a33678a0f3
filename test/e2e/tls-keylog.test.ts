// --tls-keylog (src/server/tls-keylog.ts): the server writes each connection's secrets in the NSS key log format,
// and Wireshark's tshark decrypts a loopback capture of real kubectl traffic with it: the request URIs are visible.
// Where capturing is not permitted (no root, no tshark), the test still checks that every connection's client
// random in the server's key log is one the client itself logged (its own 'keylog' event), and says so.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { serve, type ServeProcess } from '../helpers/cli.js';
import { kubectlBinaries, runClient, tempDir } from '../helpers/clients.js';

const TSHARK = '/usr/bin/tshark';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess;
let keyLog: string;
let port: number;
let caPem: string;
before(async () => {
  tmp = await tempDir('kam-keylog-');
  keyLog = join(tmp.dir, 'keys.log');
  server = await serve('--pki-dir', join(tmp.dir, 'pki'), '--tls-keylog', keyLog, '--log-format', 'json');
  port = Number(new URL(server.ready.url).port);
  caPem = await readFile(server.ready.caFile, 'utf8');
});
after(async () => {
  await server?.stop();
  await tmp?.remove();
});

test('the key log is created 0600 and start-up warns that it exposes the traffic', () => {
  assert.equal(statSync(keyLog).mode & 0o777, 0o600);
  const warning = server
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.file === keyLog);
  assert.ok(warning, server.stderr());
  assert.equal(warning.level, 40);
  assert.match(String(warning.msg), /anyone holding it can decrypt the traffic/);
});

/** One request with node's https client; resolves with the key log lines the client itself wrote for it. */
function nodeRequest(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const req = request(`${server.ready.url}${path}`, { ca: caPem, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(lines));
    });
    req.on('socket', (socket) => (socket as TLSSocket).on('keylog', (line: Buffer) => lines.push(line.toString('latin1').trim())));
    req.on('error', reject);
    req.end();
  });
}

/** The client randoms of NSS key log lines ("LABEL <client random> <secret>"). */
const randomsOf = (lines: readonly string[]): Set<string> => new Set(lines.filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(' ')[1]!.toLowerCase()));

/** tshark capturing the server's port on loopback, started once it says "Capturing on"; undefined when it cannot capture. */
async function startCapture(file: string): Promise<{ child: ChildProcess; sawPayload(hex: string): Promise<void> } | { unavailable: string }> {
  // -P -T fields -e tcp.payload prints each packet's payload as it is written: the sentinel below is waited for.
  const child = spawn(TSHARK, ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file, '-P', '-l', '-T', 'fields', '-e', 'tcp.payload'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const started = await new Promise<boolean>((resolve) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.includes('Capturing on')) resolve(true);
    });
    child.once('error', () => resolve(false));
    child.once('exit', () => resolve(false));
  });
  if (!started) return { unavailable: `tshark could not capture on lo: ${stderr.trim() || 'not installed'}` };
  return {
    child,
    sawPayload: (hex) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (!stdout.includes(hex)) return;
          child.stdout!.off('data', check);
          resolve();
        };
        child.stdout!.on('data', check);
        check();
      }),
  };
}

test('tshark decrypts a capture of kubectl and node requests with the key log; every client random is a real connection\'s', async () => {
  const pcap = join(tmp.dir, 'capture.pcapng');
  const capture = await startCapture(pcap);
  const kubectl = kubectlBinaries().at(-1)!;
  const result = await runClient(kubectl.path, ['--kubeconfig', server.ready.kubeconfigs.admin!, 'get', '--raw', '/api/v1/namespaces/default/configmaps?limit=7']);
  assert.equal(result.code, 0, result.stderr);
  const clientLines = [...(await nodeRequest('/version?from=node-client')), ...(await nodeRequest('/healthz?verbose'))];

  // Every line the node client logged for its connections is in the server's key log, with the same secret.
  const serverLines = (await readFile(keyLog, 'utf8')).split('\n').filter((l) => l !== '');
  for (const line of serverLines) assert.match(line, /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$/);
  for (const line of clientLines) assert.ok(serverLines.includes(line), `client key log line missing from the server's: ${line}`);
  const serverRandoms = randomsOf(serverLines);
  for (const random of randomsOf(clientLines)) assert.ok(serverRandoms.has(random));

  if ('unavailable' in capture) {
    // Capturing needs root or CAP_NET_RAW (CI runs as root); the key log itself was checked above against the client's.
    process.stderr.write(`tls-keylog test: ${capture.unavailable}; checked the key log against the client's own instead\n`);
    return;
  }
  // A sentinel sent in the clear after the requests: once tshark printed it, every packet before it is in the file.
  const sentinel = Buffer.from(`kube-auth-mock-capture-end-${process.pid}`);
  await new Promise<void>((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1', () => socket.end(sentinel));
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
  await capture.sawPayload(sentinel.toString('hex'));
  capture.child.kill('SIGINT');
  await once(capture.child, 'exit');

  const decrypted = await runClient(TSHARK, ['-r', pcap, '-o', `tls.keylog_file:${keyLog}`, '-d', `tcp.port==${port},tls`, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.uri']);
  assert.equal(decrypted.code, 0, decrypted.stderr);
  const uris = decrypted.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  for (const uri of ['/api/v1/namespaces/default/configmaps?limit=7', '/version?from=node-client', '/healthz?verbose']) assert.ok(uris.includes(uri), `${uri} not in the decrypted capture: ${JSON.stringify(uris)}`);
  // Without the key log the same capture shows no request at all.
  const opaque = await runClient(TSHARK, ['-r', pcap, '-d', `tcp.port==${port},tls`, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.uri']);
  assert.equal(opaque.stdout.trim(), '');
});

test('an unwritable key log is a one-line start-up error naming the file', async () => {
  const file = join(tmp.dir, 'no-such-dir', 'keys.log');
  await assert.rejects(serve('--pki-dir', join(tmp.dir, 'pki'), '--tls-keylog', file), (err: Error & { stderr?: string }) => {
    const lines = (err.stderr ?? '').trim().split('\n');
    assert.equal(lines.length, 1, err.stderr);
    assert.match(lines[0]!, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot open the TLS key log \\(--tls-keylog\\): ENOENT`));
    return true;
  });
});
