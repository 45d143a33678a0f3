// What kube-apiserver logs when a webhook cannot be asked, and at which level:
//   k8s.io/apiserver v0.34.4 plugin/pkg/authenticator/token/webhook/webhook.go:154
//     klog.Errorf("Failed to make webhook authenticator request: %v", err)            -> error
//   k8s.io/apiserver v0.34.4 plugin/pkg/authorizer/webhook/webhook.go:269
//     klog.Errorf("Failed to make webhook authorizer request: %v", err)               -> error
//   k8s.io/client-go v0.34.4 rest/with_retry.go:234
//     klog V(4) "Got a Retry-After response" delay, attempt, url                       -> debug
//   k8s.io/client-go v0.34.4 transport/token_source.go:188 "Unable to rotate token"    -> error
// One line per failed review, after kube's retries (webhookutil.WithExponentialBackoff logs nothing itself).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rm, writeFile, mkdtemp } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { webhookClient, type Backoff, type WebhookLogSink } from '../../../../src/authn/webhook/client.js';
import { webhookTokenAuthenticator } from '../../../../src/authn/webhook/token.js';
import { webhookAuthorizer } from '../../../../src/authz/webhook.js';
import type { Attributes } from '../../../../src/authz/types.js';

interface Line {
  level: 'error' | 'debug';
  fields: Record<string, unknown>;
  message: string;
}

function capture(): WebhookLogSink & { lines: Line[] } {
  const lines: Line[] = [];
  return {
    lines,
    error: (fields, message) => void lines.push({ level: 'error', fields, message }),
    debug: (fields, message) => void lines.push({ level: 'debug', fields, message }),
  };
}

const BACKOFF: Backoff = { durationMs: 1, factor: 1.5, jitter: 0, steps: 5 };
const noSleep = async (): Promise<void> => undefined;

/** An HTTP webhook whose answers the test sets: status, content type, body, headers; counts the calls. */
let answers: { status: number; type?: string; body: string; headers?: Record<string, string> }[] = [];
let calls = 0;
let authHeaders: (string | undefined)[] = [];
let hook: Server;
let hookUrl: string;
// A server that takes connections and never answers, for the timeout.
const silentSockets = new Set<Socket>();
const silent = createNetServer((s) => {
  silentSockets.add(s);
  s.on('close', () => silentSockets.delete(s));
});
let silentUrl: string;
let closedUrl: string;
let dir: string;

