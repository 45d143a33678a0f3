// kube's token cache as the webhook uses it: tokencache.New(auth, false, ttl, ttl) (k8s.io/apiserver v0.34.4
// pkg/authentication/token/cache/cached_token_authenticator.go and cached_token_authenticator_test.go).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedTokenAuthenticator } from '../../../../src/authn/webhook/cache.js';
import type { AuthnResult, TokenAuthenticator } from '../../../../src/authn/types.js';

function counting(answer: (token: string) => AuthnResult): TokenAuthenticator & { calls: number } {
  const a = {
    calls: 0,
    async authenticateToken(token: string): Promise<AuthnResult> {
      a.calls++;
      return answer(token);
    },
  };
  return a;
}
const user = (name: string): AuthnResult => ({ ok: true, user: { name, uid: '', groups: [], extra: {} }, authenticator: 'webhook' });

test('answers are cached per token and audiences until the TTL; errors are not cached', async () => {
  let now = 0;
  const inner = counting((t) => (t === 'good' ? user('u') : t === 'err' ? { ok: false, reason: 'boom' } : null));
  const cached = cachedTokenAuthenticator(inner, { successTtlMs: 1000, failureTtlMs: 1000, now: () => now });
  const cases: [string, string[] | undefined, number][] = [
    ['good', undefined, 1],
    ['good', undefined, 1], // cached
    ['good', ['a'], 2], // other audiences, other key
    ['good', ['a'], 2],
    ['good', [], 2], // no audiences and empty audiences hash alike (kube writes the count)
    ['unknown', undefined, 3],
    ['unknown', undefined, 3], // "not authenticated" is cached too (failureTTL)
    ['err', undefined, 4],
    ['err', undefined, 5], // an error is asked again
  ];
  for (const [token, auds, calls] of cases) {
    await cached.authenticateToken(token, auds);
    assert.equal(inner.calls, calls, `${token} ${JSON.stringify(auds)}`);
  }
  now = 1000;
  await cached.authenticateToken('good');
  assert.equal(inner.calls, 6, 'expired at the TTL');
});

test('a TTL of 0 caches nothing', async () => {
  const inner = counting(() => user('u'));
  const cached = cachedTokenAuthenticator(inner, { successTtlMs: 0, failureTtlMs: 0 });
  await cached.authenticateToken('t');
  await cached.authenticateToken('t');
  assert.equal(inner.calls, 2);
});

test('the cache is capped: the oldest entry goes first', async () => {
  const inner = counting((t) => user(t));
  const cached = cachedTokenAuthenticator(inner, { successTtlMs: 60_000, failureTtlMs: 60_000, maxEntries: 2 });
  for (const t of ['a', 'b', 'c']) await cached.authenticateToken(t);
  assert.equal(inner.calls, 3);
  await cached.authenticateToken('c');
  await cached.authenticateToken('b');
  assert.equal(inner.calls, 3);
  await cached.authenticateToken('a');
  assert.equal(inner.calls, 4, 'a was dropped');
});

test('concurrent lookups of one token share one call (kube\'s singleflight)', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const cached = cachedTokenAuthenticator({ authenticateToken: async () => { calls++; await gate; return user('u'); } }, { successTtlMs: 1000, failureTtlMs: 1000 });
  const both = Promise.all([cached.authenticateToken('t'), cached.authenticateToken('t')]);
  release();
  const [a, b] = await both;
  assert.equal(calls, 1);
  assert.deepEqual(a, b);
});
