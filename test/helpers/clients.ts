// Finding and running the real clients the end-to-end tests drive. A missing client fails the test: the
// pretest step installs what it can and names the rest, and nothing here skips silently.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { builtBinaryPath } from '../parity/manifest.js';

const run = promisify(execFile);

/**
 * kubectl of the newest release, built from the k8s.io/kubectl module of test/parity/reference/kubectl (the gcloud
 * SDK stops at 1.33); the pretest builds it (npm run parity:build -- kubectl).
 */
export function newestKubectl(): { name: string; path: string } {
  const goMod = fileURLToPath(new URL('../parity/reference/kubectl/go.mod', import.meta.url));
  const minor = /^\s*k8s\.io\/kubectl v0\.(\d+)\./m.exec(readFileSync(goMod, 'utf8'))?.[1];
  if (minor === undefined) throw new Error(`${goMod} does not require k8s.io/kubectl v0.NN`);
  const path = builtBinaryPath('kubectl');
  if (!existsSync(path)) throw new Error(`${path} is missing: npm run parity:build -- kubectl (the pretest step builds it)`);
  return { name: `kubectl.1.${minor}`, path };
}

/** The oldest and newest kubectl.1.NN beside the real kubectl (the gcloud SDK's layout), and kubectl of the newest release. */
export function kubectlBinaries(): { name: string; path: string }[] {
  const real = realpathSync(execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim());
  const dir = dirname(real);
  const versioned = readdirSync(dir)
    .filter((f) => /^kubectl\.1\.\d+$/.test(f))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  if (versioned.length === 0) throw new Error(`no kubectl.1.NN beside ${real}: install the gcloud SDK kubectl versions`);
  const picks = [...new Set([versioned[0]!, versioned[versioned.length - 1]!])];
  return [...picks.map((name) => ({ name, path: join(dir, name) })), newestKubectl()];
}

/** The result of running a client: exit code and both streams. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with a time limit (a minute unless said); a non-zero exit is a result, not an exception. */
export async function runClient(file: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(file, [...args], { timeout: opts.timeoutMs ?? 60_000, cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 10 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    if (e.killed) throw new Error(`${file} ${args.join(' ')} timed out`);
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A temporary folder for kubeconfigs and kubectl's cache, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; write(name: string, text: string): Promise<string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    write: async (name, text) => {
      const file = join(dir, name);
      await writeFile(file, text, { mode: 0o600 });
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** kubectl auth whoami's table, read back: user name and groups. */
export function parseWhoami(stdout: string): { user: string; groups: string[] } {
  const user = /^Username\s+(\S+)/m.exec(stdout)?.[1] ?? '';
  const groups = /^Groups\s+\[(.*)\]/m.exec(stdout)?.[1]?.split(' ').filter((g) => g !== '') ?? [];
  return { user, groups };
}

/** kubectl auth whoami's UID row (printed only when the uid is not empty, by every kubectl since 1.26), or undefined. */
export function whoamiUid(stdout: string): string | undefined {
  return /^UID\s+(\S+)/m.exec(stdout)?.[1];
}

/** Debian's python3 with its python3-kubernetes (the pyenv python on PATH does not see Debian's packages). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
