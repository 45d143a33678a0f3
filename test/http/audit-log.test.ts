// The audit log (--audit-policy-file, --audit-log-path), read back after real requests: kube's WithAudit
// (staging/src/k8s.io/apiserver/pkg/endpoints/filters/audit.go), WithFailedAuthenticationAudit (authn_audit.go),
// the json log backend (plugin/pkg/audit/log/backend.go) and the Event of pkg/apis/audit/v1/types.go.
// Events of a request are found by its Audit-ID; timestamps and source ports are checked, then left out.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { watch as watchFile } from 'node:fs';
import { Writable } from 'node:stream';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { startServer, type StartServerOptions } from '../../src/index.js';
import { createLogger } from '../../src/util/log.js';
import { janeEditsConfigMaps } from '../helpers/policies.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

type Event = Record<string, unknown>;

const dir = await mkdtemp(join(tmpdir(), 'kam-audit-log-'));
after(() => rm(dir, { recursive: true, force: true }));
const logPath = join(dir, 'logs', 'audit.log');
const policyFile = join(dir, 'audit-policy.yaml');
await writeFile(
  policyFile,
  `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: []
rules:
- level: None
  nonResourceURLs: ["/healthz*", "/livez*", "/readyz*"]
- level: RequestResponse
  resources: [{group: "", resources: ["configmaps"]}]
  namespaces: ["audited"]
- level: Request
  resources: [{group: "", resources: ["serviceaccounts/token"]}]
- level: Metadata
`,
);
await writeFile(
  join(dir, 'jane.yaml'),
  janeEditsConfigMaps(['get', 'list', 'watch', 'create']),
);
/** The server log's lines (json), where failed audit writes are reported. */
const serverLog: { level: number; msg: string }[] = [];
const logSink = new Writable({ write: (chunk: Buffer, _e, done) => void (serverLog.push(JSON.parse(chunk.toString('utf8')) as { level: number; msg: string }), done()) });
const server = useServer({ policyPaths: [join(dir, 'jane.yaml')], auditPolicyFile: policyFile, auditLogPath: logPath, log: createLogger('json', logSink) });

let jane: string;
let boss: string;
before(async () => {
  const s = await server.ready();
  jane = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  boss = credentialsOf(await s.kubeconfig({ user: 'boss', groups: ['system:masters'], auth: 'token' })).token!;
  const res = await client(s).post('/api/v1/namespaces/default/configmaps').set('Authorization', `Bearer ${jane}`).send({ metadata: { name: 'web' }, data: { a: '1' } });
  assert.equal(res.status, 201, res.text);
  const ns = await client(s).post('/api/v1/namespaces').set('Authorization', `Bearer ${boss}`).send({ metadata: { name: 'audited' } });
  assert.equal(ns.status, 201, ns.text);
});

/** Every event of the log, each line parsed on its own (a line that is not one whole event fails here). */
async function events(): Promise<Event[]> {
  const text = await readFile(logPath, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'the log ends with a whole line');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
}

async function eventsFor(auditId: string): Promise<Event[]> {
  return (await events()).filter((e) => e.auditID === auditId);
}

