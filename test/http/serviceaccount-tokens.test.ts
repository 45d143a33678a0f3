// ServiceAccount tokens through HTTPS: TokenRequest (pkg/registry/core/serviceaccount/storage/token.go), the
// tokens it signs authenticating (pkg/serviceaccount/jwt.go, claims.go), lookup and revocation, and the default
// ServiceAccount of every namespace (pkg/controller/serviceaccount/serviceaccounts_controller.go).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createInMemoryPki, type Pki } from '../../src/index.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

let pki: Pki;
const server = useServer(async () => {
  pki = await createInMemoryPki();
  return { pki };
});
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
let admin: string;

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) };
}

async function post(path: string, body: unknown, token = admin) {
  return client(server()).post(path).set('Authorization', `Bearer ${token}`).send(body as object);
}

async function whoami(token: string) {
  return post(WHOAMI, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' }, token);
}

async function createObject(path: string, obj: Record<string, unknown>) {
  const res = await post(path, obj);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { metadata: { uid: string; name: string } };
}

async function requestToken(ns: string, sa: string, spec: Record<string, unknown> = {}) {
  return post(`/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec });
}

before(async () => {
  const s = await server.ready();
  admin = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'token' })).token!;
  await createObject('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
});

describe('the default ServiceAccount', () => {
  test('every initial namespace and every new one has a default ServiceAccount', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'dev']) {
      const res = await client(server()).get(`/api/v1/namespaces/${ns}/serviceaccounts/default`).set('Authorization', `Bearer ${admin}`);
      assert.equal(res.status, 200, ns);
    }
  });

  test('a deleted default ServiceAccount is made again, with a new uid', async () => {
    const path = '/api/v1/namespaces/dev/serviceaccounts/default';
    const before = await client(server()).get(path).set('Authorization', `Bearer ${admin}`);
    const del = await client(server()).delete(path).set('Authorization', `Bearer ${admin}`);
    assert.equal(del.status, 200);
    const after = await client(server()).get(path).set('Authorization', `Bearer ${admin}`);
    assert.equal(after.status, 200);
    assert.notEqual(after.body.metadata.uid, before.body.metadata.uid);
  });
});

describe('TokenRequest', () => {
  test('signs a bound token with kube\'s header and claims, and answers with the request, defaulted', async () => {
    const sa = await createObject('/api/v1/namespaces/dev/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } });
    const res = await requestToken('dev', 'builder');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.kind, 'TokenRequest');
    assert.equal(res.body.apiVersion, 'authentication.k8s.io/v1');
    assert.deepEqual({ ...res.body.metadata, creationTimestamp: undefined }, { name: 'builder', namespace: 'dev', uid: sa.metadata.uid, creationTimestamp: undefined });
    assert.deepEqual(res.body.spec, { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null });
    const { header, payload } = decodeJwt(res.body.status.token);
    assert.deepEqual(Object.keys(header), ['alg', 'kid']);
    assert.equal(header.alg, 'RS256');
    assert.deepEqual(Object.keys(payload), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.deepEqual(payload.aud, [ISSUER]);
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.sub, 'system:serviceaccount:dev:builder');
    assert.equal((payload.exp as number) - (payload.iat as number), 3600);
    assert.deepEqual(payload['kubernetes.io'], { namespace: 'dev', serviceaccount: { name: 'builder', uid: sa.metadata.uid } });
    assert.equal(Date.parse(res.body.status.expirationTimestamp) / 1000, payload.exp);
  });

  test('the token authenticates as the ServiceAccount, with its uid, groups and credential id', async () => {
    const res = await requestToken('dev', 'builder');
    const sa = await client(server()).get('/api/v1/namespaces/dev/serviceaccounts/builder').set('Authorization', `Bearer ${admin}`);
    const me = await whoami(res.body.status.token);
    assert.equal(me.status, 201, JSON.stringify(me.body));
    const { jti } = decodeJwt(res.body.status.token).payload;
    assert.deepEqual(me.body.status.userInfo, {
      username: 'system:serviceaccount:dev:builder',
      uid: sa.body.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti as string}`] },
    });
  });

  test('a token for another audience is refused on the API (401), and TokenReview names the mismatch', async () => {
    const res = await requestToken('dev', 'builder', { audiences: ['vault'] });
    assert.equal(res.status, 201);
    assert.equal((await whoami(res.body.status.token)).status, 401);
    const review = await post('/apis/authentication.k8s.io/v1/tokenreviews', { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: res.body.status.token, audiences: ['vault'] } });
    assert.equal(review.body.status.authenticated, true);
    assert.deepEqual(review.body.status.audiences, ['vault']);
  });

  test('deleting the ServiceAccount revokes its tokens at once; recreating it does not bring them back', async () => {
    await createObject('/api/v1/namespaces/dev/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'doomed' } });
    const token = (await requestToken('dev', 'doomed')).body.status.token as string;
    assert.equal((await whoami(token)).status, 201);
    assert.equal((await whoami(token)).status, 201);
    await client(server()).delete('/api/v1/namespaces/dev/serviceaccounts/doomed').set('Authorization', `Bearer ${admin}`).expect(200);
    assert.equal((await whoami(token)).status, 401);
    await createObject('/api/v1/namespaces/dev/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'doomed' } });
    assert.equal((await whoami(token)).status, 401);
    const review = await post('/apis/authentication.k8s.io/v1/tokenreviews', { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token } });
    // Led by the loopback bearer authenticator's "invalid bearer token", as kube's aggregate is.
    assert.match(review.body.status.error, /^\[invalid bearer token, service account UID \(.+\) does not match claim \(.+\)\]$/);
  });

  test('validation: under 10 minutes and over 2^32 seconds are kube\'s 422', async () => {
    const short = await requestToken('dev', 'builder', { expirationSeconds: 599 });
    assert.equal(short.status, 422);
    assert.equal(short.body.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
    const long = await requestToken('dev', 'builder', { expirationSeconds: 2 ** 32 + 1 });
    assert.equal(long.status, 422);
  });

  test('a missing ServiceAccount is 404', async () => {
    const res = await requestToken('dev', 'nobody');
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'serviceaccounts "nobody" not found');
  });

  test('a pod-bound token carries the pod and its node, and dies with the pod', async () => {
    const node = await createObject('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const pod = await createObject('/api/v1/namespaces/dev/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { serviceAccountName: 'builder', nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    const res = await requestToken('dev', 'builder', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: pod.metadata.uid } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const claims = decodeJwt(res.body.status.token).payload['kubernetes.io'] as Record<string, unknown>;
    assert.deepEqual(claims.pod, { name: 'p1', uid: pod.metadata.uid });
    assert.deepEqual(claims.node, { name: 'n1', uid: node.metadata.uid });
    const me = await whoami(res.body.status.token);
    assert.deepEqual(me.body.status.userInfo.extra['authentication.kubernetes.io/pod-name'], ['p1']);
    assert.deepEqual(me.body.status.userInfo.extra['authentication.kubernetes.io/node-uid'], [node.metadata.uid]);
    await client(server()).delete('/api/v1/namespaces/dev/pods/p1').set('Authorization', `Bearer ${admin}`).expect(200);
    assert.equal((await whoami(res.body.status.token)).status, 401);
  });

  test('a bound object with another uid is a 409; another kind is a 400', async () => {
    await createObject('/api/v1/namespaces/dev/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' } });
    const wrong = await requestToken('dev', 'builder', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's1', uid: 'nope' } });
    assert.equal(wrong.status, 409);
    assert.equal(wrong.body.message, 'Operation cannot be fulfilled on Secret "s1": the UID in the bound object reference (nope) does not match the UID in record. The object might have been deleted and then recreated');
    const other = await requestToken('dev', 'builder', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c' } });
    assert.equal(other.status, 400);
    assert.equal(other.body.message, 'cannot bind token to object of type /v1, Kind=ConfigMap');
  });

  test('a user who may not create serviceaccounts/token gets kube\'s 403', async () => {
    const nobody = credentialsOf(await server().kubeconfig({ user: 'nobody', auth: 'token' })).token!;
    const res = await post('/api/v1/namespaces/dev/serviceaccounts/builder/token', { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: {} }, nobody);
    assert.equal(res.status, 403);
    assert.equal(res.body.message, 'serviceaccounts "builder" is forbidden: User "nobody" cannot create resource "serviceaccounts/token" in API group "" in the namespace "dev"');
  });

  test('a path below serviceaccounts/NAME/token is kube\'s 404 and signs nothing (go-restful matches the route exactly)', async () => {
    const res = await post('/api/v1/namespaces/dev/serviceaccounts/default/token/extra', { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: {} });
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal(res.body.message, 'the server could not find the requested resource');
    assert.equal(res.body.status?.token, undefined);
  });

  test('discovery lists serviceaccounts/token as authentication.k8s.io/v1 TokenRequest, create only', async () => {
    const res = await client(server()).get('/api/v1').set('Authorization', `Bearer ${admin}`);
    const entry = res.body.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
    assert.deepEqual(entry, { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  });
});

