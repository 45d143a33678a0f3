// What a client sees from the authentication filter and the authentication.k8s.io APIs, through HTTPS.
// Bodies and messages follow staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go and
// pkg/registry/authentication/{selfsubjectreview,tokenreview}.
import assert from 'node:assert/strict';
import { Agent, request as httpsRequest } from 'node:https';
import { before, test } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { createCa, createInMemoryPki, issueClientCert, type IssuedCert, type Pki } from '../../src/index.js';
import { issueCustomCert } from '../../src/pki/index.js';
import { resign, tlv } from '../helpers/der-edit.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

let pki: Pki;
const server = useServer(async () => {
  pki = await createInMemoryPki();
  // Authentication is what this file tests: every authenticated or anonymous user may do anything.
  return { pki, authorizationMode: 'AlwaysAllow' };
});
const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const ssr = { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' };

let token: string;
let basic: { username: string; password: string };
let cert: { cert: string; key: string };
let foreign: IssuedCert;
let expired: IssuedCert;
let serverOnly: IssuedCert;
let viaIntermediate: { chain: string; key: string };

before(async () => {
  const s = await server.ready();
  token = credentialsOf(await s.kubeconfig({ user: 'alice', groups: ['dev'], uid: 'u-alice', auth: 'token' })).token!;
  const b = credentialsOf(await s.kubeconfig({ user: 'bob', groups: ['qa'], auth: 'basic' }));
  basic = { username: b.username!, password: b.password! };
  const c = credentialsOf(await s.kubeconfig({ user: 'carol', groups: ['system:masters'], auth: 'cert' }));
  cert = { cert: c.cert!, key: c.key! };
  const other = await createCa({ commonName: 'not-the-server-ca' });
  foreign = await issueClientCert(other, { user: 'mallory' });
  const day = 24 * 60 * 60 * 1000;
  expired = await issueClientCert(pki.ca, { user: 'old', notBefore: new Date(Date.now() - 10 * day), notAfter: new Date(Date.now() - day) });
  serverOnly = await issueClientCert(pki.ca, { user: 'srv', extKeyUsage: ['serverAuth'] });
  const intermediate = await issueCustomCert(pki.ca, { profile: 'ca', subject: { commonName: 'team-intermediate' } });
  const leaf = await issueClientCert(intermediate, { user: 'dave', groups: ['ops'] });
  viaIntermediate = { chain: leaf.certPem + intermediate.certPem, key: leaf.keyPem };
});

type Who = { user: string; groups: string[] } | 401;
const whoamiCases: { name: string; send: (r: ReturnType<ReturnType<typeof client>['post']>) => typeof r; want: Who }[] = [
  { name: 'no credentials: system:anonymous', send: (r) => r, want: { user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'bearer token', send: (r) => r.set('Authorization', `Bearer ${token}`), want: { user: 'alice', groups: ['dev', 'system:authenticated'] } },
  { name: 'bearer scheme in lower case', send: (r) => r.set('Authorization', `bearer ${token}`), want: { user: 'alice', groups: ['dev', 'system:authenticated'] } },
  { name: 'a wrong bearer token is 401, never anonymous', send: (r) => r.set('Authorization', 'Bearer wrong'), want: 401 },
  { name: 'a token with spaces: kube reads the first word only', send: (r) => r.set('Authorization', `Bearer ${token} trailing words`), want: { user: 'alice', groups: ['dev', 'system:authenticated'] } },
  { name: 'a non-ASCII token is 401', send: (r) => r.set('Authorization', 'Bearer t\u00f8ken'), want: 401 },
  { name: 'malformed Authorization header (scheme only) counts as no credentials', send: (r) => r.set('Authorization', 'Bearer'), want: { user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'unknown scheme counts as no credentials', send: (r) => r.set('Authorization', 'Negotiate abc'), want: { user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'basic auth', send: (r) => r.auth(basic.username, basic.password), want: { user: 'bob', groups: ['qa', 'system:authenticated'] } },
  { name: 'basic auth with a wrong password is 401', send: (r) => r.auth(basic.username, 'nope'), want: 401 },
  { name: 'basic header that is not base64 counts as no credentials (Go\'s BasicAuth)', send: (r) => r.set('Authorization', 'Basic %%%'), want: { user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'basic header without a colon counts as no credentials', send: (r) => r.set('Authorization', `Basic ${Buffer.from('bob').toString('base64')}`), want: { user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'client certificate', send: (r) => r.cert(cert.cert).key(cert.key), want: { user: 'carol', groups: ['system:masters', 'system:authenticated'] } },
  { name: 'client certificate signed by an intermediate the client sends', send: (r) => r.cert(viaIntermediate.chain).key(viaIntermediate.key), want: { user: 'dave', groups: ['ops', 'system:authenticated'] } },
  { name: 'client certificate from another CA is 401', send: (r) => r.cert(foreign.certPem).key(foreign.keyPem), want: 401 },
  { name: 'expired client certificate is 401', send: (r) => r.cert(expired.certPem).key(expired.keyPem), want: 401 },
  { name: 'client certificate without clientAuth usage is 401', send: (r) => r.cert(serverOnly.certPem).key(serverOnly.keyPem), want: 401 },
  { name: 'a bad client certificate does not hide a good token (union)', send: (r) => r.cert(foreign.certPem).key(foreign.keyPem).set('Authorization', `Bearer ${token}`), want: { user: 'alice', groups: ['dev', 'system:authenticated'] } },
  { name: 'a good client certificate wins over a bad token (x509 before tokens)', send: (r) => r.cert(cert.cert).key(cert.key).set('Authorization', 'Bearer wrong'), want: { user: 'carol', groups: ['system:masters', 'system:authenticated'] } },
];

for (const c of whoamiCases) {
  test(`SelfSubjectReview: ${c.name}`, async () => {
    const res = await c.send(client(server()).post(WHOAMI).send(ssr));
    assert.ok(res.headers['audit-id'], 'every response has an Audit-Id');
    if (c.want === 401) {
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, UNAUTHORIZED);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.headers['www-authenticate'], 'Basic realm="kubernetes-master"');
      return;
    }
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.kind, 'SelfSubjectReview');
    assert.equal(res.body.apiVersion, 'authentication.k8s.io/v1');
    assert.match(res.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(res.body.status.userInfo.username, c.want.user);
    assert.deepEqual(res.body.status.userInfo.groups, c.want.groups);
  });
}

/** POSTs a SelfSubjectReview through `agent`; resolves with the status, the user and whether the TLS session was resumed. */
function whoamiVia(agent: Agent, tls: { cert: string; key: string }): Promise<{ status: number; user: string | undefined; resumed: boolean }> {
  const s = server();
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${s.url}${WHOAMI}`, { method: 'POST', agent, ca: s.caCert, ...tls, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        const parsed = JSON.parse(body) as { status?: { userInfo?: { username?: string } } };
        resolve({ status: res.statusCode ?? 0, user: parsed.status?.userInfo?.username, resumed: (req.socket as TLSSocket).isSessionReused() });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(ssr));
  });
}

// Go's crypto/tls refuses a client's renegotiation; OpenSSL would let a TLS 1.2 client present another certificate
// under a connection whose requests were authenticated with the first one (servingOptions: SSL_OP_NO_RENEGOTIATION).
// The time limit only turns a hang into a failure: a server that renegotiates answers no error to wait for.
test('TLSv1.2: a client that asks to renegotiate is refused with an alert and its connection ends, as kube-apiserver does', { timeout: 30_000 }, async () => {
  const s = server();
  const c = tlsConnect({ host: '127.0.0.1', port: Number(new URL(s.url).port), ca: s.caCert, servername: 'localhost', maxVersion: 'TLSv1.2' });
  const failed = new Promise<Error>((resolve) => c.once('error', resolve));
  const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
  await new Promise<void>((resolve) => c.once('secureConnect', resolve));
  let answered = '';
  c.on('data', (d: Buffer) => (answered += d.toString()));
  assert.equal(c.renegotiate({}, () => undefined), true);
  c.write('GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n');
  assert.match((await failed).message, /no renegotiation/);
  await closed;
  assert.equal(answered, '', 'nothing is served on the connection');
});

for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
  test(`${version}: a client certificate signed by an intermediate, through node's session-caching https.Agent: every request is 201 (each connection a full handshake)`, async () => {
    // node's Agent offers each new connection the session of the last one. OpenSSL keeps only the client's leaf in a
    // session, so a resumed connection would lose the intermediate and be 401, where kube-apiserver (Go keeps the
    // whole peer chain in its tickets) authenticates it; the server refuses resumption instead (servingOptions).
    const agent = new Agent({ keepAlive: false, minVersion: version, maxVersion: version });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await whoamiVia(agent, { cert: viaIntermediate.chain, key: viaIntermediate.key });
        assert.deepEqual(r, { status: 201, user: 'dave', resumed: false }, `request ${i}`);
      }
    } finally {
      agent.destroy();
    }
  });

  test(`${version}: a client that sends only its leaf is 401 even when it offers the session of a connection that sent the intermediate`, async () => {
    const s = server();
    const { port } = new URL(s.url);
    const open = (options: { cert: string; session?: Buffer }): Promise<{ status: string; session: Buffer | undefined }> =>
      new Promise((resolve, reject) => {
        let session: Buffer | undefined;
        const c = tlsConnect({ host: '127.0.0.1', port: Number(port), ca: s.caCert, servername: 'localhost', minVersion: version, maxVersion: version, key: viaIntermediate.key, ...options });
        c.on('session', (data: Buffer) => (session = data));
        c.once('error', reject);
        c.once('secureConnect', () => {
          const body = JSON.stringify(ssr);
          c.write(`POST ${WHOAMI} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
        });
        let answer = '';
        c.setEncoding('utf8').on('data', (d: string) => (answer += d));
        c.once('close', () => resolve({ status: answer.split('\r\n')[0] ?? '', session }));
      });
    const withChain = await open({ cert: viaIntermediate.chain });
    assert.equal(withChain.status, 'HTTP/1.1 201 Created');
    assert.ok(withChain.session, 'the client got a session to offer');
    const leafOnly = viaIntermediate.chain.slice(0, viaIntermediate.chain.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length) + '\n';
    const again = await open({ cert: leafOnly, session: withChain.session });
    assert.equal(again.status, 'HTTP/1.1 401 Unauthorized');
  });
}

test('Bearer with two spaces: anonymous, with kube\'s Warning header (bearertoken.go invalidTokenWithSpaceWarning)', async () => {
  const res = await client(server()).post(WHOAMI).set('Authorization', `Bearer  ${token}`).send(ssr);
  assert.equal(res.status, 201);
  assert.equal(res.body.status.userInfo.username, 'system:anonymous');
  assert.equal(res.headers.warning, '299 - "the provided Authorization header contains extra space before the bearer token, and is ignored"');
});

test('Bearer with two spaces and a good client certificate: the certificate authenticates, and the loopback bearer authenticator, asked first, warns', async () => {
  // kube's Config.Complete puts the loopback client's bearer authenticator in front of x509
  // (staging/src/k8s.io/apiserver/pkg/server/config.go, AuthorizeClientBearerToken).
  const res = await client(server()).post(WHOAMI).cert(cert.cert).key(cert.key).set('Authorization', `Bearer  ${token}`).send(ssr);
  assert.equal(res.body.status.userInfo.username, 'carol');
  assert.equal(res.headers.warning, '299 - "the provided Authorization header contains extra space before the bearer token, and is ignored"');
});

for (const version of ['v1beta1', 'v1alpha1']) {
  test(`SelfSubjectReview is served in ${version} too, for older kubectl`, async () => {
    const res = await client(server())
      .post(`/apis/authentication.k8s.io/${version}/selfsubjectreviews`)
      .set('Authorization', `Bearer ${token}`)
      .send({ kind: 'SelfSubjectReview', apiVersion: `authentication.k8s.io/${version}` });
    assert.equal(res.status, 201);
    assert.equal(res.body.apiVersion, `authentication.k8s.io/${version}`);
    assert.equal(res.body.status.userInfo.uid, 'u-alice');
  });
}

test('the uid of a token user is reported', async () => {
  const res = await client(server()).post(WHOAMI).set('Authorization', `Bearer ${token}`).send(ssr);
  assert.equal(res.body.status.userInfo.uid, 'u-alice');
});

// request/x509/x509.go CommonNameUserConversion + parseUIDFromCert (kube 1.33+): the UID subject attribute is the uid.
test('the uid of a certificate user minted with server.kubeconfig({ auth: \'cert\', uid }) is reported, beside its credential id', async () => {
  const c = credentialsOf(await server().kubeconfig({ user: 'erin', groups: ['ops'], uid: 'u-erin', auth: 'cert' }));
  const res = await client(server()).post(WHOAMI).cert(c.cert!).key(c.key!).send(ssr);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.status.userInfo.username, 'erin');
  assert.equal(res.body.status.userInfo.uid, 'u-erin');
  assert.deepEqual(res.body.status.userInfo.groups, ['ops', 'system:authenticated']);
  assert.match(res.body.status.userInfo.extra['authentication.kubernetes.io/credential-id'][0], /^X509SHA256=[0-9a-f]{64}$/);
});

test('a certificate user without a UID attribute has no uid field (empty fields are omitted)', async () => {
  const res = await client(server()).post(WHOAMI).cert(cert.cert).key(cert.key).send(ssr);
  assert.equal(res.body.status.userInfo.username, 'carol');
  assert.equal('uid' in res.body.status.userInfo, false);
});

test('a certificate with two UID attributes is 401 ("expected 1 UID, but found multiple"), never anonymous or a 500', async () => {
  const issued = await issueClientCert(pki.ca, { user: 'frank', uid: 'u-1' });
  // The subject gets a second UID attribute; the key is unchanged, so the client still proves possession.
  const uidAtv = (v: string) => tlv(0x30, tlv(0x06, Buffer.from('2b0601040183c25302', 'hex')), tlv(0x0c, Buffer.from(v)));
  const subject = tlv(0x30, tlv(0x31, tlv(0x30, tlv(0x06, Buffer.from('550403', 'hex')), tlv(0x0c, Buffer.from('frank')))), tlv(0x31, uidAtv('u-1')), tlv(0x31, uidAtv('u-2')));
  const twice = resign(issued.cert, pki.ca.key, (f) => f.map((x, i) => (i === 5 ? subject : x)));
  const res = await client(server()).post(WHOAMI).cert(twice.toString()).key(issued.keyPem).send(ssr);
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, UNAUTHORIZED);
});

/** Sends a SelfSubjectReview whose Authorization header is these exact bytes (no client library re-encodes them); the status line's code. */
function whoamiWithAuthorizationBytes(authorization: Buffer): Promise<number> {
  const s = server();
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: s.port, ca: s.caCert, servername: 'localhost' }, () => {
      const body = Buffer.from(JSON.stringify(ssr));
      const head = `POST ${WHOAMI} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\nAuthorization: `;
      socket.end(Buffer.concat([Buffer.from(head, 'latin1'), authorization, Buffer.from('\r\n\r\n', 'latin1'), body]));
    });
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

// bearertoken.go's strings.TrimSpace works on the header's bytes as UTF-8: C2 A0 (U+00A0) is a space, a lone A0 or 85
// byte is not (it is not UTF-8), so that token is not the one in the table.
const trailingBytes: { name: string; bytes: number[]; status: number }[] = [
  { name: 'a lone byte 0xA0 after the token: not a space to Go, so not the token: 401', bytes: [0xa0], status: 401 },
  { name: 'a lone byte 0x85 after the token: not a space to Go, so not the token: 401', bytes: [0x85], status: 401 },
  { name: 'U+00A0 in UTF-8 (C2 A0) after the token: trimmed, the token: 201', bytes: [0xc2, 0xa0], status: 201 },
];
for (const c of trailingBytes) {
  test(`Bearer token over the wire: ${c.name}`, async () => {
    assert.equal(await whoamiWithAuthorizationBytes(Buffer.concat([Buffer.from(`Bearer ${token}`, 'latin1'), Buffer.from(c.bytes)])), c.status);
  });
}

const review = (spec: object) => ({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec });

test('TokenReview: a valid token is authenticated, with system:authenticated and the API audiences', async () => {
  const res = await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').send(review({ token }));
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.status, {
    authenticated: true,
    user: { username: 'alice', uid: 'u-alice', groups: ['dev', 'system:authenticated'] },
    audiences: ['https://kubernetes.default.svc.cluster.local'],
  });
  assert.deepEqual(res.body.spec, { token });
});

// kube's TokenReview storage (pkg/registry/authentication/tokenreview/storage.go) asks the server's request
// authenticator about a request carrying only "Authorization: Bearer <token>": the bearer path's answers.
test('TokenReview: an unknown token is not authenticated, with the bearer path\'s "invalid bearer token"', async () => {
  const res = await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').send(review({ token: 'nope' }));
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.status, { user: {}, error: 'invalid bearer token' });
});

test('TokenReview: audiences the API does not serve leave a static token unauthenticated (WrapAudienceAgnosticToken), with "invalid bearer token"', async () => {
  const res = await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').send(review({ token, audiences: ['vault'] }));
  assert.deepEqual(res.body.status, { user: {}, error: 'invalid bearer token' });
});

test('TokenReview: a token the bearer reader ignores (a leading space) is anonymous, whose missing audiences are kube\'s 500 "error validating audiences"', async () => {
  const res = await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').send(review({ token: ` ${token}` }));
  assert.equal(res.status, 500);
  assert.equal(res.body.reason, 'InternalError');
  assert.equal(res.body.message, 'Internal error occurred: error validating audiences');
});

test('TokenReview: a known token with a U+FEFF after it is not that token (Go\'s strings.TrimSpace keeps U+FEFF), "invalid bearer token"', async () => {
  const res = await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').send(review({ token: `${token}\uFEFF` }));
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.status, { user: {}, error: 'invalid bearer token' });
});

test('TokenReview: an empty token is kube\'s 400', async () => {
  const res = await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').send(review({}));
  assert.equal(res.status, 400);
  assert.equal(res.body.message, 'token is required for TokenReview in authentication');
  assert.equal(res.body.reason, 'BadRequest');
});
