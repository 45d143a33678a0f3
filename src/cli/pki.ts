import { writeSecretFile } from '../util/secret-file.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { issueClient, loadOrInitPki } from '../pki/index.js';
import { ensureDemoIdentities } from '../server/demo-identities.js';
import { helpText, listFlag, parseFlags, requiredFlags, stringFlag, UsageError, type FlagSpec } from './flags.js';
import { identityTable } from './table.js';
import { buildScenario, checkServerUrl, isScenarioName, SCENARIO_NAMES, SCENARIOS, ScenarioError, type BuiltScenario } from '../scenarios/index.js';
import { ConfigError } from '../util/errors.js';

const INIT_FLAGS: readonly FlagSpec[] = [
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'folder to create or complete' },
  { name: 'tls-san', type: 'string', multiple: true, help: 'extra DNS name or IP for the serving certificate' },
  { name: 'server', type: 'string', default: 'https://127.0.0.1:6443', help: 'server URL written into the demo kubeconfigs' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const CERT_USAGE = 'kube-auth-mock pki cert --user NAME [--group G]... [--uid U] [--front-proxy] [-o PREFIX]';

const CERT_FLAGS: readonly FlagSpec[] = [
  { name: 'user', type: 'string', help: 'user name (the certificate\'s CN)' },
  { name: 'group', type: 'string', multiple: true, help: 'group (one O each)' },
  { name: 'uid', type: 'string', help: 'user uid (the subject attribute 1.3.6.1.4.1.57683.2, read by kube 1.33+); empty is none' },
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'folder whose CA signs' },
  { name: 'front-proxy', type: 'boolean', help: 'sign with the folder\'s front-proxy-ca (an authenticating proxy\'s certificate, --requestheader-client-ca-file) instead of its ca' },
  { name: 'out', type: 'string', short: 'o', help: 'file prefix: writes PREFIX.crt and PREFIX.key (default: the user name)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const SCENARIO_USAGE = 'kube-auth-mock pki scenario NAME|all [-o DIR] [--pki-dir pki] [--server URL] | --list';

const SCENARIO_FLAGS: readonly FlagSpec[] = [
  { name: 'out', type: 'string', short: 'o', default: '.', help: 'folder to write NAME.kubeconfig and its certificates and keys into (created; files 0600)' },
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'the PKI folder of the server the kubeconfigs are for (created when missing)' },
  { name: 'server', type: 'string', default: 'https://127.0.0.1:6443', help: 'server URL written into the kubeconfigs (HOST:PORT means https://HOST:PORT)' },
  { name: 'list', type: 'boolean', help: 'list the scenarios, one line each' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

/** `kube-auth-mock pki init|cert|scenario`. */
export async function pkiCommand(argv: readonly string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'init') return pkiInit(rest);
  if (verb === 'cert') return pkiCert(rest);
  if (verb === 'scenario') return pkiScenario(rest);
  process.stdout.write(`Usage: kube-auth-mock pki init|cert|scenario [flags]\n\n${helpText('kube-auth-mock pki init [flags]', ['kube-auth-mock pki init --pki-dir pki --tls-san my-host'], INIT_FLAGS)}\n${helpText(CERT_USAGE, ['kube-auth-mock pki cert --user jane --group dev -o jane'], CERT_FLAGS)}\n${helpText(SCENARIO_USAGE, SCENARIO_EXAMPLES, SCENARIO_FLAGS)}`);
  return verb === undefined || verb === '--help' || verb === '-h' ? 0 : 2;
}

async function pkiInit(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, INIT_FLAGS, { command: 'pki init' });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock pki init [flags]', ['kube-auth-mock pki init', 'kube-auth-mock pki init --pki-dir /tmp/pki --tls-san 10.0.0.5'], INIT_FLAGS));
    return 0;
  }
  const dir = resolve(stringFlag(values, 'pki-dir', 'pki')!);
  const pki = await loadOrInitPki(dir, { sans: listFlag(values, 'tls-san') });
  const demos = await ensureDemoIdentities(pki, stringFlag(values, 'server', 'https://127.0.0.1:6443')!);
  process.stdout.write(`${pki.created.length > 0 ? `created:\n${pki.created.map((f) => `  ${f}`).join('\n')}\n` : `${dir}: everything already present, reused\n`}\n${identityTable(demos)}`);
  return 0;
}

