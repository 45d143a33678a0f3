// The kubectl parity harness itself, without any server: what kubectl's text keeps after normalising, how tables
// are laid out again, how differences are found line by line, and how known-differences entries narrow to a
// kubectl version.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { judge, loadKnownDifferences } from './known-differences.js';
import { kubectlEntries } from './kubectl-replay.js';
import { compareKubectlSnapshots, normalizeKubectlText, realignTable, type KubectlSnapshot } from './kubectl-run.js';
import type { ParityTarget } from './run.js';

const ws = { dir: '/tmp/kam-parity-kubectl-abc', target: { url: 'https://127.0.0.1:40123' } as ParityTarget };

test('kubectl text: paths, address, klog prefix, uids, times, resource versions, fingerprints and versions are masked', () => {
  const text = [
    'E1203 23:41:10.123456   12345 memcache.go:265] "Unhandled Error" err="Get \\"https://127.0.0.1:40123/api\\": x"',
    'error: open /tmp/kam-parity-kubectl-abc/admin.kubeconfig: nope',
    '  uid: 0b7c6f1e-1d2a-4c3b-9e8f-1234567890ab',
    '  creationTimestamp: "2026-12-03T23:41:10Z"',
    '  resourceVersion: "4711"',
    '        "resourceVersion": "4711",',
    'Extra: authentication.kubernetes.io/credential-id   [X509SHA256=00ff]',
    'Client Version: v1.33.5-dispatcher',
    'Warning: version difference between client (1.37) and server (1.34) exceeds the supported minor version skew of +/-1',
    '',
  ].join('\n');
  assert.deepEqual(normalizeKubectlText(text, ws), [
    '<klog> memcache.go:265] "Unhandled Error" err="Get \\"https://<server>/api\\": x"',
    'error: open <tmp>/admin.kubeconfig: nope',
    '  uid: <uid>',
    '  creationTimestamp: "<time>"',
    '  resourceVersion: "<resourceVersion>"',
    '        "resourceVersion": "<resourceVersion>",',
    'Extra: authentication.kubernetes.io/credential-id   [X509SHA256=<fingerprint>]',
    'Client Version: <version>',
    'Warning: version difference between client (<version>) and server (<version>) exceeds the supported minor version skew of +/-1',
  ]);
});

test('a table\'s ages are masked and the table laid out again, whatever their width', () => {
  const young = ['NAME     STATUS   AGE', 'default  Active   9s', 'parity   Active   9s'].join('\n');
  const old = ['NAME     STATUS   AGE', 'default  Active   119s', 'parity   Active   2m1s'].join('\n');
  const wide = ['NAME   ROLE       AGE    USERS   GROUPS', 'b      Role/r     119s   bob     ', 'p      Role/p     9s             devs'].join('\n');
  assert.deepEqual(normalizeKubectlText(young, ws), normalizeKubectlText(old, ws));
  assert.deepEqual(normalizeKubectlText(young, ws), ['NAME      STATUS   AGE', 'default   Active   <age>', 'parity    Active   <age>']);
  assert.deepEqual(normalizeKubectlText(wide, ws), ['NAME   ROLE     AGE     USERS   GROUPS', 'b      Role/r   <age>   bob', 'p      Role/p   <age>           devs']);
});

test('filtered table rows are laid out as if printed alone; multi-word titles stay one column', () => {
  const table = ['NAME                 SHORTNAMES   KIND', 'configmaps           cm           ConfigMap', 'x                                 Y'];
  assert.deepEqual(realignTable(table), ['NAME         SHORTNAMES   KIND', 'configmaps   cm           ConfigMap', 'x                         Y']);
  assert.deepEqual(realignTable(['NAME   CREATED AT', 'a      2026-12-03T23:41:10Z']), ['NAME   CREATED AT', 'a      2026-12-03T23:41:10Z']);
});

const snapshot = (stdout: string[], stderr: string[], exitCode = 0, args = ['auth', 'whoami']): KubectlSnapshot => ({
  scenario: 'kubectl/s',
  description: '',
  kubectl: '1.33',
  commands: [{ command: { as: 'jane', args }, result: { exitCode, stdout, stderr } }],
});

test('differences are found line by line; an edited command is never excusable', () => {
  const d = compareKubectlSnapshots(snapshot(['a', 'b'], ['e']), snapshot(['a', 'B', 'c'], ['e'], 1));
  assert.deepEqual(d.map((x) => x.path), ['commands[0].exitCode', 'commands[0].stdout[1]', 'commands[0].stdout[2]']);
  assert.deepEqual(compareKubectlSnapshots(snapshot([], []), snapshot([], [], 0, ['version'])).map((x) => x.kind), ['scenario-changed']);
});

test('known differences of kubectl scenarios: commands paths, an optional kubectl field narrowing to versions', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kam-kd-'));
  try {
    const file = join(dir, 'kd.yaml');
    await writeFile(file, "- scenarios: [kubectl/s]\n  kubectl: ['1.37']\n  reason: r\n  differs: ['commands[0].stdout']\n- scenarios: [kubectl/t]\n  reason: r\n  differs: ['commands[*].stderr']\n");
    const known = await loadKnownDifferences(file);
    assert.equal(kubectlEntries(known, 'kubectl/s', '1.33').length, 0);
    assert.equal(kubectlEntries(known, 'kubectl/s', '1.37').length, 1);
    assert.equal(kubectlEntries(known, 'kubectl/t', '1.33').length, 1);
    const diffs = compareKubectlSnapshots(snapshot(['a'], []), snapshot(['b'], []));
    assert.equal(judge(diffs, kubectlEntries(known, 'kubectl/s', '1.37')).kind, 'known');
    assert.equal(judge(diffs, kubectlEntries(known, 'kubectl/s', '1.33')).kind, 'unexplained');
    await writeFile(file, "- scenarios: [kubectl/s]\n  kubectl: [latest]\n  reason: r\n  differs: ['commands[0]']\n");
    await assert.rejects(loadKnownDifferences(file), /kubectl must list kubectl versions/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
