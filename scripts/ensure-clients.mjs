// pretest: makes sure the real clients the end-to-end tests drive are installed, installing what it can
// (Debian's python3-kubernetes, python3-pytest and python3-venv via apt-get when root), and otherwise fails naming what to install.
// The tests never skip a missing client.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const problems = [];

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// kubectl, and the versioned kubectl.1.NN binaries the gcloud SDK keeps beside the real one.
const kubectl = which('kubectl');
if (!kubectl) problems.push('kubectl is not on PATH: install kubectl (and the gcloud SDK kubectl.1.NN versions beside it)');
else {
  const dir = dirname(realpathSync(kubectl));
  const versions = readdirSync(dir).filter((f) => /^kubectl\.1\.\d+$/.test(f));
  if (versions.length === 0) problems.push(`no kubectl.1.NN binaries beside ${realpathSync(kubectl)}: install the gcloud SDK's kubectl versions (gcloud components install kubectl)`);
}

// kubectl of the newest release (the gcloud SDK stops at 1.33), built from the Go module under
// test/parity/reference/kubectl: seconds once Go's build cache has it, a minute or two the first time.
{
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'test/parity/build.ts', 'kubectl'], { encoding: 'utf8' });
  if (built.status !== 0) problems.push(`kubectl of the newest release could not be built (npm run parity:build -- kubectl; needs Go 1.26):\n${built.stderr.trim()}`);
  else process.stderr.write(built.stdout);
}

// Debian's python3-kubernetes and python3-pytest, for the system python3 (the pytest plugin's tests run with both).
const python = '/usr/bin/python3';
const debianPython = [
  { pkg: 'python3-kubernetes', module: 'kubernetes' },
  { pkg: 'python3-pytest', module: 'pytest' },
];
const missingPython = () => debianPython.filter((p) => !existsSync(python) || spawnSync(python, ['-c', `import ${p.module}`], { stdio: 'ignore' }).status !== 0);
// python3 on PATH with venv and pip: the pytest plugin's tests install the current kubernetes client from PyPI in a venv.
const venvMissing = () => spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status !== 0;
let pythonMissing = missingPython();
let noVenv = venvMissing();
if (pythonMissing.length > 0 || noVenv) {
  // python3-venv is Debian's ensurepip, for Debian's python3; another python3 on PATH needs its own.
  const pkgs = [...pythonMissing.map((p) => p.pkg), ...(noVenv && existsSync(python) ? ['python3-venv'] : [])];
  if (process.getuid?.() === 0 && pkgs.length > 0) {
    process.stderr.write(`pretest: installing ${pkgs.join(' ')} with apt-get\n`);
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (err) {
      problems.push(`apt-get install ${pkgs.join(' ')} failed: ${err.message}`);
    }
  }
  pythonMissing = missingPython();
  noVenv = venvMissing();
  for (const p of pythonMissing) problems.push(`Debian's ${p.pkg} is missing: sudo apt-get install ${p.pkg}`);
}

if (noVenv) {
  problems.push('python3 on PATH cannot create a virtual environment with pip: install python3 (Debian: sudo apt-get install python3-venv)');
}

// npm's @kubernetes/client-node (a devDependency).
try {
  createRequire(import.meta.url).resolve('@kubernetes/client-node');
} catch {
  problems.push('@kubernetes/client-node is missing: npm install');
}

// The second Node (the current LTS, the npm registry's node package) and client-node 2.x, which needs it, in
// test/node-lts: not root devDependencies, because the node package's binary would land in node_modules/.bin and
// npm scripts would then run everything on it. Installed (npm ci) when missing or not what its lockfile names.
{
  const dir = 'test/node-lts';
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages;
  const installed = (name) => {
    try {
      return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  const binary = join(dir, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  const current = () =>
    ['node', '@kubernetes/client-node'].every((name) => installed(name) === lock[`node_modules/${name}`]?.version) &&
    spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${lock['node_modules/node'].version}`;
  if (!current()) {
    process.stderr.write(`pretest: installing the LTS Node and client-node 2.x in ${dir} (npm ci)\n`);
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0 || !current()) problems.push(`the LTS Node and client-node 2.x could not be installed: cd ${dir} && npm ci`);
  }
}

if (problems.length > 0) {
  process.stderr.write(`pretest: the end-to-end tests need real clients that are not installed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stderr.write(`pretest: real clients present (kubectl at ${kubectl}, python3-kubernetes, python3-pytest, python3 venv, @kubernetes/client-node 1.x, and 2.x with the LTS Node in test/node-lts)\n`);
