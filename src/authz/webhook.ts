// kube's webhook authorizer: each request becomes a SubjectAccessReview POSTed to a service, whose answer is allow,
// deny or no opinion; a service that cannot be asked is no opinion with an error (the request is then a 500 unless
// another authorizer allows it). Answers are cached (allowed for --authorization-webhook-cache-authorized-ttl,
// others for -unauthorized-ttl) by the review's spec, in an LRU of 8192. Source (kube v1.34):
// staging/src/k8s.io/apiserver/plugin/pkg/authorizer/webhook/webhook.go (Authorize, resourceAttributesFrom,
// shouldCache, RulesFor).
import { compareGoStrings } from '../apimachinery/validation.js';
import { isRecord } from '../apimachinery/json-value.js';
import type { WebhookLogSink } from '../authn/webhook/client.js';
import type { Attributes, AuthorizationResult, Authorizer, RuleResolver, RulesResult } from './types.js';

/** k8s.io/apiserver v0.34.4 plugin/pkg/authorizer/webhook/webhook.go:269, klog.Errorf's format. */
export const AUTHORIZER_REQUEST_FAILED = 'Failed to make webhook authorizer request: ';

/** Sends one SubjectAccessReview and resolves with the service's answer; rejects with the error kube would log. */
export interface SubjectAccessReviewSender {
  send(review: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface WebhookAuthorizerOptions {
  sender: SubjectAccessReviewSender;
  /** --authorization-webhook-version: v1 or v1beta1. */
  version: 'v1' | 'v1beta1';
  /** Milliseconds; 0 turns the cache of allowed answers off. Default 5 minutes. */
  authorizedTtlMs?: number;
  /** Milliseconds; 0 turns the cache of other answers off. Default 30 seconds. */
  unauthorizedTtlMs?: number;
  /** The clock (ms), for tests. */
  now?: () => number;
  /** Where a failed call is logged, as kube's klog.Errorf (webhook.go line 269). */
  log?: WebhookLogSink;
}

const MAX_CONTROLLED_ATTR_CACHE_SIZE = 10000;
const CACHE_ENTRIES = 8192;

/** shouldCache: requests whose own attributes are huge are never cached. */
function shouldCache(a: Attributes): boolean {
  const size = a.namespace.length + a.verb.length + a.apiGroup.length + a.apiVersion.length + a.resource.length + a.subresource.length + a.name.length + a.path.length;
  return size < MAX_CONTROLLED_ATTR_CACHE_SIZE;
}

/**
 * The review's spec in Go's field order, omitempty as the JSON tags say; extra keys sorted (a Go map). v1beta1 names
 * the groups `group`, v1 `groups`.
 */
export function subjectAccessReviewSpec(a: Attributes, version: 'v1' | 'v1beta1' = 'v1'): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (a.isResourceRequest) {
    const fields: [string, string][] = [
      ['namespace', a.namespace],
      ['verb', a.verb],
      ['group', a.apiGroup],
      ['version', a.apiVersion],
      ['resource', a.resource],
      ['subresource', a.subresource],
      ['name', a.name],
    ];
    const out: Record<string, unknown> = {};
    for (const [k, v] of fields) if (v !== '') out[k] = v;
    const fieldRequirements = fieldSelectorRequirements(a);
    const labelRequirements = labelSelectorRequirements(a);
    if (fieldRequirements.length > 0) out.fieldSelector = { requirements: fieldRequirements };
    if (labelRequirements.length > 0) out.labelSelector = { requirements: labelRequirements };
    spec.resourceAttributes = out;
  } else {
    spec.nonResourceAttributes = { ...(a.path !== '' ? { path: a.path } : {}), ...(a.verb !== '' ? { verb: a.verb } : {}) };
  }
  if (a.user.name !== '') spec.user = a.user.name;
  if (a.user.groups.length > 0) spec[version === 'v1' ? 'groups' : 'group'] = [...a.user.groups];
  const extraKeys = Object.keys(a.user.extra).sort(compareGoStrings);
  if (extraKeys.length > 0) spec.extra = Object.fromEntries(extraKeys.map((k) => [k, a.user.extra[k]]));
  if (a.user.uid !== '') spec.uid = a.user.uid;
  return spec;
}

/**
 * fieldSelectorToAuthorizationAPI: = and == become In, != NotIn, each with its one value; a selector that did not
 * parse sends nothing (the broader check, as kube says: requirements are ANDed, so dropping one only widens it).
 */
function fieldSelectorRequirements(a: Attributes): Record<string, unknown>[] {
  if (a.fieldSelector === undefined || !('requirements' in a.fieldSelector)) return [];
  return a.fieldSelector.requirements.map((r) => ({ key: r.field, operator: r.operator === '!=' ? 'NotIn' : 'In', values: [r.value] }));
}

const LABEL_OPERATORS: Record<string, string> = { '=': 'In', '==': 'In', in: 'In', '!=': 'NotIn', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };

/** labelSelectorToAuthorizationAPI: In, NotIn, Exists, DoesNotExist; Gt and Lt are dropped (a broader check). */
function labelSelectorRequirements(a: Attributes): Record<string, unknown>[] {
  if (a.labelSelector === undefined || !('requirements' in a.labelSelector)) return [];
  const out: Record<string, unknown>[] = [];
  for (const r of a.labelSelector.requirements) {
    const operator = LABEL_OPERATORS[r.operator];
    if (operator === undefined) continue;
    out.push({ key: r.key, operator, ...(r.values.length > 0 ? { values: [...r.values] } : {}) });
  }
  return out;
}

/** kube's WebhookAuthorizer. */
export function webhookAuthorizer(options: WebhookAuthorizerOptions): Authorizer & RuleResolver {
  const now = options.now ?? Date.now;
  const authorizedTtl = options.authorizedTtlMs ?? 5 * 60_000;
  const unauthorizedTtl = options.unauthorizedTtlMs ?? 30_000;
  const cache = new Map<string, { status: Record<string, unknown>; expires: number }>();
  const apiVersion = `authorization.k8s.io/${options.version}`;

  const remember = (key: string, status: Record<string, unknown>, ttl: number): void => {
    if (ttl <= 0) return;
    cache.delete(key);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { status, expires: now() + ttl });
  };

