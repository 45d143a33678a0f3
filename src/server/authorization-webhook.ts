// --authorization-webhook-config-file, -version and the two cache TTLs, completed at start as kube-apiserver's
// BuiltInAuthorizationOptions (k8s.io/kubernetes v1.34.4 pkg/kubeapiserver/options/authorization.go: defaults v1beta1,
// 5m, 30s) and authorizer config (pkg/kubeapiserver/authorizer/config.go) do; the kubeconfig read as the token
// webhook's is (loadWebhookKubeconfig).
import { webhookClient, DEFAULT_RETRY_BACKOFF, type WebhookLogSink } from '../authn/webhook/client.js';
import { webhookAuthorizer } from '../authz/webhook.js';
import type { Authorizer, RuleResolver } from '../authz/types.js';
import { isRecord } from '../apimachinery/json-value.js';
import type { ClientConfig } from '../kubeconfig/read.js';
import { ConfigError } from '../util/errors.js';
import type { StartServerOptions } from './options.js';
import { loadWebhookKubeconfig } from './token-webhook.js';

export interface AuthorizationWebhookConfig {
  client: ClientConfig;
  version: 'v1' | 'v1beta1';
  authorizedTtlMs: number;
  unauthorizedTtlMs: number;
}

/** Reads the authorization webhook's kubeconfig and checks its version; undefined when no file is given. */
export async function completeAuthorizationWebhook(options: StartServerOptions): Promise<AuthorizationWebhookConfig | undefined> {
  const file = options.authorizationWebhookConfigFile;
  if (file === undefined || file === '') return undefined;
  const version = options.authorizationWebhookVersion ?? 'v1beta1';
  if (version !== 'v1' && version !== 'v1beta1') {
    throw new ConfigError({ file: '--authorization-webhook-version', reason: `unsupported webhook authorizer version ${JSON.stringify(version)}, supported versions are "v1", "v1beta1"`, code: 'FLAG_INVALID' });
  }
  return {
    client: await loadWebhookKubeconfig(file),
    version,
    authorizedTtlMs: options.authorizationWebhookCacheAuthorizedTtlMs ?? 5 * 60_000,
    unauthorizedTtlMs: options.authorizationWebhookCacheUnauthorizedTtlMs ?? 30_000,
  };
}

/** kube's webhook authorizer over a client with kube's timeout and backoff, logging to the server's log. */
export function newAuthorizationWebhook(config: AuthorizationWebhookConfig, options: StartServerOptions, log?: WebhookLogSink): Authorizer & RuleResolver {
  const client = webhookClient(config.client, { backoff: options.webhookRetryBackoff ?? DEFAULT_RETRY_BACKOFF, ...(log ? { log } : {}) });
  return webhookAuthorizer({
    ...(log ? { log } : {}),
    version: config.version,
    authorizedTtlMs: config.authorizedTtlMs,
    unauthorizedTtlMs: config.unauthorizedTtlMs,
    sender: {
      async send(review) {
        const answer = await client.post(review);
        if (!isRecord(answer.body)) throw new Error(`the webhook's answer is not a SubjectAccessReview: ${JSON.stringify(answer.body).slice(0, 200)}`);
        return answer.body;
      },
    },
  });
}
