// The RBAC decision cache. kube-apiserver has none; ours exists for speed (bench/), so it must never let a
// client decide how much memory it holds: request attributes are the client's to choose (a 256 KiB path, a
// SubjectAccessReview naming a 2 MiB user), so entries are keyed by a fixed-size digest of them, and the
// cache is bounded by entries and by bytes.
import { createHash } from 'node:crypto';
import type { Attributes, AuthorizationResult } from '../types.js';

/** At most this many decisions are remembered. */
export const MAX_CACHED_DECISIONS = 10_000;

/** At most this many bytes of keys and reasons (counted as UTF-16, two bytes a character) are remembered. */
export const MAX_CACHED_DECISION_BYTES = 8 * 1024 * 1024;

/** What one entry costs beyond its strings: the Map slot, the result object and its fields, roughly. */
const ENTRY_OVERHEAD_BYTES = 96;

/**
 * The digest that stands for a request's attributes: SHA-256 over an unambiguous JSON rendering of every
 * attribute the decision depends on. Its size is fixed, whatever the attributes hold; a collision, which
 * would hand one request another's decision, is as unlikely as one in SHA-256.
 */
export function decisionKey(attrs: Attributes): string {
  const text = JSON.stringify([attrs.user.name, attrs.user.groups, attrs.verb, attrs.isResourceRequest, attrs.apiGroup, attrs.resource, attrs.subresource, attrs.namespace, attrs.name, attrs.path]);
  return createHash('sha256').update(text).digest('base64');
}

/** Decisions for one RBAC version; emptied when the version changes or a bound would be passed. */
export class DecisionCache {
  private entries = new Map<string, AuthorizationResult>();
  private version = -1;
  private accounted = 0;

  constructor(private readonly limits: { entries: number; bytes: number } = { entries: MAX_CACHED_DECISIONS, bytes: MAX_CACHED_DECISION_BYTES }) {}

  /** The decision remembered for this key at this RBAC version, if any. */
  get(version: number, key: string): AuthorizationResult | undefined {
    if (version !== this.version) return undefined;
    return this.entries.get(key);
  }

  /** Remembers a decision; a result too large to remember on its own is not kept. */
  set(version: number, key: string, result: AuthorizationResult): void {
    const cost = entryBytes(key, result);
    if (cost > this.limits.bytes) return;
    if (version !== this.version || this.entries.size >= this.limits.entries || this.accounted + cost > this.limits.bytes) {
      // Starting over is cheaper than tracking recency, and a full cache of unique requests is worth nothing.
      this.entries = new Map();
      this.accounted = 0;
      this.version = version;
    }
    const previous = this.entries.get(key);
    if (previous !== undefined) this.accounted -= entryBytes(key, previous);
    this.entries.set(key, result);
    this.accounted += cost;
  }

  /** How many decisions are remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** The bytes the remembered decisions are counted as: never above the byte bound. */
  get bytes(): number {
    return this.accounted;
  }
}

function entryBytes(key: string, result: AuthorizationResult): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (key.length + result.decision.length + result.reason.length);
}
