// Wrong grants an outside review found (issue 6): each case is a request kube-apiserver refuses that the mock
// once served. Sources are named per test.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer();
let admin: { cert: string; key: string };
let updater: string;

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const asAdmin = <T extends { cert(c: string): T; key(k: string): T }>(r: T): T => r.cert(admin.cert).key(admin.key);

before(async () => {
  const s = await server.ready();
  const c = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: c.cert!, key: c.key! };
  updater = credentialsOf(await s.kubeconfig({ user: 'updater', auth: 'token' })).token!;
  for (const [path, body] of [
    ['/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }],
    ['/api/v1/namespaces/dev/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, stringData: { k: 'v' } }],
    ['/api/v1/namespaces/dev/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } }],
    // updater may get, update and patch (never create) every kind the mock serves, and holds nothing else.
    [`${RBAC}/clusterroles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'get-update-all' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'update', 'patch'] }],
    }],
    [`${RBAC}/clusterrolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'updater' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'get-update-all' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'updater' }],
    }],
    // A role updater does not hold the rules of: any change to it but its GC fields is an escalation.
    [`${RBAC}/clusterroles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'secret-deleter', labels: { team: 'a' } },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['delete'] }],
    }],
  ] as const) {
    const res = await asAdmin(client(s).post(path)).send(body);
    assert.equal(res.status, 201, `${path}: ${res.text}`);
  }
});

/** 2,100 headers before the one that matters: more than node's default maxHeadersCount (2000) keeps. */
const junkHeaders = (): Record<string, string> => Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`X-Junk-${i}`, 'v']));

// Go's net/http limits header bytes (kube: 1 MiB), never the header count; node drops every header past its
// maxHeadersCount without a word unless told otherwise.
test('headers past the 2,000th are kept: Impersonate-User after 2,100 junk headers makes the admin lowly (403)', async () => {
  const res = await asAdmin(client(server()).get('/api/v1/namespaces/dev/secrets/s1')).set(junkHeaders()).set('Impersonate-User', 'lowly');
  assert.equal(res.status, 403, res.text);
  assert.equal(res.body.message, 'secrets "s1" is forbidden: User "lowly" cannot get resource "secrets" in API group "" in the namespace "dev"');
});

test('headers past the 2,000th are kept: a bad bearer token after 2,100 junk headers is 401, not anonymous', async () => {
  const res = await client(server()).get('/version').set(junkHeaders()).set('Authorization', 'Bearer wrong');
  assert.equal(res.status, 401, `${res.status} ${res.text} ${JSON.stringify(res.headers)}`);
  assert.equal(res.body.message, 'Unauthorized');
});

// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/update.go: a PUT that creates is authorized for
// `create` too (createAuthorizerAttributes, withAuthorization), and refused with NewForbidden(gr, name, reason).
const createOnUpdateCases = [
  {
    name: 'RoleBinding (AllowCreateOnUpdate): 403 from the create check',
    path: `${RBAC}/namespaces/dev/rolebindings/u-new`,
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'u-new', namespace: 'dev' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'updater' }],
    },
    status: 403,
    message: 'rolebindings.rbac.authorization.k8s.io "u-new" is forbidden: ',
  },
  {
    name: 'Role (AllowCreateOnUpdate): 403 from the create check',
    path: `${RBAC}/namespaces/dev/roles/u-new`,
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'u-new' }, rules: [] },
    status: 403,
    message: 'roles.rbac.authorization.k8s.io "u-new" is forbidden: ',
  },
  {
    name: 'ClusterRole (AllowCreateOnUpdate): 403 from the create check',
    path: `${RBAC}/clusterroles/u-new`,
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'u-new' }, rules: [] },
    status: 403,
    message: 'clusterroles.rbac.authorization.k8s.io "u-new" is forbidden: ',
  },
  {
    name: 'ClusterRoleBinding (AllowCreateOnUpdate): 403 from the create check',
    path: `${RBAC}/clusterrolebindings/u-new`,
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'u-new' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [],
    },
    status: 403,
    message: 'clusterrolebindings.rbac.authorization.k8s.io "u-new" is forbidden: ',
  },
  { name: 'ConfigMap (no create on update): 404', path: '/api/v1/namespaces/dev/configmaps/u-new', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u-new' } }, status: 404, message: 'configmaps "u-new" not found' },
  { name: 'Secret (no create on update): 404', path: '/api/v1/namespaces/dev/secrets/u-new', body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'u-new' } }, status: 404, message: 'secrets "u-new" not found' },
  { name: 'Pod (no create on update): 404', path: '/api/v1/namespaces/dev/pods/u-new', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'u-new' }, spec: { containers: [{ name: 'c', image: 'i' }] } }, status: 404, message: 'pods "u-new" not found' },
  { name: 'ServiceAccount (no create on update): 404', path: '/api/v1/namespaces/dev/serviceaccounts/u-new', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'u-new' } }, status: 404, message: 'serviceaccounts "u-new" not found' },
  { name: 'Namespace (no create on update): 404', path: '/api/v1/namespaces/u-new', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'u-new' } }, status: 404, message: 'namespaces "u-new" not found' },
  { name: 'Node (no create on update): 404', path: '/api/v1/nodes/u-new', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'u-new' } }, status: 404, message: 'nodes "u-new" not found' },
];

for (const c of createOnUpdateCases) {
  test(`PUT to a new name by a user with get and update only: ${c.name}`, async () => {
    const res = await client(server()).put(c.path).set('Authorization', `Bearer ${updater}`).send(c.body);
    assert.equal(res.status, c.status, res.text);
    assert.equal(res.body.message, c.message);
    // Nothing was written.
    assert.equal((await asAdmin(client(server()).get(c.path))).status, 404);
  });
}

test('PUT that creates: once the user may create rolebindings too, the same PUT is a 201', async () => {
  const s = server();
  const put = () =>
    client(s)
      .put(`${RBAC}/namespaces/dev/rolebindings/made-by-put`)
      .set('Authorization', `Bearer ${updater}`)
      // A role updater holds, so RBAC's escalation check lets the binding through.
      .send({ ...createOnUpdateCases[0]!.body, metadata: { name: 'made-by-put', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'get-update-all' } });
  assert.equal((await put()).status, 403);
  for (const [path, body] of [
    [`${RBAC}/namespaces/dev/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'binding-creator' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] }] }],
    [`${RBAC}/namespaces/dev/rolebindings`, { ...createOnUpdateCases[0]!.body, metadata: { name: 'updater-creates' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'binding-creator' } }],
  ] as const) {
    const res = await asAdmin(client(s).post(path)).send(body);
    assert.equal(res.status, 201, res.text);
  }
  const res = await put();
  assert.equal(res.status, 201, res.text);
});

