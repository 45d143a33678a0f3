import { writeSecretFile } from '../util/secret-file.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../util/errors.js';
import { fileIdentityStore } from '../kubeconfig/file-store.js';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import { mintCredentials } from '../kubeconfig/mint.js';
import { loadOrInitPki } from '../pki/index.js';
import { AUTH_FILE_NAMES, defaultAuthFiles } from '../server/demo-identities.js';
import { SERVICE_ACCOUNT_FLAGS, serviceAccountKubeconfigCommand } from './serviceaccount.js';
import { helpText, listFlag, parseFlags, requiredFlags, stringFlag, type FlagSpec } from './flags.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'user', type: 'string', help: 'user name; minting a user again with --auth token or basic replaces its line in the file (new groups and uid too), so its old token or password stops working' },
  { name: 'group', type: 'string', multiple: true, help: 'group' },
  { name: 'uid', type: 'string', help: 'user uid, for every kind (a certificate carries it as the subject attribute 1.3.6.1.4.1.57683.2); empty is none' },
  { name: 'auth', type: 'string', default: 'cert', help: 'cert, token or basic' },
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'the server\'s PKI folder' },
  { name: 'server', type: 'string', help: 'server URL (default: the one in the PKI folder\'s admin kubeconfig, kept current by serve)' },
  { name: 'token-auth-file', type: 'string', help: 'token file the server reads (default: the PKI folder\'s)' },
  { name: 'basic-auth-file', type: 'string', help: 'password file the server reads (default: the PKI folder\'s)' },
  { name: 'out', type: 'string', short: 'o', help: 'write the kubeconfig here (mode 0600) instead of stdout' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const EXAMPLES = [
  'kube-auth-mock kubeconfig --user jane --group dev --auth token -o jane.kubeconfig',
  'kube-auth-mock kubeconfig --user ci-bot --auth cert -o ci.kubeconfig',
  'kube-auth-mock kubeconfig --user ci-bot --uid 4a5c1e0f --auth cert -o ci.kubeconfig',
  'kubectl --kubeconfig jane.kubeconfig auth whoami',
];

async function defaultServer(pkiDir: string): Promise<string> {
  const admin = join(pkiDir, AUTH_FILE_NAMES.kubeconfigDir, 'admin.kubeconfig');
  if (existsSync(admin)) {
    const doc = parse(await readFile(admin, 'utf8')) as { clusters?: { cluster?: { server?: string } }[] } | null;
    const server = doc?.clusters?.[0]?.cluster?.server;
    if (server) return server;
  }
  return 'https://127.0.0.1:6443';
}

/** `kube-auth-mock kubeconfig`: mints an identity the running server accepts at once and writes its kubeconfig. */
export async function kubeconfigCommand(argv: readonly string[]): Promise<number> {
  if (argv.some((a) => a === '--serviceaccount' || a.startsWith('--serviceaccount='))) return serviceAccountKubeconfig(argv);
  const { values } = parseFlags(argv, FLAGS, { command: 'kubeconfig' });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock kubeconfig --user NAME [--group G]... [--uid U] --auth cert|token|basic [--server URL] [-o FILE]', EXAMPLES, FLAGS));
    return 0;
  }
  const [user] = requiredFlags('kubeconfig', values, [['user', 'NAME']], 'or --serviceaccount NAMESPACE/NAME for a ServiceAccount');
  const auth = stringFlag(values, 'auth', 'cert');
  if (auth !== 'cert' && auth !== 'token' && auth !== 'basic') throw new ConfigError({ file: '--auth', reason: `${JSON.stringify(auth)} is not cert, token or basic`, code: 'FLAG_INVALID' });
  const pkiDir = resolve(stringFlag(values, 'pki-dir', 'pki')!);
  const pki = await loadOrInitPki(pkiDir);
  const defaults = defaultAuthFiles(pkiDir);
  const store = fileIdentityStore(pki, {
    tokenFile: stringFlag(values, 'token-auth-file', defaults.tokenFile)!,
    passwordFile: stringFlag(values, 'basic-auth-file', defaults.passwordFile)!,
  });
  const uid = stringFlag(values, 'uid');
  const credentials = await mintCredentials(store, { user, groups: listFlag(values, 'group'), auth, ...(uid === undefined ? {} : { uid }) });
  const yaml = renderKubeconfig({ server: stringFlag(values, 'server') ?? (await defaultServer(pkiDir)), caPem: pki.ca.certPem, userName: user, credentials });
  const out = stringFlag(values, 'out');
  if (out === undefined) {
    process.stdout.write(yaml);
  } else {
    await writeSecretFile(out, yaml);
    process.stderr.write(`wrote ${out} for ${user} (${auth})\n`);
  }
  return 0;
}

const SERVICE_ACCOUNT_KUBECONFIG_FLAGS: readonly FlagSpec[] = [
  ...SERVICE_ACCOUNT_FLAGS,
  { name: 'server', type: 'string', help: 'server URL (default: the --kubeconfig\'s)' },
  { name: 'out', type: 'string', short: 'o', help: 'write the kubeconfig here (mode 0600) instead of stdout' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

/** `kubeconfig --serviceaccount NS/NAME`: a kubeconfig carrying a TokenRequest token, asked of the running server. */
async function serviceAccountKubeconfig(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, SERVICE_ACCOUNT_KUBECONFIG_FLAGS, { command: 'kubeconfig' });
  if (values.help) {
    process.stdout.write(
      helpText('kube-auth-mock kubeconfig --serviceaccount NAMESPACE/NAME [--audience A]... [--duration D] [--create] [-o FILE]', ['kube-auth-mock kubeconfig --serviceaccount dev/builder -o builder.kubeconfig', 'kubectl --kubeconfig builder.kubeconfig auth whoami'], SERVICE_ACCOUNT_KUBECONFIG_FLAGS),
    );
    return 0;
  }
  return serviceAccountKubeconfigCommand(values);
}
