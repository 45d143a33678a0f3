// --audit-policy-file, --audit-log-path and --audit-log-format, checked before the server listens, as
// kube-apiserver's AuditOptions do (staging/src/k8s.io/apiserver/pkg/server/options/audit.go: Validate, ApplyTo,
// getWriter, ensureLogFile). Without both a policy and a path nothing is audited, as in kube ("No audit policy file
// provided, no events will be recorded"). --audit-log-maxsize / --audit-log-maxbackup (rotation) are not built.
import { AuditPolicyError, loadPolicyFromFile, newPolicyRuleEvaluator, type PolicyRuleEvaluator } from '../audit/policy.js';
import { AUDIT_LOG_FORMATS, ensureLogFile, openAuditLog } from '../audit/log-writer.js';
import type { AuditConfig } from '../filters/audit.js';
import { ConfigError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { StartServerOptions } from './options.js';

/** The audit settings once checked: the policy's evaluator and where the log goes. */
export interface AuditSettings {
  evaluate: PolicyRuleEvaluator;
  path: string;
}

/** Loads and checks the policy and the log path; undefined when auditing is off. Throws a ConfigError naming the file. */
export async function completeAudit(options: StartServerOptions, log: Logger): Promise<AuditSettings | undefined> {
  const format = options.auditLogFormat ?? 'json';
  if (!(AUDIT_LOG_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError({ file: '--audit-log-format', reason: `invalid audit log format ${format}, allowed formats are "${AUDIT_LOG_FORMATS.join(',')}"`, code: 'FLAG_INVALID' });
  }
  if (format === 'legacy') throw new ConfigError({ file: '--audit-log-format', reason: 'the legacy format is not built in kube-auth-mock; use json (the default)', code: 'FLAG_INVALID' });
  const policyFile = options.auditPolicyFile;
  const path = options.auditLogPath;
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
  if (path === undefined || path === '') return undefined;
  if (path !== '-') {
    // ensureLogFile: the folder and the file made before anything listens.
    try {
      ensureLogFile(path);
    } catch (err) {
      throw new ConfigError({ file: path, reason: `ensureLogFile: ${(err as Error).message}`, code: 'FILE_UNREADABLE' });
    }
  }
  return { evaluate, path };
}

/** Opens the log; failed writes go to the server log at error level, as kube's HandlePluginError does. */
export function openAudit(settings: AuditSettings, log: Logger, closers: (() => void)[]): AuditConfig {
  const sink = openAuditLog(settings.path, (message) => log.error(message));
  closers.push(() => sink.close());
  return { evaluate: settings.evaluate, sink };
}
