// Start-up of the Go fixture (go/kamtest's Start, until the server is ready) and, as its baseline, of what envtest
// starts: etcd and a real kube-apiserver, until /readyz answers, from the binaries `npm run parity:build` makes.
// Both are child processes; this module only spawns, times and parses.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrInitPki } from '../src/pki/index.js';
import { runClient } from '../test/helpers/clients.js';
import { readManifest } from '../test/parity/manifest.js';
import { startReference } from '../test/parity/reference-server.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const GO_DIR = join(REPO, 'go');

/** Runs a command to its end, or throws with the end of its output. */
async function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  const r = await runClient(command, args, { cwd, timeoutMs });
  const output = `${r.stdout}${r.stderr}`;
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code}:\n${output.trim().split('\n').slice(-20).join('\n')}`);
  return output;
}

export interface KamtestStart {
  /** Median and mean of `starts` calls to kamtest.Start, ms. */
  medianMs: number;
  meanMs: number;
  starts: number;
  /** Compiling the test binary, not part of the figures. */
  compileMs: number;
}

/**
 * Compiles go/kamtest's test binary, then runs its BenchmarkStart `starts` times. The server is the one a Go user
 * gets from this checkout: node dist/cli/main.js (kamtest's discovery), so dist/ must be built.
 */
export async function measureKamtestStart(starts: number): Promise<KamtestStart> {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run npm run build first');
  const dir = await mkdtemp(join(tmpdir(), 'kam-bench-go-'));
  try {
    const binary = join(dir, 'kamtest.test');
    const t0 = performance.now();
    // A cold Go build cache compiles client-go first: about two minutes on two cores; seconds afterwards.
    await run('go', ['test', '-c', '-o', binary, './kamtest'], GO_DIR, 240_000);
    const compileMs = performance.now() - t0;
    const out = await run(binary, ['-test.run', '^$', '-test.bench', '^BenchmarkStart$', '-test.benchtime', `${starts}x`], join(GO_DIR, 'kamtest'), 120_000);
    const line = /^BenchmarkStart\S*\s+(\d+)\s+(\d+) ns\/op\s+([\d.]+) median-ms/m.exec(out);
    if (!line) throw new Error(`no BenchmarkStart line in:\n${out}`);
    return { starts: Number(line[1]), meanMs: Number(line[2]) / 1e6, medianMs: Number(line[3]), compileMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ReferenceStart {
  /** Each start of etcd + kube-apiserver until /readyz, ms. */
  ms: number[];
  kubernetes: string;
  etcd: string;
}

/**
 * etcd + kube-apiserver from start until kube-apiserver's /readyz is ok, `starts` times, each with a fresh etcd data
 * folder: what envtest's ControlPlane.Start waits for. undefined when `npm run parity:build` has not built them.
 */
export async function measureReferenceStart(starts: number, budgetMs: number): Promise<ReferenceStart | undefined> {
  let manifest;
  try {
    manifest = await readManifest();
  } catch {
    return undefined;
  }
  if (!existsSync(manifest.kubeApiserver) || !existsSync(manifest.etcd)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'kam-bench-reference-'));
  try {
    // One PKI with kubeadm's names, made before the clock starts, as envtest's is before it starts the processes.
    const pkiDir = join(dir, 'pki');
    await loadOrInitPki(pkiDir);
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, 'bench-token,bench-user,bench-uid\n', { mode: 0o600 });
    const ms: number[] = [];
    const deadline = performance.now() + budgetMs;
    while (ms.length < starts && performance.now() < deadline) {
      const t0 = performance.now();
      const server = await startReference({ pkiDir, tokenFile, authorizationMode: 'RBAC', anonymousAuth: true, manifest, readyTimeoutMs: 60_000 });
      ms.push(performance.now() - t0);
      await server.stop();
    }
    return { ms, kubernetes: manifest.versions.kubernetes, etcd: manifest.versions.etcd };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
