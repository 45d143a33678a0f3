// --authorization-mode RBAC,Webhook with the scriptable webhook (startWebhook): what the webhook decides is what
// the request gets, after RBAC had no opinion; its review carries the list's selectors (KEP-4601); a webhook that
// cannot be asked is kube's 500 unless RBAC allows, and a SubjectAccessReview reports it as evaluationError.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { startServer, startWebhook, type KubeAuthMockServer, type KubeAuthMockWebhook } from '../../src/index.js';
import { createLogger } from '../../src/util/log.js';
import { client, credentialsOf } from '../helpers/server.js';

// The server's log as JSON lines: the failing webhook's klog.Errorf line is asserted.
const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(text) as Record<string, unknown>);
    done();
  },
});

let hook: KubeAuthMockWebhook;
let server: KubeAuthMockServer;
let dir: string;
let jane: string;
let tim: string;
let root: string;

before(async () => {
  hook = await startWebhook({
    script: `
authorize:
  - {user: jane, verb: list, resource: pods, namespace: dev, decision: allow, reason: jane lists pods in dev}
  - {user: tim, decision: deny, reason: tim is on leave}
  - {user: flaky, decision: allow, fault: {status: 500}}
`,
  });
  dir = await mkdtemp(join(tmpdir(), 'kam-authz-webhook-'));
  await writeFile(join(dir, 'authz.kubeconfig'), hook.authorizationKubeconfig());
  server = await startServer({
    port: 0,
    authorizationMode: 'RBAC,Webhook',
    authorizationWebhookConfigFile: join(dir, 'authz.kubeconfig'),
    authorizationWebhookVersion: 'v1',
    // kube's backoff without its waits: the failing webhook is asked once.
    webhookRetryBackoff: { durationMs: 1, factor: 1, jitter: 0, steps: 1 },
    log: createLogger('json', logSink),
  });
  const token = async (user: string, groups: string[] = []) => credentialsOf(await server.kubeconfig({ user, groups, auth: 'token' })).token!;
  [jane, tim, root] = [await token('jane', ['dev']), await token('tim'), await token('root', ['system:masters'])];
});
after(async () => {
  await server?.stop();
  await hook?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('the webhook allows what RBAC does not, and its review carries the list\'s selectors', async () => {
  const before = hook.reviews.length;
  const res = await client(server).get('/api/v1/namespaces/dev/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1').set('Authorization', `Bearer ${jane}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const review = hook.reviews.slice(before).find((r) => r.kind === 'SubjectAccessReview')!;
  assert.deepEqual(review.spec.resourceAttributes, {
    namespace: 'dev',
    verb: 'list',
    version: 'v1',
    resource: 'pods',
    fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] },
    labelSelector: { requirements: [{ key: 'app', operator: 'In', values: ['web'] }] },
  });
  assert.equal(review.spec.user, 'jane');
});

test('a deny is kube\'s 403 with the webhook\'s reason', async () => {
  const res = await client(server).get('/api/v1/namespaces/dev/pods').set('Authorization', `Bearer ${tim}`);
  assert.equal(res.status, 403);
  assert.equal(res.body.message, 'pods is forbidden: User "tim" cannot list resource "pods" in API group "" in the namespace "dev": tim is on leave');
});

test('a webhook that fails: kube\'s 500 for the request; SubjectAccessReview reports it as evaluationError', async () => {
  const flaky = credentialsOf(await server.kubeconfig({ user: 'flaky', auth: 'token' })).token!;
  const res = await client(server).get('/api/v1/namespaces/dev/pods').set('Authorization', `Bearer ${flaky}`);
  assert.equal(res.status, 500, res.text);
  // responsewriters.InternalError: plain text, not a Status (the parity scenario webhooks/authorize-webhook-fails).
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.match(res.text, /^Internal Server Error: "\/api\/v1\/namespaces\/dev\/pods": .+\n$/);
  const sar = await client(server)
    .post('/apis/authorization.k8s.io/v1/subjectaccessreviews')
    .set('Authorization', `Bearer ${root}`)
    .send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'flaky', resourceAttributes: { verb: 'get', resource: 'pods' } } });
  assert.equal(sar.body.status.allowed, false);
  assert.match(sar.body.status.evaluationError, /.+/);
  // kube's klog.Errorf (plugin/pkg/authorizer/webhook/webhook.go:269), at error, once per failed review. The request's
  // own line is written when its answer is, so both reviews' lines are in by now.
  const failed = logLines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Failed to make webhook authorizer request: '));
  assert.equal(failed.length, 2);
  for (const l of failed) assert.equal(l.level, 50);
  // The fault answers a metav1.Status, whose message is the error (client-go Result.Error).
  assert.deepEqual(failed.map((l) => l.msg), Array(2).fill('Failed to make webhook authorizer request: fault: HTTP 500 on purpose'));
});

test('start-up: Webhook without its file, or the file without the mode, is kube\'s error', async () => {
  await assert.rejects(startServer({ port: 0, authorizationMode: 'RBAC,Webhook' }), { message: "--authorization-mode: authorization-mode Webhook's authorization config file not passed" });
  await assert.rejects(startServer({ port: 0, authorizationMode: 'RBAC', authorizationWebhookConfigFile: join(dir, 'authz.kubeconfig') }), {
    message: '--authorization-mode: cannot specify --authorization-webhook-config-file without mode Webhook',
  });
});
