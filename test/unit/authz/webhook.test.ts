// kube's webhook authorizer (staging/src/k8s.io/apiserver/plugin/pkg/authorizer/webhook/webhook.go) over a fake
// sender: the review it sends, how it reads the answer, what it caches and for how long, and its errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authorizerUnion } from '../../../src/authz/union.js';
import { subjectAccessReviewSpec, webhookAuthorizer } from '../../../src/authz/webhook.js';
import type { Attributes } from '../../../src/authz/types.js';

const user = { name: 'jane', uid: 'u1', groups: ['dev', 'system:authenticated'], extra: { 'z-key': ['1'], 'a-key': ['2'] } };
const getPods: Attributes = { user, verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/dev/pods/p', namespace: 'dev', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: 'p' };
const healthz: Attributes = { user, verb: 'get', isResourceRequest: false, path: '/healthz', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };

function fake(status: Record<string, unknown> | Error) {
  const sent: Record<string, unknown>[] = [];
  return {
    sent,
    sender: {
      async send(review: Record<string, unknown>) {
        sent.push(review);
        if (status instanceof Error) throw status;
        return { apiVersion: review.apiVersion, kind: 'SubjectAccessReview', status };
      },
    },
  };
}

describe('the review sent', () => {
  test('a resource request: its attributes in Go\'s order, the user, its groups, extra sorted, uid', () => {
    const f = fake({ allowed: true });
    return webhookAuthorizer({ sender: f.sender, version: 'v1' })
      .authorize(getPods)
      .then(() => {
        assert.equal(JSON.stringify(f.sent[0]), JSON.stringify({
          kind: 'SubjectAccessReview',
          apiVersion: 'authorization.k8s.io/v1',
          metadata: { creationTimestamp: null },
          spec: { resourceAttributes: { namespace: 'dev', verb: 'get', version: 'v1', resource: 'pods', name: 'p' }, user: 'jane', groups: ['dev', 'system:authenticated'], extra: { 'a-key': ['2'], 'z-key': ['1'] }, uid: 'u1' },
          status: { allowed: false },
        }));
      });
  });

  test('a non-resource request, and v1beta1\'s `group`', () => {
    assert.deepEqual(subjectAccessReviewSpec(healthz, 'v1beta1'), { nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'jane', group: ['dev', 'system:authenticated'], extra: { 'a-key': ['2'], 'z-key': ['1'] }, uid: 'u1' });
  });
});

const ANSWERS: { name: string; status: Record<string, unknown> | Error; want: unknown }[] = [
  { name: 'allowed', status: { allowed: true, reason: 'ok' }, want: { decision: 'allow', reason: 'ok' } },
  { name: 'denied', status: { allowed: false, denied: true, reason: 'no' }, want: { decision: 'deny', reason: 'no' } },
  { name: 'neither: no opinion, with its reason', status: { allowed: false, reason: 'dunno' }, want: { decision: 'noOpinion', reason: 'dunno' } },
  { name: 'both: deny, with kube\'s error', status: { allowed: true, denied: true }, want: { decision: 'deny', reason: '', error: 'webhook subject access review returned both allow and deny response' } },
  { name: 'a service that cannot be asked: no opinion with the error', status: new Error('Post "https://x/authorize": dial tcp: connection refused'), want: { decision: 'noOpinion', reason: '', error: 'Post "https://x/authorize": dial tcp: connection refused' } },
];
describe('the answer read', () => {
  for (const c of ANSWERS) {
    test(c.name, async () => {
      assert.deepEqual(await webhookAuthorizer({ sender: fake(c.status).sender, version: 'v1' }).authorize(getPods), c.want);
    });
  }
});

describe('the cache', () => {
  test('an allow is kept for the authorized TTL, another answer for the unauthorized TTL, errors never', async () => {
    let clock = 0;
    const allow = fake({ allowed: true });
    const a = webhookAuthorizer({ sender: allow.sender, version: 'v1', authorizedTtlMs: 1000, unauthorizedTtlMs: 10, now: () => clock });
    await a.authorize(getPods);
    clock = 999;
    await a.authorize(getPods);
    assert.equal(allow.sent.length, 1);
    clock = 1001;
    await a.authorize(getPods);
    assert.equal(allow.sent.length, 2);

    const deny = fake({ allowed: false });
    const d = webhookAuthorizer({ sender: deny.sender, version: 'v1', authorizedTtlMs: 1000, unauthorizedTtlMs: 10, now: () => clock });
    await d.authorize(getPods);
    clock += 11;
    await d.authorize(getPods);
    assert.equal(deny.sent.length, 2);

    const broken = fake(new Error('down'));
    const b = webhookAuthorizer({ sender: broken.sender, version: 'v1', now: () => clock });
    await b.authorize(getPods);
    await b.authorize(getPods);
    assert.equal(broken.sent.length, 2);
  });

  test('another user is another review', async () => {
    const f = fake({ allowed: true });
    const a = webhookAuthorizer({ sender: f.sender, version: 'v1' });
    await a.authorize(getPods);
    await a.authorize({ ...getPods, user: { ...user, name: 'bob' } });
    assert.equal(f.sent.length, 2);
  });
});

test('RulesFor: incomplete, with kube\'s error', () => {
  assert.deepEqual(webhookAuthorizer({ sender: fake({}).sender, version: 'v1' }).rulesReviewFor(user, 'dev'), {
    resourceRules: [],
    nonResourceRules: [],
    incomplete: true,
    errors: ['webhook authorizer does not support user rule resolution'],
  });
});

test('union: an error is kept through no opinions and aggregated; an allow after it wins with no error', async () => {
  const broken = webhookAuthorizer({ sender: fake(new Error('down')).sender, version: 'v1' });
  const nothing = { authorize: async () => ({ decision: 'noOpinion' as const, reason: '' }) };
  const yes = { authorize: async () => ({ decision: 'allow' as const, reason: 'fine' }) };
  assert.deepEqual(await authorizerUnion([broken, nothing]).authorize(getPods), { decision: 'noOpinion', reason: '', error: 'down' });
  assert.deepEqual(await authorizerUnion([broken, yes]).authorize(getPods), { decision: 'allow', reason: 'fine' });
});

describe('selectors sent (KEP-4601, fieldSelectorToAuthorizationAPI / labelSelectorToAuthorizationAPI)', () => {
  const list: Attributes = { ...getPods, verb: 'list', name: '' };
  const CASES: { name: string; attrs: Partial<Attributes>; want: unknown }[] = [
    {
      name: 'field = and != become In and NotIn; labels In, NotIn, Exists, DoesNotExist; Gt dropped',
      attrs: {
        fieldSelector: { requirements: [{ field: 'spec.nodeName', operator: '=', value: 'n1' }, { field: 'status.phase', operator: '!=', value: 'Failed' }] },
        labelSelector: {
          requirements: [
            { key: 'app', operator: 'in', values: ['a', 'b'] },
            { key: 'canary', operator: '!', values: [] },
            { key: 'env', operator: '==', values: ['prod'] },
            { key: 'tier', operator: 'gt', values: ['2'] },
            { key: 'x', operator: 'exists', values: [] },
          ],
        },
      },
      want: {
        namespace: 'dev',
        verb: 'list',
        version: 'v1',
        resource: 'pods',
        fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }, { key: 'status.phase', operator: 'NotIn', values: ['Failed'] }] },
        labelSelector: {
          requirements: [
            { key: 'app', operator: 'In', values: ['a', 'b'] },
            { key: 'canary', operator: 'DoesNotExist' },
            { key: 'env', operator: 'In', values: ['prod'] },
            { key: 'x', operator: 'Exists' },
          ],
        },
      },
    },
    { name: 'a selector that did not parse is not sent', attrs: { fieldSelector: { error: 'bad' }, labelSelector: { error: 'bad' } }, want: { namespace: 'dev', verb: 'list', version: 'v1', resource: 'pods' } },
    { name: 'only Gt: nothing left, nothing sent', attrs: { labelSelector: { requirements: [{ key: 'tier', operator: 'gt', values: ['2'] }] } }, want: { namespace: 'dev', verb: 'list', version: 'v1', resource: 'pods' } },
  ];
  for (const c of CASES) {
    test(c.name, () => {
      assert.deepEqual(subjectAccessReviewSpec({ ...list, ...c.attrs }).resourceAttributes, c.want);
    });
  }
});
