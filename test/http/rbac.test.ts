// RBAC through the API: live objects taking effect on the next request, escalation prevention with kube's
// messages (pkg/registry/rbac/*/policybased/storage.go), the access reviews (pkg/registry/authorization)
// and /debug/explain.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer();
let admin: { cert: string; key: string };
let jane: string;
let bob: string;

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const role = (name: string, rules: object[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules });
const binding = (name: string, roleKind: string, roleName: string, user: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
});

const asAdmin = (r: ReturnType<ReturnType<typeof client>['get']>) => r.cert(admin.cert).key(admin.key);

before(async () => {
  const s = await server.ready();
  const c = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: c.cert!, key: c.key! };
  jane = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  bob = credentialsOf(await s.kubeconfig({ user: 'bob', auth: 'token' })).token!;
  const http = client(s);
  for (const [path, body] of [
    ['/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }],
    // jane may manage roles and bindings in dev, and read pods there; nothing more.
    [`${RBAC}/namespaces/dev/roles`, role('rbac-manager', [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    ])],
    [`${RBAC}/namespaces/dev/rolebindings`, binding('jane-manages', 'Role', 'rbac-manager', 'jane')],
  ] as const) {
    const res = await asAdmin(http.post(path)).send(body);
    assert.equal(res.status, 201, `${path}: ${res.text}`);
  }
});

test('a RoleBinding created through the API takes effect on the next request', async () => {
  const http = client(server());
  assert.equal((await http.get('/api/v1/namespaces/dev/pods').set('Authorization', `Bearer ${bob}`)).status, 403);
  const created = await asAdmin(http.post(`${RBAC}/namespaces/dev/rolebindings`)).send(binding('bob-reads', 'Role', 'rbac-manager', 'bob'));
  assert.equal(created.status, 201);
  assert.equal((await http.get('/api/v1/namespaces/dev/pods').set('Authorization', `Bearer ${bob}`)).status, 200);
  assert.equal((await asAdmin(http.delete(`${RBAC}/namespaces/dev/rolebindings/bob-reads`))).status, 200);
  assert.equal((await http.get('/api/v1/namespaces/dev/pods').set('Authorization', `Bearer ${bob}`)).status, 403);
});

test('escalation: jane may create a Role with rules she holds', async () => {
  const res = await client(server()).post(`${RBAC}/namespaces/dev/roles`).set('Authorization', `Bearer ${jane}`).send(role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]));
  assert.equal(res.status, 201, res.text);
});

test('escalation: jane may not create a Role with rules she does not hold (kube\'s message)', async () => {
  const res = await client(server()).post(`${RBAC}/namespaces/dev/roles`).set('Authorization', `Bearer ${jane}`).send(role('secret-admin', [{ apiGroups: [''], resources: ['secrets', 'pods'], verbs: ['get', 'delete'] }]));
  assert.equal(res.status, 403);
  assert.equal(res.body.reason, 'Forbidden');
  assert.equal(
    res.body.message,
    'roles.rbac.authorization.k8s.io "secret-admin" is forbidden: user "jane" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
  );
  assert.deepEqual(res.body.details, { name: 'secret-admin', group: 'rbac.authorization.k8s.io', kind: 'roles' });
});

