// Discovery, version and health endpoints, in the shapes kube-apiserver serves
// (endpoints/discovery, server/healthz/healthz.go).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, useServer } from '../helpers/server.js';

const server = useServer({ kubernetesVersion: 'v1.31.4', authorizationMode: 'AlwaysAllow' });

test('/version reports the configured version', async () => {
  const res = await client(server()).get('/version');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual([res.body.major, res.body.minor, res.body.gitVersion], ['1', '31', 'v1.31.4']);
});

const health: { path: string; body: string | RegExp }[] = [
  { path: '/healthz', body: 'ok' },
  { path: '/livez', body: 'ok' },
  { path: '/readyz', body: 'ok' },
  { path: '/readyz?verbose', body: /^\[\+\]ping ok\n[\s\S]*\[\+\]etcd ok\n[\s\S]*readyz check passed\n$/ },
  { path: '/livez?verbose&exclude=etcd', body: /\[\+\]etcd excluded: ok\n[\s\S]*livez check passed\n$/ },
  { path: '/healthz/ping', body: 'ok' },
];
for (const h of health) {
  test(`health: ${h.path}`, async () => {
    const res = await client(server()).get(h.path).buffer(true);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    if (typeof h.body === 'string') assert.equal(res.text, h.body);
    else assert.match(res.text, h.body);
  });
}

test('health: an unknown check is 404', async () => {
  assert.equal((await client(server()).get('/healthz/nope')).status, 404);
});

test('/api lists the core version v1', async () => {
  const res = await client(server()).get('/api');
  assert.equal(res.body.kind, 'APIVersions');
  assert.deepEqual(res.body.versions, ['v1']);
  assert.equal(res.body.serverAddressByClientCIDRs[0].clientCIDR, '0.0.0.0/0');
});

test('/apis lists authentication.k8s.io with v1 preferred', async () => {
  const res = await client(server()).get('/apis');
  assert.equal(res.body.kind, 'APIGroupList');
  const group = res.body.groups.find((g: { name: string }) => g.name === 'authentication.k8s.io');
  assert.deepEqual(group.versions.map((v: { version: string }) => v.version), ['v1', 'v1beta1', 'v1alpha1']);
  assert.deepEqual(group.preferredVersion, { groupVersion: 'authentication.k8s.io/v1', version: 'v1' });
});

test('/apis/authentication.k8s.io is the APIGroup', async () => {
  const res = await client(server()).get('/apis/authentication.k8s.io');
  assert.equal(res.body.kind, 'APIGroup');
  assert.equal(res.body.name, 'authentication.k8s.io');
});

test('/apis/authentication.k8s.io/v1 lists the reviews with the create verb only', async () => {
  const res = await client(server()).get('/apis/authentication.k8s.io/v1');
  assert.equal(res.body.kind, 'APIResourceList');
  assert.equal(res.body.groupVersion, 'authentication.k8s.io/v1');
  assert.deepEqual(
    res.body.resources.map((r: { name: string; verbs: string[]; namespaced: boolean }) => [r.name, r.verbs, r.namespaced]),
    [
      ['selfsubjectreviews', ['create'], false],
      ['tokenreviews', ['create'], false],
    ],
  );
});

test('POST to a discovery path is 405', async () => {
  assert.equal((await client(server()).post('/apis').send({})).status, 405);
});
