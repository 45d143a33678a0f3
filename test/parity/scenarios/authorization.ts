// Authorization: allowed and forbidden requests (resource and non-resource, cluster and namespace scope,
// subresources, resourceNames) with their 403 messages, and the review APIs with valid and invalid specs.
import type { JsonValue, ScenarioGroup } from '../scenario.js';
import { localSar, SAR, SSAR, SSRR, typed } from './common.js';

const ssar = (spec: { [key: string]: JsonValue }) => typed('authorization.k8s.io/v1', 'SelfSubjectAccessReview', { spec });
const sar = (spec: { [key: string]: JsonValue }) => typed('authorization.k8s.io/v1', 'SubjectAccessReview', { spec });
/** The rules' order follows the binding walk, which is not part of the contract. */
const RULES = ['status.resourceRules', 'status.nonResourceRules'];

export const authorization: ScenarioGroup = {
  group: 'authorization',
  scenarios: [
    { name: 'namespaced-list-allowed', description: 'jane lists pods in namespace parity (her ClusterRole)', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'jane' }] },
    { name: 'namespaced-get-allowed', description: 'jane reads a ConfigMap', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'jane' }] },
    { name: 'namespaced-forbidden', description: "jane may not read secrets: the 403's message", requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/secrets', as: 'jane' }] },
    { name: 'named-forbidden', description: 'a forbidden get of a named object', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/secrets/s1', as: 'jane' }] },
    { name: 'cluster-scoped-forbidden', description: 'bob may not list namespaces: cluster scope in the message', requests: [{ method: 'GET', path: '/api/v1/namespaces', as: 'bob' }] },
    { name: 'subresource-forbidden', description: 'a forbidden subresource: pods/log', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/pods/p1/log', as: 'jane' }] },
    { name: 'group-resource-forbidden', description: 'a forbidden resource of a named group', requests: [{ method: 'GET', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles', as: 'bob' }] },
    { name: 'write-forbidden', description: 'jane may read configmaps but not create them', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps', as: 'jane', body: typed('v1', 'ConfigMap', { metadata: { name: 'jane-was-here' } }) }] },
    { name: 'other-namespace-forbidden', description: "alice's Role is in namespace parity only", requests: [{ method: 'GET', path: '/api/v1/namespaces/default/configmaps', as: 'alice' }] },
    { name: 'non-resource-allowed', description: 'jane may get /parity/*: authorized, then not found', requests: [{ method: 'GET', path: '/parity/anything', as: 'jane' }] },
    { name: 'non-resource-forbidden', description: 'bob may not get /parity/*: the non-resource 403', requests: [{ method: 'GET', path: '/parity/anything', as: 'bob' }] },
    { name: 'non-resource-verb-forbidden', description: 'jane may get /parity/* but not post to it', requests: [{ method: 'POST', path: '/parity/anything', as: 'jane', body: { json: {} } }] },
    {
      name: 'ssar-resource',
      description: 'SelfSubjectAccessReview: allowed with RBAC reason, and denied',
      requests: [
        { method: 'POST', path: SSAR, as: 'alice', body: ssar({ resourceAttributes: { namespace: 'parity', verb: 'get', resource: 'configmaps' } }) },
        { method: 'POST', path: SSAR, as: 'alice', body: ssar({ resourceAttributes: { namespace: 'parity', verb: 'get', resource: 'secrets' } }) },
      ],
    },
    { name: 'ssar-non-resource', description: 'SelfSubjectAccessReview of a non-resource URL', requests: [{ method: 'POST', path: SSAR, as: 'jane', body: ssar({ nonResourceAttributes: { path: '/parity/x', verb: 'get' } }) }] },
    { name: 'ssar-both-attributes', description: 'SelfSubjectAccessReview with resource and non-resource attributes: 422', requests: [{ method: 'POST', path: SSAR, as: 'alice', body: ssar({ resourceAttributes: { verb: 'get', resource: 'pods' }, nonResourceAttributes: { path: '/x', verb: 'get' } }) }] },
    { name: 'ssar-empty-spec', description: 'SelfSubjectAccessReview with an empty spec: 422', requests: [{ method: 'POST', path: SSAR, as: 'alice', body: ssar({}) }] },
    { name: 'sar-for-another-user', description: "admin asks about bob's access: denied, and about jane's: allowed", requests: [
      { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'bob', resourceAttributes: { namespace: 'parity', verb: 'get', resource: 'pods' } }) },
      { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'jane', groups: ['parity-readers'], resourceAttributes: { namespace: 'parity', verb: 'get', resource: 'pods' } }) },
    ] },
    { name: 'sar-without-subject', description: 'SubjectAccessReview naming no user and no group: 422', requests: [{ method: 'POST', path: SAR, as: 'admin', body: sar({ resourceAttributes: { verb: 'get', resource: 'pods' } }) }] },
    {
      name: 'sar-selectors',
      description: 'SubjectAccessReview with field and label selectors (KEP-4601): accepted, then each invalid form (422)',
      requests: [
        { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'jane', resourceAttributes: { namespace: 'parity', verb: 'list', resource: 'pods', fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] }, labelSelector: { requirements: [{ key: 'app', operator: 'Newer', values: ['x'] }] } } }) },
        { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods', labelSelector: { rawSelector: 'app=web' } } }) },
        { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods', fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'Exists' }] } } }) },
        { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods', labelSelector: {} } }) },
        { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods', labelSelector: { requirements: [{ key: 'a', operator: 'In' }, { key: 'bad key', operator: 'Exists', values: ['x'] }] } } }) },
        { method: 'POST', path: SAR, as: 'admin', body: sar({ user: 'jane', resourceAttributes: { verb: 'list', resource: 'pods', fieldSelector: { requirements: [{ operator: 'Exists' }] } } }) },
      ],
    },
    { name: 'sar-forbidden', description: 'SubjectAccessReview by a user who may not create it', requests: [{ method: 'POST', path: SAR, as: 'alice', body: sar({ user: 'bob', resourceAttributes: { verb: 'get', resource: 'pods' } }) }] },
    {
      name: 'local-sar',
      description: 'LocalSubjectAccessReview: in its namespace, and naming another namespace (422)',
      requests: [
        { method: 'POST', path: localSar('parity'), as: 'admin', body: typed('authorization.k8s.io/v1', 'LocalSubjectAccessReview', { metadata: { namespace: 'parity' }, spec: { user: 'alice', groups: ['parity-devs'], resourceAttributes: { namespace: 'parity', verb: 'update', resource: 'configmaps' } } }) },
        { method: 'POST', path: localSar('parity'), as: 'admin', body: typed('authorization.k8s.io/v1', 'LocalSubjectAccessReview', { metadata: { namespace: 'parity' }, spec: { user: 'alice', resourceAttributes: { namespace: 'default', verb: 'get', resource: 'configmaps' } } }) },
      ],
    },
    { name: 'ssrr-namespace', description: "SelfSubjectRulesReview: alice's rules in namespace parity", requests: [{ method: 'POST', path: SSRR, as: 'alice', unordered: RULES, body: typed('authorization.k8s.io/v1', 'SelfSubjectRulesReview', { spec: { namespace: 'parity' } }) }] },
    { name: 'ssrr-certificate-user', description: "SelfSubjectRulesReview: jane's rules, non-resource ones included", requests: [{ method: 'POST', path: SSRR, as: 'jane', unordered: RULES, body: typed('authorization.k8s.io/v1', 'SelfSubjectRulesReview', { spec: { namespace: 'default' } }) }] },
    { name: 'resource-name-allowed', description: 'bob may get the one ConfigMap his resourceNames rule names', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'bob' }] },
    { name: 'resource-name-other-forbidden', description: 'bob may not get another ConfigMap', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/configmaps/other', as: 'bob' }] },
    { name: 'resource-name-list-forbidden', description: 'a resourceNames rule never allows a list', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/configmaps', as: 'bob' }] },
    { name: 'resource-name-field-selector-list', description: 'a list narrowed by metadata.name is still a list to RBAC (kube 1.34)', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/configmaps?fieldSelector=metadata.name%3Dparity-settings', as: 'bob' }] },
    { name: 'ssrr-resource-names', description: "SelfSubjectRulesReview: bob's rule with resourceNames", requests: [{ method: 'POST', path: SSRR, as: 'bob', unordered: RULES, body: typed('authorization.k8s.io/v1', 'SelfSubjectRulesReview', { spec: { namespace: 'parity' } }) }] },
    { name: 'ssar-resource-name', description: 'SelfSubjectAccessReview with a name, and without', requests: [
      { method: 'POST', path: SSAR, as: 'bob', body: ssar({ resourceAttributes: { namespace: 'parity', verb: 'get', resource: 'configmaps', name: 'parity-settings' } }) },
      { method: 'POST', path: SSAR, as: 'bob', body: ssar({ resourceAttributes: { namespace: 'parity', verb: 'get', resource: 'configmaps' } }) },
    ] },
    { name: 'ssar-subresource', description: 'SelfSubjectAccessReview of a subresource', requests: [{ method: 'POST', path: SSAR, as: 'jane', body: ssar({ resourceAttributes: { namespace: 'parity', verb: 'get', resource: 'pods', subresource: 'log' } }) }] },
    { name: 'ssar-wildcards', description: 'SelfSubjectAccessReview with * verb and resource, by admin and by alice', requests: [
      { method: 'POST', path: SSAR, as: 'admin', body: ssar({ resourceAttributes: { verb: '*', group: '*', resource: '*' } }) },
      { method: 'POST', path: SSAR, as: 'alice', body: ssar({ resourceAttributes: { namespace: 'parity', verb: '*', resource: 'configmaps' } }) },
    ] },
    { name: 'ssrr-no-namespace', description: 'SelfSubjectRulesReview without a namespace', requests: [{ method: 'POST', path: SSRR, as: 'alice', body: typed('authorization.k8s.io/v1', 'SelfSubjectRulesReview', { spec: {} }) }] },
    { name: 'named-subresource-forbidden', description: 'a forbidden create of a named subresource: pods/p1/exec', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/pods/p1/exec?command=ls', as: 'jane' }] },
    { name: 'cluster-named-forbidden', description: 'a forbidden get of a named cluster-scoped object: nodes/n1', requests: [{ method: 'GET', path: '/api/v1/nodes/n1', as: 'bob' }] },
    { name: 'cluster-named-subresource-forbidden', description: 'a forbidden named cluster-scoped subresource: nodes/n1/proxy', requests: [{ method: 'GET', path: '/api/v1/nodes/n1/proxy', as: 'bob' }] },
    { name: 'namespace-object-forbidden', description: 'a forbidden get of a Namespace: its name is also its namespace attribute', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity', as: 'bob' }] },
    { name: 'group-named-forbidden', description: 'a forbidden named object of the rbac group in a namespace', requests: [{ method: 'GET', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/parity/roles/parity-dev', as: 'jane' }] },
    { name: 'group-cluster-named-forbidden', description: 'a forbidden named cluster-scoped object of the rbac group', requests: [{ method: 'GET', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin', as: 'jane' }] },
    { name: 'watch-forbidden', description: 'a forbidden watch: the verb is watch', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/secrets?watch=true', as: 'jane' }] },
    { name: 'deletecollection-forbidden', description: 'DELETE on a collection: the verb is deletecollection', requests: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps', as: 'jane' }] },
    { name: 'patch-forbidden', description: 'a forbidden patch of a named object', requests: [{ method: 'PATCH', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'jane', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { json: { data: { mode: 'x' } } } }] },
    { name: 'update-forbidden', description: 'a forbidden update of a named object', requests: [{ method: 'PUT', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'bob', body: typed('v1', 'ConfigMap', { metadata: { name: 'parity-settings', namespace: 'parity' }, data: { mode: 'x' } }) }] },
    { name: 'delete-forbidden', description: 'a forbidden delete of a named object', requests: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'bob' }] },
    { name: 'cluster-list-all-namespaces-forbidden', description: 'a list across namespaces: cluster scope', requests: [{ method: 'GET', path: '/api/v1/configmaps', as: 'alice' }] },
    { name: 'token-subresource-forbidden', description: 'a forbidden create of serviceaccounts/token', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/serviceaccounts/default/token', as: 'alice', body: typed('authentication.k8s.io/v1', 'TokenRequest', { spec: { audiences: ['x'] } }) }] },
  ],
};
