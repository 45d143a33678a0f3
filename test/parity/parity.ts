// npm run parity: replays every recorded scenario (HTTP, and kubectl's once per kubectl version) against the
// mock (no Go needed) and prints the parity figure in one line; what needs attention (unexplained differences,
// stale entries, a stale docs section, snapshots without scenarios) goes to stderr, and makes the exit code 1.
import { describeDifference } from './compare.js';
import { checkFidelityDoc } from './docs.js';
import { planKubectlReplay, replayKubectlRun } from './kubectl-replay.js';
import { createKubectlWorkspace, parityKubectls } from './kubectl-run.js';
import { pendingReason, planReplay, ReplayMocks, replayScenario } from './replay.js';

async function main(): Promise<number> {
  const plan = await planReplay();
  const recordedAll = plan.scenarios.flatMap((s) => (s.snapshot === undefined ? [] : [{ ...s, snapshot: s.snapshot }]));
  // Scenarios whose implementation is in progress are recorded but not counted yet (PENDING_SCENARIO_PREFIXES).
  const recorded = recordedAll.filter((s) => pendingReason(s.id) === undefined);
  const pending = recordedAll.length - recorded.length;
  const kubectlPlan = await planKubectlReplay(parityKubectls(), plan.known);
  const kubectlRecorded = kubectlPlan.runs.filter((r) => r.snapshot !== undefined).length;
  const problems: string[] = [];
  let identical = 0;
  let known = 0;
  let unexplained = 0;
  if (recorded.length + kubectlRecorded > 0) {
    const mocks = new ReplayMocks();
    try {
      for (const planned of recorded) {
        const verdict = await replayScenario(await mocks.for(planned.scenario), planned, plan.known);
        if (verdict.kind === 'identical') identical++;
        else if (verdict.kind === 'known') known++;
        else if (verdict.kind === 'stale') {
          identical++;
          problems.push(`${planned.id}: listed in known-differences.yaml but no longer differs at ${verdict.unused.join(', ')}`);
        } else {
          unexplained++;
          for (const d of verdict.differences) problems.push(`${planned.id}: ${describeDifference(d)}`);
        }
      }
      // The kubectl scenarios, one run per kubectl version, on the same mock (kubectl-replay.test.ts does the same).
      const ws = await createKubectlWorkspace((await mocks.ofVariant('default')).target);
      try {
        for (const run of kubectlPlan.runs) {
          if (run.snapshot === undefined) continue;
          const verdict = await replayKubectlRun(ws, { ...run, snapshot: run.snapshot }, plan.known);
          const name = `kubectl.${run.kubectl.version} ${run.id}`;
          if (verdict.kind === 'identical') identical++;
          else if (verdict.kind === 'known') known++;
          else if (verdict.kind === 'stale') {
            identical++;
            problems.push(`${name}: listed in known-differences.yaml but no longer differs at ${verdict.unused.join(', ')}`);
          } else {
            unexplained++;
            for (const d of verdict.differences) problems.push(`${name}: ${describeDifference(d)}`);
          }
        }
      } finally {
        await ws.remove();
      }
    } finally {
      await mocks.close();
    }
  }
  for (const o of kubectlPlan.orphanSnapshots) problems.push(`test/parity/snapshots/kubectl/${o}.json has no scenario or kubectl`);
  for (const o of kubectlPlan.orphanKnown) problems.push(`known-differences.yaml lists ${o}, which has no recorded kubectl run`);
  console.log(`parity: ${recorded.length + kubectlRecorded} scenarios, ${identical} identical, ${known} known differences, ${unexplained} unexplained differences`);
  if (pending > 0) console.error(`${pending} recorded scenarios are pending (PENDING_SCENARIO_PREFIXES in test/parity/replay.ts) and not replayed`);
  const unrecorded = plan.scenarios.length - recordedAll.length + kubectlPlan.runs.length - kubectlRecorded;
  if (unrecorded > 0) console.error(`${unrecorded} scenarios have no snapshot yet (npm run parity:record)`);
  for (const id of plan.orphanSnapshots) problems.push(`test/parity/snapshots/${id}.json has no scenario`);
  for (const id of plan.orphanKnown) problems.push(`known-differences.yaml lists ${id}, which has no recorded scenario`);
  const doc = await checkFidelityDoc(plan.known);
  if (doc !== undefined) problems.push(doc);
  for (const p of problems) console.error(p);
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = await main();
