// The request log (kube's WithHTTPLogging, staging/src/k8s.io/apiserver/pkg/server/httplog/httplog.go): one
// line per request with what a person debugging a 401 or 403 needs. Each case sends one request with its own
// Audit-ID and asserts the line logged for it, field by field; latency only as a number.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { distinguishedName } from '../../src/tls/certificate-summary.js';
import { createLogger } from '../../src/util/log.js';
import { janeEditsConfigMaps } from '../helpers/policies.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';
import { jsonLogLines, type LogLine } from '../helpers/log-lines.js';

type Line = LogLine;

/** Every line the server logs, as JSON; `lineFor` waits for the request line of one Audit-ID. */
const { sink: jsonSink, lines, lineWhere } = jsonLogLines();
function lineFor(auditId: string): Promise<Line> {
  return lineWhere((l) => l.msg === 'HTTP' && l['audit-ID'] === auditId);
}

const dir = await mkdtemp(join(tmpdir(), 'kam-request-log-'));
after(() => rm(dir, { recursive: true, force: true }));
await writeFile(
  join(dir, 'jane.yaml'),
  janeEditsConfigMaps(['get', 'list', 'watch', 'create', 'patch']),
);
const server = useServer({ policyPaths: [dir], log: createLogger('json', jsonSink) });

let jane: string;
let boss: string;
before(async () => {
  const s = await server.ready();
  jane = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  boss = credentialsOf(await s.kubeconfig({ user: 'boss', groups: ['system:masters'], auth: 'token' })).token!;
  const res = await client(s)
    .post('/api/v1/namespaces/default/configmaps')
    .set('Authorization', `Bearer ${jane}`)
    .send({ metadata: { name: 'web', labels: { app: 'web' } }, data: { a: '1' } });
  assert.equal(res.status, 201, res.text);
});

const CM = '/api/v1/namespaces/default/configmaps';
const JANE_ALLOWED = 'RBAC: allowed by RoleBinding "jane-edits/default" of Role "configmap-editor" to User "jane"';
const USER_AGENT = 'request-log-test/1.0';
const STATIC_TOKEN = { kind: 'static token (--token-auth-file)' };

/** The fields of a line that do not vary between runs: time, level, latency and the client's port removed, after checking them. */
function stableFields(line: Line): Line {
  const { time, level, latencyMs, srcIP, ...rest } = line;
  assert.match(String(time), /^\d{4}-\d\d-\d\dT/);
  assert.equal(level, 30);
  assert.equal(typeof latencyMs, 'number');
  assert.match(String(srcIP), /^127\.0\.0\.1:\d+$/);
  return rest;
}

interface Case {
  name: string;
  send: (auditId: string) => Promise<number>;
  status: number;
  fields: Line;
}

/** Sends a request through supertest with the Audit-ID and User-Agent the case's line is found by. */
const via = (method: 'get' | 'patch', path: string, headers: Record<string, string>, body?: string) => async (auditId: string): Promise<number> => {
  let req = client(server())[method](path).set('Audit-ID', auditId).set('User-Agent', USER_AGENT);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  const res = body === undefined ? await req : await req.send(body);
  return res.status;
};

