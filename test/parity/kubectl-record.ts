// npm run parity:record-kubectl [-- <name prefix>...]: starts the reference kube-apiserver (built by
// `npm run parity:build`) on a fresh fixed set-up, creates the fixtures, runs every kubectl scenario (or those
// whose name starts with an argument) with kubectl 1.33 and the newest kubectl, and writes one snapshot per
// scenario and version to test/parity/snapshots/kubectl/<version>/<name>.json.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnownDifferences } from './known-differences.js';
import { allKubectlScenarios, planKubectlReplay } from './kubectl-replay.js';
import { createKubectlWorkspace, parityKubectls, runKubectlScenario, writeKubectlSnapshot } from './kubectl-run.js';
import { startParityReference } from './reference.js';
import { createParitySetup } from './setup.js';

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const chosen = allKubectlScenarios().filter((s) => filters.length === 0 || filters.some((f) => s.scenario.name.startsWith(f) || s.id.startsWith(f)));
  if (chosen.length === 0) {
    console.error(`no kubectl scenario matches ${filters.join(' ')}`);
    return 2;
  }
  const kubectls = parityKubectls();
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'kam-parity-record-'));
  let failures = 0;
  try {
    const reference = await startParityReference(await createParitySetup(dir));
    console.log(`reference kube-apiserver at ${reference.target.url} (${Date.now() - started} ms to start and create the fixtures)`);
    const ws = await createKubectlWorkspace(reference.target);
    try {
      for (const kubectl of kubectls) {
        for (const { id, scenario } of chosen) {
          try {
            await writeKubectlSnapshot(await runKubectlScenario(ws, kubectl, scenario));
          } catch (err) {
            failures++;
            console.error(`kubectl.${kubectl.version} ${id}: ${(err as Error).message}`);
          }
        }
      }
    } finally {
      await ws.remove();
      await reference.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const orphans = (await planKubectlReplay(kubectls, await loadKnownDifferences())).orphanSnapshots;
  for (const o of orphans) console.error(`snapshot without a scenario or kubectl (delete it): test/parity/snapshots/kubectl/${o}.json`);
  const total = chosen.length * kubectls.length;
  console.log(`recorded ${total - failures} of ${total} kubectl runs (${kubectls.map((k) => `kubectl ${k.version}`).join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s${failures ? `; ${failures} failed` : ''}`);
  return failures > 0 || orphans.length > 0 ? 1 : 0;
}

process.exitCode = await main();
