// The webhook client's rules, from k8s.io/apiserver v0.34.4 pkg/util/webhook/webhook.go (DefaultShouldRetry,
// DefaultRetryBackoffWithInitialDelay, WithExponentialBackoff), k8s.io/apimachinery v0.34.4 pkg/util/wait/backoff.go
// (the delays) and pkg/api/errors/errors.go (NewGenericServerResponse), and Go's net/http error texts.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { test } from 'node:test';
import { backoffDelays, DEFAULT_RETRY_BACKOFF, defaultShouldRetry, genericServerResponse, WebhookCallError, webhookClient } from '../../../../src/authn/webhook/client.js';
import { createCa, issueServingCert } from '../../../../src/pki/issue.js';

test('kube\'s backoff: 5 calls, 4 sleeps of 500ms x1.5^n plus up to 20% jitter', () => {
  assert.deepEqual(backoffDelays(DEFAULT_RETRY_BACKOFF, () => 0), [500, 750, 1125, 1687.5]);
  assert.deepEqual(backoffDelays(DEFAULT_RETRY_BACKOFF, () => 1), [600, 900, 1350, 2025]);
  assert.deepEqual(backoffDelays({ durationMs: 10, factor: 0, jitter: 0, steps: 3 }, () => 1), [10, 10]);
});

test('DefaultShouldRetry: connection reset, InternalError, Timeout, TooManyRequests (by reason, or by code when the reason is unknown), ServerTimeout, Retry-After', () => {
  const cases: [WebhookCallError | Error, boolean][] = [
    [new WebhookCallError('reset', { connectionReset: true }), true],
    [new WebhookCallError('x', { status: 500, reason: 'InternalError' }), true],
    [new WebhookCallError('x', { status: 504, reason: 'Timeout' }), true],
    [new WebhookCallError('x', { status: 429, reason: 'TooManyRequests' }), true],
    [new WebhookCallError('x', { status: 500, reason: 'ServerTimeout' }), true],
    [new WebhookCallError('x', { status: 503, reason: 'ServiceUnavailable', retryAfterSeconds: 3 }), true],
    [new WebhookCallError('x', { status: 503, reason: 'ServiceUnavailable' }), false],
    [new WebhookCallError('x', { status: 404, reason: 'NotFound' }), false],
    // A Status of the webhook's own without a reason, or with one apimachinery does not know, counts by its code
    // (errors.go IsInternalError, IsTimeout, IsTooManyRequests; parity: webhooks/token-webhook-fails, 5 tries).
    [new WebhookCallError('fault: HTTP 500 on purpose', { status: 500, reason: '' }), true],
    [new WebhookCallError('x', { status: 500, reason: 'WebhookBroke' }), true],
    [new WebhookCallError('x', { status: 504, reason: '' }), true],
    [new WebhookCallError('x', { status: 429, reason: 'Forbidden' }), true],
    [new WebhookCallError('x', { status: 500, reason: 'NotFound' }), false],
    [new WebhookCallError('x', { status: 502, reason: '' }), false],
    [new WebhookCallError('Post "https://x/": dial tcp x:443: connect: connection refused'), false],
    [new Error('other'), false],
  ];
  for (const [err, retry] of cases) assert.equal(defaultShouldRetry(err), retry, err.message);
});

test('NewGenericServerResponse: reasons and messages by code', () => {
  assert.deepEqual(genericServerResponse(500, 'boom'), { reason: 'InternalError', message: 'an error on the server ("boom") has prevented the request from succeeding' });
  assert.deepEqual(genericServerResponse(502, ''), { reason: 'InternalError', message: 'an error on the server ("") has prevented the request from succeeding' });
  assert.deepEqual(genericServerResponse(409, ''), { reason: 'AlreadyExists', message: 'the server reported a conflict' });
  assert.deepEqual(genericServerResponse(406, 'unknown'), { reason: 'NotAcceptable', message: 'the server was unable to respond with a content type that the client supports' });
  assert.deepEqual(genericServerResponse(302, ''), { reason: 'Unknown', message: 'the server responded with the status code 302 but did not return more information' });
});

test('an unreachable webhook: Go\'s url.Error for a refused connection, not retried', async () => {
  // A port that was free a moment ago: listen, note it, close.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  let sleeps = 0;
  const client = webhookClient({ server: `https://127.0.0.1:${port}/authn` }, { sleep: async () => void sleeps++ });
  await assert.rejects(client.post({}), { message: `Post "https://127.0.0.1:${port}/authn": dial tcp 127.0.0.1:${port}: connect: connection refused` });
  assert.equal(sleeps, 0);
});

test('an https:// URL served by a plain HTTP server: Go\'s one-line text, not OpenSSL\'s', async () => {
  const plain = createHttpServer((_req, res) => res.end('{}'));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const port = (plain.address() as { port: number }).port;
  try {
    const client = webhookClient({ server: `https://127.0.0.1:${port}/authn` }, { sleep: async () => {} });
    await assert.rejects(client.post({}), { message: `Post "https://127.0.0.1:${port}/authn": http: server gave HTTP response to HTTPS client` });
  } finally {
    plain.closeAllConnections();
    await new Promise<void>((r) => plain.close(() => r()));
  }
});

