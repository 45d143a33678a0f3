// The RBAC authorizer: kube's RBACAuthorizer and its authorizingVisitor (plugin/pkg/auth/authorizer/rbac/rbac.go)
// over the one binding walk (rule-resolver.ts), with casbin deciding each bound role's rules.
import type { UserInfo } from '../../authn/types.js';
import type { Attributes, AuthorizationResult, Authorizer, RuleResolver, RulesResult } from '../types.js';
import type { ApplicableBinding, CompiledRole, RbacIndex } from './binding-index.js';
import { DecisionCache, decisionKey } from './decision-cache.js';
import { describeBinding, policyRulesFor, visitBoundRoles, type BoundRole } from './rule-resolver.js';
import { aggregateMessage } from '../../apimachinery/aggregate.js';

/** One step of a decision: a bound role and casbin's answer for it (the index of the rule that allows, or -1), or the error resolving the role. */
export type DecisionStep = { source: ApplicableBinding; role: CompiledRole; allowingRule: number } | { source: ApplicableBinding; error: string };

/** RBAC's decision and the steps that made it, in walk order; the last step that allows is the one named in the reason. */
export interface RbacDecision {
  result: AuthorizationResult;
  steps: DecisionStep[];
}

/**
 * One walk of kube's authorizingVisitor over the compiled roles: stops at the first role casbin says allows.
 * Returns the role's pending compilation instead when it meets a role not compiled yet, so that the
 * decision is made again, whole, once it is (the index may have changed meanwhile).
 */
function walkDecision(index: RbacIndex, attrs: Attributes, steps: DecisionStep[] | undefined): RbacDecision | Promise<unknown> {
  let errors: string[] | undefined;
  let allowedBy: BoundRole | undefined;
  let compiling: Promise<unknown> | undefined;
  visitBoundRoles(index, attrs.user, attrs.namespace, (bound) => {
    if ('error' in bound) {
      (errors ??= []).push(bound.error);
      steps?.push(bound);
      return true;
    }
    const evaluator = bound.role.compiledEvaluator;
    if (evaluator === undefined) {
      compiling = bound.role.evaluator;
      return false;
    }
    const allowingRule = evaluator.firstAllowing(attrs);
    steps?.push({ source: bound.source, role: bound.role, allowingRule });
    if (allowingRule < 0) return true;
    allowedBy = bound;
    return false;
  });
  if (compiling !== undefined) return compiling;
  if (allowedBy !== undefined) return { result: { decision: 'allow', reason: `RBAC: allowed by ${describeBinding(allowedBy.source)}` }, steps: steps ?? [] };
  return { result: { decision: 'noOpinion', reason: errors !== undefined ? `RBAC: ${aggregateMessage(errors)}` : '' }, steps: steps ?? [] };
}

/**
 * RBAC's decision for a request, with the steps that made it when withSteps is set (explain reads them).
 * RBAC only ever allows or has no opinion. kube's reason texts: "RBAC: allowed by <binding>", or the errors
 * met resolving roles.
 */
export async function rbacDecision(index: RbacIndex, attrs: Attributes, withSteps = false): Promise<RbacDecision> {
  for (;;) {
    const outcome = walkDecision(index, attrs, withSteps ? [] : undefined);
    if (!(outcome instanceof Promise)) return outcome;
    await outcome;
  }
}

/**
 * The RBAC authorizer and rule resolver. The bindings that concern the user come from the index; each bound
 * role's rules are evaluated by its casbin enforcer. Decisions are cached until the next RBAC change, in a
 * cache bounded by entries and bytes whatever the requests hold (decision-cache.ts).
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
    if (this.opts.cacheDecisions === false) return (await rbacDecision(this.index, attrs)).result;
    const version = this.index.version;
    const key = decisionKey(attrs);
    const cached = this.cache.get(version, key);
    if (cached !== undefined) return cached;
    const { result } = await rbacDecision(this.index, attrs);
    // A change while this decision awaited a role's compilation makes it unfit to remember.
    if (version === this.index.version) this.cache.set(version, key, result);
    return result;
  }

  /** kube's RBACAuthorizer.RulesFor: what SelfSubjectRulesReview reports, every bound rule split into resource and non-resource rule infos. */
  rulesReviewFor(user: UserInfo, namespace: string): RulesResult {
    const { rules, errors } = policyRulesFor(this.index, user, namespace);
    const result: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: false, errors };
    for (const rule of rules) {
      if ((rule.resources ?? []).length > 0) {
        result.resourceRules.push({ verbs: [...rule.verbs], apiGroups: [...(rule.apiGroups ?? [])], resources: [...rule.resources!], resourceNames: [...(rule.resourceNames ?? [])] });
      }
      if ((rule.nonResourceURLs ?? []).length > 0) result.nonResourceRules.push({ verbs: [...rule.verbs], nonResourceURLs: [...rule.nonResourceURLs!] });
    }
    return result;
  }
}
