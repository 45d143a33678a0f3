// The Go package go/kamtest (issue 12): `go vet ./...` and `go test ./...` in go/ pass, their servers run from this
// checkout's source rather than a dist/ that may be stale, and none is left running afterwards.
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { runClient, tempDir } from '../helpers/clients.js';
import { processes } from '../helpers/processes.js';

const GO_DIR = fileURLToPath(new URL('../../go', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
before(async () => {
  tmp = await tempDir('kam-go-');
  // kamtest finds the server through KUBE_AUTH_MOCK_BIN; exec keeps the server's pid the wrapper's.
  const wrapper = await tmp.write('kube-auth-mock', `#!/bin/sh\nexec ${quote(process.execPath)} --import ${quote(import.meta.resolve('tsx'))} ${quote(MAIN)} "$@"\n`);
  await chmod(wrapper, 0o755);
  // Each test's t.TempDir (the server's PKI folder) goes under ours, so its servers can be told from any other.
  env = { ...process.env, KUBE_AUTH_MOCK_BIN: wrapper, TMPDIR: tmp.dir };
});
after(async () => {
  await tmp?.remove();
});

async function go(args: string[]): Promise<{ code: number; output: string }> {
  // A cold Go build cache compiles client-go first: about two minutes on two cores (go vet), seconds afterwards.
  const r = await runClient('go', args, { cwd: GO_DIR, env, timeoutMs: 580_000 }).catch((err: unknown) => {
    throw new Error(`cannot run go (${err instanceof Error ? err.message : String(err)}): install Go 1.26 (go.dev/dl)`);
  });
  return { code: r.code, output: `${r.stdout}${r.stderr}` };
}

/** Processes whose command line names our temporary folder: servers kamtest started and did not stop. */
function leftovers(): string[] {
  return processes()
    .filter((p) => p.cmdline.includes(tmp.dir))
    .map((p) => `${p.pid}: ${p.cmdline}`);
}

test('go vet ./... in go/', { timeout: 600_000 }, async () => {
  const r = await go(['vet', './...']);
  assert.equal(r.code, 0, r.output);
});

test('go test ./... in go/ passes and leaves no server running', { timeout: 600_000 }, async () => {
  // -count=1: go's test cache cannot see a change to the server, which lives outside the module.
  const r = await go(['test', '-count=1', './...']);
  assert.equal(r.code, 0, r.output);
  assert.deepEqual(leftovers(), []);
});
