// Replays the kubectl parity scenarios (test/parity/snapshots/kubectl/<version>/, recorded against
// kube-apiserver by `npm run parity:record-kubectl`) against the mock with kubectl 1.33 (gcloud SDK) and kubectl of
// the newest release (the pretest builds it): one test per scenario and version, `kubectl.<version> <group>/<name>`.
// Exit code, stdout and stderr must equal the snapshot line by line, except what known-differences.yaml lists.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeDifference } from './compare.js';
import { loadKnownDifferences } from './known-differences.js';
import { planKubectlReplay, replayKubectlRun } from './kubectl-replay.js';
import { createKubectlWorkspace, parityKubectls, type KubectlWorkspace } from './kubectl-run.js';
import { startReplayMock } from './replay.js';

const known = await loadKnownDifferences();
const plan = await planKubectlReplay(parityKubectls(), known);
let replay: Awaited<ReturnType<typeof startReplayMock>> | undefined;
let ws: KubectlWorkspace | undefined;

before(async () => {
  if (!plan.runs.some((r) => r.snapshot !== undefined)) return;
  replay = await startReplayMock();
  ws = await createKubectlWorkspace(replay.mock.target);
});
after(async () => {
  await ws?.remove();
  await replay?.close();
});

for (const run of plan.runs) {
  const name = `kubectl.${run.kubectl.version} ${run.id}`;
  const { snapshot } = run;
  if (snapshot === undefined) {
    test(name, { skip: 'no snapshot yet: record it with `npm run parity:record-kubectl` (needs `npm run parity:build`)' }, () => undefined);
    continue;
  }
  test(name, async () => {
    assert.ok(ws, 'the mock did not start');
    const verdict = await replayKubectlRun(ws, { ...run, snapshot }, known);
    if (verdict.kind === 'unexplained') {
      assert.fail(`${name} prints other text than against kube-apiserver${verdict.listed ? ' beyond its known-differences entries' : ''} (list it in test/parity/known-differences.yaml with a reason, or fix the mock):\n${verdict.differences.map(describeDifference).join('\n')}`);
    }
    if (verdict.kind === 'stale') {
      assert.fail(`${name} is listed in test/parity/known-differences.yaml but no longer differs at: ${verdict.unused.join(', ')}: remove those paths (or the scenario from their entries)`);
    }
  });
}

test('every kubectl snapshot has its scenario and kubectl', () => {
  assert.deepEqual(plan.orphanSnapshots, [], 'snapshots whose scenario or kubectl version is gone: delete them from test/parity/snapshots/kubectl/');
});

test('every known difference of a kubectl scenario names a recorded scenario and version', () => {
  assert.deepEqual(plan.orphanKnown, [], 'known-differences.yaml entries with no recorded kubectl run: remove them');
});
