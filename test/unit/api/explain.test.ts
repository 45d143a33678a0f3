// /debug/explain's query: it describes the request as kube-apiserver would see it, so that explain and the real
// decision of that request agree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainAttributes } from '../../../src/api/explain.js';
import { RbacAuthorizer } from '../../../src/authz/rbac/authorizer.js';
import { RbacIndex } from '../../../src/authz/rbac/binding-index.js';
import { explain } from '../../../src/authz/rbac/explain.js';

test('a path is explained as a non-resource request with no namespace: a RoleBinding to a ClusterRole with nonResourceURLs grants no path', async () => {
  const index = new RbacIndex();
  index.upsert({ kind: 'ClusterRole', metadata: { name: 'health' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] });
  index.upsert({ kind: 'RoleBinding', metadata: { namespace: 'dev', name: 'health' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'health' }, subjects: [{ kind: 'User', name: 'jane' }] });
  const attrs = explainAttributes(new URLSearchParams({ user: 'jane', verb: 'get', path: '/healthz', namespace: 'dev', name: 'x', subresource: 'y' }));
  assert.deepEqual({ ...attrs, user: undefined }, { user: undefined, verb: 'get', isResourceRequest: false, path: '/healthz', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' });
  const e = await explain(index, attrs);
  assert.equal(e.decision, 'noOpinion');
  assert.equal((await new RbacAuthorizer(index).authorize(attrs)).decision, 'noOpinion');
});
