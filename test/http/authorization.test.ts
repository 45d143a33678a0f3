// --authorization-mode AlwaysAllow / AlwaysDeny, with kube-apiserver's system:masters bypass and its 403
// Status, word for word (handlers/responsewriters/errors.go forbiddenMessage, authorizerfactory/builtin.go).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer({ authorizationMode: 'AlwaysDeny' });
let token: string;
let admin: { cert: string; key: string };

before(async () => {
  const s = await server.ready();
  token = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  const c = credentialsOf(await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: c.cert!, key: c.key! };
});

const cases: { name: string; method: 'get' | 'post'; path: string; message: string; details: object }[] = [
  { name: 'non-resource path', method: 'get', path: '/version', message: 'forbidden: User "jane" cannot get path "/version": Everything is forbidden.', details: {} },
  { name: 'discovery', method: 'get', path: '/apis', message: 'forbidden: User "jane" cannot get path "/apis": Everything is forbidden.', details: {} },
  {
    name: 'cluster-scoped resource',
    method: 'post',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    message: 'selfsubjectreviews.authentication.k8s.io is forbidden: User "jane" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope: Everything is forbidden.',
    details: { group: 'authentication.k8s.io', kind: 'selfsubjectreviews' },
  },
  {
    name: 'namespaced resource with a name',
    method: 'get',
    path: '/api/v1/namespaces/dev/secrets/db',
    message: 'secrets "db" is forbidden: User "jane" cannot get resource "secrets" in API group "" in the namespace "dev": Everything is forbidden.',
    details: { name: 'db', kind: 'secrets' },
  },
  {
    name: 'subresource',
    method: 'get',
    path: '/api/v1/namespaces/dev/pods/web/log',
    message: 'pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "dev": Everything is forbidden.',
    details: { name: 'web', kind: 'pods' },
  },
];

for (const c of cases) {
  test(`AlwaysDeny: ${c.name} is kube's 403`, async () => {
    const res = await client(server())[c.method](c.path).set('Authorization', `Bearer ${token}`).send(c.method === 'post' ? {} : undefined);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: c.message, reason: 'Forbidden', details: c.details, code: 403 });
  });
}

test('AlwaysDeny: system:masters is allowed anyway, as kube-apiserver always allows it', async () => {
  const res = await client(server()).get('/version').cert(admin.cert).key(admin.key);
  assert.equal(res.status, 200);
});

test('AlwaysDeny: authentication still comes first: a bad token is 401, not 403', async () => {
  const res = await client(server()).get('/version').set('Authorization', 'Bearer wrong');
  assert.equal(res.status, 401);
});
