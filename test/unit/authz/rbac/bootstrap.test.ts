// kube's bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, recorded in its
// testdata/cluster-roles.yaml and cluster-role-bindings.yaml and checked by policy_test.go), loaded from
// policies/bootstrap, and the clusterrole-aggregation controller
// (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller_test.go) that fills in admin/edit/view.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { aggregateClusterRoles } from '../../../../src/authz/rbac/aggregation.js';
import { bootstrapPolicyDir, loadBootstrapPolicy } from '../../../../src/authz/rbac/bootstrap.js';
import { loadPolicyFiles } from '../../../../src/authz/rbac/policy-files.js';
import { isClusterRole, isClusterRoleBinding } from '../../../../src/authz/rbac/types.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, RbacObject } from '../../../../src/authz/rbac/types.js';
import { rbacDecodeError, validateRbacObject } from '../../../../src/authz/rbac/validation.js';

const roles = async (): Promise<ClusterRole[]> => (await loadBootstrapPolicy()).filter(isClusterRole);
const bindings = async (): Promise<ClusterRoleBinding[]> => (await loadBootstrapPolicy()).filter(isClusterRoleBinding);

function groupsBoundTo(all: ClusterRoleBinding[], role: string): string[] {
  return all
    .filter((b) => b.roleRef.name === role)
    .flatMap((b) => b.subjects ?? [])
    .filter((s) => s.kind === 'Group')
    .map((s) => s.name);
}

test('bootstrapPolicyDir is policies/bootstrap of this package', () => {
  const path = bootstrapPolicyDir();
  assert.ok(path.endsWith(join('policies', 'bootstrap')), path);
  assert.ok(existsSync(join(path, 'cluster-roles.yaml')));
  assert.ok(existsSync(join(path, 'cluster-role-bindings.yaml')));
});

test('the bootstrap policy loads, decodes strictly and validates; counts', async () => {
  const all = await loadBootstrapPolicy();
  for (const obj of all) {
    assert.equal(rbacDecodeError(obj), undefined, obj.metadata.name);
    assert.deepEqual(validateRbacObject(obj), [], obj.metadata.name);
  }
  const crs = all.filter(isClusterRole);
  const crbs = all.filter(isClusterRoleBinding);
  assert.equal(crs.length + crbs.length, all.length, 'only ClusterRoles and ClusterRoleBindings');
  console.log(`bootstrap policy: ${crs.length} ClusterRoles, ${crbs.length} ClusterRoleBindings`);
  assert.equal(crs.length, 31);
  assert.equal(crbs.length, 12);
});

test("kube's role names are all there", async () => {
  const names = new Set((await roles()).map((r) => r.metadata.name));
  for (const name of [
    'cluster-admin', 'admin', 'edit', 'view',
    'system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view',
    'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:auth-delegator',
    'system:heapster', 'system:kube-aggregator', 'system:kube-controller-manager', 'system:kube-dns',
    'system:kube-scheduler', 'system:kubelet-api-admin', 'system:node', 'system:node-bootstrapper',
    'system:node-problem-detector', 'system:node-proxier', 'system:persistent-volume-provisioner',
    'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
    'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
    'system:certificates.k8s.io:kube-apiserver-client-approver',
    'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver',
    'system:certificates.k8s.io:kubelet-serving-approver',
    'system:certificates.k8s.io:legacy-unknown-approver',
    'system:monitoring', 'system:service-account-issuer-discovery', 'system:volume-scheduler',
  ]) {
    assert.ok(names.has(name), name);
  }
});

test("every object keeps kube's bootstrapping label and autoupdate annotation, and no creationTimestamp", async () => {
  for (const obj of await loadBootstrapPolicy()) {
    assert.equal(obj.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', obj.metadata.name);
    assert.equal(obj.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true', obj.metadata.name);
    assert.equal('creationTimestamp' in obj.metadata, false);
  }
});

test('cluster-admin: every verb on every resource and every non-resource URL', async () => {
  const admin = (await roles()).find((r) => r.metadata.name === 'cluster-admin');
  assert.deepEqual(admin?.rules, [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]);
});

test('bindings: system:masters, discovery, public-info-viewer, basic-user, service accounts, node', async () => {
  const all = await bindings();
  assert.deepEqual(groupsBoundTo(all, 'cluster-admin'), ['system:masters']);
  assert.deepEqual(groupsBoundTo(all, 'system:discovery'), ['system:authenticated']);
  assert.deepEqual(groupsBoundTo(all, 'system:basic-user'), ['system:authenticated']);
  assert.deepEqual(groupsBoundTo(all, 'system:public-info-viewer'), ['system:authenticated', 'system:unauthenticated']);
  assert.deepEqual(groupsBoundTo(all, 'system:service-account-issuer-discovery'), ['system:serviceaccounts']);
  assert.deepEqual(groupsBoundTo(all, 'system:monitoring'), ['system:monitoring']);
  const node = all.find((b) => b.metadata.name === 'system:node');
  assert.equal(node?.subjects, undefined, 'system:node is bound to nobody (the Node authorizer authorizes nodes)');
  const dns = all.find((b) => b.metadata.name === 'system:kube-dns');
  assert.deepEqual(dns?.subjects, [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }]);
  for (const b of all) assert.equal(b.roleRef.kind, 'ClusterRole');
});

test('system:public-info-viewer and system:discovery grant only GETs of non-resource URLs', async () => {
  const byName = new Map((await roles()).map((r) => [r.metadata.name, r]));
  assert.deepEqual(byName.get('system:public-info-viewer')?.rules, [
    { nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] },
  ]);
  assert.deepEqual(byName.get('system:discovery')?.rules?.[0]?.nonResourceURLs, [
    '/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/',
  ]);
});

