// Evaluates one role's rules with casbin, using the model in policies/rbac-model.conf.
import { readFileSync } from 'node:fs';
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, verbMatches, type MatchableRequest, type MatchableRule } from './rules.js';

/** policies/rbac-model.conf, found from src/authz/rbac and from dist/authz/rbac alike (both three levels below the package). */
export const RBAC_MODEL_FILE = new URL('../../../policies/rbac-model.conf', import.meta.url);

let modelText: string | undefined;

/** The model file's text, read once. */
export function rbacModelText(): string {
  modelText ??= readFileSync(RBAC_MODEL_FILE, 'utf8');
  return modelText;
}

// The model's policy lines hold each list as its JSON text: kube lets any string into a rule (a verb, name or
// URL may hold a newline or a NUL), so no separator character could split a list back unambiguously, and a
// rule naming the verb "get\nlist" must not grant get.
const encode = (values: readonly string[] | undefined): string => JSON.stringify(values ?? []);

/** One PolicyRule as a casbin policy line: verbs, apiGroups, resources, resourceNames, nonResourceURLs. */
export function policyLine(rule: MatchableRule): string[] {
  return [encode(rule.verbs), encode(rule.apiGroups), encode(rule.resources), encode(rule.resourceNames), encode(rule.nonResourceURLs)];
}

/** A request as the model's request line: isResource, verb, apiGroup, resource, subresource, name, path. */
export function requestLine(req: MatchableRequest): string[] {
  return [String(req.isResourceRequest), req.verb, req.apiGroup, req.resource, req.subresource, req.name, req.path];
}

// The fields are JSON texts, which hold no raw NUL, so joining them with one is unambiguous.
const lineKey = (line: readonly string[]): string => line.join('\u0000');

/** A role compiled for evaluation: its rules as the policy of its own casbin enforcer. */
export class RoleEvaluator {
  private constructor(
    private readonly enforcer: Enforcer,
    readonly rules: readonly MatchableRule[],
    /** The index of the first rule written as each policy line (casbin holds each line once). */
    private readonly ruleOfLine: ReadonlyMap<string, number>,
  ) {}

  /** Builds the enforcer for a list of rules (an empty list allows nothing). */
  static async compile(rules: readonly MatchableRule[]): Promise<RoleEvaluator> {
    const enforcer = await newEnforcer(newModelFromString(rbacModelText()));
    // Each list is decoded once, at compile time; the matcher functions only look it up.
    const decoded = new Map<string, string[]>();
    const split = (encoded: string): string[] => {
      let values = decoded.get(encoded);
      if (values === undefined) decoded.set(encoded, (values = JSON.parse(encoded) as string[]));
      return values;
    };
    await enforcer.addFunction('verbMatches', (verbs: string, verb: string) => verbMatches(split(verbs), verb));
    await enforcer.addFunction('apiGroupMatches', (groups: string, group: string) => apiGroupMatches(split(groups), group));
    await enforcer.addFunction('resourceMatches', (resources: string, resource: string, sub: string) => resourceMatches(split(resources), resource, sub));
    await enforcer.addFunction('resourceNameMatches', (names: string, name: string) => resourceNameMatches(split(names), name));
    await enforcer.addFunction('nonResourceURLMatches', (urls: string, path: string) => nonResourceURLMatches(split(urls), path));
    // casbin refuses a batch that repeats a line; aggregated roles often do. The first rule of each line is
    // the one casbin's answer names, since casbin tries its lines in order.
    const lines = new Map<string, { line: string[]; rule: number }>();
    rules.forEach((rule, i) => {
      const line = policyLine(rule);
      const key = lineKey(line);
      if (!lines.has(key)) lines.set(key, { line, rule: i });
    });
    if (lines.size > 0) await enforcer.addPolicies([...lines.values()].map((l) => l.line));
    return new RoleEvaluator(enforcer, rules, new Map([...lines].map(([key, l]) => [key, l.rule])));
  }

  /**
   * casbin's answer for a request: the index of the rule that allows it, or -1. casbin tries the rules in
   * order and stops at the first that allows (enforceEx names it), so every rule before it was tried and
   * did not match, and the rules after it were not tried.
   */
  firstAllowing(req: MatchableRequest): number {
    if (this.rules.length === 0) return -1;
    const [allowed, matched] = this.enforcer.enforceExSync(...requestLine(req));
    if (!allowed) return -1;
    return this.ruleOfLine.get(lineKey(matched)) ?? -1;
  }
}
