// `kube-auth-mock incluster --serviceaccount NS/NAME -o DIR`: what a pod's in-cluster config reads, for code
// under test that calls client-go's rest.InClusterConfig, client-node's loadFromCluster or python's
// load_incluster_config (docs/serviceaccounts.md says how to point each at DIR).
import { helpText, parseFlags, requiredFlags, type FlagSpec } from './flags.js';
import { inClusterCommand, SERVICE_ACCOUNT_FLAGS } from './serviceaccount.js';

const FLAGS: readonly FlagSpec[] = [
  ...SERVICE_ACCOUNT_FLAGS,
  { name: 'out', type: 'string', short: 'o', help: 'the folder to write token, ca.crt and namespace into (created)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const EXAMPLES = [
  'eval "$(kube-auth-mock incluster --serviceaccount dev/builder -o /tmp/sa/var/run/secrets/kubernetes.io/serviceaccount)"',
  'node -e "const k = require(\'@kubernetes/client-node\'); const kc = new k.KubeConfig(); kc.loadFromCluster(\'/tmp/sa\')"',
];

export async function inClusterMain(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, { command: 'incluster' });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock incluster --serviceaccount NAMESPACE/NAME -o DIR [--audience A]... [--duration D] [--create]', EXAMPLES, FLAGS));
    return 0;
  }
  requiredFlags('incluster', values, [['serviceaccount', 'NAMESPACE/NAME'], ['out', 'DIR']]);
  return inClusterCommand(values);
}
