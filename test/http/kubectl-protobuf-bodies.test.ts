// The protobuf bodies kubectl 1.33 sent (test/fixtures/protobuf/), replayed to the server at the paths kubectl
// sent them to: each is created as kubectl asked, and the access reviews answer for the caller.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer();
let token: string;
const FIXTURES = new URL('../fixtures/protobuf/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', FIXTURES), 'utf8')) as { requests: { file: string; command: string; method: string; path: string }[] };

before(async () => {
  token = credentialsOf(await (await server.ready()).kubeconfig({ user: 'replayer', groups: ['system:masters'], auth: 'token' })).token!;
});

/** What each replayed body must create, in the fields kubectl set (the server adds uid, resourceVersion, ...). */
const created: Record<string, { name: string; fields: Record<string, unknown> }> = {
  'namespace.pb': { name: 'fixtures', fields: { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } },
  'configmap.pb': { name: 'settings', fields: { data: { level: '3', mode: 'fast' } } },
  'secret-generic.pb': { name: 'login', fields: { data: { password: 'aHVudGVyMg==', user: 'amFuZQ==' }, type: 'Opaque' } },
  'serviceaccount.pb': { name: 'builder', fields: {} },
  'role.pb': { name: 'pod-reader', fields: { rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] }] } },
  'rolebinding.pb': {
    name: 'jane-reads',
    fields: {
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'fixtures' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    },
  },
  'clusterrole.pb': { name: 'node-viewer', fields: { rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['nodes'], resourceNames: ['node-1'] }] } },
  'clusterrolebinding.pb': {
    name: 'jane-views-nodes',
    fields: { subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-viewer' } },
  },
};

/** The review answers, for the system:masters caller. */
const reviewed: Record<string, Record<string, unknown>> = {
  'auth-whoami.pb': { userInfo: { username: 'replayer', groups: ['system:masters', 'system:authenticated'] } },
  'auth-can-i.pb': { allowed: true },
};

// In index.json's order, which is the order kubectl ran: the namespace first.
for (const r of index.requests.filter((r) => r.file !== '')) {
  test(`${r.command}: kubectl's protobuf body to ${r.method} ${r.path.split('?')[0]}`, async () => {
    const res = await client(server())
      .post(r.path)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/vnd.kubernetes.protobuf')
      .send(readFileSync(new URL(r.file, FIXTURES)));
    assert.equal(res.status, 201, res.text);
    const review = reviewed[r.file];
    if (review !== undefined) {
      assert.deepEqual(res.body.status, review);
      return;
    }
    const want = created[r.file];
    assert.ok(want !== undefined, `no expectation for ${r.file}`);
    assert.equal(res.body.metadata.name, want.name);
    for (const [field, value] of Object.entries(want.fields)) assert.deepEqual(res.body[field], value, field);
  });
}