describe('the programmatic API', () => {
  test('serviceAccountToken with create, for the default ServiceAccount of a namespace it creates', async () => {
    const token = await server().serviceAccountToken('fresh-ns/default', { create: true });
    const me = await whoami(token);
    assert.equal(me.status, 201, JSON.stringify(me.body));
    assert.equal(me.body.status.userInfo.username, 'system:serviceaccount:fresh-ns:default');
  });
});

describe('an empty apiAudiences option', () => {
  // kube-apiserver: "if len(o.APIAudiences) == 0" the API audiences are the issuers (pkg/kubeapiserver/options/authentication.go).
  const empty = useServer(async () => ({ pki: await createInMemoryPki(), apiAudiences: [] }));
  test('is the issuers, as kube defaults it: a token for another audience is refused on the API', async () => {
    const token = await empty().serviceAccountToken('default/default', { audiences: ['vault'] });
    const res = await client(empty()).post(WHOAMI).set('Authorization', `Bearer ${token}`).send({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
    assert.equal(res.status, 401, JSON.stringify(res.body));
    const own = await empty().serviceAccountToken('default/default');
    assert.deepEqual(JSON.parse(Buffer.from(own.split('.')[1]!, 'base64url').toString()).aud, [ISSUER]);
  });
});

describe('legacy token Secrets', () => {
  const secretPath = '/api/v1/namespaces/dev/secrets';
  async function getSecret(name: string) {
    return client(server()).get(`${secretPath}/${name}`).set('Authorization', `Bearer ${admin}`);
  }

  test('a token Secret naming a ServiceAccount is filled in: token, ca.crt, namespace and the uid annotation', async () => {
    const sa = await createObject('/api/v1/namespaces/dev/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'legacy' } });
    await createObject(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'legacy-token', annotations: { 'kubernetes.io/service-account.name': 'legacy' } }, type: 'kubernetes.io/service-account-token' });
    const res = await getSecret('legacy-token');
    assert.deepEqual(Object.keys(res.body.data), ['ca.crt', 'namespace', 'token']);
    assert.equal(Buffer.from(res.body.data['ca.crt'], 'base64').toString(), pki.ca.certPem);
    assert.equal(Buffer.from(res.body.data.namespace, 'base64').toString(), 'dev');
    assert.equal(res.body.metadata.annotations['kubernetes.io/service-account.uid'], sa.metadata.uid);
    const token = Buffer.from(res.body.data.token, 'base64').toString();
    const { payload } = decodeJwt(token);
    assert.equal(payload.iss, 'kubernetes/serviceaccount');
    assert.equal(payload['kubernetes.io/serviceaccount/secret.name'], 'legacy-token');

    const me = await whoami(token);
    assert.equal(me.status, 201, JSON.stringify(me.body));
    assert.deepEqual(me.body.status.userInfo, { username: 'system:serviceaccount:dev:legacy', uid: sa.metadata.uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] });
    const used = await getSecret('legacy-token');
    assert.equal(used.body.metadata.labels['kubernetes.io/legacy-token-last-used'], new Date().toISOString().slice(0, 10));
  });

  test('an immutable token Secret gets no token: the tokens controller\'s update of its data is refused', async () => {
    await createObject(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'frozen-token', annotations: { 'kubernetes.io/service-account.name': 'default' } }, type: 'kubernetes.io/service-account-token', immutable: true });
    const res = await getSecret('frozen-token');
    assert.equal(res.status, 200);
    assert.equal(res.body.data?.token, undefined);
    assert.equal(res.body.metadata.annotations['kubernetes.io/service-account.uid'], undefined);
  });

  test('the invalid-since label refuses the token; deleting the Secret revokes it', async () => {
    const token = Buffer.from((await getSecret('legacy-token')).body.data.token, 'base64').toString();
    await client(server())
      .patch(`${secretPath}/legacy-token`)
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { labels: { 'kubernetes.io/legacy-token-invalid-since': '2024-01-01' } } })
      .expect(200);
    assert.equal((await whoami(token)).status, 401);
    await client(server()).delete(`${secretPath}/legacy-token`).set('Authorization', `Bearer ${admin}`).expect(200);
    assert.equal((await whoami(token)).status, 401);
  });

  test("a token Secret listed in the ServiceAccount's secrets is an auto-generated one: a request it authenticates gets kube's warning", async () => {
    // pkg/serviceaccount/legacy.go legacyValidator.Validate: a Secret named in serviceAccount.Secrets warns.
    await createObject('/api/v1/namespaces/dev/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'listed' } });
    await createObject(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'listed-token', annotations: { 'kubernetes.io/service-account.name': 'listed' } }, type: 'kubernetes.io/service-account-token' });
    const token = Buffer.from((await getSecret('listed-token')).body.data.token, 'base64').toString();
    const manual = await whoami(token);
    assert.equal(manual.status, 201);
    assert.equal(manual.headers.warning, undefined, 'a manually created token Secret: no warning');
    await client(server())
      .patch('/api/v1/namespaces/dev/serviceaccounts/listed')
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ secrets: [{ name: 'listed-token' }] })
      .expect(200);
    const listed = await whoami(token);
    assert.equal(listed.status, 201);
    assert.equal(listed.headers.warning, '299 - "Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens."');
    // TokenReview authenticates a request of its own (a fresh context): no warning on the review's answer.
    const review = await post('/apis/authentication.k8s.io/v1/tokenreviews', { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token } });
    assert.equal(review.body.status.authenticated, true);
    assert.equal(review.headers.warning, undefined);
  });

  test("deleting a token Secret removes it from its ServiceAccount's secrets, and only it", async () => {
    // pkg/controller/serviceaccount/tokens_controller.go syncSecret (the Secret gone) -> removeSecretReference.
    await createObject('/api/v1/namespaces/dev/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'refs' }, secrets: [{ name: 'refs-token' }, { name: 'other' }] });
    await createObject(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'refs-token', annotations: { 'kubernetes.io/service-account.name': 'refs' } }, type: 'kubernetes.io/service-account-token' });
    await client(server()).delete(`${secretPath}/refs-token`).set('Authorization', `Bearer ${admin}`).expect(200);
    const sa = await client(server()).get('/api/v1/namespaces/dev/serviceaccounts/refs').set('Authorization', `Bearer ${admin}`).expect(200);
    assert.deepEqual(sa.body.secrets, [{ name: 'other' }]);
    // An Opaque Secret is no token: deleting one named in secrets changes nothing.
    await createObject(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', annotations: { 'kubernetes.io/service-account.name': 'refs' } }, type: 'Opaque' });
    await client(server()).delete(`${secretPath}/other`).set('Authorization', `Bearer ${admin}`).expect(200);
    const after = await client(server()).get('/api/v1/namespaces/dev/serviceaccounts/refs').set('Authorization', `Bearer ${admin}`).expect(200);
    assert.deepEqual(after.body.secrets, [{ name: 'other' }]);
  });

  test('deleting the ServiceAccount deletes its token Secrets; a Secret for a missing one is deleted at once', async () => {
    await createObject(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'legacy-token-2', annotations: { 'kubernetes.io/service-account.name': 'legacy' } }, type: 'kubernetes.io/service-account-token' });
    assert.equal((await getSecret('legacy-token-2')).status, 200);
    await client(server()).delete('/api/v1/namespaces/dev/serviceaccounts/legacy').set('Authorization', `Bearer ${admin}`).expect(200);
    assert.equal((await getSecret('legacy-token-2')).status, 404);
    await createObject(secretPath, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orphan-token', annotations: { 'kubernetes.io/service-account.name': 'ghost' } }, type: 'kubernetes.io/service-account-token' });
    assert.equal((await getSecret('orphan-token')).status, 404);
  });
});

