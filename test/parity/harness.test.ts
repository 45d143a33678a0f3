// The parity harness itself: normalising, comparing and judging, and a check that needs no reference server:
// two mocks on two independent set-ups (other keys, other certificates, other ports) must give identical
// snapshots for every scenario, or something volatile is not masked and would show as a false difference.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareSnapshots } from './compare.js';
import { checkFidelityDoc, DOC_END, DOC_START, writeFidelityDoc } from './docs.js';
import { judge, type KnownDifference, type KnownDifferences } from './known-differences.js';
import { maskVolatile, MASK, normalizeResponse, sortAt } from './normalize.js';
import { allScenarios, ReplayMocks } from './replay.js';
import { runScenario, type Snapshot } from './run.js';

test('volatile values are masked, the rest is kept as sent', () => {
  const masked = maskVolatile({
    metadata: { name: 'x-abcde', generateName: 'x-', uid: '0b7c6f1e-1d2a-4c3b-9e8f-1234567890ab', resourceVersion: '42', creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'm', time: '2026-01-01T00:00:00Z' }] },
    status: { userInfo: { uid: 'alice-uid', extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=00ff'] } } },
  });
  assert.deepEqual(masked, {
    metadata: { name: `x-${MASK.generated}`, generateName: 'x-', uid: MASK.uid, resourceVersion: MASK.resourceVersion, creationTimestamp: MASK.time, managedFields: [{ manager: 'm', time: MASK.time }] },
    status: { userInfo: { uid: 'alice-uid', extra: { 'authentication.kubernetes.io/credential-id': [MASK.certificate] } } },
  });
});

test('unordered paths are sorted, with * for any key or index', () => {
  assert.deepEqual(sortAt({ status: { rules: [{ v: 2 }, { v: 1 }] }, other: [2, 1] }, ['status', 'rules']), { status: { rules: [{ v: 1 }, { v: 2 }] }, other: [2, 1] });
  assert.deepEqual(sortAt({ items: [{ verbs: ['b', 'a'] }] }, ['items', '*', 'verbs']), { items: [{ verbs: ['a', 'b'] }] });
});

test('headers: content type, challenge, each warning, and only the presence of Audit-Id', () => {
  const r = normalizeResponse({}, { status: 401, headers: { 'content-type': 'application/json', 'audit-id': 'abc', warning: '299 - "a, b", 299 - "c"' }, body: Buffer.from('{"kind":"Status"}') });
  assert.deepEqual(r, { status: 401, headers: { 'audit-id': true, 'content-type': 'application/json', warning: ['299 - "a, b"', '299 - "c"'] }, json: { kind: 'Status' } });
  assert.deepEqual(normalizeResponse({}, { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('404 page not found\n') }).text, '404 page not found\n');
});

const snap = (json: object, keyOrder?: boolean): Snapshot => ({
  scenario: 'g/s',
  description: '',
  requests: [{ request: { method: 'GET', path: '/', as: 'admin' }, response: { status: 200, headers: { 'audit-id': true }, json: keyOrder ? { b: 1, a: 2 } : (json as never) } }],
});

test('compare: values, key order, and a scenario edited since its recording', () => {
  assert.deepEqual(compareSnapshots(snap({ a: 1 }), snap({ a: 1 })), []);
  assert.deepEqual(compareSnapshots(snap({ a: 1 }), snap({ a: 2 })).map((d) => d.path), ['requests[0].json.a']);
  assert.deepEqual(compareSnapshots(snap({ a: 2, b: 1 }), snap({}, true)).map((d) => d.kind), ['key-order']);
  const edited = snap({ a: 1 });
  edited.requests[0]!.request = { method: 'GET', path: '/other', as: 'admin' };
  assert.deepEqual(compareSnapshots(snap({ a: 1 }), edited).map((d) => d.kind), ['scenario-changed']);
});

test('compare: a scenario moved to another set-up variant must be recorded again', () => {
  const moved: Snapshot = { ...snap({ a: 1 }), variant: 'anonymous-off' };
  assert.deepEqual(compareSnapshots(snap({ a: 1 }), moved).map((d) => d.kind), ['scenario-changed']);
  assert.deepEqual(compareSnapshots(moved, moved), []);
});

