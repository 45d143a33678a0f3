// Bootstrap tokens through HTTPS (--enable-bootstrap-token-auth): a bootstrap.kubernetes.io/token Secret created through
// the API authenticates "<id>.<secret>" as system:bootstrap:<id> (plugin/pkg/auth/authenticator/token/bootstrap/
// bootstrap.go, wired after the token file as pkg/kubeapiserver/authenticator/config.go does); every rejection is
// "not mine", so the bearer path answers 401 "invalid bearer token", never anonymous.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer({ enableBootstrapTokenAuth: true });
const off = useServer({});
const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const SECRETS = '/api/v1/namespaces/kube-system/secrets';
const ssr = { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' };

let admin: string;
let adminOff: string;
before(async () => {
  admin = credentialsOf(await (await server.ready()).kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'token' })).token!;
  adminOff = credentialsOf(await (await off.ready()).kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'token' })).token!;
});

/** A bootstrap token Secret as kubeadm writes it (BootstrapTokenToSecret), with stringData for readability. */
function tokenSecret(id: string, secret: string, extra: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    stringData: { 'token-id': id, 'token-secret': secret, 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true', 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token', ...extra },
  };
}

async function create(body: object, token = admin, s = server): Promise<void> {
  const res = await client(s()).post(SECRETS).set('Authorization', `Bearer ${token}`).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

const whoami = (token: string, s = server) => client(s()).post(WHOAMI).set('Authorization', `Bearer ${token}`).send(ssr);

test('a bootstrap token Secret created through the API authenticates as system:bootstrap:<id> with its groups', async () => {
  await create(tokenSecret('abc123', '0123456789abcdef'));
  const res = await whoami('abc123.0123456789abcdef');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(res.body.status.userInfo, { username: 'system:bootstrap:abc123', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] });
});

test('TokenReview sees bootstrap tokens too (the one token union), with the API audiences', async () => {
  await create(tokenSecret('rev123', '0123456789abcdef'));
  const res = await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').set('Authorization', `Bearer ${admin}`).send({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: 'rev123.0123456789abcdef' } });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.status, {
    authenticated: true,
    user: { username: 'system:bootstrap:rev123', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] },
    audiences: ['https://kubernetes.default.svc.cluster.local'],
  });
});

const rejected: { name: string; id: string; secret: object; token?: string }[] = [
  { name: 'expired', id: 'exp123', secret: tokenSecret('exp123', '0123456789abcdef', { expiration: '2009-11-10T23:00:00Z' }) },
  { name: 'an expiration that does not parse as RFC 3339 (kube: "Treating as expired")', id: 'bad123', secret: tokenSecret('bad123', '0123456789abcdef', { expiration: 'tomorrow' }) },
  { name: 'usage-bootstrap-authentication is not "true"', id: 'use123', secret: tokenSecret('use123', '0123456789abcdef', { 'usage-bootstrap-authentication': 'false' }) },
  { name: 'the secret part differs', id: 'sec123', secret: tokenSecret('sec123', '0123456789abcdef'), token: 'sec123.0123456789abcdee' },
  { name: 'an extra group outside system:bootstrappers:', id: 'grp123', secret: tokenSecret('grp123', '0123456789abcdef', { 'auth-extra-groups': 'system:masters' }) },
  { name: 'the Secret is of another type', id: 'typ123', secret: { ...tokenSecret('typ123', '0123456789abcdef'), type: 'Opaque' } },
  { name: 'the Secret is in another namespace', id: 'nsp123', secret: { ...tokenSecret('nsp123', '0123456789abcdef'), metadata: { name: 'bootstrap-token-nsp123', namespace: 'default' } } },
];
for (const c of rejected) {
  test(`a bootstrap token is 401 "Unauthorized", never anonymous, when ${c.name}`, async () => {
    const ns = (c.secret as { metadata: { namespace: string } }).metadata.namespace;
    const res0 = await client(server()).post(`/api/v1/namespaces/${ns}/secrets`).set('Authorization', `Bearer ${admin}`).send(c.secret);
    assert.equal(res0.status, 201, JSON.stringify(res0.body));
    const res = await whoami(c.token ?? `${c.id}.0123456789abcdef`);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, UNAUTHORIZED);
  });
}

test('a deleted bootstrap token stops working at once', async () => {
  await create(tokenSecret('del123', '0123456789abcdef'));
  assert.equal((await whoami('del123.0123456789abcdef')).status, 201);
  const res = await client(server()).delete(`${SECRETS}/bootstrap-token-del123`).set('Authorization', `Bearer ${admin}`);
  assert.equal(res.status, 200);
  const after = await whoami('del123.0123456789abcdef');
  assert.equal(after.status, 401);
  assert.deepEqual(after.body, UNAUTHORIZED);
});

test('an updated Secret is read at once: usage-bootstrap-authentication turned off rejects the token', async () => {
  await create(tokenSecret('upd123', '0123456789abcdef'));
  assert.equal((await whoami('upd123.0123456789abcdef')).status, 201);
  const res = await client(server())
    .patch(`${SECRETS}/bootstrap-token-upd123`)
    .set('Authorization', `Bearer ${admin}`)
    .set('Content-Type', 'application/merge-patch+json')
    .send({ stringData: null, data: { 'usage-bootstrap-authentication': Buffer.from('false').toString('base64') } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal((await whoami('upd123.0123456789abcdef')).status, 401);
});

test('without --enable-bootstrap-token-auth a bootstrap token is not accepted', async () => {
  await create(tokenSecret('off123', '0123456789abcdef'), adminOff, off);
  const res = await whoami('off123.0123456789abcdef', off);
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, UNAUTHORIZED);
});
