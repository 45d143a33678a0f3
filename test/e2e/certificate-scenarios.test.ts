// Every broken-certificate scenario, built by the CLI against a running `serve`'s PKI folder, fails in kubectl 1.27,
// 1.33 and the newest with exactly the message docs/certificate-scenarios.md and the SCENARIOS table give; for the
// 401s the server's log carries the x509 authenticator's reason. One server serves every scenario but expired-server,
// which needs a server started with the scenario's expired serving pair.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli, serve, type ServeProcess } from '../helpers/cli.js';
import { kubectlBinaries, runClient, tempDir } from '../helpers/clients.js';
import { runHandshake } from '../../src/handshake/run.js';
import { fillMessage, messagePattern, MISMATCHED_SERVER_NAME, SCENARIO_NAMES, scenarioInfo, type ScenarioName } from '../../src/scenarios/index.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess | undefined;
let expiredServer: ServeProcess | undefined;
let pkiDir: string;
let outDir: string;
let built: { code: number; stdout: string; stderr: string };

before(async () => {
  tmp = await tempDir('kam-scenarios-');
  pkiDir = join(tmp.dir, 'pki');
  outDir = join(tmp.dir, 'broken');
  server = await serve('--pki-dir', pkiDir);
  built = await cli('pki', 'scenario', 'all', '-o', outDir, '--pki-dir', pkiDir, '--server', server.ready.url);
  assert.equal(built.code, 0, built.stderr);
  expiredServer = await serve('--pki-dir', pkiDir, '--tls-cert-file', join(outDir, 'expired-server.crt'), '--tls-private-key-file', join(outDir, 'expired-server.key'));
});

after(async () => {
  await server?.stop();
  await expiredServer?.stop();
  await tmp?.remove();
});

const rfc3339 = (date: string): string => new Date(date).toISOString().replace(/\.000Z$/, 'Z');

/** The facts a scenario's message is filled with, read back from the files the CLI and the server wrote. */
async function facts(name: ScenarioName): Promise<Record<string, string>> {
  const cert = async (file: string): Promise<X509Certificate> => new X509Certificate(await readFile(file, 'utf8'));
  switch (name) {
    case 'expired-client':
    case 'expired-server':
      return { notAfter: rfc3339((await cert(join(outDir, `${name}.crt`))).validTo) };
    case 'not-yet-valid-client':
      return { notBefore: rfc3339((await cert(join(outDir, `${name}.crt`))).validFrom) };
    case 'hostname-mismatch': {
      const serving = await cert(join(pkiDir, 'apiserver.crt'));
      const dns = (serving.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
      return { sans: dns.join(', '), host: MISMATCHED_SERVER_NAME };
    }
    default:
      return {};
  }
}

/** Resolves once the process's stderr matches, reading it as it arrives (no sleeps). */
async function stderrMatching(proc: ServeProcess, pattern: RegExp): Promise<void> {
  if (pattern.test(proc.stderr())) return;
  await new Promise<void>((resolve) => {
    const onData = (): void => {
      // stderr() is filled by the helper's own listener, which was added first and so has run.
      if (pattern.test(proc.stderr())) {
        proc.child.stderr!.off('data', onData);
        resolve();
      }
    };
    proc.child.stderr!.on('data', onData);
  });
}

test('pki scenario --list names every scenario, one line each', async () => {
  const res = await cli('pki', 'scenario', '--list');
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), [...SCENARIO_NAMES]);
  for (const name of SCENARIO_NAMES) assert.ok(lines.some((l) => l.endsWith(scenarioInfo(name).summary)), name);
});

test('pki scenario with an unknown name fails in one line naming the choices', async () => {
  const res = await cli('pki', 'scenario', 'wrong-cert', '--pki-dir', pkiDir, '-o', outDir);
  assert.equal(res.code, 1);
  assert.equal(res.stderr, 'kube-auth-mock pki: command line: unknown scenario "wrong-cert": one of wrong-ca, expired-client, not-yet-valid-client, hostname-mismatch, no-client-auth-usage, untrusted-intermediate, key-mismatch, expired-server, unknown-client-ca, or all (see --list)\n');
});

test('pki scenario all wrote each kubeconfig 0600 and says what kubectl will print', async () => {
  for (const name of SCENARIO_NAMES) {
    const file = join(outDir, `${name}.kubeconfig`);
    assert.match(built.stdout, new RegExp(`try: +kubectl --kubeconfig ${file.replace(/[.]/g, '\\.')} get --raw /version`));
    assert.equal((await stat(file)).mode & 0o777, 0o600, file);
  }
  assert.match(built.stdout, /start the server: kube-auth-mock serve --pki-dir \S+ --tls-cert-file \S+expired-server\.crt --tls-private-key-file \S+expired-server\.key/);
});

for (const { name: kubectl, path } of kubectlBinaries()) {
  for (const name of SCENARIO_NAMES) {
    const info = scenarioInfo(name);
    // The timeout only keeps a log line that never comes from hanging the run.
    test(`${kubectl} ${name}: ${info.kubectl.replace(/<(\w+)>/g, '$1')}`, { timeout: 60_000 }, async () => {
      const target = name === 'expired-server' ? expiredServer! : server!;
      // The kubeconfigs name the shared server; expired-server's must be pointed at the other one. (Only there:
      // --server also clears the kubeconfig's tls-server-name, client-go clientcmd/client_config.go getCluster.)
      const serverFlag = name === 'expired-server' ? ['--server', target.ready.url] : [];
      const res = await runClient(path, ['--kubeconfig', join(outDir, `${name}.kubeconfig`), ...serverFlag, '--cache-dir', join(tmp.dir, `cache-${kubectl}`), 'get', '--raw', '/version']);
      assert.equal(res.code, 1, res.stdout);
      const expected = fillMessage(info.kubectl, await facts(name));
      assert.match(res.stderr, new RegExp(`${messagePattern(expected).source.slice(0, -1)}\\n$`), `expected ${expected}`);
      if (info.serverReason !== undefined) {
        // The request log's authenticationError (the front-proxy verifier's error comes first in the aggregate, as in kube).
        const reason = messagePattern(fillMessage(info.serverReason, await facts(name))).source.slice(1, -1);
        await stderrMatching(target, new RegExp(`URI=/version resp=401 authenticationError="\\[.*${reason}\\]"`));
      }
    });
  }
}

// `kube-auth-mock handshake` on each scenario's kubeconfig reaches the verdict kubectl reaches, in kubectl's words.
for (const name of SCENARIO_NAMES) {
  const info = scenarioInfo(name);
  test(`handshake ${name}: the verdict is kubectl's message`, async () => {
    let kubeconfig = join(outDir, `${name}.kubeconfig`);
    if (name === 'expired-server') {
      // Pointed at the server that serves the expired pair, as kubectl's --server does in the test above.
      kubeconfig = await tmp.write('expired-server-pointed.kubeconfig', (await readFile(kubeconfig, 'utf8')).replaceAll(server!.ready.url, expiredServer!.ready.url));
    }
    const report = await runHandshake({ kubeconfig });
    assert.equal(report.verdict.authenticated, false);
    const expected = fillMessage(info.kubectl, await facts(name));
    assert.match(report.verdict.kubectl ?? '', messagePattern(expected), `expected ${expected}`);
  });
}
