// authorization.k8s.io/v1: SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview and
// SelfSubjectRulesReview. Sources: pkg/registry/authorization/{subjectaccessreview,localsubjectaccessreview,
// selfsubjectaccessreview,selfsubjectrulesreview}/rest.go, pkg/registry/authorization/util/helpers.go
// (ResourceAttributesFrom, NonResourceAttributesFrom) and pkg/apis/authorization/validation/validation.go.
import type { UserInfo } from '../../authn/types.js';
import type { Attributes, Authorizer, RuleResolver } from '../../authz/types.js';
import { requestInfoOf, userOf, type KubeContext } from '../../request/state.js';
import { decodeBody } from '../codec/body.js';
import { goBool, goPtr, goSlice, goString, goStrings, goStruct, kindSchema, type Schema, type StructSchema } from '../../apimachinery/go-decode.js';
import { writeParams } from '../rest/query.js';
import type { ServedGroupVersion, ServedResource } from '../registry.js';
import type { ApiGroup } from './group.js';
import { writeObject } from '../respond.js';
import { badRequest, invalid as invalidStatus, type FieldErrorLike } from '../../apimachinery/status.js';
import { aggregateMessage } from '../../apimachinery/aggregate.js';
import { fieldForbidden, fieldInvalid, fieldRequired, isQualifiedName, isValidLabelValue } from '../../apimachinery/validation.js';
import { parseFieldSelector } from '../../apimachinery/fields.js';
import { parseLabelSelector } from '../../apimachinery/labels.js';

const GROUP = 'authorization.k8s.io';
const VERSION = 'v1';

// The review kinds' Go types (k8s.io/api/authorization/v1/types.go), for kube's strict decoder: type errors are
// 400, unknown fields are dropped (never echoed) and reported as fieldValidation asks.
const EXTRA: Schema = { t: 'map', of: goStrings('v1.ExtraValue'), go: 'map[string]v1.ExtraValue' };
// Pointer fields (*ResourceAttributes, *FieldSelectorAttributes, ...) are goPtr: null makes them nil, where it leaves a struct value as it is.
const RESOURCE_ATTRIBUTES = goStruct('ResourceAttributes', 'v1', {
  namespace: goString(),
  verb: goString(),
  group: goString(),
  version: goString(),
  resource: goString(),
  subresource: goString(),
  name: goString(),
  fieldSelector: goPtr(goStruct('FieldSelectorAttributes', 'v1', {
    rawSelector: goString(),
    requirements: goSlice(goStruct('FieldSelectorRequirement', 'v1', { key: goString(), operator: goString('v1.FieldSelectorOperator'), values: goStrings() })),
  })),
  labelSelector: goPtr(goStruct('LabelSelectorAttributes', 'v1', {
    rawSelector: goString(),
    requirements: goSlice(goStruct('LabelSelectorRequirement', 'v1', { key: goString(), operator: goString('v1.LabelSelectorOperator'), values: goStrings() })),
  })),
});
const NON_RESOURCE_ATTRIBUTES = goStruct('NonResourceAttributes', 'v1', { path: goString(), verb: goString() });
const ACCESS_REVIEW_STATUS = goStruct('SubjectAccessReviewStatus', 'v1', { allowed: goBool, denied: goBool, reason: goString(), evaluationError: goString() });
const SUBJECT_ACCESS_REVIEW_SPEC = goStruct('SubjectAccessReviewSpec', 'v1', {
  resourceAttributes: goPtr(RESOURCE_ATTRIBUTES),
  nonResourceAttributes: goPtr(NON_RESOURCE_ATTRIBUTES),
  user: goString(),
  groups: goStrings(),
  extra: EXTRA,
  uid: goString(),
});
const SCHEMAS: Record<'SubjectAccessReview' | 'LocalSubjectAccessReview' | 'SelfSubjectAccessReview' | 'SelfSubjectRulesReview', StructSchema> = {
  SubjectAccessReview: kindSchema('SubjectAccessReview', { spec: SUBJECT_ACCESS_REVIEW_SPEC, status: ACCESS_REVIEW_STATUS }),
  LocalSubjectAccessReview: kindSchema('LocalSubjectAccessReview', { spec: SUBJECT_ACCESS_REVIEW_SPEC, status: ACCESS_REVIEW_STATUS }),
  SelfSubjectAccessReview: kindSchema('SelfSubjectAccessReview', {
    spec: goStruct('SelfSubjectAccessReviewSpec', 'v1', { resourceAttributes: goPtr(RESOURCE_ATTRIBUTES), nonResourceAttributes: goPtr(NON_RESOURCE_ATTRIBUTES) }),
    status: ACCESS_REVIEW_STATUS,
  }),
  SelfSubjectRulesReview: kindSchema('SelfSubjectRulesReview', {
    spec: goStruct('SelfSubjectRulesReviewSpec', 'v1', { namespace: goString() }),
    status: goStruct('SubjectRulesReviewStatus', 'v1', {
      resourceRules: goSlice(goStruct('ResourceRule', 'v1', { verbs: goStrings(), apiGroups: goStrings(), resources: goStrings(), resourceNames: goStrings() })),
      nonResourceRules: goSlice(goStruct('NonResourceRule', 'v1', { verbs: goStrings(), nonResourceURLs: goStrings() })),
      incomplete: goBool,
      evaluationError: goString(),
    }),
  }),
};

