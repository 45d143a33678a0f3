// Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go (WithAuthentication, Unauthorized).
import { unauthorized } from '../apimachinery/status.js';
import { addWarning } from '../api/warning.js';
import type { AuthnRequest, RequestAuthenticator } from '../authn/types.js';
import type { KubeContext, KubeMiddleware } from '../request/state.js';
import type { Logger } from '../util/log.js';
import { peerCertificates } from '../request/peer-certificates.js';

/** What the authentication filter needs: the chain, and the headers a 401 carries (WWW-Authenticate for basic auth). */
export interface AuthenticationOptions {
  authenticator: RequestAuthenticator;
  challengeHeaders: Record<string, string>;
  log: Logger;
}

/** The transport-neutral request an authenticator sees. */
export function authnRequestOf(ctx: KubeContext): AuthnRequest {
  return { headers: ctx.req.headers, peerCertificates: peerCertificates(ctx.req.socket), addWarning: (text) => addWarning(ctx.res, text) };
}

/** Authenticates before anything else reads the request: failure or no identity at all is kube's 401. */
export function authentication(opts: AuthenticationOptions): KubeMiddleware {
  return async (ctx, next) => {
    const result = await opts.authenticator.authenticate(authnRequestOf(ctx));
    if (result === null || !result.ok) {
      if (result !== null) {
        ctx.state.authenticationFailure = result.reason;
        opts.log.info({ path: ctx.path, reason: result.reason, auditId: ctx.state.auditId }, 'Unable to authenticate the request');
      }
      throw unauthorized(opts.challengeHeaders);
    }
    ctx.state.user = result.user;
    ctx.state.authenticator = result.authenticator;
    await next();
  };
}
