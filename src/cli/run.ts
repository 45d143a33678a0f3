// Routes argv to one file per subcommand, and turns the errors they throw into one line and an exit code.
import { ConfigError, ListenError, PkiError } from '../util/errors.js';
import { ApiError } from './api-client.js';
import { UsageError } from './flags.js';
import { explainCommand } from './explain.js';
import { inspectCommand } from './inspect.js';
import { kubeconfigCommand } from './kubeconfig.js';
import { pkiCommand } from './pki.js';
import { serveCommand } from './serve.js';
import { inClusterMain } from './incluster.js';
import { tokenCommand } from './token.js';
import { webhookCommand } from './webhook.js';
// kube-auth-mock handshake: a kubeconfig's connection narrated (src/handshake).
import { handshakeCommand } from './handshake.js';

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  serve: serveCommand,
  pki: pkiCommand,
  handshake: handshakeCommand,
  kubeconfig: kubeconfigCommand,
  explain: explainCommand,
  token: tokenCommand,
  incluster: inClusterMain,
  webhook: webhookCommand,
  inspect: inspectCommand,
};

const USAGE = `kube-auth-mock: a mock Kubernetes API server for authentication and authorization testing

Usage:
  kube-auth-mock serve [flags]        start the server (npm start)
  kube-auth-mock pki init|cert        create the PKI folder; issue a client certificate
  kube-auth-mock pki scenario NAME    certificates and a kubeconfig that fail the way real ones do (--list)
  kube-auth-mock kubeconfig [flags]   mint an identity and write its kubeconfig
  kube-auth-mock explain [flags]      which bindings and rules decide a request, and why
  kube-auth-mock handshake --kubeconfig FILE [--json]  be a kubeconfig's client and narrate the TLS handshake and who the server says we are
  kube-auth-mock token --serviceaccount NS/NAME        a ServiceAccount token, like kubectl create token (through the API)
  kube-auth-mock token bootstrap create|list|delete   bootstrap tokens, like kubeadm token (through the API)
  kube-auth-mock incluster --serviceaccount NS/NAME -o DIR   the files a pod's in-cluster config reads
  kube-auth-mock webhook serve --script FILE          a scriptable TokenReview / SubjectAccessReview webhook
  kube-auth-mock inspect FILE...      explain certificates, keys, CSRs, kubeconfigs and tokens ('-' reads stdin)

Run a command with --help for its flags and examples.
`;

/** A message as one line: a file name may hold line breaks or other control characters; they are escaped as Go's %q would. */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** What to change when a port cannot be had, naming the flag that sets it. */
function listenHint(err: ListenError): string {
  const where = err.listener;
  if (where === undefined) return '';
  switch (err.code) {
    case 'EADDRINUSE':
      return ` (another process holds port ${where.port}: stop it, or choose another with --${where.portFlag}; --${where.portFlag} 0 picks a free one)`;
    case 'EACCES':
      return ` (port ${where.port} needs privileges this process lacks: choose a port above 1023 with --${where.portFlag})`;
    case 'EADDRNOTAVAIL':
      return where.addressFlag === undefined ? '' : ` (${where.address} is not an address of this host: choose another with --${where.addressFlag})`;
    default:
      return '';
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command === undefined ? undefined : COMMANDS[command];
  if (run === undefined) {
    process.stdout.write(USAGE);
    return command === undefined || command === '--help' || command === '-h' || command === 'help' ? 0 : 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    // A usage mistake: one line naming the command as typed, and where its flags are listed; exit 2 like cobra.
    if (err instanceof UsageError) {
      process.stderr.write(`kube-auth-mock ${err.command}: ${oneLine(err.message)} (see kube-auth-mock ${err.command} --help)\n`);
      return 2;
    }
    // Configuration, PKI and listen errors name the file (or address) and what is wrong: show that, not a stack.
    if (err instanceof ListenError) {
      process.stderr.write(`kube-auth-mock ${command}: ${oneLine(err.message)}${listenHint(err)}\n`);
      return 1;
    }
    if (err instanceof ConfigError || err instanceof PkiError || err instanceof ApiError) {
      process.stderr.write(`kube-auth-mock ${command}: ${oneLine(err.message)}\n`);
      return 1;
    }
    // A file system error met anywhere (writing a kubeconfig, reading a folder) names its path: one line too.
    const fsError = err as NodeJS.ErrnoException;
    if (err instanceof Error && typeof fsError.code === 'string' && typeof fsError.path === 'string') {
      process.stderr.write(`kube-auth-mock ${command}: ${oneLine(`${fsError.path}: ${fsError.syscall ?? 'cannot access'}: ${fsError.code}`)}\n`);
      return 1;
    }
    throw err;
  }
}
