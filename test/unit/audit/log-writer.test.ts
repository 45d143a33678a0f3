// The json log backend (staging/src/k8s.io/apiserver/plugin/pkg/audit/log/backend.go): one whole line per event,
// and a failed write reported in kube's words (audit.HandlePluginError), never swallowed.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encodeEvent, microTime, type AuditEvent } from '../../../src/audit/event.js';
import { openAuditLog } from '../../../src/audit/log-writer.js';

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
