// The audit log (issue 10), on the audit variant: both servers write --audit-log-path with the policy of
// fixtures/audit-policy.yaml (RequestReceived omitted everywhere: a rule's omitStages adds to the policy's; configmaps in parity at RequestResponse,
// RBAC and TokenRequests at Request, the rest at Metadata). Each request marked `audit` keeps its events, found by
// the Audit-Id header. kube: staging/src/k8s.io/apiserver/pkg/endpoints/filters/audit.go,
// pkg/audit/request.go, pkg/audit/policy/checker.go, pkg/endpoints/filters/authn_audit.go (v0.34.4).
import type { ParityRequest, Scenario, ScenarioGroup } from '../scenario.js';
import { RBAC, typed } from './common.js';

const variant = 'audit' as const;
const CONFIGMAPS = '/api/v1/namespaces/parity/configmaps';
const audited = (req: ParityRequest): ParityRequest => ({ ...req, audit: true });

const scenarios: Scenario[] = [
  {
    name: 'metadata-level',
    description: "Metadata-level events: a resource list by a client certificate, a non-resource GET by anonymous, a cluster-scoped get with a name, a 404, and a watch (ResponseStarted, then ResponseComplete when its timeoutSeconds ends it)",
    variant,
    requests: [
      audited({ method: 'GET', path: '/api/v1/namespaces/parity/pods?watch=1&timeoutSeconds=1', as: 'admin' }),
      audited({ method: 'GET', path: '/api/v1/namespaces/parity/pods?limit=5', as: 'jane' }),
      audited({ method: 'GET', path: '/livez', as: 'anonymous' }),
      audited({ method: 'GET', path: '/api/v1/namespaces/parity', as: 'admin' }),
      audited({ method: 'GET', path: '/api/v1/namespaces/parity/secrets/no-such-secret', as: 'admin' }),
    ],
  },
  {
    name: 'request-response-level',
    description: 'RequestResponse-level events of a ConfigMap created, read, listed, patched (the patch is the requestObject, merge and JSON patch) and deleted by alice (token)',
    variant,
    requests: [
      audited({ method: 'POST', path: CONFIGMAPS, as: 'alice', body: typed('v1', 'ConfigMap', { metadata: { name: 'audited' }, data: { colour: 'blue' } }) }),
      audited({ method: 'GET', path: `${CONFIGMAPS}/audited`, as: 'alice' }),
      audited({ method: 'GET', path: `${CONFIGMAPS}?fieldSelector=metadata.name%3Daudited`, as: 'alice' }),
      audited({ method: 'PATCH', path: `${CONFIGMAPS}/audited`, as: 'alice', headers: { 'Content-Type': 'application/json-patch+json' }, body: { json: [{ op: 'replace', path: '/data/colour', value: 'red' }] } }),
      audited({ method: 'PATCH', path: `${CONFIGMAPS}/audited`, as: 'alice', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { json: { data: { colour: 'green' } } } }),
      audited({ method: 'DELETE', path: `${CONFIGMAPS}/audited`, as: 'alice' }),
    ],
    cleanup: [{ method: 'DELETE', path: `${CONFIGMAPS}/audited`, as: 'admin' }],
  },
  {
    name: 'request-level',
    description: 'Request-level events: a Role created by alice (requestObject, no responseObject), one without rules (the requestObject as Go encodes it: rules null), one refused by validation (422: a rule without verbs)',
    variant,
    requests: [
      audited({ method: 'POST', path: `${RBAC}/namespaces/parity/roles`, as: 'alice', body: typed('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name: 'audited-role' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }) }),
      audited({ method: 'POST', path: `${RBAC}/namespaces/parity/roles`, as: 'alice', body: typed('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name: 'audited-no-rules' } }) }),
      audited({ method: 'POST', path: `${RBAC}/namespaces/parity/roles`, as: 'alice', body: typed('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name: 'audited-invalid' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: [] }] }) }),
    ],
    cleanup: ['audited-role', 'audited-no-rules', 'audited-invalid'].map((name) => ({ method: 'DELETE' as const, path: `${RBAC}/namespaces/parity/roles/${name}`, as: 'admin' as const })),
  },
  {
    name: 'refused',
    description: 'a 403 (the decision and reason annotations), a 401 of an unknown token (the failed-authentication event), an impersonated request (impersonatedUser)',
    variant,
    requests: [
      audited({ method: 'GET', path: '/api/v1/namespaces/parity/secrets', as: 'bob' }),
      audited({ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'bad-token' }),
      audited({ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'admin', headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': 'parity-readers' } }),
    ],
  },
  {
    name: 'client-audit-id',
    description: "a client's own Audit-ID header: answered back and used as the event's auditID",
    variant,
    requests: [audited({ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'jane', headers: { 'Audit-ID': 'parity-fixed-audit-id' } })],
  },
  {
    name: 'token-request',
    description: "a TokenRequest at the Request level: the issued-credential-id annotation",
    variant,
    setup: [{ method: 'POST', path: '/api/v1/namespaces/parity/serviceaccounts', as: 'admin', body: typed('v1', 'ServiceAccount', { metadata: { name: 'audited-sa' } }) }],
    requests: [audited({ method: 'POST', path: '/api/v1/namespaces/parity/serviceaccounts/audited-sa/token', as: 'admin', body: typed('authentication.k8s.io/v1', 'TokenRequest', { spec: { expirationSeconds: 600 } }) })],
    cleanup: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/serviceaccounts/audited-sa', as: 'admin' }],
  },
];

export const audit: ScenarioGroup = { group: 'audit', scenarios };
