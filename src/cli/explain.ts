import { join, resolve } from 'node:path';
import { EXPLAIN_PATH } from '../api/explain.js';
import { ConfigError } from '../util/errors.js';
import { loadApiClient } from './api-client.js';
import { AUTH_FILE_NAMES } from '../server/demo-identities.js';
import { helpText, listFlag, parseFlags, requiredFlags, stringFlag, type FlagSpec } from './flags.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'user', type: 'string', help: 'the user to explain for' },
  { name: 'group', type: 'string', multiple: true, help: 'a group of the user (system:authenticated is added, as for any authenticated request)' },
  { name: 'verb', type: 'string', help: 'get, list, watch, create, update, patch, delete, ... or a custom verb' },
  { name: 'resource', type: 'string', help: 'resource, or resource/subresource (pods, pods/log)' },
  { name: 'api-group', type: 'string', default: '""', help: 'API group of the resource (core: empty)' },
  { name: 'name', type: 'string', help: 'object name' },
  { name: 'namespace', type: 'string', short: 'n', help: 'namespace (none: cluster scope)' },
  { name: 'path', type: 'string', help: 'a non-resource URL instead of a resource (/healthz)' },
  { name: 'kubeconfig', type: 'string', help: 'kubeconfig of a user allowed to GET /debug/explain (default: the PKI folder\'s admin.kubeconfig)' },
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'PKI folder of the running server' },
  { name: 'output', type: 'string', short: 'o', default: 'text', help: 'text or json' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const EXAMPLES = [
  'kube-auth-mock explain --user jane --verb list --resource secrets -n dev',
  'kube-auth-mock explain --user jane --group dev --verb get --resource pods/log --name web -n dev',
  'kube-auth-mock explain --user bob --verb get --path /healthz',
];

/** `kube-auth-mock explain`: asks the running server which bindings and rules decide a request, and why. */
export async function explainCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, { command: 'explain' });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock explain --user NAME [--group G]... --verb VERB (--resource R [-n NS] [--name N] | --path /url)', EXAMPLES, FLAGS));
    return 0;
  }
  const [user, verb] = requiredFlags('explain', values, [['user', 'NAME'], ['verb', 'VERB']]);
  const output = stringFlag(values, 'output', 'text');
  if (output !== 'text' && output !== 'json') throw new ConfigError({ file: '--output', reason: `${JSON.stringify(output)} is not text or json`, code: 'FLAG_INVALID' });
  const kubeconfig = stringFlag(values, 'kubeconfig') ?? join(resolve(stringFlag(values, 'pki-dir', 'pki')!), AUTH_FILE_NAMES.kubeconfigDir, 'admin.kubeconfig');
  const params = new URLSearchParams({ user, verb });
  for (const g of listFlag(values, 'group')) params.append('group', g);
  for (const [flag, param] of [['resource', 'resource'], ['api-group', 'apiGroup'], ['name', 'name'], ['namespace', 'namespace'], ['path', 'path']] as const) {
    const v = stringFlag(values, flag);
    if (v !== undefined) params.set(param, v);
  }
  // The same client as every other command: the kubeconfig checked as client-go checks it, its proxy, impersonation and TLS settings honoured.
  const client = await loadApiClient(kubeconfig);
  const res = await client.request('GET', `${EXPLAIN_PATH}?${params}`, undefined, { accept: output === 'json' ? 'application/json' : 'text/plain' });
  if (res.status !== 200) {
    const message = (res.body as { message?: unknown } | undefined)?.message;
    process.stderr.write(`kube-auth-mock explain: ${res.status}: ${typeof message === 'string' ? message : res.text}\n`);
    return 1;
  }
  process.stdout.write(res.text);
  return 0;
}
