// The RBAC decision cache stays bounded whatever the requests hold (issue 6 item 4). kube-apiserver has no
// decision cache (plugin/pkg/auth/authorizer/rbac/rbac.go decides every request), so ours must never let a
// client grow memory: large unique paths, names and users are cached by digest, within entry and byte bounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RbacAuthorizer } from '../../../../src/authz/rbac/authorizer.js';
import { RbacIndex } from '../../../../src/authz/rbac/binding-index.js';
import { DecisionCache, MAX_CACHED_DECISION_BYTES, MAX_CACHED_DECISIONS } from '../../../../src/authz/rbac/decision-cache.js';
import type { Attributes } from '../../../../src/authz/types.js';
import { liveHeapBytes } from '../../../helpers/heap.js';

const KiB = 1024;
const big = (i: number, size: number): string => `${i.toString(36)}-${'x'.repeat(size)}`;
const anonymousGet = (path: string): Attributes => ({
  user: { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'], extra: {} },
  verb: 'get', isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '',
});
const reviewOf = (userName: string, name: string): Attributes => ({
  user: { name: userName, uid: '', groups: ['system:authenticated'], extra: {} },
  verb: 'get', isResourceRequest: true, path: '', namespace: 'default', apiGroup: '', apiVersion: 'v1', resource: 'secrets', subresource: '', name,
});

test('decision cache: 1,000 anonymous GETs of unique 256 KiB paths keep the cache under its byte bound and the heap flat', async () => {
  const authorizer = new RbacAuthorizer(new RbacIndex());
  const before = liveHeapBytes();
  for (let i = 0; i < 1000; i++) await authorizer.authorize(anonymousGet(`/${big(i, 256 * KiB)}`));
  assert.ok(authorizer.cache.bytes <= MAX_CACHED_DECISION_BYTES, `cache holds ${authorizer.cache.bytes} bytes`);
  assert.ok(authorizer.cache.size <= MAX_CACHED_DECISIONS);
  // Unbounded, the 1,000 keys alone are 250 MiB (the heap grew 528 MB before the fix); bounded, growth is the
  // cache's bound plus what the collector has not given back yet, far under a quarter of what was sent.
  const grown = liveHeapBytes() - before;
  assert.ok(grown < (1000 * 256 * KiB) / 4, `heap grew by ${grown} bytes`);
});

test('decision cache: SubjectAccessReviews naming 2 MiB users and objects keep the cache under its byte bound and the heap flat', async () => {
  const authorizer = new RbacAuthorizer(new RbacIndex());
  const before = liveHeapBytes();
  for (let i = 0; i < 200; i++) await authorizer.authorize(reviewOf(big(i, 1024 * KiB), big(i, 1024 * KiB)));
  assert.ok(authorizer.cache.bytes <= MAX_CACHED_DECISION_BYTES, `cache holds ${authorizer.cache.bytes} bytes`);
  // 400 MiB were sent (the heap grew 478 MB before the fix); see above.
  const grown = liveHeapBytes() - before;
  assert.ok(grown < (200 * 2048 * KiB) / 4, `heap grew by ${grown} bytes`);
});

test('decision cache: a repeated request is answered from the cache (one entry, not one per request)', async () => {
  const authorizer = new RbacAuthorizer(new RbacIndex());
  for (let i = 0; i < 10; i++) await authorizer.authorize(anonymousGet(`/${big(0, 64 * KiB)}`));
  assert.equal(authorizer.cache.size, 1);
});

const result = (reason: string) => ({ decision: 'noOpinion' as const, reason });
const bounds: { name: string; limits: { entries: number; bytes: number }; writes: [string, string][]; size: number }[] = [
  { name: 'the entry bound starts the cache over', limits: { entries: 2, bytes: 1 << 20 }, writes: [['a', ''], ['b', ''], ['c', '']], size: 1 },
  { name: 'the byte bound starts the cache over', limits: { entries: 100, bytes: 1000 }, writes: [['a', 'r'.repeat(300)], ['b', 'r'.repeat(300)]], size: 1 },
  { name: 'a result larger than the byte bound is not kept', limits: { entries: 100, bytes: 1000 }, writes: [['a', ''], ['b', 'r'.repeat(1000)]], size: 1 },
  { name: 'rewriting a key counts it once', limits: { entries: 100, bytes: 1000 }, writes: [['a', 'r'.repeat(300)], ['a', 'r'.repeat(300)]], size: 1 },
];
for (const c of bounds) {
  test(`decision cache: ${c.name}`, () => {
    const cache = new DecisionCache(c.limits);
    for (const [key, reason] of c.writes) cache.set(1, key, result(reason));
    assert.equal(cache.size, c.size);
    assert.ok(cache.bytes <= c.limits.bytes);
  });
}

test('decision cache: a new RBAC version forgets every decision', () => {
  const cache = new DecisionCache();
  cache.set(1, 'a', result(''));
  assert.deepEqual(cache.get(1, 'a'), result(''));
  assert.equal(cache.get(2, 'a'), undefined);
});
