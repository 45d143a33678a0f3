// The audit log file over real requests: lumberjack's rotation as kube-apiserver sets it up
// (staging/src/k8s.io/apiserver/pkg/server/options/audit.go getWriter: --audit-log-maxsize, -maxbackup, -compress),
// --audit-log-format legacy (pkg/audit/format.go EventString) and --audit-log-mode blocking / blocking-strict
// (AuditBatchOptions.wrapBackend; a RequestReceived that cannot be stored is responsewriters.InternalError).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { startServer, type KubeAuthMockServer, type StartServerOptions } from '../../src/index.js';
import { createLogger } from '../../src/util/log.js';
import { client, credentialsOf } from '../helpers/server.js';

const dir = await mkdtemp(join(tmpdir(), 'kam-audit-rotation-'));
after(() => rm(dir, { recursive: true, force: true }));
const policyFile = join(dir, 'audit-policy.yaml');
await writeFile(
  policyFile,
  `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: RequestResponse
  resources: [{group: "", resources: ["configmaps"]}]
- level: Metadata
`,
);

/** Runs `body` against a server started with these options, and always stops it. */
async function withServer(options: StartServerOptions, body: (s: KubeAuthMockServer, admin: string) => Promise<void>): Promise<void> {
  const s = await startServer({ port: 0, auditPolicyFile: policyFile, ...options });
  try {
    const admin = credentialsOf(await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'token' })).token!;
    await body(s, admin);
  } finally {
    await s.stop();
  }
}

const AUDIT_DECODE = fileURLToPath(new URL('../audit-decode/', import.meta.url));
const goMissing = await promisify(execFile)('go', ['version']).then(() => false, () => true);

/** The audit IDs and stages of a log file, each line parsed whole; a .gz is gunzipped. */
function eventsIn(path: string): string[] {
  const text = path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8');
  return text.split('\n').filter(Boolean).map((l) => {
    const e = JSON.parse(l) as { auditID: string; stage: string };
    return `${e.auditID} ${e.stage}`;
  });
}

test('--audit-log-maxsize 1 --audit-log-maxbackup 1 --audit-log-compress: rotated before the event that would pass 1 MB, one gzipped backup kept, no event lost or split', async () => {
  const logDir = join(dir, 'rotated');
  const logPath = join(logDir, 'audit.log');
  await withServer({ auditLogPath: logPath, auditLogMaxSize: 1, auditLogMaxBackup: 1, auditLogCompress: true }, async (s, admin) => {
    // Each create's ResponseComplete carries the 400 KB of data twice (requestObject, responseObject).
    for (let i = 1; i <= 3; i++) {
      const res = await client(s).post('/api/v1/namespaces/default/configmaps').set('Authorization', `Bearer ${admin}`).set('Audit-ID', `big-${i}`).send({ metadata: { name: `big-${i}` }, data: { blob: 'x'.repeat(400_000) } });
      assert.equal(res.status, 201, res.text);
    }
  });
  const files = readdirSync(logDir).sort();
  assert.equal(files.length, 2, files.join(' '));
  assert.match(files[0]!, /^audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}\.log\.gz$/);
  assert.equal(files[1], 'audit.log');
  // Rotations before big-2's and big-3's ResponseComplete; maxbackup 1 then removes the first backup.
  assert.deepEqual(eventsIn(join(logDir, files[0]!)), ['big-2 ResponseComplete', 'big-3 RequestReceived']);
  assert.deepEqual(eventsIn(logPath), ['big-3 ResponseComplete']);
  if (!goMissing) {
    const { stdout } = await promisify(execFile)('go', ['run', '.', join(logDir, files[0]!)], { cwd: AUDIT_DECODE, maxBuffer: 1 << 20 });
    assert.equal(stdout, '2 events: 1 RequestReceived, 0 ResponseStarted, 1 ResponseComplete, 0 Panic\n');
  }
});

test('--audit-log-format legacy: one EventString line per stage', async () => {
  const logPath = join(dir, 'legacy', 'audit.log');
  await withServer({ auditLogPath: logPath, auditLogFormat: 'legacy' }, async (s, admin) => {
    const res = await client(s).get('/api/v1/namespaces/default/secrets?limit=1').set('Authorization', `Bearer ${admin}`).set('Impersonate-User', 'jane').set('Audit-ID', 'legacy-1').set('User-Agent', 'legacy "test"');
    assert.equal(res.status, 403);
  });
  const lines = readFileSync(logPath, 'utf8').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 2);
  const time = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)`;
  const common = String.raw` ip="127\.0\.0\.1" method="list" user="admin" groups="\\"system:masters\\",\\"system:authenticated\\"" `;
  const uri = String.raw` user-agent="legacy \\"test\\"" namespace="default" uri="/api/v1/namespaces/default/secrets\?limit=1"`;
  assert.match(lines[0]!, new RegExp(`^${time} AUDIT: id="legacy-1" stage="RequestReceived"${common}as="<self>" asgroups="<lookup>"${uri} response="<deferred>"$`));
  assert.match(lines[1]!, new RegExp(`^${time} AUDIT: id="legacy-1" stage="ResponseComplete"${common}as="jane" asgroups="\\\\"system:authenticated\\\\""${uri} response="403"$`));
  // Both stages print the request's receive time.
  assert.equal(lines[0]!.split(' ')[0], lines[1]!.split(' ')[0]);
});

test('--audit-log-mode: blocking logs a failed write and serves the request; blocking-strict answers 500 when RequestReceived cannot be stored', { skip: process.platform !== 'linux' && '/dev/full is Linux' }, async (t) => {
  const cases: { mode: string | undefined; status: number; text?: string; errors: number }[] = [
    { mode: undefined, status: 200, errors: 2 },
    { mode: 'blocking', status: 200, errors: 2 },
    { mode: 'blocking-strict', status: 500, text: 'Internal Server Error: "/api/v1/namespaces/default/configmaps?a=b&amp;c": failed to store audit event\n', errors: 1 },
  ];
  for (const c of cases) {
    await t.test(c.mode ?? 'the default', async () => {
      const errors: string[] = [];
      const log = createLogger('json', new Writable({ write: (chunk: Buffer, _e, done) => void (errors.push((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg), done()) }));
      // /dev/full: every write fails with ENOSPC, as a full disk does.
      await withServer({ auditLogPath: '/dev/full', log, ...(c.mode !== undefined ? { auditLogMode: c.mode } : {}) }, async (s, admin) => {
        // http.Error's text: the URI %q-quoted, & (and <, >) replaced so it cannot read as HTML.
        const res = await client(s).get('/api/v1/namespaces/default/configmaps?a=b&c').set('Authorization', `Bearer ${admin}`).set('Audit-ID', 'full');
        assert.equal(res.status, c.status, res.text);
        if (c.text !== undefined) {
          assert.equal(res.text, c.text);
          assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
          assert.equal(res.headers['x-content-type-options'], 'nosniff');
        }
      });
      const audit = errors.filter((m) => m.startsWith("Error in audit plugin 'log' affecting 1 audit events: "));
      assert.equal(audit.length, c.errors, audit.join('\n'));
      assert.match(audit[0]!, /ENOSPC[^]*AUDIT: id="full" stage="RequestReceived"/);
    });
  }
});
