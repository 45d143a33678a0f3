// Policy files are read, parsed and checked on a worker thread, so a large file (up to the size limit in
// policy-files.ts) never stops the server from answering requests while it is parsed; the worker's heap is
// capped, so a file that would take too much memory kills the worker, not the server.
import { Worker } from 'node:worker_threads';
import { ConfigError, type ConfigErrorCode } from '../../util/errors.js';
import type { PolicyFiles } from './policy-files.js';

/** The most heap a policy worker may use: far above what a file under the size limit needs. */
export const POLICY_WORKER_HEAP_MB = 1024;

/** What the worker posts: each file as it starts on it, then the result or the error. */
export type PolicyWorkerMessage =
  | { reading: string }
  | { loaded: PolicyFiles }
  | { configError: { file: string; line?: number; reason: string; code: ConfigErrorCode } }
  | { failed: string };

/** The rejection of a load that was aborted: the caller stopped wanting it, so it is not a policy error. */
export class PolicyLoadAborted extends Error {
  constructor() {
    super('policy load aborted');
    this.name = 'PolicyLoadAborted';
  }
}

/** How to start the worker: the built .js file directly, or (running from source under tsx) through tsx's loader. */
function startWorker(paths: readonly string[]): Worker {
  const self = import.meta.url;
  const options = { workerData: { paths: [...paths] }, resourceLimits: { maxOldGenerationSizeMb: POLICY_WORKER_HEAP_MB } };
  if (!self.endsWith('.ts')) return new Worker(new URL('./policy-worker.js', self), options);
  const worker = new URL('./policy-worker.ts', self).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * loadPolicyFiles, on a worker thread: the same objects, or the same ConfigError naming file and document. An
 * abort (the server stopping) settles at once and ends the worker; the worker is unref'd once settled, so one
 * that cannot end at once (its thread waiting on the file system) never keeps the process alive.
 */
export function loadPolicyFilesOffThread(paths: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<PolicyFiles> {
  return new Promise((resolve, reject) => {
    const { signal } = opts;
    if (signal?.aborted) return reject(new PolicyLoadAborted());
    const worker = startWorker(paths);
    let current = paths.join(', ');
    let settled = false;
    const onAbort = (): void => settle(() => reject(new PolicyLoadAborted()));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      worker.unref();
      void worker.terminate();
    };
    worker.on('message', (msg: PolicyWorkerMessage) => {
      if ('reading' in msg) current = msg.reading;
      else if ('loaded' in msg) settle(() => resolve(msg.loaded));
      else if ('configError' in msg) settle(() => reject(new ConfigError(msg.configError)));
      else settle(() => reject(new ConfigError({ file: current, reason: msg.failed, code: 'RBAC_POLICY_INVALID' })));
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const reason = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `reading it took more than ${POLICY_WORKER_HEAP_MB} MiB of memory` : err.message;
      settle(() => reject(new ConfigError({ file: current, reason, code: 'RBAC_POLICY_INVALID' })));
    });
    worker.on('exit', (code) => settle(() => reject(new ConfigError({ file: current, reason: `the policy reader stopped (exit code ${code})`, code: 'RBAC_POLICY_INVALID' }))));
  });
}
