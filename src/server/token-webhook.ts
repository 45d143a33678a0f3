// --authentication-token-webhook-config-file, -version and -cache-ttl, completed at start as kube-apiserver's
// newWebhookTokenAuthenticator does (k8s.io/kubernetes v1.34.4 pkg/kubeapiserver/authenticator/config.go;
// k8s.io/apiserver v0.34.4 pkg/util/webhook/webhook.go LoadKubeconfig): the kubeconfig is read before anything
// listens, and a bad file or version stops the start with one line naming it.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { DEFAULT_RETRY_BACKOFF, webhookClient, webhookUrl, type Backoff, type WebhookLogSink } from '../authn/webhook/client.js';
import type { TokenWebhookAuthentication } from '../authn/config.js';
import { DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS, DEFAULT_TOKEN_WEBHOOK_VERSION, tokenWebhookVersionProblem, type TokenWebhookVersion } from '../authn/webhook/token.js';
import { goQuote } from '../apimachinery/validation.js';
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
 * webhookutil.LoadKubeconfig, then what NewGenericWebhook's rest.UnversionedRESTClientFor checks when it builds the
 * client (k8s.io/client-go v0.34.4 transport/transport.go TLSConfigFor, transport/round_trippers.go
 * HTTPWrappersForConfig, rest/url_utils.go DefaultServerURL): read and checked before anything listens; a bad file is
 * one line naming it. Shared by the token and the authorization webhooks.
 */
export async function loadWebhookKubeconfig(file: string): Promise<ClientConfig> {
  const client = await readClientConfig(file);
  const problem = restClientProblem(client);
  if (problem !== undefined) throw new ConfigError({ file, reason: problem, code: 'KUBECONFIG_INVALID' });
  return client;
}

/** The error client-go gives building a REST client for this config, in its order; undefined when it builds. */
function restClientProblem(client: ClientConfig): string | undefined {
  // TLSConfigFor.
  if (client.caPem !== undefined && client.insecureSkipTlsVerify === true) return 'specifying a root certificates file with the insecure flag is not allowed';
  if (client.caPem !== undefined) {
    const problem = caDataProblem(client.caPem);
    if (problem !== undefined) return `unable to load root certificates: ${problem}`;
  }
  if (client.certPem !== undefined && client.keyPem !== undefined) {
    const problem = keyPairProblem(client.certPem, client.keyPem);
    if (problem !== undefined) return problem;
  }
  // HTTPWrappersForConfig: HasBasicAuth is a username; HasTokenAuth a token or a token file.
  const hasToken = (client.token ?? '') !== '' || (client.tokenFile ?? '') !== '';
  if ((client.username ?? '') !== '' && hasToken) return 'username/password or bearer token may be set, but not both';
  // NewBearerAuthWithRefreshRoundTripper: with no static token the file is read now (token_source.go's texts).
  if ((client.token ?? '') === '' && client.tokenFile !== undefined) return `read empty token from file ${goQuote(client.tokenFile)}`;
  // DefaultServerURL: a host without a scheme is http://host, and it may not have a path.
  let url: URL;
  try {
    url = webhookUrl(client.server);
  } catch {
    // url.Parse's own texts vary by the fault; its prefix is kept.
    return `parse ${JSON.stringify(client.server)}: invalid URL`;
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]/.test(client.server) && url.pathname !== '' && url.pathname !== '/') return `host must be a URL or a host:port pair: ${JSON.stringify(client.server)}`;
  return undefined;
}

/** transport.rootCertPool/createErrorParsingCAData: the first PEM block that does not parse, or no certificate at all. */
function caDataProblem(pem: string): string | undefined {
  const blocks = [...pem.matchAll(/-----BEGIN ([^-]+)-----([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) return 'unable to parse bytes as PEM block';
  let certificates = 0;
  for (const [whole, type] of blocks) {
    if (type !== 'CERTIFICATE') continue;
    try {
      new X509Certificate(whole);
      certificates++;
    } catch (err) {
      return `failed to parse certificate: x509: ${(err as Error).message}`;
    }
  }
  return certificates > 0 ? undefined : 'no valid certificate authority data seen';
}

/** tls.X509KeyPair's checks: a certificate block, a key block, and a key that belongs to the certificate. */
function keyPairProblem(certPem: string, keyPem: string): string | undefined {
  const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(certPem)?.[0];
  if (certBlock === undefined) return /-----BEGIN [^-]+-----/.test(certPem) ? 'tls: failed to find "CERTIFICATE" PEM block in certificate input' : 'tls: failed to find any PEM data in certificate input';
  if (!/-----BEGIN [^-]*PRIVATE KEY-----/.test(keyPem)) return /-----BEGIN [^-]+-----/.test(keyPem) ? 'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input' : 'tls: failed to find any PEM data in key input';
  try {
    if (!new X509Certificate(certBlock).checkPrivateKey(createPrivateKey(keyPem))) return 'tls: private key does not match public key';
  } catch (err) {
    return `tls: ${(err as Error).message}`;
  }
  return undefined;
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
