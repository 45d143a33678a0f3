// Bootstrap tokens (issue 9), on the bootstrap-tokens variant (--enable-bootstrap-token-auth): Secrets of type
// bootstrap.kubernetes.io/token in kube-system authenticate `<token-id>.<token-secret>` as system:bootstrap:<id>.
// kube: plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go, k8s.io/cluster-bootstrap (v1.34.4). Every refusal
// is silent there (logged, no error), so a TokenReview says only `invalid bearer token`.
import type { ParityRequest, Scenario, ScenarioGroup, UnrecordedRequest } from '../scenario.js';
import { TOKEN_REVIEW, typed, whoami } from './common.js';

const KUBE_SYSTEM_SECRETS = '/api/v1/namespaces/kube-system/secrets';
const SECRET = '0123456789abcdef';
/** Far ahead and fixed: the recorded Secret must not age. */
const NOT_EXPIRED = '2099-01-01T00:00:00Z';

const bootstrapSecret = (id: string, data: Record<string, string>, options: { name?: string; namespace?: string; type?: string } = {}): UnrecordedRequest => ({
  method: 'POST',
  path: `/api/v1/namespaces/${options.namespace ?? 'kube-system'}/secrets`,
  as: 'admin',
  body: typed('v1', 'Secret', { metadata: { name: options.name ?? `bootstrap-token-${id}` }, type: options.type ?? 'bootstrap.kubernetes.io/token', stringData: { 'token-id': id, 'token-secret': SECRET, ...data } }),
});
const deleteSecret = (name: string, namespace = 'kube-system'): UnrecordedRequest => ({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}/secrets/${name}`, as: 'admin' });
const review = (token: string, audiences?: string[]): ParityRequest => ({ method: 'POST', path: TOKEN_REVIEW, as: 'admin', body: typed('authentication.k8s.io/v1', 'TokenReview', { spec: { token, ...(audiences ? { audiences } : {}) } }) });
const whoamiWith = (token: string): ParityRequest => ({ ...whoami('anonymous'), headers: { Authorization: `Bearer ${token}` } });

const variant = 'bootstrap-tokens' as const;
const scenarios: Scenario[] = [
  {
    name: 'valid',
    description: 'a usable bootstrap token: system:bootstrap:<id>, system:bootstrappers and its extra group, no uid or extra; audience-agnostic (spec.audiences [x] fails); the Secret is not touched',
    variant,
    setup: [bootstrapSecret('abcdef', { 'usage-bootstrap-authentication': 'true', 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token', expiration: NOT_EXPIRED, description: 'parity' })],
    requests: [
      whoamiWith(`abcdef.${SECRET}`),
      review(`abcdef.${SECRET}`),
      review(`abcdef.${SECRET}`, ['x']),
      { method: 'GET', path: `${KUBE_SYSTEM_SECRETS}/bootstrap-token-abcdef`, as: 'admin' },
    ],
    cleanup: [deleteSecret('bootstrap-token-abcdef')],
  },
  {
    name: 'no-extra-groups',
    description: 'a bootstrap token without auth-extra-groups or expiration',
    variant,
    setup: [bootstrapSecret('noextr', { 'usage-bootstrap-authentication': 'true' })],
    requests: [whoamiWith(`noextr.${SECRET}`)],
    cleanup: [deleteSecret('bootstrap-token-noextr')],
  },
  {
    name: 'refused',
    description: 'refused bootstrap tokens: wrong secret, expired, usage false or absent, an extra group outside system:bootstrappers:, token-id not the name, a bad expiration, in another namespace, of type Opaque, unknown, upper case, no dot',
    variant,
    setup: [
      bootstrapSecret('goodid', { 'usage-bootstrap-authentication': 'true' }),
      bootstrapSecret('expire', { 'usage-bootstrap-authentication': 'true', expiration: '2020-01-01T00:00:00Z' }),
      bootstrapSecret('nousag', { 'usage-bootstrap-authentication': 'false' }),
      bootstrapSecret('nofiel', {}),
      bootstrapSecret('badgrp', { 'usage-bootstrap-authentication': 'true', 'auth-extra-groups': 'not-bootstrappers' }),
      bootstrapSecret('zzzzzz', { 'usage-bootstrap-authentication': 'true' }, { name: 'bootstrap-token-mismat' }),
      bootstrapSecret('badexp', { 'usage-bootstrap-authentication': 'true', expiration: 'tomorrow' }),
      bootstrapSecret('othrns', { 'usage-bootstrap-authentication': 'true' }, { namespace: 'default' }),
      bootstrapSecret('opaque', { 'usage-bootstrap-authentication': 'true' }, { type: 'Opaque' }),
    ],
    requests: [
      whoamiWith(`expire.${SECRET}`),
      ...[`goodid.${SECRET.slice(0, -1)}0`, `expire.${SECRET}`, `nousag.${SECRET}`, `nofiel.${SECRET}`, `badgrp.${SECRET}`, `zzzzzz.${SECRET}`, `mismat.${SECRET}`, `badexp.${SECRET}`, `othrns.${SECRET}`, `opaque.${SECRET}`, `qwerty.${SECRET}`, `GOODID.${SECRET.toUpperCase()}`, `goodid${SECRET}`].map((t) => review(t)),
    ],
    cleanup: ['goodid', 'expire', 'nousag', 'nofiel', 'badgrp', 'mismat', 'badexp', 'opaque'].map((id) => deleteSecret(`bootstrap-token-${id}`)).concat([deleteSecret('bootstrap-token-othrns', 'default')]),
  },
];

export const bootstrapTokens: ScenarioGroup = { group: 'bootstrap-tokens', scenarios };
