// Bad input: 400 bodies for malformed JSON, YAML and protobuf, 413, 415, 404 and 405 bodies, deep JSON.
import type { ParityRequest, RequestBody, ScenarioGroup } from '../scenario.js';
import { SSR_V1 } from './common.js';

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
      name: 'method-not-allowed',
      description: 'verbs a path does not serve: POST to a named object, PUT to a collection',
      requests: [
        { method: 'POST', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'admin', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'parity-settings' } } } },
        { method: 'PUT', path: '/api/v1/namespaces/parity/configmaps', as: 'admin', body: { json: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } } },
      ],
    },
    { name: 'delete-review', description: 'DELETE on a create-only review API: 405', requests: [{ method: 'DELETE', path: SSR_V1, as: 'admin' }] },
  ],
};
