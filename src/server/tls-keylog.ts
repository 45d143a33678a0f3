// --tls-keylog FILE: the session secrets of every connection in the NSS key log format (node's server 'keylog'
// event, what SSLKEYLOGFILE makes browsers and curl write), appended to FILE so Wireshark or tshark can decrypt a
// capture. The file is a secret like a private key: created 0600, and a warning says so at start-up. It must be a
// regular file named directly: a symlink is refused (O_NOFOLLOW), so a link planted where the file is expected
// cannot send the session keys elsewhere or have us chmod its target, and so is anything else (a FIFO would block
// start-up, and narrowing /dev/null to 0600 as root would break the machine).
import { closeSync, constants, fchmodSync, fstatSync, openSync, writeSync } from 'node:fs';
import type { Server as TlsServer } from 'node:tls';
import { ConfigError } from '../util/errors.js';
import type { Logger } from '../util/log.js';

/** An open key log. */
export interface KeyLog {
  readonly file: string;
  /** Appends the server's key log lines from now on. */
  attach(server: TlsServer): void;
  close(): void;
}

/** The start-up warning's message. */
export const KEYLOG_WARNING = 'TLS key log: the session keys of every connection are written to this file; anyone holding it can decrypt the traffic';

/** Opens FILE for appending (created 0600, narrowed to 0600 if it was wider); one line naming it when it cannot be. */
export function openKeyLog(file: string, log: Logger): KeyLog {
  let fd: number;
  const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = constants;
  try {
    fd = openSync(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Linux says ELOOP for a symlink under O_NOFOLLOW (the BSDs EMLINK); a FIFO without a reader is ENXIO.
    const why = code === 'ELOOP' || code === 'EMLINK' ? 'it is a symbolic link; name the file itself' : code === 'ENXIO' ? 'it is not a regular file' : (code ?? (err as Error).message);
    throw new ConfigError({ file, reason: `cannot open the TLS key log (--tls-keylog): ${why}`, code: 'FILE_UNREADABLE' });
  }
  let regular: boolean;
  try {
    regular = fstatSync(fd).isFile();
  } catch {
    regular = false;
  }
  if (!regular) {
    closeSync(fd);
    throw new ConfigError({ file, reason: 'cannot open the TLS key log (--tls-keylog): it is not a regular file', code: 'FILE_UNREADABLE' });
  }
  try {
    fchmodSync(fd, 0o600);
  } catch (err) {
    closeSync(fd);
    throw new ConfigError({ file, reason: `cannot make the TLS key log private (--tls-keylog): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'FILE_UNREADABLE' });
  }
  log.warn({ file }, KEYLOG_WARNING);
  let writing = true;
  let closed = false;
  return {
    file,
    attach(server) {
      // Written at once, in order: a capture decrypted right after the request finds its keys.
      server.on('keylog', (line: Buffer) => {
        if (!writing) return;
        try {
          writeSync(fd, line);
        } catch (err) {
          writing = false;
          log.error({ file, error: (err as Error).message }, 'TLS key log: cannot write, no more lines are written');
        }
      });
    },
    close() {
      writing = false;
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
