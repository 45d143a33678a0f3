// Live RBAC over a store: bootstrap policy, policy files with reload, aggregation of roles added later.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startLivePolicy, type LivePolicy, type RbacStore } from '../../../../src/authz/rbac/live-policy.js';
import type { RbacKind, RbacObject } from '../../../../src/authz/rbac/types.js';
import type { Attributes } from '../../../../src/authz/types.js';
import type { KubeObject } from '../../../../src/apimachinery/object.js';
import { JANE_READS_PODS_IN_DEV } from '../../../helpers/policies.js';

/** A small stand-in for the object store: a map, and synchronous change events. */
function fakeStore(): RbacStore {
  const objects = new Map<string, KubeObject>();
  const listeners = new Set<(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject) => void>();
  const key = (kind: string, ns: string, name: string) => `${kind}/${ns}/${name}`;
  return {
    list: (kind: RbacKind) => [...objects.values()].filter((o) => o.kind === kind),
    put(obj: RbacObject) {
      const k = key(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
      const type = objects.has(k) ? 'MODIFIED' : 'ADDED';
      const copy = structuredClone(obj) as KubeObject;
      objects.set(k, copy);
      for (const l of listeners) l(type, copy);
    },
    remove(kind, ns, name) {
      const k = key(kind, ns, name);
      const old = objects.get(k);
      if (!old) return;
      objects.delete(k);
      for (const l of listeners) l('DELETED', old);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const ask = (user: string, groups: string[], verb: string, resource: string, namespace = '', apiGroup = ''): Attributes => ({
  user: { name: user, uid: '', groups, extra: {} }, verb, isResourceRequest: true, path: '', namespace, apiGroup, apiVersion: 'v1', resource, subresource: '', name: '',
});
const log = { lines: [] as string[], info(m: string) { this.lines.push(m); }, warn(m: string) { this.lines.push(`WARN ${m}`); } };

let dir: string;
let store: RbacStore;
let live: LivePolicy;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kam-policy-'));
  await writeFile(join(dir, 'team.yaml'), JANE_READS_PODS_IN_DEV);
  store = fakeStore();
  live = await startLivePolicy(store, { policyPaths: [dir], watch: false, log });
});
after(async () => {
  live?.close();
  await rm(dir, { recursive: true, force: true });
});

test('bootstrap: system:masters is bound to cluster-admin', async () => {
  const r = await live.authorizer.authorize(ask('root', ['system:masters'], 'delete', 'secrets', 'kube-system'));
  assert.equal(r.decision, 'allow');
  assert.equal(r.reason, 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"');
});

test('bootstrap: authenticated users may create SelfSubjectAccessReviews (system:basic-user)', async () => {
  const r = await live.authorizer.authorize(ask('anyone', ['system:authenticated'], 'create', 'selfsubjectaccessreviews', '', 'authorization.k8s.io'));
  assert.equal(r.decision, 'allow');
});

test('policy files: a Role and RoleBinding from a file grant as written', async () => {
  assert.equal((await live.authorizer.authorize(ask('jane', ['system:authenticated'], 'list', 'pods', 'dev'))).decision, 'allow');
  assert.equal((await live.authorizer.authorize(ask('jane', ['system:authenticated'], 'list', 'secrets', 'dev'))).decision, 'noOpinion');
});

test('policy files: a bad edit keeps the last good policy and logs file and field', async () => {
  await writeFile(join(dir, 'team.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pod-reader, namespace: dev}\nrules: [{apiGroups: [""], resources: [pods]}]\n');
  await live.reload();
  assert.match(log.lines.at(-1)!, /^WARN .*team\.yaml.*rules\[0\]\.verbs.*keeping the last good RBAC policy$/);
  assert.equal((await live.authorizer.authorize(ask('jane', [], 'list', 'pods', 'dev'))).decision, 'allow');
});

test('policy files: a good edit applies, and objects a file no longer holds are removed', async () => {
  await writeFile(join(dir, 'team.yaml'), `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
`);
  await live.reload();
  assert.equal((await live.authorizer.authorize(ask('jane', [], 'list', 'pods', 'dev'))).decision, 'noOpinion');
  assert.equal(store.list('RoleBinding').length, 0);
});

test('aggregation: a ClusterRole labelled aggregate-to-view added later flows into view, edit and admin', async () => {
  store.put({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'widget-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
    rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
  } as RbacObject);
  for (const name of ['view', 'edit', 'admin']) {
    const role = store.list('ClusterRole').find((r) => r.metadata.name === name) as unknown as { rules: { resources?: string[] }[] };
    assert.ok(role.rules.some((r) => r.resources?.includes('widgets')), `${name} has the widgets rule`);
  }
  store.put({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'v', namespace: 'dev' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'vic' }],
  } as RbacObject);
  assert.equal((await live.authorizer.authorize(ask('vic', [], 'list', 'widgets', 'dev', 'example.com'))).decision, 'allow');
});
