// Webhook token authentication and webhook authorization (issue 10), on the webhooks variant: both servers ask the
// same scriptable webhook (fixtures/webhook.yaml) with kube's default versions, cache TTLs and retries.
// kube: staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/webhook/webhook.go,
// plugin/pkg/authorizer/webhook/webhook.go, pkg/util/webhook/webhook.go (v0.34.4). Each answer keeps the reviews
// the webhook received for it (webhookReviews): what each server sends, how often it retries, what it caches. The
// scenarios run in one order on both servers, so the caches (2 minutes for tokens, 5 minutes / 30 s for decisions)
// hold the same entries at each request.
import type { ParityRequest, Scenario, ScenarioGroup } from '../scenario.js';
import { SAR, SSAR, SSRR, TOKEN_REVIEW, typed, whoami } from './common.js';

const variant = 'webhooks' as const;
const bearer = (token: string): Readonly<Record<string, string>> => ({ Authorization: `Bearer ${token}` });
const whoamiWith = (token: string): ParityRequest => ({ ...whoami('anonymous'), headers: bearer(token) });
const review = (token: string, audiences?: string[]): ParityRequest => ({ method: 'POST', path: TOKEN_REVIEW, as: 'admin', body: typed('authentication.k8s.io/v1', 'TokenReview', { spec: { token, ...(audiences ? { audiences } : {}) } }) });
const WENDY = 'parity-webhook-wendy';
const asWendy = (method: ParityRequest['method'], path: string, body?: ParityRequest['body']): ParityRequest => ({ method, path, as: 'anonymous', headers: bearer(WENDY), ...(body ? { body } : {}) });
const sarFor = (user: string, resourceAttributes: Record<string, string>, groups: string[] = []): ParityRequest => ({
  method: 'POST',
  path: SAR,
  as: 'admin',
  body: typed('authorization.k8s.io/v1', 'SubjectAccessReview', { spec: { user, groups, resourceAttributes } }),
});

const scenarios: Scenario[] = [
  {
    name: 'token-identity',
    description: "a token the webhook knows: the user it returns (uid, groups, extra with a key that needs escaping), as whoami and as a TokenReview; the webhook's TokenReview answer carries no audiences, so the API audiences are assumed",
    variant,
    requests: [whoamiWith(WENDY), review(WENDY), review(WENDY, ['vault'])],
  },
  {
    name: 'token-refused',
    description: "tokens the webhook refuses: status.error, authenticated false without an error, a token no rule names; each a 401 and a TokenReview's error",
    variant,
    requests: [
      whoamiWith('parity-webhook-revoked'),
      review('parity-webhook-revoked'),
      whoamiWith('parity-webhook-unanswered'),
      review('parity-webhook-unanswered'),
      whoamiWith('parity-webhook-nobody-knows'),
      review('parity-webhook-nobody-knows'),
    ],
  },
  {
    name: 'token-audiences',
    description: "the webhook's status.audiences against the audiences wanted: vault only (401 for the API, authenticated for a TokenReview asking vault), the API's issuer (authenticated)",
    variant,
    requests: [
      whoamiWith('parity-webhook-vault'),
      review('parity-webhook-vault', ['vault']),
      review('parity-webhook-vault', ['other']),
      review('parity-webhook-vault', ['other', 'vault']),
      whoamiWith('parity-webhook-api'),
    ],
  },
  {
    name: 'token-webhook-fails',
    description: 'the webhook answers 500 to every try: after the retries, a 401 and the TokenReview error kube gives',
    variant,
    requests: [whoamiWith('parity-webhook-fails'), review('parity-webhook-fails')],
  },
  {
    name: 'authorize-decisions',
    description: "requests RBAC does not allow, decided by the webhook: allow (200), deny with a reason (403 with it), allow for a non-resource path (404), allow with an evaluation error (kube drops the error of an allow), no opinion with a reason (403), a subresource, and one RBAC allows before the webhook is asked",
    variant,
    requests: [
      asWendy('GET', '/api/v1/namespaces/parity/pods'),
      asWendy('GET', '/api/v1/namespaces/parity/pods/no-such-pod/log'),
      asWendy('GET', '/api/v1/namespaces/parity/configmaps/parity-settings'),
      asWendy('GET', '/parity-allowed'),
      asWendy('DELETE', '/api/v1/namespaces/parity/configmaps/no-such-configmap'),
      asWendy('POST', '/api/v1/namespaces/parity/configmaps', typed('v1', 'ConfigMap', { metadata: { name: 'from-wendy' } })),
      { method: 'GET', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'alice' },
    ],
  },
  {
    name: 'authorize-reviews',
    description: "SubjectAccessReviews and a SelfSubjectAccessReview answered by the webhook (allowed, denied with its reason, no opinion), and wendy's SelfSubjectRulesReview: RBAC's rules, incomplete, with the webhook's error",
    variant,
    requests: [
      sarFor('wendy', { verb: 'list', resource: 'pods', namespace: 'parity' }),
      sarFor('wendy', { verb: 'get', resource: 'configmaps', namespace: 'parity' }),
      sarFor('wendy', { verb: 'get', resource: 'secrets', namespace: 'parity' }),
      { method: 'POST', path: SAR, as: 'admin', body: typed('authorization.k8s.io/v1', 'SubjectAccessReview', { spec: { user: 'wendy', groups: ['parity-webhook-users'], extra: { team: ['blue'] }, uid: 'wendy-uid', nonResourceAttributes: { path: '/parity-allowed', verb: 'get' } } }) },
      asWendy('POST', SSAR, typed('authorization.k8s.io/v1', 'SelfSubjectAccessReview', { spec: { resourceAttributes: { verb: 'delete', resource: 'configmaps', namespace: 'parity' } } })),
      { ...asWendy('POST', SSRR, typed('authorization.k8s.io/v1', 'SelfSubjectRulesReview', { spec: { namespace: 'parity' } })), unordered: ['status.resourceRules', 'status.nonResourceRules'] },
    ],
  },
  {
    name: 'authorize-webhook-fails',
    description: 'the webhook answers 500 for bob and secrets: after the retries, the request gets kube 500 and a SubjectAccessReview its evaluationError',
    variant,
    requests: [
      { method: 'GET', path: '/api/v1/namespaces/parity/secrets', as: 'bob' },
      sarFor('bob', { verb: 'list', resource: 'secrets', namespace: 'parity' }),
    ],
  },
];

export const webhooks: ScenarioGroup = { group: 'webhooks', scenarios };
