// The log backend (staging/src/k8s.io/apiserver/plugin/pkg/audit/log/backend.go): one whole line per event, json or
// legacy (pkg/audit/format.go's EventString), a failed write reported in kube's words (audit.HandlePluginError),
// never swallowed; and the file under it, gopkg.in/natefinch/lumberjack.v2 v2.2.1's Logger (lumberjack.go):
// rotation before a write that would not fit, backups named NAME-<UTC time>.EXT, pruned by count and age, gzipped.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { encodeEvent, microTime, RawRequestBody, type AuditEvent } from '../../../src/audit/event.js';
import { eventString, rfc3339NanoLocal } from '../../../src/audit/format.js';
import { openAuditLog } from '../../../src/audit/log-writer.js';
import { backupTimestamp, Lumberjack, parseBackupTimestamp } from '../../../src/audit/lumberjack.js';

// The legacy format prints the server's local time: a zone with a half-hour offset shows the offset is written.
process.env.TZ = 'Asia/Kolkata';

const dir = await mkdtemp(join(tmpdir(), 'kam-audit-writer-'));
after(() => rm(dir, { recursive: true, force: true }));

const EVENT: AuditEvent = {
  level: 'Metadata',
  auditID: 'a1',
  stage: 'ResponseComplete',
  requestURI: '/version',
  verb: 'get',
  user: { username: 'jane', uid: '', groups: ['system:authenticated'], extra: {} },
  sourceIPs: ['127.0.0.1'],
  userAgent: 'kubectl/v1.34.4',
  responseStatus: { code: 200 },
  requestReceivedMicros: 1_700_000_000_123_456,
  stageMicros: 1_700_000_000_223_456,
  annotations: { 'z.example/b': '2', 'a.example/a': '1' },
};

test('event.ts: types.go\'s order, omitempty, sorted annotations and MicroTime', () => {
  assert.equal(
    encodeEvent(EVENT),
    '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","requestURI":"/version","verb":"get",' +
      '"user":{"username":"jane","groups":["system:authenticated"]},"sourceIPs":["127.0.0.1"],"userAgent":"kubectl/v1.34.4","responseStatus":{"metadata":{},"code":200},' +
      '"requestReceivedTimestamp":"2023-11-14T22:13:20.123456Z","stageTimestamp":"2023-11-14T22:13:20.223456Z","annotations":{"a.example/a":"1","z.example/b":"2"}}\n',
  );
  assert.equal(microTime(0), '1970-01-01T00:00:00.000000Z');
});

test('log-writer.ts: events are appended one line each; the folder is made', async () => {
  const path = join(dir, 'nested', 'audit.log');
  const errors: string[] = [];
  const sink = openAuditLog(path, (m) => errors.push(m));
  assert.equal(sink.write(EVENT), true);
  assert.equal(sink.write({ ...EVENT, auditID: 'a2' }), true);
  sink.close();
  const lines = (await readFile(path, 'utf8')).split('\n');
  assert.deepEqual(lines.map((l) => (l === '' ? '' : (JSON.parse(l) as { auditID: string }).auditID)), ['a1', 'a2', '']);
  assert.deepEqual(errors, []);
});

test('log-writer.ts: a failed write is reported as kube\'s HandlePluginError, and the sink says so', () => {
  const errors: string[] = [];
  const sink = openAuditLog(join(dir, 'closed.log'), (m) => errors.push(m));
  sink.close();
  assert.equal(sink.write(EVENT), false);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^Error in audit plugin 'log' affecting 1 audit events: /);
});

test('log-writer.ts: /dev/full (a full disk) is reported, not swallowed', { skip: process.platform !== 'linux' }, () => {
  const errors: string[] = [];
  const sink = openAuditLog('/dev/full', (m) => errors.push(m));
  assert.equal(sink.write(EVENT), false);
  sink.close();
  assert.match(errors[0]!, /^Error in audit plugin 'log' affecting 1 audit events: .*ENOSPC/);
});

