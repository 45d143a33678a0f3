// Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go (WithImpersonation,
// buildImpersonationRequests, unescapeExtraKey; moved to filters/impersonation/impersonation.go in 1.34),
// authentication/serviceaccount/util.go (SplitUsername, MakeGroupNames) and
// handlers/responsewriters/errors.go (Forbidden and its HTML sanitizer).
import { unescapeExtraKey } from '../apimachinery/extra-key.js';
import type { IncomingMessage } from 'node:http';
import { badRequest, plainInternalError, StatusError } from '../apimachinery/status.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS_USER, type UserInfo } from '../authn/types.js';
import type { Attributes, AuthorizationResult, Authorizer } from '../authz/types.js';
import { userOf, type KubeMiddleware } from '../request/state.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../apimachinery/validation.js';
import { forbiddenError } from './authorization.js';

/** authenticationv1.ImpersonateUserHeader and friends, lower-cased as node:http gives header names. */
export const IMPERSONATE_USER_HEADER = 'impersonate-user';
export const IMPERSONATE_GROUP_HEADER = 'impersonate-group';
export const IMPERSONATE_UID_HEADER = 'impersonate-uid';
export const IMPERSONATE_USER_EXTRA_HEADER_PREFIX = 'impersonate-extra-';

/** The group version of the UserExtra and UID references (authenticationv1.SchemeGroupVersion). */
const AUTHENTICATION_GROUP = 'authentication.k8s.io';
const AUTHENTICATION_VERSION = 'v1';

/** serviceaccount.ServiceAccountUsernamePrefix and the groups MakeGroupNames returns. */
const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
const SERVICE_ACCOUNT_GROUP_PREFIX = 'system:serviceaccounts:';
const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/**
 * One thing the client asks to act as: kube's v1.ObjectReference, of kind ServiceAccount, User, Group,
 * UserExtra (fieldPath is the extra key) or UID; apiVersion is set only for UserExtra and UID.
 */
export interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

const ref = (kind: ImpersonationRequest['kind'], name: string, more: Partial<ImpersonationRequest> = {}): ImpersonationRequest => ({
  kind,
  namespace: '',
  name,
  apiVersion: '',
  fieldPath: '',
  ...more,
});