test('judge: unexplained, known, stale, and differences beyond the listed paths', () => {
  const diffs = compareSnapshots(snap({ a: 1, b: 1 }), snap({ a: 2, b: 1 }));
  const entry = (differs: string[]): KnownDifference => ({ scenarios: ['g/s'], reason: 'r', differs });
  assert.equal(judge(diffs, undefined).kind, 'unexplained');
  assert.equal(judge(diffs, [entry(['requests[0].json'])]).kind, 'known');
  assert.equal(judge(diffs, [entry(['requests[0].json.b'])]).kind, 'unexplained');
  assert.equal(judge(diffs, [entry(['requests[0].json.a', 'requests[0].status'])]).kind, 'stale');
  assert.equal(judge([], [entry(['requests[0].json.a'])]).kind, 'stale');
  assert.equal(judge(diffs, [entry(['requests[*].json.a'])]).kind, 'known');
});

test('named lists are compared by name, and their order on its own', () => {
  const list = (...names: string[]) => snap({ resources: names.map((name) => ({ name })) });
  assert.deepEqual(compareSnapshots(list('a', 'b', 'c'), list('a', 'c')).map((d) => d.path), ['requests[0].json.resources[name=b]']);
  assert.deepEqual(compareSnapshots(list('a', 'b'), list('b', 'a')).map((d) => d.kind), ['order']);
});

test('the docs section: required once there is a known difference, written between the markers, then up to date', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kam-parity-docs-'));
  try {
    const file = join(dir, 'fidelity.md');
    const entry: KnownDifference = { scenarios: ['g/s'], reason: 'a | b', differs: ['requests[0].status'] };
    const known: KnownDifferences = { entries: [entry], byScenario: new Map([['g/s', [entry]]]) };
    await writeFile(file, '# Fidelity\n');
    assert.equal(await checkFidelityDoc({ entries: [], byScenario: new Map() }, file), undefined);
    assert.match((await checkFidelityDoc(known, file)) ?? '', /has no section/);
    await writeFile(file, `# Fidelity\n\n${DOC_START}\n${DOC_END}\n\nafter\n`);
    assert.match((await checkFidelityDoc(known, file)) ?? '', /out of date/);
    await writeFidelityDoc(known, file);
    assert.equal(await checkFidelityDoc(known, file), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('two mocks on independent set-ups give identical snapshots for every scenario', async () => {
  const [a, b] = [new ReplayMocks(), new ReplayMocks()];
  try {
    const problems: string[] = [];
    for (const { id, group, scenario } of allScenarios()) {
      const [ma, mb] = await Promise.all([a.for(scenario), b.for(scenario)]);
      const [sa, sb] = await Promise.all([runScenario(ma.target, group, scenario), runScenario(mb.target, group, scenario)]);
      for (const d of compareSnapshots(sa, sb)) problems.push(`${id}: ${d.path}: ${JSON.stringify(d.expected)} vs ${JSON.stringify(d.actual)}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('judge: an entry marked keyOrderOnly excuses the order of keys at its paths, never a value under them', () => {
  const entry: KnownDifference = { scenarios: ['g/s'], reason: 'Go field order', differs: ['requests[0].json.rules[*]'], keyOrderOnly: true };
  const keyOrder = { path: 'requests[0].json.rules[0]', expected: ['verbs', 'apiGroups'], actual: ['apiGroups', 'verbs'], kind: 'key-order' as const };
  const value = { path: 'requests[0].json.rules[0].verbs[0]', expected: 'delete', actual: 'get', kind: 'value' as const };
  assert.deepEqual(judge([keyOrder], [entry]), { kind: 'known', entries: [entry] });
  assert.deepEqual(judge([keyOrder, value], [entry]), { kind: 'unexplained', differences: [value], listed: true });
  assert.deepEqual(judge([value], [entry]), { kind: 'unexplained', differences: [value], listed: true });
});
