// npm's @kubernetes/client-node against an in-process server, through its own KubeConfig and typed API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthenticationV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { useServer } from '../helpers/server.js';

const server = useServer();

async function whoami(yaml: string): Promise<{ username?: string; groups?: string[] }> {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
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
  const kc = new KubeConfig();
  kc.loadFromString(await (await server.ready()).kubeconfig({ user: 'v', auth: 'token' }));
  const info = await kc.makeApiClient(VersionApi).getCode();
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
