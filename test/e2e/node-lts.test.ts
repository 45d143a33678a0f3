// The second Node.js the package is tested on: the current LTS, installed from the npm registry's `node` package
// into test/node-lts (the pretest step runs npm ci there) together with @kubernetes/client-node 2.x, which needs
// Node 22.19 or newer. The whole suite runs on the machine's Node (20); this file runs the tests that show Node-version
// differences on the LTS: the unit and HTTP tests (TLS, X.509, crypto), the CLI end to end, and the client-node
// end-to-end tests with 2.x instead of 1.x.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LTS_DIR = join(ROOT, 'test', 'node-lts');
const LTS_NODE = join(LTS_DIR, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
const INSTALL = 'cd test/node-lts && npm ci (the pretest step runs it)';

function clientNode2(): { url: string; version: string } {
  const requireThere = createRequire(join(LTS_DIR, 'package.json'));
  let entry: string;
  try {
    entry = requireThere.resolve('@kubernetes/client-node');
  } catch {
    throw new Error(`@kubernetes/client-node 2.x is not installed in test/node-lts: ${INSTALL}`);
  }
  const { version } = JSON.parse(readFileSync(requireThere.resolve('@kubernetes/client-node/package.json'), 'utf8')) as { version: string };
  return { url: pathToFileURL(entry).href, version };
}

function ltsNode(): { path: string; version: string; lts: string } {
  if (!existsSync(LTS_NODE)) throw new Error(`${relative(ROOT, LTS_NODE)} is missing: ${INSTALL}`);
  const r = spawnSync(LTS_NODE, ['-p', 'process.version + " " + process.release.lts'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [version = '', lts = ''] = r.stdout.trim().split(' ');
  return { path: LTS_NODE, version, lts };
}

const testFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f))
    .sort();

/**
 * Runs node --test with the given Node on the given files (paths relative to the root); resolves with its exit code and
 * output. `signal` is the test's: a cancelled test (a timeout, Ctrl-C on the runner) kills the run instead of orphaning it.
 */
function runTests(node: string, files: string[], signal: AbortSignal, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // One file at a time: this run shares the machine with the rest of npm test, which already runs two at once.
    // Without NODE_TEST_CONTEXT, which node --test sets for the file running this: the child is a test runner of its own.
    const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
    const child = spawn(node, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** What a failed run says about its failures: the spec reporter's summary of them, or the end of the output. */
function failures(output: string): string {
  const i = output.indexOf('failing tests:');
  return i >= 0 ? output.slice(i) : output.slice(-6000);
}

/** Asserts that a run passed and ran tests (a run that found none would pass too). */
function assertPassed(run: { code: number | null; output: string }): void {
  assert.equal(run.code, 0, failures(run.output));
  assert.match(run.output, /tests [1-9]\d*\n/, run.output.slice(-2000));
}

test('the second Node is an LTS release of 22 or newer (what client-node 2.x needs)', () => {
  const node = ltsNode();
  assert.match(node.lts, /^[A-Z][a-z]+$/, `${node.version} is not an LTS release (process.release.lts is ${node.lts})`);
  assert.ok(Number(/^v(\d+)\./.exec(node.version)?.[1]) >= 22, node.version);
  assert.match(clientNode2().version, /^2\./);
});

test('client-node 2.x on the LTS Node: the client-node end-to-end tests pass', async (t) => {
  const { url } = clientNode2();
  const files = ['test/e2e/client-node.test.ts', 'test/e2e/watch-and-rbac-client.test.ts'];
  const run = await runTests(ltsNode().path, files, t.signal, { KAM_CLIENT_NODE: url });
  assertPassed(run);
});

test('the LTS Node: the unit and HTTP tests and the CLI end-to-end tests pass', async (t) => {
  const files = [...testFiles('test/unit'), ...testFiles('test/http'), 'test/e2e/cli.test.ts'];
  const run = await runTests(ltsNode().path, files, t.signal);
  assertPassed(run);
});

test('client-node 2.x loads on this Node only if it is 22 or newer (why the README pairs 1.x with Node 20)', () => {
  const { url } = clientNode2();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`], { encoding: 'utf8' });
  if (Number(process.versions.node.split('.')[0]) >= 22) assert.equal(r.status, 0, r.stderr);
  else {
    // undici 8 (client-node 2.x's HTTP client) reads zlib.createZstdDecompress when it loads, which Node 20 lacks.
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /TypeError: Cannot read properties of undefined \(reading 'bind'\)/);
    assert.match(r.stderr, /undici/);
  }
});
