// RBAC's policybased storage checks on plain inputs (a user, the request's attributes, the new and old object):
// no server, no request context. Sources: pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/
// policybased/storage.go and pkg/registry/rbac/escalation_check.go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../src/apimachinery/object.js';
import { StatusError } from '../../../../src/apimachinery/status.js';
import type { UserInfo } from '../../../../src/authn/types.js';
import { alwaysDeny } from '../../../../src/authz/always.js';
import { clusterRoleBindingStorageCheck, clusterRoleStorageCheck, roleBindingStorageCheck, roleStorageCheck, type RbacWrite } from '../../../../src/authz/rbac/admission.js';
import { RbacIndex } from '../../../../src/authz/rbac/binding-index.js';
import type { Authorizer } from '../../../../src/authz/types.js';

const jane: UserInfo = { name: 'jane', uid: '', groups: ['system:authenticated'], extra: {} };
const admin: UserInfo = { name: 'root', uid: '', groups: ['system:masters', 'system:authenticated'], extra: {} };
const RBAC = 'rbac.authorization.k8s.io/v1';

const index = new RbacIndex();
index.upsert({ kind: 'Role', metadata: { name: 'pod-reader', namespace: 'dev' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
index.upsert({ kind: 'RoleBinding', metadata: { name: 'jane-reads', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }] });
const deps = { authorizer: alwaysDeny(), index };

const role = (rules: unknown[]): KubeObject => ({ apiVersion: RBAC, kind: 'Role', metadata: { name: 'r', namespace: 'dev' }, rules });
const write = (user: UserInfo, obj: KubeObject, resource: string, old?: KubeObject): RbacWrite => ({ user, request: { apiGroup: 'rbac.authorization.k8s.io', resource, namespace: 'dev', name: '' }, obj, old });

async function refusal(check: Promise<void>): Promise<{ code: number; message: string } | undefined> {
  try {
    await check;
    return undefined;
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, message: err.status.message };
    throw err;
  }
}

test('a role with rules the user holds in the namespace is written', async () => {
  assert.equal(await refusal(roleStorageCheck(deps)(write(jane, role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), 'roles'))), undefined);
});

test('a role with rules the user does not hold is kube\'s 403, naming the missing rules', async () => {
  assert.deepEqual(await refusal(roleStorageCheck(deps)(write(jane, role([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]), 'roles'))), {
    code: 403,
    message: 'roles.rbac.authorization.k8s.io "r" is forbidden: user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
  });
});

test('system:masters may write anything (EscalationAllowed)', async () => {
  assert.equal(await refusal(roleStorageCheck(deps)(write(admin, role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), 'roles'))), undefined);
});

test('the escalate verb, asked about the request\'s own attributes, lets a user write rules it does not hold', async () => {
  const asked: string[] = [];
  const escalate: Authorizer = {
    authorize: async (a) => {
      asked.push(`${a.verb} ${a.resource} ns=${a.namespace} name=${a.name}`);
      return { decision: a.verb === 'escalate' ? 'allow' : 'noOpinion', reason: '' };
    },
  };
  assert.equal(await refusal(roleStorageCheck({ authorizer: escalate, index })(write(jane, role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), 'roles'))), undefined);
  assert.deepEqual(asked, ['escalate roles ns=dev name=']);
});

test('a ClusterRole with an aggregationRule needs full authority, after its rules', async () => {
  const aggregating: KubeObject = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'agg' }, rules: [], aggregationRule: { clusterRoleSelectors: [] } };
  assert.deepEqual(await refusal(clusterRoleStorageCheck(deps)({ ...write(jane, aggregating, 'clusterroles'), request: { apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: '' } })), {
    code: 403,
    message: 'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule',
  });
});