/** Reads a review body as kube's create handler does (createHandler with the kind's CreateOptions). */
async function decodeReview(ctx: KubeContext, kind: keyof typeof SCHEMAS): Promise<Obj> {
  const { fieldValidation } = writeParams(ctx, 'CreateOptions');
  return decodeBody(ctx, { group: GROUP, version: VERSION, kind }, { schema: SCHEMAS[kind], fieldValidation });
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Whether a decoded value is Go's zero value as apiequality.Semantic compares it (nil and empty slices and maps are equal). */
const isGoZero = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (typeof v === 'object' && Object.keys(v as object).length === 0);

/** Every field of these review specs is `omitempty`: a pointer to a struct is left out only when nil. */
const POINTER_FIELDS = new Set(['resourceAttributes', 'nonResourceAttributes', 'fieldSelector', 'labelSelector']);

/**
 * The spec as kube writes it back after decoding it into its Go type: `omitempty` drops empty strings, slices and
 * maps (`groups: []`, `extra: {}`, `user: ""`), while a non-nil pointer to an empty struct stays `{}`. The
 * selector requirements' key and operator have no omitempty.
 */
function goEncodedSpec(value: Obj): Obj {
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'requirements' && Array.isArray(v)) {
      if (v.length > 0) out[key] = v.map((r) => Object.fromEntries(Object.entries(asObj(r) ?? {}).filter(([k, x]) => k === 'key' || k === 'operator' || !isGoZero(x))));
      continue;
    }
    const obj = asObj(v);
    if (POINTER_FIELDS.has(key) && obj !== undefined) out[key] = goEncodedSpec(obj);
    else if (!isGoZero(v)) out[key] = v;
  }
  return out;
}

/** Go's field.Invalid body for a value that is absent: kube prints a nil pointer as "null". */
function invalid(field: string, value: unknown, detail: string): FieldErrorLike {
  const shown = JSON.stringify(value === undefined || value === null ? 'null' : value);
  return { field, reason: 'FieldValueInvalid', message: `${field}: Invalid value: ${shown}: ${detail}` };
}

