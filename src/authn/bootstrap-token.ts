// Source: plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go (k8s.io/kubernetes v1.34.4), over the
// cluster-bootstrap helpers in ./cluster-bootstrap.ts.
//
// Every way a bootstrap token can fail is "not mine" (kube's `return nil, false, nil`): the token union then asks
// the next authenticator, and the bearer path answers "invalid bearer token" with a 401. kube returns an error
// only when its Secret lister fails for another reason than NotFound, which a lookup in our store cannot.
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../apimachinery/object.js';
import {
  BOOTSTRAP_TOKEN_ID_KEY,
  BOOTSTRAP_TOKEN_SECRET_KEY,
  BOOTSTRAP_TOKEN_USAGE_AUTHENTICATION,
  BOOTSTRAP_USER_PREFIX,
  bootstrapTokenSecretName,
  getData,
  getGroups,
  hasExpired,
  parseToken,
  SECRET_TYPE_BOOTSTRAP_TOKEN,
} from './cluster-bootstrap.js';
import type { AuthnResult, TokenAuthenticator } from './types.js';

/** The namespace kube's lister is for (NamespaceSystem). */
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';

/** Reads a Secret as the server currently stores it; authn does not know the store, the server hands this in. */
export interface SecretGetter {
  getSecret(namespace: string, name: string): KubeObject | undefined;
}

/** Options of the bootstrap token authenticator. */
export interface BootstrapTokenOptions {
  secrets: SecretGetter;
  /** The clock expirations are checked against (kube: time.Now()); tests pass their own. */
  now?: () => number;
}

/** subtle.ConstantTimeCompare(a, b) == 1: unequal lengths are unequal at once, equal lengths compared in constant time. */
function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** kube's bootstrap.TokenAuthenticator: "<id>.<secret>" against the Secret bootstrap-token-<id> in kube-system. */
export function bootstrapTokenAuthenticator(options: BootstrapTokenOptions): TokenAuthenticator {
  const now = options.now ?? Date.now;
  return {
    async authenticateToken(token: string): Promise<AuthnResult> {
      // "Token isn't of the correct form, ignore it."
      const parsed = parseToken(token);
      if (parsed === undefined) return null;
      // "No secret of name %s to match bootstrap bearer token"
      const secret = options.secrets.getSecret(BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName(parsed.id));
      if (secret === undefined) return null;
      // "Bootstrap secret %s/%s matching bearer token is deleted and awaiting removal"
      if (typeof secret.metadata.deletionTimestamp === 'string' && secret.metadata.deletionTimestamp !== '') return null;
      // "... has invalid type, expected bootstrap.kubernetes.io/token." (Go: a Secret without data is rejected too)
      if (secret.type !== SECRET_TYPE_BOOTSTRAP_TOKEN || typeof secret.data !== 'object' || secret.data === null) return null;
      // "... has invalid value for key token-secret."
      if (!constantTimeEqual(getData(secret, BOOTSTRAP_TOKEN_SECRET_KEY), parsed.secret)) return null;
      // "... has invalid value for key token-id."
      const id = getData(secret, BOOTSTRAP_TOKEN_ID_KEY);
      if (id !== parsed.id) return null;
      // Expired, or an expiration that does not parse (logged by GetExpiration).
      if (hasExpired(secret, now())) return null;
      // "... not marked usage-bootstrap-authentication=true."
      if (getData(secret, BOOTSTRAP_TOKEN_USAGE_AUTHENTICATION) !== 'true') return null;
      // "... has invalid value for key auth-extra-groups: %v."
      const groups = getGroups(secret);
      if ('error' in groups) return null;
      // user.DefaultInfo{Name, Groups}: no UID, no extra.
      return { ok: true, authenticator: 'bootstrap-token', user: { name: `${BOOTSTRAP_USER_PREFIX}${id}`, uid: '', groups: groups.groups, extra: {} } };
    },
  };
}