/** serviceaccount.SplitUsername: the namespace and name of `system:serviceaccount:NS:NAME`, or null if not a valid one. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | null {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return null;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2) return null;
  const [namespace, name] = parts as [string, string];
  // ValidateNamespaceName and ValidateServiceAccountName: a DNS-1123 label and a DNS-1123 subdomain.
  if (isDNS1123Label(namespace).length > 0 || isDNS1123Subdomain(name).length > 0) return null;
  return { namespace, name };
}

/** serviceaccount.MakeGroupNames. */
export function serviceAccountGroupNames(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNT_GROUP_PREFIX}${namespace}`];
}

// unescapeExtraKey lives in apimachinery/extra-key.ts: the front proxy's extra headers (requestheader.go) use it too.
export { unescapeExtraKey };

/** Go's %v of a v1.ObjectReference value: its seven fields, space-separated, in braces. */
function goObjectReference(r: ImpersonationRequest): string {
  return `{${[r.kind, r.namespace, r.name, /* UID */ '', r.apiVersion, /* ResourceVersion */ '', r.fieldPath].join(' ')}}`;
}

/** The headers of a request, each with all its values (node:http joins repeated ones in `headers`). */
export type DistinctHeaders = Readonly<Record<string, readonly string[] | undefined>>;

/**
 * kube's buildImpersonationRequests: the user (or service account), each group, each extra value, then the
 * uid. Groups, extras or a uid without a user is kube's 400.
 */
export function buildImpersonationRequests(headers: DistinctHeaders): ImpersonationRequest[] {
  const requests: ImpersonationRequest[] = [];

  const requestedUser = headers[IMPERSONATE_USER_HEADER]?.[0] ?? '';
  const hasUser = requestedUser.length > 0;
  if (hasUser) {
    const sa = splitServiceAccountUsername(requestedUser);
    requests.push(sa === null ? ref('User', requestedUser) : ref('ServiceAccount', sa.name, { namespace: sa.namespace }));
  }

  const groups = headers[IMPERSONATE_GROUP_HEADER] ?? [];
  for (const group of groups) requests.push(ref('Group', group));
  const hasGroups = groups.length > 0;

  let hasUserExtra = false;
  for (const [headerName, values] of Object.entries(headers)) {
    if (!headerName.startsWith(IMPERSONATE_USER_EXTRA_HEADER_PREFIX) || values === undefined) continue;
    hasUserExtra = true;
    const extraKey = unescapeExtraKey(headerName.slice(IMPERSONATE_USER_EXTRA_HEADER_PREFIX.length).toLowerCase());
    // a separate request for each extra value
    for (const value of values) requests.push(ref('UserExtra', value, { apiVersion: `${AUTHENTICATION_GROUP}/${AUTHENTICATION_VERSION}`, fieldPath: extraKey }));
  }

  const requestedUid = headers[IMPERSONATE_UID_HEADER]?.[0] ?? '';
  const hasUid = requestedUid.length > 0;
  if (hasUid) requests.push(ref('UID', requestedUid, { apiVersion: `${AUTHENTICATION_GROUP}/${AUTHENTICATION_VERSION}` }));

  if ((hasGroups || hasUserExtra || hasUid) && !hasUser) {
    throw badRequest(`requested [${requests.map(goObjectReference).join(' ')}] without impersonating a user`);
  }
  return requests;
}

/** The attributes the requestor is authorized with for one impersonation request (actingAsAttributes). */
export function impersonationAttributes(requestor: UserInfo, r: ImpersonationRequest): Attributes {
  const [group, version] = r.apiVersion === '' ? ['', ''] : (r.apiVersion.split('/') as [string, string]);
  const resource = { ServiceAccount: 'serviceaccounts', User: 'users', Group: 'groups', UserExtra: 'userextras', UID: 'uids' }[r.kind];
  return {
    user: requestor,
    verb: 'impersonate',
    isResourceRequest: true,
    path: '',
    namespace: r.namespace,
    apiGroup: group,
    apiVersion: version,
    resource,
    subresource: r.kind === 'UserExtra' ? r.fieldPath : '',
    name: r.name,
  };
}

/**
 * Checks each impersonation request with the requestor's rights and builds the user to act as (the loop
 * and group rules of WithImpersonation). Throws kube's 403 for the first request not allowed.
 */
export async function impersonatedUser(authorizer: Authorizer, requestor: UserInfo, requests: readonly ImpersonationRequest[], groupsSpecified: boolean): Promise<UserInfo> {
  let username = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  let uid = '';
  for (const r of requests) {
    const attrs = impersonationAttributes(requestor, r);
    switch (r.kind) {
      case 'ServiceAccount':
        username = `${SERVICE_ACCOUNT_USERNAME_PREFIX}${r.namespace}:${r.name}`;
        // the groups of a service account are a fixed mapping, unless groups were asked for
        if (!groupsSpecified) groups = serviceAccountGroupNames(r.namespace);
        break;
      case 'User':
        username = r.name;
        break;
      case 'Group':
        groups.push(r.name);
        break;
      case 'UserExtra':
        (extra[r.fieldPath] ??= []).push(r.name);
        break;
      case 'UID':
        uid = r.name;
        break;
    }
    let result: AuthorizationResult;
    try {
      result = await authorizer.authorize(attrs);
    } catch {
      // kube: `err != nil || decision != DecisionAllow` is Forbidden with the reason given (none here), not a 500
      result = { decision: 'noOpinion', reason: '' };
    }
    if (result.decision !== 'allow') throw forbiddenError(attrs, result.reason);
  }

  if (username !== ANONYMOUS_USER) {
    // system:authenticated, unless system:authenticated or system:unauthenticated is already there
    if (!groups.some((g) => g === ALL_AUTHENTICATED || g === ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  return { name: username, uid, groups, extra };
}

/** The Impersonate-* headers of a request, with every value of each. */
function distinctHeaders(req: IncomingMessage): DistinctHeaders {
  return req.headersDistinct as DistinctHeaders;
}

/** Removes the impersonation headers from every view node:http keeps of them, as kube's req.Header.Del. */
function clearImpersonationHeaders(req: IncomingMessage): void {
  const isImpersonation = (name: string): boolean =>
    name === IMPERSONATE_USER_HEADER || name === IMPERSONATE_GROUP_HEADER || name === IMPERSONATE_UID_HEADER || name.startsWith(IMPERSONATE_USER_EXTRA_HEADER_PREFIX);
  const headers = req.headers;
  const distinct = req.headersDistinct;
  for (const name of Object.keys(headers)) if (isImpersonation(name)) delete headers[name];
  for (const name of Object.keys(distinct)) if (isImpersonation(name)) delete distinct[name];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (isImpersonation(raw[i]!.toLowerCase())) raw.splice(i, 2);
}

function hasImpersonationHeader(headers: Readonly<Record<string, unknown>>): boolean {
  for (const name in headers) if (name.startsWith('impersonate-')) return true;
  return false;
}

/**
 * kube's WithImpersonation, between authentication and authorization: a request with Impersonate-* headers
 * continues as the impersonated user if the authenticated user may impersonate each part of it. The
 * original user is kept in `ctx.state.impersonator` for the request log.
 */
export function impersonation(authorizer: Authorizer): KubeMiddleware {
  return async (ctx, next) => {
    // Almost no request impersonates: skip building the header lists unless an Impersonate-* header is there.
    if (!hasImpersonationHeader(ctx.req.headers)) {
      await next();
      return;
    }
    const headers = distinctHeaders(ctx.req);
    let requests: ImpersonationRequest[];
    try {
      requests = buildImpersonationRequests(headers);
    } catch (err) {
      // kube (impersonation.go) writes the builder's BadRequest with responsewriters.InternalError: a plain-text 500.
      if (err instanceof StatusError) throw plainInternalError(ctx.originalUrl, err.message);
      throw err;
    }
    if (requests.length === 0) {
      await next();
      return;
    }
    const requestor = userOf(ctx);
    // groups given are the authority, including system:authenticated / system:unauthenticated
    const groupsSpecified = (headers[IMPERSONATE_GROUP_HEADER]?.length ?? 0) > 0;
    let user: UserInfo;
    try {
      user = await impersonatedUser(authorizer, requestor, requests, groupsSpecified);
    } catch (err) {
      // A refused impersonation is the request's authorization decision, as far as the request log is concerned.
      if (err instanceof StatusError && err.code === 403) ctx.state.authorization = { decision: 'forbid', reason: err.message };
      throw err;
    }
    ctx.state.impersonator = requestor;
    ctx.state.user = user;
    clearImpersonationHeaders(ctx.req);
    await next();
  };
}
