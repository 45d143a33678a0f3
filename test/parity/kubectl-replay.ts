// The kubectl replay: each kubectl scenario with a snapshot, for each kubectl version, run against the mock and
// judged line by line against known-differences.yaml (its entries for `kubectl/<name>`, narrowed to a version by
// their `kubectl` field). Shared by kubectl-replay.test.ts.
import { judge, type KnownDifference, type KnownDifferences, type Verdict } from './known-differences.js';
import { compareKubectlSnapshots, listKubectlSnapshots, readKubectlSnapshot, runKubectlScenario, type KubectlSnapshot, type KubectlWorkspace, type ParityKubectl } from './kubectl-run.js';
import { isKubectlScenarioId, kubectlScenarioId, type KubectlScenario } from './kubectl-scenario.js';
import { kubectlScenarios } from './scenarios/kubectl.js';

/** Every kubectl scenario, checked unique. */
export function allKubectlScenarios(): { id: string; scenario: KubectlScenario }[] {
  const seen = new Set<string>();
  return kubectlScenarios.map((scenario) => {
    const id = kubectlScenarioId(scenario);
    if (seen.has(id)) throw new Error(`kubectl scenario ${id} is defined twice`);
    seen.add(id);
    return { id, scenario };
  });
}

/** The entries of a scenario that concern one kubectl version. */
export function kubectlEntries(known: KnownDifferences, id: string, version: string): KnownDifference[] {
  return (known.byScenario.get(id) ?? []).filter((e) => e.kubectl === undefined || e.kubectl.includes(version));
}

/** One scenario with one kubectl, with its snapshot if recorded. */
export interface PlannedKubectlRun {
  id: string;
  kubectl: ParityKubectl;
  scenario: KubectlScenario;
  snapshot: KubectlSnapshot | undefined;
}

export interface KubectlReplayPlan {
  runs: PlannedKubectlRun[];
  /** `<version>/<name>` snapshot files with no scenario or no kubectl of that version */
  orphanSnapshots: string[];
  /** `kubectl/<name> (kubectl <version>)` known-differences entries with no recorded run to judge them */
  orphanKnown: string[];
}

export async function planKubectlReplay(kubectls: readonly ParityKubectl[], known: KnownDifferences): Promise<KubectlReplayPlan> {
  const scenarios = allKubectlScenarios();
  const runs: PlannedKubectlRun[] = [];
  for (const kubectl of kubectls) {
    for (const { id, scenario } of scenarios) runs.push({ id, kubectl, scenario, snapshot: await readKubectlSnapshot(kubectl.version, scenario.name) });
  }
  const expected = new Set(runs.map((r) => `${r.kubectl.version}/${r.scenario.name}`));
  const recorded = runs.filter((r) => r.snapshot !== undefined);
  const orphanKnown: string[] = [];
  for (const entry of known.entries) {
    for (const id of entry.scenarios.filter(isKubectlScenarioId)) {
      for (const version of entry.kubectl ?? kubectls.map((k) => k.version)) {
        if (!recorded.some((r) => r.id === id && r.kubectl.version === version)) orphanKnown.push(`${id} (kubectl ${version})`);
      }
    }
  }
  return { runs, orphanSnapshots: (await listKubectlSnapshots()).filter((s) => !expected.has(s)), orphanKnown };
}

/** Runs one recorded scenario with its kubectl against the mock's workspace and judges it. */
export async function replayKubectlRun(ws: KubectlWorkspace, run: PlannedKubectlRun & { snapshot: KubectlSnapshot }, known: KnownDifferences): Promise<Verdict> {
  const actual = await runKubectlScenario(ws, run.kubectl, run.scenario);
  return judge(compareKubectlSnapshots(run.snapshot, actual), kubectlEntries(known, run.id, run.kubectl.version));
}