  return {
    async authorize(a: Attributes): Promise<AuthorizationResult> {
      const spec = subjectAccessReviewSpec(a, options.version);
      const key = JSON.stringify(spec);
      let status: Record<string, unknown>;
      const hit = cache.get(key);
      if (hit !== undefined && hit.expires > now()) {
        status = hit.status;
      } else {
        if (hit !== undefined) cache.delete(key);
        let answer: Record<string, unknown>;
        try {
          answer = await options.sender.send({ kind: 'SubjectAccessReview', apiVersion, metadata: { creationTimestamp: null }, spec, status: { allowed: false } });
        } catch (err) {
          // webhook.go:269: klog.Errorf("Failed to make webhook authorizer request: %v", err); decisionOnError is NoOpinion.
          const message = (err as Error).message;
          options.log?.error({}, `${AUTHORIZER_REQUEST_FAILED}${message}`);
          return { decision: 'noOpinion', reason: '', error: message };
        }
        status = isRecord(answer.status) ? answer.status : {};
        if (shouldCache(a)) remember(key, status, status.allowed === true ? authorizedTtl : unauthorizedTtl);
      }
      const reason = typeof status.reason === 'string' ? status.reason : '';
      if (status.denied === true && status.allowed === true) return { decision: 'deny', reason, error: 'webhook subject access review returned both allow and deny response' };
      if (status.denied === true) return { decision: 'deny', reason };
      if (status.allowed === true) return { decision: 'allow', reason };
      return { decision: 'noOpinion', reason };
    },
    rulesReviewFor(): RulesResult {
      return { resourceRules: [], nonResourceRules: [], incomplete: true, errors: ['webhook authorizer does not support user rule resolution'] };
    },
  };
}
