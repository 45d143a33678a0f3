// Webhook token authentication through HTTPS (--authentication-token-webhook-config-file): the webhook is the last
// token authenticator (k8s.io/kubernetes v1.34.4 pkg/kubeapiserver/authenticator/config.go), its user reaches the
// API, and whatever goes wrong with it (refusal, an error status, an unreachable service) is a 401, never a 500
// (k8s.io/apiserver v0.34.4 plugin/pkg/authenticator/token/webhook/webhook.go). A bad kubeconfig or version stops
// the start, as newWebhookTokenAuthenticator's error stops kube-apiserver's.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { startServer } from '../../src/index.js';
import { createLogger } from '../../src/util/log.js';
import type { Backoff } from '../../src/authn/webhook/client.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';
import { startTokenWebhook, type TestTokenWebhook } from '../helpers/token-webhook.js';

// kube's backoff shape without the waits: the retries still happen (5 calls), the sleeps are 0 ms.
const NO_WAIT_BACKOFF: Backoff = { durationMs: 0, factor: 1.5, jitter: 0.2, steps: 5 };
const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const TOKENREVIEWS = '/apis/authentication.k8s.io/v1/tokenreviews';
const ssr = { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' };

let hook: TestTokenWebhook;
let tmp: string;
let unreachableKubeconfig: string;
let badHeaderKubeconfig: string;
// Something listening where the bad-header kubeconfig's proxy-url points: the dial succeeds, the request is not sent.
const proxyStandIn = createNetServer((socket) => socket.destroy());
const hookReady = (async () => {
  hook = await startTokenWebhook();
  tmp = await mkdtemp(join(tmpdir(), 'token-webhook-http-'));
  // The same kubeconfig pointing at a port nothing listens on (port 1 is privileged and never ours).
  unreachableKubeconfig = join(tmp, 'unreachable.kubeconfig');
  await writeFile(unreachableKubeconfig, hook.kubeconfigYaml.replace(hook.url, 'https://127.0.0.1:1/testserver'));
  proxyStandIn.listen(0, '127.0.0.1');
  await once(proxyStandIn, 'listening');
  // A user to impersonate that net/http will not put in a header (clientcmd takes it), through a proxy.
  badHeaderKubeconfig = join(tmp, 'bad-header.kubeconfig');
  const proxyPort = (proxyStandIn.address() as { port: number }).port;
  await writeFile(badHeaderKubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1/x", proxy-url: "http://127.0.0.1:${proxyPort}"}}]\nusers: [{name: u, user: {as: "a\\nb"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
})();
const server = useServer(async () => {
  await hookReady;
  return { authenticationTokenWebhookConfigFile: hook.kubeconfigFile, authenticationTokenWebhookVersion: 'v1', authenticationTokenWebhookCacheTtlMs: 0, webhookRetryBackoff: NO_WAIT_BACKOFF };
});
// The unreachable server's log, as JSON lines, and a wait for the first line that matches.
const unreachableLog: Record<string, unknown>[] = [];
let onLogLine: (() => void) | undefined;
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) unreachableLog.push(JSON.parse(text) as Record<string, unknown>);
    onLogLine?.();
    done();
  },
});
async function logLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (;;) {
    const found = unreachableLog.find(match);
    if (found) return found;
    await new Promise<void>((r) => (onLogLine = r));
  }
}
const unreachable = useServer(async () => {
  await hookReady;
  return { authenticationTokenWebhookConfigFile: unreachableKubeconfig, webhookRetryBackoff: NO_WAIT_BACKOFF, log: createLogger('json', logSink) };
});
const badHeader = useServer(async () => {
  await hookReady;
  return { authenticationTokenWebhookConfigFile: badHeaderKubeconfig, webhookRetryBackoff: NO_WAIT_BACKOFF, log: createLogger('json', logSink) };
});
after(async () => {
  await new Promise<void>((r) => proxyStandIn.close(() => r()));
  await hook.close();
  await rm(tmp, { recursive: true, force: true });
});

let admin: string;
before(async () => {
  admin = credentialsOf(await (await server.ready()).kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'token' })).token!;
});

const whoami = (token: string, s = server) => client(s()).post(WHOAMI).set('Authorization', `Bearer ${token}`).send(ssr);
const ALICE = { authenticated: true, user: { username: 'alice@example.com', uid: 'u-123', groups: ['dev', 'ops'], extra: { 'example.com/team': ['a', 'b'] } } };

test('a token the webhook accepts authenticates: SelfSubjectReview shows its user, uid, groups and extra', async () => {
  hook.answer = (review) => ((review.spec as { token: string }).token === 'from-the-webhook' ? { status: ALICE } : { status: { authenticated: false } });
  const res = await whoami('from-the-webhook');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(res.body.status.userInfo, { username: 'alice@example.com', uid: 'u-123', groups: ['dev', 'ops', 'system:authenticated'], extra: { 'example.com/team': ['a', 'b'] } });
  // The review the webhook got: v1 as asked, the token and the API audiences.
  const review = hook.reviews.at(-1)!;
  assert.equal(review.apiVersion, 'authentication.k8s.io/v1');
  assert.deepEqual(review.spec, { token: 'from-the-webhook', audiences: ['https://kubernetes.default.svc.cluster.local'] });
});

