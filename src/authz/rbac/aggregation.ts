// ClusterRole aggregation, as kube-controller-manager's clusterrole-aggregation controller does it
// (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go, syncClusterRole): a
// ClusterRole with an aggregationRule gets, as its rules, the rules of every other ClusterRole its
// selectors match (selector by selector, roles in name order), without repeats. Rules written into such a
// role by hand are replaced.
import type { MatchableRule } from './rules.js';

/** metav1.LabelSelector. */
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** The fields of a ClusterRole aggregation reads. */
export interface AggregatableClusterRole {
  metadata: { name?: string; labels?: Record<string, string> };
  rules?: MatchableRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: (LabelSelectorLike | null)[] | null } | null;
}

/**
 * metav1.LabelSelectorAsSelector then Matches: every matchLabels pair and every expression must hold. An
 * empty selector (or a null list entry, which decodes as one) matches every role; an unknown operator none.
 */
export function labelSelectorMatches(selector: LabelSelectorLike | null | undefined, labels: Record<string, string>): boolean {
  selector ??= {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(labels[expr.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[expr.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const RULE_FIELDS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;

/** equality.Semantic.DeepEqual on two rules: a missing list equals an empty one, order matters. */
export function sameRule(a: MatchableRule, b: MatchableRule): boolean {
  return RULE_FIELDS.every((f) => {
    const x = a[f] ?? [];
    const y = b[f] ?? [];
    return x.length === y.length && x.every((v, i) => v === y[i]);
  });
}

function sameRules(a: readonly MatchableRule[] | null | undefined, b: readonly MatchableRule[]): boolean {
  const x = a ?? [];
  return x.length === b.length && x.every((rule, i) => sameRule(rule, b[i]!));
}

/** The rules an aggregated ClusterRole should hold now. */
export function aggregatedRules(role: AggregatableClusterRole, all: readonly AggregatableClusterRole[]): MatchableRule[] {
  const byName = [...all].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
  const rules: MatchableRule[] = [];
  // Selector by selector, each one's roles in name order (syncClusterRole).
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    for (const source of byName) {
      if (source.metadata.name === role.metadata.name || !labelSelectorMatches(selector, source.metadata.labels ?? {})) continue;
      for (const rule of source.rules ?? []) if (!rules.some((r) => sameRule(r, rule))) rules.push(rule);
    }
  }
  return rules;
}

/** Every aggregated ClusterRole whose rules are out of date, with the rules it should have. */
export function staleAggregations(all: readonly AggregatableClusterRole[]): { name: string; rules: MatchableRule[] }[] {
  const updates: { name: string; rules: MatchableRule[] }[] = [];
  for (const role of all) {
    if (!role.aggregationRule) continue;
    const rules = aggregatedRules(role, all);
    if (!sameRules(role.rules, rules)) updates.push({ name: role.metadata.name ?? '', rules });
  }
  return updates;
}

/**
 * Aggregates a whole set of objects at once, as the controller would settle them (admin takes in edit,
 * which takes in view): a copy of the objects, aggregated ClusterRoles holding their rules.
 */
export function aggregateClusterRoles<T extends { kind: string }>(objects: readonly T[]): T[] {
  const result = structuredClone(objects) as T[];
  const roles = result.filter((o) => o.kind === 'ClusterRole') as unknown as AggregatableClusterRole[];
  // Each pass lets rules travel one aggregation level further; cycles only ever add rules already present.
  for (let pass = 0; pass <= roles.length; pass++) {
    const stale = staleAggregations(roles);
    if (stale.length === 0) break;
    for (const { name, rules } of stale) roles.find((r) => r.metadata.name === name)!.rules = structuredClone(rules);
  }
  return result;
}
