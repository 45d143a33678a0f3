// The authorizer contract, copied from kube-apiserver's
// staging/src/k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go.
import type { UserInfo } from '../authn/types.js';

/** kube's authorizer.Attributes: who asks to do what. Resource fields are empty for non-resource requests. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** The URL path; meaningful for non-resource requests. */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

/** allow and deny end the walk of the union; noOpinion asks the next authorizer. */
export type Decision = 'allow' | 'deny' | 'noOpinion';

/** A decision and why; the reason of a refusal is appended to the 403 message. */
export interface AuthorizationResult {
  decision: Decision;
  reason: string;
}

/** kube's authorizer.Authorizer: one method. */
export interface Authorizer {
  authorize(attrs: Attributes): Promise<AuthorizationResult>;
}
