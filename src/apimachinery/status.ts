// metav1.Status errors, built the way kube-apiserver builds them.
// Source: staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go and
// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go.
import { aggregateMessage } from './aggregate.js';
import { goQuote } from './validation.js';

/** One entry of Status.details.causes. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** Status.details: which object the error is about. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The metav1.Status body, with keys in the order kube-apiserver's JSON encoder writes them. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  /** Omitted when empty (StatusReasonUnknown), as kube's encoder omits it. */
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group and resource, printed as kube's schema.GroupResource.String() does. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** kube's GroupResource.String(): "pods", "roles.rbac.authorization.k8s.io". */
export function groupResourceString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** An error that the status-errors filter turns into a metav1.Status response. */
export class StatusError extends Error {
  readonly status: StatusBody;
  /** Extra response headers kube-apiserver sends with this error (WWW-Authenticate, Allow, Retry-After). */
  readonly headers: Record<string, string>;

  constructor(code: number, reason: string, message: string, details?: StatusDetails, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, ...(reason !== '' ? { reason } : {}), ...(details ? { details } : {}), code };
    this.headers = headers;
  }

  get code(): number {
    return this.status.code;
  }
}

/**
 * An error kube-apiserver writes with Go's http.Error instead of a Status: `text/plain; charset=utf-8`, the text and
 * a newline. It stays a StatusError (code, message) for the filters that look at errors on their way out (audit).
 */
export class PlainTextError extends StatusError {
  constructor(code: number, readonly text: string) {
    super(code, '', text);
    this.name = 'PlainTextError';
  }
}

// responsewriters: "Avoid emitting errors that look like valid HTML. Quotes are okay."
export const sanitizeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * responsewriters.InternalError (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go):
 * `Internal Server Error: "<RequestURI>": <err>`, plain text, for failures before a handler could negotiate a Status.
 */
export function plainInternalError(requestUri: string, message: string): PlainTextError {
  return new PlainTextError(500, sanitizeHtml(`Internal Server Error: ${goQuote(requestUri)}: ${message}`));
}

/**
 * Go's http.NotFound, which genericapiserver's notfoundhandler (staging/src/k8s.io/apiserver/pkg/util/notfoundhandler)
 * answers for a path no handler serves: `404 page not found` as plain text.
 */
export function goNotFound(): PlainTextError {
  return new PlainTextError(404, '404 page not found');
}

/** 401, as the authentication filter writes it: NewUnauthorized("Unauthorized"). */
export function unauthorized(headers: Record<string, string> = {}): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized', undefined, headers);
}

/** kube's NewForbidden: `<resource> "<name>" is forbidden: <why>` or `forbidden: <why>` for non-resource requests. */
export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const qualified = groupResourceString(gr);
  let message: string;
  if (gr.group === '' && gr.resource === '') message = `forbidden: ${why}`;
  else if (name === '') message = `${qualified} is forbidden: ${why}`;
  else message = `${qualified} ${JSON.stringify(name)} is forbidden: ${why}`;
  return new StatusError(403, 'Forbidden', message, { ...(name ? { name } : {}), ...(gr.group ? { group: gr.group } : {}), ...(gr.resource ? { kind: gr.resource } : {}) });
}

/** kube's NewNotFound: `<resource> "<name>" not found`. */
export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${groupResourceString(gr)} ${JSON.stringify(name)} not found`, {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    ...(gr.resource ? { kind: gr.resource } : {}),
  });
}

/** The 404 kube-apiserver gives for a path no handler serves (genericapiserver's NotFound handler). */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** kube's NewMethodNotSupported: `<verb> is not supported on resources of kind "<resource>"`. */
export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind ${JSON.stringify(groupResourceString(gr))}`, {
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

/** kube's NewBadRequest: the reason is the whole message. */
export function badRequest(reason: string): StatusError {
  return new StatusError(400, 'BadRequest', reason);
}

/** kube's NewRequestEntityTooLargeError, as limitedReadBody calls it. */
export function requestEntityTooLarge(limitBytes: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limitBytes}`);
}

/** The media types kube-apiserver lists in its 415 message, in its order. */
export const SUPPORTED_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] as const;

/** kube's errUnsupportedMediaType, as the create handler returns it for an unknown Content-Type. */
export function unsupportedMediaType(): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_MEDIA_TYPES.join(', ')}`,
  );
}

