// The CLI's ServiceAccount credentials, through a running server's TokenRequest API (as `kubectl create token`
// asks it, k8s.io/kubectl pkg/cmd/create/create_token.go, with its flags and their checks):
//   token --serviceaccount NS/NAME        prints a token
//   kubeconfig --serviceaccount NS/NAME   writes a kubeconfig that carries one, the context's namespace NS
//   incluster --serviceaccount NS/NAME    writes token, ca.crt and namespace as the kubelet projects them
import { writeSecretFile } from '../util/secret-file.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseGoDuration } from '../apimachinery/go-time.js';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import { loadWebhookKubeconfig } from '../server/token-webhook.js';
import { AUTH_FILE_NAMES } from '../server/demo-identities.js';
import { parseServiceAccountRef } from '../server/service-account-tokens.js';
import { ApiError, apiClient, statusMessage, statusReason } from './api-client.js';
import { type FlagSpec, stringFlag } from './flags.js';

/** kubectl create token's bound object kinds and their apiVersion. */
const BOUND_OBJECT_KINDS: Record<string, string> = { Node: 'v1', Pod: 'v1', Secret: 'v1' };

/** The flags every ServiceAccount mode takes: kubectl create token's, plus where the server is. */
export const SERVICE_ACCOUNT_FLAGS: readonly FlagSpec[] = [
  { name: 'serviceaccount', type: 'string', help: 'the ServiceAccount, NAMESPACE/NAME' },
  { name: 'audience', type: 'string', multiple: true, help: 'audience of the token (default: the API server\'s)' },
  { name: 'duration', type: 'string', help: 'requested lifetime, a Go duration such as 10m or 1h (default: the server\'s, an hour)' },
  { name: 'bound-object-kind', type: 'string', help: 'Pod, Secret or Node: the token stops working when that object is deleted' },
  { name: 'bound-object-name', type: 'string', help: 'name of the object to bind the token to' },
  { name: 'bound-object-uid', type: 'string', help: 'uid of the object to bind the token to' },
  { name: 'create', type: 'boolean', help: 'create the ServiceAccount first when it does not exist' },
  { name: 'kubeconfig', type: 'string', help: 'kubeconfig of a user allowed to create serviceaccounts/token (default: the PKI folder\'s kubeconfigs/admin.kubeconfig)' },
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'PKI folder of the running server' },
];

/** A token issued for a ServiceAccount, and what a kubeconfig or a pod needs beside it. */
export interface IssuedServiceAccountToken {
  namespace: string;
  name: string;
  token: string;
  server: string;
  caPem: string;
}

/** kubectl create token's Validate, then its request; failures are one line in kubectl's words. */
function tokenRequestSpec(values: Record<string, unknown>): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const durationText = stringFlag(values, 'duration');
  if (durationText !== undefined) {
    const parsed = parseGoDuration(durationText);
    if ('error' in parsed) throw new ApiError(`invalid argument ${JSON.stringify(durationText)} for "--duration" flag: ${parsed.error}`);
    if (parsed.ns < 0n) throw new ApiError('--duration must be greater than or equal to 0');
    if (parsed.ns % 1_000_000_000n !== 0n) throw new ApiError('--duration cannot be expressed in units less than seconds');
    if (parsed.ns > 0n) spec.expirationSeconds = Number(parsed.ns / 1_000_000_000n);
  }
  // kubectl's StringArray: each --audience as given, never split on commas (listFlag would drop an empty one).
  const audiences = Array.isArray(values.audience) ? (values.audience as string[]) : [];
  if (audiences.some((a) => a === '')) throw new ApiError('--audience must not be an empty string');
  if (audiences.length > 0) spec.audiences = audiences;
  const kind = stringFlag(values, 'bound-object-kind') ?? '';
  const name = stringFlag(values, 'bound-object-name') ?? '';
  const uid = stringFlag(values, 'bound-object-uid') ?? '';
  if (kind === '') {
    if (name !== '') throw new ApiError('--bound-object-name can only be set if --bound-object-kind is provided');
    if (uid !== '') throw new ApiError('--bound-object-uid can only be set if --bound-object-kind is provided');
  } else {
    const apiVersion = BOUND_OBJECT_KINDS[kind];
    if (apiVersion === undefined) throw new ApiError(`supported --bound-object-kind values are ${Object.keys(BOUND_OBJECT_KINDS).join(', ')}`);
    if (name === '') throw new ApiError('--bound-object-name is required if --bound-object-kind is provided');
    spec.boundObjectRef = { kind, apiVersion, name, ...(uid !== '' ? { uid } : {}) };
  }
  return spec;
}

