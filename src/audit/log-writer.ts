// The log backend of --audit-log-path: staging/src/k8s.io/apiserver/plugin/pkg/audit/log/backend.go (logEvent:
// one encoded event and its newline per write, a failed write handed to audit.HandlePluginError, which logs
// "Error in audit plugin 'log' affecting 1 audit events: ...") and pkg/server/options/audit.go (getWriter: "-" is
// stdout; ensureLogFile: the folder made 0700, the file opened O_CREATE|O_APPEND 0600 before the server starts).
// Blocking mode (kube's default --audit-log-mode=blocking for the log backend): each event is written before the
// request goes on, with one synchronous write, so lines of concurrent requests never interleave.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeEvent, type AuditEvent } from './event.js';

/** kube's pluginlog.AllowedFormats; only json is built here. */
export const AUDIT_LOG_FORMATS = ['legacy', 'json'] as const;

/** Where events go; `write` reports whether the event was stored (kube's ProcessEvents). */
export interface AuditSink {
  write(event: AuditEvent): boolean;
  close(): void;
}

/** Receives a failed write, in kube's words. */
export type AuditErrorLog = (message: string) => void;

/** The message kube logs for a write that failed (audit.HandlePluginError, without its event dump). */
export function pluginErrorMessage(err: unknown): string {
  return `Error in audit plugin 'log' affecting 1 audit events: ${(err as Error).message ?? String(err)}`;
}

/** ensureLogFile: the folder (0700) and the file (0600) made, so a path that cannot be written stops the start. */
export function ensureLogFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}

/** Opens --audit-log-path ("-": stdout); throws when the folder or file cannot be made, before anything listens. */
export function openAuditLog(path: string, onError: AuditErrorLog): AuditSink {
  if (path === '-') {
    return {
      write(event) {
        // One write call per event: node queues it whole.
        try {
          process.stdout.write(encodeEvent(event));
          return true;
        } catch (err) {
          onError(pluginErrorMessage(err));
          return false;
        }
      },
      close() {},
    };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number | undefined = openSync(path, 'a', 0o600);
  return {
    write(event) {
      try {
        if (fd === undefined) throw new Error(`write ${path}: file already closed`);
        const line = Buffer.from(encodeEvent(event), 'utf8');
        // writeSync may write less than asked (a full disk); the rest follows at once, before any other event.
        let off = 0;
        while (off < line.length) off += writeSync(fd, line, off, line.length - off);
        return true;
      } catch (err) {
        onError(pluginErrorMessage(err));
        return false;
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
