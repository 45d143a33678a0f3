// The --audit-* flags, checked before the server listens, as kube-apiserver's AuditOptions do
// (staging/src/k8s.io/apiserver/pkg/server/options/audit.go: AuditLogOptions.Validate, ApplyTo, getWriter,
// ensureLogFile, AuditBatchOptions.wrapBackend). Without both a policy and a path nothing is audited, as in kube
// ("No audit policy file provided, no events will be recorded"); the log flags are only checked with a path, as
// kube's Validate only checks an enabled backend.
import { AuditPolicyError, loadPolicyFromFile, newPolicyRuleEvaluator, type PolicyRuleEvaluator } from '../audit/policy.js';
import { AUDIT_LOG_FORMATS, ensureLogFile, openAuditLog, type AuditLogFormat, type AuditLogOptions, type AuditSink } from '../audit/log-writer.js';
import type { AuditConfig } from '../filters/audit.js';
import { ConfigError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { StartServerOptions } from './options.js';

/** kube's AllowedModes; "batch" (a buffer written behind the requests' back) is not built. */
export const AUDIT_LOG_MODES = ['batch', 'blocking', 'blocking-strict'] as const;
export type AuditLogMode = 'blocking' | 'blocking-strict';

/** The audit settings once checked: the policy's evaluator, where the log goes and how. */
export interface AuditSettings {
  evaluate: PolicyRuleEvaluator;
  path: string;
  mode: AuditLogMode;
  log: AuditLogOptions;
}

const MEGABYTE = 1024 * 1024;

function flagError(flag: string, reason: string): ConfigError {
  return new ConfigError({ file: flag, reason, code: 'FLAG_INVALID' });
}

/** AuditLogOptions.Validate, in kube's order and words; the first problem is thrown. */
function validateLogOptions(options: StartServerOptions): { format: AuditLogFormat; mode: AuditLogMode } {
  const mode = options.auditLogMode ?? 'blocking';
  if (!(AUDIT_LOG_MODES as readonly string[]).includes(mode)) {
    throw flagError('--audit-log-mode', `invalid audit log mode ${mode}, allowed modes are "${AUDIT_LOG_MODES.join(',')}"`);
  }
  if (mode === 'batch') throw flagError('--audit-log-mode', 'the batch mode is not built in kube-auth-mock; use blocking (the default) or blocking-strict');
  const format = options.auditLogFormat ?? 'json';
  if (!(AUDIT_LOG_FORMATS as readonly string[]).includes(format)) {
    throw flagError('--audit-log-format', `invalid audit log format ${format}, allowed formats are "${AUDIT_LOG_FORMATS.join(',')}"`);
  }
  const numbers: [string, number | undefined][] = [
    ['--audit-log-maxage', options.auditLogMaxAge],
    ['--audit-log-maxbackup', options.auditLogMaxBackup],
    ['--audit-log-maxsize', options.auditLogMaxSize],
  ];
  for (const [flag, value] of numbers) {
    if (value === undefined) continue;
    // pflag's IntVar takes whole numbers only; StartServerOptions may be handed anything.
    if (!Number.isSafeInteger(value)) throw flagError(flag, `invalid argument ${JSON.stringify(String(value))} for "${flag}" flag: not a whole number`);
    if (value < 0) throw flagError(flag, `${flag} ${value} can't be a negative number`);
  }
  return { format: format as AuditLogFormat, mode: mode as AuditLogMode };
}

/** Loads and checks the policy and the log flags; undefined when auditing is off. Throws a ConfigError naming the file or flag. */
export async function completeAudit(options: StartServerOptions, log: Logger): Promise<AuditSettings | undefined> {
  const path = options.auditLogPath;
  const checked = path !== undefined && path !== '' ? validateLogOptions(options) : undefined;
  const policyFile = options.auditPolicyFile;
  if (policyFile === undefined || policyFile === '') return undefined;
  let evaluate: PolicyRuleEvaluator;
  try {
    const loaded = await loadPolicyFromFile(policyFile);
    if (loaded.warning !== undefined) log.warn(loaded.warning);
    evaluate = newPolicyRuleEvaluator(loaded.policy);
  } catch (err) {
    if (err instanceof AuditPolicyError) throw new ConfigError({ file: policyFile, reason: `loading audit policy file: ${err.message}`, code: 'AUDIT_POLICY_INVALID' });
    throw err;
  }
  if (path === undefined || path === '' || checked === undefined) return undefined;
  if (path !== '-') {
    // ensureLogFile: the folder and the file made before anything listens.
    try {
      ensureLogFile(path);
    } catch (err) {
      throw new ConfigError({ file: path, reason: `ensureLogFile: ${(err as Error).message}`, code: 'FILE_UNREADABLE' });
    }
  }
  return {
    evaluate,
    path,
    mode: checked.mode,
    log: {
      format: checked.format,
      // getWriter's lumberjack.Logger{MaxSize: MB (0: lumberjack's 100 MB), MaxBackups, MaxAge: days, Compress}.
      maxSizeBytes: (options.auditLogMaxSize ?? 0) * MEGABYTE,
      maxBackups: options.auditLogMaxBackup ?? 0,
      maxAgeDays: options.auditLogMaxAge ?? 0,
      compress: options.auditLogCompress ?? false,
    },
  };
}

/**
 * wrapBackend: in blocking mode (kube's default for the log) a failed write is logged but reported as stored
 * (ignoreErrorsBackend), so the request goes on; blocking-strict reports it, and a RequestReceived that could not be
 * stored answers 500.
 */
function wrapSink(sink: AuditSink, mode: AuditLogMode): AuditSink {
  if (mode === 'blocking-strict') return sink;
  return {
    write: (event) => {
      sink.write(event);
      return true;
    },
    close: () => sink.close(),
  };
}

/** Opens the log; failed writes go to the server log at error level, as kube's HandlePluginError does. */
export function openAudit(settings: AuditSettings, log: Logger, closers: (() => void)[]): AuditConfig {
  const sink = openAuditLog(settings.path, (message) => log.error(message), settings.log);
  closers.push(() => sink.close());
  return { evaluate: settings.evaluate, sink: wrapSink(sink, settings.mode) };
}
