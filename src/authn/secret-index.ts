import { hash } from 'node:crypto';

/**
 * Looks secrets up in constant time: entries are keyed by a SHA-256 digest of the secret, so how long a
 * lookup takes depends on the digest, which says nothing about how close a guessed secret was (kube's
 * token file keys its map by the token itself). The last entry for a secret wins, as in kube's token map.
 */
export class SecretIndex<T> {
  private readonly entries = new Map<string, T>();

  /** Adds an entry; returns false when the secret was already present (and is now replaced). */
  set(secret: string, value: T): boolean {
    const key = digest(secret);
    const existed = this.entries.has(key);
    this.entries.set(key, value);
    return !existed;
  }

  /** The entry for a secret, or undefined. */
  get(secret: string): T | undefined {
    return this.entries.get(digest(secret));
  }

  /** Removes every entry whose value matches; returns how many went (a user minted again loses its old secrets). */
  deleteWhere(match: (value: T) => boolean): number {
    let n = 0;
    for (const [key, value] of this.entries) {
      if (match(value)) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.entries.size;
  }
}

function digest(secret: string): string {
  return hash('sha256', secret, 'base64');
}
