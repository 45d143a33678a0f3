// Reading the files inspect is pointed at, with a ceiling. inspect is fed arbitrary paths (and kubeconfigs name
// more): /dev/zero, /dev/urandom, a 100 MB log or a pipe that never ends must give a one-line error, not a hang or
// gigabytes of memory. The largest honest input is a CA bundle or a kubeconfig with many embedded chains, well under
// a megabyte; 16 MiB leaves room and bounds the work.
import { statSync } from 'node:fs';
import { readFileBoundedSync } from '../util/bounded-read.js';
import type { Readable } from 'node:stream';

/** The most bytes inspect reads from one file, stdin or pipe. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** A file that is larger than MAX_INPUT_BYTES or not a file that can be read as a whole. */
export class InputTooLargeError extends Error {
  readonly code = 'TOO_LARGE';
}

const tooLarge = (limit: number): InputTooLargeError => new InputTooLargeError(`larger than ${limit / (1024 * 1024)} MiB: not a certificate, key, CSR, kubeconfig or JWT`);

/**
 * Reads a path whole, stopping after `limit` bytes. Directories fail with EISDIR as readFile's do. With
 * `regularOnly` (the files a kubeconfig names), devices, FIFOs and sockets are refused before they are opened for
 * long: kubectl would read them, but a kubeconfig naming /dev/zero or a FIFO is a trap for an inspector.
 */
export function readFileLimited(path: string, opts: { limit?: number; regularOnly?: boolean } = {}): Buffer {
  const limit = opts.limit ?? MAX_INPUT_BYTES;
  // stat before open: opening a FIFO without a writer would wait for one.
  if (opts.regularOnly) {
    const before = statSync(path);
    if (!before.isFile() && !before.isDirectory()) throw Object.assign(new Error('not a regular file'), { code: 'NOT_A_REGULAR_FILE' });
  }
  try {
    return readFileBoundedSync(path, limit);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EFBIG') throw tooLarge(limit);
    throw err;
  }
}

/** Reads a stream (stdin) whole, failing once it passes `limit` bytes. */
export async function readStreamLimited(stream: Readable, limit = MAX_INPUT_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    total += buf.length;
    if (total > limit) {
      stream.destroy();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

/** The one-line reason a read failed: the errno code, or the message of a size refusal. */
export function readFailure(err: unknown): string {
  if (err instanceof InputTooLargeError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'NOT_A_REGULAR_FILE') return 'not a regular file (a device, FIFO or socket)';
  return e.code ?? (err as Error).message;
}
