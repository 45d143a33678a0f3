// The log backend of --audit-log-path: staging/src/k8s.io/apiserver/plugin/pkg/audit/log/backend.go (logEvent:
// one event, json or legacy, and its newline per write; a failed encoding or write handed to
// audit.HandlePluginError, which logs "Error in audit plugin 'log' affecting 1 audit events: ..." and the event's
// EventString) and pkg/server/options/audit.go (getWriter: "-" is stdout, a file is a lumberjack.Logger;
// ensureLogFile: the folder made 0700, the file opened O_CREATE|O_APPEND 0600 before the server starts).
// Each event is written before the request goes on, with one synchronous write (a rotation included), so lines
// of concurrent requests never interleave.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeEvent, type AuditEvent } from './event.js';
import { eventString } from './format.js';
import { Lumberjack, type LumberjackOptions } from './lumberjack.js';

/** kube's pluginlog.AllowedFormats. */
export const AUDIT_LOG_FORMATS = ['legacy', 'json'] as const;
export type AuditLogFormat = (typeof AUDIT_LOG_FORMATS)[number];

/** Where events go; `write` reports whether the event was stored (kube's ProcessEvents). */
export interface AuditSink {
  write(event: AuditEvent): boolean;
  close(): void;
}

/** Receives a failed write, in kube's words. */
export type AuditErrorLog = (message: string) => void;

/** audit.HandlePluginError's message for one event: the error, then the event as EventString prints it. */
export function pluginErrorMessage(err: unknown, event?: AuditEvent): string {
  const message = `Error in audit plugin 'log' affecting 1 audit events: ${(err as Error).message ?? String(err)}\nImpacted events:\n`;
  return event === undefined ? message : `${message}${eventString(event)}\n`;
}

/** ensureLogFile: the folder (0700) and the file (0600) made, so a path that cannot be written stops the start. */
export function ensureLogFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}

/** How the log is written: the format (default json) and, for a file, lumberjack's rotation settings. */
export interface AuditLogOptions extends LumberjackOptions {
  format?: AuditLogFormat;
}

/** logEvent's line: json (the event's encoding, newline-terminated) or legacy (EventString and a newline). */
function lineOf(event: AuditEvent, format: AuditLogFormat): string {
  return format === 'legacy' ? `${eventString(event)}\n` : encodeEvent(event);
}

/** Opens --audit-log-path ("-": stdout); a file is written through lumberjack, opened on the first event. */
export function openAuditLog(path: string, onError: AuditErrorLog, opts: AuditLogOptions = {}): AuditSink {
  const format = opts.format ?? 'json';
  let out: { write(line: string): void; close(): void };
  if (path === '-') {
    // One write call per event: node queues it whole. A stdout that goes away (EPIPE) fails later, as an 'error'
    // event, which would end the process unheard: it is reported like any failed write.
    const onStdoutError = (err: Error): void => onError(pluginErrorMessage(err));
    process.stdout.on('error', onStdoutError);
    out = { write: (line) => void process.stdout.write(line), close: () => void process.stdout.off('error', onStdoutError) };
  } else {
    const file = new Lumberjack(path, opts);
    let closed = false;
    out = {
      write(line) {
        if (closed) throw new Error(`write ${path}: file already closed`);
        file.write(Buffer.from(line, 'utf8'));
      },
      close() {
        closed = true;
        file.close();
      },
    };
  }
  return {
    write(event) {
      try {
        out.write(lineOf(event, format));
        return true;
      } catch (err) {
        onError(pluginErrorMessage(err, event));
        return false;
      }
    },
    close: () => out.close(),
  };
}
