// `kube-auth-mock token`: tokens for a running server, through its API.
//
// `token bootstrap create|list|delete` is kubeadm's `token create|list|delete` (cmd/kubeadm/app/cmd/token.go,
// k8s.io/kubernetes v1.34.4), with its flags (cmd/kubeadm/app/cmd/options/token.go), defaults
// (apis/bootstraptoken/v1/defaults.go), validation (apis/kubeadm/validation/validation.go: ValidateBootstrapTokens),
// Secret encoding and decoding (apis/bootstraptoken/v1/utils.go) and output, messages included.
// `token --serviceaccount NS/NAME` is `kubectl create token` (src/cli/serviceaccount.ts).
import { join, resolve } from 'node:path';
import { parseGoDuration, parseGoRfc3339, formatGoRfc3339, type GoTime } from '../apimachinery/go-time.js';
import { metaTime } from '../apimachinery/meta-time.js';
import type { KubeObject } from '../apimachinery/object.js';
import { aggregateMessage } from '../apimachinery/aggregate.js';
import { compareGoStrings, fieldInvalid, goQuote, GoValue } from '../apimachinery/validation.js';
import {
  BOOTSTRAP_GROUP_PATTERN,
  BOOTSTRAP_TOKEN_DESCRIPTION_KEY,
  BOOTSTRAP_TOKEN_EXPIRATION_KEY,
  BOOTSTRAP_TOKEN_EXTRA_GROUPS_KEY,
  BOOTSTRAP_TOKEN_ID_KEY,
  BOOTSTRAP_TOKEN_ID_PATTERN,
  BOOTSTRAP_TOKEN_PATTERN,
  BOOTSTRAP_TOKEN_SECRET_KEY,
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_USAGE_PREFIX,
  bootstrapTokenSecretName,
  generateBootstrapToken,
  getData,
  isValidBootstrapToken,
  isValidBootstrapTokenId,
  KNOWN_TOKEN_USAGES,
  parseToken,
  SECRET_TYPE_BOOTSTRAP_TOKEN,
  validateBootstrapGroupName,
  validateUsages,
} from '../authn/cluster-bootstrap.js';
import { BOOTSTRAP_TOKEN_NAMESPACE } from '../authn/bootstrap-token.js';
import { AUTH_FILE_NAMES } from '../server/demo-identities.js';
import { ApiError, loadApiClient, statusMessage, type ApiClient } from './api-client.js';
import { SERVICE_ACCOUNT_FLAGS, serviceAccountTokenCommand } from './serviceaccount.js';
import { helpText, listFlag, parseFlags, stringFlag, type FlagSpec } from './flags.js';

const SERVICE_ACCOUNT_EXAMPLES = [
  'kube-auth-mock token --serviceaccount dev/builder --duration 10m',
  'kube-auth-mock token --serviceaccount dev/builder --audience vault --bound-object-kind Pod --bound-object-name runner',
  'kube-auth-mock token --serviceaccount ci/deployer --create',
];

/** kubeadm's defaults (DefaultTokenDuration, DefaultTokenUsages, DefaultTokenGroups). */
const DEFAULT_TTL = '24h0m0s';
const DEFAULT_USAGES: readonly string[] = KNOWN_TOKEN_USAGES;
const DEFAULT_GROUPS: readonly string[] = ['system:bootstrappers:kubeadm:default-node-token'];
const SECRETS = `/api/v1/namespaces/${BOOTSTRAP_TOKEN_NAMESPACE}/secrets`;

const CLIENT_FLAGS: readonly FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', help: 'kubeconfig of a user allowed to manage Secrets in kube-system (default: the PKI folder\'s kubeconfigs/admin.kubeconfig)' },
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'PKI folder of the running server' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const CREATE_FLAGS: readonly FlagSpec[] = [
  { name: 'ttl', type: 'string', default: DEFAULT_TTL, help: "The duration before the token is automatically deleted (e.g. 1s, 2m, 3h). If set to '0', the token will never expire" },
  {
    name: 'usages',
    type: 'string',
    multiple: true,
    default: DEFAULT_USAGES.join(','),
    help: `Describes the ways in which this token can be used. You can pass --usages multiple times or provide a comma separated list of options. Valid options: [${DEFAULT_USAGES.join(',')}]`,
  },
  { name: 'groups', type: 'string', multiple: true, default: DEFAULT_GROUPS.join(','), help: `Extra groups that this token will authenticate as when used for authentication. Must match ${goQuote(BOOTSTRAP_GROUP_PATTERN)}` },
  { name: 'description', type: 'string', help: 'A human friendly description of how this token is used.' },
  ...CLIENT_FLAGS,
];