test('log-writer.ts: "-" whose reader goes away (EPIPE) is a reported write error, not the end of the process', async () => {
  const script = [
    `import { openAuditLog } from ${JSON.stringify(fileURLToPath(new URL('../../../src/audit/log-writer.ts', import.meta.url)))};`,
    "const sink = openAuditLog('-', (m) => process.stderr.write('reported: ' + m.split('\\n')[0] + '\\n'));",
    "const event = { level: 'Metadata', auditID: 'a', stage: 'ResponseComplete', requestURI: '/', verb: 'get', user: { username: 'u' }, sourceIPs: [], requestReceivedMicros: 1, stageMicros: 1 };",
    'for (let i = 0; i < 5000; i++) sink.write(event);',
    "setTimeout(() => process.stderr.write('alive\\n'), 200);",
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the reader of stdout is gone before the first event
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /^reported: Error in audit plugin 'log' affecting 1 audit events: write EPIPE$/m);
  assert.match(stderr, /^alive$/m);
});

test('log-writer.ts: a failed write names the event as EventString prints it (HandlePluginError\'s "Impacted events")', () => {
  const errors: string[] = [];
  const sink = openAuditLog(join(dir, 'closed2.log'), (m) => errors.push(m));
  sink.close();
  sink.write(EVENT);
  assert.equal(errors[0], `Error in audit plugin 'log' affecting 1 audit events: write ${join(dir, 'closed2.log')}: file already closed\nImpacted events:\n${eventString(EVENT)}\n`);
});

test('format.ts: EventString, field by field (format.go)', async (t) => {
  const cases: { name: string; event: AuditEvent; expected: string }[] = [
    {
      name: 'a user with groups, no response yet',
      event: { ...EVENT, stage: 'RequestReceived', responseStatus: undefined, objectRef: { resource: 'configmaps', namespace: 'default', name: 'web' } },
      expected:
        '2023-11-15T03:43:20.123456+05:30 AUDIT: id="a1" stage="RequestReceived" ip="127.0.0.1" method="get" user="jane" groups="\\"system:authenticated\\"" ' +
        'as="<self>" asgroups="<lookup>" user-agent="kubectl/v1.34.4" namespace="default" uri="/version" response="<deferred>"',
    },
    {
      name: 'no user (a 401): <none> for both, whatever the groups',
      event: { ...EVENT, user: { groups: ['x'] }, sourceIPs: [], userAgent: undefined, responseStatus: { code: 401 }, requestReceivedMicros: 1_700_000_000_100_000 },
      expected: '2023-11-15T03:43:20.1+05:30 AUDIT: id="a1" stage="ResponseComplete" ip="<unknown>" method="get" user="<none>" groups="<none>" as="<self>" asgroups="<lookup>" user-agent="" namespace="<none>" uri="/version" response="401"',
    },
    {
      name: 'impersonated, quotes and control characters %q-escaped, a status without a code',
      event: { ...EVENT, impersonatedUser: { username: 'bob', groups: ['a"b', 'c'] }, userAgent: 'ua\t"é"\u0001', responseStatus: {}, requestReceivedMicros: 1_700_000_000_000_000 },
      expected: '2023-11-15T03:43:20+05:30 AUDIT: id="a1" stage="ResponseComplete" ip="127.0.0.1" method="get" user="jane" groups="\\"system:authenticated\\"" as="bob" asgroups="\\"a\\\\\\"b\\",\\"c\\"" user-agent="ua\\t\\"é\\"\\x01" namespace="<none>" uri="/version" response="0"',
    },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(eventString(c.event), c.expected));
  assert.equal(rfc3339NanoLocal(0), '1970-01-01T05:30:00+05:30');
});