describe('bad tokens on the API: every one a 401 with kube\'s Status, none a 500', () => {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const payload = () => ({ aud: [ISSUER], exp: Math.floor(Date.now() / 1000) + 600, iat: Math.floor(Date.now() / 1000), iss: ISSUER, 'kubernetes.io': { namespace: 'dev', serviceaccount: { name: 'builder', uid: 'x' } }, nbf: Math.floor(Date.now() / 1000), sub: 'system:serviceaccount:dev:builder' });
  const cases: [string, () => Promise<string>][] = [
    ['alg none', async () => `${b64({ alg: 'none' })}.${b64(payload())}.`],
    ['HS256 keyed with the public key', async () => {
      const { createHmac } = await import('node:crypto');
      const input = `${b64({ alg: 'HS256' })}.${b64(payload())}`;
      return `${input}.${createHmac('sha256', pki.serviceAccountKey.publicKeyPem).update(input).digest('base64url')}`;
    }],
    ['signed by another key', async () => {
      const { generateKeyPairSync, sign } = await import('node:crypto');
      const input = `${b64({ alg: 'RS256' })}.${b64(payload())}`;
      return `${input}.${sign('sha256', Buffer.from(input), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey).toString('base64url')}`;
    }],
    ['expired', async () => { const t = await server().serviceAccountToken('dev/builder'); const [h, , s] = t.split('.'); return `${h}.${b64({ ...payload(), exp: 1 })}.${s}`; }],
    ['malformed segments', async () => 'a.b.c'],
    ['half a megabyte', async () => `${b64({ alg: 'RS256' })}.${b64({ ...payload(), pad: 'x'.repeat(500_000) })}.${'A'.repeat(342)}`],
    ['for another audience', async () => server().serviceAccountToken('dev/builder', { audiences: ['vault'] })],
  ];
  for (const [name, make] of cases) {
    test(name, async () => {
      const res = await whoami(await make());
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    });
  }
});