const USAGE = `kube-auth-mock token: bootstrap tokens of a running server, managed through its API like kubeadm token

Usage:
  kube-auth-mock token --serviceaccount NS/NAME [flags]    a ServiceAccount token from TokenRequest (kubectl create token)
  kube-auth-mock token bootstrap create [TOKEN] [flags]   create a bootstrap token; prints the token alone on one line
  kube-auth-mock token bootstrap list [flags]             list the bootstrap tokens (kubeadm's table)
  kube-auth-mock token bootstrap delete TOKEN|ID... [flags]  delete bootstrap tokens

A bootstrap token is a Secret "bootstrap-token-<id>" of type bootstrap.kubernetes.io/token in kube-system; it
authenticates "<id>.<secret>" as system:bootstrap:<id> when the server runs with --enable-bootstrap-token-auth.

Examples:
  kube-auth-mock serve --enable-bootstrap-token-auth &
  TOKEN=$(kube-auth-mock token bootstrap create --ttl 1h --groups system:bootstrappers:ci)
  kubectl --server https://127.0.0.1:6443 --certificate-authority pki/ca.crt --token "$TOKEN" auth whoami
  kube-auth-mock token bootstrap list
  kube-auth-mock token bootstrap delete "$TOKEN"

Run a command with --help for its flags.
`;

const SERVICE_ACCOUNT_TOKEN_FLAGS: readonly FlagSpec[] = [...SERVICE_ACCOUNT_FLAGS, { name: 'help', type: 'boolean', short: 'h', help: 'show this help' }];

/** `kube-auth-mock token`: routes to its modes, `--serviceaccount` and `bootstrap`. */
export async function tokenCommand(argv: readonly string[]): Promise<number> {
  const [mode, verb, ...rest] = argv;
  if (mode !== 'bootstrap' && argv.some((a) => a === '--serviceaccount' || a.startsWith('--serviceaccount='))) {
    const { values } = parseFlags(argv, SERVICE_ACCOUNT_TOKEN_FLAGS, { command: 'token' });
    if (values.help) {
      process.stdout.write(helpText('kube-auth-mock token --serviceaccount NAMESPACE/NAME [--audience A]... [--duration D] [--bound-object-kind K --bound-object-name N [--bound-object-uid U]] [--create]', SERVICE_ACCOUNT_EXAMPLES, SERVICE_ACCOUNT_TOKEN_FLAGS));
      return 0;
    }
    return serviceAccountTokenCommand(values);
  }
  if (mode === 'bootstrap') {
    switch (verb) {
      case 'create':
        return bootstrapCreate(rest);
      case 'list':
        return bootstrapList(rest);
      case 'delete':
        return bootstrapDelete(rest);
    }
  }
  process.stdout.write(USAGE);
  const help = mode === undefined || mode === '--help' || mode === '-h' || (mode === 'bootstrap' && (verb === undefined || verb === '--help' || verb === '-h'));
  return help ? 0 : 2;
}

/** The admin kubeconfig of the PKI folder unless --kubeconfig names another (kubeadm: /etc/kubernetes/admin.conf). */
function kubeconfigPath(values: Record<string, unknown>): string {
  return stringFlag(values, 'kubeconfig') ?? join(resolve(stringFlag(values, 'pki-dir', 'pki')!), AUTH_FILE_NAMES.kubeconfigDir, 'admin.kubeconfig');
}

/** Go's json.Marshal of a []string, as field.Error prints a slice value: HTML characters escaped. */
function goJsonStrings(values: readonly string[]): GoValue {
  const json = JSON.stringify(values).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new GoValue(json);
}

