// npm run parity:record [-- <id prefix>...]: starts the reference kube-apiserver (built by
// `npm run parity:build`) on a fresh fixed set-up, creates the fixtures, runs every scenario (or those whose
// `group/name` starts with one of the arguments) and writes one snapshot per scenario to test/parity/snapshots/.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { send } from './client.js';
import { startParityReference } from './reference.js';
import { allScenarios } from './replay.js';
import { runScenario } from './run.js';
import { createParitySetup } from './setup.js';
import { listSnapshots, writeSnapshot } from './snapshots.js';

const RECORDED_WITH = fileURLToPath(new URL('./recorded-with.json', import.meta.url));

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const chosen = allScenarios().filter((s) => filters.length === 0 || filters.some((f) => s.id.startsWith(f)));
  if (chosen.length === 0) {
    console.error(`no scenario matches ${filters.join(' ')}`);
    return 2;
  }
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'kam-parity-record-'));
  let failures = 0;
  let version: unknown;
  // One reference per set-up variant the chosen scenarios use, one after the other, on the same set-up files.
  const variants = [...new Set(chosen.map((s) => s.scenario.variant ?? 'default'))];
  try {
    const setup = await createParitySetup(dir);
    for (const variant of variants) {
      const variantStarted = Date.now();
      const reference = await startParityReference(setup, variant);
      console.log(`reference kube-apiserver (${variant}) at ${reference.target.url} (${Date.now() - variantStarted} ms to start and create the fixtures)`);
      try {
        // What was recorded against, from the server itself: its /version (admin's certificate works on every variant).
        const res = await send(reference.target.url, reference.target.caPem, reference.target.identities.admin, { method: 'GET', path: '/version' });
        version ??= JSON.parse(res.body.toString('utf8'));
        for (const { id, group, scenario } of chosen.filter((s) => (s.scenario.variant ?? 'default') === variant)) {
          try {
            await writeSnapshot(await runScenario(reference.target, group, scenario, { strictCaptures: true }));
          } catch (err) {
            failures++;
            console.error(`${id}: ${(err as Error).message}`);
          }
        }
      } finally {
        await reference.stop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await writeFile(RECORDED_WITH, `${JSON.stringify({ version }, null, 2)}\n`);
  const ids = new Set(allScenarios().map((s) => s.id));
  const orphans = (await listSnapshots()).filter((id) => !ids.has(id));
  for (const id of orphans) console.error(`snapshot without a scenario (delete it): test/parity/snapshots/${id}.json`);
  console.log(`recorded ${chosen.length - failures} of ${chosen.length} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s${failures ? `; ${failures} failed` : ''}`);
  return failures > 0 || orphans.length > 0 ? 1 : 0;
}

process.exitCode = await main();