async function pkiCert(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, CERT_FLAGS, { command: 'pki cert' });
  if (values.help) {
    process.stdout.write(helpText(CERT_USAGE, ['kube-auth-mock pki cert --user jane --group dev --group qa -o jane', 'kube-auth-mock pki cert --user jane --uid 4a5c1e0f -o jane', 'kube-auth-mock pki cert --front-proxy --user front-proxy-client -o proxy'], CERT_FLAGS));
    return 0;
  }
  const [user] = requiredFlags('pki cert', values, [['user', 'NAME']]);
  // An empty --uid is no uid, as for `kubeconfig --uid`: kube refuses a certificate whose UID attribute is empty.
  const uid = stringFlag(values, 'uid') || undefined;
  const pki = await loadOrInitPki(resolve(stringFlag(values, 'pki-dir', 'pki')!));
  // --front-proxy: the same client profile, signed by the front-proxy CA, so it is a proxy's certificate, not a user's.
  const issued = await issueClient(values['front-proxy'] === true ? { ...pki, ca: pki.frontProxyCa } : pki, { user, groups: listFlag(values, 'group'), ...(uid === undefined ? {} : { uid }) });
  const prefix = stringFlag(values, 'out', user)!;
  await writeFile(`${prefix}.crt`, issued.certPem, { mode: 0o644 });
  await writeSecretFile(`${prefix}.key`, issued.keyPem);
  process.stdout.write(`wrote ${prefix}.crt and ${prefix}.key (CN=${user}${listFlag(values, 'group').map((g) => `, O=${g}`).join('')}${uid === undefined ? '' : `, UID=${uid}`})\n`);
  return 0;
}

const SCENARIO_EXAMPLES = ['kube-auth-mock pki scenario --list', 'kube-auth-mock pki scenario wrong-ca -o broken/', 'kube-auth-mock pki scenario all -o broken/ --server https://127.0.0.1:6443'];

/** The --list table: each scenario's name and one line. */
export function scenarioList(): string {
  const width = Math.max(...SCENARIO_NAMES.map((n) => n.length));
  return SCENARIOS.map((s) => `${s.name.padEnd(width)}  ${s.summary}\n`).join('');
}

/** What was written, how to see it fail, and what kubectl prints. */
function scenarioReport(built: BuiltScenario, pkiDir: string): string {
  const lines = [`${built.name}: ${built.info.summary}`];
  for (const f of built.files) lines.push(`  wrote ${f.path}  (${f.description})`);
  if (built.serveArgs) lines.push(`  start the server: kube-auth-mock serve --pki-dir ${pkiDir} ${built.serveArgs.join(' ')}`);
  lines.push(`  try:            kubectl --kubeconfig ${built.kubeconfigFile} get --raw /version`);
  lines.push(`  kubectl prints: ${built.kubectlMessage}`);
  return `${lines.join('\n')}\n`;
}

async function pkiScenario(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, SCENARIO_FLAGS, { command: 'pki scenario', positionals: true });
  if (values.list) {
    process.stdout.write(scenarioList());
    return 0;
  }
  const [name, ...extra] = positionals;
  if (values.help) {
    process.stdout.write(`${helpText(SCENARIO_USAGE, SCENARIO_EXAMPLES, SCENARIO_FLAGS)}\nScenarios:\n${scenarioList()}\nExit codes: 0 written; 1 a bad flag or an unwritable folder; 2 usage.\n`);
    return 0;
  }
  if (name === undefined) throw new UsageError('pki scenario', 'a scenario NAME or all is required (--list names them)');
  if (extra.length > 0) throw new ConfigError({ file: 'command line', reason: `unexpected argument ${JSON.stringify(extra[0])}: one scenario name, or all`, code: 'FLAG_INVALID' });
  if (name !== 'all' && !isScenarioName(name)) {
    throw new ConfigError({ file: 'command line', reason: `unknown scenario ${JSON.stringify(name)}: one of ${SCENARIO_NAMES.join(', ')}, or all (see --list)`, code: 'FLAG_INVALID' });
  }
  const pkiDir = resolve(stringFlag(values, 'pki-dir', 'pki')!);
  const server = stringFlag(values, 'server', 'https://127.0.0.1:6443')!;
  const dir = stringFlag(values, 'out', '.')!;
  let serverUrl: string;
  try {
    serverUrl = checkServerUrl(server);
  } catch (err) {
    // A bad --server is a flag error: one line naming the flag, before any folder is made.
    if (err instanceof ScenarioError) throw new ConfigError({ file: '--server', reason: err.message, code: 'FLAG_INVALID' });
    throw err;
  }
  const pki = await loadOrInitPki(pkiDir);
  const names = name === 'all' ? SCENARIO_NAMES : [name];
  const reports: string[] = [];
  for (const n of names) {
    try {
      reports.push(scenarioReport(await buildScenario(n, { pki, server: serverUrl, dir }), pkiDir));
    } catch (err) {
      // A folder that is a file, and the like: one line naming it, as main prints a ConfigError.
      if (err instanceof ScenarioError) throw new ConfigError({ file: '--out', reason: err.message, code: 'FLAG_INVALID' });
      throw err;
    }
  }
  process.stdout.write(reports.join('\n'));
  return 0;
}
