// The live heap after a full collection, for tests that check a server's memory stays bounded. The runner is
// not started with --expose-gc, so the flag is set at run time and gc taken from a fresh context.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (opts?: { type: 'major'; execution: 'sync' }) => void;

/** heapUsed after two full, synchronous collections (the second frees what the first's finalizers released). */
export function liveHeapBytes(): number {
  gc({ type: 'major', execution: 'sync' });
  gc({ type: 'major', execution: 'sync' });
  return process.memoryUsage().heapUsed;
}
