// npm test: every test/**/*.test.ts under node's test runner, two files at a time, with a marker in the environment
// unique to this run; then, whether the tests passed or not, a check that no process they started is still running
// (scripts/check-leftover-processes.mjs). npm skips a posttest script after a failure, which is when leaks happen.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { noLeftoverProcesses } from './check-leftover-processes.mjs';

const files = readdirSync('test', { recursive: true })
  .map((f) => `test/${f}`)
  .filter((f) => f.endsWith('.test.ts') && !f.split('/').includes('node_modules'))
  .sort();
const marker = randomUUID();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, KAM_TEST_SUITE: marker },
});
// Ctrl-C reaches the runner through the terminal: this process only waits for it to end, then checks for leftovers.
// A SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
const code = await new Promise((resolve) => child.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
const clean = await noLeftoverProcesses(marker);
process.exit(code !== 0 ? code : clean ? 0 : 1);
