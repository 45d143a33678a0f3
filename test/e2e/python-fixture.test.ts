// The pytest plugin in python/ runs its own tests (403s, a watch, reviews, apply, no server left behind) two ways:
// with the current `kubernetes` client and pytest from PyPI in a virtual environment, and with Debian's
// python3-kubernetes and python3-pytest on the system python3. Both use this checkout's CLI from source.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { DEBIAN_PYTHON, runClient } from '../helpers/clients.js';
import { processes } from '../helpers/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON_DIR = join(ROOT, 'python');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** pip and a whole pytest run take minutes, not runClient's one; the output is stdout and stderr together. */
async function run(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; output: string }> {
  const res = await runClient(file, args, { ...opts, timeoutMs: 15 * 60_000 });
  return { code: res.code, output: `${res.stdout}${res.stderr}` };
}

/** Every file of the package (not its tests): the venv is rebuilt when any of them changes. */
function packageHash(python: string): string {
  const hash = createHash('sha256').update(python);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, name.name);
      if (name.isDirectory()) {
        if (name.name !== '__pycache__' && !name.name.endsWith('.egg-info')) walk(path);
      } else hash.update(relative(PYTHON_DIR, path)).update(readFileSync(path));
    }
  };
  hash.update(readFileSync(join(PYTHON_DIR, 'pyproject.toml')));
  walk(join(PYTHON_DIR, 'src'));
  return hash.digest('hex').slice(0, 16);
}

/** Whether a cached venv has what the tests import: a venv whose build was cut short, or that pip left half-done, does not. */
async function usable(venv: string): Promise<boolean> {
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) return false;
  try {
    // Away from the checkout, with no PYTHONPATH, so the import can only come from the venv itself.
    const res = await run(python, ['-c', 'import kube_auth_mock, kubernetes, pytest'], { cwd: tmpdir(), env: { PYTHONPATH: '' } });
    return res.code === 0;
  } catch {
    return false;
  }
}

const HOUR_MS = 60 * 60_000;

/**
 * Removes what no run needs: this checkout's venvs of other package versions, builds interrupted over an hour ago,
 * and other checkouts' venvs unused for a week. node_modules (and so this cache) may be shared by several checkouts,
 * each with its own venv (the name starts with a hash of the checkout's path); one in use is touched on each run.
 */
async function pruneVenvs(cache: string, checkout: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const old of await readdir(cache)) {
    if (old === keep || !old.startsWith('kam-python-venv-')) continue;
    const path = join(cache, old);
    const modified = (await stat(path).catch(() => undefined))?.mtimeMs;
    if (modified === undefined) continue; // another run removed it
    const age = now - modified;
    const stale = old.includes('.building-') ? age > HOUR_MS : old.startsWith(`kam-python-venv-${checkout}-`) || age > 7 * 24 * HOUR_MS;
    if (stale) await rm(path, { recursive: true, force: true });
  }
}

/**
 * A virtual environment with the plugin (installed as a user would, not editable), the current `kubernetes` and pytest
 * from PyPI; cached under node_modules/.cache, keyed by the checkout, the python and the package's files, so reruns are quick.
 */
async function pypiVenv(): Promise<string> {
  const version = await run('python3', ['--version']);
  assert.equal(version.code, 0, `python3 is needed to create a virtual environment: ${version.output}`);
  const cache = join(ROOT, 'node_modules', '.cache');
  const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 8);
  const name = `kam-python-venv-${checkout}-${packageHash(version.output.trim())}`;
  const venv = join(cache, name);
  await mkdir(cache, { recursive: true });
  await pruneVenvs(cache, checkout, name);
  if (await usable(venv)) {
    const now = new Date();
    await utimes(venv, now, now);
    return venv;
  }
  // Built beside its final name and renamed at the end: an interrupted build is never mistaken for a ready venv.
  // (Only `bin/python -m ...` is used: a venv's scripts name their folder, its python does not.)
  const building = await mkdtemp(join(cache, `${name}.building-`));
  const created = await run('python3', ['-m', 'venv', building]);
  assert.equal(created.code, 0, `python3 -m venv failed (Debian: apt-get install python3-venv):\n${created.output}`);
  // pip builds a local folder in place (build/, *.egg-info): build a copy, so the checkout stays as it was.
  const source = join(tmp, 'package');
  await cp(PYTHON_DIR, source, { recursive: true, filter: (path) => !/(^|\/)(\.venv|build|__pycache__|[^/]*\.egg-info)$/.test(path) });
  const installed = await run(join(building, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', source, 'kubernetes', 'pytest']);
  assert.equal(installed.code, 0, `pip install failed:\n${installed.output}`);
  // What is there failed the check above, unless another run has just finished it: a rename cannot replace a folder
  // that is not empty.
  if (!(await usable(venv))) await rm(venv, { recursive: true, force: true });
  try {
    await rename(building, venv);
  } catch (err) {
    // Another run finished the same venv first: use that one.
    if (!(await usable(venv))) throw err;
    await rm(building, { recursive: true, force: true });
  }
  return venv;
}

/** Live processes whose command line mentions text (servers started under a pytest run's temp folder). */
function processesMentioning(text: string): string[] {
  return processes()
    .filter((p) => !p.zombie && p.cmdline.includes(text))
    .map((p) => `${p.pid} ${p.cmdline}`);
}

let tmp: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'kam-python-fixture-'));
  // The CLI from this checkout's source, as the other end-to-end tests run it; exec keeps the server's pid the
  // one the plugin started. tsx by URL, since the server runs in a temp folder where `--import tsx` would not resolve.
  const bin = join(tmp, 'kube-auth-mock');
  const tsx = import.meta.resolve('tsx');
  await writeFile(bin, `#!/bin/sh\nexec '${process.execPath}' --import '${tsx}' '${MAIN}' "$@"\n`);
  await chmod(bin, 0o755);
  env = { KUBE_AUTH_MOCK_BIN: bin, PYTHONDONTWRITEBYTECODE: '1' };
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function pytest(python: string, args: string[], extraEnv: NodeJS.ProcessEnv): Promise<void> {
  const basetemp = await mkdtemp(join(tmp, 'basetemp-'));
  const res = await run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--basetemp=${basetemp}`, ...args], { cwd: PYTHON_DIR, env: { ...env, ...extraEnv } });
  assert.equal(res.code, 0, res.output);
  assert.match(res.output, /\d+ passed/);
  assert.doesNotMatch(res.output, /skipped|xfail/, res.output);
  assert.deepEqual(processesMentioning(basetemp), [], 'servers left running');
}

test('pytest plugin: its tests pass with the current kubernetes and pytest from PyPI (a venv)', async () => {
  const venv = await pypiVenv();
  await pytest(join(venv, 'bin', 'python'), [], {});
});

test("pytest plugin: its tests pass with Debian's python3-kubernetes and python3-pytest (the plugin on PYTHONPATH)", async () => {
  await pytest(DEBIAN_PYTHON, ['-p', 'kube_auth_mock.plugin'], { PYTHONPATH: join(PYTHON_DIR, 'src') });
});
