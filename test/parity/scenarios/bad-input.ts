// Bad input: 400 bodies for malformed JSON, YAML and protobuf, 413, 415, 404 and 405 bodies, deep JSON.
import type { ParityRequest, RequestBody, ScenarioGroup } from '../scenario.js';
import { readFileSync } from 'node:fs';
import { SSR_V1 } from './common.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
/** A protobuf body kubectl 1.33 sent (test/fixtures/protobuf/), base64. */
const pb = (file: string): string => readFileSync(new URL(`../../fixtures/protobuf/${file}`, import.meta.url)).toString('base64');
/** The first half of such a body. */
const pbTruncated = (file: string): string => {
  const bytes = readFileSync(new URL(`../../fixtures/protobuf/${file}`, import.meta.url));
  return bytes.subarray(0, Math.floor(bytes.length / 2)).toString('base64');
};

/** A SelfSubjectReview POST by alice (who may create one) with this body and content type. */
const postWhoami = (body: RequestBody, contentType: string): ParityRequest => ({ method: 'POST', path: SSR_V1, as: 'alice', headers: { 'Content-Type': contentType }, body });

/** kube's limit for a request body is 3 MiB (MaxRequestBodyBytes); one byte more. */
const OVER_LIMIT = 3 * 1024 * 1024 + 1;
const DEPTH = 10001;

