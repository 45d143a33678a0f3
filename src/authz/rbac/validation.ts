// RBAC object validation, as kube-apiserver does it: pkg/apis/rbac/validation/validation.go, run on the object
// after v1 defaulting (pkg/apis/rbac/v1/defaults.go), with apimachinery's field.Error printing
// (staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go).
//
// Messages follow kube v1.33 (the version this server reports by default): bad values that are not plain strings
// print in Go syntax (`[]string{"/healthz"}`, `rbac.RoleRef{...}`), not as the JSON that v1.34 switched to.
// metadata (name, namespace, labels, ...) is the store's to validate and is not checked here. field.Error and the
// name and label checks (util/validation, api/validation/path) are apimachinery's: src/apimachinery/validation.ts.
import { RBAC_GROUP } from '../../apimachinery/group-version.js';
import { decodeStrict, goPtr, goSlice, goString, goStringMap, goStrings, goStruct, kindSchema, type StructSchema } from '../../apimachinery/go-decode.js';
import { documentOf } from '../../apimachinery/json-reader.js';
import { cloneJson } from '../../apimachinery/json-value.js';
import type { FieldError, KubeObject } from '../../apimachinery/object.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  goQuote,
  goStringSlice,
  GoValue,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validatePathSegmentName,
} from '../../apimachinery/validation.js';
import { RBAC_API_VERSION, RBAC_KINDS } from './types.js';
import type { RbacKind } from './types.js';
import { appendAll } from '../../util/append-all.js';
import { isRecord } from '../../apimachinery/json-value.js';

// ---------------------------------------------------------------------------------------------------------------
// Decoding: what kube's strict JSON decoder says before validation ever runs (a 400, not a 422).

const POLICY_RULE = goStruct('PolicyRule', 'v1', {
  verbs: goStrings(),
  apiGroups: goStrings(),
  resources: goStrings(),
  resourceNames: goStrings(),
  nonResourceURLs: goStrings(),
});

const LABEL_SELECTOR = goStruct('LabelSelector', 'v1', {
  matchLabels: goStringMap,
  matchExpressions: goSlice(
    goStruct('LabelSelectorRequirement', 'v1', { key: goString(), operator: goString('v1.LabelSelectorOperator'), values: goStrings() }),
  ),
});

const SUBJECT = goStruct('Subject', 'v1', { kind: goString(), apiGroup: goString(), name: goString(), namespace: goString() });
const ROLE_REF = goStruct('RoleRef', 'v1', { apiGroup: goString(), kind: goString(), name: goString() });
const RULES = goSlice(POLICY_RULE);
const BINDING_FIELDS = { subjects: goSlice(SUBJECT), roleRef: ROLE_REF };

/** The Go types of the RBAC kinds (k8s.io/api/rbac/v1/types.go), for the strict decoder. */
export const RBAC_SCHEMAS: Readonly<Record<RbacKind, StructSchema>> = {
  Role: kindSchema('Role', { rules: RULES }),
  ClusterRole: kindSchema('ClusterRole', {
    rules: RULES,
    aggregationRule: goPtr(goStruct('AggregationRule', 'v1', { clusterRoleSelectors: goSlice(LABEL_SELECTOR) })),
  }),
  RoleBinding: kindSchema('RoleBinding', BINDING_FIELDS),
  ClusterRoleBinding: kindSchema('ClusterRoleBinding', BINDING_FIELDS),
};

/**
 * What kube-apiserver answers (as a 400 BadRequest) when an RBAC object's JSON does not decode into its Go type,
 * or has fields the type lacks (kubectl asks for strict field validation):
 * `Role in version "v1" cannot be handled as a Role: json: cannot unmarshal string into Go struct field
 * PolicyRule.rules.verbs of type []string`, or `... strict decoding error: unknown field "rules[0].resourceName"`.
 * undefined when the object decodes. apiVersion and kind are taken as they are; check them first.
 */
