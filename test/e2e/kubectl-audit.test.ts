// The audit log read back after real kubectl calls (the newest kubectl on the machine): a list, a create,
// `kubectl create token` (a protobuf TokenRequest body, logged at level Request as the object it decodes to,
// with TokenRequest's authentication.kubernetes.io/issued-credential-id annotation) and `kubectl patch` (the patch
// as sent: kube's audit.LogRequestPatch). Then the serve command's --audit-log-max* flags, parsed as pflag's IntVar.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { newestKubectl, runClient, tempDir } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let admin: string;
let logPath: string;
const server = useServer(async () => {
  tmp = await tempDir('kam-kubectl-audit-');
  logPath = `${tmp.dir}/audit.log`;
  const policy = await tmp.write(
    'audit-policy.yaml',
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: ["RequestReceived"]\nrules:\n- level: Request\n  resources: [{group: "", resources: ["serviceaccounts/token", "serviceaccounts"]}]\n- level: Metadata\n',
  );
  return { auditPolicyFile: policy, auditLogPath: logPath };
});

before(async () => {
  const s = await server.ready();
  admin = await tmp.write('admin.kubeconfig', await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
});
after(async () => {
  await tmp?.remove();
});

type Event = { stage: string; verb: string; user: { username?: string }; userAgent?: string; objectRef?: { resource?: string; subresource?: string }; level: string; requestObject?: { kind?: string; spec?: { expirationSeconds?: number }; metadata?: unknown }; annotations?: Record<string, string> };

test('kubectl: get, create serviceaccount, create token and patch are audited, one ResponseComplete each', async () => {
  const { path } = newestKubectl();
  const kubectl = (...args: string[]) => runClient(path, ['--cache-dir', `${tmp.dir}/cache`, '--kubeconfig', admin, ...args]);
  assert.equal((await kubectl('get', 'configmaps', '-n', 'default')).code, 0);
  const created = await kubectl('create', 'serviceaccount', 'builder', '-n', 'default');
  assert.equal(created.code, 0, created.stderr);
  const issued = await kubectl('create', 'token', 'builder', '-n', 'default', '--duration', '10m');
  assert.equal(issued.code, 0, issued.stderr);
  const jti = (JSON.parse(Buffer.from(issued.stdout.trim().split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
  const patched = await kubectl('patch', 'serviceaccount', 'builder', '-n', 'default', '-p', '{"metadata":{"labels":{"team":"ci"}}}');
  assert.equal(patched.code, 0, patched.stderr);

  const events = (await readFile(logPath, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
  assert.ok(events.every((e) => e.stage === 'ResponseComplete'), 'RequestReceived is omitted by the policy');
  const list = events.find((e) => e.verb === 'list' && e.objectRef?.resource === 'configmaps');
  assert.equal(list?.user.username, 'admin');
  assert.match(String(list?.userAgent), /^kubectl/);
  assert.ok(events.some((e) => e.verb === 'create' && e.objectRef?.resource === 'serviceaccounts' && e.objectRef.subresource === undefined));
  const token = events.find((e) => e.objectRef?.subresource === 'token');
  assert.equal(token?.level, 'Request');
  assert.equal(token?.requestObject?.kind, 'TokenRequest');
  assert.equal(token?.requestObject?.spec?.expirationSeconds, 600);
  assert.equal(token?.annotations?.['authentication.kubernetes.io/issued-credential-id'], `JTI=${jti}`);
  const patch = events.find((e) => e.verb === 'patch');
  assert.equal(patch?.level, 'Request');
  assert.deepEqual(patch?.requestObject, { metadata: { labels: { team: 'ci' } } }, 'the strategic merge patch kubectl sent, not the patched object');
});

test('serve: the --audit-log-max* flags are whole numbers as pflag parses them, checked as kube checks them, one line each', async (t) => {
  const cases: { args: string[]; message: string }[] = [
    { args: ['--audit-log-maxsize', '10MB'], message: '--audit-log-maxsize: invalid argument "10MB" for "--audit-log-maxsize" flag: strconv.ParseInt: parsing "10MB": invalid syntax' },
    { args: ['--audit-log-maxbackup', '99999999999999999999'], message: '--audit-log-maxbackup: invalid argument "99999999999999999999" for "--audit-log-maxbackup" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range' },
    { args: ['--audit-log-maxage=-0x10'], message: "--audit-log-maxage: --audit-log-maxage -16 can't be a negative number" },
  ];
  for (const c of cases) {
    await t.test(c.args.join(' '), async () => {
      const res = await cli('serve', '--secure-port', '0', '--pki-dir', `${tmp.dir}/pki-flags`, '--audit-policy-file', `${tmp.dir}/audit-policy.yaml`, '--audit-log-path', `${tmp.dir}/flags.log`, ...c.args);
      assert.equal(res.code, 1);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
      assert.ok(res.stderr.includes(c.message), res.stderr);
    });
  }
});