test('Retry-After waits end at the request\'s deadline (SleepWithContext, --request-timeout 1m): then context deadline exceeded', async () => {
  let answered = 0;
  const slow = createHttpServer((_req, res) => {
    answered++;
    res.writeHead(503, { 'Retry-After': '100000', 'Content-Type': 'text/plain' }).end('later');
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  const port = (slow.address() as { port: number }).port;
  const sleeps: number[] = [];
  try {
    const client = webhookClient({ server: `http://127.0.0.1:${port}/authn` }, { sleep: async (ms) => void sleeps.push(ms), backoff: { durationMs: 1, factor: 1, jitter: 0, steps: 1 } });
    await assert.rejects(client.post({}), { message: `Post "http://127.0.0.1:${port}/authn": context deadline exceeded` });
    assert.equal(answered, 1);
    assert.equal(sleeps.length, 1);
    assert.ok(sleeps[0]! > 59_000 && sleeps[0]! <= 60_000, String(sleeps[0]));
  } finally {
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
  }
});

test('a webhook whose certificate the kubeconfig\'s CA did not sign: x509 unknown authority', async () => {
  const ca = await createCa({ commonName: 'other' });
  const serving = await issueServingCert(ca, { sans: ['127.0.0.1'] });
  const otherCa = await createCa({ commonName: 'kubeconfig-ca' });
  const server = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const client = webhookClient({ server: `https://127.0.0.1:${port}/`, caPem: otherCa.certPem });
    await assert.rejects(client.post({}), { message: `Post "https://127.0.0.1:${port}/": tls: failed to verify certificate: x509: certificate signed by unknown authority` });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('tls-server-name and insecure-skip-tls-verify, as client-go\'s TLSConfigFor sets ServerName and InsecureSkipVerify', async () => {
  const ca = await createCa({ commonName: 'named' });
  const serving = await issueServingCert(ca, { sans: ['webhook.example'] });
  const otherCa = await createCa({ commonName: 'kubeconfig-ca' });
  const server = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/`;
    // crypto/x509's HostnameError for an address the certificate has no IP SAN for.
    await assert.rejects(webhookClient({ server: url, caPem: ca.certPem }).post({}), { message: `Post "${url}": tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs` });
    await assert.rejects(webhookClient({ server: url, caPem: ca.certPem, tlsServerName: 'other.example' }).post({}), { message: `Post "${url}": tls: failed to verify certificate: x509: certificate is valid for webhook.example, not other.example` });
    assert.deepEqual(await webhookClient({ server: url, caPem: ca.certPem, tlsServerName: 'webhook.example' }).post({}), { status: 200, body: {} });
    await assert.rejects(webhookClient({ server: url, caPem: otherCa.certPem, tlsServerName: 'webhook.example' }).post({}), /x509: certificate signed by unknown authority/);
    assert.deepEqual(await webhookClient({ server: url, insecureSkipTlsVerify: true }).post({}), { status: 200, body: {} });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('impersonation (as, as-uid, as-groups, as-user-extra): transport.NewImpersonatingRoundTripper\'s headers', async () => {
  let seen: Record<string, string | string[] | undefined> = {};
  let path = '';
  const server = createHttpServer((req, res) => {
    seen = req.headers;
    path = req.url ?? '';
    res.setHeader('Content-Type', 'application/json');
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/a/../hook/?ignored=1#frag`;
    await webhookClient({ server: url, impersonate: { user: 'webhook-caller', uid: 'u-1', groups: ['a', 'b'], extra: { 'example.com/team': ['x', 'y'] } } }).post({});
    assert.equal(seen['impersonate-user'], 'webhook-caller');
    assert.equal(seen['impersonate-uid'], 'u-1');
    assert.equal(seen['impersonate-group'], 'a, b');
    // headerKeyEscape: "/" is not a header token byte.
    assert.equal(seen['impersonate-extra-example.com%2fteam'], 'x, y');
    // client-go's Request.URL: path.Join of the base path (cleaned, no trailing slash), no query, no fragment.
    assert.equal(path, '/hook');
    // rest.DefaultServerURL: a server without a scheme is http.
    await webhookClient({ server: `127.0.0.1:${(server.address() as { port: number }).port}` }).post({});
    assert.equal(path, '/');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a server URL of another scheme: net/http refuses each request, kube does not refuse it at start', async () => {
  await assert.rejects(webhookClient({ server: 'ftp://127.0.0.1/hook' }).post({}), { message: 'Post "ftp://127.0.0.1/hook": unsupported protocol scheme "ftp"' });
});

test('a webhook that never answers: the client timeout\'s text, not retried', async () => {
  const ca = await createCa({ commonName: 'slow' });
  const serving = await issueServingCert(ca, { sans: ['127.0.0.1'] });
  const server = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    let sleeps = 0;
    const client = webhookClient({ server: `https://127.0.0.1:${port}/hook`, caPem: ca.certPem }, { timeoutMs: 50, sleep: async () => void sleeps++ });
    await assert.rejects(client.post({}), { message: `Post "https://127.0.0.1:${port}/hook": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    assert.equal(sleeps, 0);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a connection reset is retried with the backoff, and the last error is the answer', async () => {
  const server = createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const slept: number[] = [];
    const client = webhookClient({ server: `http://127.0.0.1:${port}/` }, { sleep: async (ms) => void slept.push(ms), random: () => 0 });
    await assert.rejects(client.post({}), (err: WebhookCallError) => err.connectionReset);
    assert.deepEqual(slept, [500, 750, 1125, 1687.5]);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
