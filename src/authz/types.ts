// The authorizer contract, copied from kube-apiserver's
// staging/src/k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go.
import type { FieldRequirement } from '../apimachinery/fields.js';
import type { LabelRequirement } from '../apimachinery/labels.js';
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
  /**
   * The field and label selectors of a list, watch or deletecollection (KEP-4601), parsed as kube's authorization
   * filter parses them; a selector that does not parse leaves only its error. RBAC ignores them; a webhook is sent them.
   */
  fieldSelector?: { requirements: FieldRequirement[] } | { error: string };
  labelSelector?: { requirements: LabelRequirement[] } | { error: string };
}

/** allow and deny end the walk of the union; noOpinion asks the next authorizer. */
export type Decision = 'allow' | 'deny' | 'noOpinion';

/** A decision and why; the reason of a refusal is appended to the 403 message. */
export interface AuthorizationResult {
  decision: Decision;
  reason: string;
  /**
   * An evaluation error (a webhook that could not be asked): with no allow, the request is kube's 500, and a
   * SubjectAccessReview reports it as its evaluationError.
   */
  error?: string;
}

/** kube's authorizer.Authorizer: one method. */
export interface Authorizer {
  authorize(attrs: Attributes): Promise<AuthorizationResult>;
}

/** A resource rule as SelfSubjectRulesReview reports it (kube's authorizer.ResourceRuleInfo). */
export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

/** A non-resource rule as SelfSubjectRulesReview reports it (kube's authorizer.NonResourceRuleInfo). */
export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}

/** What a user may do in a namespace, as far as an authorizer can list it. */
export interface RulesResult {
  resourceRules: ResourceRuleInfo[];
  nonResourceRules: NonResourceRuleInfo[];
  /** True when the list may be missing rules (an authorizer that cannot list them). */
  incomplete: boolean;
  errors: string[];
}

/** kube's authorizer.RuleResolver: the rules behind SelfSubjectRulesReview and `kubectl auth can-i --list`. */
export interface RuleResolver {
  /** What SelfSubjectRulesReview reports for the user in the namespace (kube's RulesFor). */
  rulesReviewFor(user: UserInfo, namespace: string): RulesResult;
}
