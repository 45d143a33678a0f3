// `kube-auth-mock inspect FILE...`: reads each file (or stdin for "-"), fetches a server's JWKS for --server, and
// prints src/inspect's report as text or JSON. Exit 1 when a file is none of the known kinds or a check fails.
import { dirname, resolve } from 'node:path';
import { inspectInput, readFailure, readFileLimited, readStreamLimited, renderInspectReport, type InspectOptions, type InspectReport } from '../inspect/index.js';
import { ConfigError } from '../util/errors.js';
import { loadApiClient, statusMessage } from './api-client.js';
import { helpText, parseFlags, stringFlag, type FlagSpec } from './flags.js';

const USAGE = 'kube-auth-mock inspect FILE... [--key FILE] [--ca FILE] [--jwks FILE | --server KUBECONFIG] [-o text|json]';

const EXAMPLES = [
  'kube-auth-mock inspect pki/apiserver.crt',
  'kube-auth-mock inspect pki/admin.crt --key pki/admin.key --ca pki/ca.crt',
  'kube-auth-mock inspect pki/kubeconfigs/admin.kubeconfig',
  'kube-auth-mock token --serviceaccount default/default | kube-auth-mock inspect - --server pki/kubeconfigs/admin.kubeconfig',
  'kube-auth-mock inspect token.jwt --key pki/sa.pub -o json',
];

const EXIT_CODES = 'Exit codes: 0 every file read and every check passed; 1 a file unreadable or none of the kinds, a check failed, or a bad flag; 2 usage.\nEach input, and each file a kubeconfig names, is read up to 16 MiB.\n';

const FLAGS: readonly FlagSpec[] = [
  { name: 'key', type: 'string', help: 'a private key to match against the certificates (or a certificate to match a private key); a key or certificate to check a JWT\'s signature with' },
  { name: 'ca', type: 'string', help: 'CA certificate(s): check that the chain verifies to them (client certificates as kube-apiserver checks them)' },
  { name: 'jwks', type: 'string', help: 'a JSON Web Key Set file to check JWT signatures with (kid by kid, as kube-apiserver does)' },
  { name: 'server', type: 'string', help: 'a kubeconfig: fetch that server\'s /openid/v1/jwks with its credentials and check JWT signatures with it' },
  { name: 'output', type: 'string', short: 'o', default: 'text', help: 'text, or json (a list of reports, one per file)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

/**
 * Reads a file, or stdin for "-" (once: a second "-" gets what the first left, nothing); at most MAX_INPUT_BYTES, so
 * /dev/zero, a huge file or an endless pipe is a one-line error, not a hang.
 */
async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFileLimited(file);
  return readStreamLimited(process.stdin);
}

/** A flag's file, read; a missing or unreadable one is a one-line ConfigError naming it. */
async function flagFile(flag: string, file: string): Promise<{ source: string; bytes: Buffer }> {
  try {
    return { source: file, bytes: readFileLimited(file) };
  } catch (err) {
    throw new ConfigError({ file, reason: `${flag}: cannot be read: ${readFailure(err)}`, code: 'FILE_UNREADABLE' });
  }
}

/** The JWKS of the server a kubeconfig points at, with that kubeconfig's credentials. */
async function serverJwks(kubeconfig: string): Promise<{ source: string; document: unknown }> {
  const client = await loadApiClient(kubeconfig);
  const res = await client.request('GET', '/openid/v1/jwks', undefined, { accept: 'application/jwk-set+json, application/json' });
  if (res.status !== 200) throw new ConfigError({ file: kubeconfig, reason: `--server: GET ${client.server}/openid/v1/jwks: ${statusMessage(res)}`, code: 'FLAG_INVALID' });
  let document: unknown = res.body;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      throw new ConfigError({ file: kubeconfig, reason: `--server: ${client.server}/openid/v1/jwks did not answer JSON`, code: 'FLAG_INVALID' });
    }
  }
  return { source: `the JWKS of ${client.server}`, document };
}

/** Whether a report is a success: it was read and every check passed. */
const succeeded = (r: InspectReport): boolean => r.error === undefined && r.checks.every((c) => c.ok);

/** `kube-auth-mock inspect`. */
export async function inspectCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, { command: 'inspect', positionals: true });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${helpText(USAGE, EXAMPLES, FLAGS)}\n${EXIT_CODES}`);
    return values.help ? 0 : 2;
  }
  const output = stringFlag(values, 'output', 'text');
  if (output !== 'text' && output !== 'json') throw new ConfigError({ file: '--output', reason: `${JSON.stringify(output)} is not text or json`, code: 'FLAG_INVALID' });
  const jwksFile = stringFlag(values, 'jwks');
  const serverKubeconfig = stringFlag(values, 'server');
  if (jwksFile !== undefined && serverKubeconfig !== undefined) throw new ConfigError({ file: 'command line', reason: '--jwks and --server both give the keys: use one', code: 'FLAG_INVALID' });
  const base: InspectOptions = {};
  const keyFile = stringFlag(values, 'key');
  const caFile = stringFlag(values, 'ca');
  if (keyFile !== undefined) base.key = await flagFile('--key', keyFile);
  if (caFile !== undefined) base.ca = await flagFile('--ca', caFile);
  if (jwksFile !== undefined) {
    const { bytes } = await flagFile('--jwks', jwksFile);
    try {
      base.jwks = { source: jwksFile, document: JSON.parse(bytes.toString('utf8')) };
    } catch {
      throw new ConfigError({ file: jwksFile, reason: '--jwks: not JSON', code: 'FLAG_INVALID' });
    }
  }
  if (serverKubeconfig !== undefined) base.jwks = await serverJwks(serverKubeconfig);

  const reports: InspectReport[] = [];
  for (const file of positionals) {
    const source = file === '-' ? 'stdin' : file;
    let bytes: Buffer;
    try {
      bytes = await readInput(file);
    } catch (err) {
      reports.push({ source, encoding: '', items: [], checks: [], error: `cannot be read: ${readFailure(err)}` });
      continue;
    }
    reports.push(inspectInput(bytes, { ...base, source, baseDir: file === '-' ? process.cwd() : dirname(resolve(file)) }));
  }
  if (output === 'json') process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    // Errors go to stderr as one line each; explanations to stdout.
    const readable = reports.filter((r) => r.error === undefined);
    process.stdout.write(readable.map(renderInspectReport).join('\n'));
  }
  for (const r of reports) if (r.error !== undefined) process.stderr.write(`kube-auth-mock inspect: ${r.source}: ${r.error}\n`);
  return reports.every(succeeded) ? 0 : 1;
}