/** `token bootstrap create [TOKEN]`: RunCreateToken. */
async function bootstrapCreate(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, CREATE_FLAGS, { command: 'token bootstrap create', positionals: true });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock token bootstrap create [TOKEN] [--ttl D] [--usages U,...] [--groups G,...] [--description TEXT] [--kubeconfig FILE]', [
      'kube-auth-mock token bootstrap create',
      'kube-auth-mock token bootstrap create abcdef.0123456789abcdef --ttl 0',
      'kube-auth-mock token bootstrap create --ttl 10m --groups system:bootstrappers:ci --description "CI nodes"',
    ], CREATE_FLAGS));
    return 0;
  }
  if (positionals.length > 1) throw new ApiError(`accepts at most 1 arg(s), received ${positionals.length}`);
  // BootstrapTokenOptions.ApplyTo: a given token is parsed first.
  let token = positionals[0] ?? '';
  if (token !== '' && parseToken(token) === undefined) throw new ApiError(`the bootstrap token ${goQuote(token)} was not of the form ${goQuote(BOOTSTRAP_TOKEN_PATTERN)}`);
  const ttlText = stringFlag(values, 'ttl', DEFAULT_TTL)!;
  const ttl = parseGoDuration(ttlText);
  if ('error' in ttl) throw new ApiError(`invalid argument ${goQuote(ttlText)} for "--ttl" flag: ${ttl.error}`);
  // SetDefaults_BootstrapToken runs again on the flags' values: an empty list is the default.
  const givenUsages = listFlag(values, 'usages');
  const givenGroups = listFlag(values, 'groups');
  const usages = givenUsages.length > 0 ? givenUsages : [...DEFAULT_USAGES];
  const groups = givenGroups.length > 0 ? givenGroups : [...DEFAULT_GROUPS];
  // SetBootstrapTokensDynamicDefaults: no token given, a random one.
  if (token === '') token = generateBootstrapToken();
  const errors = validateBootstrapToken(token, usages, groups);
  if (errors.length > 0) throw new ApiError(aggregateMessage(errors));
  const { id, secret } = parseToken(token)!;

  const client = await loadApiClient(kubeconfigPath(values));
  const name = bootstrapTokenSecretName(id);
  // UpdateOrCreateTokens(failIfExists): a token with this id must not exist (any error of the Get is not "exists").
  const existing = await client.request('GET', `${SECRETS}/${name}`);
  if (existing.status === 200) throw new ApiError(`a token with id ${goQuote(id)} already exists`);
  const data: Record<string, string> = { [BOOTSTRAP_TOKEN_ID_KEY]: id, [BOOTSTRAP_TOKEN_SECRET_KEY]: secret };
  const description = stringFlag(values, 'description', '')!;
  if (description !== '') data[BOOTSTRAP_TOKEN_DESCRIPTION_KEY] = description;
  // encodeTokenSecretData: only a positive TTL sets an expiration.
  if (ttl.ns > 0n) data[BOOTSTRAP_TOKEN_EXPIRATION_KEY] = metaTime(new Date(Date.now() + Number(ttl.ns / 1_000_000n)));
  for (const usage of usages) data[`${BOOTSTRAP_TOKEN_USAGE_PREFIX}${usage}`] = 'true';
  if (groups.length > 0) data[BOOTSTRAP_TOKEN_EXTRA_GROUPS_KEY] = groups.join(',');
  const body = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: SECRET_TYPE_BOOTSTRAP_TOKEN,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
  };
  const created = await client.request('POST', SECRETS, body);
  if (created.status !== 201) throw new ApiError(`failed to create or update bootstrap token with name ${name}: unable to create *v1.Secret: ${statusMessage(created)}`);
  process.stdout.write(`${token}\n`);
  return 0;
}

/** ValidateBootstrapTokens for the one token of the flags, under kubeadm's path bootstrapTokens.0. */
function validateBootstrapToken(token: string, usages: readonly string[], groups: readonly string[]): string[] {
  const path = 'bootstrapTokens.0';
  const errs: string[] = [];
  if (!isValidBootstrapToken(token)) errs.push(fieldInvalid(`${path}.token`, token, 'the bootstrap token is invalid').message);
  const usageError = validateUsages(usages);
  if (usageError !== undefined) errs.push(fieldInvalid(`${path}.usages`, goJsonStrings(usages), usageError).message);
  // ValidateTokenGroups: groups only make sense for authentication.
  if (groups.length > 0 && !usages.includes('authentication')) {
    errs.push(fieldInvalid(`${path}.groups`, goJsonStrings(groups), `token groups cannot be specified unless --usages includes ${goQuote('authentication')}`).message);
  }
  for (const group of groups) {
    const err = validateBootstrapGroupName(group);
    if (err !== undefined) errs.push(fieldInvalid(`${path}.groups`, goJsonStrings(groups), err).message);
  }
  return errs;
}

