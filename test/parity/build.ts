// npm run parity:build: builds the reference kube-apiserver, etcd and kubectl from the Go modules under
// test/parity/reference/ into a cache folder outside the repository, and writes the manifest that names them.
// The first build compiles kube-apiserver's thousands of packages (minutes); later ones reuse Go's build cache.
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtBinaryPath, manifestPath, parityCacheDir, type ParityManifest } from './manifest.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const reference = path.join(here, 'reference');
const repoRoot = path.resolve(here, '..', '..');

interface Target {
  key: 'kubeApiserver' | 'etcd' | 'kubectl';
  binary: string;
  /** The module folder under test/parity/reference/. */
  dir: string;
  /** The required module whose version is the binary's version. */
  module: string;
  /** Turns that module's version into the release it stands for (k8s.io/kubectl v0.37.2 is kubectl v1.37.2). */
  release: (moduleVersion: string) => string;
  /** Whether to stamp k8s.io version variables, as kube's hack/lib/version.sh does, so /version and kubectl version tell the truth. */
  kubeVersionStamp: boolean;
}

const TARGETS: readonly Target[] = [
  { key: 'kubeApiserver', binary: 'kube-apiserver', dir: 'kube-apiserver', module: 'k8s.io/kubernetes', release: (v) => v, kubeVersionStamp: true },
  { key: 'etcd', binary: 'etcd', dir: 'etcd', module: 'go.etcd.io/etcd/server/v3', release: (v) => v, kubeVersionStamp: false },
  { key: 'kubectl', binary: 'kubectl', dir: 'kubectl', module: 'k8s.io/kubectl', release: (v) => v.replace(/^v0\./, 'v1.'), kubeVersionStamp: true },
];

class BuildError extends Error {
  constructor(
    readonly line: string,
    readonly output = '',
  ) {
    super(line);
  }
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The version go.mod requires for a module, read from the committed file rather than repeated here. */
async function requiredVersion(target: Target): Promise<string> {
  const goMod = path.join(reference, target.dir, 'go.mod');
  const text = await readFile(goMod, 'utf8');
  const escaped = target.module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(text);
  if (match?.[1] === undefined) throw new BuildError(`parity:build: ${path.relative(repoRoot, goMod)} does not require ${target.module}`);
  return match[1];
}

/** The module's publication time, which stands in for the build date so that rebuilds are reproducible. */
function moduleTime(target: Target, cwd: string): string {
  const r = spawnSync('go', ['list', '-m', '-json', target.module], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new BuildError(`parity:build: go list -m ${target.module} failed in ${path.relative(repoRoot, cwd)}`, `${r.stdout}${r.stderr}`);
  const time = (JSON.parse(r.stdout) as { Time?: string }).Time;
  return time !== undefined ? new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z') : '1970-01-01T00:00:00Z';
}

/** The -X flags kube's hack/lib/version.sh sets; gitCommit stays unset because the module proxy does not carry it. */
function versionLdflags(release: string, buildDate: string): string {
  const m = /^v(\d+)\.(\d+)\./.exec(release);
  if (!m) throw new BuildError(`parity:build: ${release} is not a vMAJOR.MINOR.PATCH release`);
  const vars: Record<string, string> = { gitVersion: release, gitMajor: m[1] ?? '', gitMinor: m[2] ?? '', gitTreeState: 'clean', buildDate };
  const flags: string[] = [];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    for (const [name, value] of Object.entries(vars)) flags.push(`-X ${pkg}.${name}=${value}`);
  }
  return flags.join(' ');
}

function goBuild(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // CGO off, as kube's release builds: static binaries, and no C compiler needed.
    const child = spawn('go', args, { cwd, env: { ...process.env, CGO_ENABLED: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function build(target: Target, binDir: string): Promise<{ path: string; release: string; seconds: number; bytes: number }> {
  const cwd = path.join(reference, target.dir);
  const release = target.release(await requiredVersion(target));
  const out = builtBinaryPath(target.binary, path.dirname(binDir));
  const args = ['build', '-o', out];
  if (target.kubeVersionStamp) args.push('-ldflags', versionLdflags(release, moduleTime(target, cwd)));
  args.push('.');
  process.stdout.write(`parity:build: ${target.binary} ${release} (${path.relative(repoRoot, cwd)}) ... `);
  const started = Date.now();
  const { code, output } = await goBuild(args, cwd);
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) {
    process.stdout.write('failed\n');
    throw new BuildError(`parity:build: go build of ${target.binary} ${release} in ${path.relative(repoRoot, cwd)} failed (exit ${code ?? 'signal'})`, output);
  }
  const bytes = (await stat(out)).size;
  process.stdout.write(`${seconds.toFixed(1)} s, ${(bytes / 1048576).toFixed(1)} MiB\n`);
  return { path: out, release, seconds, bytes };
}

async function main(): Promise<void> {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) {
    throw new BuildError(`parity:build: go cannot be run (${version.error?.message ?? `exit ${version.status}`}): install Go 1.26 (kubectl 1.37's module needs go >= 1.26.0)`, version.stderr ?? '');
  }
  const cacheDir = parityCacheDir();
  const binDir = path.join(cacheDir, 'bin');
  await mkdir(binDir, { recursive: true });
  process.stdout.write(`parity:build: ${version.stdout.trim()}; cache ${cacheDir} (a first build takes minutes, later ones seconds)\n`);

  // `npm run parity:build -- kubectl` builds only the binaries named (the pretest builds kubectl 1.37 so).
  const named = process.argv.slice(2);
  const unknown = named.filter((n) => !TARGETS.some((t) => t.binary === n));
  if (unknown.length > 0) throw new BuildError(`parity:build: unknown binary ${unknown.join(', ')} (known: ${TARGETS.map((t) => t.binary).join(', ')})`);
  const targets = named.length === 0 ? TARGETS : TARGETS.filter((t) => named.includes(t.binary));

  const built = new Map<Target['key'], Awaited<ReturnType<typeof build>>>();
  // One at a time: each go build already uses every core, and the first build of kube-apiserver is the long one.
  for (const target of targets) built.set(target.key, await build(target, binDir));
  if (targets.length < TARGETS.length) {
    process.stdout.write(`parity:build: ${targets.map((t) => `${t.binary} ${built.get(t.key)?.path ?? ''}`).join(', ')} (the manifest names all three: npm run parity:build)\n`);
    return;
  }

  const get = (key: Target['key']) => {
    const b = built.get(key);
    if (b === undefined) throw new BuildError(`parity:build: ${key} was not built`);
    return b;
  };
  const manifest: ParityManifest = {
    kubeApiserver: get('kubeApiserver').path,
    etcd: get('etcd').path,
    kubectl: get('kubectl').path,
    versions: { kubernetes: get('kubeApiserver').release, etcd: get('etcd').release, kubectl: get('kubectl').release },
  };
  const file = manifestPath(cacheDir);
  // Written whole then renamed, so a reader never sees half a manifest.
  await writeFile(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  process.stdout.write(`parity:build: kube-apiserver ${manifest.kubeApiserver}\nparity:build: etcd           ${manifest.etcd}\nparity:build: kubectl        ${manifest.kubectl}\nparity:build: manifest       ${file}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof BuildError) {
    process.stderr.write(`${err.line}\n`);
    if (err.output.trim() !== '') process.stderr.write(`${tail(err.output)}\n`);
  } else {
    process.stderr.write(`parity:build: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 1;
});