test('escalation: jane may not bind a ClusterRole whose rules she does not hold', async () => {
  const res = await client(server()).post(`${RBAC}/namespaces/dev/rolebindings`).set('Authorization', `Bearer ${jane}`).send(binding('jane-admin', 'ClusterRole', 'admin', 'jane'));
  assert.equal(res.status, 403);
  assert.match(res.body.message, /^rolebindings\.rbac\.authorization\.k8s\.io "jane-admin" is forbidden: user "jane" \(groups=\["dev" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n/);
});

test('escalation: jane may bind a Role whose rules she holds', async () => {
  const res = await client(server()).post(`${RBAC}/namespaces/dev/rolebindings`).set('Authorization', `Bearer ${jane}`).send(binding('bob-pods', 'Role', 'pod-reader', 'bob'));
  assert.equal(res.status, 201, res.text);
});

// The store's NotFound names the resource of the request (qualifiedResourceFromContext): the binding's, as
// recorded from kube-apiserver in test/parity/snapshots/rbac/rolebinding-to-missing-role.json.
test('escalation: binding a role that does not exist is the registry\'s 404, naming the binding\'s resource as kube\'s does', async () => {
  const res = await client(server()).post(`${RBAC}/namespaces/dev/rolebindings`).set('Authorization', `Bearer ${jane}`).send(binding('ghost', 'Role', 'ghost', 'bob'));
  assert.equal(res.status, 404);
  assert.equal(res.body.message, 'rolebindings.rbac.authorization.k8s.io "ghost" not found');
});

// rolebinding/policybased/storage.go resolves the roleRef before the registry validates the object:
// GetRoleReferenceRules' `unsupported role reference kind: ""` is a plain error, which
// responsewriters.ErrorToAPIStatus answers as a 500 with reason StatusReasonUnknown (empty, so omitted).
test('escalation: a binding without roleRef, from a user who may not escalate, is kube\'s 500 "unsupported role reference kind"', async () => {
  const res = await client(server()).post(`${RBAC}/namespaces/dev/rolebindings`).set('Authorization', `Bearer ${jane}`).send({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'norole' }, subjects: [] });
  assert.equal(res.status, 500, res.text);
  assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'unsupported role reference kind: ""', code: 500 });
});

// EscalationAllowed (system:masters) skips the roleRef check, so the registry's validation answers.
test('a binding without roleRef, from system:masters, is kube\'s 422 naming roleRef.kind and roleRef.name', async () => {
  const res = await asAdmin(client(server()).post(`${RBAC}/namespaces/dev/rolebindings`)).send({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'norole' }, subjects: [] });
  assert.equal(res.status, 422, res.text);
  assert.equal(res.body.reason, 'Invalid');
  // v1 defaulting (pkg/apis/rbac/v1/defaults.go) fills the zero roleRef's apiGroup, so only kind and name fail.
  assert.equal(res.body.message, 'RoleBinding.rbac.authorization.k8s.io "norole" is invalid: [roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole", roleRef.name: Required value]');
  assert.deepEqual(res.body.details.causes, [
    { reason: 'FieldValueNotSupported', message: 'Unsupported value: "": supported values: "Role", "ClusterRole"', field: 'roleRef.kind' },
    { reason: 'FieldValueRequired', message: 'Required value', field: 'roleRef.name' },
  ]);
});

test('escalation: the bind verb lets a user bind what it does not hold', async () => {
  const http = client(server());
  await asAdmin(http.post(`${RBAC}/namespaces/dev/roles`)).send(role('binder', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] }]));
  await asAdmin(http.post(`${RBAC}/namespaces/dev/rolebindings`)).send(binding('jane-binds', 'Role', 'binder', 'jane'));
  const res = await http.post(`${RBAC}/namespaces/dev/rolebindings`).set('Authorization', `Bearer ${jane}`).send(binding('bob-views', 'ClusterRole', 'view', 'bob'));
  assert.equal(res.status, 201, res.text);
});

test('escalation: the bind check sees the defaulted roleRef (no apiGroup in the body)', async () => {
  const body = binding('bob-views-2', 'ClusterRole', 'view', 'bob') as { roleRef: { apiGroup?: string } };
  delete body.roleRef.apiGroup;
  const res = await client(server()).post(`${RBAC}/namespaces/dev/rolebindings`).set('Authorization', `Bearer ${jane}`).send(body);
  assert.equal(res.status, 201, res.text);
});

