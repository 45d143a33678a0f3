// Minting an identity: credentials a server will accept at once, and the kubeconfig that carries them.
import { randomBytes } from 'node:crypto';
import type { KubeconfigCredentials } from './kubeconfig.js';

/** The identity to mint: a user, its groups and uid, and how it authenticates. */
export interface IdentityRequest {
  user: string;
  groups?: readonly string[];
  /** The user's uid, for every kind: a token or password table's uid column, or a certificate's UID attribute. Empty is none. */
  uid?: string;
  auth: 'cert' | 'token' | 'basic';
}

/** Where minted credentials are recorded: a CA that signs, and token and password tables (files or memory). */
export interface IdentityStore {
  /** A certificate for CN user.name, one O per group and, when user.uid is not empty, the UID attribute kube 1.33+ reads. */
  issueClientCertificate(user: { name: string; uid: string; groups: readonly string[] }): Promise<{ certPem: string; keyPem: string }>;
  addToken(token: string, user: { name: string; uid: string; groups: readonly string[] }): Promise<void>;
  addPassword(password: string, user: { name: string; uid: string; groups: readonly string[] }): Promise<void>;
}

/** A minted user as client certificate options: an empty uid writes no UID attribute, as it is no uid in the tables. */
export function clientCertOptions(user: { name: string; uid: string; groups: readonly string[] }): { user: string; groups: readonly string[]; uid?: string } {
  return { user: user.name, groups: user.groups, ...(user.uid === '' ? {} : { uid: user.uid }) };
}

/** A random secret fit for a CSV field and a header: URL-safe base64, no commas, quotes or spaces. */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** Records a new credential for the identity in the store and returns it. */
export async function mintCredentials(store: IdentityStore, identity: IdentityRequest): Promise<KubeconfigCredentials> {
  const groups = identity.groups ?? [];
  const user = { name: identity.user, uid: identity.uid ?? '', groups };
  switch (identity.auth) {
    case 'cert': {
      const { certPem, keyPem } = await store.issueClientCertificate(user);
      return { kind: 'cert', certPem, keyPem };
    }
    case 'token': {
      const token = randomSecret();
      await store.addToken(token, user);
      return { kind: 'token', token };
    }
    case 'basic': {
      const password = randomSecret(18);
      await store.addPassword(password, user);
      return { kind: 'basic', username: identity.user, password };
    }
  }
}
