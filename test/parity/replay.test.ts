// Replays every recorded parity scenario (test/parity/snapshots/, recorded against kube-apiserver by
// `npm run parity:record`) against the mock: one test per scenario, named <group>/<scenario>. A difference
// fails unless known-differences.yaml lists it; an entry that no longer differs fails too. No Go needed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { describeDifference } from './compare.js';
import { checkFidelityDoc } from './docs.js';
import { pendingReason, planReplay, ReplayMocks, replayScenario } from './replay.js';

const plan = await planReplay();
// One mock per set-up variant, started by the first scenario of that variant.
const mocks = new ReplayMocks();
after(async () => {
  await mocks.close();
});

for (const planned of plan.scenarios) {
  const { snapshot } = planned;
  if (snapshot === undefined) {
    test(planned.id, { skip: `no snapshot yet: record it with \`npm run parity:record\` (needs \`npm run parity:build\`)` }, () => undefined);
    continue;
  }
  const pending = pendingReason(planned.id);
  if (pending !== undefined) {
    test(planned.id, { skip: pending }, () => undefined);
    continue;
  }
  test(planned.id, async () => {
    const verdict = await replayScenario(await mocks.for(planned.scenario), { ...planned, snapshot }, plan.known);
    if (verdict.kind === 'unexplained') {
      assert.fail(`${planned.id} differs from kube-apiserver${verdict.listed ? ' beyond its known-differences entries' : ''} (list it in test/parity/known-differences.yaml with a reason, or fix the mock):\n${verdict.differences.map(describeDifference).join('\n')}`);
    }
    if (verdict.kind === 'stale') {
      assert.fail(`${planned.id} is listed in test/parity/known-differences.yaml but no longer differs at: ${verdict.unused.join(', ')}: remove those paths (or the scenario from their entries)`);
    }
  });
}

test('every snapshot has its scenario', () => {
  assert.deepEqual(plan.orphanSnapshots, [], 'snapshots whose scenario is gone: delete them from test/parity/snapshots/');
});

test('every known difference names a recorded scenario', () => {
  assert.deepEqual(plan.orphanKnown, [], 'known-differences.yaml entries with no recorded scenario: remove them');
});

test('docs/fidelity.md lists every known difference', async () => {
  const problem = await checkFidelityDoc(plan.known);
  assert.equal(problem, undefined, problem);
});
