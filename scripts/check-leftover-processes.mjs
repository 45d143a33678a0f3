// No process a test run started may outlive it. scripts/run-tests.mjs gives each run a marker of its own,
// KAM_TEST_SUITE=<uuid>, which every server, webhook, client and fixture it starts inherits; any process still
// carrying it once the run has ended is a leak (a server left listening, a child a test forgot). Processes that
// are already stopping (a server whose parent just exited stops within a second) get a few seconds; the rest are
// named and killed, and fail the run. Other runs (another checkout, a second terminal) carry other markers.
import { readdirSync, readFileSync } from 'node:fs';

const GRACE_MS = 5000;

function markedProcesses(marker) {
  const wanted = `KAM_TEST_SUITE=${marker}`;
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(wanted)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // A zombie has exited; it only waits for its parent to reap it.
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      found.push({ pid, cmd: readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim() });
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

/** Waits for the run's processes to be gone; returns false (after killing them) when some outlived the grace. */
export async function noLeftoverProcesses(marker) {
  const deadline = Date.now() + GRACE_MS;
  let left = markedProcesses(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = markedProcesses(marker);
  }
  if (left.length === 0) {
    process.stderr.write('no process started by the tests is left running\n');
    return true;
  }
  process.stderr.write(`${left.length} process(es) started by the tests are still running:\n${left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n')}\n`);
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return false;
}