/** kube's ResourceAttributesFrom / NonResourceAttributesFrom: the attributes a review asks about. */
export function attributesFromSpec(user: UserInfo, spec: Obj): Attributes {
  const res = asObj(spec.resourceAttributes);
  if (res) {
    return {
      user,
      verb: str(res.verb),
      isResourceRequest: true,
      path: '',
      namespace: str(res.namespace),
      apiGroup: str(res.group),
      apiVersion: str(res.version) || '*',
      resource: str(res.resource),
      subresource: str(res.subresource),
      name: str(res.name),
    };
  }
  const non = asObj(spec.nonResourceAttributes) ?? {};
  return { user, verb: str(non.verb), isResourceRequest: false, path: str(non.path), namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

/** kube's ValidateSubjectAccessReviewSpec (and the self and local variants' differences). */
function validateSpec(spec: Obj, kind: 'SubjectAccessReview' | 'SelfSubjectAccessReview' | 'LocalSubjectAccessReview'): FieldErrorLike[] {
  const errs: FieldErrorLike[] = [];
  const hasRes = asObj(spec.resourceAttributes) !== undefined;
  const hasNon = asObj(spec.nonResourceAttributes) !== undefined;
  if (hasRes && hasNon) errs.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  if (!hasRes && !hasNon) errs.push(invalid('spec.resourceAttributes', spec.nonResourceAttributes, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (kind !== 'SelfSubjectAccessReview' && str(spec.user) === '' && strList(spec.groups).length === 0) {
    errs.push(invalid('spec.user', str(spec.user), 'at least one of user or group must be specified'));
  }
  const res = asObj(spec.resourceAttributes);
  if (res !== undefined) {
    errs.push(...validateSelectorAttributes(asObj(res.fieldSelector), 'spec.resourceAttributes.fieldSelector', 'field'));
    errs.push(...validateSelectorAttributes(asObj(res.labelSelector), 'spec.resourceAttributes.labelSelector', 'label'));
  }
  return errs;
}

/**
 * validateFieldSelectorAttributes / validateLabelSelectorAttributes (KEP-4601): rawSelector or requirements, not both
 * nor neither; each requirement as metav1 validates it, unknown operators allowed (a newer client's), label keys
 * qualified names and label values valid label values.
 */
function validateSelectorAttributes(selector: Obj | undefined, path: string, kind: 'field' | 'label'): FieldErrorLike[] {
  if (selector === undefined) return [];
  const errs: FieldErrorLike[] = [];
  const raw = str(selector.rawSelector);
  const requirements = Array.isArray(selector.requirements) ? selector.requirements : [];
  if (raw !== '' && requirements.length > 0) errs.push(fieldInvalid(`${path}.rawSelector`, raw, 'may not specified at the same time as requirements'));
  if (raw === '' && requirements.length === 0) errs.push(fieldRequired(`${path}.requirements`, `when ${path} is specified, requirements or rawSelector is required`));
  requirements.forEach((r, i) => {
    const req = asObj(r) ?? {};
    const at = `${path}.requirements[${i}]`;
    const key = str(req.key);
    const values = strList(req.values);
    if (kind === 'field' && key === '') errs.push(fieldRequired(`${at}.key`, 'must be specified'));
    const operator = str(req.operator);
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) errs.push(fieldRequired(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) errs.push(fieldForbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    if (kind === 'label') {
      for (const msg of isQualifiedName(key)) errs.push(fieldInvalid(`${at}.key`, key, msg));
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(v)) errs.push(fieldInvalid(`${at}.values[${j}]`, v, msg));
      });
    }
  });
  return errs;
}

const LABEL_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * The selectors as kube's ResourceAttributesFrom reads them (pkg/registry/authorization/util/helpers.go), for what
 * BuildEvaluationError says: a requirement kube cannot use is dropped ("partially ignored" when others remain,
 * "ignored" when none do); a raw selector that does not parse is ignored whole.
 */
function selectorEvaluationErrors(res: Obj | undefined): string[] {
  if (res === undefined) return [];
  const out: string[] = [];
  const field = asObj(res.fieldSelector);
  if (field !== undefined) {
    const kept = selectorKept(field, (raw) => parseFieldSelector(raw), (r) => {
      const values = strList(r.values);
      const op = str(r.operator);
      return values.length <= 1 && (op === 'In' || op === 'NotIn') && values.length === 1;
    });
    if (kept !== undefined) out.push(`spec.resourceAttributes.fieldSelector ${kept ? 'partially ' : ''}ignored due to parse error`);
  }
  const label = asObj(res.labelSelector);
  if (label !== undefined) {
    const kept = selectorKept(label, (raw) => parseLabelSelector(raw), (r) => LABEL_OPERATORS.has(str(r.operator)));
    if (kept !== undefined) out.push(`spec.resourceAttributes.labelSelector ${kept ? 'partially ' : ''}ignored due to parse error`);
  }
  return out;
}

/** undefined when the selector parses whole; else whether any requirement was kept. */
function selectorKept(selector: Obj, parseRaw: (raw: string) => unknown, usable: (requirement: Obj) => boolean): boolean | undefined {
  const raw = str(selector.rawSelector);
  const requirements = Array.isArray(selector.requirements) ? selector.requirements.map((r) => asObj(r) ?? {}) : [];
  if (requirements.length > 0) {
    const good = requirements.filter(usable).length;
    return good === requirements.length ? undefined : good > 0;
  }
  if (raw === '') return undefined;
  try {
    parseRaw(raw);
    return undefined;
  } catch {
    return false;
  }
}

/** The review's status in kube's JSON: allowed always present, the rest omitted when empty. */
async function reviewStatus(authorizer: Authorizer, attrs: Attributes, resourceAttributes: Obj | undefined): Promise<Obj> {
  const result = await authorizer.authorize(attrs);
  // BuildEvaluationError: the authorizer's error, then what the selectors lost, joined by "; ".
  const evaluationError = [...(result.error !== undefined ? [result.error] : []), ...selectorEvaluationErrors(resourceAttributes)].join('; ');
  return {
    allowed: result.decision === 'allow',
    ...(result.decision === 'deny' ? { denied: true } : {}),
    ...(result.reason !== '' ? { reason: result.reason } : {}),
    ...(evaluationError !== '' ? { evaluationError } : {}),
  };
}

function extraOf(spec: Obj): Record<string, string[]> {
  const extra = asObj(spec.extra) ?? {};
  return Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strList(v)]));
}

