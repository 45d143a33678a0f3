// The authenticating proxy through HTTPS, on a server with a PKI folder: kubeadm's front-proxy files and header
// flags (cmd/kubeadm/app/phases/controlplane/manifests.go), plus --requestheader-uid-headers X-Remote-Uid.
// Rules: staging/src/k8s.io/apiserver/pkg/authentication/request/headerrequest/requestheader.go, request/x509/x509.go
// (Verifier), filters/authentication.go; the ConfigMap: pkg/controlplane/controller/clusterauthenticationtrust.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type request from 'supertest';
import { issueClientCert, type IssuedCert } from '../../src/pki/index.js';
import { startServer } from '../../src/index.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

let dir: string;
const server = useServer(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kam-front-proxy-'));
  return { pkiDir: join(dir, 'pki'), requestheaderUidHeaders: ['X-Remote-Uid'], policyPaths: [] };
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const ssr = { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' };
type Pair = { cert: string; key: string };
let proxy: Pair;
let admin: Pair;
let notAllowed: Pair;
let token: string;

before(async () => {
  const s = await server.ready();
  const pki = join(dir, 'pki');
  const read = async (name: string): Promise<string> => readFile(join(pki, name), 'utf8');
  proxy = { cert: await read('front-proxy-client.crt'), key: await read('front-proxy-client.key') };
  admin = { cert: await read('admin.crt'), key: await read('admin.key') };
  const caPem = await read('front-proxy-ca.crt');
  const caKeyPem = await read('front-proxy-ca.key');
  const frontCa: IssuedCert = { certPem: caPem, keyPem: caKeyPem, cert: new X509Certificate(caPem), key: createPrivateKey(caKeyPem) };
  const other = await issueClientCert(frontCa, { user: 'some-other-proxy' });
  notAllowed = { cert: other.certPem, key: other.keyPem };
  token = credentialsOf(await s.kubeconfig({ user: 'tina', groups: ['dev'], auth: 'token' })).token!;
});

/** Two X-Remote-Group header lines: node's setHeader sends one line per array element (superagent's types say string). */
const TWO_GROUP_LINES = ['g1', 'g2'] as unknown as string;
const whoami = (send: (r: request.Test) => request.Test) => send(client(server()).post(WHOAMI)).send(ssr);

test('kubeadm\'s front-proxy files are in the PKI folder, keys 0600', async () => {
  for (const [name, mode] of [['front-proxy-ca.crt', 0o644], ['front-proxy-ca.key', 0o600], ['front-proxy-client.crt', 0o644], ['front-proxy-client.key', 0o600]] as const) {
    assert.equal((await stat(join(dir, 'pki', name))).mode & 0o777, mode, name);
  }
  const c = new X509Certificate(proxy.cert);
  assert.equal(c.subject, 'CN=front-proxy-client');
  assert.equal(c.issuer, 'CN=front-proxy-ca');
});

test('a proxy certificate with X-Remote-User is that user, with every X-Remote-Group value, the uid and the X-Remote-Extra- keys', async () => {
  const res = await whoami((r) => r.cert(proxy.cert).key(proxy.key).set('X-Remote-User', 'alice').set('X-Remote-Uid', 'u-1').set('X-Remote-Group', TWO_GROUP_LINES).set('X-Remote-Extra-Scopes', 'read').set('X-Remote-Extra-Example.com%2fteam', 'blue'));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(res.body.status.userInfo, { username: 'alice', uid: 'u-1', groups: ['g1', 'g2', 'system:authenticated'], extra: { scopes: ['read'], 'example.com/team': ['blue'] } });
});

test('a client certificate of the cluster CA with X-Remote-User is the certificate\'s user: the header is ignored', async () => {
  const res = await whoami((r) => r.cert(admin.cert).key(admin.key).set('X-Remote-User', 'mallory').set('X-Remote-Group', 'system:masters'));
  assert.equal(res.status, 201);
  assert.equal(res.body.status.userInfo.username, 'admin');
  assert.deepEqual(res.body.status.userInfo.groups, ['system:masters', 'system:authenticated']);
});

test('no certificate with X-Remote-User is anonymous, never that user', async () => {
  const res = await whoami((r) => r.set('X-Remote-User', 'mallory').set('X-Remote-Group', 'system:masters'));
  assert.equal(res.status, 403);
  assert.match(res.body.message, /User "system:anonymous" cannot create resource "selfsubjectreviews"/);
});

test('a bearer token with X-Remote-User is the token\'s user', async () => {
  const res = await whoami((r) => r.set('Authorization', `Bearer ${token}`).set('X-Remote-User', 'mallory'));
  assert.equal(res.status, 201);
  assert.equal(res.body.status.userInfo.username, 'tina');
});

test('a header named in Connection: is still ignored without the proxy certificate, and still read with it (Go\'s server drops no hop-by-hop header)', async () => {
  const anon = await whoami((r) => r.set('Connection', 'keep-alive, X-Remote-User').set('X-Remote-User', 'mallory'));
  assert.equal(anon.status, 403);
  assert.match(anon.body.message, /system:anonymous/);
  const proxied = await whoami((r) => r.cert(proxy.cert).key(proxy.key).set('Connection', 'keep-alive, X-Remote-User').set('X-Remote-User', 'alice'));
  assert.equal(proxied.status, 201);
  assert.equal(proxied.body.status.userInfo.username, 'alice');
});

test('a proxy certificate whose CN is not in --requestheader-allowed-names is 401, whatever the headers', async () => {
  const res = await whoami((r) => r.cert(notAllowed.cert).key(notAllowed.key).set('X-Remote-User', 'alice'));
  assert.equal(res.status, 401);
});

test('a proxy certificate without X-Remote-User falls through: the x509 authenticator refuses it (401), a token beside it authenticates', async () => {
  const bare = await whoami((r) => r.cert(proxy.cert).key(proxy.key));
  assert.equal(bare.status, 401);
  const withToken = await whoami((r) => r.cert(proxy.cert).key(proxy.key).set('Authorization', `Bearer ${token}`));
  assert.equal(withToken.status, 201);
  assert.equal(withToken.body.status.userInfo.username, 'tina');
});

test('kube-system/extension-apiserver-authentication holds the client CA and the proxy\'s CA and lists, as kube publishes them', async () => {
  const res = await client(server()).get('/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication').cert(admin.cert).key(admin.key);
  assert.equal(res.status, 200);
  const data = res.body.data as Record<string, string>;
  assert.deepEqual(Object.keys(data).sort(), ['client-ca-file', 'requestheader-allowed-names', 'requestheader-client-ca-file', 'requestheader-extra-headers-prefix', 'requestheader-group-headers', 'requestheader-uid-headers', 'requestheader-username-headers']);
  assert.equal(data['client-ca-file'], new X509Certificate(await readFile(join(dir, 'pki', 'ca.crt'))).toString());
  assert.equal(data['requestheader-client-ca-file'], new X509Certificate(await readFile(join(dir, 'pki', 'front-proxy-ca.crt'))).toString());
  assert.equal(data['requestheader-allowed-names'], '["front-proxy-client"]');
  assert.equal(data['requestheader-username-headers'], '["X-Remote-User"]');
  assert.equal(data['requestheader-uid-headers'], '["X-Remote-Uid"]');
  assert.equal(data['requestheader-group-headers'], '["X-Remote-Group"]');
  assert.equal(data['requestheader-extra-headers-prefix'], '["X-Remote-Extra-"]');
});

test('--requestheader-client-ca-file that cannot be read stops the start with one line naming it', async () => {
  const missing = join(dir, 'nope.crt');
  await assert.rejects(startServer({ requestheaderClientCaFile: missing }), (err: Error) => err.message.includes(missing) && !err.message.includes('\n'));
});

test('--requestheader-client-ca-file without a certificate in it stops the start naming it', async () => {
  const empty = join(dir, 'empty.crt');
  await writeFile(empty, 'not a certificate\n');
  await assert.rejects(startServer({ requestheaderClientCaFile: empty }), (err: Error) => err.message.includes(empty) && /no PEM certificate found|not a valid PEM certificate bundle/.test(err.message));
});

test('--requestheader-uid-headers without X-Remote-Uid is refused, as kube\'s Validate does', async () => {
  await assert.rejects(startServer({ requestheaderClientCaFile: join(dir, 'pki', 'front-proxy-ca.crt'), requestheaderUidHeaders: ['X-Other-Uid'] }), /--requestheader-uid-headers is set without specifying the standard X-Remote-Uid header - API aggregation will not work/);
});

test('without a PKI folder and without --requestheader-client-ca-file the proxy is off: the ConfigMap holds the client CA alone', async () => {
  const s = await startServer({ port: 0 });
  try {
    const adminCfg = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'token' }));
    const res = await client(s).get('/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication').set('Authorization', `Bearer ${adminCfg.token!}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.data), ['client-ca-file']);
  } finally {
    await s.stop();
  }
});