/**
 * responsewriters.ErrorToAPIStatus of an error that is not a Status: a 500 with the error's text and no reason
 * (StatusReasonUnknown is "", which kube's encoder omits). Only where kube itself returns a plain error for bad
 * input: strategicpatch's "does not contain declared merge key", RBAC's "unsupported role reference kind".
 */
export function notStatusError(message: string): StatusError {
  return new StatusError(500, '', message);
}

/** kube's NewInternalError: our own bugs, and the few places kube answers with one (TokenReview's audiences). */
export function internalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}

/** A field error as kube's field.Error prints it: `message` is the whole `field: body` text. */
export interface FieldErrorLike {
  field: string;
  /** kube's ErrorType string; FieldValueInvalid when omitted. */
  reason?: string;
  message: string;
}

/**
 * kube's NewInvalid: `<Kind.group> "<name>" is invalid: <error or [errors]>`, with one cause per field error
 * whose message is the error's body (without the field, which has its own key).
 */
export function invalid(group: string, kind: string, name: string, errs: readonly FieldErrorLike[]): StatusError {
  const qualified = group === '' ? kind : `${kind}.${group}`;
  const summary = aggregateMessage(errs.map((e) => e.message));
  return new StatusError(422, 'Invalid', `${qualified} ${JSON.stringify(name)} is invalid: ${summary}`, {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    ...(kind ? { kind } : {}),
    causes: errs.map((e) => ({
      reason: e.reason ?? 'FieldValueInvalid',
      message: e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message,
      field: e.field,
    })),
  });
}

/** kube's NewAlreadyExists: `<resource> "<name>" already exists`, 409 AlreadyExists. */
export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${groupResourceString(gr)} ${JSON.stringify(name)} already exists`, {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    ...(gr.resource ? { kind: gr.resource } : {}),
  });
}

/** kube's NewGenerateNameConflict: the generated name was taken; the client may retry after a second. */
export function generateNameConflict(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${groupResourceString(gr)} ${JSON.stringify(name)} already exists, the server was not able to generate a unique name for the object`, {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    ...(gr.resource ? { kind: gr.resource } : {}),
    retryAfterSeconds: 1,
  });
}

/** kube's registry OptimisticLockErrorMsg, the reason of a resourceVersion conflict. */
export const OPTIMISTIC_LOCK_ERROR_MSG = 'the object has been modified; please apply your changes to the latest version and try again';

/** kube's NewConflict: `Operation cannot be fulfilled on <resource> "<name>": <why>`, 409 Conflict. */
export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${groupResourceString(gr)} ${JSON.stringify(name)}: ${why}`, {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    ...(gr.resource ? { kind: gr.resource } : {}),
  });
}

/** kube's NewResourceExpired: 410 with reason Expired, as the watch cache sends "too old resource version". */
export function resourceExpired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

/** The watch cache's answer to a resourceVersion it has not reached within 3 seconds (storage.NewTooLargeResourceVersionError). */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/**
 * kube's NewInvalid with a field.ErrorList, as `invalid` but deduplicating the messages as ToAggregate does and
 * without the colon when the list is empty: the message joins the errors (one alone, several in
 * brackets); each cause carries the error's type, its message without the field path (ErrorBody) and the field.
 * `kind` may be qualified by `group`; the registry also calls it with a resource for its own errors.
 */
export function invalidObject(group: string, kind: string, name: string, errors: readonly FieldErrorLike[]): StatusError {
  const qualified = group === '' ? kind : `${kind}.${group}`;
  const summary = errors.length === 0 ? '' : `: ${aggregateMessage(errors.map((e) => e.message))}`;
  return new StatusError(422, 'Invalid', `${qualified} ${JSON.stringify(name)} is invalid${summary}`, {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    kind,
    causes: errors.map((e) => {
      const prefix = `${e.field}: `;
      return { reason: e.reason ?? 'FieldValueInvalid', message: e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message, field: e.field };
    }),
  });
}

/** kube's NewGenericServerResponse for 422 with no resource, as the patch handler returns a failed JSON patch. */
export function unprocessableEntity(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** negotiation.NewUnsupportedMediaTypeError: the 415 for a patch type the resource does not accept. */
export function unsupportedMediaTypes(accepted: readonly string[]): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/** go-restful's 405 for a path that exists with other methods, as kube-apiserver wraps it. */
export function routeMethodNotAllowed(): StatusError {
  // Recorded from kube-apiserver 1.34 (test/parity/snapshots/bad-input/delete-review.json): empty details, no causes.
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}