describe('--service-account-max-token-expiration', () => {
  test('a longer TokenRequest is shortened to it, with kube\'s warning; the answer says the shortened time', async () => {
    const { startServer } = await import('../../src/index.js');
    const s = await startServer({ port: 0, pki, serviceAccountMaxTokenExpirationSeconds: 3600 });
    try {
      const admin2 = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'token' })).token!;
      const res = await client(s)
        .post('/api/v1/namespaces/default/serviceaccounts/default/token')
        .set('Authorization', `Bearer ${admin2}`)
        .send({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { expirationSeconds: 7200 } });
      assert.equal(res.status, 201);
      assert.equal(res.headers.warning, '299 - "requested expiration of 7200 seconds shortened to 3600 seconds"');
      assert.equal(res.body.spec.expirationSeconds, 3600);
      const { payload } = decodeJwt(res.body.status.token);
      assert.equal((payload.exp as number) - (payload.iat as number), 3600);
    } finally {
      await s.stop();
    }
  });

  test('under an hour (0.5 s included) or over 2^32 s stops the start-up with kube\'s one line', async () => {
    const { startServer } = await import('../../src/index.js');
    for (const seconds of [0.5, 1800, 2 ** 32 + 1]) {
      await assert.rejects(startServer({ port: 0, pki, serviceAccountMaxTokenExpirationSeconds: seconds }), {
        message: '--service-account-max-token-expiration: the service-account-max-token-expiration must be between 1 hour and 2^32 seconds',
      });
    }
  });
});