before(async () => {
  hook = createHttpServer((req, res) => {
    calls++;
    authHeaders.push(req.headers.authorization);
    req.resume();
    req.on('end', () => {
      const a = answers.length > 1 ? answers.shift()! : answers[0]!;
      res.writeHead(a.status, { 'Content-Type': a.type ?? 'application/json', ...a.headers });
      res.end(a.body);
    });
  });
  hook.listen(0, '127.0.0.1');
  await once(hook, 'listening');
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}/hook`;
  // A port that was free a moment ago: listen, note it, close.
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}/hook`;
  await new Promise<void>((r) => probe.close(() => r()));
  dir = await mkdtemp(join(tmpdir(), 'webhook-log-'));
});
after(async () => {
  for (const s of silentSockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await new Promise<void>((r) => hook.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

function authn(server: string, log: WebhookLogSink, timeoutMs?: number) {
  const client = webhookClient({ server }, { backoff: BACKOFF, sleep: noSleep, log, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  return webhookTokenAuthenticator({ client, version: 'v1', implicitAudiences: [], log });
}

function authz(server: string, log: WebhookLogSink, timeoutMs?: number) {
  const client = webhookClient({ server }, { backoff: BACKOFF, sleep: noSleep, log, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  return webhookAuthorizer({
    version: 'v1',
    log,
    sender: { send: async (review) => (await client.post(review)).body as Record<string, unknown> },
  });
}

const ATTRS: Attributes = {
  user: { name: 'jane', uid: '', groups: [], extra: {} },
  verb: 'get', namespace: 'dev', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: 'p', path: '/api/v1/namespaces/dev/pods/p', isResourceRequest: true,
} as Attributes;

/** Each failure, with the error text client-go gives for it (after kube's retries). */
const failures: { name: string; url: () => string; answers?: typeof answers; timeoutMs?: number; calls?: number; error: (url: string) => string }[] = [
  { name: 'an unreachable service', url: () => closedUrl, error: (url) => `Post "${url}": dial tcp ${new URL(url).host}: connect: connection refused` },
  { name: 'a 404 answer (not retried)', url: () => hookUrl, answers: [{ status: 404, type: 'text/plain; charset=utf-8', body: '404 page not found\n' }], calls: 1, error: () => 'the server could not find the requested resource' },
  { name: 'a 500 answer, retried 5 times, logged once', url: () => hookUrl, answers: [{ status: 500, type: 'text/plain; charset=utf-8', body: 'boom\n' }], calls: 5, error: () => 'an error on the server ("boom") has prevented the request from succeeding' },
  { name: 'a timeout', url: () => silentUrl, timeoutMs: 50, error: (url) => `Post "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` },
  { name: 'a 200 answer of no body', url: () => hookUrl, answers: [{ status: 200, body: '' }], calls: 1, error: () => '0-length response with status code: 200 and content type: application/json' },
];

for (const f of failures) {
  test(`token webhook, ${f.name}: "Failed to make webhook authenticator request: <err>" at error`, async () => {
    if (f.answers) answers = f.answers;
    calls = 0;
    const log = capture();
    const result = await authn(f.url(), log, f.timeoutMs).authenticateToken('t', undefined);
    const error = f.error(f.url());
    assert.deepEqual(result, { ok: false, reason: error });
    assert.deepEqual(log.lines, [{ level: 'error', fields: {}, message: `Failed to make webhook authenticator request: ${error}` }]);
    if (f.calls !== undefined) assert.equal(calls, f.calls);
  });
  test(`authorization webhook, ${f.name}: "Failed to make webhook authorizer request: <err>" at error`, async () => {
    if (f.answers) answers = f.answers;
    calls = 0;
    const log = capture();
    const result = await authz(f.url(), log, f.timeoutMs).authorize(ATTRS);
    const error = f.error(f.url());
    assert.deepEqual(result, { decision: 'noOpinion', reason: '', error });
    assert.deepEqual(log.lines, [{ level: 'error', fields: {}, message: `Failed to make webhook authorizer request: ${error}` }]);
    if (f.calls !== undefined) assert.equal(calls, f.calls);
  });
}

test('token webhook, a 200 answer that is not a TokenReview: the decoding error is logged the same way', async () => {
  answers = [{ status: 200, body: '{"status": "yes"}' }];
  const log = capture();
  const result = await authn(hookUrl, log).authenticateToken('t', undefined);
  assert.deepEqual(result, { ok: false, reason: 'json: cannot unmarshal into Go struct field TokenReview.status' });
  assert.deepEqual(log.lines, [{ level: 'error', fields: {}, message: 'Failed to make webhook authenticator request: json: cannot unmarshal into Go struct field TokenReview.status' }]);
});

test('a 200 answer that is not JSON: logged with the decoding error, for both webhooks', async () => {
  answers = [{ status: 200, body: 'not json' }];
  const a = capture();
  await authn(hookUrl, a).authenticateToken('t', undefined);
  const z = capture();
  await authz(hookUrl, z).authorize(ATTRS);
  assert.equal(a.lines.length, 1);
  assert.match(a.lines[0]!.message, /^Failed to make webhook authenticator request: couldn't get version\/kind; json parse error: /);
  assert.equal(z.lines.length, 1);
  assert.match(z.lines[0]!.message, /^Failed to make webhook authorizer request: couldn't get version\/kind; json parse error: /);
});

test('an answer the webhook gives is not logged: a refusal, an error in the status, a decision', async () => {
  answers = [{ status: 200, body: JSON.stringify({ status: { authenticated: false, error: 'expired' } }) }];
  const a = capture();
  assert.deepEqual(await authn(hookUrl, a).authenticateToken('t', undefined), { ok: false, reason: 'expired' });
  answers = [{ status: 200, body: JSON.stringify({ status: { allowed: false, denied: true, reason: 'no' } }) }];
  const z = capture();
  assert.deepEqual(await authz(hookUrl, z).authorize(ATTRS), { decision: 'deny', reason: 'no' });
  assert.deepEqual([a.lines, z.lines], [[], []]);
});

test('a Retry-After answer: client-go\'s "Got a Retry-After response" at debug, then the answer', async () => {
  answers = [
    { status: 429, type: 'text/plain', body: 'slow down', headers: { 'Retry-After': '2' } },
    { status: 200, body: JSON.stringify({ status: { authenticated: true, user: { username: 'jane' } } }) },
  ];
  calls = 0;
  const log = capture();
  const result = await authn(hookUrl, log).authenticateToken('t', undefined);
  assert.equal(result?.ok, true);
  assert.deepEqual(log.lines, [{ level: 'debug', fields: { delay: '2s', attempt: 1, url: hookUrl }, message: 'Got a Retry-After response' }]);
  assert.equal(calls, 2);
});

test('tokenFile: read again once the last read is 50 s old; an unreadable file keeps the last token and logs "Unable to rotate token"', async () => {
  const file = join(dir, 'token');
  await writeFile(file, 'first\n');
  let now = 0;
  const log = capture();
  const client = webhookClient({ server: hookUrl, token: 'static', tokenFile: file }, { backoff: BACKOFF, sleep: noSleep, log, now: () => now });
  answers = [{ status: 200, body: '{}' }];
  authHeaders = [];
  await client.post({});
  await writeFile(file, 'second\n');
  now = 49_999;
  await client.post({});
  now = 50_001;
  await client.post({});
  await rm(file);
  now = 200_000;
  await client.post({});
  assert.deepEqual(authHeaders, ['Bearer first', 'Bearer first', 'Bearer second', 'Bearer second']);
  assert.deepEqual(log.lines, [{ level: 'error', fields: { error: `failed to read token file "${file}": open ${file}: no such file or directory` }, message: 'Unable to rotate token' }]);
});

test('tokenFile that cannot be read before any read worked: the kubeconfig\'s static token, nothing logged', async () => {
  const log = capture();
  const client = webhookClient({ server: hookUrl, token: 'static', tokenFile: join(dir, 'never') }, { backoff: BACKOFF, sleep: noSleep, log });
  answers = [{ status: 200, body: '{}' }];
  authHeaders = [];
  await client.post({});
  assert.deepEqual(authHeaders, ['Bearer static']);
  assert.deepEqual(log.lines, []);
});
