// Escalation checks, as pkg/registry/rbac/validation/policy_comparator_test.go (TestCoversExactMatch and the
// rest) and rule_test.go pin them, and the aggregation rules of the clusterrole-aggregation controller.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregatedRules, labelSelectorMatches, staleAggregations } from '../../../../src/authz/rbac/aggregation.js';
import { compactRules, compactString, covers, escalationError } from '../../../../src/authz/rbac/escalation.js';
import type { MatchableRule } from '../../../../src/authz/rbac/rules.js';

const r = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): MatchableRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });
const u = (verbs: string[], nonResourceURLs: string[]): MatchableRule => ({ verbs, nonResourceURLs });

const coverCases: { name: string; owner: MatchableRule[]; servant: MatchableRule[]; covered: boolean; missing?: string[] }[] = [
  { name: 'exact match', owner: [r(['get'], ['v1'], ['builds'])], servant: [r(['get'], ['v1'], ['builds'])], covered: true },
  { name: 'sub-verbs', owner: [r(['get', 'list'], [''], ['pods'])], servant: [r(['get'], [''], ['pods'])], covered: true },
  { name: 'multiple rules cover a wider rule together', owner: [r(['get'], [''], ['pods']), r(['list'], [''], ['pods'])], servant: [r(['get', 'list'], [''], ['pods'])], covered: true },
  { name: 'verb star covers all', owner: [r(['*'], [''], ['pods'])], servant: [r(['delete', 'get'], [''], ['pods'])], covered: true },
  { name: 'group star', owner: [r(['get'], ['*'], ['pods'])], servant: [r(['get'], ['apps'], ['pods'])], covered: true },
  { name: 'resource star', owner: [r(['get'], [''], ['*'])], servant: [r(['get'], [''], ['secrets', 'pods/log'])], covered: true },
  { name: '*/subresource covers that subresource of any resource', owner: [r(['get'], [''], ['*/status'])], servant: [r(['get'], [''], ['pods/status'])], covered: true },
  { name: 'resource does not cover its subresource', owner: [r(['get'], [''], ['pods'])], servant: [r(['get'], [''], ['pods/log'])], covered: false, missing: ['{APIGroups:[""], Resources:["pods/log"], Verbs:["get"]}'] },
  { name: 'named owner does not cover unnamed servant', owner: [r(['get'], [''], ['secrets'], ['db'])], servant: [r(['get'], [''], ['secrets'])], covered: false },
  { name: 'unnamed owner covers named servant', owner: [r(['get'], [''], ['secrets'])], servant: [r(['get'], [''], ['secrets'], ['db'])], covered: true },
  { name: 'missing verbs are listed compactly', owner: [r(['get'], [''], ['pods'])], servant: [r(['get', 'list', 'watch'], [''], ['pods'])], covered: false, missing: ['{APIGroups:[""], Resources:["pods"], Verbs:["list" "watch"]}'] },
  { name: 'non-resource exact', owner: [u(['get'], ['/healthz'])], servant: [u(['get'], ['/healthz'])], covered: true },
  { name: 'non-resource star prefix covers', owner: [u(['get'], ['/api/*'])], servant: [u(['get'], ['/api/v1'])], covered: true },
  { name: 'non-resource not covered', owner: [u(['get'], ['/healthz'])], servant: [u(['get'], ['/metrics'])], covered: false, missing: ['{NonResourceURLs:["/metrics"], Verbs:["get"]}'] },
];

for (const c of coverCases) {
  test(`Covers: ${c.name}`, () => {
    const result = covers(c.owner, c.servant);
    assert.equal(result.covered, c.covered);
    if (c.missing) assert.deepEqual([...new Set(compactRules(result.missing).map(compactString))].sort(), c.missing);
  });
}

test('ConfirmNoEscalation: kube\'s message names the user, its groups and every missing permission', () => {
  const msg = escalationError({ name: 'jane', uid: '', groups: ['dev', 'system:authenticated'], extra: {} }, [r(['get'], [''], ['pods'])], [], [r(['get', 'delete'], [''], ['pods', 'secrets'])]);
  assert.equal(
    msg,
    'user "jane" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
  );
  assert.equal(escalationError({ name: 'jane', uid: '', groups: [], extra: {} }, [r(['*'], ['*'], ['*'])], [], [r(['get'], [''], ['pods'])]), undefined);
});

const selectorCases: { name: string; selector: Parameters<typeof labelSelectorMatches>[0]; labels: Record<string, string>; matches: boolean }[] = [
  { name: 'matchLabels equal', selector: { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, matches: true },
  { name: 'matchLabels other value', selector: { matchLabels: { a: 'true' } }, labels: { a: 'false' }, matches: false },
  { name: 'In', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] }, labels: { a: 'y' }, matches: true },
  { name: 'NotIn with the label absent', selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, labels: {}, matches: true },
  { name: 'Exists', selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, labels: { a: '' }, matches: true },
  { name: 'DoesNotExist', selector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, labels: { a: '' }, matches: false },
  { name: 'empty selector matches everything', selector: {}, labels: { any: 'thing' }, matches: true },
];
for (const c of selectorCases) {
  test(`label selector: ${c.name}`, () => assert.equal(labelSelectorMatches(c.selector, c.labels), c.matches));
}

test('aggregation: rules of matching roles, in name order, without repeats, and not the role itself', () => {
  const view = { metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-view': 'true' } }] }, rules: [] };
  const b = { metadata: { name: 'b-extra', labels: { 'aggregate-to-view': 'true' } }, rules: [r(['get'], ['x.io'], ['widgets'])] };
  const a = { metadata: { name: 'a-extra', labels: { 'aggregate-to-view': 'true' } }, rules: [r(['list'], [''], ['pods']), r(['get'], ['x.io'], ['widgets'])] };
  const other = { metadata: { name: 'other' }, rules: [r(['*'], ['*'], ['*'])] };
  assert.deepEqual(aggregatedRules(view, [view, b, a, other]), [r(['list'], [''], ['pods']), r(['get'], ['x.io'], ['widgets'])]);
  assert.deepEqual(staleAggregations([view, b, a, other]).map((s) => s.name), ['view']);
  assert.deepEqual(staleAggregations([{ ...view, rules: aggregatedRules(view, [view, b, a]) }, b, a]), []);
});