describe('key files and issuers', () => {
  test('an ECDSA signing key signs ES256; the key file verifies; a second issuer\'s tokens are accepted too', async () => {
    const { startServer } = await import('../../src/index.js');
    const { generateKeyPairSync, createPublicKey } = await import('node:crypto');
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'kam-sa-keys-'));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const old = generateKeyPairSync('rsa', { modulusLength: 2048 });
    try {
      await writeFile(join(dir, 'signing.key'), ec.privateKey.export({ type: 'sec1', format: 'pem' }));
      // One file with the new key's public half and an older RSA private key (its public half verifies).
      await writeFile(join(dir, 'keys.pem'), `${createPublicKey(ec.privateKey).export({ type: 'spki', format: 'pem' })}${old.privateKey.export({ type: 'pkcs1', format: 'pem' })}`);
      const s = await startServer({
        port: 0,
        pki,
        serviceAccountIssuers: ['https://new.example', 'https://old.example'],
        serviceAccountSigningKeyFile: join(dir, 'signing.key'),
        serviceAccountKeyFiles: [join(dir, 'keys.pem')],
      });
      try {
        const token = await s.serviceAccountToken('default/default');
        const { header, payload } = decodeJwt(token);
        assert.equal(header.alg, 'ES256');
        assert.equal(payload.iss, 'https://new.example');
        assert.deepEqual(payload.aud, ['https://new.example', 'https://old.example']);
        const me = await client(s).post(WHOAMI).set('Authorization', `Bearer ${token}`).send({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
        assert.equal(me.body.status.userInfo.username, 'system:serviceaccount:default:default');
        // A token of the old issuer, signed with the old key, as a cluster rotating both would still hold.
        const { sign } = await import('node:crypto');
        const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        const input = `${b64({ alg: 'RS256' })}.${b64({ ...payload, iss: 'https://old.example', aud: ['https://old.example'] })}`;
        const oldToken = `${input}.${sign('sha256', Buffer.from(input), old.privateKey).toString('base64url')}`;
        const me2 = await client(s).post(WHOAMI).set('Authorization', `Bearer ${oldToken}`).send({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
        assert.equal(me2.status, 201, JSON.stringify(me2.body));
      } finally {
        await s.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a key file without a key, or a signing key that is not a private key, stops the start-up with one line naming the file', async () => {
    const { startServer } = await import('../../src/index.js');
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'kam-sa-bad-'));
    try {
      await writeFile(join(dir, 'empty.pem'), 'not a key\n');
      await assert.rejects(startServer({ port: 0, pki, serviceAccountKeyFiles: [join(dir, 'empty.pem')] }), {
        message: `${join(dir, 'empty.pem')}: failed to parse key file: data does not contain any valid RSA or ECDSA public keys`,
      });
      await writeFile(join(dir, 'pub.pem'), pki.serviceAccountKey.publicKeyPem);
      await assert.rejects(startServer({ port: 0, pki, serviceAccountSigningKeyFile: join(dir, 'pub.pem') }), {
        message: `${join(dir, 'pub.pem')}: failed to parse service-account-issuer-key-file: data does not contain a valid RSA or ECDSA private key`,
      });
      await assert.rejects(startServer({ port: 0, pki, serviceAccountIssuers: ['a', 'a'] }), { message: '--service-account-issuer: service-account-issuer "a" is already specified' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
