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
}

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
}

/** kube's authenticator.Token: the same three answers for a bearer token alone, checked against the request's audiences. */
export interface TokenAuthenticator {
  authenticateToken(token: string, audiences?: readonly string[]): Promise<AuthnResult>;
}

/** The groups kube-apiserver adds and recognises. Source: staging/src/k8s.io/apiserver/pkg/authentication/user/user.go. */
export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
