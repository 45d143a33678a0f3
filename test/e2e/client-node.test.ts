// npm's @kubernetes/client-node against an in-process server, through its own KubeConfig and typed API
// (1.x, or 2.x when test/e2e/node-lts.test.ts runs this file on the LTS Node: test/helpers/client-node.ts).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { k8s } from '../helpers/client-node.js';
import { useServer } from '../helpers/server.js';

const server = useServer();

async function whoami(yaml: string): Promise<{ username?: string; groups?: string[] }> {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(yaml);
  const review = await kc.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  return review.status?.userInfo ?? {};
}

const cases: { auth: 'cert' | 'token' | 'basic'; user: string; groups: string[] }[] = [
  { auth: 'cert', user: 'node-admin', groups: ['system:masters'] },
  { auth: 'token', user: 'node-token', groups: ['dev'] },
  { auth: 'basic', user: 'node-basic', groups: ['qa'] },
];

for (const c of cases) {
  test(`client-node createSelfSubjectReview with a ${c.auth} identity is ${c.user}`, async () => {
    const info = await whoami(await (await server.ready()).kubeconfig({ user: c.user, groups: c.groups, auth: c.auth }));
    assert.equal(info.username, c.user);
    assert.deepEqual(info.groups, [...c.groups, 'system:authenticated']);
  });
}

test('client-node VersionApi.getCode', async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(await (await server.ready()).kubeconfig({ user: 'v', auth: 'token' }));
  const info = await kc.makeApiClient(k8s.VersionApi).getCode();
  assert.equal(info.gitVersion, 'v1.33.0');
});

test('client-node with a wrong token throws its ApiException with code 401', async () => {
  const yaml = (await (await server.ready()).kubeconfig({ user: 'x', auth: 'token' })).replace(/token: .*/, 'token: wrong');
  // client-node's generated code drops the body of a 401 (its OpenAPI declares none); the Status body
  // itself is checked in test/http.
  await assert.rejects(whoami(yaml), (err: unknown) => {
    assert.equal((err as { code?: number }).code, 401, String(err));
    assert.match(String(err), /Unauthorized/);
    return true;
  });
});

test('client-node with a ServiceAccount kubeconfig is the ServiceAccount, and reads its own namespace', async () => {
  const s = await server.ready();
  const kc = new k8s.KubeConfig();
  kc.loadFromString(await s.serviceAccountKubeconfig('default/default'));
  assert.equal(kc.getContextObject(kc.getCurrentContext())?.namespace, 'default');
  const review = await kc.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.equal(review.status?.userInfo?.username, 'system:serviceaccount:default:default');
  assert.deepEqual(review.status?.userInfo?.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
});

test('client-node loadFromCluster reads the in-cluster files inCluster() writes, under its path prefix', async () => {
  const s = await server.ready();
  const prefix = await mkdtemp(join(tmpdir(), 'kam-incluster-'));
  try {
    const files = await s.inCluster('kube-system/builder', join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount'), { create: true });
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = files.env.KUBERNETES_SERVICE_HOST;
    process.env.KUBERNETES_SERVICE_PORT = files.env.KUBERNETES_SERVICE_PORT;
    const kc = new k8s.KubeConfig();
    try {
      kc.loadFromCluster(prefix);
    } finally {
      for (const [k, v] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const review = await kc.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    assert.equal(review.status?.userInfo?.username, 'system:serviceaccount:kube-system:builder');
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }
});