/** Resolves once the log holds `count` events of this request: the log file is watched, not polled on a timer. */
async function waitForEvents(auditId: string, count: number): Promise<Event[]> {
  // A change while the file is being read must not be missed: every change bumps a counter the loop compares.
  let changes = 0;
  let wake: (() => void) | undefined;
  const watcher = watchFile(logPath, () => {
    changes++;
    wake?.();
  });
  try {
    for (;;) {
      const seen = changes;
      const found = await eventsFor(auditId);
      if (found.length >= count) return found;
      if (changes === seen) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    watcher.close();
  }
}

const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** The event without its timestamps and source IPs, after checking them. */
function stable(e: Event): Event {
  const { requestReceivedTimestamp, stageTimestamp, sourceIPs, ...rest } = e;
  assert.match(String(requestReceivedTimestamp), MICRO_TIME);
  assert.match(String(stageTimestamp), MICRO_TIME);
  if (e.stage === 'RequestReceived') assert.equal(stageTimestamp, requestReceivedTimestamp);
  assert.deepEqual(sourceIPs, ['127.0.0.1']);
  return rest;
}

const JANE = { username: 'jane', groups: ['dev', 'system:authenticated'] };
const UA = 'audit-log-test/1.0';
const JANE_ALLOWED = 'RBAC: allowed by RoleBinding "jane-edits/default" of Role "configmap-editor" to User "jane"';

test('audit log: a get is RequestReceived then ResponseComplete, in kube\'s field order, with the authorization annotations', async () => {
  const res = await client(server()).get('/api/v1/namespaces/default/configmaps/web').set('Authorization', `Bearer ${jane}`).set('Audit-ID', 'audit-get').set('User-Agent', UA);
  assert.equal(res.status, 200);
  const [received, complete, ...rest] = await eventsFor('audit-get');
  assert.equal(rest.length, 0);
  const common = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: 'audit-get',
    requestURI: '/api/v1/namespaces/default/configmaps/web',
    verb: 'get',
    user: JANE,
    userAgent: UA,
    objectRef: { resource: 'configmaps', namespace: 'default', name: 'web', apiVersion: 'v1' },
  };
  assert.deepEqual(stable(received!), { ...common, stage: 'RequestReceived' });
  assert.deepEqual(stable(complete!), {
    ...common,
    stage: 'ResponseComplete',
    responseStatus: { metadata: {}, code: 200 },
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': JANE_ALLOWED },
  });
  // types.go's order, key by key.
  assert.deepEqual(Object.keys(complete!), ['kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'sourceIPs', 'userAgent', 'objectRef', 'responseStatus', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations']);
});

