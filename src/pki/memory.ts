// A PKI that never touches the disk, for tests and `--in-memory` servers.
import { createCa, issueServingCert } from './issue.js';
import { DEFAULT_KEY_BITS, takeKey, type KeyPair } from './keys.js';
import { DEFAULT_SERVING_SANS } from './profiles.js';
import type { Pki } from './store.js';

/** Options for createInMemoryPki. */
export interface InMemoryPkiOptions {
  /** Extra SANs for the serving certificate, on top of DEFAULT_SERVING_SANS. */
  sans?: readonly string[];
  keyBits?: number;
  caValidityDays?: number;
  certValidityDays?: number;
}

/**
 * The serving and ServiceAccount keys that in-memory PKIs of one process share, by key size. Sharing them
 * is safe: clients trust a server through its own CA certificate, which signs the serving certificate, and
 * ServiceAccount tokens name their server as issuer. The CA key is never shared, so no server trusts
 * another's client certificates. One fresh key per server instead of three keeps later starts cheap.
 */
const sharedKeys = new Map<number, Promise<[KeyPair, KeyPair]>>();

/** Builds a fresh PKI in memory: its own CA every time (servers must not trust each other's clients), with keys from the per-process pool. */
export async function createInMemoryPki(opts: InMemoryPkiOptions = {}): Promise<Pki> {
  const bits = opts.keyBits ?? DEFAULT_KEY_BITS;
  let shared = sharedKeys.get(bits);
  if (shared === undefined) {
    shared = Promise.all([takeKey(bits), takeKey(bits)]);
    sharedKeys.set(bits, shared);
    shared.catch(() => sharedKeys.delete(bits));
  }
  const [caKey, [servingKey, serviceAccountKey]] = await Promise.all([takeKey(bits), shared]);
  const ca = await createCa({ key: caKey, validityDays: opts.caValidityDays });
  const serving = await issueServingCert(ca, {
    sans: [...DEFAULT_SERVING_SANS, ...(opts.sans ?? [])],
    key: servingKey,
    validityDays: opts.certValidityDays,
  });
  return { ca, serving, serviceAccountKey, created: [], servingReissued: false };
}
