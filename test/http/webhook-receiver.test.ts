// The scriptable webhook (startWebhook): TokenReviews and SubjectAccessReviews answered from its script, v1 and
// v1beta1, faults on purpose, every review kept, and kubeconfigs that point at it.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { startWebhook, type KubeAuthMockWebhook } from '../../src/index.js';

const SCRIPT = `
tokens:
  - token: good
    user: {username: jane, uid: "42", groups: [dev], extra: {team: [a]}}
  - token: scoped
    user: {username: svc}
    audiences: [vault]
  - token: revoked
    error: token has been revoked
  - token: flaky
    user: {username: flaky}
    fault: {status: 500}
  - token: slow
    user: {username: slowpoke}
    fault: {delayMs: 5}
authorize:
  - {user: jane, verb: get, resource: pods, namespace: dev, decision: allow, reason: jane reads pods in dev}
  - {userGroup: interns, verb: delete, decision: deny, reason: no deletes for interns}
  - {path: /logs/*, verb: get, decision: allow}
  - {user: lost, decision: noOpinion, evaluationError: backend unreachable}
default: noOpinion
`;

let hook: KubeAuthMockWebhook;
before(async () => {
  hook = await startWebhook({ script: SCRIPT });
});
after(async () => {
  await hook?.stop();
});

function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(`${hook.url}${path}`, { method: 'POST', ca: hook.caCert, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let out = '';
      res.on('data', (c) => (out += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(out) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const tokenReview = (token: string, apiVersion = 'authentication.k8s.io/v1') => ({ apiVersion, kind: 'TokenReview', spec: { token, audiences: ['https://kubernetes.default.svc.cluster.local'] } });
const sar = (spec: object, apiVersion = 'authorization.k8s.io/v1') => ({ apiVersion, kind: 'SubjectAccessReview', spec });

const TOKEN_CASES: { name: string; token: string; apiVersion?: string; status: number; answer: unknown }[] = [
  { name: 'a known token: its user', token: 'good', status: 200, answer: { authenticated: true, user: { username: 'jane', uid: '42', groups: ['dev'], extra: { team: ['a'] } } } },
  { name: 'v1beta1 is answered in v1beta1', token: 'good', apiVersion: 'authentication.k8s.io/v1beta1', status: 200, answer: { authenticated: true, user: { username: 'jane', uid: '42', groups: ['dev'], extra: { team: ['a'] } } } },
  { name: 'audiences given', token: 'scoped', status: 200, answer: { authenticated: true, user: { username: 'svc' }, audiences: ['vault'] } },
  { name: 'an error', token: 'revoked', status: 200, answer: { authenticated: false, error: 'token has been revoked' } },
  { name: 'an unknown token', token: 'nobody', status: 200, answer: { authenticated: false } },
  { name: 'a delay, then the answer', token: 'slow', status: 200, answer: { authenticated: true, user: { username: 'slowpoke' } } },
];
for (const c of TOKEN_CASES) {
  test(`TokenReview: ${c.name}`, async () => {
    const res = await post('/authenticate', tokenReview(c.token, c.apiVersion));
    assert.equal(res.status, c.status);
    assert.deepEqual(res.body, { apiVersion: c.apiVersion ?? 'authentication.k8s.io/v1', kind: 'TokenReview', status: c.answer });
  });
}

test('TokenReview: a fault status is answered as that HTTP status', async () => {
  const res = await post('/authenticate', tokenReview('flaky'));
  assert.equal(res.status, 500);
  assert.equal(res.body.code, 500);
});

const SAR_CASES: { name: string; spec: object; answer: unknown }[] = [
  { name: 'a rule allows', spec: { user: 'jane', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } }, answer: { allowed: true, reason: 'jane reads pods in dev' } },
  { name: 'another namespace: the default', spec: { user: 'jane', resourceAttributes: { namespace: 'prod', verb: 'get', resource: 'pods' } }, answer: { allowed: false } },
  { name: 'a group rule denies', spec: { user: 'tim', groups: ['interns'], resourceAttributes: { verb: 'delete', resource: 'secrets' } }, answer: { allowed: false, denied: true, reason: 'no deletes for interns' } },
  { name: 'a path prefix allows', spec: { user: 'x', nonResourceAttributes: { path: '/logs/kube', verb: 'get' } }, answer: { allowed: true } },
  { name: 'a resource rule never matches a path', spec: { user: 'jane', nonResourceAttributes: { path: '/api', verb: 'get' } }, answer: { allowed: false } },
  { name: 'an evaluation error', spec: { user: 'lost', resourceAttributes: { verb: 'get', resource: 'pods' } }, answer: { allowed: false, evaluationError: 'backend unreachable' } },
];
for (const c of SAR_CASES) {
  test(`SubjectAccessReview: ${c.name}`, async () => {
    const res = await post('/authorize', sar(c.spec));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', status: c.answer });
  });
}

test('anything else is a 400 that says what it expected', async () => {
  const res = await post('/x', { apiVersion: 'v1', kind: 'Pod' });
  assert.equal(res.status, 400);
  assert.match(String(res.body.message), /^expected a TokenReview/);
});

test('every review is kept in order, with the path, the spec and the answer; onReview sees them as they come', async () => {
  const seen: string[] = [];
  const off = hook.onReview((r) => seen.push(r.kind));
  const before = hook.reviews.length;
  await post('/authenticate', tokenReview('good'));
  await post('/authorize', sar({ user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods' } }));
  off();
  assert.deepEqual(seen, ['TokenReview', 'SubjectAccessReview']);
  const [a, b] = hook.reviews.slice(before);
  assert.equal(a!.path, '/authenticate');
  assert.equal(a!.spec.token, 'good');
  assert.equal(b!.answer.status, 200);
});

test('the kubeconfigs name the webhook and trust its CA', () => {
  const authn = parse(hook.authenticationKubeconfig()) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[]; 'current-context': string };
  assert.equal(authn.clusters[0]!.cluster.server, `${hook.url}/authenticate`);
  assert.equal(Buffer.from(authn.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString(), hook.caCert);
  const authz = parse(hook.authorizationKubeconfig()) as { clusters: { cluster: { server: string } }[] };
  assert.equal(authz.clusters[0]!.cluster.server, `${hook.url}/authorize`);
});
