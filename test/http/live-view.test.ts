// The live view (--ui, docs/live-view.md): its endpoints on the loopback listener, what a row says about a request
// (the connection, each authenticator, the decision with its binding and rule, the response), that no token or
// password ever reaches the page, and that only loopback binds and loopback Host headers are accepted.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { startServer } from '../../src/index.js';
import { get as getHttp } from 'node:http';
import { connect } from 'node:net';
import { LiveRecorder, startLiveView } from '../../src/ui/index.js';
import { boundedRequest, MAX_EVENT_BYTES } from '../../src/ui/event.js';
import { MAX_EVENT_STREAMS } from '../../src/ui/server.js';
import { ConfigError } from '../../src/util/errors.js';
import { liveEvents, type LiveEvents } from '../helpers/live-view.js';
import { issueOddCert } from '../helpers/odd-certs.js';
import { JANE_READS_PODS_IN_DEV } from '../helpers/policies.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const dir = await mkdtemp(join(tmpdir(), 'kam-live-view-'));
after(() => rm(dir, { recursive: true, force: true }));
await writeFile(join(dir, 'jane.yaml'), JANE_READS_PODS_IN_DEV);
const server = useServer({ policyPaths: [dir], ui: true });

let events: LiveEvents;
let janeToken: string;
let admin: { cert: string; key: string };
let basic: { username: string; password: string };
before(async () => {
  const s = await server.ready();
  janeToken = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  const a = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: a.cert!, key: a.key! };
  const b = credentialsOf(await s.kubeconfig({ user: 'bob', auth: 'basic' }));
  basic = { username: b.username!, password: b.password! };
  events = liveEvents(s.uiUrl!);
  await events.ready;
});
after(() => events?.close());

const ui = () => request(server().uiUrl!.replace(/\/$/, ''));

