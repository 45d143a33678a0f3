// kube-apiserver's RBAC matching rules for each field of a rule, word for word: pkg/apis/rbac/v1/evaluation_helpers.go
// (VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches). They are the
// functions of the casbin model (policies/rbac-model.conf), whose matcher is kube's RuleAllows
// (plugin/pkg/auth/authorizer/rbac/rbac.go): which fields a rule must match is written there, and only there.

/** The parts of a PolicyRule matching reads. */
export interface MatchableRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
}

/** The parts of a request matching reads (kube's authorizer.Attributes). */
export interface MatchableRequest {
  isResourceRequest: boolean;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  name: string;
  path: string;
}

/** "*" or the verb itself. */
export function verbMatches(verbs: readonly string[], verb: string): boolean {
  return verbs.some((v) => v === '*' || v === verb);
}

/** "*" or the group itself ("" is the core group). */
export function apiGroupMatches(groups: readonly string[], group: string): boolean {
  return groups.some((g) => g === '*' || g === group);
}

// "*", the exact "resource" or "resource/subresource", or "*/subresource" for any resource's subresource.
// "pods" does not match pods/log, and "pods/*" is no wildcard: kube has no such form.
/** kube's ResourceMatches. */
export function resourceMatches(resources: readonly string[], resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  for (const r of resources) {
    if (r === '*' || r === combined) return true;
    if (subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** No names in the rule means any name; otherwise the request's name must be listed (so a list, with no name, never matches). */
export function resourceNameMatches(names: readonly string[], name: string): boolean {
  return names.length === 0 || names.includes(name);
}

/** "*", the exact path, or a prefix that ends in "*". */
export function nonResourceURLMatches(urls: readonly string[], path: string): boolean {
  return urls.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}