/** A bootstrap token read back from its Secret (BootstrapTokenFromSecret). */
export interface ListedToken {
  token: string;
  description: string;
  expires: GoTime | undefined;
  usages: string[];
  groups: string[];
}

/** BootstrapTokenFromSecret: the token, or kubeadm's error for a Secret that is not a well-formed bootstrap token. */
export function tokenFromSecret(s: KubeObject): ListedToken | { error: string } {
  const name = s.metadata.name ?? '';
  const utf8 = (v: string): string => Buffer.from(v, 'latin1').toString('utf8');
  const id = utf8(getData(s, BOOTSTRAP_TOKEN_ID_KEY));
  if (id === '') return { error: `bootstrap Token Secret has no token-id data: ${name}` };
  if (name !== bootstrapTokenSecretName(id)) {
    return { error: `bootstrap token name is not of the form '${BOOTSTRAP_TOKEN_SECRET_PREFIX}(token-id)'. Actual: ${goQuote(name)}. Expected: ${goQuote(bootstrapTokenSecretName(id))}` };
  }
  const secret = utf8(getData(s, BOOTSTRAP_TOKEN_SECRET_KEY));
  if (secret === '') return { error: `bootstrap Token Secret has no token-secret data: ${name}` };
  const token = `${id}.${secret}`;
  if (parseToken(token) === undefined) {
    return { error: `bootstrap Token Secret is invalid and couldn't be parsed: the bootstrap token ${goQuote(token)} was not of the form ${goQuote(BOOTSTRAP_TOKEN_PATTERN)}` };
  }
  const expiration = getData(s, BOOTSTRAP_TOKEN_EXPIRATION_KEY);
  let expires: GoTime | undefined;
  if (expiration !== '') {
    const parsed = parseGoRfc3339(expiration);
    if ('error' in parsed) return { error: `can't parse expiration time of bootstrap token ${goQuote(name)}: ${parsed.error}` };
    expires = parsed;
  }
  const data = typeof s.data === 'object' && s.data !== null ? Object.keys(s.data) : [];
  const usages = data
    .filter((k) => k.startsWith(BOOTSTRAP_TOKEN_USAGE_PREFIX) && getData(s, k) === 'true')
    .map((k) => k.slice(BOOTSTRAP_TOKEN_USAGE_PREFIX.length))
    .sort(compareGoStrings);
  const groupsText = utf8(getData(s, BOOTSTRAP_TOKEN_EXTRA_GROUPS_KEY));
  const groups = groupsText.split(',')[0] !== '' ? groupsText.split(',') : [];
  return { token, description: utf8(getData(s, BOOTSTRAP_TOKEN_DESCRIPTION_KEY)), expires, usages, groups };
}

