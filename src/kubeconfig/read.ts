// Reading a kubeconfig back (the current context's cluster and user), for our own CLI's calls to a server.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { WebhookClientConfig } from '../authn/webhook/client.js';
import { ConfigError } from '../util/errors.js';

/**
 * What a client needs from a kubeconfig to reach a server: the webhook client's own input (authn cannot import this
 * layer, so the shape is defined there and named here).
 */
export type ClientConfig = WebhookClientConfig;

type Named<T> = { name?: string } & T;
interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{ cluster?: { server?: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string } }>[];
  users?: Named<{ user?: { token?: string; username?: string; password?: string; 'client-certificate-data'?: string; 'client-key-data'?: string; 'client-certificate'?: string; 'client-key'?: string } }>[];
}

const b64 = (v: string | undefined): string | undefined => (v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8'));

/** Reads the current context of a kubeconfig file; errors name the file and the missing entry, as client-go's do. */
export async function readClientConfig(file: string): Promise<ClientConfig> {
  let doc: KubeconfigDoc;
  try {
    doc = (parse(await readFile(file, 'utf8')) ?? {}) as KubeconfigDoc;
  } catch (err) {
    throw new ConfigError({ file, reason: `cannot read kubeconfig: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'KUBECONFIG_INVALID' });
  }
  const fail = (reason: string): never => {
    throw new ConfigError({ file, reason, code: 'KUBECONFIG_INVALID' });
  };
  const contextName = doc['current-context'] ?? fail('current-context is not set');
  const context = doc.contexts?.find((c) => c.name === contextName)?.context ?? fail(`context ${JSON.stringify(contextName)} not found`);
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster ?? fail(`cluster ${JSON.stringify(context.cluster)} not found`);
  const user = doc.users?.find((u) => u.name === context.user)?.user ?? {};
  // client-go's ResolvePaths: a relative certificate or key path is relative to the kubeconfig's folder.
  const fileOr = async (data: string | undefined, path: string | undefined): Promise<string | undefined> => b64(data) ?? (path ? readFile(resolve(dirname(file), path), 'utf8') : undefined);
  const config: ClientConfig = { server: cluster.server ?? fail(`clusters[${JSON.stringify(context.cluster)}].cluster.server is missing`) };
  const ca = await fileOr(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) config.caPem = ca;
  const cert = await fileOr(user['client-certificate-data'], user['client-certificate']);
  const key = await fileOr(user['client-key-data'], user['client-key']);
  if (cert) config.certPem = cert;
  if (key) config.keyPem = key;
  if (user.token) config.token = user.token;
  if (user.username !== undefined) config.username = user.username;
  if (user.password !== undefined) config.password = user.password;
  return config;
}
