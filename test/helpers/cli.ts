// Runs the kube-auth-mock CLI as a child process, as a user (or a test suite in another language) would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { runClient, type RunResult } from './clients.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs a CLI command to completion. */
export function cli(...args: string[]): Promise<RunResult> {
  return runClient(process.execPath, ['--import', 'tsx', MAIN, ...args]);
}

/** The JSON line `serve` prints when it listens. */
export interface ReadyLine {
  ready: true;
  url: string;
  /** The server's own pid (a wrapper's child when started through npm or a shell). */
  pid: number;
  caFile: string;
  pkiDir: string;
  kubeconfigs: Record<string, string>;
  /** The live view's page, with --ui. */
  uiUrl?: string;
}

/** A running CLI child process: its ready line, what it printed and logged, and a stop that waits for its exit. */
export interface ReadyProcess<T> {
  ready: T;
  child: ChildProcess;
  /** Every stdout line so far, the ready line first. */
  stdoutLines(): string[];
  stderr(): string;
  stop(): Promise<number | null>;
}

/** A running `serve` child process. */
export type ServeProcess = ReadyProcess<ReadyLine>;

/** Starts a long-running CLI command and resolves on its first stdout line (JSON); rejects with its stderr if it exits first. */
export async function startReady<T>(...args: string[]): Promise<ReadyProcess<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args[0]} did not become ready in 30 s:\n${stderr}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const first = !stdout.includes('\n');
      stdout += d;
      if (first && stdout.includes('\n')) {
        clearTimeout(timer);
        const line = stdout.split('\n')[0]!;
        try {
          resolve(JSON.parse(line) as T);
        } catch {
          reject(new Error(`first stdout line is not the ready JSON: ${line}`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`${args[0]} exited with ${code}:\n${stderr}`), { exitCode: code, stderr }));
    });
  });
  return {
    ready,
    child,
    stdoutLines: () => stdout.split('\n').filter((l) => l !== ''),
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Starts `kube-auth-mock serve` and resolves on its ready line; rejects with its stderr if it exits first. */
export function serve(...args: string[]): Promise<ServeProcess> {
  return startReady<ReadyLine>('serve', '--secure-port', '0', ...args);
}
