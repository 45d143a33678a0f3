// kube-apiserver's loopback client: a random bearer token, made at start and known only to the server itself, that
// authenticates as system:apiserver in system:masters. kube puts its bearer authenticator in front of all others
// (staging/src/k8s.io/apiserver/pkg/server/config.go: Complete calls AuthorizeClientBearerToken, which makes the
// authenticator union(loopback, authenticator)).
// No client ever holds the token; what a client sees is its refusal of every other bearer token, the
// "invalid bearer token" that leads kube's aggregated errors: a TokenReview of a revoked ServiceAccount token says
// "[invalid bearer token, serviceaccounts \"x\" not found]".
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { audienceAgnostic } from './audience-agnostic.js';
import { bearerTokenAuthenticator } from './bearer-token.js';
import type { AuthnResult, RequestAuthenticator, TokenAuthenticator } from './types.js';
import { ALL_AUTHENTICATED, SYSTEM_MASTERS } from './types.js';

/** user.APIServerUser. */
export const API_SERVER_USER = 'system:apiserver';

/** authenticatorfactory.NewFromTokens over the one loopback token: a bearer authenticator that knows nothing else. */
export function loopbackAuthenticator(apiAudiences: readonly string[], token: string = randomUUID()): RequestAuthenticator {
  const uid = randomUUID();
  const expected = Buffer.from(token);
  const tokens: TokenAuthenticator = {
    async authenticateToken(candidate): Promise<AuthnResult> {
      const given = Buffer.from(candidate);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      return { ok: true, authenticator: 'loopback', user: { name: API_SERVER_USER, uid, groups: [ALL_AUTHENTICATED, SYSTEM_MASTERS], extra: {} } };
    },
  };
  return bearerTokenAuthenticator(audienceAgnostic(tokens, apiAudiences));
}
