// Paths and bodies several scenario files use.
import type { JsonValue, ParityRequest, RequestBody } from '../scenario.js';

export const SSR_V1 = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
export const TOKEN_REVIEW = '/apis/authentication.k8s.io/v1/tokenreviews';
export const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
export const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
export const SSRR = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
export const localSar = (ns: string) => `/apis/authorization.k8s.io/v1/namespaces/${ns}/localsubjectaccessreviews`;
export const RBAC = '/apis/rbac.authorization.k8s.io/v1';

/** A JSON body with apiVersion and kind first, as clients write them. */
export function typed(apiVersion: string, kind: string, rest: { [key: string]: JsonValue } = {}): RequestBody {
  return { json: { apiVersion, kind, ...rest } };
}

/** kubectl auth whoami's request, as JSON. */
export function whoami(as: ParityRequest['as'], version = 'v1', headers?: Record<string, string>): ParityRequest {
  return {
    method: 'POST',
    path: `/apis/authentication.k8s.io/${version}/selfsubjectreviews`,
    as,
    headers,
    body: typed(`authentication.k8s.io/${version}`, 'SelfSubjectReview'),
  };
}