export const badInput: ScenarioGroup = {
  group: 'bad-input',
  scenarios: [
    { name: 'truncated-json', description: 'a JSON body cut short', requests: [postWhoami({ text: '{"kind":"SelfSubjectReview",' }, 'application/json')] },
    { name: 'not-json', description: 'a body that is not JSON at all', requests: [postWhoami({ text: 'hello' }, 'application/json')] },
    { name: 'json-array', description: 'JSON that is not an object', requests: [postWhoami({ text: '[1,2]' }, 'application/json')] },
    { name: 'json-wrong-version', description: 'a body naming another version of the kind', requests: [postWhoami({ text: '{"apiVersion":"authentication.k8s.io/v1beta1","kind":"SelfSubjectReview"}' }, 'application/json')] },
    { name: 'json-wrong-kind', description: 'a body naming another kind', requests: [postWhoami({ text: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview"}' }, 'application/json')] },
    { name: 'json-duplicate-field', description: 'a repeated key: strict decoding', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?fieldValidation=Strict', as: 'alice', headers: { 'Content-Type': 'application/json' }, body: { text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup"}}' } }], cleanup: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps/dup', as: 'admin' }] },
    { name: 'json-unknown-field-warning', description: 'an unknown field with fieldValidation=Warn: a Warning header', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?fieldValidation=Warn&dryRun=All', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unknown-field' }, surprise: 1 } } }] },
    { name: 'malformed-yaml', description: 'a YAML body that does not parse', requests: [postWhoami({ text: 'kind: [unclosed' }, 'application/yaml')] },
    { name: 'yaml-body', description: 'a well-formed YAML body is accepted', requests: [postWhoami({ text: 'apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\n' }, 'application/yaml')] },
    { name: 'protobuf-without-magic', description: 'a protobuf body without the k8s magic', requests: [postWhoami({ bytes: Buffer.from('not protobuf').toString('base64') }, 'application/vnd.kubernetes.protobuf')] },
    { name: 'too-large', description: 'a body one byte over 3 MiB: 413', requests: [postWhoami({ repeat: 'x', count: OVER_LIMIT }, 'application/json')] },
    { name: 'unsupported-media-type', description: 'a form body: 415 and the supported types', requests: [postWhoami({ text: 'a=b' }, 'application/x-www-form-urlencoded')] },
    { name: 'deep-json', description: `JSON nested ${DEPTH} levels deep`, requests: [postWhoami({ text: `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}` }, 'application/json')] },
    { name: 'yaml-several-documents', description: 'a YAML body of two documents: the first is read', requests: [postWhoami({ text: 'apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\n---\napiVersion: v1\nkind: Pod\n' }, 'application/yaml')] },
    { name: 'json-type-error', description: 'a field of the wrong JSON type', requests: [{ method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', as: 'alice', body: { json: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 1 } } } } }] },
    { name: 'json-unknown-field-strict', description: 'an unknown field with fieldValidation=Strict: 400', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?fieldValidation=Strict&dryRun=All', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, surprise: 1 } } }] },
    { name: 'empty-body', description: 'a POST with no body at all', requests: [{ method: 'POST', path: SSR_V1, as: 'alice', headers: { 'Content-Type': 'application/json' } }] },
    { name: 'invalid-field-validation', description: 'fieldValidation=Maybe: 400', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?fieldValidation=Maybe&dryRun=All', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'maybe' } } } }] },
    { name: 'unknown-path', description: 'a path nothing serves: 404', requests: [{ method: 'GET', path: '/nothing/here', as: 'admin' }] },
    { name: 'unknown-resource', description: 'a resource the core group does not have: 404', requests: [{ method: 'GET', path: '/api/v1/widgets', as: 'admin' }] },
    { name: 'unknown-group', description: 'a group nothing serves: 404', requests: [{ method: 'GET', path: '/apis/nothing.example.com/v1', as: 'admin' }] },
    {
      name: 'unknown-group-writes',
      description: 'writes to a group nothing serves and to its version: 404 from the not-found handler, not 405',
      requests: [
        { method: 'POST', path: '/apis/nothing.example.com', as: 'admin', body: { json: {} } },
        { method: 'DELETE', path: '/apis/nothing.example.com/v1', as: 'admin' },
      ],
    },
    {
      name: 'method-not-allowed',
      description: 'verbs a path does not serve: POST to a named object, PUT to a collection',
      requests: [
        { method: 'POST', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'admin', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'parity-settings' } } } },
        { method: 'PUT', path: '/api/v1/namespaces/parity/configmaps', as: 'admin', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } } },
      ],
    },
    { name: 'delete-review', description: 'DELETE on a create-only review API: 405', requests: [{ method: 'DELETE', path: SSR_V1, as: 'admin' }] },
    { name: 'protobuf-whoami', description: "kubectl 1.33's protobuf SelfSubjectReview body: accepted, answered as JSON", requests: [postWhoami({ bytes: pb('auth-whoami.pb') }, PROTOBUF)] },
    { name: 'protobuf-can-i', description: "kubectl 1.33's protobuf SelfSubjectAccessReview (delete pods in fixtures)", requests: [{ method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', as: 'alice', headers: { 'Content-Type': PROTOBUF }, body: { bytes: pb('auth-can-i.pb') } }] },
    { name: 'protobuf-namespace-dry-run', description: "kubectl 1.33's protobuf Namespace, created with dryRun=All", requests: [{ method: 'POST', path: '/api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict&dryRun=All', as: 'admin', headers: { 'Content-Type': PROTOBUF }, body: { bytes: pb('namespace.pb') } }] },
    { name: 'protobuf-clusterrole-dry-run', description: "kubectl 1.33's protobuf ClusterRole, created with dryRun=All", requests: [{ method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles?fieldManager=kubectl-create&fieldValidation=Strict&dryRun=All', as: 'admin', headers: { 'Content-Type': PROTOBUF }, body: { bytes: pb('clusterrole.pb') } }] },
    { name: 'protobuf-role-namespace-mismatch', description: "kubectl 1.33's protobuf Role of namespace fixtures, posted to namespace parity: 400", requests: [{ method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/parity/roles?dryRun=All', as: 'admin', headers: { 'Content-Type': PROTOBUF }, body: { bytes: pb('role.pb') } }] },
    { name: 'protobuf-truncated', description: 'a protobuf body cut in half', requests: [postWhoami({ bytes: pbTruncated('auth-whoami.pb') }, PROTOBUF)] },
    { name: 'protobuf-magic-only', description: 'the k8s magic and nothing else', requests: [postWhoami({ bytes: Buffer.from('k8s\u0000').toString('base64') }, PROTOBUF)] },
    { name: 'protobuf-magic-garbage', description: 'the k8s magic followed by bytes that are not a protobuf message', requests: [postWhoami({ bytes: Buffer.concat([Buffer.from('k8s\u0000'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])]).toString('base64') }, PROTOBUF)] },
    { name: 'protobuf-wrong-kind', description: "kubectl's protobuf ConfigMap posted to selfsubjectreviews", requests: [postWhoami({ bytes: pb('configmap.pb') }, PROTOBUF)] },
    { name: 'yaml-role-dry-run', description: 'a Role as YAML, created with dryRun=All', requests: [{ method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/parity/roles?dryRun=All', as: 'admin', headers: { 'Content-Type': 'application/yaml' }, body: { text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: yaml-role\nrules:\n- apiGroups: [""]\n  resources: [configmaps]\n  verbs: [get]\n' } }] },
    { name: 'yaml-tabs', description: 'a YAML body indented with a tab: 400', requests: [postWhoami({ text: 'apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata:\n\tname: x\n' }, 'application/yaml')] },
    { name: 'yaml-unknown-field-strict', description: 'a YAML ConfigMap with an unknown field, fieldValidation=Strict: 400', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?fieldValidation=Strict&dryRun=All', as: 'alice', headers: { 'Content-Type': 'application/yaml' }, body: { text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-strict\nsurprise: 1\n' } }] },
    { name: 'too-large-role', description: 'a Role body one byte over 3 MiB: 413', requests: [{ method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/parity/roles', as: 'admin', headers: { 'Content-Type': 'application/json' }, body: { repeat: 'x', count: OVER_LIMIT } }] },
    { name: 'deep-json-objects', description: `JSON objects nested ${DEPTH} levels deep in a ConfigMap's data`, requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?dryRun=All', as: 'alice', headers: { 'Content-Type': 'application/json' }, body: { text: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}` } }] },
    { name: 'unknown-field-strict-nested', description: 'an unknown field inside metadata and one in a Role rule, fieldValidation=Strict: 400 naming both', requests: [{ method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/parity/roles?fieldValidation=Strict&dryRun=All', as: 'admin', body: { json: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'strict-nested', surprise: 1 }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'], colour: 'red' }] } } }] },
    { name: 'unknown-field-ignore', description: 'an unknown field with fieldValidation=Ignore: no warning', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?fieldValidation=Ignore&dryRun=All', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ignore' }, surprise: 1 } } }] },
    { name: 'dry-run-invalid', description: 'dryRun=Maybe: 400', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?dryRun=Maybe', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry-maybe' } } } }], cleanup: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps/dry-maybe', as: 'admin' }] },
    { name: 'dry-run-empty', description: 'dryRun= (empty): 400', requests: [{ method: 'POST', path: '/api/v1/namespaces/parity/configmaps?dryRun=', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry-empty' } } } }], cleanup: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps/dry-empty', as: 'admin' }] },
    {
      name: 'dry-run-all',
      description: 'dryRun=All creates nothing: the create answers 201, the get after it 404; dryRun=All twice is fine',
      requests: [
        { method: 'POST', path: '/api/v1/namespaces/parity/configmaps?dryRun=All', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry-all' }, data: { a: 'b' } } } },
        { method: 'GET', path: '/api/v1/namespaces/parity/configmaps/dry-all', as: 'alice' },
        { method: 'POST', path: '/api/v1/namespaces/parity/configmaps?dryRun=All&dryRun=All', as: 'alice', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry-all' } } } },
      ],
      cleanup: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps/dry-all', as: 'admin' }],
    },
    { name: 'dry-run-delete', description: 'a DELETE with dryRun=All deletes nothing', requests: [
      { method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps/parity-settings?dryRun=All', as: 'admin' },
      { method: 'GET', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'admin' },
    ] },
  ],
};
