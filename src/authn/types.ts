// The authenticator contract, copied from kube-apiserver's
// staging/src/k8s.io/apiserver/pkg/authentication/authenticator/interfaces.go and user/user.go.
import type { X509Certificate } from 'node:crypto';

/** The authenticated identity, as kube's user.Info carries it. */
export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** What an authenticator may read of a request: its headers and the peer's certificate chain. Never Koa. */
export interface AuthnRequest {
  /** Header names in lower case, as node:http gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Every value of each header, names in lower case (node:http's headersDistinct), for headers that may repeat. */
  headersDistinct?: Readonly<Record<string, readonly string[] | undefined>>;
  /** The chain the client sent, leaf first; empty when it sent none. */
  peerCertificates: readonly X509Certificate[];
  /** kube's warning.AddWarning: a Warning header on the response, whatever the outcome. */
  addWarning?(text: string): void;
  /**
   * The audiences the credential must be meant for (kube's authenticator.WithAudiences on the request's context):
   * the API audiences for a request, the review's for a TokenReview; unset when there are none.
   */
  audiences?: readonly string[];
  /**
   * Told what each named authenticator of a union said about this request, in the order they were asked (the live
   * view's "who looked at the credentials"). Unset on every request unless the live view is on: the unions then
   * only test it, and allocate nothing.
   */
  observe?: AuthnObserver;
}

/** One authenticator's answer about one request: null is "not my kind of credential". */
export interface AuthnStep {
  /** The authenticator's name as the live view shows it: x509, requestheader, token-file, serviceaccount, bootstrap, webhook, password-file, anonymous, loopback. */
  authenticator: string;
  result: AuthnResult;
}

/** Receives each step of one request's authentication. */
export type AuthnObserver = (step: AuthnStep) => void;

/** Authenticated: the user, and which authenticator said so (for the request log and audit). */
export interface AuthnSuccess {
  ok: true;
  user: UserInfo;
  authenticator: string;
  /** The audiences the credential was found valid for (kube's Response.Audiences); unset when it carries none. */
  audiences?: string[];
  /** What a token authenticator said with warning.AddWarning: the bearer-token adapter puts them on the request. */
  warnings?: readonly string[];
}

/** Credentials were presented but are not valid: the request gets 401 and never falls through to anonymous. */
export interface AuthnFailure {
  ok: false;
  reason: string;
  /**
   * When the failure aggregates several (a union's), each of them: an enclosing union lists these rather than the
   * bracketed reason, as kube's aggregate error flattens nested aggregates ("[a, b, c]", never "[[a, b], c]").
   */
  errors?: readonly string[];
}

/** null means "not my kind of credential"; the union then asks the next authenticator. */
export type AuthnResult = AuthnSuccess | AuthnFailure | null;

/** kube's authenticator.Request: one method, three answers. */
export interface RequestAuthenticator {
  authenticate(req: AuthnRequest): Promise<AuthnResult>;
  /** Set on the members of a union whose answers an observer is told (see AuthnRequest.observe). */
  readonly name?: string;
}

/** kube's authenticator.Token: the same three answers for a bearer token alone, checked against the request's audiences. */
export interface TokenAuthenticator {
  /** `observe` is the request's observer (AuthnRequest.observe), which a token union tells what its members said. */
  authenticateToken(token: string, audiences?: readonly string[], observe?: AuthnObserver): Promise<AuthnResult>;
  /** Set on the members of a token union whose answers an observer is told. */
  readonly name?: string;
}

/** Names an authenticator for the observer of a union it is a member of (the object is the one given, now named). */
export function named<A extends RequestAuthenticator | TokenAuthenticator>(name: string, authenticator: A): A {
  return Object.assign(authenticator, { name });
}

/** The groups kube-apiserver adds and recognises. Source: staging/src/k8s.io/apiserver/pkg/authentication/user/user.go. */
export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