test('invalid RBAC objects are kube\'s 422 with field causes', async () => {
  const res = await asAdmin(client(server()).post(`${RBAC}/namespaces/dev/roles`)).send(role('no-verbs', [{ apiGroups: [''], resources: ['pods'] }]));
  assert.equal(res.status, 422);
  assert.equal(res.body.reason, 'Invalid');
  assert.equal(res.body.message, 'Role.rbac.authorization.k8s.io "no-verbs" is invalid: rules[0].verbs: Required value: verbs must contain at least one value');
  assert.deepEqual(res.body.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value: verbs must contain at least one value', field: 'rules[0].verbs' }]);
});

const AUTHZ = '/apis/authorization.k8s.io/v1';
const sar = (spec: object) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });

const sarCases: { name: string; spec: object; status: object }[] = [
  {
    name: 'allowed, with the binding named in the reason',
    spec: { user: 'jane', groups: ['dev'], resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } },
    status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "jane-manages/dev" of Role "rbac-manager" to User "jane"' },
  },
  { name: 'not allowed: no reason', spec: { user: 'jane', groups: ['dev'], resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'secrets' } }, status: { allowed: false } },
  { name: 'non-resource URL: system:authenticated is not added for you', spec: { user: 'jane', nonResourceAttributes: { path: '/healthz', verb: 'get' } }, status: { allowed: false } },
  {
    name: 'non-resource URL with system:authenticated',
    spec: { user: 'jane', groups: ['system:authenticated'], nonResourceAttributes: { path: '/healthz', verb: 'get' } },
    status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' },
  },
  { name: 'system:masters', spec: { user: 'x', groups: ['system:masters'], resourceAttributes: { verb: 'delete', resource: 'nodes' } }, status: { allowed: true } },
];
for (const c of sarCases) {
  test(`SubjectAccessReview: ${c.name}`, async () => {
    const res = await asAdmin(client(server()).post(`${AUTHZ}/subjectaccessreviews`)).send(sar(c.spec));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.status, c.status);
    assert.deepEqual(res.body.spec, c.spec);
  });
}

test('SubjectAccessReview: no user and no group is kube\'s 422', async () => {
  const res = await asAdmin(client(server()).post(`${AUTHZ}/subjectaccessreviews`)).send(sar({ resourceAttributes: { verb: 'get', resource: 'pods' } }));
  assert.equal(res.status, 422);
  // NewInvalid(Kind(review.Kind), ...) with the decoded object's empty Kind (recorded: test/parity/snapshots/authorization/sar-without-subject.json).
  assert.equal(res.body.message, '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
});

test('SubjectAccessReview: jane may not ask about others', async () => {
  const res = await client(server()).post(`${AUTHZ}/subjectaccessreviews`).set('Authorization', `Bearer ${jane}`).send(sar({ user: 'bob', resourceAttributes: { verb: 'get', resource: 'pods' } }));
  assert.equal(res.status, 403);
  assert.equal(res.body.message, 'subjectaccessreviews.authorization.k8s.io is forbidden: User "jane" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
});

test('SelfSubjectAccessReview: jane asks about herself (kubectl auth can-i)', async () => {
  const res = await client(server())
    .post(`${AUTHZ}/selfsubjectaccessreviews`)
    .set('Authorization', `Bearer ${jane}`)
    .send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } });
  assert.equal(res.status, 201);
  assert.equal(res.body.status.allowed, true);
});

// ValidateLocalSubjectAccessReview (recorded: test/parity/snapshots/authorization/local-sar.json).
test('LocalSubjectAccessReview: attributes naming another namespace are kube\'s 422 "must match metadata.namespace"', async () => {
  const http = client(server());
  const body = (ns: string) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', metadata: { namespace: 'dev' }, spec: { user: 'jane', resourceAttributes: { namespace: ns, verb: 'get', resource: 'pods' } } });
  const ok = await asAdmin(http.post(`${AUTHZ}/namespaces/dev/localsubjectaccessreviews`)).send(body('dev'));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.status.allowed, true);
  const bad = await asAdmin(http.post(`${AUTHZ}/namespaces/dev/localsubjectaccessreviews`)).send(body('prod'));
  assert.equal(bad.status, 422);
  assert.equal(bad.body.message, '.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "prod": must match metadata.namespace');
});