test('audit log: a 403 has the Forbidden Status and decision forbid with the authorizer\'s own reason', async () => {
  const res = await client(server()).get('/api/v1/namespaces/default/secrets/db').set('Authorization', `Bearer ${jane}`).set('Audit-ID', 'audit-403');
  assert.equal(res.status, 403);
  const complete = (await eventsFor('audit-403')).find((e) => e.stage === 'ResponseComplete')!;
  assert.deepEqual(complete.responseStatus, {
    metadata: {},
    status: 'Failure',
    message: 'secrets "db" is forbidden: User "jane" cannot get resource "secrets" in API group "" in the namespace "default"',
    reason: 'Forbidden',
    details: { name: 'db', kind: 'secrets' },
    code: 403,
  });
  assert.deepEqual(complete.annotations, { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' });
});

test('audit log: a 401 is one ResponseStarted event with no user (WithFailedAuthenticationAudit)', async () => {
  const res = await client(server()).get('/api/v1/namespaces/default/configmaps').set('Authorization', 'Bearer not-a-token').set('Audit-ID', 'audit-401');
  assert.equal(res.status, 401);
  const all = await eventsFor('audit-401');
  assert.equal(all.length, 1);
  const { userAgent: _ua, ...event } = stable(all[0]!);
  assert.deepEqual(event, {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: 'audit-401',
    stage: 'ResponseStarted',
    requestURI: '/api/v1/namespaces/default/configmaps',
    verb: 'list',
    user: {},
    objectRef: { resource: 'configmaps', namespace: 'default', apiVersion: 'v1' },
    responseStatus: { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
  });
});

test('audit log: a watch writes ResponseStarted when its 200 is sent, ResponseComplete when it ends', async () => {
  const s = server();
  const path = '/api/v1/namespaces/default/configmaps?watch=true';
  const started = await new Promise<Event[]>((resolve, reject) => {
    const req = httpsRequest(`${s.url}${path}`, { ca: s.caCert, headers: { Authorization: `Bearer ${jane}`, 'Audit-ID': 'audit-watch' } }, (res) => {
      assert.equal(res.statusCode, 200);
      void eventsFor('audit-watch').then((found) => {
        res.destroy();
        resolve(found);
      }, reject);
    });
    req.on('error', reject);
    req.end();
  });
  assert.deepEqual(started.map((e) => e.stage), ['RequestReceived', 'ResponseStarted']);
  assert.deepEqual(started[1]!.responseStatus, { metadata: {}, code: 200 });
  const all = await waitForEvents('audit-watch', 3);
  assert.deepEqual(all.map((e) => e.stage), ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
  assert.equal(all[2]!.verb, 'watch');
  assert.deepEqual(all[2]!.responseStatus, { metadata: {}, code: 200 });
});

test('audit log: a TokenRequest at level Request carries the request object and the issued-credential-id annotation', async () => {
  const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['vault'] } };
  const res = await client(server()).post('/api/v1/namespaces/default/serviceaccounts/default/token').set('Authorization', `Bearer ${boss}`).set('Audit-ID', 'audit-token').send(body);
  assert.equal(res.status, 201, res.text);
  const jti = (JSON.parse(Buffer.from(String(res.body.status.token).split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
  const complete = (await eventsFor('audit-token')).find((e) => e.stage === 'ResponseComplete')!;
  assert.equal(complete.level, 'Request');
  assert.deepEqual(complete.objectRef, { resource: 'serviceaccounts', namespace: 'default', name: 'default', apiVersion: 'v1', subresource: 'token' });
  assert.equal((complete.annotations as Record<string, string>)['authentication.kubernetes.io/issued-credential-id'], `JTI=${jti}`);
  assert.equal((complete.requestObject as { kind: string }).kind, 'TokenRequest');
  assert.deepEqual((complete.requestObject as { spec: { audiences: string[] } }).spec.audiences, ['vault']);
  assert.equal(complete.responseObject, undefined, 'no response body below RequestResponse');
});

test('audit log: at RequestResponse a create logs its request and response bodies', async () => {
  const res = await client(server()).post('/api/v1/namespaces/audited/configmaps').set('Authorization', `Bearer ${boss}`).set('Audit-ID', 'audit-create').send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v' } });
  assert.equal(res.status, 201, res.text);
  const complete = (await eventsFor('audit-create')).find((e) => e.stage === 'ResponseComplete')!;
  assert.equal(complete.level, 'RequestResponse');
  assert.deepEqual((complete.requestObject as { data: unknown }).data, { k: 'v' });
  assert.deepEqual(complete.responseObject, res.body);
  assert.deepEqual(complete.responseStatus, { metadata: {}, code: 201 });
});

test('audit log: a create names its object from the body (LogRequestObject) and logs it as Go encodes it; a body without metadata is the 4xx it would be without auditing', async () => {
  const res = await client(server()).post('/api/v1/namespaces/audited/configmaps').set('Authorization', `Bearer ${boss}`).set('Audit-ID', 'audit-named').send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'named' } });
  assert.equal(res.status, 201, res.text);
  const complete = (await eventsFor('audit-named')).find((e) => e.stage === 'ResponseComplete')!;
  assert.deepEqual(complete.objectRef, { resource: 'configmaps', namespace: 'audited', name: 'named', apiVersion: 'v1' });
  assert.deepEqual(complete.requestObject, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'named' } });
  const bare = await client(server()).post('/api/v1/namespaces/audited/configmaps').set('Authorization', `Bearer ${boss}`).set('Audit-ID', 'audit-no-metadata').send({ apiVersion: 'v1', kind: 'ConfigMap' });
  assert.ok(bare.status >= 400 && bare.status < 500, `${bare.status} ${bare.text}`);
  const refused = (await eventsFor('audit-no-metadata')).find((e) => e.stage === 'ResponseComplete')!;
  assert.deepEqual((refused.requestObject as { metadata: unknown }).metadata, {});
});

test('audit log: an impersonating request names the impersonated user beside the real one', async () => {
  const res = await client(server()).get('/api/v1/namespaces/default/configmaps/web').set('Authorization', `Bearer ${boss}`).set('Impersonate-User', 'jane').set('Audit-ID', 'audit-impersonate');
  assert.equal(res.status, 200);
  const [received, complete] = await eventsFor('audit-impersonate');
  assert.deepEqual(received!.user, { username: 'boss', groups: ['system:masters', 'system:authenticated'] });
  assert.equal(received!.impersonatedUser, undefined, 'impersonation runs after WithAudit');
  assert.deepEqual(complete!.user, received!.user);
  assert.deepEqual(complete!.impersonatedUser, { username: 'jane', groups: ['system:authenticated'] });
});