test('PUT that creates: an invalid object is kube\'s 422 before the create check (registry Update: BeforeCreate, then createValidation)', async () => {
  const res = await client(server())
    .put(`${RBAC}/clusterroles/Bad_Name`)
    .set('Authorization', `Bearer ${updater}`)
    .send({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'Bad_Name' }, rules: [{ verbs: ['get'] }] });
  assert.equal(res.status, 422, res.text);
});

// pkg/registry/rbac/helpers.go IsOnlyMutatingGCFields: the new object, with the old one's owner references,
// finalizers, selfLink and managedFields, compared with Semantic.DeepEqual: content, never key order. The policybased
// storages run it in UpdatedObject (rest.WrapUpdatedObjectInfo), on the object as the request made it, before
// rest.BeforeUpdate copies uid and creationTimestamp from the stored object.
test('a finalizers-only PUT of a role the user does not hold is no escalation, whatever the key order', async () => {
  const s = server();
  const stored = (await asAdmin(client(s).get(`${RBAC}/clusterroles/secret-deleter`))).body as Record<string, unknown> & { metadata: Record<string, unknown> };
  const reversed = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).reverse());
  const body = reversed({ ...stored, metadata: reversed({ ...stored.metadata, finalizers: ['example.com/keep'] }), rules: [{ verbs: ['delete'], resources: ['secrets'], apiGroups: [''] }] });
  const res = await client(s).put(`${RBAC}/clusterroles/secret-deleter`).set('Authorization', `Bearer ${updater}`).send(body);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.metadata.finalizers, ['example.com/keep']);

  // A change beyond the GC fields is still checked: a label is an escalation for a role updater does not hold.
  const relabel = await client(s)
    .put(`${RBAC}/clusterroles/secret-deleter`)
    .set('Authorization', `Bearer ${updater}`)
    .send({ ...res.body, metadata: { ...res.body.metadata, labels: { team: 'b' } } });
  assert.equal(relabel.status, 403, relabel.text);
  assert.match(relabel.body.message, /is attempting to grant RBAC permissions not currently held/);
});

const gcOnlyButSystemFieldsCases: { name: string; send: (stored: Record<string, unknown> & { metadata: Record<string, unknown> }) => { method: 'put' | 'patch'; body: unknown; type?: string } }[] = [
  {
    name: 'PUT without uid and creationTimestamp (BeforeUpdate fills them in only after the check)',
    send: (stored) => {
      const { uid: _uid, creationTimestamp: _ct, ...meta } = stored.metadata;
      return { method: 'put', body: { ...stored, metadata: { ...meta, finalizers: ['example.com/other'] } } };
    },
  },
  {
    name: 'PUT with another creationTimestamp (BeforeUpdate ignores it, the check does not)',
    send: (stored) => ({ method: 'put', body: { ...stored, metadata: { ...stored.metadata, creationTimestamp: '2001-01-01T00:00:00Z', finalizers: ['example.com/other'] } } }),
  },
  {
    name: 'merge patch that drops the uid along with the finalizers',
    send: () => ({ method: 'patch', type: 'application/merge-patch+json', body: { metadata: { uid: null, finalizers: ['example.com/other'] } } }),
  },
];

for (const c of gcOnlyButSystemFieldsCases) {
  test(`IsOnlyMutatingGCFields sees the object as the request made it: ${c.name} -> 403 escalation check`, async () => {
    const s = server();
    const stored = (await asAdmin(client(s).get(`${RBAC}/clusterroles/secret-deleter`))).body as Record<string, unknown> & { metadata: Record<string, unknown> };
    const { method, body, type } = c.send(stored);
    const req = method === 'put' ? client(s).put(`${RBAC}/clusterroles/secret-deleter`) : client(s).patch(`${RBAC}/clusterroles/secret-deleter`).set('Content-Type', type!);
    const res = await req.set('Authorization', `Bearer ${updater}`).send(body as object);
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.message, /is attempting to grant RBAC permissions not currently held/);
    const after = (await asAdmin(client(s).get(`${RBAC}/clusterroles/secret-deleter`))).body as { metadata: { finalizers?: string[] } };
    assert.notDeepEqual(after.metadata.finalizers, ['example.com/other']);
  });
}
