// The audit policy (--audit-policy-file), read, checked and evaluated as kube-apiserver does:
// staging/src/k8s.io/apiserver/pkg/audit/policy/reader.go (LoadPolicyFromFile / LoadPolicyFromBytes),
// pkg/apis/audit/validation/validation.go (ValidatePolicy), pkg/audit/policy/checker.go (NewPolicyRuleEvaluator,
// ruleMatches) and pkg/apis/audit/v1/types.go (Policy, PolicyRule, GroupResources). k8s.io/apiserver v0.34.4.
import { readFile } from 'node:fs/promises';
import { aggregateMessage } from '../apimachinery/aggregate.js';
import { decodeStrict, goBool, goBoolPtr, goSlice, goString, goStrings, goStruct, kindSchema } from '../apimachinery/go-decode.js';
import { documentOf } from '../apimachinery/json-reader.js';
import { fieldInvalid, fieldNotSupported, fieldRequired, goStringSlice, isDNS1123Subdomain } from '../apimachinery/validation.js';
import { YamlError, yamlToJson } from '../apimachinery/yaml.js';

/** audit.k8s.io Level, least to most. */
export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];
/** audit.k8s.io Stage. */
export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

/** audit/v1 GroupResources. */
export interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

/** audit/v1 PolicyRule. */
export interface PolicyRule {
  level: string;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: string[];
  omitManagedFields?: boolean | null;
}

/** audit/v1 Policy (its metadata is read and ignored, as kube ignores it). */
export interface AuditPolicy {
  rules: PolicyRule[];
  omitStages?: string[];
  omitManagedFields?: boolean;
}

/** What the policy decided for one request (kube's RequestAuditConfig). */
export interface RequestAuditConfig {
  level: AuditLevel;
  omitStages: AuditStage[];
  omitManagedFields: boolean;
}

/** The request attributes a rule looks at (kube's authorizer.Attributes); RequestInfo plus the user fits it. */
export interface AuditAttributes {
  /** undefined for a request that failed authentication (kube: attrs.GetUser() is nil). */
  user?: { name: string; groups: readonly string[] } | undefined;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

/** A policy checker: one decision per request. */
export type PolicyRuleEvaluator = (attrs: AuditAttributes) => RequestAuditConfig;

/** field.Error as the validation module prints it. */
type FieldError = ReturnType<typeof fieldInvalid>;

// ----- reading (reader.go) -----

const GROUP_RESOURCES = goStruct('GroupResources', 'v1', { group: goString(), resources: goStrings(), resourceNames: goStrings() });
const POLICY_RULE = goStruct('PolicyRule', 'v1', {
  level: goString('v1.Level'),
  users: goStrings(),
  userGroups: goStrings(),
  verbs: goStrings(),
  resources: goSlice(GROUP_RESOURCES as typeof GROUP_RESOURCES & { go: string }),
  namespaces: goStrings(),
  nonResourceURLs: goStrings(),
  omitStages: goStrings('[]v1.Stage'),
  omitManagedFields: goBoolPtr,
});
const POLICY = kindSchema('Policy', { rules: goSlice(POLICY_RULE), omitStages: goStrings('[]v1.Stage'), omitManagedFields: goBool });

/** The only group version reader.go accepts. */
const POLICY_API_VERSION = 'audit.k8s.io/v1';

/** A policy that could not be loaded; the message is kube's (without "loading audit policy file: "). */
export class AuditPolicyError extends Error {}

/** What loading a policy gave: the policy, and the strict-decoding complaint kube logs as a warning and goes on. */
export interface LoadedPolicy {
  policy: AuditPolicy;
  warning: string | undefined;
}

/** LoadPolicyFromBytes: YAML or JSON, apiVersion audit.k8s.io/v1 kind Policy, validated, at least one rule. */
export function loadPolicyFromBytes(text: string): LoadedPolicy {
  let value: unknown;
  try {
    value = yamlToJson(text).value;
  } catch (err) {
    if (err instanceof YamlError) throw new AuditPolicyError(`failed decoding: error converting YAML to JSON: ${err.message}`);
    throw err;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AuditPolicyError(`failed decoding: Object 'Kind' is missing in '${JSON.stringify(value)}'`);
  const obj = value as Record<string, unknown>;
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new AuditPolicyError(`failed decoding: Object 'Kind' is missing in '${JSON.stringify(value)}'`);
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  // The audit scheme knows Policy and Event (and their lists) in audit.k8s.io/v1 only (scheme.go, v1/register.go).
  if (apiVersion !== POLICY_API_VERSION || obj.kind !== 'Policy') {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    if (apiVersion !== POLICY_API_VERSION) throw new AuditPolicyError(`failed decoding: no kind "${obj.kind}" is registered for version "${apiVersion}" in scheme "pkg/audit/scheme.go:29"`);
    throw new AuditPolicyError(`unknown group version field ${group}/${version}, Kind=${obj.kind} in policy`);
  }
  const decoded = decodeStrict(documentOf(obj), POLICY);
  if (decoded.typeError !== undefined) throw new AuditPolicyError(`failed decoding: ${decoded.typeError}`);
  // reader.go: a strict error (unknown or repeated field) falls back to lenient decoding, with a warning.
  const warning = decoded.strict.length > 0 ? `Audit policy contains errors, falling back to lenient decoding: strict decoding error: ${decoded.strict.join(', ')}` : undefined;
  const policy = decoded.value as unknown as AuditPolicy;
  policy.rules ??= [];
  const errors = validatePolicy(policy);
  if (errors.length > 0) throw new AuditPolicyError(aggregateMessage(errors.map((e) => e.message)));
  if (policy.rules.length === 0) throw new AuditPolicyError('loaded illegal policy with 0 rules');
  return { policy, warning };
}

/** LoadPolicyFromFile: every problem ends with ": from file PATH", a read error names the path. */
export async function loadPolicyFromFile(file: string): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new AuditPolicyError(`failed to read file path "${file}": open ${file}: ${e.code === 'ENOENT' ? 'no such file or directory' : (e.message ?? String(err))}`);
  }
  try {
    return loadPolicyFromBytes(text);
  } catch (err) {
    if (err instanceof AuditPolicyError) throw new AuditPolicyError(`${err.message}: from file ${file}`);
    throw err;
  }
}

