// Source: staging/src/k8s.io/apiserver/pkg/authentication/token/union/union.go.
import type { TokenAuthenticator } from './types.js';
import { firstAuthenticated } from './union.js';

/**
 * kube's tokenunion.New: asks each token authenticator in turn; the first that authenticates wins, failures
 * are remembered and the next one is asked, and "nobody knew this token" stays null (the bearer-token adapter
 * turns that into "invalid bearer token").
 */
export function tokenUnion(authenticators: readonly TokenAuthenticator[]): TokenAuthenticator {
  return {
    authenticateToken: (token, audiences, observe) => firstAuthenticated(authenticators, (a) => a.authenticateToken(token, audiences), false, observe),
  };
}