/** Opens a watch, waits for its 200 and its log line, then closes it (a watch is logged when its 200 is sent). */
const watch = (path: string) => (auditId: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = server();
    const req = httpsRequest(`${s.url}${path}`, { ca: s.caCert, headers: { Authorization: `Bearer ${jane}`, 'Audit-ID': auditId, 'User-Agent': USER_AGENT } }, (res) => {
      void lineFor(auditId).then(() => {
        res.destroy();
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    req.end();
  });

const cases: Case[] = [
  {
    name: 'a get',
    send: (id) => via('get', `${CM}/web`, { Authorization: `Bearer ${jane}` })(id),
    status: 200,
    fields: { msg: 'HTTP', verb: 'get', URI: `${CM}/web`, resp: 200, user: 'jane', groups: ['dev', 'system:authenticated'], authenticator: 'token-file', credential: STATIC_TOKEN, decision: 'allow', reason: JANE_ALLOWED },
  },
  {
    name: 'a list with a label selector keeps the query in the URI',
    send: (id) => via('get', `${CM}?labelSelector=app%3Dweb&limit=5`, { Authorization: `Bearer ${jane}` })(id),
    status: 200,
    fields: { msg: 'HTTP', verb: 'list', URI: `${CM}?labelSelector=app%3Dweb&limit=5`, resp: 200, user: 'jane', groups: ['dev', 'system:authenticated'], authenticator: 'token-file', credential: STATIC_TOKEN, decision: 'allow', reason: JANE_ALLOWED },
  },
  {
    name: 'a watch',
    send: (id) => watch(`${CM}?watch=true&labelSelector=app%3Dweb`)(id),
    status: 200,
    fields: { msg: 'HTTP', verb: 'watch', URI: `${CM}?watch=true&labelSelector=app%3Dweb`, resp: 200, user: 'jane', groups: ['dev', 'system:authenticated'], authenticator: 'token-file', credential: STATIC_TOKEN, decision: 'allow', reason: JANE_ALLOWED },
  },
  {
    name: 'a strategic merge patch names its patch type',
    send: (id) => via('patch', `${CM}/web`, { Authorization: `Bearer ${jane}`, 'Content-Type': 'application/strategic-merge-patch+json; charset=utf-8' }, '{"data":{"b":"2"}}')(id),
    status: 200,
    fields: {
      msg: 'HTTP',
      verb: 'patch',
      URI: `${CM}/web`,
      resp: 200,
      user: 'jane',
      groups: ['dev', 'system:authenticated'],
      authenticator: 'token-file', credential: STATIC_TOKEN,
      decision: 'allow',
      reason: JANE_ALLOWED,
      contentType: 'application/strategic-merge-patch+json; charset=utf-8',
      patchType: 'application/strategic-merge-patch+json',
    },
  },
  {
    name: 'a 401 with a bad token says why, and has no user or decision',
    send: (id) => via('get', `${CM}/web`, { Authorization: 'Bearer not-a-token' })(id),
    status: 401,
    fields: { msg: 'HTTP', verb: 'get', URI: `${CM}/web`, resp: 401, authenticationError: 'invalid bearer token' },
  },
  {
    name: 'a 403 carries the message the client got',
    send: (id) => via('get', '/api/v1/namespaces/default/secrets/db', { Authorization: `Bearer ${jane}` })(id),
    status: 403,
    fields: {
      msg: 'HTTP',
      verb: 'get',
      URI: '/api/v1/namespaces/default/secrets/db',
      resp: 403,
      user: 'jane',
      groups: ['dev', 'system:authenticated'],
      authenticator: 'token-file', credential: STATIC_TOKEN,
      decision: 'forbid',
      reason: 'secrets "db" is forbidden: User "jane" cannot get resource "secrets" in API group "" in the namespace "default"',
    },
  },
  {
    name: 'an impersonated request logs the user acted as and the impersonator',
    send: (id) => via('get', `${CM}/web`, { Authorization: `Bearer ${boss}`, 'Impersonate-User': 'jane' })(id),
    status: 200,
    fields: { msg: 'HTTP', verb: 'get', URI: `${CM}/web`, resp: 200, user: 'jane', groups: ['system:authenticated'], impersonator: 'boss', authenticator: 'token-file', credential: STATIC_TOKEN, decision: 'allow', reason: JANE_ALLOWED },
  },
  {
    name: 'a refused impersonation is a forbid with its message',
    send: (id) => via('get', `${CM}/web`, { Authorization: `Bearer ${jane}`, 'Impersonate-User': 'boss' })(id),
    status: 403,
    fields: {
      msg: 'HTTP',
      verb: 'get',
      URI: `${CM}/web`,
      resp: 403,
      user: 'jane',
      groups: ['dev', 'system:authenticated'],
      authenticator: 'token-file', credential: STATIC_TOKEN,
      decision: 'forbid',
      reason: 'users "boss" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope',
    },
  },
  {
    name: 'a non-resource request logs the HTTP verb as RequestInfo gives it',
    send: (id) => via('get', '/version?timeout=32s', { Authorization: `Bearer ${jane}` })(id),
    status: 200,
    fields: {
      msg: 'HTTP',
      verb: 'get',
      URI: '/version?timeout=32s',
      resp: 200,
      user: 'jane',
      groups: ['dev', 'system:authenticated'],
      authenticator: 'token-file', credential: STATIC_TOKEN,
      decision: 'allow',
      reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    },
  },
];

for (const [i, c] of cases.entries()) {
  test(`request log: ${c.name}`, async () => {
    const auditId = `request-log-${i}`;
    assert.equal(await c.send(auditId), c.status);
    const line = await lineFor(auditId);
    assert.deepEqual(stableFields(line), { ...c.fields, userAgent: USER_AGENT, 'audit-ID': auditId });
    const written = Object.keys(line).filter((k) => !['level', 'time', 'msg'].includes(k));
    const expectedOrder = [...Object.keys(c.fields).filter((k) => k !== 'msg'), 'latencyMs', 'userAgent', 'audit-ID', 'srcIP'];
    assert.deepEqual(written, expectedOrder, 'fields in the order the text format writes them');
  });
}

// httplog's srcIP is req.RemoteAddr, which Go keeps for the connection's life; node's socket.remoteAddress is
// asked of the socket each time and is gone once it is destroyed, so it must be read when the request arrives.
test('request log: a client that goes away while its body is read still has its srcIP on the line', async () => {
  const s = server();
  const auditId = 'request-log-aborted';
  await new Promise<void>((resolve, reject) => {
    const req = httpsRequest(`${s.url}${CM}`, {
      method: 'POST',
      ca: s.caCert,
      headers: { Authorization: `Bearer ${jane}`, 'Content-Type': 'application/json', 'Content-Length': '1000', Expect: '100-continue', 'Audit-ID': auditId, 'User-Agent': USER_AGENT },
    });
    // 100 Continue is sent on the body's first read (http1.ts): the request is past authorization, in the handler.
    req.on('continue', () => {
      req.write('{"metadata":');
      req.destroy();
      resolve();
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.flushHeaders();
  });
  const line = await lineFor(auditId);
  assert.match(String(line.srcIP), /^127\.0\.0\.1:\d+$/);
  assert.equal(line.verb, 'create');
  assert.equal(line.user, 'jane');
  // limitedReadBody's io.ErrUnexpectedEOF is a plain error: kube's reason-less 500, not a crash with a stack.
  assert.equal(line.resp, 500);
  assert.deepEqual(lines.filter((l) => l.auditId === auditId || l['audit-ID'] === auditId).map((l) => l.msg), ['HTTP']);
});

test('request log, text format: a 403 reads as one line a person can scan', async () => {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  // The 403 case's line, written by the text logger `npm start` uses (latency and port fixed for the comparison).
  const { time: _time, level: _level, msg, ...fields } = await lineFor('request-log-5');
  createLogger('text', sink).info({ ...fields, latencyMs: 1.5, srcIP: '127.0.0.1:50000' }, String(msg));
  assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} /);
  assert.equal(
    text.slice('00:00:00.000 '.length),
    String.raw`INFO HTTP verb=get URI=/api/v1/namespaces/default/secrets/db resp=403 user=jane groups=["dev","system:authenticated"] authenticator=token-file credential={"kind":"static token (--token-auth-file)"} decision=forbid reason="secrets \"db\" is forbidden: User \"jane\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"" latencyMs=1.5 userAgent=request-log-test/1.0 audit-ID=request-log-5 srcIP=127.0.0.1:50000` +
      '\n',
  );
});

test('request log: a TokenRequest carries the issued credential id, kube\'s audit annotation', async () => {
  const auditId = 'request-log-token-request';
  const res = await client(server())
    .post('/api/v1/namespaces/default/serviceaccounts/default/token')
    .set('Authorization', `Bearer ${boss}`)
    .set('Audit-ID', auditId)
    .send({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  assert.equal(res.status, 201, res.text);
  const jti = (JSON.parse(Buffer.from(String(res.body.status.token).split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
  const line = await lineFor(auditId);
  assert.deepEqual(line.annotations, { 'authentication.kubernetes.io/issued-credential-id': `JTI=${jti}` });
});

// How the identity was proven: for a client certificate which one (subject and SHA-256, as --tls-trace prints
// them), for a token which kind, named after the authenticator that accepted it.
test('request log: a client certificate is named by its subject and SHA-256 fingerprint', async () => {
  const s = server();
  const { cert, key } = credentialsOf(await s.kubeconfig({ user: 'carol', groups: ['dev', 'ops'], auth: 'cert' }));
  const auditId = 'request-log-cert';
  const res = await client(s).get('/version').cert(cert!).key(key!).set('Audit-ID', auditId);
  assert.equal(res.status, 200);
  const line = await lineFor(auditId);
  assert.equal(line.authenticator, 'x509');
  // The subject as the shared certificate summary writes it (src/tls/certificate-summary.ts), so it matches --tls-trace.
  const leaf = new X509Certificate(cert!);
  assert.deepEqual(line.credential, { kind: 'client certificate', subject: distinguishedName(leaf.subject), sha256: leaf.fingerprint256 });
  assert.match(String((line.credential as { subject: string }).subject), /^CN=carol,/);
});

test('request log: a bound ServiceAccount token names its kind; an anonymous request proves nothing', async () => {
  const s = server();
  const token = await s.serviceAccountToken('default/default');
  const auditId = 'request-log-sa';
  await client(s).get('/version').set('Authorization', `Bearer ${token}`).set('Audit-ID', auditId);
  const line = await lineFor(auditId);
  assert.equal(line.authenticator, 'serviceaccount');
  assert.deepEqual(line.credential, { kind: 'ServiceAccount token (bound)' });
  const anonymous = 'request-log-anonymous';
  await client(s).get('/version').set('Audit-ID', anonymous);
  const anon = await lineFor(anonymous);
  assert.equal(anon.authenticator, 'anonymous');
  assert.equal(anon.credential, undefined, 'anonymous proves nothing');
});
