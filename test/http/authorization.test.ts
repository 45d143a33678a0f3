// --authorization-mode AlwaysAllow / AlwaysDeny, with kube-apiserver's system:masters bypass and its 403
// Status, word for word (handlers/responsewriters/errors.go forbiddenMessage, authorizerfactory/builtin.go).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer({ authorizationMode: 'AlwaysDeny' });
let token: string;
let admin: { cert: string; key: string };

before(async () => {
  const s = await server.ready();
  token = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  const c = credentialsOf(await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: c.cert!, key: c.key! };
});

const cases: { name: string; method: 'get' | 'post'; path: string; message: string; details: object }[] = [
  { name: 'non-resource path', method: 'get', path: '/version', message: 'forbidden: User "jane" cannot get path "/version": Everything is forbidden.', details: {} },
  { name: 'discovery', method: 'get', path: '/apis', message: 'forbidden: User "jane" cannot get path "/apis": Everything is forbidden.', details: {} },
  {
    name: 'cluster-scoped resource',
    method: 'post',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    message: 'selfsubjectreviews.authentication.k8s.io is forbidden: User "jane" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope: Everything is forbidden.',
    details: { group: 'authentication.k8s.io', kind: 'selfsubjectreviews' },
  },
  {
    name: 'namespaced resource with a name',
    method: 'get',
    path: '/api/v1/namespaces/dev/secrets/db',
    message: 'secrets "db" is forbidden: User "jane" cannot get resource "secrets" in API group "" in the namespace "dev": Everything is forbidden.',
    details: { name: 'db', kind: 'secrets' },
  },
  {
    name: 'subresource',
    method: 'get',
    path: '/api/v1/namespaces/dev/pods/web/log',
    message: 'pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "dev": Everything is forbidden.',
    details: { name: 'web', kind: 'pods' },
  },
];

for (const c of cases) {
  test(`AlwaysDeny: ${c.name} is kube's 403`, async () => {
    const res = await client(server())[c.method](c.path).set('Authorization', `Bearer ${token}`).send(c.method === 'post' ? {} : undefined);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: c.message, reason: 'Forbidden', details: c.details, code: 403 });
  });
}

test('AlwaysDeny: system:masters is allowed anyway, as kube-apiserver always allows it', async () => {
  const res = await client(server()).get('/version').cert(admin.cert).key(admin.key);
  assert.equal(res.status, 200);
});

test('AlwaysDeny: authentication still comes first: a bad token is 401, not 403', async () => {
  const res = await client(server()).get('/version').set('Authorization', 'Bearer wrong');
  assert.equal(res.status, 401);
});

// KEP-4601 (GA in 1.34): SubjectAccessReviews carry the field and label selectors of list and watch requests;
// pkg/apis/authorization/validation/validation.go validateFieldSelectorAttributes / validateLabelSelectorAttributes.
// kube names no kind in these 422s (NewInvalid of the internal object's empty Kind): ".authorization.k8s.io".
const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
const sar = (resourceAttributes: object) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'jane', resourceAttributes } });
const selectorCases: { name: string; attrs: object; status: number; message?: string; evaluationError?: string }[] = [
  {
    name: 'requirements of both kinds, unknown operators allowed: accepted and echoed; the one kube cannot use is ignored, and says so',
    attrs: { verb: 'list', resource: 'pods', fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] }, labelSelector: { requirements: [{ key: 'app', operator: 'Newer', values: ['x'] }] } },
    status: 201,
    evaluationError: 'spec.resourceAttributes.labelSelector ignored due to parse error',
  },
  {
    name: 'field requirements kube cannot use yet (Exists, two values) beside one it can: partially ignored',
    attrs: { verb: 'list', resource: 'pods', fieldSelector: { requirements: [{ key: 'a', operator: 'In', values: ['1'] }, { key: 'b', operator: 'Exists' }, { key: 'c', operator: 'In', values: ['1', '2'] }] } },
    status: 201,
    evaluationError: 'spec.resourceAttributes.fieldSelector partially ignored due to parse error',
  },
  {
    name: 'a raw label selector that does not parse: ignored',
    attrs: { verb: 'list', resource: 'pods', labelSelector: { rawSelector: 'a in (' } },
    status: 201,
    evaluationError: 'spec.resourceAttributes.labelSelector ignored due to parse error',
  },
  { name: 'a raw selector alone: accepted', attrs: { verb: 'list', resource: 'pods', labelSelector: { rawSelector: 'app=web' } }, status: 201 },
  {
    name: 'raw and requirements together',
    attrs: { verb: 'list', resource: 'pods', fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'Exists' }] } },
    status: 422,
    message: '.authorization.k8s.io "" is invalid: spec.resourceAttributes.fieldSelector.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements',
  },
  {
    name: 'neither raw nor requirements',
    attrs: { verb: 'list', resource: 'pods', labelSelector: {} },
    status: 422,
    message: '.authorization.k8s.io "" is invalid: spec.resourceAttributes.labelSelector.requirements: Required value: when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required',
  },
  {
    name: 'In without values, Exists with values, a bad label key',
    attrs: { verb: 'list', resource: 'pods', labelSelector: { requirements: [{ key: 'a', operator: 'In' }, { key: 'bad key', operator: 'Exists', values: ['x'] }] } },
    status: 422,
    message:
      ".authorization.k8s.io \"\" is invalid: [spec.resourceAttributes.labelSelector.requirements[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', spec.resourceAttributes.labelSelector.requirements[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist', spec.resourceAttributes.labelSelector.requirements[1].key: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')]",
  },
  {
    name: 'a field requirement without a key',
    attrs: { verb: 'list', resource: 'pods', fieldSelector: { requirements: [{ operator: 'Exists' }] } },
    status: 422,
    message: '.authorization.k8s.io "" is invalid: spec.resourceAttributes.fieldSelector.requirements[0].key: Required value: must be specified',
  },
];
for (const c of selectorCases) {
  test(`SubjectAccessReview selectors: ${c.name}`, async () => {
    const res = await client(server()).post(SAR).cert(admin.cert).key(admin.key).send(sar(c.attrs));
    assert.equal(res.status, c.status, JSON.stringify(res.body));
    if (c.message !== undefined) assert.equal(res.body.message, c.message);
    else {
      assert.deepEqual(res.body.spec.resourceAttributes, c.attrs);
      assert.equal(res.headers.warning, undefined);
      assert.equal(res.body.status.evaluationError, c.evaluationError);
    }
  });
}