/** Asks the running server for a token of --serviceaccount (creating the ServiceAccount first with --create). */
export async function issueServiceAccountToken(values: Record<string, unknown>): Promise<IssuedServiceAccountToken> {
  const ref = stringFlag(values, 'serviceaccount');
  if (ref === undefined) throw new ApiError('--serviceaccount NAMESPACE/NAME is required');
  const { namespace, name } = parseServiceAccountRef(ref);
  const spec = tokenRequestSpec(values);
  const kubeconfig = stringFlag(values, 'kubeconfig') ?? join(resolve(stringFlag(values, 'pki-dir', 'pki')!), AUTH_FILE_NAMES.kubeconfigDir, 'admin.kubeconfig');
  // Checked as client-go checks it before anything is sent (a CA with insecure-skip-tls-verify is refused, as for every command).
  const config = await loadWebhookKubeconfig(kubeconfig);
  const client = apiClient(config);
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts`;
  if (values.create === true) {
    const created = await client.request('POST', base, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    if (created.status !== 201 && statusReason(created) !== 'AlreadyExists') throw new ApiError(`failed to create the ServiceAccount: ${statusMessage(created)}`);
  }
  const res = await client.request('POST', `${base}/${encodeURIComponent(name)}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
  const token = (res.body as { status?: { token?: unknown } } | undefined)?.status?.token;
  if (res.status !== 201) throw new ApiError(`failed to create token: ${statusMessage(res)}`);
  if (typeof token !== 'string' || token === '') throw new ApiError('failed to create token: no token in server response');
  return { namespace, name, token, server: config.server, caPem: config.caPem ?? '' };
}

/** `token --serviceaccount`: the token, with a newline only on a terminal (kubectl create token's Run: printers.IsTerminal). */
export async function serviceAccountTokenCommand(values: Record<string, unknown>): Promise<number> {
  const issued = await issueServiceAccountToken(values);
  process.stdout.write(process.stdout.isTTY ? `${issued.token}\n` : issued.token);
  return 0;
}

/** `kubeconfig --serviceaccount`: a kubeconfig for the ServiceAccount, to stdout or -o (mode 0600). */
export async function serviceAccountKubeconfigCommand(values: Record<string, unknown>): Promise<number> {
  const issued = await issueServiceAccountToken(values);
  const yaml = renderKubeconfig({
    server: stringFlag(values, 'server') ?? issued.server,
    caPem: issued.caPem,
    userName: `system:serviceaccount:${issued.namespace}:${issued.name}`,
    credentials: { kind: 'token', token: issued.token },
    namespace: issued.namespace,
  });
  const out = stringFlag(values, 'out');
  if (out === undefined) {
    process.stdout.write(yaml);
  } else {
    await writeSecretFile(out, yaml);
    process.stderr.write(`wrote ${out} for ServiceAccount ${issued.namespace}/${issued.name}\n`);
  }
  return 0;
}

/** `incluster --serviceaccount NS/NAME -o DIR`: the kubelet's projected files, and the two variables to export. */
export async function inClusterCommand(values: Record<string, unknown>): Promise<number> {
  const dir = stringFlag(values, 'out');
  if (dir === undefined) throw new ApiError('-o DIR is required: the folder to write token, ca.crt and namespace into');
  const issued = await issueServiceAccountToken(values);
  await mkdir(dir, { recursive: true });
  await writeSecretFile(join(dir, 'token'), issued.token);
  await writeFile(join(dir, 'ca.crt'), issued.caPem);
  await writeFile(join(dir, 'namespace'), issued.namespace);
  const url = new URL(issued.server);
  process.stdout.write(`export KUBERNETES_SERVICE_HOST=${url.hostname.replace(/^\[|\]$/g, '')}\nexport KUBERNETES_SERVICE_PORT=${url.port || '443'}\n`);
  process.stderr.write(`wrote ${join(dir, 'token')}, ca.crt and namespace for ServiceAccount ${issued.namespace}/${issued.name}\n`);
  return 0;
}
