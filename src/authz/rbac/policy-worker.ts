// The worker side of loadPolicyFilesOffThread: reads and checks the policy files on its own thread and posts
// the result (or the ConfigError's fields) back; it reports each file before reading it, so a worker that
// dies (out of memory) can still be blamed on a file.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from '../../util/errors.js';
import { loadPolicyFiles } from './policy-files.js';
import type { PolicyWorkerMessage } from './policy-off-thread.js';

const port = parentPort!;
const post = (msg: PolicyWorkerMessage): void => port.postMessage(msg);

try {
  const loaded = await loadPolicyFiles((workerData as { paths: string[] }).paths, { onFile: (file) => post({ reading: file }) });
  post({ loaded });
} catch (err) {
  if (err instanceof ConfigError) post({ configError: { file: err.file, reason: err.reason, code: err.code, ...(err.line !== undefined ? { line: err.line } : {}) } });
  else post({ failed: err instanceof Error ? err.message : String(err) });
}
