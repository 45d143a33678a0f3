// Source: k8s.io/apiserver v0.34.4 pkg/authentication/token/cache/cached_token_authenticator.go (and cache_simple.go).
// kube wraps the webhook as tokencache.New(auth, false, ttl, ttl): answers are kept per token and audiences for the
// TTL, authenticated or not; errors are never kept (cacheErrs false), so a failing webhook is asked again.
import { createHmac, randomBytes } from 'node:crypto';
import type { AuthnResult, TokenAuthenticator } from '../types.js';

export interface TokenCacheOptions {
  /** How long an authenticated answer is kept (ms); 0 keeps none. */
  successTtlMs: number;
  /** How long a "not authenticated" answer (null) is kept (ms); 0 keeps none. */
  failureTtlMs: number;
  /** At most this many entries: kube's cache only expires, ours also drops the oldest so it cannot grow without bound. */
  maxEntries?: number;
  now?: () => number;
}

export const DEFAULT_MAX_CACHE_ENTRIES = 4096;

/** kube's keyFunc: an HMAC-SHA-256 (random key per cache) over the length-prefixed token, the audience count and each audience. */
function cacheKey(hmacKey: Buffer, token: string, audiences: readonly string[] | undefined): string {
  const h = createHmac('sha256', hmacKey);
  const length = (n: number): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    h.update(b);
  };
  const str = (s: string): void => {
    const bytes = Buffer.from(s, 'utf8');
    length(bytes.length);
    h.update(bytes);
  };
  str(token);
  const auds = audiences ?? [];
  length(auds.length);
  for (const a of auds) str(a);
  return h.digest('base64');
}

/** tokencache.New(delegate, false, successTTL, failureTTL), with one lookup in flight per key (kube's singleflight group). */
export function cachedTokenAuthenticator(delegate: TokenAuthenticator, options: TokenCacheOptions): TokenAuthenticator {
  const hmacKey = randomBytes(32);
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
  const entries = new Map<string, { result: AuthnResult; expires: number }>();
  const inFlight = new Map<string, Promise<AuthnResult>>();
  const get = (key: string): AuthnResult | undefined => {
    const hit = entries.get(key);
    if (hit === undefined) return undefined;
    if (hit.expires <= now()) {
      entries.delete(key);
      return undefined;
    }
    return hit.result;
  };
  const set = (key: string, result: AuthnResult, ttl: number): void => {
    entries.delete(key);
    while (entries.size >= max) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
    entries.set(key, { result, expires: now() + ttl });
  };
  return {
    async authenticateToken(token, audiences) {
      const key = cacheKey(hmacKey, token, audiences);
      const cached = get(key);
      if (cached !== undefined) return cached;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const lookup = (async (): Promise<AuthnResult> => {
        try {
          const result = await delegate.authenticateToken(token, audiences);
          // An error (ok: false) is not cached; authenticated and "not mine" answers are.
          if (result?.ok === true && options.successTtlMs > 0) set(key, result, options.successTtlMs);
          else if (result === null && options.failureTtlMs > 0) set(key, result, options.failureTtlMs);
          return result;
        } finally {
          inFlight.delete(key);
        }
      })();
      inFlight.set(key, lookup);
      return lookup;
    },
  };
}