export function rbacDecodeError(obj: unknown): string | undefined {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'Object is not a JSON object';
  const kind = (obj as Record<string, unknown>).kind;
  if (typeof kind !== 'string' || !(RBAC_KINDS as readonly string[]).includes(kind)) return undefined;
  const rbacKind = kind as RbacKind;
  const decoded = decodeStrict(documentOf(obj), RBAC_SCHEMAS[rbacKind]);
  const prefix = `${rbacKind} in version "v1" cannot be handled as a ${rbacKind}: `;
  if (decoded.typeError !== undefined) return prefix + decoded.typeError;
  if (decoded.strict.length > 0) return `${prefix}strict decoding error: ${decoded.strict.join(', ')}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Defaulting (pkg/apis/rbac/v1/defaults.go): what the server stores, and what validation sees.

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function asStrings(value: unknown): string[] {
  return asArray(value).map(asString);
}

/**
 * A copy of the object with kube's v1 defaults applied: roleRef.apiGroup and the apiGroup of User and Group
 * subjects become rbac.authorization.k8s.io when empty. Other kinds are returned copied, unchanged.
 */
export function applyRbacDefaults<T extends KubeObject>(obj: T): T {
  const copy = cloneJson(obj);
  if (copy.kind !== 'RoleBinding' && copy.kind !== 'ClusterRoleBinding') return copy;
  // roleRef is a struct, not a pointer, in Go: an absent or null roleRef is the zero RoleRef, defaulted too.
  if (copy.roleRef === undefined || copy.roleRef === null) (copy as KubeObject).roleRef = { apiGroup: '', kind: '', name: '' };
  const roleRef = copy.roleRef;
  if (isRecord(roleRef) && asString(roleRef.apiGroup) === '') roleRef.apiGroup = RBAC_GROUP;
  for (const subject of asArray(copy.subjects)) {
    if (!isRecord(subject) || asString(subject.apiGroup) !== '') continue;
    if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// validation.go

function validatePolicyRule(rule: unknown, isNamespaced: boolean, path: string): FieldError[] {
  const r = isRecord(rule) ? rule : {};
  const verbs = asStrings(r.verbs);
  const apiGroups = asStrings(r.apiGroups);
  const resources = asStrings(r.resources);
  const resourceNames = asStrings(r.resourceNames);
  const nonResourceURLs = asStrings(r.nonResourceURLs);
  const errs: FieldError[] = [];
  if (verbs.length === 0) errs.push(fieldRequired(`${path}.verbs`, 'verbs must contain at least one value'));
  if (nonResourceURLs.length > 0) {
    const urls = goStringSlice(nonResourceURLs);
    if (isNamespaced) {
      errs.push(fieldInvalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    }
    if (apiGroups.length > 0 || resources.length > 0 || resourceNames.length > 0) {
      errs.push(
        fieldInvalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'),
      );
    }
    return errs;
  }
  if (apiGroups.length === 0) {
    errs.push(fieldRequired(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  }
  if (resources.length === 0) {
    errs.push(fieldRequired(`${path}.resources`, 'resource rules must supply at least one resource'));
  }
  return errs;
}

function validateRules(rules: unknown, isNamespaced: boolean): FieldError[] {
  return asArray(rules).flatMap((rule, i) => validatePolicyRule(rule, isNamespaced, `rules[${i}]`));
}

// metav1validation.ValidateLabelSelector, with the ClusterRole strategy's AllowInvalidLabelValueInSelector.
function validateLabelSelector(selector: unknown, allowInvalidValues: boolean, path: string): FieldError[] {
  const sel = isRecord(selector) ? selector : {};
  const errs: FieldError[] = [];
  const labelsPath = `${path}.matchLabels`;
  for (const [key, value] of Object.entries(isRecord(sel.matchLabels) ? sel.matchLabels : {})) {
    for (const msg of isQualifiedName(key)) errs.push(fieldInvalid(labelsPath, key, msg));
    for (const msg of isValidLabelValue(asString(value))) errs.push(fieldInvalid(labelsPath, asString(value), msg));
  }
  asArray(sel.matchExpressions).forEach((expr, i) => {
    const e = isRecord(expr) ? expr : {};
    const exprPath = `${path}.matchExpressions[${i}]`;
    const operator = asString(e.operator);
    const values = asStrings(e.values);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        errs.push(fieldRequired(`${exprPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        errs.push(fieldForbidden(`${exprPath}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
    } else {
      errs.push(fieldInvalid(`${exprPath}.operator`, operator, 'not a valid selector operator'));
    }
    const key = asString(e.key);
    for (const msg of isQualifiedName(key)) errs.push(fieldInvalid(`${exprPath}.key`, key, msg));
    if (!allowInvalidValues) {
      values.forEach((value, j) => {
        for (const msg of isValidLabelValue(value)) errs.push(fieldInvalid(`${exprPath}.values[${j}]`, value, msg));
      });
    }
  });
  return errs;
}

// Whether metav1.LabelSelectorAsSelector accepts the selector (it checks keys and values whatever the options).
function labelSelectorConverts(selector: unknown): boolean {
  const sel = isRecord(selector) ? selector : {};
  for (const [key, value] of Object.entries(isRecord(sel.matchLabels) ? sel.matchLabels : {})) {
    if (isQualifiedName(key).length > 0 || isValidLabelValue(asString(value)).length > 0) return false;
  }
  for (const expr of asArray(sel.matchExpressions)) {
    const e = isRecord(expr) ? expr : {};
    const operator = asString(e.operator);
    const values = asStrings(e.values);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) return false;
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) return false;
    } else {
      return false;
    }
    if (isQualifiedName(asString(e.key)).length > 0) return false;
    if (values.some((v) => isValidLabelValue(v).length > 0)) return false;
  }
  return true;
}

function validateAggregationRule(aggregationRule: unknown, allowInvalidValues: boolean): FieldError[] {
  if (aggregationRule === null || aggregationRule === undefined) return [];
  const rule = isRecord(aggregationRule) ? aggregationRule : {};
  const selectors = asArray(rule.clusterRoleSelectors);
  const errs: FieldError[] = [];
  if (selectors.length === 0) {
    errs.push(
      fieldRequired(
        'aggregationRule.clusterRoleSelectors',
        'at least one clusterRoleSelector required if aggregationRule is non-nil',
      ),
    );
  }
  selectors.forEach((selector, i) => {
    const path = `aggregationRule.clusterRoleSelectors[${i}]`;
    appendAll(errs, validateLabelSelector(selector, allowInvalidValues, path));
    // kube passes the nil labels.Selector the failed conversion returned, which prints as "null".
    if (!labelSelectorConverts(selector)) errs.push(fieldInvalid(path, 'null', 'invalid label selector.'));
  });
  return errs;
}

function validateSubject(subject: unknown, isNamespaced: boolean, path: string): FieldError[] {
  const s = isRecord(subject) ? subject : {};
  const name = asString(s.name);
  const kind = asString(s.kind);
  const apiGroup = asString(s.apiGroup);
  const errs: FieldError[] = [];
  if (name.length === 0) errs.push(fieldRequired(`${path}.name`));
  switch (kind) {
    case 'ServiceAccount':
      if (name.length > 0) {
        for (const msg of isDNS1123Subdomain(name)) errs.push(fieldInvalid(`${path}.name`, name, msg));
      }
      if (apiGroup.length > 0) errs.push(fieldNotSupported(`${path}.apiGroup`, apiGroup, ['']));
      // In a RoleBinding an empty namespace means the binding's own namespace.
      if (!isNamespaced && asString(s.namespace).length === 0) errs.push(fieldRequired(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(fieldNotSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(fieldNotSupported(`${path}.kind`, kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KubeObject, isNamespaced: boolean): FieldError[] {
  const roleRef = isRecord(obj.roleRef) ? obj.roleRef : {};
  const apiGroup = asString(roleRef.apiGroup);
  const kind = asString(roleRef.kind);
  const name = asString(roleRef.name);
  const errs: FieldError[] = [];
  if (apiGroup !== RBAC_GROUP) errs.push(fieldNotSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kinds = isNamespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(kind)) errs.push(fieldNotSupported('roleRef.kind', kind, kinds));
  if (name.length === 0) {
    errs.push(fieldRequired('roleRef.name'));
  } else {
    for (const msg of validatePathSegmentName(name, false)) errs.push(fieldInvalid('roleRef.name', name, msg));
  }
  asArray(obj.subjects).forEach((subject, i) => appendAll(errs, validateSubject(subject, isNamespaced, `subjects[${i}]`)));
  return errs;
}

function validateDefaulted(obj: KubeObject, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.apiVersion !== RBAC_API_VERSION) errs.push(fieldNotSupported('apiVersion', asString(obj.apiVersion), [RBAC_API_VERSION]));
  switch (obj.kind) {
    case 'Role':
      return [...errs, ...validateRules(obj.rules, true)];
    case 'ClusterRole':
      return [
        ...errs,
        ...validateRules(obj.rules, false),
        ...validateAggregationRule(obj.aggregationRule, allowInvalidLabelValueInSelector),
      ];
    case 'RoleBinding':
      return [...errs, ...validateBinding(obj, true)];
    case 'ClusterRoleBinding':
      return [...errs, ...validateBinding(obj, false)];
    default:
      return [...errs, fieldNotSupported('kind', asString(obj.kind), RBAC_KINDS)];
  }
}

/**
 * The field errors kube-apiserver's create validation finds in a Role, ClusterRole, RoleBinding or
 * ClusterRoleBinding (after v1 defaulting), in kube's order; empty when the object is valid.
 * Malformed field types are read as absent: check rbacDecodeError first to answer those as kube does.
 */
export function validateRbacObject(obj: KubeObject): FieldError[] {
  return validateDefaulted(applyRbacDefaults(obj), false);
}

function hasInvalidSelectorValues(obj: KubeObject): boolean {
  if (obj.kind !== 'ClusterRole' || !isRecord(obj.aggregationRule)) return false;
  return asArray(obj.aggregationRule.clusterRoleSelectors).some((selector) =>
    asArray(isRecord(selector) ? selector.matchExpressions : undefined).some((expr) =>
      asStrings(isRecord(expr) ? expr.values : undefined).some((v) => isValidLabelValue(v).length > 0),
    ),
  );
}

function goRoleRef(ref: unknown): string {
  const r = isRecord(ref) ? ref : {};
  return `rbac.RoleRef{APIGroup:${goQuote(asString(r.apiGroup))}, Kind:${goQuote(asString(r.kind))}, Name:${goQuote(asString(r.name))}}`;
}

/**
 * kube's update validation: everything create checks, plus `roleRef: Invalid value: rbac.RoleRef{...}: cannot
 * change roleRef` when a binding's roleRef differs from the stored one. As kube's ClusterRole strategy does, label
 * values in aggregation selectors are not checked when the stored object already had invalid ones.
 */
export function validateRbacUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = applyRbacDefaults(obj);
  const prev = applyRbacDefaults(old);
  const errs = validateDefaulted(next, hasInvalidSelectorValues(prev));
  if (next.kind === 'RoleBinding' || next.kind === 'ClusterRoleBinding') {
    if (goRoleRef(next.roleRef) !== goRoleRef(prev.roleRef)) {
      errs.push(fieldInvalid('roleRef', new GoValue(goRoleRef(next.roleRef)), 'cannot change roleRef'));
    }
  }
  return errs;
}