test('audit log: a request the policy gives level None writes nothing', async () => {
  const res = await client(server()).get('/healthz').set('Audit-ID', 'audit-none');
  assert.equal(res.status, 200);
  assert.deepEqual(await eventsFor('audit-none'), []);
});

test('audit log: concurrent requests write whole lines, one event each', async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `audit-many-${i}`);
  await Promise.all(ids.map((id) => client(server()).get('/api/v1/namespaces/default/configmaps').set('Authorization', `Bearer ${jane}`).set('Audit-ID', id)));
  const all = await events();
  for (const id of ids) assert.deepEqual(all.filter((e) => e.auditID === id).map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
});

test('audit log: a bad policy file is refused at start, naming the file and the reason', async () => {
  const bad = join(dir, 'bad-policy.yaml');
  await writeFile(bad, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Everything\n');
  await assert.rejects(startServer({ port: 0, auditPolicyFile: bad, auditLogPath: logPath }), {
    message: `${bad}: loading audit policy file: rules[0].level: Unsupported value: "Everything": supported values: "None", "Metadata", "Request", "RequestResponse": from file ${bad}`,
  });
});

test('audit log: a PATCH at Request and above logs the patch as sent, compacted, as kube\'s LogRequestPatch does', async (t) => {
  const s = server();
  const created = await client(s).post('/api/v1/namespaces/audited/configmaps').set('Authorization', `Bearer ${boss}`).send({ metadata: { name: 'patched' }, data: { k: 'v' } });
  assert.equal(created.status, 201, created.text);
  const cases: { name: string; type: string; body: string; line: string; object: unknown }[] = [
    {
      name: 'a merge patch: whitespace dropped, <, > and & escaped as encoding/json does, keys and numbers as sent',
      type: 'application/merge-patch+json',
      body: '{ "data" : { "k": "<v&>" },\n  "metadata": {"labels": {"n": "1"}} }',
      line: '"requestObject":{"data":{"k":"\\u003cv\\u0026\\u003e"},"metadata":{"labels":{"n":"1"}}},"responseObject":',
      object: { data: { k: '<v&>' }, metadata: { labels: { n: '1' } } },
    },
    {
      name: 'a JSON patch: the array of operations',
      type: 'application/json-patch+json',
      body: '[ {"op": "replace", "path": "/data/k", "value": "w"} ]',
      line: '"requestObject":[{"op":"replace","path":"/data/k","value":"w"}],"responseObject":',
      object: [{ op: 'replace', path: '/data/k', value: 'w' }],
    },
    {
      name: 'a strategic merge patch',
      type: 'application/strategic-merge-patch+json',
      body: '{"data":{"k2":"x"}}',
      line: '"requestObject":{"data":{"k2":"x"}},"responseObject":',
      object: { data: { k2: 'x' } },
    },
  ];
  for (const [i, c] of cases.entries()) {
    await t.test(c.name, async () => {
      const id = `audit-patch-${i}`;
      const res = await client(s).patch('/api/v1/namespaces/audited/configmaps/patched').set('Authorization', `Bearer ${boss}`).set('Audit-ID', id).set('Content-Type', c.type).send(c.body);
      assert.equal(res.status, 200, res.text);
      const raw = (await readFile(logPath, 'utf8')).split('\n').find((l) => l.includes(`"auditID":"${id}","stage":"ResponseComplete"`))!;
      assert.ok(raw.includes(c.line), raw);
      const complete = JSON.parse(raw) as Event;
      assert.equal(complete.verb, 'patch');
      assert.deepEqual(complete.requestObject, c.object);
      assert.deepEqual(complete.responseObject, res.body);
    });
  }
});

test('audit log: a PATCH below level Request has no requestObject', async () => {
  const res = await client(server()).patch('/api/v1/namespaces/default/configmaps/web').set('Authorization', `Bearer ${boss}`).set('Audit-ID', 'audit-patch-metadata').set('Content-Type', 'application/merge-patch+json').send('{"data":{"b":"2"}}');
  assert.equal(res.status, 200, res.text);
  const complete = (await eventsFor('audit-patch-metadata')).find((e) => e.stage === 'ResponseComplete')!;
  assert.equal(complete.level, 'Metadata');
  assert.equal(complete.requestObject, undefined);
});

test('audit log: a PATCH body that is not JSON fails its ResponseComplete event, as encoding/json fails kube\'s; the request is answered (blocking mode)', async () => {
  const res = await client(server()).patch('/api/v1/namespaces/audited/configmaps/patched').set('Authorization', `Bearer ${boss}`).set('Audit-ID', 'audit-patch-bad').set('Content-Type', 'application/merge-patch+json').send('not json');
  assert.equal(res.status, 400, res.text);
  assert.deepEqual((await eventsFor('audit-patch-bad')).map((e) => e.stage), ['RequestReceived']);
  const error = serverLog.find((l) => l.msg.includes('id="audit-patch-bad"'));
  assert.equal(error?.level, 50, 'logged at error level');
  assert.match(error!.msg, /^Error in audit plugin 'log' affecting 1 audit events: json: error calling MarshalJSON for type \*runtime\.Unknown: invalid character 'o' in literal null \(expecting 'u'\)\nImpacted events:\n.* AUDIT: id="audit-patch-bad" stage="ResponseComplete" .* method="patch" user="boss" .* response="400"\n$/);
});

test('audit log: the --audit-log-* flags are checked as kube\'s AuditLogOptions.Validate checks them, one line naming the flag', async (t) => {
  const cases: { name: string; options: StartServerOptions; message: string }[] = [
    { name: 'negative maxage', options: { auditLogMaxAge: -1 }, message: "--audit-log-maxage: --audit-log-maxage -1 can't be a negative number" },
    { name: 'negative maxbackup', options: { auditLogMaxBackup: -2 }, message: "--audit-log-maxbackup: --audit-log-maxbackup -2 can't be a negative number" },
    { name: 'negative maxsize', options: { auditLogMaxSize: -3 }, message: "--audit-log-maxsize: --audit-log-maxsize -3 can't be a negative number" },
    { name: 'an unknown format', options: { auditLogFormat: 'xml' }, message: '--audit-log-format: invalid audit log format xml, allowed formats are "legacy,json"' },
    { name: 'an unknown mode', options: { auditLogMode: 'async' }, message: '--audit-log-mode: invalid audit log mode async, allowed modes are "batch,blocking,blocking-strict"' },
    { name: 'batch, not built', options: { auditLogMode: 'batch' }, message: '--audit-log-mode: the batch mode is not built in kube-auth-mock; use blocking (the default) or blocking-strict' },
    { name: 'the mode is checked first, as in kube', options: { auditLogMode: 'async', auditLogMaxAge: -1 }, message: '--audit-log-mode: invalid audit log mode async, allowed modes are "batch,blocking,blocking-strict"' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.rejects(startServer({ port: 0, auditPolicyFile: policyFile, auditLogPath: logPath, ...c.options }), { message: c.message }));
  }
  await t.test('without --audit-log-path the log flags are not checked (kube validates an enabled backend only)', async () => {
    const s = await startServer({ port: 0, auditPolicyFile: policyFile, auditLogMaxAge: -1, auditLogFormat: 'xml' });
    await s.stop();
  });
});

/** test/audit-decode: a Go program on k8s.io/apiserver v0.34.4's audit/v1 types. */
const AUDIT_DECODE = fileURLToPath(new URL('../audit-decode/', import.meta.url));

test('audit log: every line decodes strictly with k8s.io/apiserver\'s audit/v1 types and encodes back to the same bytes', async (t) => {
  const go = await promisify(execFile)('go', ['version']).catch(() => undefined);
  if (go === undefined) return t.skip('go is not on PATH: test/audit-decode cannot run');
  const { stdout } = await promisify(execFile)('go', ['run', '.', logPath], { cwd: AUDIT_DECODE, maxBuffer: 1 << 20 });
  const count = (await events()).length;
  assert.match(stdout, new RegExp(`^${count} events: \\d+ RequestReceived, [1-9]\\d* ResponseStarted, \\d+ ResponseComplete, 0 Panic\\n$`));
});