test('the live view listens on 127.0.0.1 over plain HTTP and serves its page and script', async () => {
  assert.match(server().uiUrl!, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await ui().get('/').expect(200);
  assert.match(page.headers['content-type']!, /^text\/html/);
  assert.match(page.text, /kube-auth-mock live view/);
  assert.match(page.headers['content-security-policy']!, /script-src 'self'/);
  const script = await ui().get('/app.js').expect(200);
  assert.match(script.headers['content-type']!, /^text\/javascript/);
  assert.match(script.text, /new EventSource\('\/events'\)/);
});

test('a token request that RBAC allows: the authenticators asked, the RoleBinding, its Role and the rule', async () => {
  await client(server()).get('/api/v1/namespaces/dev/pods').set('Authorization', `Bearer ${janeToken}`).set('User-Agent', 'live-allowed').expect(200);
  const r = await events.waitFor((e) => e.userAgent === 'live-allowed');
  assert.equal(r.verb, 'list');
  assert.equal(r.uri, '/api/v1/namespaces/dev/pods');
  assert.ok(r.tls !== null && /^TLSv1\.[23]$/.test(r.tls.protocol), 'TLS facts of the connection');
  // The handshake is observed while the live view is on, so the key exchange group is known: the one node's client
  // offers first, X25519, or the hybrid X25519MLKEM768 from OpenSSL 3.5 on (node 24), as Go's crypto/tls does since 1.24.
  const [major = 0, minor = 0] = process.versions.openssl.split('.').map(Number);
  assert.equal(r.tls?.keyExchangeGroup, major > 3 || (major === 3 && minor >= 5) ? 'X25519MLKEM768' : 'X25519');
  assert.equal(r.clientChain.length, 0);
  assert.ok(r.serverCertificate, 'our serving certificate is shown');
  assert.deepEqual(r.credentials.map((c) => c.kind), ['bearer-token']);
  // kube's order (pkg/kubeapiserver/authenticator/config.go, plus server/config.go's loopback bearer authenticator in
  // front): the loopback token refuses any other bearer token, basic auth and x509 find no credential of theirs,
  // then the token union's static token file knows jane.
  assert.deepEqual(r.authentication.steps, [
    { authenticator: 'loopback', outcome: 'failed', detail: 'invalid bearer token' },
    { authenticator: 'password-file', outcome: 'not-mine', detail: '' },
    { authenticator: 'x509', outcome: 'not-mine', detail: '' },
    { authenticator: 'token-file', outcome: 'authenticated', detail: 'jane' },
  ]);
  assert.equal(r.authentication.authenticator, 'token-file');
  assert.equal(r.user?.name, 'jane');
  assert.deepEqual(r.authorization && { decision: r.authorization.decision, binding: r.authorization.binding, role: r.authorization.role, rule: r.authorization.rule }, {
    decision: 'allow',
    binding: 'RoleBinding dev/jane-reads',
    role: 'Role pod-reader',
    rule: 'verbs=[get,list] apiGroups=[""] resources=[pods]',
  });
  assert.match(r.authorization!.reason, /^RBAC: allowed by RoleBinding "jane-reads\/dev" of Role "pod-reader" to User "jane"$/);
  assert.deepEqual(r.response, { status: 200 });
});

test('a forbidden request: the 403 message, and /explain gives RBAC\'s walk for it', async () => {
  await client(server()).get('/api/v1/secrets').set('Authorization', `Bearer ${janeToken}`).set('User-Agent', 'live-forbidden').expect(403);
  const r = await events.waitFor((e) => e.userAgent === 'live-forbidden');
  assert.equal(r.response.status, 403);
  assert.equal(r.response.reason, 'Forbidden');
  assert.equal(r.response.message, 'secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" at the cluster scope');
  assert.equal(r.authorization?.decision, 'forbid');
  assert.equal(r.authorization?.explainable, true);
  assert.equal(r.authorization?.reason, '', 'RBAC has no opinion and says nothing; the 403 message is the response\'s');
  const explained = await ui().get(`/explain?request=${r.id}`).expect(200);
  assert.match(explained.headers['content-type']!, /^text\/plain/);
  assert.match(explained.text, /^User "jane" \(groups \["dev","system:authenticated"\]\) asks to list secrets in API group "" at the cluster scope\./);
  assert.match(explained.text, /Decision: RBAC has no rule that allows it/);
});

test('a client certificate in system:masters: the chain is clickable and the decision is the privileged group\'s', async () => {
  await client(server()).get('/api/v1/namespaces').cert(admin.cert).key(admin.key).set('User-Agent', 'live-cert').expect(200);
  const r = await events.waitFor((e) => e.userAgent === 'live-cert');
  assert.deepEqual(r.credentials, [{ kind: 'client-certificate', subject: 'CN=root,O=system:masters' }]);
  assert.equal(r.clientChain[0]?.subject, 'CN=root,O=system:masters');
  assert.ok(r.authentication.steps.some((s) => s.authenticator === 'x509' && s.outcome === 'authenticated' && s.detail === 'root'));
  assert.equal(r.authorization?.decidedBy, 'system:masters');
  const cert = await ui().get(`/certificate?request=${r.id}&index=0`).expect(200);
  assert.match(cert.text, /^\[1\] certificate CN=root,O=system:masters\n +subject +CN=root,O=system:masters/);
  assert.match(cert.text, /kube-apiserver +user "root", groups \[system:masters\]/);
  assert.match(cert.text, /-----BEGIN CERTIFICATE-----/);
  const own = await ui().get(`/certificate?request=${r.id}&index=server`).expect(200);
  assert.match(own.text, /SANs +.*IP Address:127\.0\.0\.1/);
  await ui().get(`/certificate?request=${r.id}&index=3`).expect(404);
  await ui().get('/certificate?request=999999&index=0').expect(404);
  await ui().get('/certificate?request=abc').expect(404);
});

test('a bad token and a basic password: the failure is shown, the secrets never are', async () => {
  const badToken = 'not-a-real-token-0123456789';
  await client(server()).get('/api').set('Authorization', `Bearer ${badToken}`).set('User-Agent', 'live-badtoken').expect(401);
  await client(server()).get('/api').auth(basic.username, basic.password).set('User-Agent', 'live-basic').expect(200);
  const bad = await events.waitFor((e) => e.userAgent === 'live-badtoken');
  assert.equal(bad.response.status, 401);
  assert.equal(bad.authentication.failure, 'invalid bearer token');
  assert.equal(bad.user, undefined);
  assert.deepEqual(bad.credentials, [{ kind: 'bearer-token', tokenKind: 'opaque', sha256Prefix: bad.credentials[0]!.kind === 'bearer-token' ? bad.credentials[0]!.sha256Prefix : '' }]);
  assert.match(JSON.stringify(bad.credentials), /"sha256Prefix":"[0-9a-f]{8}"/);
  const b = await events.waitFor((e) => e.userAgent === 'live-basic');
  assert.deepEqual(b.credentials, [{ kind: 'basic', username: 'bob' }]);
  assert.ok(b.authentication.steps.some((s) => s.authenticator === 'password-file' && s.outcome === 'authenticated'));
  // Nothing the page can fetch carries a token or a password.
  const everything = (await ui().get('/requests').expect(200)).text + JSON.stringify(events.seen());
  for (const secret of [badToken, janeToken, basic.password, Buffer.from(`${basic.username}:${basic.password}`).toString('base64')]) {
    assert.ok(!everything.includes(secret), `a secret reached the page: ${secret.slice(0, 4)}...`);
  }
});

test('impersonation: who asked and who the request ran as', async () => {
  await client(server()).get('/api/v1/namespaces/dev/pods').cert(admin.cert).key(admin.key).set('Impersonate-User', 'jane').set('Impersonate-Group', 'dev').set('User-Agent', 'live-impersonate').expect(200);
  const r = await events.waitFor((e) => e.userAgent === 'live-impersonate');
  assert.deepEqual(r.impersonation, { requested: ['User: jane', 'Group: dev'], impersonator: 'root' });
  assert.deepEqual(r.user && { name: r.user.name, groups: r.user.groups }, { name: 'jane', groups: ['dev', 'system:authenticated'] });
  assert.equal(r.authorization?.binding, 'RoleBinding dev/jane-reads');
  await client(server()).get('/api').set('Authorization', `Bearer ${janeToken}`).set('Impersonate-User', 'root').set('User-Agent', 'live-impersonate-refused').expect(403);
  const refused = await events.waitFor((e) => e.userAgent === 'live-impersonate-refused');
  assert.deepEqual(refused.impersonation, { requested: ['User: root'] });
  assert.equal(refused.authorization?.explainable, false);
  assert.match(refused.response.message ?? '', /cannot impersonate resource "users"/);
});

test('a page opened later gets the history first, then the "ready" event', async () => {
  const later = liveEvents(server().uiUrl!);
  try {
    await later.ready;
    assert.ok(later.seen().some((e) => e.userAgent === 'live-allowed'));
    const ids = later.seen().map((e) => e.id);
    assert.ok(ids.length > 0);
  } finally {
    later.close();
  }
});

test('only GET, and only for a loopback Host header (no DNS rebinding)', async () => {
  await ui().post('/').expect(405);
  await ui().head('/events').expect(200);
  await ui().get('/').set('Host', 'evil.example:80').expect(403);
  await ui().get('/nope').expect(404);
  await ui().get('/explain?request=1x').expect(404);
});

test('a non-loopback bind is refused, naming the flag', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost', 'example.com']) {
    await assert.rejects(startLiveView({ recorder: new LiveRecorder(), host }), (err: unknown) => err instanceof ConfigError && /^--ui: the live view listens on loopback only/.test(err.message), host);
  }
  await assert.rejects(startServer({ port: 0, ui: { host: '0.0.0.0' } }), ConfigError);
  const v6 = await startLiveView({ recorder: new LiveRecorder(), host: '::1' }).catch((err: NodeJS.ErrnoException) => err);
  if (!(v6 instanceof Error)) {
    assert.match(v6.url, /^http:\/\/\[::1\]:\d+\/$/);
    await v6.stop();
  }
});

