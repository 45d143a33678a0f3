// A PKI that never touches the disk, for tests and `--in-memory` servers.
import { createCa, issueServingCert } from './issue.js';
import { DEFAULT_KEY_BITS, takeKey } from './keys.js';
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

/** Builds a fresh PKI in memory: its own CA every time (servers must not trust each other's clients), but keys from the per-process pool. */
export async function createInMemoryPki(opts: InMemoryPkiOptions = {}): Promise<Pki> {
  const bits = opts.keyBits ?? DEFAULT_KEY_BITS;
  const [caKey, servingKey, serviceAccountKey] = await Promise.all([takeKey(bits), takeKey(bits), takeKey(bits)]);
  const ca = await createCa({ key: caKey, validityDays: opts.caValidityDays });
  const serving = await issueServingCert(ca, {
    sans: [...DEFAULT_SERVING_SANS, ...(opts.sans ?? [])],
    key: servingKey,
    validityDays: opts.certValidityDays,
  });
  return { ca, serving, serviceAccountKey, created: [], servingReissued: false };
}
