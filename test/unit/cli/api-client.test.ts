// The CLI's API client: a kubeconfig read as client-go builds a REST client from it (the webhooks' loader,
// src/server/token-webhook.ts loadWebhookKubeconfig), and requests sent through the webhooks' transport
// (src/authn/webhook/client.ts clientTransport), so that the fields clientcmd reads (k8s.io/client-go v0.34.4
// tools/clientcmd client_config.go: as, as-uid, as-groups, as-user-extra, proxy-url, insecure-skip-tls-verify,
// tls-server-name) act as they do for kubectl, and a server that is no URL is one line naming the file.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { loadApiClient } from '../../../src/cli/api-client.js';
import { createCa, issueServingCert, type IssuedCert } from '../../../src/pki/issue.js';
import { cli } from '../../helpers/cli.js';
import { openTunnel } from '../../helpers/connect-tunnel.js';
import { tempDir } from '../../helpers/clients.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let ca: IssuedCert;
let api: HttpsServer;
const proxy = createHttpServer();
const sockets = new Set<Socket>();
const track = (s: Socket): void => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
};
/** What the API server and the proxy saw. */
const seen: { paths: string[]; headers: IncomingHttpHeaders[]; connect: string[] } = { paths: [], headers: [], connect: [] };
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const port = (s: { address(): unknown }): number => (s.address() as { port: number }).port;

before(async () => {
  tmp = await tempDir('api-client-');
  ca = await createCa({ commonName: 'api-client-test-ca' });
  // A certificate for a name only: reached at 127.0.0.1, it verifies with tls-server-name or not at all.
  const serving = await issueServingCert(ca, { sans: ['api.example'] });
  api = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    seen.paths.push(req.url ?? '');
    seen.headers.push(req.headers);
    res.setHeader('Content-Type', 'application/json');
    res.end('{"kind":"SecretList","items":[]}');
  });
  api.on('connection', track);
  proxy.on('connection', track);
  proxy.on('connect', (req, client: Socket) => {
    seen.connect.push(req.url ?? '');
    track(openTunnel(req, client));
  });
  for (const s of [api, proxy]) {
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
  }
});
after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([api, proxy].map((s) => new Promise<void>((r) => s.close(() => r()))));
  await tmp.remove();
});

function kubeconfig(cluster: string, user: string): string {
  return `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {${cluster}}}]\nusers: [{name: u, user: {${user}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`;
}

test('as, as-groups, as-uid and as-user-extra are Impersonate-* headers; tls-server-name names the certificate; the server\'s path is kept', async () => {
  const file = await tmp.write('imp.kubeconfig', kubeconfig(`server: "https://127.0.0.1:${port(api)}/prefix", certificate-authority-data: ${b64(ca.certPem)}, tls-server-name: api.example`, 'token: t, as: bob, as-uid: u-1, as-groups: [dev, ops], as-user-extra: {team: [a]}'));
  const res = await (await loadApiClient(file)).request('GET', '/api/v1/namespaces/kube-system/secrets?limit=1');
  assert.equal(res.status, 200);
  assert.equal(seen.paths.at(-1), '/prefix/api/v1/namespaces/kube-system/secrets?limit=1');
  const h = seen.headers.at(-1)!;
  assert.deepEqual([h.authorization, h['impersonate-user'], h['impersonate-uid'], h['impersonate-group'], h['impersonate-extra-team']], ['Bearer t', 'bob', 'u-1', 'dev, ops', 'a']);
});

test('insecure-skip-tls-verify: the server\'s certificate is not checked', async () => {
  const file = await tmp.write('insecure.kubeconfig', kubeconfig(`server: "https://127.0.0.1:${port(api)}", insecure-skip-tls-verify: true`, 'token: t'));
  assert.equal((await (await loadApiClient(file)).request('GET', '/api')).status, 200);
});

test('proxy-url: an https server is reached through the proxy\'s CONNECT', async () => {
  const file = await tmp.write('proxy.kubeconfig', kubeconfig(`server: "https://127.0.0.1:${port(api)}", certificate-authority-data: ${b64(ca.certPem)}, tls-server-name: api.example, proxy-url: "http://127.0.0.1:${port(proxy)}"`, 'token: t'));
  assert.equal((await (await loadApiClient(file)).request('GET', '/api')).status, 200);
  assert.equal(seen.connect.at(-1), `127.0.0.1:${port(api)}`);
});

test('explain goes through the same client: the kubeconfig\'s proxy-url and tls-server-name are used', async () => {
  const file = await tmp.write('explain-proxy.kubeconfig', kubeconfig(`server: "https://127.0.0.1:${port(api)}", certificate-authority-data: ${b64(ca.certPem)}, tls-server-name: api.example, proxy-url: "http://127.0.0.1:${port(proxy)}"`, 'token: t'));
  const connects = seen.connect.length;
  const run = await cli('explain', '--user', 'jane', '--verb', 'get', '--path', '/healthz', '-o', 'json', '--kubeconfig', file);
  assert.deepEqual(run, { code: 0, stdout: '{"kind":"SecretList","items":[]}', stderr: '' });
  assert.equal(seen.connect.length, connects + 1);
});

test('token --serviceaccount checks the kubeconfig as every command does: a CA with insecure-skip-tls-verify is refused, nothing is sent', async () => {
  const file = await tmp.write('sa-insecure.kubeconfig', kubeconfig(`server: "https://127.0.0.1:${port(api)}", certificate-authority-data: ${b64(ca.certPem)}, insecure-skip-tls-verify: true`, 'token: t'));
  const requests = seen.paths.length;
  const run = await cli('token', '--serviceaccount', 'default/default', '--kubeconfig', file);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /specifying a root certificates file with the insecure flag is not allowed\n$/);
  assert.equal(seen.paths.length, requests);
});

test('a server that is no URL: the loader\'s ConfigError naming the file, before any request', async () => {
  // A control character is refused as Go's url.Parse refuses it (WHATWG's parser would drop a tab silently).
  for (const server of ['https://[zz', 'https://h:99999', 'https://127.0.0.1:6443\\t']) {
    const file = await tmp.write('bad-url.kubeconfig', kubeconfig(`server: "${server}"`, ''));
    await assert.rejects(loadApiClient(file), { name: 'ConfigError', message: `${file}: parse ${JSON.stringify(server.replace('\\t', '\t'))}: invalid URL` });
  }
});

test('`token bootstrap list` with a server that is no URL: one line naming the file, exit 1', async () => {
  const file = await tmp.write('cli-bad-url.kubeconfig', kubeconfig('server: "https://[zz"', ''));
  const run = await cli('token', 'bootstrap', 'list', '--kubeconfig', file);
  assert.deepEqual(run, { code: 1, stdout: '', stderr: `kube-auth-mock token: ${file}: parse "https://[zz": invalid URL\n` });
});

test('a server without a scheme is http://host:port (DefaultServerURL): a transport error on one line, not a stack', async () => {
  const file = await tmp.write('cli-no-scheme.kubeconfig', kubeconfig('server: "127.0.0.1:1"', ''));
  const run = await cli('token', 'bootstrap', 'list', '--kubeconfig', file);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^kube-auth-mock token: Get "http:\/\/127\.0\.0\.1:1\/api\/v1\/namespaces\/kube-system\/secrets\?[^"]*": dial tcp 127\.0\.0\.1:1: connect: connection refused\n$/);
});