test('event.ts: a raw patch body is compacted and HTML-escaped as encoding/json does a Marshaler\'s output; bytes that are not JSON fail the event', () => {
  const patch = '{ "metadata" : {"labels": {"a": "<b>&"}} ,\n  "data": {"n": 1.0, "s": "x \\" y  z"} }';
  const line = encodeEvent({ ...EVENT, verb: 'patch', level: 'Request', requestObject: new RawRequestBody(Buffer.from(patch)) });
  assert.match(line, /"responseStatus":\{"metadata":\{\},"code":200\},"requestObject":\{"metadata":\{"labels":\{"a":"\\u003cb\\u003e\\u0026"\}\},"data":\{"n":1\.0,"s":"x \\" y  z"\}\},"requestReceivedTimestamp"/);
  assert.match(encodeEvent({ ...EVENT, verb: 'patch', requestObject: new RawRequestBody(Buffer.from('[{"op":"add","path":"/a","value":1}]')) }), /"requestObject":\[\{"op":"add","path":"\/a","value":1\}\],/);
  assert.throws(() => encodeEvent({ ...EVENT, requestObject: new RawRequestBody(Buffer.from('{"a":')) }), {
    message: 'json: error calling MarshalJSON for type *runtime.Unknown: unexpected end of JSON input',
  });
  const errors: string[] = [];
  const path = join(dir, 'bad-patch.log');
  const sink = openAuditLog(path, (m) => errors.push(m));
  assert.equal(sink.write({ ...EVENT, requestObject: new RawRequestBody(Buffer.from('not json')) }), false);
  sink.close();
  assert.match(errors[0]!, /^Error in audit plugin 'log' affecting 1 audit events: json: error calling MarshalJSON for type \*runtime\.Unknown: invalid character 'o' in literal null \(expecting 'u'\)\n/);
  assert.equal(existsSync(path) ? readFileSync(path, 'utf8') : '', '', 'nothing written');
});

const AUDIT_DECODE = fileURLToPath(new URL('../../audit-decode/', import.meta.url));
const goMissing = await promisify(execFile)('go', ['version']).then(() => false, () => true);

test('legacy and json logs of the same events: Go decodes the json one and prints EventString exactly as our legacy one', { skip: goMissing && 'go is not on PATH' }, async () => {
  const events: AuditEvent[] = [
    EVENT,
    { ...EVENT, auditID: 'a2', stage: 'RequestReceived', responseStatus: undefined, objectRef: { resource: 'pods', namespace: 'kube-system', name: 'p' } },
    { ...EVENT, auditID: 'a3', user: {}, sourceIPs: undefined, userAgent: 'odd "ua"\t<&>', requestReceivedMicros: 1_700_000_000_000_000 },
    { ...EVENT, auditID: 'a4', impersonatedUser: { username: 'bob', groups: ['system:authenticated'] }, responseStatus: { code: 403, status: 'Failure' }, requestURI: '/api?x=<y>&z' },
    { ...EVENT, auditID: 'a5', level: 'Request', verb: 'patch', requestObject: new RawRequestBody(Buffer.from('{ "data" : { "k": "<v>" } }')), requestReceivedMicros: 1_700_000_000_120_000 },
  ];
  const jsonPath = join(dir, 'same.json.log');
  const legacyPath = join(dir, 'same.legacy.log');
  const json = openAuditLog(jsonPath, assert.fail);
  const legacy = openAuditLog(legacyPath, assert.fail, { format: 'legacy' });
  for (const e of events) assert.ok(json.write(e) && legacy.write(e));
  json.close();
  legacy.close();
  const { stdout } = await promisify(execFile)('go', ['run', '.', '-legacy', jsonPath], { cwd: AUDIT_DECODE, env: { ...process.env, TZ: 'Asia/Kolkata' } });
  assert.equal(stdout, await readFile(legacyPath, 'utf8'));
});

/** A log's lines, each parsed: every line must be one whole event. */
function lines(path: string): string[] {
  const text = path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8');
  assert.ok(text.endsWith('\n'));
  return text.split('\n').slice(0, -1).map((l) => (JSON.parse(l) as { auditID: string }).auditID);
}

const LINE = encodeEvent(EVENT).length;
const AT = new Date(Date.UTC(2026, 11, 4, 10, 30, 15, 42));

test('lumberjack.ts: backup names and times in lumberjack\'s backupTimeFormat, parsed as Go\'s time.Parse does', async (t) => {
  assert.equal(backupTimestamp(AT), '2026-12-04T10-30-15.042');
  const cases: [string, number | undefined][] = [
    ['2026-12-04T10-30-15.042', AT.getTime()],
    ['2024-02-29T00-00-00.000', Date.UTC(2024, 1, 29)],
    ['2023-02-29T00-00-00.000', undefined],
    ['2026-04-31T00-00-00.000', undefined],
    ['2026-12-04T24-00-00.000', undefined],
    ['2026-12-04T10-30-15.04', undefined],
    ['2026-12-04T10:30:15.042', undefined],
    ['2026-13-04T10-30-15.042', undefined],
  ];
  for (const [text, expected] of cases) await t.test(text, () => assert.equal(parseBackupTimestamp(text), expected));
});

test('lumberjack.ts: a write that would pass maxsize rotates first; backups are NAME-<UTC time>.EXT, the same millisecond moved on one', async () => {
  const d = join(dir, 'rotate');
  const path = join(d, 'audit.log');
  const sink = openAuditLog(path, assert.fail, { maxSizeBytes: 2 * LINE + 1, now: () => AT });
  for (let i = 1; i <= 5; i++) assert.equal(sink.write({ ...EVENT, auditID: `r${i}` }), true);
  sink.close();
  assert.deepEqual(readdirSync(d).sort(), ['audit-2026-12-04T10-30-15.042.log', 'audit-2026-12-04T10-30-15.043.log', 'audit.log']);
  assert.deepEqual(lines(join(d, 'audit-2026-12-04T10-30-15.042.log')), ['r1', 'r2']);
  assert.deepEqual(lines(join(d, 'audit-2026-12-04T10-30-15.043.log')), ['r3', 'r4']);
  assert.deepEqual(lines(path), ['r5']);
  for (const f of readdirSync(d)) assert.equal(statSync(join(d, f)).mode & 0o777, 0o600, f);
});

test('lumberjack.ts: an existing log that the first write would fill is rotated on open; its mode is kept', async () => {
  const d = join(dir, 'existing');
  await mkdir(d);
  const path = join(d, 'audit');
  writeFileSync(path, encodeEvent({ ...EVENT, auditID: 'old' }), { mode: 0o640 });
  chmodSync(path, 0o640);
  const sink = openAuditLog(path, assert.fail, { maxSizeBytes: 2 * LINE, now: () => AT });
  assert.equal(sink.write({ ...EVENT, auditID: 'new' }), true);
  sink.close();
  // No extension: the time is appended (filepath.Ext is "").
  assert.deepEqual(lines(join(d, 'audit-2026-12-04T10-30-15.042')), ['old']);
  assert.deepEqual(lines(path), ['new']);
  assert.equal(statSync(path).mode & 0o777, 0o640);
});

test('lumberjack.ts: an event larger than maxsize is refused in lumberjack\'s words, and reported', () => {
  const errors: string[] = [];
  const sink = openAuditLog(join(dir, 'small.log'), (m) => errors.push(m), { maxSizeBytes: 10 });
  assert.equal(sink.write(EVENT), false);
  sink.close();
  assert.match(errors[0]!, new RegExp(`^Error in audit plugin 'log' affecting 1 audit events: write length ${LINE} exceeds maximum file size 10\\n`));
});

test('lumberjack.ts: maxbackup keeps the newest backups (a backup and its .gz count once); maxage drops the old ones; other files stay', async (t) => {
  const cases: { name: string; opts: { maxBackups?: number; maxAgeDays?: number }; before: string[]; after: string[] }[] = [
    {
      name: 'maxbackup 2, on the first write',
      opts: { maxBackups: 2 },
      before: ['audit-2026-12-01T00-00-00.000.log', 'audit-2026-12-02T00-00-00.000.log', 'audit-2026-12-02T00-00-00.000.log.gz', 'audit-2026-12-03T00-00-00.000.log.gz', 'notes.txt', 'audit-x.log'],
      after: ['audit-2026-12-02T00-00-00.000.log', 'audit-2026-12-02T00-00-00.000.log.gz', 'audit-2026-12-03T00-00-00.000.log.gz', 'audit-x.log', 'audit.log', 'notes.txt'],
    },
    {
      name: 'maxage 2 days, by the time in the name',
      opts: { maxAgeDays: 2 },
      before: ['audit-2026-12-01T00-00-00.000.log', 'audit-2026-12-02T10-30-15.041.log', 'audit-2026-12-02T10-30-15.043.log.gz', 'audit-2020-01-01T00-00-00.000.log.gz'],
      after: ['audit-2026-12-02T10-30-15.043.log.gz', 'audit.log'],
    },
    {
      name: 'both 0: nothing is pruned',
      opts: {},
      before: ['audit-2020-01-01T00-00-00.000.log', 'audit-2020-01-02T00-00-00.000.log'],
      after: ['audit-2020-01-01T00-00-00.000.log', 'audit-2020-01-02T00-00-00.000.log', 'audit.log'],
    },
  ];
  for (const [i, c] of cases.entries()) {
    await t.test(c.name, async () => {
      const d = join(dir, `prune-${i}`);
      await mkdir(d);
      for (const f of c.before) writeFileSync(join(d, f), 'x\n');
      const sink = openAuditLog(join(d, 'audit.log'), assert.fail, { ...c.opts, now: () => AT });
      assert.equal(sink.write(EVENT), true);
      sink.close();
      assert.deepEqual(readdirSync(d).sort(), c.after);
    });
  }
});

test('lumberjack.ts: compress gzips each rotated file to .gz (the log\'s mode), removing the plain one; Go reads it back', async () => {
  const d = join(dir, 'compress');
  const path = join(d, 'audit.log');
  const sink = openAuditLog(path, assert.fail, { maxSizeBytes: 2 * LINE, maxBackups: 1, compress: true, now: () => AT });
  for (let i = 1; i <= 5; i++) assert.equal(sink.write({ ...EVENT, auditID: `c${i}` }), true);
  sink.close();
  // Two lines fill 2*LINE exactly (lumberjack rotates when size+len > max): rotations before c3 and c5, and
  // maxbackup 1 drops the first backup (.042.log.gz) when the second (.043: .042 was taken by then) is made.
  const backup = join(d, 'audit-2026-12-04T10-30-15.043.log.gz');
  assert.deepEqual(readdirSync(d).sort(), ['audit-2026-12-04T10-30-15.043.log.gz', 'audit.log']);
  assert.deepEqual(lines(backup), ['c3', 'c4']);
  assert.deepEqual(lines(path), ['c5']);
  assert.equal(statSync(backup).mode & 0o777, 0o600);
  if (!goMissing) {
    const { stdout } = await promisify(execFile)('go', ['run', '.', backup], { cwd: AUDIT_DECODE });
    assert.equal(stdout, '2 events: 0 RequestReceived, 0 ResponseStarted, 2 ResponseComplete, 0 Panic\n');
  }
});

test('lumberjack.ts: Rotate with no log yet starts one (nothing to rename)', () => {
  const path = join(dir, 'lj', 'direct.log');
  const lj = new Lumberjack(path, { now: () => AT });
  lj.rotate();
  lj.write(Buffer.from('a\n'));
  lj.close();
  assert.equal(readFileSync(path, 'utf8'), 'a\n');
});