test('a binding to a Role that does not exist is the registry\'s 404 for the role', async () => {
  const binding: KubeObject = { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' }, subjects: [] };
  assert.deepEqual(await refusal(roleBindingStorageCheck(deps)(write(jane, binding, 'rolebindings'))), { code: 404, message: 'rolebindings.rbac.authorization.k8s.io "missing" not found' });
});

test('a binding to a role whose rules the user holds is written', async () => {
  const binding: KubeObject = { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'joe' }] };
  assert.equal(await refusal(roleBindingStorageCheck(deps)(write(jane, binding, 'rolebindings'))), undefined);
});

test('an update that changes only GC fields (IsOnlyMutatingGCFields) is not checked', async () => {
  const old = role([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
  const withOwner: KubeObject = { ...old, metadata: { ...old.metadata, ownerReferences: [] } };
  assert.equal(await refusal(roleStorageCheck(deps)(write(jane, withOwner, 'roles', old))), undefined);
});

// policy_comparator.go BreakdownRule ranges over rule.Verbs; a JSON null decodes to a nil slice, which yields no
// sub-rule to cover, so the check passes and validation's 422 ("verbs must contain at least one value") answers.
test('a rule whose verbs, apiGroups or resources are null has nothing to cover: no 500, the registry\'s validation answers', async () => {
  for (const rule of [
    { apiGroups: [''], resources: ['secrets'], verbs: null },
    { apiGroups: null, resources: ['secrets'], verbs: ['get'] },
    { nonResourceURLs: ['/x'], verbs: null },
  ]) {
    assert.equal(await refusal(roleStorageCheck(deps)(write(jane, role([rule]), 'roles'))), undefined, JSON.stringify(rule));
  }
});

// The decoder leaves a null roleRef field as Go does: the empty string. GetRoleReferenceRules then answers about ""
// (rule.go: `unsupported role reference kind: ""`), and the registry's Get of a role goes through the store's key
// function first (generic/registry/store.go NamespaceKeyFunc, NoNamespaceKeyFunc): kube's 400s, not a 404.
const roleGetCases: { name: string; resource: 'rolebindings' | 'clusterrolebindings'; roleRef: Record<string, unknown>; code: number; message: string }[] = [
  { name: 'kind null', resource: 'rolebindings', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: null, name: 'x' }, code: 500, message: 'unsupported role reference kind: ""' },
  { name: 'name null', resource: 'rolebindings', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: null }, code: 400, message: 'Name parameter required.' },
  { name: 'name left out, Role', resource: 'rolebindings', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role' }, code: 400, message: 'Name parameter required.' },
  { name: 'name with a slash', resource: 'rolebindings', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'a/b%' }, code: 400, message: 'Name parameter invalid: "a/b%": may not contain \'/\';may not contain \'%\'' },
  { name: 'name ..', resource: 'rolebindings', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: '..' }, code: 400, message: 'Name parameter invalid: "..": may not be \'..\'' },
  { name: 'a ClusterRoleBinding to a Role', resource: 'clusterrolebindings', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' }, code: 400, message: 'Namespace parameter required.' },
  { name: 'a ClusterRole that does not exist', resource: 'clusterrolebindings', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'nope' }, code: 404, message: 'clusterrolebindings.rbac.authorization.k8s.io "nope" not found' },
];
for (const c of roleGetCases) {
  test(`a binding's role that cannot be got, ${c.name}: kube's ${c.code}`, async () => {
    const kind = c.resource === 'rolebindings' ? 'RoleBinding' : 'ClusterRoleBinding';
    const check = c.resource === 'rolebindings' ? roleBindingStorageCheck : clusterRoleBindingStorageCheck;
    const obj: KubeObject = { apiVersion: RBAC, kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'dev' } : {}) }, roleRef: c.roleRef };
    const w = write(jane, obj, c.resource);
    assert.deepEqual(await refusal(check(deps)({ ...w, request: { ...w.request, namespace: kind === 'RoleBinding' ? 'dev' : '' } })), { code: c.code, message: c.message });
  });
}
