// `kube-auth-mock handshake`: act as the client of a kubeconfig and narrate each step of the connection.
import { renderReport } from '../handshake/render.js';
import { runHandshake } from '../handshake/run.js';
import { helpText, parseFlags, requiredFlags, stringFlag, type FlagSpec } from './flags.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', help: 'the kubeconfig to act as the client of (any server, not only kube-auth-mock)' },
  { name: 'context', type: 'string', help: 'the context to use instead of current-context' },
  { name: 'json', type: 'boolean', help: 'print the steps, the verdict and the identity as JSON' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const EXAMPLES = [
  'kube-auth-mock handshake --kubeconfig pki/kubeconfigs/admin.kubeconfig',
  'kube-auth-mock handshake --kubeconfig ~/.kube/config --context prod --json',
];

/** Exit code 0 when the server authenticated us, 1 otherwise (2 for bad usage). */
export async function handshakeCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, { command: 'handshake' });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock handshake --kubeconfig FILE [--context NAME] [--json]', EXAMPLES, FLAGS));
    return 0;
  }
  const [kubeconfig] = requiredFlags('handshake', values, [['kubeconfig', 'FILE']]);
  const context = stringFlag(values, 'context');
  const report = await runHandshake({ kubeconfig, ...(context !== undefined ? { context } : {}) });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return report.verdict.authenticated ? 0 : 1;
}