test('without ui the server has no live view', async () => {
  const plain = await startServer({ port: 0 });
  try {
    assert.equal(plain.uiUrl, undefined);
  } finally {
    await plain.stop();
  }
});

test('a huge request (600 KB of path, User-Agent and Impersonate-Group headers) is answered as usual and kept as one small row', async () => {
  const groups = Array.from({ length: 300 }, (_, i) => `g${i}-${'x'.repeat(1000)}`);
  const res = await client(server())
    .get(`/api/v1/namespaces/${'a'.repeat(200_000)}/pods`)
    .cert(admin.cert)
    .key(admin.key)
    .set('User-Agent', `huge-${'u'.repeat(100_000)}`)
    .set('Impersonate-User', 'jane')
    .set('Impersonate-Group', groups as unknown as string); // node sends an array as repeated headers
  assert.ok(res.status < 500, `the API answered ${res.status}`);
  const r = await events.waitFor((e) => e.userAgent.startsWith('huge-'));
  assert.equal(r.response.status, res.status, 'the row has the status the API sent');
  assert.ok(Buffer.byteLength(JSON.stringify(r)) <= MAX_EVENT_BYTES, `a row of ${Buffer.byteLength(JSON.stringify(r))} bytes`);
  assert.match(r.uri, /more characters\]$/);
  const history = (await ui().get('/requests').expect(200)).text;
  assert.ok(history.length < 200 * MAX_EVENT_BYTES);
});

