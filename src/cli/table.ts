import type { DemoIdentity } from '../server/demo-identities.js';

/** The start-up table: identity | how it authenticates | kubeconfig path. */
export function identityTable(identities: readonly DemoIdentity[]): string {
  const rows = [['IDENTITY', 'HOW IT AUTHENTICATES', 'KUBECONFIG'], ...identities.map((d) => [`${d.user} [${d.groups.join(', ')}]`, d.how, d.kubeconfig])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}
