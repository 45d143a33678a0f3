import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Looks secrets up in constant time: entries are keyed by a SHA-256 digest of the secret, so the map
 * lookup reveals nothing about how close a guess was, and the final check compares digests with
 * timingSafeEqual. The last entry for a secret wins, as in kube's token map.
 */
export class SecretIndex<T> {
  private readonly entries = new Map<string, { digest: Buffer; value: T }>();

  /** Adds an entry; returns false when the secret was already present (and is now replaced). */
  set(secret: string, value: T): boolean {
    const digest = sha256(secret);
    const key = digest.toString('base64');
    const existed = this.entries.has(key);
    this.entries.set(key, { digest, value });
    return !existed;
  }

  /** The entry for a secret, or undefined. */
  get(secret: string): T | undefined {
    const digest = sha256(secret);
    const entry = this.entries.get(digest.toString('base64'));
    return entry && timingSafeEqual(entry.digest, digest) ? entry.value : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}

function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
