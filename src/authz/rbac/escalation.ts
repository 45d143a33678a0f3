// Escalation prevention, as kube-apiserver does it. Sources: pkg/registry/rbac/validation/policy_comparator.go
// (Covers, BreakdownRule, ruleCovers), pkg/registry/rbac/validation/rule.go (ConfirmNoEscalation,
// CompactRules), pkg/apis/rbac/v1/helpers.go (CompactString), pkg/registry/rbac/escalation_check.go
// (EscalationAllowed, RoleEscalationAuthorized, BindingAuthorized) and the policybased storages of
// role, clusterrole, rolebinding and clusterrolebinding.
import { goQuote } from '../../apimachinery/validation.js';
import { SYSTEM_MASTERS, type UserInfo } from '../../authn/types.js';
import type { Authorizer } from '../types.js';
import type { MatchableRule } from './rules.js';
import { aggregateMessage } from '../../apimachinery/aggregate.js';

type Rule = MatchableRule;

/** kube's BreakdownRule: one rule per group x resource x verb (x name), and per URL x verb. */
export function breakdownRule(rule: Rule): Rule[] {
  const out: Rule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames!) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

const has = (set: readonly string[] | undefined, value: string): boolean => (set ?? []).includes(value);
const hasAll = (set: readonly string[] | undefined, values: readonly string[] | undefined): boolean => (values ?? []).every((v) => has(set, v));

function resourceCoversAll(owner: readonly string[] | undefined, covers: readonly string[] | undefined): boolean {
  if (has(owner, '*') || hasAll(owner, covers)) return true;
  for (const path of covers ?? []) {
    if (has(owner, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!has(owner, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  return owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));
}

/** kube's ruleCovers: does one owner rule cover an atomic sub-rule? */
function ruleCovers(owner: Rule, sub: Rule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((p) => (owner.nonResourceURLs ?? []).some((o) => nonResourceURLCovers(o, p)));
  const ownerNames = owner.resourceNames ?? [];
  const names = (sub.resourceNames ?? []).length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** kube's Covers: whether the owner's rules cover the servant's, and the atomic rules they do not. */
export function covers(ownerRules: readonly Rule[], servantRules: readonly Rule[]): { covered: boolean; missing: Rule[] } {
  const missing = servantRules.flatMap(breakdownRule).filter((sub) => !ownerRules.some((owner) => ruleCovers(owner, sub)));
  return { covered: missing.length === 0, missing };
}

/** kube's CompactRules: simple rules that differ only by verb are merged. */
export function compactRules(rules: readonly Rule[]): Rule[] {
  const compacted: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const rule of rules) {
    const isSimple =
      (rule.resourceNames ?? []).length <= 1 &&
      (rule.nonResourceURLs ?? []).length === 0 &&
      (rule.apiGroups ?? []).length === 1 &&
      (rule.resources ?? []).length === 1;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups![0], rule.resources![0], rule.resourceNames?.[0] ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...rule.verbs];
    else simple.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...compacted, ...simple.values()];
}

/** Go's %q of a []string: ["a" "b"], each quoted as strconv.Quote does. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}

/** kube's CompactString: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
export function compactString(rule: Rule): string {
  const parts: string[] = [];
  if ((rule.apiGroups ?? []).length > 0) parts.push(`APIGroups:${goQuoteList(rule.apiGroups!)}`);
  if ((rule.resources ?? []).length > 0) parts.push(`Resources:${goQuoteList(rule.resources!)}`);
  if ((rule.nonResourceURLs ?? []).length > 0) parts.push(`NonResourceURLs:${goQuoteList(rule.nonResourceURLs!)}`);
  if ((rule.resourceNames ?? []).length > 0) parts.push(`ResourceNames:${goQuoteList(rule.resourceNames!)}`);
  if (rule.verbs.length > 0) parts.push(`Verbs:${goQuoteList(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * kube's ConfirmNoEscalation: the reason the user may not grant these rules, or undefined when the rules
 * the user holds in the namespace cover them.
 */
export function escalationError(user: UserInfo, ownerRules: readonly Rule[], resolutionErrors: readonly string[], rules: readonly Rule[]): string | undefined {
  const { covered, missing } = covers(ownerRules, rules);
  if (covered) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${goQuote(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  // %v of a one-element []error holding RulesFor's aggregate: "[e]" or "[[e1, e2]]".
  if (resolutionErrors.length > 0) msg += `; resolution errors: [${aggregateMessage(resolutionErrors)}]`;
  return msg;
}

/** kube's EscalationAllowed: system:masters may grant anything. */
export function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}

/** kube's RoleEscalationAuthorized: the escalate verb on the role being written. */
export async function roleEscalationAuthorized(authorizer: Authorizer, user: UserInfo, req: { apiGroup: string; resource: string; namespace: string; name: string }): Promise<boolean> {
  const result = await authorizer.authorize({ user, verb: 'escalate', isResourceRequest: true, path: '', apiGroup: req.apiGroup, apiVersion: '*', resource: req.resource, subresource: '', namespace: req.namespace, name: req.name });
  return result.decision === 'allow';
}

/** kube's BindingAuthorized: the bind verb on the referenced role, in the binding's namespace ("" for cluster bindings). */
export async function bindingAuthorized(authorizer: Authorizer, user: UserInfo, roleRef: { kind: string; name: string; apiGroup?: string }, bindingNamespace: string): Promise<boolean> {
  const resource = roleRef.kind === 'ClusterRole' ? 'clusterroles' : roleRef.kind === 'Role' ? 'roles' : undefined;
  if (resource === undefined) return false;
  const result = await authorizer.authorize({ user, verb: 'bind', isResourceRequest: true, path: '', apiGroup: roleRef.apiGroup ?? '', apiVersion: '', resource, subresource: '', namespace: bindingNamespace, name: roleRef.name });
  return result.decision === 'allow';
}

/** clusterrole policybased storage: a ClusterRole with an aggregationRule needs full authority. */
export const FULL_AUTHORITY: readonly Rule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];
