import type Koa from 'koa';
import type { AuthnObserver, UserInfo } from '../authn/types.js';
import type { RequestInfo } from './request-info.js';

/** What the filters write for later stages to read; each field is set by exactly one filter. */
export interface KubeState {
  auditId?: string;
  requestInfo?: RequestInfo;
  user?: UserInfo;
  /** The authenticated user when the request acts as another (Impersonate-*); `user` is then the impersonated one. */
  impersonator?: UserInfo;
  /** Which authenticator recognised the credentials ("x509", "token-file", "anonymous", ...). */
  authenticator?: string;
  /** Why the credentials presented were refused (the cause of a 401), in the authenticators' words. */
  authenticationFailure?: string;
  /** What authorization decided about the request (or about an impersonation it asked for). */
  authorization?: AuthorizationRecord;
  /** kube's audit annotations a handler adds (audit.AddAuditAnnotation), such as the credential id TokenRequest issued. */
  auditAnnotations?: Record<string, string>;
  /** Set by the audit filter when the policy's level for the request logs its body (Request, RequestResponse). */
  auditWantsRequestObject?: boolean;
  /** The request body as decoded, kept for the audit log (kube's audit.LogRequestObject) when asked for. */
  auditRequestObject?: unknown;
  /** Set by the live view (--ui) only: told what each authenticator said about this request (AuthnRequest.observe). */
  authnObserver?: AuthnObserver;
}

/**
 * An authorization decision in the words of kube's audit annotations (authorization.k8s.io/decision and
 * authorization.k8s.io/reason, endpoints/filters/authorization.go), for the request log.
 */
export interface AuthorizationRecord {
  decision: 'allow' | 'forbid';
  /** For an allow, the authorizer's reason (RBAC names the binding and role); for a refusal, the 403's whole message. */
  reason: string;
  /** The authorizer's own reason, which kube's authorization.k8s.io/reason audit annotation carries; unset where kube adds no annotation (an impersonation refusal). */
  authorizerReason?: string;
}

/** The Koa context every filter and handler works on. */
export type KubeContext = Koa.ParameterizedContext<KubeState>;

/** A filter or handler in the chain. */
export type KubeMiddleware = Koa.Middleware<KubeState>;

/** The request's attributes; the request-info filter runs first, so a missing value is a wiring bug. */
export function requestInfoOf(ctx: KubeContext): RequestInfo {
  const info = ctx.state.requestInfo;
  if (info === undefined) throw new Error('request info read before the request-info filter ran');
  return info;
}

/** The authenticated user; the authentication filter runs before any handler. */
export function userOf(ctx: KubeContext): UserInfo {
  const user = ctx.state.user;
  if (user === undefined) throw new Error('user read before the authentication filter ran');
  return user;
}
