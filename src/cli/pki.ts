import { writeSecretFile } from '../util/secret-file.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { issueClient, loadOrInitPki } from '../pki/index.js';
import { ensureDemoIdentities } from '../server/demo-identities.js';
import { helpText, listFlag, parseFlags, stringFlag, type FlagSpec } from './flags.js';
import { identityTable } from './table.js';

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

/** `kube-auth-mock pki init|cert`. */
export async function pkiCommand(argv: readonly string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'init') return pkiInit(rest);
  if (verb === 'cert') return pkiCert(rest);
  process.stdout.write(`Usage: kube-auth-mock pki init|cert [flags]\n\n${helpText('kube-auth-mock pki init [flags]', ['kube-auth-mock pki init --pki-dir pki --tls-san my-host'], INIT_FLAGS)}\n${helpText(CERT_USAGE, ['kube-auth-mock pki cert --user jane --group dev -o jane'], CERT_FLAGS)}`);
  return verb === undefined || verb === '--help' || verb === '-h' ? 0 : 2;
}

async function pkiInit(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, INIT_FLAGS);
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
  const { values } = parseFlags(argv, CERT_FLAGS);
  const user = stringFlag(values, 'user');
  if (values.help || user === undefined) {
    process.stdout.write(helpText(CERT_USAGE, ['kube-auth-mock pki cert --user jane --group dev --group qa -o jane', 'kube-auth-mock pki cert --user jane --uid 4a5c1e0f -o jane', 'kube-auth-mock pki cert --front-proxy --user front-proxy-client -o proxy'], CERT_FLAGS));
    return values.help ? 0 : 2;
  }
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