/** apimachinery's duration.ShortHumanDuration. */
function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)}y`;
}

/** fmt's %-Ns: padded to N runes. */
function padRunes(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - [...s].length));
}

/**
 * text/tabwriter.NewWriter(w, 10, 4, 3, ' ', 0) over lines of tab-terminated cells: each column as wide as its
 * widest cell plus 3, at least 10 (widths in runes); the text after a line's last tab is not a column.
 */
function tabwrite(lines: readonly string[]): string {
  const rows = lines.map((l) => l.split('\t'));
  const columns = Math.max(...rows.map((r) => r.length - 1));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) widths.push(Math.max(10, ...rows.filter((r) => c < r.length - 1).map((r) => [...r[c]!].length + 3)));
  return rows.map((r) => r.map((cell, c) => (c < r.length - 1 ? padRunes(cell, widths[c]!) : cell)).join('')).join('\n') + '\n';
}

/** formatBootstrapToken: one row of kubeadm token list. */
function formatBootstrapToken(t: ListedToken, now: number): string {
  let ttl = '<forever>';
  let expires = '<never>';
  if (t.expires !== undefined) {
    ttl = shortHumanDuration(t.expires.ms - now);
    expires = formatGoRfc3339(t.expires);
  }
  const usages = t.usages.length > 0 ? t.usages.join(',') : '<none>';
  const description = t.description !== '' ? t.description : '<none>';
  const groups = t.groups.length > 0 ? t.groups.join(',') : '<none>';
  return `${t.token}\t${padRunes(ttl, 9)}\t${expires}\t${padRunes(usages, 22)}\t${padRunes(description, 56)}\t${groups}`;
}

/** `token bootstrap list`: RunListTokens with kubeadm's text printer. */
async function bootstrapList(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, CLIENT_FLAGS, { command: 'token bootstrap list', positionals: true });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock token bootstrap list [--kubeconfig FILE]', ['kube-auth-mock token bootstrap list'], CLIENT_FLAGS));
    return 0;
  }
  if (positionals.length > 0) throw new ApiError(`unknown command ${goQuote(positionals[0]!)} for "kube-auth-mock token bootstrap list"`);
  const client = await loadApiClient(kubeconfigPath(values));
  const selector = new URLSearchParams({ fieldSelector: `type=${SECRET_TYPE_BOOTSTRAP_TOKEN}` });
  const res = await client.request('GET', `${SECRETS}?${selector}`);
  if (res.status !== 200) throw new ApiError(`failed to list bootstrap tokens: ${statusMessage(res)}`);
  const items = ((res.body as { items?: KubeObject[] } | undefined)?.items ?? []) as KubeObject[];
  const tokens: ListedToken[] = [];
  for (const item of items) {
    const token = tokenFromSecret(item);
    // kubeadm writes "%v" without a line break; one line each here, so the next one stays readable.
    if ('error' in token) process.stderr.write(`${token.error}\n`);
    else tokens.push(token);
  }
  process.stdout.write(tokenTable(tokens, Date.now()));
  return 0;
}

/**
 * kubeadm's tokenTextPrinter: the header before the first token only (nothing at all for none), and a tabwriter of
 * its own flushed per token, so each row after the first is aligned on its own.
 */
export function tokenTable(tokens: readonly ListedToken[], now: number): string {
  return tokens.map((t, i) => tabwrite([...(i === 0 ? ['TOKEN\tTTL\tEXPIRES\tUSAGES\tDESCRIPTION\tEXTRA GROUPS'] : []), formatBootstrapToken(t, now)])).join('');
}

/** `token bootstrap delete TOKEN|ID...`: RunDeleteTokens. */
async function bootstrapDelete(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, CLIENT_FLAGS, { command: 'token bootstrap delete', positionals: true });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock token bootstrap delete TOKEN|ID... [--kubeconfig FILE]', ['kube-auth-mock token bootstrap delete abcdef', 'kube-auth-mock token bootstrap delete abcdef.0123456789abcdef'], CLIENT_FLAGS));
    return 0;
  }
  if (positionals.length < 1) {
    throw new ApiError(`missing argument; 'token bootstrap delete' is missing token of form ${goQuote(BOOTSTRAP_TOKEN_PATTERN)} or ${goQuote(BOOTSTRAP_TOKEN_ID_PATTERN)}`);
  }
  let client: ApiClient | undefined;
  for (const arg of positionals) {
    // Assume a token id; else the full token, of which the id is used.
    let id = arg;
    if (!isValidBootstrapTokenId(arg)) {
      const parsed = parseToken(arg);
      if (parsed === undefined) throw new ApiError(`given token didn't match pattern ${goQuote(BOOTSTRAP_TOKEN_PATTERN)} or ${goQuote(BOOTSTRAP_TOKEN_ID_PATTERN)}`);
      id = parsed.id;
    }
    client ??= await loadApiClient(kubeconfigPath(values));
    const res = await client.request('DELETE', `${SECRETS}/${bootstrapTokenSecretName(id)}`);
    if (res.status !== 200 && res.status !== 202) throw new ApiError(`failed to delete bootstrap token ${goQuote(id)}: ${statusMessage(res)}`);
    process.stdout.write(`bootstrap token ${goQuote(id)} deleted\n`);
  }
  return 0;
}
