// ClusterRole aggregation, as kube-controller-manager's clusterrole-aggregation controller does it
// (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go): a ClusterRole with an
// aggregationRule gets, as its rules, the rules of every other ClusterRole its selectors match, in name
// order, without repeats. Rules written into such a role by hand are replaced.
import { isDeepStrictEqual } from 'node:util';
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
  aggregationRule?: { clusterRoleSelectors?: LabelSelectorLike[] } | null;
}

/** metav1.LabelSelectorAsSelector then Matches: every matchLabels pair and every expression must hold. */
export function labelSelectorMatches(selector: LabelSelectorLike, labels: Record<string, string>): boolean {
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

/** The rules an aggregated ClusterRole should hold now. */
export function aggregatedRules(role: AggregatableClusterRole, all: readonly AggregatableClusterRole[]): MatchableRule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const sources = all
    .filter((other) => other.metadata.name !== role.metadata.name && selectors.some((s) => labelSelectorMatches(s, other.metadata.labels ?? {})))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const rules: MatchableRule[] = [];
  for (const source of sources) for (const rule of source.rules ?? []) if (!rules.some((r) => isDeepStrictEqual(r, rule))) rules.push(rule);
  return rules;
}

/** Every aggregated ClusterRole whose rules are out of date, with the rules it should have. */
export function staleAggregations(all: readonly AggregatableClusterRole[]): { name: string; rules: MatchableRule[] }[] {
  const updates: { name: string; rules: MatchableRule[] }[] = [];
  for (const role of all) {
    if (!role.aggregationRule) continue;
    const rules = aggregatedRules(role, all);
    if (!isDeepStrictEqual(rules, role.rules ?? [])) updates.push({ name: role.metadata.name ?? '', rules });
  }
  return updates;
}
