// `kube-auth-mock explain`: for a user and a request, the steps RBAC's decision took (rbacDecision, the very
// walk the authorizer makes): each binding that applies to the user, in order, its role, and casbin's answer
// for each rule, with the fields that made a rule miss. Beyond kube-apiserver, which only says "allowed by"
// or nothing.
import type { UserInfo } from '../../authn/types.js';
import type { Attributes } from '../types.js';
import { rbacDecision, type DecisionStep } from './authorizer.js';
import type { RbacIndex } from './binding-index.js';
import { describeBinding } from './rule-resolver.js';
import { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, verbMatches, type MatchableRule } from './rules.js';

/** One field of one rule: what was compared and whether it held. */
export interface RuleCheck {
  field: 'verbs' | 'apiGroups' | 'resources' | 'resourceNames' | 'nonResourceURLs';
  wanted: string;
  ruleHas: string[];
  ok: boolean;
}

/** A rule and casbin's answer for it: tried or not (casbin stops at the first rule that allows), matched or not, and its fields. */
export interface ExplainedRule {
  rule: MatchableRule;
  evaluated: boolean;
  matched: boolean;
  /** The fields compared, for a rule that was tried (empty otherwise): they show why it missed. */
  checks: RuleCheck[];
}

/** A binding the decision looked at, its role and its rules. */
export interface ExplainedBinding {
  description: string;
  binding: { kind: string; name: string; namespace?: string };
  role: { kind: string; name: string; found: boolean; error?: string };
  /** Whether this binding's role allows the request (the decision's reason names it). */
  allows: boolean;
  rules: ExplainedRule[];
}

/** The whole explanation. */
export interface Explanation {
  user: Pick<UserInfo, 'name' | 'groups'>;
  request: Omit<Attributes, 'user'>;
  /** The bindings in the order the decision looked at them; it stops at the first that allows. */
  bindings: ExplainedBinding[];
  decision: 'allow' | 'noOpinion';
  reason: string;
}

/** The fields kube's RuleAllows compares, each with the matcher the casbin model calls for it. */
function fieldChecks(attrs: Attributes, rule: MatchableRule): RuleCheck[] {
  const list = (v: readonly string[] | undefined): string[] => [...(v ?? [])];
  const verbs: RuleCheck = { field: 'verbs', wanted: attrs.verb, ruleHas: list(rule.verbs), ok: verbMatches(rule.verbs, attrs.verb) };
  if (!attrs.isResourceRequest) {
    return [verbs, { field: 'nonResourceURLs', wanted: attrs.path, ruleHas: list(rule.nonResourceURLs), ok: nonResourceURLMatches(rule.nonResourceURLs ?? [], attrs.path) }];
  }
  const resource = attrs.subresource === '' ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  return [
    verbs,
    { field: 'apiGroups', wanted: attrs.apiGroup, ruleHas: list(rule.apiGroups), ok: apiGroupMatches(rule.apiGroups ?? [], attrs.apiGroup) },
    { field: 'resources', wanted: resource, ruleHas: list(rule.resources), ok: resourceMatches(rule.resources ?? [], attrs.resource, attrs.subresource) },
    { field: 'resourceNames', wanted: attrs.name, ruleHas: list(rule.resourceNames), ok: resourceNameMatches(rule.resourceNames ?? [], attrs.name) },
  ];
}

function explainStep(attrs: Attributes, step: DecisionStep): ExplainedBinding {
  const { binding } = step.source;
  const described = {
    description: describeBinding(step.source),
    binding: { kind: binding.kind, name: binding.metadata.name ?? '', ...(binding.metadata.namespace ? { namespace: binding.metadata.namespace } : {}) },
  };
  const roleRef = { kind: binding.roleRef.kind, name: binding.roleRef.name };
  if ('error' in step) return { ...described, role: { ...roleRef, found: false, error: step.error }, allows: false, rules: [] };
  const { allowingRule } = step;
  const rules = step.role.rules.map((rule, i): ExplainedRule => {
    const evaluated = allowingRule < 0 || i <= allowingRule;
    return { rule, evaluated, matched: i === allowingRule, checks: evaluated ? fieldChecks(attrs, rule) : [] };
  });
  return { ...described, role: { ...roleRef, found: true }, allows: allowingRule >= 0, rules };
}

/** Explains RBAC's decision for a request from the steps of that decision, so the two cannot disagree. */
export async function explain(index: RbacIndex, attrs: Attributes): Promise<Explanation> {
  const { result, steps } = await rbacDecision(index, attrs, true);
  const { user, ...request } = attrs;
  return {
    user: { name: user.name, groups: user.groups },
    request,
    bindings: steps.map((step) => explainStep(attrs, step)),
    decision: result.decision === 'allow' ? 'allow' : 'noOpinion',
    reason: result.reason,
  };
}

const mark = (ok: boolean): string => (ok ? 'yes' : 'NO ');

/** The explanation as text for a terminal, one block per binding. */
export function renderExplanation(e: Explanation): string {
  const r = e.request;
  const what = r.isResourceRequest
    ? `${r.verb} ${r.subresource ? `${r.resource}/${r.subresource}` : r.resource}${r.name ? ` "${r.name}"` : ''} in API group "${r.apiGroup}" ${r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope'}`
    : `${r.verb} path "${r.path}"`;
  const lines = [`User "${e.user.name}" (groups ${JSON.stringify(e.user.groups)}) asks to ${what}.`, ''];
  if (e.bindings.length === 0) lines.push('No RoleBinding or ClusterRoleBinding names this user, its groups or its service account.', '');
  for (const b of e.bindings) {
    lines.push(`${b.description}`);
    if (!b.role.found) {
      lines.push(`  grants nothing: ${b.role.error}`, '');
      continue;
    }
    if (b.rules.length === 0) lines.push('  the role has no rules');
    b.rules.forEach((rule, i) => {
      if (!rule.evaluated) {
        lines.push(`  rule ${i + 1}: not tried (an earlier rule allows)`);
        return;
      }
      lines.push(`  rule ${i + 1}: ${rule.matched ? 'MATCHES' : 'does not match'}`);
      for (const c of rule.checks) {
        const has = c.field === 'resourceNames' && c.ruleHas.length === 0 ? '(any name)' : JSON.stringify(c.ruleHas);
        lines.push(`    ${mark(c.ok)} ${c.field.padEnd(15)} wants ${JSON.stringify(c.wanted)}, rule has ${has}`);
      }
    });
    lines.push('');
  }
  lines.push(e.decision === 'allow' ? `Decision: allowed (${e.reason}); RBAC looks no further, as kube-apiserver does.` : `Decision: RBAC has no rule that allows it${e.reason ? ` (${e.reason})` : ''}, so the request is forbidden unless another authorizer allows it.`);
  return `${lines.join('\n')}\n`;
}