test('SelfSubjectRulesReview: jane\'s rules in dev (kubectl auth can-i --list)', async () => {
  const res = await client(server())
    .post(`${AUTHZ}/selfsubjectrulesreviews`)
    .set('Authorization', `Bearer ${jane}`)
    .send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'dev' } });
  assert.equal(res.status, 201);
  assert.equal(res.body.status.incomplete, false);
  assert.ok(res.body.status.resourceRules.some((r: { resources: string[]; verbs: string[] }) => r.resources.includes('pods') && r.verbs.join() === 'get,list'));
  assert.ok(res.body.status.nonResourceRules.some((r: { nonResourceURLs: string[] }) => r.nonResourceURLs.includes('/healthz')));
});

test('SelfSubjectRulesReview without a namespace is kube\'s 400', async () => {
  const res = await client(server()).post(`${AUTHZ}/selfsubjectrulesreviews`).set('Authorization', `Bearer ${jane}`).send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
  assert.equal(res.status, 400);
  assert.equal(res.body.message, 'no namespace on request');
});

test('/debug/explain answers admin, and refuses jane', async () => {
  const http = client(server());
  const q = '/debug/explain?user=jane&group=dev&verb=list&resource=secrets&namespace=dev';
  const res = await asAdmin(http.get(q));
  assert.equal(res.status, 200);
  assert.equal(res.body.decision, 'noOpinion');
  const b = res.body.bindings.find((x: { binding: { name: string } }) => x.binding.name === 'jane-manages');
  assert.equal(b.description, 'RoleBinding "jane-manages/dev" of Role "rbac-manager" to User "jane"');
  assert.deepEqual(b.rules.map((r: { matched: boolean }) => r.matched), [false, false]);
  assert.equal((await http.get(q).set('Authorization', `Bearer ${jane}`)).status, 403);
});

test('the query is read the same way for authorization and for serving (Go\'s ParseQuery drops pairs with ";")', async () => {
  const http = client(server());
  await asAdmin(http.post(`${RBAC}/namespaces/dev/roles`)).send(role('cm-lister', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }]));
  await asAdmin(http.post(`${RBAC}/namespaces/dev/rolebindings`)).send(binding('bob-lists-cms', 'Role', 'cm-lister', 'bob'));
  // Authorized as a list (the watch pair is dropped), so it must be served as a list, not a watch stream.
  const res = await http.get('/api/v1/namespaces/dev/configmaps?watch=1;').set('Authorization', `Bearer ${bob}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.kind, 'ConfigMapList');
});

test('SubjectAccessReview with a name in its metadata is kube\'s 422 "must be empty"', async () => {
  const res = await asAdmin(client(server()).post(`${AUTHZ}/subjectaccessreviews`)).send({ ...sar({ user: 'jane', resourceAttributes: { verb: 'get', resource: 'pods' } }), metadata: { name: 'x' } });
  assert.equal(res.status, 422);
  assert.match(res.body.message, /^\.authorization\.k8s\.io "" is invalid: metadata: Invalid value: .*: must be empty$/);
});

test('SelfSubjectRulesReview answers a new object: the request\'s spec is not echoed', async () => {
  const res = await client(server()).post(`${AUTHZ}/selfsubjectrulesreviews`).set('Authorization', `Bearer ${jane}`).send({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'dev' } });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.spec, {});
  assert.deepEqual(res.body.metadata, { creationTimestamp: null });
});

test('/debug/explain explains the user as authenticated: system:authenticated\'s bindings are shown', async () => {
  const res = await asAdmin(client(server()).get('/debug/explain?user=jane&verb=get&path=/healthz'));
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.user.groups, ['system:authenticated']);
  assert.equal(res.body.decision, 'allow');
  assert.ok(res.body.bindings.some((b: { description: string }) => b.description.includes('to Group "system:authenticated"')));
});