test('a TokenReview, a wrong basic password and Impersonate-* headers: no token or password reaches the page', async () => {
  const wrong = 'wrong-password-0123456789';
  await client(server()).get('/api').auth(basic.username, wrong).set('User-Agent', 'live-wrong-password').expect(401);
  const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: janeToken } };
  await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').cert(admin.cert).key(admin.key).set('User-Agent', 'live-tokenreview').send(review).expect(201);
  const bad = { ...review, spec: { token: `${janeToken}-not` } };
  await client(server()).post('/apis/authentication.k8s.io/v1/tokenreviews').cert(admin.cert).key(admin.key).set('User-Agent', 'live-tokenreview-bad').send(bad).expect(201);
  const w = await events.waitFor((e) => e.userAgent === 'live-wrong-password');
  assert.deepEqual(w.credentials, [{ kind: 'basic', username: basic.username }]);
  assert.equal(w.response.status, 401);
  const tr = await events.waitFor((e) => e.userAgent === 'live-tokenreview');
  assert.equal(tr.user?.name, 'root', 'the review\'s token is not the request\'s credential');
  assert.ok(!tr.authentication.steps.some((s) => s.detail === 'jane'), 'the review\'s authentication is not the request\'s');
  await events.waitFor((e) => e.userAgent === 'live-tokenreview-bad');
  const everything = (await ui().get('/requests').expect(200)).text + JSON.stringify(events.seen());
  for (const secret of [wrong, janeToken, janeToken.slice(0, 12), janeToken.slice(-12), basic.password]) assert.ok(!everything.includes(secret), `a secret reached the page: ${secret.slice(0, 4)}...`);
});

test('event streams are capped: one more page than MAX_EVENT_STREAMS is a 503, and a closed one frees its place', async () => {
  const recorder = new LiveRecorder();
  const view = await startLiveView({ recorder });
  const open: LiveEvents[] = [];
  try {
    for (let i = 0; i < MAX_EVENT_STREAMS; i++) open.push(liveEvents(view.url));
    await Promise.all(open.map((e) => e.ready));
    const refused = await request(view.url.replace(/\/$/, '')).get('/events').expect(503);
    assert.match(refused.text, /already has \d+ pages open/);
    const closed = new Promise<void>((resolve) => {
      const stop = recorder.subscribe(() => undefined);
      const check = (): void => (recorder.listenerCount <= MAX_EVENT_STREAMS ? (stop(), resolve()) : void setImmediate(check));
      open.pop()!.close();
      check();
    });
    await closed;
    const again = liveEvents(view.url);
    open.push(again);
    await again.ready;
  } finally {
    for (const e of open) e.close();
    await view.stop();
  }
});

