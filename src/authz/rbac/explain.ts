// `kube-auth-mock explain`: for a user and a request, every binding that applies to the user, each rule
// of its role and why it matched or not, ending with the decision RBAC makes. Beyond kube-apiserver, which
// only says "allowed by" or nothing.
import type { UserInfo } from '../../authn/types.js';
import type { Attributes } from '../types.js';
import { describeBinding, type RbacAuthorizer } from './authorizer.js';
import type { RbacIndex } from './binding-index.js';
import { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, verbMatches, type MatchableRule } from './rules.js';

/** One check of one rule: what was compared and whether it held. */
export interface RuleCheck {
  field: 'verbs' | 'apiGroups' | 'resources' | 'resourceNames' | 'nonResourceURLs';
  wanted: string;
  ruleHas: string[];
  ok: boolean;
}

/** A rule and the checks that decided it. */
export interface ExplainedRule {
  rule: MatchableRule;
  matched: boolean;
  checks: RuleCheck[];
}

/** A binding that applies to the user, its role and its rules. */
export interface ExplainedBinding {
  description: string;
  binding: { kind: string; name: string; namespace?: string };
  role: { kind: string; name: string; found: boolean; error?: string };
  rules: ExplainedRule[];
}

/** The whole explanation. */
export interface Explanation {
  user: Pick<UserInfo, 'name' | 'groups'>;
  request: Omit<Attributes, 'user'>;
  bindings: ExplainedBinding[];
  decision: 'allow' | 'noOpinion';
  reason: string;
}

function explainRule(attrs: Attributes, rule: MatchableRule): ExplainedRule {
  const checks: RuleCheck[] = [];
  const list = (v: readonly string[] | undefined): string[] => [...(v ?? [])];
  checks.push({ field: 'verbs', wanted: attrs.verb, ruleHas: list(rule.verbs), ok: verbMatches(rule.verbs, attrs.verb) });
  if (attrs.isResourceRequest) {
    const resource = attrs.subresource === '' ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
    checks.push({ field: 'apiGroups', wanted: attrs.apiGroup, ruleHas: list(rule.apiGroups), ok: apiGroupMatches(rule.apiGroups ?? [], attrs.apiGroup) });
    checks.push({ field: 'resources', wanted: resource, ruleHas: list(rule.resources), ok: resourceMatches(rule.resources ?? [], attrs.resource, attrs.subresource) });
    checks.push({ field: 'resourceNames', wanted: attrs.name, ruleHas: list(rule.resourceNames), ok: resourceNameMatches(rule.resourceNames ?? [], attrs.name) });
  } else {
    checks.push({ field: 'nonResourceURLs', wanted: attrs.path, ruleHas: list(rule.nonResourceURLs), ok: nonResourceURLMatches(rule.nonResourceURLs ?? [], attrs.path) });
  }
  return { rule, matched: checks.every((c) => c.ok), checks };
}

/** Explains RBAC's decision for a request: the same bindings, roles and order the authorizer uses. */
export async function explain(index: RbacIndex, authorizer: RbacAuthorizer, attrs: Attributes): Promise<Explanation> {
  const { cluster, namespaced } = index.applicable(attrs.user, attrs.namespace);
  const bindings: ExplainedBinding[] = [...cluster, ...namespaced].map((source) => {
    const role = index.roleFor(source.binding);
    const binding = { kind: source.binding.kind, name: source.binding.metadata.name ?? '', ...(source.binding.metadata.namespace ? { namespace: source.binding.metadata.namespace } : {}) };
    const roleRef = { kind: source.binding.roleRef.kind, name: source.binding.roleRef.name };
    if (typeof role === 'string') return { description: describeBinding(source), binding, role: { ...roleRef, found: false, error: role }, rules: [] };
    return { description: describeBinding(source), binding, role: { ...roleRef, found: true }, rules: role.rules.map((rule) => explainRule(attrs, rule)) };
  });
  const result = await authorizer.authorize(attrs);
  const { user, ...request } = attrs;
  return { user: { name: user.name, groups: user.groups }, request, bindings, decision: result.decision === 'allow' ? 'allow' : 'noOpinion', reason: result.reason };
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
      lines.push(`  rule ${i + 1}: ${rule.matched ? 'MATCHES' : 'does not match'}`);
      for (const c of rule.checks) {
        const has = c.field === 'resourceNames' && c.ruleHas.length === 0 ? '(any name)' : JSON.stringify(c.ruleHas);
        lines.push(`    ${mark(c.ok)} ${c.field.padEnd(15)} wants ${JSON.stringify(c.wanted)}, rule has ${has}`);
      }
    });
    lines.push('');
  }
  lines.push(e.decision === 'allow' ? `Decision: allowed (${e.reason}).` : `Decision: RBAC has no rule that allows it${e.reason ? ` (${e.reason})` : ''}, so the request is forbidden unless another authorizer allows it.`);
  return `${lines.join('\n')}\n`;
}
