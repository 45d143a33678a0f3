// Impersonation through the real server and through kubectl --as/--as-group: the filter sits between
// authentication and authorization (DefaultBuildHandlerChain), asks the authorizer with the requesting user,
// and the request then continues, and is authorized, as the impersonated user. Messages follow
// staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go and responsewriters.Forbidden.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubectlBinaries, parseWhoami, runClient, tempDir } from '../helpers/clients.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const ssr = { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' };

const allowServer = useServer({ authorizationMode: 'AlwaysAllow' });
const denyServer = useServer({ authorizationMode: 'AlwaysDeny' });

let allowToken: string;
let denyToken: string;
let admin: { cert: string; key: string };
let tmp: Awaited<ReturnType<typeof tempDir>>;
let adminKubeconfig: string;

before(async () => {
  const allow = await allowServer.ready();
  const deny = await denyServer.ready();
  allowToken = credentialsOf(await allow.kubeconfig({ user: 'bob', groups: ['qa'], auth: 'token' })).token!;
  denyToken = credentialsOf(await deny.kubeconfig({ user: 'bob', groups: ['qa'], auth: 'token' })).token!;
  const c = credentialsOf(await deny.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: c.cert!, key: c.key! };
  tmp = await tempDir('kam-impersonation-');
  adminKubeconfig = await tmp.write('admin.kubeconfig', await allow.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
});
after(async () => {
  await tmp?.remove();
});

/** superagent sends an array as repeated header lines (node's setHeader); its types only admit a string. */
const lines = (values: string[]): string => values as unknown as string;

const forbiddenStatus = (message: string, details: object) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });

test('AlwaysAllow: Impersonate-User and Impersonate-Group make the request jane in dev, plus system:authenticated', async () => {
  const res = await client(allowServer()).post(WHOAMI).set('Authorization', `Bearer ${allowToken}`).set('Impersonate-User', 'jane').set('Impersonate-Group', 'dev').send(ssr);
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.body.status.userInfo, { username: 'jane', groups: ['dev', 'system:authenticated'] });
});

test('AlwaysAllow: every header kind at once, repeated groups and extra values, a service account', async () => {
  const res = await client(allowServer())
    .post(WHOAMI)
    .set('Authorization', `Bearer ${allowToken}`)
    .set('Impersonate-User', 'jane')
    .set('Impersonate-Group', lines(['dev', 'ops']))
    .set('Impersonate-Uid', 'u-jane')
    .set('Impersonate-Extra-Example.com%2FTeam', lines(['a', 'b']))
    .send(ssr);
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.body.status.userInfo, { username: 'jane', uid: 'u-jane', groups: ['dev', 'ops', 'system:authenticated'], extra: { 'example.com/team': ['a', 'b'] } });

  const sa = await client(allowServer()).post(WHOAMI).set('Authorization', `Bearer ${allowToken}`).set('Impersonate-User', 'system:serviceaccount:ci:builder').send(ssr);
  assert.equal(sa.status, 201, sa.text);
  assert.deepEqual(sa.body.status.userInfo, { username: 'system:serviceaccount:ci:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'] });
});

test("AlwaysAllow: a group without a user is kube's plain-text 500", async () => {
  const res = await client(allowServer()).post(WHOAMI).set('Authorization', `Bearer ${allowToken}`).set('Impersonate-Group', 'dev').send(ssr);
  assert.equal(res.status, 500);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.text, `Internal Server Error: "${WHOAMI}": requested [{Group  dev    }] without impersonating a user\n`);
});

test("AlwaysDeny: a token user may not impersonate: kube's 403 for the users resource, with AlwaysDeny's reason", async () => {
  const res = await client(denyServer()).post(WHOAMI).set('Authorization', `Bearer ${denyToken}`).set('Impersonate-User', 'jane').send(ssr);
  assert.equal(res.status, 403);
  assert.deepEqual(
    res.body,
    forbiddenStatus('users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope: Everything is forbidden.', { name: 'jane', kind: 'users' }),
  );
});

test('AlwaysDeny: authentication still comes first: a bad token with Impersonate-User is 401', async () => {
  const res = await client(denyServer()).get('/version').set('Authorization', 'Bearer wrong').set('Impersonate-User', 'jane');
  assert.equal(res.status, 401);
});

test('AlwaysDeny: system:masters may impersonate; the request is then authorized as the impersonated user', async () => {
  // jane alone is refused by AlwaysDeny at authorization: the 403 names jane, so impersonation itself passed
  const asJane = await client(denyServer()).post(WHOAMI).cert(admin.cert).key(admin.key).set('Impersonate-User', 'jane').send(ssr);
  assert.equal(asJane.status, 403);
  assert.deepEqual(
    asJane.body,
    forbiddenStatus(
      'selfsubjectreviews.authentication.k8s.io is forbidden: User "jane" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope: Everything is forbidden.',
      { group: 'authentication.k8s.io', kind: 'selfsubjectreviews' },
    ),
  );
  // jane in system:masters is allowed through authorization too
  const asMaster = await client(denyServer()).post(WHOAMI).cert(admin.cert).key(admin.key).set('Impersonate-User', 'jane').set('Impersonate-Group', 'system:masters').send(ssr);
  assert.equal(asMaster.status, 201, asMaster.text);
  assert.deepEqual(asMaster.body.status.userInfo, { username: 'jane', groups: ['system:masters', 'system:authenticated'] });
});

const newest = kubectlBinaries().at(-1)!;

test(`${newest.name} --as jane --as-group dev auth whoami with an admin kubeconfig`, async () => {
  const res = await runClient(newest.path, ['--kubeconfig', adminKubeconfig, '--cache-dir', `${tmp.dir}/cache`, '--as', 'jane', '--as-group', 'dev', 'auth', 'whoami']);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(parseWhoami(res.stdout), { user: 'jane', groups: ['dev', 'system:authenticated'] });
});