function review(kind: 'SubjectAccessReview' | 'LocalSubjectAccessReview' | 'SelfSubjectAccessReview', authorizer: Authorizer): ServedResource {
  const plural = `${kind.toLowerCase()}s`;
  return {
    name: plural,
    singularName: kind.toLowerCase(),
    namespaced: kind === 'LocalSubjectAccessReview',
    kind,
    handlers: {
      create: async (ctx: KubeContext) => {
        const body = await decodeReview(ctx, kind);
        const spec = asObj(body.spec) ?? {};
        const metadata = asObj(body.metadata) ?? {};
        if (kind === 'LocalSubjectAccessReview') {
          const namespace = requestInfoOf(ctx).namespace;
          const res = asObj(spec.resourceAttributes);
          if (str(metadata.namespace) !== '' && str(metadata.namespace) !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        const errs = validateSpec(spec, kind);
        // ValidateSubjectAccessReview and its siblings: the object's metadata must be Semantic.DeepEqual to an empty
        // ObjectMeta once managedFields (which the create handler's field manager fills) are dropped, and for a local
        // review its namespace. Go's zero values (0, "", false, empty lists and maps) count as empty; a
        // creationTimestamp does not. kube prints the Go struct as the value; we print the JSON we were sent.
        const { managedFields: _managed, ...meta } = metadata;
        if (kind === 'LocalSubjectAccessReview') delete meta.namespace;
        if (!Object.values(meta).every(isGoZero)) {
          errs.push(invalid('metadata', JSON.stringify(metadata), kind === 'LocalSubjectAccessReview' ? 'must be empty except for namespace' : 'must be empty'));
        }
        if (kind === 'LocalSubjectAccessReview') {
          // ValidateLocalSubjectAccessReview: the attributes' namespace must be the review's own (the request's).
          const res = asObj(spec.resourceAttributes);
          if (res && str(res.namespace) !== requestInfoOf(ctx).namespace) errs.push(invalid('spec.resourceAttributes.namespace', str(res.namespace), 'must match metadata.namespace'));
          if (asObj(spec.nonResourceAttributes)) errs.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
        }
        // NewInvalid(authorizationapi.Kind(review.Kind), "", errs): the decoded internal object's Kind is empty, so
        // kube's message names ".authorization.k8s.io" and its details no kind (recorded: test/parity/snapshots/authorization/).
        if (errs.length > 0) throw invalidStatus(GROUP, '', '', errs);
        const user: UserInfo =
          kind === 'SelfSubjectAccessReview'
            ? userOf(ctx)
            : { name: str(spec.user), uid: str(spec.uid), groups: strList(spec.groups), extra: extraOf(spec) };
        const status = await reviewStatus(authorizer, attributesFromSpec(user, spec), asObj(spec.resourceAttributes));
        // kube returns the review it was given, spec included, with the status filled in.
        writeObject(ctx, 201, { kind: body.kind, apiVersion: body.apiVersion, metadata: { creationTimestamp: null, ...metadata }, spec: goEncodedSpec(spec), status });
      },
    },
  };
}

function rulesReview(ruleResolver: RuleResolver): ServedResource {
  return {
    name: 'selfsubjectrulesreviews',
    singularName: 'selfsubjectrulesreview',
    namespaced: false,
    kind: 'SelfSubjectRulesReview',
    handlers: {
      create: async (ctx: KubeContext) => {
        const body = await decodeReview(ctx, 'SelfSubjectRulesReview');
        const spec = asObj(body.spec) ?? {};
        const namespace = str(spec.namespace);
        if (namespace === '') throw badRequest('no namespace on request');
        const rules = ruleResolver.rulesReviewFor(userOf(ctx), namespace);
        const compact = <T extends Obj>(rule: T): T => Object.fromEntries(Object.entries(rule).filter(([, v]) => !(Array.isArray(v) && v.length === 0))) as T;
        // selfsubjectrulesreview/rest.go builds a new object: nothing of the request is echoed but its kind.
        writeObject(ctx, 201, {
          kind: 'SelfSubjectRulesReview',
          apiVersion: `${GROUP}/${VERSION}`,
          metadata: { creationTimestamp: null },
          spec: {},
          status: {
            resourceRules: rules.resourceRules.map((r) => compact(r as unknown as Obj)),
            nonResourceRules: rules.nonResourceRules.map((r) => compact(r as unknown as Obj)),
            incomplete: rules.incomplete,
            ...(rules.errors.length > 0 ? { evaluationError: aggregateMessage(rules.errors) } : {}),
          },
        });
      },
    },
  };
}

/** authorization.k8s.io/v1, served by the server's authorizer chain. */
export function authorizationApi(authorizer: Authorizer, ruleResolver: RuleResolver): ServedGroupVersion {
  return {
    group: GROUP,
    version: VERSION,
    resources: [review('LocalSubjectAccessReview', authorizer), review('SelfSubjectAccessReview', authorizer), rulesReview(ruleResolver), review('SubjectAccessReview', authorizer)],
  };
}

/** authorization.k8s.io: the access and rules reviews, nothing stored. */
export const authorizationGroup: ApiGroup = {
  name: GROUP,
  install(registry, deps) {
    registry.add(authorizationApi(deps.authorizer, deps.ruleResolver));
  },
};