test('a page that never reads its stream is cut off, not buffered without bound', async () => {
  const recorder = new LiveRecorder(10);
  const view = await startLiveView({ recorder });
  const socket = connect(view.port, '127.0.0.1');
  try {
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    // Headers in, then never read a byte: the kernel's buffers fill, then the server's.
    socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${view.port}\r\n\r\n`);
    socket.pause();
    await new Promise<void>((resolve) => {
      const check = (): void => (recorder.listenerCount === 1 ? resolve() : void setImmediate(check));
      check();
    });
    const big = 'b'.repeat(30_000);
    // Until the server drops the stream (a paused client would not see the close before reading what it was sent).
    for (let id = 1; recorder.listenerCount > 0; id++) {
      recorder.record({ request: { id, time: '', method: 'GET', uri: big, userAgent: '', remote: '', tls: null, clientChain: [], credentials: [{ kind: 'none' }], authentication: { steps: [] }, response: { status: 200 } }, clientChainPem: [] });
      assert.ok(id < 100_000, 'the stream was never cut off');
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    socket.destroy();
    await view.stop();
  }
});

test('Host headers: the bound address or localhost with the port, any case; nothing else (trailing dot, no port, another address)', async () => {
  const port = server().uiUrl!.match(/:(\d+)\/$/)![1]!;
  const cases: [string, number][] = [
    [`127.0.0.1:${port}`, 200],
    [`LOCALHOST:${port}`, 200],
    [`localhost.:${port}`, 403],
    [`127.0.0.1.:${port}`, 403],
    ['127.0.0.1', 403],
    [`[::1]:${port}`, 403],
    [`127.0.0.2:${port}`, 403],
    [`127.0.0.1:${port}.evil.example`, 403],
    [`evil.example:${port}`, 403],
  ];
  for (const [host, status] of cases) await ui().get('/requests').set('Host', host).expect(status);
  const v6 = await startLiveView({ recorder: new LiveRecorder(), host: '::1' }).catch((err: NodeJS.ErrnoException) => err);
  if (!(v6 instanceof Error)) {
    try {
      await request(v6.url.replace(/\/$/, '')).get('/').set('Host', `[::1]:${v6.port}`).expect(200);
      await request(v6.url.replace(/\/$/, '')).get('/').set('Host', `127.0.0.1:${v6.port}`).expect(403);
    } finally {
      await v6.stop();
    }
  }
});

test('no CORS: a foreign origin gets no Access-Control-* header, and a preflight is refused', async () => {
  for (const path of ['/', '/requests', '/certificate?request=1&index=0']) {
    const res = await ui().get(path).set('Origin', 'http://evil.example');
    assert.equal(res.headers['access-control-allow-origin'], undefined, path);
  }
  const pre = await ui().options('/requests').set('Origin', 'http://evil.example').set('Access-Control-Request-Method', 'GET');
  assert.equal(pre.status, 405);
  assert.equal(pre.headers['access-control-allow-origin'], undefined);
  for (const method of ['post', 'put', 'delete', 'patch'] as const) await ui()[method]('/requests').expect(405);
});

test('a client presenting a chain of 17 certificates: the API answers as usual, the row keeps at most 16 and each is clickable', async () => {
  const root = await issueOddCert({ issuer: 'self', commonName: 'long-chain-root', ca: {} });
  let issuer = root;
  const intermediates = [];
  for (let i = 1; i <= 15; i++) {
    issuer = await issueOddCert({ issuer, commonName: `long-chain-${i}`, ca: {} });
    intermediates.unshift(issuer);
  }
  const leaf = await issueOddCert({ issuer, commonName: 'long-chain-leaf', organizations: ['dev'] });
  const chainPem = [leaf.certPem, ...intermediates.map((c) => c.certPem), root.certPem].join('');
  const res = await client(server()).get('/api').cert(chainPem).key(leaf.keyPem).set('User-Agent', 'live-long-chain');
  // Not our client CA: x509 refuses it (kube: "x509: certificate signed by unknown authority"), a 401.
  assert.equal(res.status, 401);
  const r = await events.waitFor((e) => e.userAgent === 'live-long-chain');
  assert.equal(r.response.status, 401);
  assert.ok(r.clientChain.length >= 1 && r.clientChain.length <= 16, `${r.clientChain.length}`);
  assert.equal(r.clientChain[0]?.subject, 'CN=long-chain-leaf,O=dev');
  for (let i = 0; i < r.clientChain.length; i++) await ui().get(`/certificate?request=${r.id}&index=${i}`).expect(200);
  await ui().get(`/certificate?request=${r.id}&index=${r.clientChain.length}`).expect(404);
  assert.ok(r.authentication.steps.some((s) => s.authenticator === 'x509' && s.outcome === 'failed' && /unknown authority/.test(s.detail)));
});

test('a page opened on a full history of the largest rows (non-ASCII, 3 bytes a character) still receives all of it', async () => {
  const recorder = new LiveRecorder();
  const view = await startLiveView({ recorder });
  try {
    const wide = '語'.repeat(200_000);
    for (let id = 1; id <= recorder.capacity; id++) {
      const request = boundedRequest({ id, time: '', method: 'GET', uri: wide, userAgent: wide, remote: '', tls: null, clientChain: [], credentials: [{ kind: 'none' }], authentication: { steps: [], failure: wide }, user: { name: wide, uid: wide, groups: Array.from({ length: 6 }, () => wide), extra: { k: [wide, wide] } }, response: { status: 401, message: wide } });
      recorder.record({ request, clientChainPem: [] });
    }
    // Read the stream to its "ready" event, or to its end if the server cut it off.
    const outcome = await new Promise<{ ready: boolean; requests: number }>((resolve, reject) => {
      const req = getHttp(new URL('events', view.url), (res) => {
        let buffer = '';
        let requests = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith('event: request')) requests++;
            if (block.startsWith('event: ready')) {
              req.destroy();
              return resolve({ ready: true, requests });
            }
          }
        });
        res.on('close', () => resolve({ ready: false, requests }));
      });
      req.on('error', reject);
    });
    assert.deepEqual(outcome, { ready: true, requests: recorder.capacity });
  } finally {
    await view.stop();
  }
});