test('the files keep admin, edit and view as kube has them: aggregationRule and rules: null', async () => {
  const { objects } = await loadPolicyFiles([bootstrapPolicyDir()]);
  for (const name of ['admin', 'edit', 'view']) {
    const r = objects.find((o) => o.metadata.name === name);
    assert.ok(r && isClusterRole(r));
    assert.equal(r.rules, null, name);
    assert.equal(r.aggregationRule?.clusterRoleSelectors.length, 1);
  }
});

test('loadBootstrapPolicy aggregates admin ⊇ edit ⊇ view, as kube-controller-manager would', async () => {
  const byName = new Map((await roles()).map((r) => [r.metadata.name, r]));
  const rulesOf = (name: string): PolicyRule[] => byName.get(name)?.rules ?? [];
  const has = (name: string, rule: PolicyRule) => rulesOf(name).some((r) => JSON.stringify(r) === JSON.stringify(rule));
  assert.deepEqual(rulesOf('view'), rulesOf('system:aggregate-to-view'));
  for (const rule of rulesOf('view')) assert.ok(has('edit', rule), `edit has view's ${JSON.stringify(rule)}`);
  for (const rule of rulesOf('system:aggregate-to-edit')) assert.ok(has('edit', rule));
  for (const rule of rulesOf('edit')) assert.ok(has('admin', rule), `admin has edit's ${JSON.stringify(rule)}`);
  for (const rule of rulesOf('system:aggregate-to-admin')) assert.ok(has('admin', rule));
  // edit: selected roles by name, "system:aggregate-to-edit" before "view"
  assert.deepEqual(rulesOf('edit').slice(0, rulesOf('system:aggregate-to-edit').length), rulesOf('system:aggregate-to-edit'));
  assert.equal(rulesOf('admin').length, 25);
  assert.equal(rulesOf('edit').length, 23);
  assert.equal(rulesOf('view').length, 10);
});

test('loadBootstrapPolicy is cached but hands out copies', async () => {
  const a = await loadBootstrapPolicy();
  a[0]!.metadata.name = 'changed';
  const b = await loadBootstrapPolicy();
  assert.notEqual(b[0]!.metadata.name, 'changed');
});

// clusterroleaggregation_controller_test.go: TestSyncClusterRole
function cr(name: string, labels: Record<string, string>, rules: PolicyRule[] | null, selectors?: ClusterRole['aggregationRule']): ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules,
    ...(selectors ? { aggregationRule: selectors } : {}),
  };
}
const rule = (verb: string): PolicyRule => ({ verbs: [verb], apiGroups: [''], resources: ['pods'] });

const aggregationCases: { name: string; objects: RbacObject[]; want: Record<string, string[]> }[] = [
  {
    name: 'TestSyncClusterRole: no matching roles gives empty rules',
    objects: [cr('agg', {}, null, { clusterRoleSelectors: [{ matchLabels: { foo: 'bar' } }] })],
    want: { agg: [] },
  },
  {
    name: 'TestSyncClusterRole: roles by name, duplicates once, own rules replaced',
    objects: [
      cr('agg', { foo: 'bar' }, [rule('stale')], { clusterRoleSelectors: [{ matchLabels: { foo: 'bar' } }] }),
      cr('zz', { foo: 'bar' }, [rule('get'), rule('list')]),
      cr('aa', { foo: 'bar' }, [rule('list'), rule('watch')]),
      cr('other', { foo: 'baz' }, [rule('delete')]),
    ],
    want: { agg: ['list', 'watch', 'get'] },
  },
  {
    name: 'TestSyncClusterRole: selectors in order, expressions',
    objects: [
      cr('agg', {}, null, {
        clusterRoleSelectors: [
          { matchExpressions: [{ key: 'tier', operator: 'In', values: ['b'] }] },
          { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
        ],
      }),
      cr('a', { tier: 'a' }, [rule('a')]),
      cr('b', { tier: 'b' }, [rule('b')]),
    ],
    want: { agg: ['b', 'a'] },
  },
  {
    name: 'nested aggregation reaches a fixed point',
    objects: [
      cr('top', {}, null, { clusterRoleSelectors: [{ matchLabels: { to: 'top' } }] }),
      cr('mid', { to: 'top' }, null, { clusterRoleSelectors: [{ matchLabels: { to: 'mid' } }] }),
      cr('leaf', { to: 'mid' }, [rule('get')]),
    ],
    want: { top: ['get'], mid: ['get'], leaf: ['get'] },
  },
];

for (const c of aggregationCases) {
  test(`aggregateClusterRoles: ${c.name}`, () => {
    const before = structuredClone(c.objects);
    const out = aggregateClusterRoles(c.objects).filter(isClusterRole);
    for (const [name, verbs] of Object.entries(c.want)) {
      assert.deepEqual(
        (out.find((r) => r.metadata.name === name)?.rules ?? []).map((r) => r.verbs[0]),
        verbs,
        name,
      );
    }
    assert.deepEqual(c.objects, before, 'the input is not changed');
  });
}
