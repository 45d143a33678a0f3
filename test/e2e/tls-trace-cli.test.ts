// `kube-auth-mock serve --tls-trace`: kubectl's connections as the trace logs them, in --log-format json.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve, type ServeProcess } from '../helpers/cli.js';
import { kubectlBinaries, runClient, tempDir } from '../helpers/clients.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess;
before(async () => {
  tmp = await tempDir('kam-trace-');
  server = await serve('--pki-dir', join(tmp.dir, 'pki'), '--tls-trace', '--log-format', 'json');
});
after(async () => {
  await server?.stop();
  await tmp?.remove();
});

type Line = Record<string, unknown>;
const logged = (): Line[] =>
  server
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

for (const kubectl of kubectlBinaries()) {
  test(`${kubectl.name}: its connection is traced with the group, ALPN and the admin certificate accepted`, async () => {
    // Query parameters in the order kubectl sends them (sorted), so the request line's URI is this one.
    const uri = `/api/v1/namespaces?client=${kubectl.name}&limit=1`;
    const result = await runClient(kubectl.path, ['--kubeconfig', server.ready.kubeconfigs.admin!, 'get', '--raw', uri]);
    assert.equal(result.code, 0, result.stderr);
    // The request line is written after the connection's event, by the same process: once it is there, so is the event.
    let request: Line | undefined;
    while (request === undefined) {
      request = logged().find((l) => l.msg === 'HTTP' && l.URI === uri);
      if (request === undefined) await new Promise((resolve) => server.child.stderr!.once('data', resolve));
    }
    const event = logged().find((l) => l.msg === 'TLS connection' && l.remote === request.srcIP);
    assert.ok(event, `no TLS connection event for ${String(request.srcIP)}`);
    // Go offers X25519MLKEM768 first since 1.24 (crypto/tls defaults.go); node's OpenSSL 3.0 server picks X25519.
    assert.equal(event.protocol, 'TLSv1.3');
    assert.equal(event.keyExchangeGroup, 'X25519');
    assert.equal(event.alpn, 'http/1.1');
    assert.equal(event.sni, false, 'Go sends no SNI for an IP address');
    assert.match(String(event.verdict), /^accepted: user admin, groups system:masters$/);
    assert.deepEqual(request.credential, { kind: 'client certificate', subject: (event.clientCertificates as Line[])[0]!.subject, sha256: (event.clientCertificates as Line[])[0]!.sha256 });
  });
}
