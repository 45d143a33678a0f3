// A PKI that never touches the disk, for tests and in-process servers.
import { randomBytes } from 'node:crypto';
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
 * The keys that in-memory PKIs of one process share, by key size: CA, serving and ServiceAccount. What
 * keeps two servers apart is the CA certificate, not its key: each in-memory CA gets a name of its own,
 * and certificate chains are built by name (Go's CertPool, OpenSSL's X509_check_issued and our x509
 * authenticator all require the issuer name to match), so no server trusts another's client certificates
 * and no client trusts another's serving certificate. Sharing them makes every start after the first in
 * a process cost signing only, and a test process generates three RSA keys, not three per server.
 */
const sharedKeys = new Map<number, Promise<[KeyPair, KeyPair, KeyPair]>>();

/** Builds a fresh PKI in memory: a CA of its own name every time, with the process's shared keys. */
export async function createInMemoryPki(opts: InMemoryPkiOptions = {}): Promise<Pki> {
  const bits = opts.keyBits ?? DEFAULT_KEY_BITS;
  let shared = sharedKeys.get(bits);
  if (shared === undefined) {
    shared = Promise.all([takeKey(bits), takeKey(bits), takeKey(bits)]);
    sharedKeys.set(bits, shared);
    shared.catch(() => sharedKeys.delete(bits));
  }
  const [caKey, servingKey, serviceAccountKey] = await shared;
  const ca = await createCa({ key: caKey, commonName: `kube-auth-mock-ca-${randomBytes(6).toString('hex')}`, validityDays: opts.caValidityDays });
  const serving = await issueServingCert(ca, {
    sans: [...DEFAULT_SERVING_SANS, ...(opts.sans ?? [])],
    key: servingKey,
    validityDays: opts.certValidityDays,
  });
  return { ca, serving, serviceAccountKey, created: [], servingReissued: false };
}
