// The one walk over the bindings that apply to a user, and what is built on it: kube's DefaultRuleResolver
// (pkg/registry/rbac/validation/rule.go: VisitRulesFor, RulesFor, GetRoleReferenceRules, describeSubject and
// the binding describers). The authorizer's decision, rules listing (SelfSubjectRulesReview, escalation
// checks) and explain all walk through visitBoundRoles.
import type { UserInfo } from '../../authn/types.js';
import { goQuote } from '../../apimachinery/validation.js';
import { appendAll } from '../../util/append-all.js';
import type { ApplicableBinding, CompiledRole, RbacIndex, SubjectLike } from './binding-index.js';
import type { MatchableRule } from './rules.js';

// Names are quoted as Go's %q quotes them: user and group names are not validated and may hold any character.
/** kube's describeSubject: `User "jane"`, `ServiceAccount "name/namespace"`. */
export function describeSubject(subject: SubjectLike, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} ${goQuote(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${goQuote(subject.name)}`;
}

/** kube's binding describers: `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`, `RoleBinding "x/ns" of Role "y" to User "z"`. */
export function describeBinding({ binding, subject }: ApplicableBinding): string {
  const ns = binding.metadata.namespace ?? '';
  const name = binding.kind === 'RoleBinding' ? `${binding.metadata.name}/${ns}` : (binding.metadata.name ?? '');
  return `${binding.kind} ${goQuote(name)} of ${binding.roleRef.kind} ${goQuote(binding.roleRef.name)} to ${describeSubject(subject, ns)}`;
}

/** What the walk shows its visitor: a binding that applies and the role it refers to, or the error met resolving that role. */
export type BoundRole = { source: ApplicableBinding; role: CompiledRole } | { source: ApplicableBinding; error: string };

/**
 * kube's VisitRulesFor, one role at a time rather than one rule at a time (casbin evaluates a role's rules
 * together): the roles bound to the user by ClusterRoleBindings, then by the namespace's RoleBindings, each
 * binding's role or the error resolving it (GetRoleReferenceRules). The visitor returns false to stop.
 */
export function visitBoundRoles(index: RbacIndex, user: Pick<UserInfo, 'name' | 'groups'>, namespace: string, visit: (bound: BoundRole) => boolean): void {
  const { cluster, namespaced } = index.applicable(user, namespace);
  for (const bindings of [cluster, namespaced]) {
    for (const source of bindings) {
      const role = index.roleFor(source.binding);
      if (!visit(typeof role === 'string' ? { source, error: role } : { source, role })) return;
    }
  }
}

/**
 * kube's DefaultRuleResolver.RulesFor: every PolicyRule bound to the user in the namespace, in walk order,
 * and the errors met resolving roles (for SelfSubjectRulesReview and escalation checks).
 */
export function policyRulesFor(index: RbacIndex, user: Pick<UserInfo, 'name' | 'groups'>, namespace: string): { rules: MatchableRule[]; errors: string[] } {
  const rules: MatchableRule[] = [];
  const errors: string[] = [];
  visitBoundRoles(index, user, namespace, (bound) => {
    if ('error' in bound) errors.push(bound.error);
    else appendAll(rules, bound.role.rules);
    return true;
  });
  return { rules, errors };
}
