// Source: k8s.io/apiserver v0.34.4 plugin/pkg/authenticator/token/webhook/webhook.go (WebhookTokenAuthenticator.
// AuthenticateToken, tokenReviewInterfaceFromConfig, the v1beta1 conversions) and k8s.io/kubernetes v1.34.4
// pkg/kubeapiserver/authenticator/config.go (newWebhookTokenAuthenticator: the webhook behind tokencache.New).
import type { AuthnResult, TokenAuthenticator, UserInfo } from '../types.js';
import { cachedTokenAuthenticator } from './cache.js';
import type { WebhookClient, WebhookLogSink } from './client.js';

/** --authentication-token-webhook-version's values; kube's default is v1beta1. */
export const TOKEN_WEBHOOK_VERSIONS = ['v1', 'v1beta1'] as const;
export type TokenWebhookVersion = (typeof TOKEN_WEBHOOK_VERSIONS)[number];
export const DEFAULT_TOKEN_WEBHOOK_VERSION: TokenWebhookVersion = 'v1beta1';
/** --authentication-token-webhook-cache-ttl's default, 2m. */
export const DEFAULT_TOKEN_WEBHOOK_CACHE_TTL_MS = 120_000;

/** tokenReviewInterfaceFromConfig's error for any other version; null when the version is supported. */
export function tokenWebhookVersionProblem(version: string): string | null {
  return (TOKEN_WEBHOOK_VERSIONS as readonly string[]).includes(version) ? null : `unsupported authentication webhook version ${JSON.stringify(version)}, supported versions are "v1", "v1beta1"`;
}

export interface WebhookTokenOptions {
  client: WebhookClient;
  version: TokenWebhookVersion;
  /** The API audiences: what the webhook's answer is taken to mean when it names none (kube's implicitAuds). */
  implicitAudiences: readonly string[];
  /** Where a failed call is logged, as kube's klog.Errorf (webhook.go line 154). */
  log?: WebhookLogSink;
}

/** k8s.io/apiserver v0.34.4 plugin/pkg/authenticator/token/webhook/webhook.go:154, klog.Errorf's format. */
export const AUTHENTICATOR_REQUEST_FAILED = 'Failed to make webhook authenticator request: ';

/** The TokenReview kube sends (Go's encoding: empty metadata, status with an empty user, audiences omitted when none). */
export function tokenReviewRequest(version: TokenWebhookVersion, token: string, audiences: readonly string[] | undefined): Record<string, unknown> {
  return {
    kind: 'TokenReview',
    apiVersion: `authentication.k8s.io/${version}`,
    metadata: { creationTimestamp: null },
    spec: { token, ...(audiences !== undefined && audiences.length > 0 ? { audiences: [...audiences] } : {}) },
    status: { user: {} },
  };
}

interface ReviewStatus {
  authenticated: boolean;
  user: UserInfo;
  audiences: string[];
  error: string;
}

/** Reads the answer's status as Go's decoder would fill authenticationv1.TokenReviewStatus; a wrong type is an error. */
function readStatus(body: unknown): ReviewStatus | string {
  const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const root = obj(body);
  if (root === undefined) return 'json: cannot unmarshal into Go value of type TokenReview';
  const status = root.status === undefined || root.status === null ? {} : obj(root.status);
  if (status === undefined) return 'json: cannot unmarshal into Go struct field TokenReview.status';
  const user = status.user === undefined || status.user === null ? {} : obj(status.user);
  if (user === undefined) return 'json: cannot unmarshal into Go struct field TokenReviewStatus.status.user';
  const str = (v: unknown, field: string): string | { bad: string } => (v === undefined || v === null ? '' : typeof v === 'string' ? v : { bad: field });
  const strs = (v: unknown, field: string): string[] | { bad: string } => (v === undefined || v === null ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : { bad: field });
  const fields = {
    username: str(user.username, 'status.user.username'),
    uid: str(user.uid, 'status.user.uid'),
    groups: strs(user.groups, 'status.user.groups'),
    audiences: strs(status.audiences, 'status.audiences'),
    error: str(status.error, 'status.error'),
  };
  for (const v of Object.values(fields)) if (typeof v === 'object' && !Array.isArray(v)) return `json: cannot unmarshal into Go struct field TokenReview.${v.bad}`;
  if (status.authenticated !== undefined && status.authenticated !== null && typeof status.authenticated !== 'boolean') return 'json: cannot unmarshal into Go struct field TokenReview.status.authenticated of type bool';
  const extra: Record<string, string[]> = {};
  if (user.extra !== undefined && user.extra !== null) {
    const e = obj(user.extra);
    if (e === undefined) return 'json: cannot unmarshal into Go struct field TokenReview.status.user.extra';
    for (const [k, v] of Object.entries(e)) {
      const values = strs(v, `status.user.extra`);
      if (!Array.isArray(values)) return `json: cannot unmarshal into Go struct field TokenReview.${values.bad}`;
      extra[k] = values;
    }
  }
  return {
    authenticated: status.authenticated === true,
    user: { name: fields.username as string, uid: fields.uid as string, groups: fields.groups as string[], extra },
    audiences: fields.audiences as string[],
    error: fields.error as string,
  };
}

/** kube's WebhookTokenAuthenticator, without the cache. */
export function webhookTokenAuthenticator(options: WebhookTokenOptions): TokenAuthenticator {
  // webhook.go:154: "An error here indicates bad configuration or an outage. Log for debugging." The error is the result.
  const failed = (message: string): AuthnResult => {
    options.log?.error({}, `${AUTHENTICATOR_REQUEST_FAILED}${message}`);
    return { ok: false, reason: message };
  };
  return {
    async authenticateToken(token, wantAudiences): Promise<AuthnResult> {
      let body: unknown;
      try {
        ({ body } = await options.client.post(tokenReviewRequest(options.version, token, wantAudiences)));
      } catch (err) {
        return failed((err as Error).message);
      }
      // kube decodes the answer inside the call (Result.Into), so an answer that is not a TokenReview fails the same way.
      const status = readStatus(body);
      if (typeof status === 'string') return failed(status);
      let audiences: string[] | undefined;
      if (wantAudiences !== undefined) {
        // wantAuds.Intersect(gotAuds): the answer's audiences (else the implicit ones) that the request wants, in the answer's order.
        const got = status.audiences.length > 0 ? status.audiences : options.implicitAudiences;
        audiences = got.filter((a) => wantAudiences.includes(a));
        if (audiences.length === 0) return null;
      }
      if (!status.authenticated) return status.error.length > 0 ? { ok: false, reason: status.error } : null;
      return { ok: true, user: status.user, authenticator: 'webhook', ...(audiences !== undefined ? { audiences } : {}) };
    },
  };
}

/** newWebhookTokenAuthenticator: the webhook behind kube's token cache, the one TTL for both answers. */
export function cachedWebhookTokenAuthenticator(options: WebhookTokenOptions & { cacheTtlMs: number }): TokenAuthenticator {
  return cachedTokenAuthenticator(webhookTokenAuthenticator(options), { successTtlMs: options.cacheTtlMs, failureTtlMs: options.cacheTtlMs });
}
