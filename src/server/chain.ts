// THE one place the order of the request pipeline is written. Each line names the kube-apiserver filter it
// mirrors (staging/src/k8s.io/apiserver/pkg/server/config.go, DefaultBuildHandlerChain, read bottom-up).
import type { RequestListener } from 'node:http';
import Koa from 'koa';
import compose from 'koa-compose';
import type { Authorizer } from '../authz/types.js';
import type { RequestAuthenticator } from '../authn/types.js';
import type { RequestHeaderNames } from '../authn/request-header.js';
import { audit, failedAuthenticationAudit, type AuditConfig } from '../filters/audit.js';
import { auditId } from '../filters/audit-id.js';
import { authentication } from '../filters/authentication.js';
import { authorization } from '../filters/authorization.js';
import { impersonation } from '../filters/impersonation.js';
import { requestInfo } from '../filters/request-info.js';
import { requestLog } from '../filters/request-log.js';
import { statusErrors } from '../filters/status-errors.js';
import { resolveRequestInfo } from '../request/request-info.js';
import type { KubeMiddleware, KubeState } from '../request/state.js';
import type { Logger } from '../util/log.js';

/** What the chain is built from. */
export interface ChainConfig {
  log: Logger;
  authenticator: RequestAuthenticator;
  /** Headers every 401 carries (WWW-Authenticate while basic auth is on). */
  challengeHeaders: Record<string, string>;
  /** The --requestheader-* header names, cleared from authenticated requests with the standard X-Remote-* ones. */
  requestHeaders?: RequestHeaderNames;
  authorizer: Authorizer;
  /** --audit-policy-file and --audit-log-path; unset, nothing is audited. */
  audit?: AuditConfig;
  /** The handler at the end: routing and the APIs. Bodies are read there, after authorization, as in kube. */
  handler: KubeMiddleware;
  /** The live view's filter (--ui); absent, the chain has no trace of it. */
  liveView?: KubeMiddleware;
}

/** The request pipeline, outermost first. */
export function buildHandlerChain(c: ChainConfig): compose.ComposedMiddleware<import('koa').ParameterizedContext<KubeState>> {
  return compose<import('koa').ParameterizedContext<KubeState>>([
    auditId(), //                                    WithAuditInit: Audit-Id on every response
    requestLog(c.log), //                            WithHTTPLogging: outside status-errors, so it logs the status sent
    statusErrors(c.log), //                          StatusError -> metav1.Status; anything else -> 500 Status (WithPanicRecovery)
    ...(c.liveView ? [c.liveView] : []), //          --ui: inside status-errors, so it sees each StatusError thrown below (kube has none)
    requestInfo(resolveRequestInfo), //              WithRequestInfo
    ...(c.audit ? [failedAuthenticationAudit(c.audit)] : []), // WithFailedAuthenticationAudit: a 401's one event
    authentication({ authenticator: c.authenticator, challengeHeaders: c.challengeHeaders, log: c.log, ...(c.requestHeaders ? { requestHeaders: c.requestHeaders } : {}) }), // WithAuthentication
    ...(c.audit ? [audit(c.audit)] : []), //          WithAudit: RequestReceived .. ResponseComplete, for the authenticated user
    impersonation(c.authorizer), //                  WithImpersonation: Impersonate-* headers, each checked with the authorizer
    authorization(c.authorizer), //                  WithAuthorization
    c.handler,
  ]);
}

/** The chain as a node request listener: a Koa app whose only middleware is the chain (errors never reach Koa's own logger). */
export function chainListener(c: ChainConfig): RequestListener {
  const app = new Koa<KubeState>();
  app.silent = true;
  app.use(buildHandlerChain(c));
  return app.callback();
}
