// ServiceAccount issuer discovery over HTTPS: GET /.well-known/openid-configuration and GET /openid/v1/jwks, their
// headers (pkg/routes/openidmetadata.go), who may read them (the bootstrap ClusterRoleBinding
// system:service-account-issuer-discovery binds the group system:serviceaccounts only:
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), other methods (go-restful's 405) and an issuer kube
// will not publish (pkg/controlplane/apiserver/server.go: no routes, so 404).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createInMemoryPki, startServer, type Pki } from '../../src/index.js';
import { jwkFromPublicKey } from '../../src/authn/serviceaccount/jwks.js';
import { createLogger } from '../../src/util/log.js';
import { tempDir } from '../helpers/clients.js';
import { PUBLIC_ISSUER_DISCOVERY } from '../helpers/policies.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const CONFIG = '/.well-known/openid-configuration';
const JWKS = '/openid/v1/jwks';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

let pki: Pki;
let policies: Awaited<ReturnType<typeof tempDir>>;
// One PKI for every server of the file (the e2e signs with its sa.key), and a policy folder; the servers' option
// functions wait for it.
const setup = (async () => {
  pki = await createInMemoryPki();
  policies = await tempDir('kam-discovery-');
  // What kube's documentation suggests for a public issuer: bind the role to system:unauthenticated too.
  await policies.write('public-discovery.yaml', PUBLIC_ISSUER_DISCOVERY);
})();
after(async () => {
  await setup;
  await policies.remove();
});

const server = useServer(async () => (await setup, { pki }));
const publicServer = useServer(async () => (await setup, { pki, serviceAccountIssuers: ['https://issuer.example/cluster', 'https://old.example'], serviceAccountJwksUri: 'https://keys.example/jwks.json', policyPaths: [join(policies.dir, 'public-discovery.yaml')] }));
const logLines: string[] = [];
const notHttps = useServer(async () => (await setup, {
  pki,
  serviceAccountIssuers: ['kubernetes/serviceaccount'],
  log: createLogger('json', new Writable({ write: (chunk: Buffer, _e, done) => void (logLines.push(chunk.toString('utf8')), done()) })),
}));

// A real ServiceAccount's token (TokenRequest's), read by the system:serviceaccounts binding.
let serviceAccount: string;
let jane: string;
let admin: { cert: string; key: string };
before(async () => {
  const s = await server.ready();
  serviceAccount = await s.serviceAccountToken('dev/builder', { create: true });
  jane = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  const c = credentialsOf(await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: c.cert!, key: c.key! };
});

test('GET /.well-known/openid-configuration: kube\'s document, compact, application/json, public for an hour', async () => {
  const s = server();
  const res = await client(s).get(CONFIG).set('Authorization', `Bearer ${serviceAccount}`).set('User-Agent', 'curl/8.5.0');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['cache-control'], 'public, max-age=3600');
  // Not pretty-printed for curl: the handler writes kube's pre-rendered bytes.
  assert.equal(
    res.text,
    JSON.stringify({
      issuer: ISSUER,
      jwks_uri: `${s.url}${JWKS}`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    }),
  );
});

