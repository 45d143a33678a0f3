// Source: staging/src/k8s.io/apiserver/pkg/server/httplog/httplog.go (WithLogging, respLogger.Log), whose
// field names are kept (verb, URI, resp, userAgent, audit-ID, srcIP), plus what kube keeps in its audit log
// and a person debugging a 401 or 403 needs on the same line: the user, the authenticator, and the
// authorization decision and reason (endpoints/filters/authorization.go's audit annotations), and how the
// identity was proven: which client certificate, or which kind of token or password.
import type { X509Certificate } from 'node:crypto';
import { peerCertificates } from '../request/peer-certificates.js';
import type { KubeContext, KubeMiddleware } from '../request/state.js';
import { distinguishedName } from '../tls/certificate-summary.js';
import type { Logger } from '../util/log.js';
import { bracketHost, joinHostPort } from '../util/host-port.js';

/** The message of every request line, as kube's ("HTTP"). */
export const REQUEST_LOG_MESSAGE = 'HTTP';

/** The fields of one request line, in the order they are written; absent ones did not apply to the request. */
export interface RequestLogFields {
  /** kube's request verb (get, list, watch, create, update, patch, delete, deletecollection); for non-resource requests the lower-cased HTTP method, as RequestInfo gives it. */
  verb: string;
  /** The path with its query, as the client sent it. */
  URI: string;
  /** The status code sent. */
  resp: number;
  /** Who the request ran as: the impersonated user when impersonating. */
  user?: string;
  groups?: string[];
  /** The authenticated user who asked to act as `user`. */
  impersonator?: string;
  /** Which authenticator accepted the credentials. */
  authenticator?: string;
  /** How the identity was proven; absent for anonymous requests. */
  credential?: CredentialProof;
  /** Why the credentials presented were refused (401). */
  authenticationError?: string;
  /** kube's audit words: allow or forbid. */
  decision?: 'allow' | 'forbid';
  /** The authorizer's reason for an allow; the 403's message for a refusal. */
  reason?: string;
  /** The request's Content-Type, when it has one. */
  contentType?: string;
  /** For a patch, its type: the media type of its Content-Type (application/strategic-merge-patch+json, ...). */
  patchType?: string;
  /** kube's audit annotations the handler added (TokenRequest's authentication.kubernetes.io/issued-credential-id). */
  annotations?: Record<string, string>;
  /** Milliseconds from the request to its response (for a watch, to its 200, not to its end). */
  latencyMs: number;
  userAgent: string;
  'audit-ID': string;
  /** The client's address and port, as Go's RemoteAddr writes them. */
  srcIP: string;
}

/** How a request's identity was proven, for the request log. */
export interface CredentialProof {
  /** "client certificate", "front proxy certificate", "static token", "ServiceAccount token (bound)", ... */
  kind: string;
  /** For a certificate: its subject (RFC 2253, CN first) and SHA-256 fingerprint, as the --tls-trace event prints them. */
  subject?: string;
  sha256?: string;
}

/** The credential each authenticator (state.authenticator) accepts; the certificate ones are read from the connection. */
const CREDENTIAL_KINDS: Readonly<Record<string, string>> = {
  x509: 'client certificate',
  requestheader: 'front proxy certificate',
  'token-file': 'static token (--token-auth-file)',
  'basic-auth': 'static password (--basic-auth-file)',
  'serviceaccount-legacy': 'ServiceAccount token (legacy, from a Secret)',
  serviceaccount: 'ServiceAccount token (bound)',
  'bootstrap-token': 'bootstrap token',
  webhook: 'token accepted by the webhook (TokenReview)',
  loopback: 'loopback token',
};

const certificateNames = new WeakMap<X509Certificate, { subject: string; sha256: string }>();

/** The credential that proved the request's identity: for a certificate, the leaf the client presented. */
export function credentialProof(ctx: KubeContext): CredentialProof | undefined {
  const authenticator = ctx.state.authenticator;
  if (authenticator === undefined || authenticator === 'anonymous') return undefined;
  const kind = CREDENTIAL_KINDS[authenticator] ?? authenticator;
  if (authenticator !== 'x509' && authenticator !== 'requestheader') return { kind };
  const leaf = peerCertificates(ctx.req.socket)[0];
  if (leaf === undefined) return { kind };
  let names = certificateNames.get(leaf);
  if (names === undefined) {
    names = { subject: distinguishedName(leaf.subject), sha256: leaf.fingerprint256 };
    certificateNames.set(leaf, names);
  }
  return { kind, ...names };
}

/** Go's RemoteAddr: host:port, an IPv6 host in brackets. */
function remoteAddr(ctx: KubeContext): string {
  const { remoteAddress = '', remotePort } = ctx.req.socket;
  return remotePort === undefined ? bracketHost(remoteAddress) : joinHostPort(remoteAddress, remotePort);
}

/** A media type without its parameters, lower-cased. */
function mediaType(contentType: string): string {
  return contentType.split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * The request line's fields, read from what the filters recorded in the request's state. `srcIP` is read when the
 * request arrives: node asks the socket for its peer each time, and a socket the client closed has none.
 */
export function requestLogFields(ctx: KubeContext, latencyMs: number, srcIP: string): RequestLogFields {
  const state = ctx.state;
  // A request refused before RequestInfo (a bad URI) has only its HTTP method, lower-cased as RequestInfo would.
  const verb = state.requestInfo?.verb ?? ctx.method.toLowerCase();
  const contentType = ctx.get('Content-Type');
  // Written in this order: what was asked and answered, who asked and what was decided, then timing and identifiers.
  const line: { [K in keyof RequestLogFields]: RequestLogFields[K] | undefined } = {
    verb,
    URI: ctx.originalUrl,
    resp: ctx.status,
    user: state.user?.name,
    groups: state.user?.groups,
    impersonator: state.impersonator?.name,
    authenticator: state.authenticator,
    credential: credentialProof(ctx),
    authenticationError: state.authenticationFailure,
    decision: state.authorization?.decision,
    reason: state.authorization?.reason,
    contentType: contentType === '' ? undefined : contentType,
    patchType: verb === 'patch' && contentType !== '' ? mediaType(contentType) : undefined,
    annotations: state.auditAnnotations,
    latencyMs,
    userAgent: ctx.get('User-Agent'),
    'audit-ID': state.auditId ?? '',
    srcIP,
  };
  return Object.fromEntries(Object.entries(line).filter(([, v]) => v !== undefined)) as unknown as RequestLogFields;
}

/** kube's WithHTTPLogging: one line per request, written once the response status is known. */
export function requestLog(log: Logger): KubeMiddleware {
  // A silent logger (in-process test servers) pays nothing per request.
  if (!log.isLevelEnabled('info')) return (_ctx, next) => next();
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    const srcIP = remoteAddr(ctx);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log.info(requestLogFields(ctx, Math.round(ms * 100) / 100, srcIP), REQUEST_LOG_MESSAGE);
    }
  };
}