// ----- validation (apis/audit/validation/validation.go) -----

/** ValidatePolicy: the field errors, in kube's order. */
export function validatePolicy(policy: AuditPolicy): FieldError[] {
  const errs = validateOmitStages(policy.omitStages ?? [], 'omitStages');
  policy.rules.forEach((rule, i) => errs.push(...validatePolicyRule(rule, `rules[${i}]`)));
  return errs;
}

function validatePolicyRule(rule: PolicyRule, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.level === undefined || rule.level === '') errs.push(fieldRequired(`${path}.level`));
  else if (!(AUDIT_LEVELS as readonly string[]).includes(rule.level)) errs.push(fieldNotSupported(`${path}.level`, rule.level, AUDIT_LEVELS));
  (rule.nonResourceURLs ?? []).forEach((url, i) => {
    if (url === '*') return;
    const at = `${path}.nonResourceURLs[${i}]`;
    if (!url.startsWith('/')) errs.push(fieldInvalid(at, url, "non-resource URL rules must begin with a '/' character"));
    if (url !== '' && url.slice(0, -1).includes('*')) errs.push(fieldInvalid(at, url, "non-resource URL wildcards '*' must be the final character of the rule"));
  });
  for (const gr of rule.resources ?? []) {
    // kube names the field without the index: rules[0].resources.group.
    if (gr.group !== undefined && gr.group !== '') {
      const msgs = isDNS1123Subdomain(gr.group);
      if (msgs.length > 0) errs.push(fieldInvalid(`${path}.resources.group`, gr.group, msgs.join(',')));
    }
    if ((gr.resourceNames ?? []).length > 0 && (gr.resources ?? []).length === 0) {
      errs.push(fieldInvalid(`${path}.resources.resourceNames`, goStringSlice(gr.resourceNames ?? []), 'using resourceNames requires at least one resource'));
    }
  }
  errs.push(...validateOmitStages(rule.omitStages ?? [], `${path}.omitStages`));
  if ((rule.nonResourceURLs ?? []).length > 0 && ((rule.resources ?? []).length > 0 || (rule.namespaces ?? []).length > 0)) {
    errs.push(fieldInvalid(`${path}.nonResourceURLs`, goStringSlice(rule.nonResourceURLs ?? []), 'rules cannot apply to both regular resources and non-resource URLs'));
  }
  return errs;
}

