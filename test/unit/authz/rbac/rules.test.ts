// Rule matching, as plugin/pkg/auth/authorizer/rbac/rbac_test.go (TestRuleMatches) and
// pkg/apis/rbac/v1/evaluation_helpers_test.go pin it; every row also runs through the casbin model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoleEvaluator } from '../../../../src/authz/rbac/role-evaluator.js';
import { ruleAllows, type MatchableRequest, type MatchableRule } from '../../../../src/authz/rbac/rules.js';

const res = (verb: string, apiGroup: string, resource: string, subresource = '', name = ''): MatchableRequest => ({ isResourceRequest: true, verb, apiGroup, resource, subresource, name, path: '' });
const url = (verb: string, path: string): MatchableRequest => ({ isResourceRequest: false, verb, apiGroup: '', resource: '', subresource: '', name: '', path });

const cases: { name: string; rule: MatchableRule; req: MatchableRequest; allowed: boolean }[] = [
  { name: 'star verb, exact match other', rule: { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, req: res('get', '', 'pods'), allowed: true },
  { name: 'star group, exact match other', rule: { verbs: ['get'], apiGroups: ['*'], resources: ['pods'] }, req: res('get', 'apps', 'pods'), allowed: true },
  { name: 'star resource, exact match other', rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] }, req: res('get', '', 'secrets'), allowed: true },
  { name: 'tuple match', rule: { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }, req: res('get', 'apps', 'deployments'), allowed: true },
  { name: 'star everything', rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, req: res('delete', 'x.io', 'widgets', 'status', 'w'), allowed: true },
  { name: 'verb mismatch', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, req: res('list', '', 'pods'), allowed: false },
  { name: 'group mismatch: core rule, apps request', rule: { verbs: ['get'], apiGroups: [''], resources: ['deployments'] }, req: res('get', 'apps', 'deployments'), allowed: false },
  { name: 'resource mismatch', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, req: res('get', '', 'secrets'), allowed: false },
  { name: 'no apiGroups matches no resource request', rule: { verbs: ['get'], resources: ['pods'] }, req: res('get', '', 'pods'), allowed: false },
  { name: 'resource name matches', rule: { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }, req: res('get', '', 'secrets', '', 'db'), allowed: true },
  { name: 'resource name mismatch', rule: { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }, req: res('get', '', 'secrets', '', 'other'), allowed: false },
  { name: 'resource names never match a list (no name)', rule: { verbs: ['list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }, req: res('list', '', 'secrets'), allowed: false },
  { name: 'subresource exact', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, req: res('get', '', 'pods', 'log', 'web'), allowed: true },
  { name: 'resource without subresource does not match the subresource', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, req: res('get', '', 'pods', 'log', 'web'), allowed: false },
  { name: 'subresource rule does not match the resource', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, req: res('get', '', 'pods', '', 'web'), allowed: false },
  { name: '*/subresource matches any resource\'s subresource', rule: { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, req: res('update', 'apps', 'deployments', 'scale', 'd'), allowed: true },
  { name: '*/subresource does not match another subresource', rule: { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, req: res('get', '', 'pods', 'log', 'web'), allowed: false },
  { name: '*/subresource does not match the resource itself', rule: { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, req: res('get', '', 'pods'), allowed: false },
  { name: 'pods/* is not a wildcard', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, req: res('get', '', 'pods', 'log', 'web'), allowed: false },
  { name: '* matches subresources too', rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] }, req: res('get', '', 'pods', 'exec', 'web'), allowed: true },
  { name: 'non-resource exact', rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] }, req: url('get', '/healthz'), allowed: true },
  { name: 'non-resource mismatch', rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] }, req: url('get', '/healthz/ping'), allowed: false },
  { name: 'non-resource prefix star', rule: { verbs: ['get'], nonResourceURLs: ['/api/*'] }, req: url('get', '/api/v1'), allowed: true },
  { name: 'non-resource prefix star does not match the bare prefix without its slash', rule: { verbs: ['get'], nonResourceURLs: ['/api/*'] }, req: url('get', '/api'), allowed: false },
  { name: 'non-resource prefix star without slash matches longer paths', rule: { verbs: ['get'], nonResourceURLs: ['/healthz*'] }, req: url('get', '/healthz/etcd'), allowed: true },
  { name: 'non-resource star matches everything', rule: { verbs: ['get'], nonResourceURLs: ['*'] }, req: url('get', '/anything'), allowed: true },
  { name: 'non-resource verb mismatch', rule: { verbs: ['get'], nonResourceURLs: ['*'] }, req: url('post', '/anything'), allowed: false },
  { name: 'a resource rule never matches a non-resource request', rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, req: url('get', '/version'), allowed: false },
  { name: 'a non-resource rule never matches a resource request', rule: { verbs: ['*'], nonResourceURLs: ['*'] }, req: res('get', '', 'pods'), allowed: false },
];

for (const c of cases) {
  test(`TestRuleMatches: ${c.name}`, async () => {
    assert.equal(ruleAllows(c.req, c.rule), c.allowed, 'ruleAllows');
    const evaluator = await RoleEvaluator.compile([c.rule]);
    assert.equal(evaluator.firstAllowing(c.req) === 0, c.allowed, 'casbin model');
  });
}

test('the casbin evaluator reports the first rule that allows, across duplicate rules', async () => {
  const evaluator = await RoleEvaluator.compile([
    { verbs: ['get'], apiGroups: [''], resources: ['secrets'] },
    { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
  ]);
  assert.equal(evaluator.firstAllowing(res('list', '', 'pods')), 1);
  assert.equal(evaluator.firstAllowing(res('watch', '', 'pods')), -1);
});