test('a token the webhook refuses is a 401', async () => {
  hook.answer = { status: { authenticated: false } };
  const res = await whoami('refused');
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, UNAUTHORIZED);
});

test('a static token is answered before the webhook is asked', async () => {
  const calls = hook.reviews.length;
  const res = await whoami(admin);
  assert.equal(res.status, 201);
  assert.equal(res.body.status.userInfo.username, 'admin');
  assert.equal(hook.reviews.length, calls);
});

test('a webhook answering 500 gives a 401 (never a 500), after kube\'s 5 calls', async () => {
  hook.answer = { code: 500, status: {} };
  const calls = hook.reviews.length;
  const res = await whoami('while-broken');
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, UNAUTHORIZED);
  assert.equal(hook.reviews.length - calls, 5);
});

test('an unreachable webhook gives a 401, and the server logs kube\'s klog.Errorf line at error (webhook.go:154)', async () => {
  const res = await whoami('anything', unreachable);
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, UNAUTHORIZED);
  const line = await logLine((l) => typeof l.msg === 'string' && l.msg.startsWith('Failed to make webhook authenticator request: '));
  assert.equal(line.level, 50);
  assert.equal(line.msg, 'Failed to make webhook authenticator request: Post "https://127.0.0.1:1/testserver": dial tcp 127.0.0.1:1: connect: connection refused');
});

test('a header value net/http refuses (as: "a\\nb") through a proxy: the webhook call fails, a 401, the server keeps serving', async () => {
  const res = await whoami('anything', badHeader);
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, UNAUTHORIZED);
  const line = await logLine((l) => typeof l.msg === 'string' && l.msg.includes('invalid header field value'));
  assert.equal(line.msg, 'Failed to make webhook authenticator request: Post "http://127.0.0.1:1/x": net/http: invalid header field value for "Impersonate-User"');
  assert.equal((await whoami('again', badHeader)).status, 401);
});

test('TokenReview shows the webhook\'s error text', async () => {
  hook.answer = { status: { authenticated: false, error: 'token expired at 12:00' } };
  const res = await client(server()).post(TOKENREVIEWS).set('Authorization', `Bearer ${admin}`).send({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: 'expired' } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.status.authenticated, undefined);
  assert.match(res.body.status.error, /token expired at 12:00/);
});

test('TokenReview of a token the webhook accepts shows its user and the audiences', async () => {
  hook.answer = { status: ALICE };
  const res = await client(server()).post(TOKENREVIEWS).set('Authorization', `Bearer ${admin}`).send({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: 'good' } });
  assert.deepEqual(res.body.status, { authenticated: true, user: { username: 'alice@example.com', uid: 'u-123', groups: ['dev', 'ops', 'system:authenticated'], extra: { 'example.com/team': ['a', 'b'] } }, audiences: ['https://kubernetes.default.svc.cluster.local'] });
});

test('TokenReview of an unreachable webhook shows the connection error', async () => {
  const s = unreachable();
  const adminU = credentialsOf(await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'token' })).token!;
  const res = await client(s).post(TOKENREVIEWS).set('Authorization', `Bearer ${adminU}`).send({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: 'x' } });
  assert.equal(res.status, 201);
  assert.match(res.body.status.error, /Post "https:\/\/127\.0\.0\.1:1\/testserver": dial tcp 127\.0\.0\.1:1: connect: connection refused/);
});

test('start-up refuses a missing kubeconfig, a bad one and an unknown version, naming the file or flag', async () => {
  const missing = join(tmp, 'missing.kubeconfig');
  // client-go's texts (tools/clientcmd loader.go Load: the os.Stat error; validation.go ErrEmptyConfig).
  await assert.rejects(startServer({ port: 0, authenticationTokenWebhookConfigFile: missing }), { name: 'ConfigError', message: `${missing}: stat ${missing}: no such file or directory` });
  const noContext = join(tmp, 'no-context.kubeconfig');
  await writeFile(noContext, 'apiVersion: v1\nkind: Config\nclusters: []\n');
  await assert.rejects(startServer({ port: 0, authenticationTokenWebhookConfigFile: noContext }), { name: 'ConfigError', message: `${noContext}: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable` });
  // url.Parse refuses a bad %-escape in the proxy's user info (clientcmd helpers.go parseProxyURL, validation.go).
  const badProxy = join(tmp, 'bad-proxy.kubeconfig');
  await writeFile(badProxy, hook.kubeconfigYaml.replace(`server: ${hook.url}`, `server: ${hook.url}\n      proxy-url: "http://us%zz:pw@127.0.0.1:3128"`));
  await assert.rejects(startServer({ port: 0, authenticationTokenWebhookConfigFile: badProxy }), { name: 'ConfigError', message: new RegExp(`^${badProxy}: invalid configuration: invalid 'proxy-url' "http://us%zz:pw@127\\.0\\.0\\.1:3128" for cluster "[^"]*": could not parse: http://us%zz:pw@127\\.0\\.0\\.1:3128$`) });
  await assert.rejects(startServer({ port: 0, authenticationTokenWebhookConfigFile: hook.kubeconfigFile, authenticationTokenWebhookVersion: 'v2' }), {
    name: 'ConfigError',
    message: '--authentication-token-webhook-version: unsupported authentication webhook version "v2", supported versions are "v1", "v1beta1"',
  });
});
