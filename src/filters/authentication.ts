// Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go (WithAuthentication, Unauthorized).
import { unauthorized } from '../apimachinery/status.js';
import { addWarning } from '../api/warning.js';
import type { AuthnRequest, RequestAuthenticator } from '../authn/types.js';
import type { KubeContext, KubeMiddleware } from '../request/state.js';
import type { Logger } from '../util/log.js';
import { peerCertificates } from '../request/peer-certificates.js';
import { isAuthenticationHeader, STANDARD_REQUEST_HEADERS, type RequestHeaderNames } from '../authn/request-header.js';
import type { IncomingMessage } from 'node:http';

/** What the authentication filter needs: the chain, and the headers a 401 carries (WWW-Authenticate for basic auth). */
export interface AuthenticationOptions {
  authenticator: RequestAuthenticator;
  challengeHeaders: Record<string, string>;
  log: Logger;
  /** The --requestheader-* header names, cleared after authentication besides the standard X-Remote-* ones. */
  requestHeaders?: RequestHeaderNames;
}

/** The transport-neutral request an authenticator sees. */
export function authnRequestOf(ctx: KubeContext): AuthnRequest {
  // observe is unset unless the live view is on (a property read, no allocation, on every other request).
  return { headers: ctx.req.headers, headersDistinct: ctx.req.headersDistinct, peerCertificates: peerCertificates(ctx.req.socket), addWarning: (text) => addWarning(ctx.res, text), observe: ctx.state.authnObserver };
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
    // kube deletes the standard front-proxy headers, and the configured ones, from every authenticated request, so
    // nothing after authentication (a proxied request, a handler) sees an identity a client put in a header.
    clearAuthenticationHeaders(ctx.req, opts.requestHeaders);
    await next();
  };
}

/** headerrequest.ClearAuthenticationHeaders with the standard names and the configured ones, from every view node:http keeps. */
function clearAuthenticationHeaders(req: IncomingMessage, configured: RequestHeaderNames | undefined): void {
  const clear = (name: string): boolean => isAuthenticationHeader(name, STANDARD_REQUEST_HEADERS) || (configured !== undefined && isAuthenticationHeader(name, configured));
  const headers = req.headers;
  for (const name of Object.keys(headers)) if (clear(name)) delete headers[name];
  const distinct = req.headersDistinct;
  for (const name of Object.keys(distinct)) if (clear(name)) delete distinct[name];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (clear(raw[i]!.toLowerCase())) raw.splice(i, 2);
}
