// The RBAC authorizer. Decision rules and reason texts: plugin/pkg/auth/authorizer/rbac/rbac.go (Authorize,
// authorizingVisitor, the binding describers) and pkg/registry/rbac/validation/rule.go (VisitRulesFor,
// GetRoleReferenceRules, describeSubject).
import type { UserInfo } from '../../authn/types.js';
import type { Attributes, AuthorizationResult, Authorizer, RuleResolver, RulesResult } from '../types.js';
import type { ApplicableBinding, RbacIndex, SubjectLike } from './binding-index.js';
import { DecisionCache, decisionKey } from './decision-cache.js';
import type { MatchableRule } from './rules.js';
import { aggregateMessage } from '../../apimachinery/aggregate.js';

/** kube's describeSubject: `User "jane"`, `ServiceAccount "name/namespace"`. */
export function describeSubject(subject: SubjectLike, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} ${JSON.stringify(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

/** kube's binding describers: `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`, `RoleBinding "x/ns" of Role "y" to User "z"`. */
export function describeBinding({ binding, subject }: ApplicableBinding): string {
  const ns = binding.metadata.namespace ?? '';
  const name = binding.kind === 'RoleBinding' ? `${binding.metadata.name}/${ns}` : (binding.metadata.name ?? '');
  return `${binding.kind} ${JSON.stringify(name)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${describeSubject(subject, ns)}`;
}

/** What kube's rule visitor is shown: a rule and where it came from, or an error (a missing role). */
export type RuleVisit = { source: ApplicableBinding; rule: MatchableRule; ruleIndex: number } | { error: string; source: ApplicableBinding };

/**
 * kube's VisitRulesFor: every rule of every role bound to the user, ClusterRoleBindings first, then the
 * namespace's RoleBindings; the visitor returns false to stop.
 */
export function visitRulesFor(index: RbacIndex, user: Pick<UserInfo, 'name' | 'groups'>, namespace: string, visit: (v: RuleVisit) => boolean): void {
  const { cluster, namespaced } = index.applicable(user, namespace);
  for (const source of [...cluster, ...namespaced]) {
    const role = index.roleFor(source.binding);
    if (typeof role === 'string') {
      if (!visit({ error: role, source })) return;
      continue;
    }
    const rules = role.rules;
    for (let i = 0; i < rules.length; i++) if (!visit({ source, rule: rules[i]!, ruleIndex: i })) return;
  }
}

/** kube's RulesFor: all rules that apply to a user in a namespace, and the errors met on the way (for SelfSubjectRulesReview and escalation checks). */
export function rulesFor(index: RbacIndex, user: Pick<UserInfo, 'name' | 'groups'>, namespace: string): { rules: MatchableRule[]; errors: string[] } {
  const rules: MatchableRule[] = [];
  const errors: string[] = [];
  visitRulesFor(index, user, namespace, (v) => {
    if ('error' in v) errors.push(v.error);
    else rules.push(v.rule);
    return true;
  });
  return { rules, errors };
}


/**
 * RBAC only ever allows or has no opinion. The bindings that concern the user come from the index; each
 * bound role's rules are evaluated by its casbin enforcer. Decisions are cached until the next RBAC change,
 * in a cache bounded by entries and bytes whatever the requests hold (decision-cache.ts).
 */
export class RbacAuthorizer implements Authorizer, RuleResolver {
  /** The decision cache, readable so tests can check its bounds. */
  readonly cache = new DecisionCache();

  /** cacheDecisions off is for measuring the evaluation itself (bench/). */
  constructor(
    private readonly index: RbacIndex,
    private readonly opts: { cacheDecisions?: boolean } = {},
  ) {}

  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    if (this.opts.cacheDecisions === false) return this.decide(attrs);
    const version = this.index.version;
    const key = decisionKey(attrs);
    const cached = this.cache.get(version, key);
    if (cached !== undefined) return cached;
    const result = await this.decide(attrs);
    // A change while this decision awaited a role's compilation makes it unfit to remember.
    if (version === this.index.version) this.cache.set(version, key, result);
    return result;
  }

  /** kube's RBACAuthorizer.RulesFor: every bound rule, split into resource and non-resource rules. */
  rulesFor(user: UserInfo, namespace: string): RulesResult {
    const { rules, errors } = rulesFor(this.index, user, namespace);
    const result: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: false, errors };
    for (const rule of rules) {
      if ((rule.resources ?? []).length > 0) {
        result.resourceRules.push({ verbs: [...rule.verbs], apiGroups: [...(rule.apiGroups ?? [])], resources: [...rule.resources!], resourceNames: [...(rule.resourceNames ?? [])] });
      }
      if ((rule.nonResourceURLs ?? []).length > 0) result.nonResourceRules.push({ verbs: [...rule.verbs], nonResourceURLs: [...rule.nonResourceURLs!] });
    }
    return result;
  }

  private async decide(attrs: Attributes): Promise<AuthorizationResult> {
    const errors: string[] = [];
    let allowedBy: ApplicableBinding | undefined;
    const { cluster, namespaced } = this.index.applicable(attrs.user, attrs.namespace);
    for (const source of [...cluster, ...namespaced]) {
      const role = this.index.roleFor(source.binding);
      if (typeof role === 'string') {
        errors.push(role);
        continue;
      }
      if ((await role.evaluator).firstAllowing(attrs) >= 0) {
        allowedBy = source;
        break;
      }
    }
    if (allowedBy) return { decision: 'allow', reason: `RBAC: allowed by ${describeBinding(allowedBy)}` };
    return { decision: 'noOpinion', reason: errors.length > 0 ? `RBAC: ${aggregateMessage(errors)}` : '' };
  }
}

