// Source: staging/src/k8s.io/apiserver/pkg/authentication/authenticator/audagnostic.go (WrapAudienceAgnosticToken,
// WrapAudienceAgnosticRequest).
import { goQuote } from '../apimachinery/validation.js';
import type { AuthnRequest, AuthnResult, RequestAuthenticator, TokenAuthenticator } from './types.js';

/**
 * kube's WrapAudienceAgnosticToken: a token that names no audience (a static token) is taken as meant for the
 * API audiences (`implicit`). When the request asks for audiences and none of them is implicit, the token is not
 * this authenticator's (null: the bearer path then says "invalid bearer token"); when it authenticates, its
 * audiences are the ones in common. A request that asks for none is passed through unchanged.
 */
export function audienceAgnostic(delegate: TokenAuthenticator, implicit: readonly string[]): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences): Promise<AuthnResult> {
      if (audiences === undefined) return delegate.authenticateToken(token);
      // implicitAuds.Intersect(targetAuds) walks the target audiences: their order, duplicates kept.
      const common = audiences.filter((a) => implicit.includes(a));
      if (common.length === 0) return null;
      const result = await delegate.authenticateToken(token);
      if (result === null || !result.ok) return result;
      // An authenticator that names audiences was not audience-agnostic after all (kube's own error).
      if (result.audiences !== undefined && result.audiences.length > 0) {
        return { ok: false, reason: `audience agnostic authenticator wrapped an authenticator that returned audiences: [${result.audiences.map(goQuote).join(' ')}]` };
      }
      return { ...result, audiences: common };
    },
  };
}


/** kube's WrapAudienceAgnosticRequest: the same rule for a request authenticator (the front proxy's headers name no audience). */
export function audienceAgnosticRequest(delegate: RequestAuthenticator, implicit: readonly string[]): RequestAuthenticator {
  const asToken = (req: AuthnRequest): TokenAuthenticator => ({ authenticateToken: () => delegate.authenticate(req) });
  return { authenticate: (req) => audienceAgnostic(asToken(req), implicit).authenticateToken('', req.audiences) };
}
