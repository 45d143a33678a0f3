// --authentication-token-webhook-config-file, -version and -cache-ttl, completed at start as kube-apiserver's
// newWebhookTokenAuthenticator does (k8s.io/kubernetes v1.34.4 pkg/kubeapiserver/authenticator/config.go;
// k8s.io/apiserver v0.34.4 pkg/util/webhook/webhook.go LoadKubeconfig): the kubeconfig is read before anything
// listens, and a bad file or version stops the start with one line naming it.
import { DEFAULT_RETRY_BACKOFF, webhookClient, type Backoff, type WebhookLogSink } from '../authn/webhook/client.js';
import type { TokenWebhookAuthentication } from '../authn/config.js';
import { DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS, DEFAULT_TOKEN_WEBHOOK_VERSION, tokenWebhookVersionProblem, type TokenWebhookVersion } from '../authn/webhook/token.js';
import { readClientConfig, type ClientConfig } from '../kubeconfig/read.js';
import { ConfigError } from '../util/errors.js';
import type { StartServerOptions } from './options.js';

export interface TokenWebhookConfig {
  file: string;
  client: ClientConfig;
  version: TokenWebhookVersion;
  cacheTtlMs: number;
  retryBackoff: Backoff;
}

/**
 * webhookutil.LoadKubeconfig: the webhook's kubeconfig read and checked before anything listens; a bad file is one
 * line naming it. Shared by the token and the authorization webhooks.
 */
export async function loadWebhookKubeconfig(file: string): Promise<ClientConfig> {
  let client: ClientConfig;
  try {
    client = await readClientConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // A certificate or key file the kubeconfig names that cannot be read.
    throw new ConfigError({ file, reason: `cannot read kubeconfig: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'KUBECONFIG_INVALID' });
  }
  let url: URL;
  try {
    url = new URL(client.server);
  } catch {
    throw new ConfigError({ file, reason: `invalid configuration: host must be a URL or a host:port pair: ${JSON.stringify(client.server)}`, code: 'KUBECONFIG_INVALID' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError({ file, reason: `invalid configuration: unsupported scheme ${JSON.stringify(url.protocol.replace(/:$/, ''))} in server ${JSON.stringify(client.server)}`, code: 'KUBECONFIG_INVALID' });
  if ((client.certPem === undefined) !== (client.keyPem === undefined)) {
    throw new ConfigError({ file, reason: client.certPem === undefined ? 'invalid configuration: client-key-data or client-key is set without client-certificate-data or client-certificate' : 'invalid configuration: client-certificate-data or client-certificate is set without client-key-data or client-key', code: 'KUBECONFIG_INVALID' });
  }
  return client;
}

/** Reads the webhook's kubeconfig and checks the version; undefined when the config file flag is not set. */
export async function completeTokenWebhook(options: StartServerOptions): Promise<TokenWebhookConfig | undefined> {
  const file = options.authenticationTokenWebhookConfigFile;
  if (file === undefined || file === '') return undefined;
  const version = (options.authenticationTokenWebhookVersion ?? DEFAULT_TOKEN_WEBHOOK_VERSION) as TokenWebhookVersion;
  const problem = tokenWebhookVersionProblem(version);
  if (problem !== null) throw new ConfigError({ file: '--authentication-token-webhook-version', reason: problem, code: 'FLAG_INVALID' });
  const retryBackoff = options.webhookRetryBackoff ?? DEFAULT_RETRY_BACKOFF;
  // kube's Validate: "number of webhook retry attempts must be greater than 0, but is: %d".
  if (retryBackoff.steps <= 0) throw new ConfigError({ file: 'webhookRetryBackoff', reason: `number of webhook retry attempts must be greater than 0, but is: ${retryBackoff.steps}`, code: 'FLAG_INVALID' });
  const client = await loadWebhookKubeconfig(file);
  return { file, client, version, cacheTtlMs: options.authenticationTokenWebhookCacheTtlMs ?? DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS, retryBackoff };
}

/** The authenticator's part of the config: a client for the kubeconfig with kube's timeout and backoff, logging to the server's log. */
export function tokenWebhookAuthentication(config: TokenWebhookConfig, log?: WebhookLogSink): TokenWebhookAuthentication {
  return { client: webhookClient(config.client, { backoff: config.retryBackoff, ...(log ? { log } : {}) }), version: config.version, cacheTtlMs: config.cacheTtlMs, ...(log ? { log } : {}) };
}
