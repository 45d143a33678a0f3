// Reading a file a flag or a kubeconfig names, whole but with a ceiling. Go's os.ReadFile (what clientcmd and the
// webhook's token source use) would read /dev/zero until memory runs out; here such a file gives EFBIG ("file too
// large" in Go's words) once it passes the ceiling. FIFOs still work (a kubeconfig from `<(...)`): they are read, not
// refused. The largest honest file is a kubeconfig with many embedded chains, well under a megabyte.
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** The most bytes read from one such file. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

function tooLarge(path: string, limit: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`EFBIG: file larger than ${limit / (1024 * 1024)} MiB, read '${path}'`), { code: 'EFBIG', syscall: 'read', path });
}

/** readFile(path) that fails with EFBIG after `limit` bytes instead of reading without end. */
export async function readFileBounded(path: string, limit = MAX_FILE_BYTES): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > limit) throw tooLarge(path, limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** readFileSync(path) that fails with EFBIG after `limit` bytes. */
export function readFileBoundedSync(path: string, limit = MAX_FILE_BYTES): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > limit) throw tooLarge(path, limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    closeSync(fd);
  }
}
