// posttest: no process the test suite started may outlive it. `npm test` marks the suite's environment with
// KAM_TEST_SUITE=1, which every server, webhook, client and fixture it starts inherits; any such process still
// running once the suite has ended is a leak (a server left listening, a child a test forgot). Processes that are
// already stopping (a server whose parent just exited stops within a second) get a few seconds; the rest are
// named, killed, and fail the run.
import { readdirSync, readFileSync } from 'node:fs';

const MARKER = 'KAM_TEST_SUITE=1';
const GRACE_MS = 5000;

function markedProcesses() {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      if (!environ.includes(MARKER)) continue;
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

const deadline = Date.now() + GRACE_MS;
let left = markedProcesses();
while (left.length > 0 && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 100));
  left = markedProcesses();
}
if (left.length > 0) {
  process.stderr.write(`posttest: ${left.length} process(es) started by the tests are still running:\n${left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n')}\n`);
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  process.exit(1);
}
process.stderr.write('posttest: no process started by the tests is left running\n');