test('GET /openid/v1/jwks: the PKI\'s sa.key as kube\'s JWK, application/jwk-set+json, public for an hour', async () => {
  const res = await client(server()).get(JWKS).set('Authorization', `Bearer ${serviceAccount}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/jwk-set+json');
  assert.equal(res.headers['cache-control'], 'public, max-age=3600');
  assert.equal(res.text, JSON.stringify({ keys: [jwkFromPublicKey(pki.serviceAccountKey.publicKey)] }));
});

test('both paths are also served with a trailing slash (go-restful trims it; the ClusterRole lists both forms)', async () => {
  for (const path of [`${CONFIG}/`, `${JWKS}/`]) {
    const res = await client(server()).get(path).set('Authorization', `Bearer ${serviceAccount}`);
    assert.equal(res.status, 200, path);
  }
});

const readers: { name: string; auth: () => Record<string, string>; user: string; status: number }[] = [
  { name: 'a ServiceAccount (group system:serviceaccounts) may read them', auth: () => ({ Authorization: `Bearer ${serviceAccount}` }), user: '', status: 200 },
  // The issue asked for anonymous reads; kube's bootstrap binding names system:serviceaccounts only.
  { name: 'anonymous may not: kube binds the role to system:serviceaccounts only', auth: () => ({}), user: 'system:anonymous', status: 403 },
  { name: 'an authenticated user who is no ServiceAccount may not', auth: () => ({ Authorization: `Bearer ${jane}` }), user: 'jane', status: 403 },
];

for (const r of readers) {
  for (const path of [CONFIG, JWKS]) {
    test(`${path}: ${r.name}`, async () => {
      const res = await client(server()).get(path).set(r.auth());
      assert.equal(res.status, r.status);
      if (r.status === 403) {
        assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `forbidden: User "${r.user}" cannot get path "${path}"`, reason: 'Forbidden', details: {}, code: 403 });
      }
    });
  }
}

test('other methods: RBAC decides first (a ServiceAccount may only get), then go-restful answers 405, HEAD included', async () => {
  const s = server();
  const denied = await client(s).post(CONFIG).set('Authorization', `Bearer ${serviceAccount}`).send({});
  assert.equal(denied.status, 403);
  assert.equal(denied.body.message, `forbidden: User "system:serviceaccount:dev:builder" cannot post path "${CONFIG}"`);
  for (const method of ['post', 'put', 'delete', 'patch'] as const) {
    const res = await client(s)[method](JWKS).cert(admin.cert).key(admin.key).send({});
    assert.equal(res.status, 405, method);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server does not allow this method on the requested resource', reason: 'MethodNotAllowed', details: {}, code: 405 });
  }
  const head = await client(s).head(CONFIG).cert(admin.cert).key(admin.key);
  assert.equal(head.status, 405);
});

test('a path below them is not found', async () => {
  const res = await client(server()).get(`${JWKS}/extra`).cert(admin.cert).key(admin.key);
  assert.equal(res.status, 404);
});

test('the first --service-account-issuer is the document\'s issuer; --service-account-jwks-uri its jwks_uri', async () => {
  const res = await client(publicServer()).get(CONFIG).set('Authorization', `Bearer ${credentialsOf(await publicServer().kubeconfig({ user: 'system:serviceaccount:a:b', groups: ['system:serviceaccounts'], auth: 'token' })).token!}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.issuer, 'https://issuer.example/cluster');
  assert.equal(res.body.jwks_uri, 'https://keys.example/jwks.json');
});

test('a binding of the role to system:unauthenticated makes both readable anonymously, as kube documents', async () => {
  for (const path of [CONFIG, JWKS]) {
    const res = await client(publicServer()).get(path);
    assert.equal(res.status, 200, path);
  }
});

test('an issuer that is not an https URL: kube logs why and serves neither path (404)', async () => {
  for (const path of [CONFIG, JWKS]) {
    const res = await client(notHttps()).get(path).cert(admin.cert).key(admin.key);
    assert.equal(res.status, 404, path);
  }
  const warning = logLines.map((l) => JSON.parse(l) as { msg: string }).find((l) => l.msg.includes('ServiceAccountIssuerDiscovery'));
  assert.equal(
    warning?.msg,
    'Could not construct pre-rendered responses for ServiceAccountIssuerDiscovery endpoints. Endpoints will not be enabled. Error: issuer URL must use https scheme, got: kubernetes/serviceaccount',
  );
});

test('--service-account-jwks-uri that is not https stops the server from starting, with kube\'s words', async () => {
  await setup;
  await assert.rejects(startServer({ port: 0, pki, serviceAccountJwksUri: 'http://keys.example/jwks' }), {
    name: 'ConfigError',
    message: '--service-account-jwks-uri: service-account-jwks-uri requires https scheme, parsed as: http://keys.example/jwks',
  });
});

test('an Accept that names neither */* nor the route\'s type is go-restful\'s 406, after RBAC', async () => {
  const s = server();
  const token = credentialsOf(await s.kubeconfig({ user: 'sa-like', groups: ['system:serviceaccounts'], auth: 'token' })).token!;
  const jwks = await client(s).get('/openid/v1/jwks').set('Authorization', `Bearer ${token}`).set('Accept', 'application/json');
  assert.equal(jwks.status, 406);
  assert.deepEqual(jwks.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: '406: Not Acceptable\n\nAvailable representations: application/jwk-set+json', reason: 'NotAcceptable', details: {}, code: 406 });
  const config = await client(s).get('/.well-known/openid-configuration').set('Authorization', `Bearer ${token}`).set('Accept', 'application/jwk-set+json');
  assert.equal(config.status, 406);
  for (const accept of ['*/*', 'application/json, */*;q=0.1', 'application/jwk-set+json;q=0.9']) {
    const ok = await client(s).get('/openid/v1/jwks').set('Authorization', `Bearer ${token}`).set('Accept', accept);
    assert.equal(ok.status, 200, accept);
  }
});
