// The report in words, one numbered section per step, then the verdict in kubectl's words and the fix.
import { escapeControls } from './escape.js';
import type { HandshakeReport } from './run.js';

const MARK = { ok: 'ok', warning: 'WARNING', failed: 'FAILED', skipped: 'skipped' } as const;

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
