// The report in words, one numbered section per step, then the verdict in kubectl's words and the fix.
import type { HandshakeReport } from './run.js';

const MARK = { ok: 'ok', warning: 'WARNING', failed: 'FAILED', skipped: 'skipped' } as const;

/**
 * Text from the server (its Status message, a certificate's subject, a user name) shown safely on a terminal: C0
 * and C1 control characters (escape sequences that move the cursor or rewrite what was printed), DEL and the
 * bidirectional overrides become \uXXXX. Newlines are kept only when `newlines` says so (our own multi-line text).
 */
export function escapeControls(text: string, newlines = false): string {
  const unsafe = newlines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g : /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  return text.replace(unsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The narration as text (what `kube-auth-mock handshake` prints without --json). */
export function renderReport(r: HandshakeReport): string {
  const out: string[] = [];
  out.push(`kubeconfig ${r.kubeconfig}, context ${JSON.stringify(r.context)} (cluster ${JSON.stringify(r.cluster)}, user ${JSON.stringify(r.user)})`);
  if (r.server !== '') out.push(`server ${r.server}`);
  r.steps.forEach((s, i) => {
    out.push('', `${i + 1}. ${s.title} [${MARK[s.status]}]`);
    for (const line of s.lines) for (const part of line.split('\n')) out.push(`   ${part}`);
  });
  out.push('');
  const v = r.verdict;
  if (v.authenticated) {
    out.push(`Verdict: authenticated as ${JSON.stringify(r.identity?.username ?? '')}${r.identity !== undefined && r.identity.groups.length > 0 ? ` (groups ${r.identity.groups.map((g) => escapeControls(g)).join(', ')})` : ''}; kubectl would connect and be this user.`);
  } else {
    out.push('Verdict: kubectl would fail with', `   ${v.kubectl ?? v.error ?? ''}`, `Why: ${v.why ?? ''}`, `Fix: ${v.fix ?? ''}`);
  }
  return `${out.flatMap((line) => line.split('\n')).map((line) => escapeControls(line)).join('\n')}\n`;
}
