// npm run parity: replays every recorded scenario against the mock (no Go needed) and prints the parity
// figure in one line; what needs attention (unexplained differences, stale entries, a stale docs section,
// snapshots without scenarios) goes to stderr, and makes the exit code 1.
import { describeDifference } from './compare.js';
import { checkFidelityDoc } from './docs.js';
import { planReplay, ReplayMocks, replayScenario } from './replay.js';

async function main(): Promise<number> {
  const plan = await planReplay();
  const recorded = plan.scenarios.flatMap((s) => (s.snapshot === undefined ? [] : [{ ...s, snapshot: s.snapshot }]));
  const problems: string[] = [];
  let identical = 0;
  let known = 0;
  let unexplained = 0;
  if (recorded.length > 0) {
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
    } finally {
      await mocks.close();
    }
  }
  console.log(`parity: ${recorded.length} scenarios, ${identical} identical, ${known} known differences, ${unexplained} unexplained differences`);
  const unrecorded = plan.scenarios.length - recorded.length;
  if (unrecorded > 0) console.error(`${unrecorded} scenarios have no snapshot yet (npm run parity:record)`);
  for (const id of plan.orphanSnapshots) problems.push(`test/parity/snapshots/${id}.json has no scenario`);
  for (const id of plan.orphanKnown) problems.push(`known-differences.yaml lists ${id}, which has no recorded scenario`);
  const doc = await checkFidelityDoc(plan.known);
  if (doc !== undefined) problems.push(doc);
  for (const p of problems) console.error(p);
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = await main();