function validateOmitStages(stages: readonly string[], path: string): FieldError[] {
  return stages.flatMap((stage, i) =>
    (AUDIT_STAGES as readonly string[]).includes(stage) ? [] : [fieldInvalid(`${path}[${i}]`, stage, `allowed stages are ${AUDIT_STAGES.join(',')}`)],
  );
}

// ----- evaluation (checker.go) -----

/** checker.go's DefaultAuditLevel: a request no rule matches is not audited. */
export const DEFAULT_AUDIT_LEVEL: AuditLevel = 'None';

function unionStages(...lists: (readonly string[] | undefined)[]): AuditStage[] {
  return [...new Set(lists.flatMap((l) => l ?? []))] as AuditStage[];
}

/** NewPolicyRuleEvaluator: the first matching rule decides; each rule's omitStages gain the policy's. */
export function newPolicyRuleEvaluator(policy: AuditPolicy): PolicyRuleEvaluator {
  const rules = policy.rules.map((rule) => ({ rule, omitStages: unionStages(policy.omitStages, rule.omitStages) }));
  const policyOmitManagedFields = policy.omitManagedFields === true;
  return (attrs) => {
    for (const { rule, omitStages } of rules) {
      if (ruleMatches(rule, attrs)) {
        // isOmitManagedFields: a rule's own setting overrides the policy's.
        const omitManagedFields = rule.omitManagedFields === undefined || rule.omitManagedFields === null ? policyOmitManagedFields : rule.omitManagedFields;
        return { level: rule.level as AuditLevel, omitStages, omitManagedFields };
      }
    }
    return { level: DEFAULT_AUDIT_LEVEL, omitStages: unionStages(policy.omitStages), omitManagedFields: policyOmitManagedFields };
  };
}

const nonEmpty = (list: readonly unknown[] | undefined): boolean => list !== undefined && list.length > 0;

function ruleMatches(r: PolicyRule, attrs: AuditAttributes): boolean {
  const user = attrs.user;
  if (nonEmpty(r.users) && (user === undefined || !r.users!.includes(user.name))) return false;
  if (nonEmpty(r.userGroups) && (user === undefined || !user.groups.some((g) => r.userGroups!.includes(g)))) return false;
  if (nonEmpty(r.verbs) && !r.verbs!.includes(attrs.verb)) return false;
  if (nonEmpty(r.namespaces) || nonEmpty(r.resources)) return ruleMatchesResource(r, attrs);
  if (nonEmpty(r.nonResourceURLs)) return !attrs.isResourceRequest && r.nonResourceURLs!.some((spec) => pathMatches(attrs.path, spec));
  return true;
}

/** "*", the path itself, or a prefix ending in "*". */
function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  // strings.TrimRight(spec, "*") strips every trailing star.
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function ruleMatchesResource(r: PolicyRule, attrs: AuditAttributes): boolean {
  if (!attrs.isResourceRequest) return false;
  // Non-namespaced resources have the namespace "".
  if (nonEmpty(r.namespaces) && !r.namespaces!.includes(attrs.namespace)) return false;
  if (!nonEmpty(r.resources)) return true;
  const { resource, subresource, name } = attrs;
  const combined = subresource !== '' ? `${resource}/${subresource}` : resource;
  for (const gr of r.resources!) {
    if ((gr.group ?? '') !== attrs.apiGroup) continue;
    if (!nonEmpty(gr.resources)) return true;
    for (const res of gr.resources!) {
      if (nonEmpty(gr.resourceNames) && !gr.resourceNames!.includes(name)) continue;
      if (res === combined || res === '*') return true;
      if (subresource !== '' && res.startsWith('*/') && subresource === res.slice(2)) return true;
      if (res.endsWith('/*') && resource === res.slice(0, -2)) return true;
    }
  }
  return false;
}
