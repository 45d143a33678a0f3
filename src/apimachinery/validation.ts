// Field errors and the name, label and metadata checks every stored kind shares, with kube's messages.
// Sources (kube v1.33): staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Subdomain,
// IsDNS1123Label, IsQualifiedName, IsValidLabelValue, IsConfigMapKey, RegexError, MaxLenError),
// util/validation/field/errors.go (Error, ErrorBody), api/validation/generic.go (NameIsDNSSubdomain, maskTrailingDash),
// api/validation/path/name.go (ValidatePathSegmentName), api/validation/objectmeta.go (ValidateObjectMeta,
// ValidateObjectMetaUpdate) and apis/meta/v1/validation/validation.go (ValidateLabels).
import type { FieldError, KubeObject, ObjectMeta } from './object.js';
import { appendAll } from '../util/append-all.js';

/** A value printed as Go's %#v would, for field errors whose bad value is not a string or number. */
export class GoValue {
  constructor(readonly repr: string) {}
}

/** What a field error may carry as its bad value. */
export type BadValue = string | number | boolean | null | GoValue;

// The escapes strconv.Quote writes by name.
const GO_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/**
 * Go's strconv.Quote (what %q prints): the characters strconv.IsPrint accepts (letters, marks, numbers,
 * punctuation, symbols and the ASCII space) as they are, the rest escaped.
 */
export function goQuote(s: string): string {
  // One native scan: only the characters Go escapes reach the callback, so a strict error's path of megabytes
  // (a body's keys joined by dots) costs no per-character work.
  return `"${s.replace(/["\\]|[^ \p{L}\p{M}\p{N}\p{P}\p{S}]/gu, (ch) => {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') return `\\${ch}`;
    if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd'; // Go's JSON decoder has already replaced invalid UTF-16 with U+FFFD
    const escaped = GO_ESCAPES[cp];
    if (escaped !== undefined) return escaped;
    if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
    if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
    return `\\U${cp.toString(16).padStart(8, '0')}`;
  })}"`;
}

/** Go's sort.Strings order: bytes, which for UTF-8 is code point order (JS "<" compares UTF-16 units). */
export function compareGoStrings(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Whether Go's strconv.ParseInt(s, 10, 64) accepts s: an optional sign, decimal digits only, in int64 range. */
export function isGoInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n <= 2n ** 63n - 1n;
}

/** Go's %#v of a []string: `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[]): GoValue {
  return new GoValue(`[]string{${values.map(goQuote).join(', ')}}`);
}

function printValue(value: BadValue): string {
  if (value instanceof GoValue) return value.repr;
  if (value === null) return 'null';
  if (typeof value === 'string') return goQuote(value);
  return String(value);
}

/** kube's field.ErrorType values and their String(). */
const TYPE_TEXT: Record<string, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
};

// field.Error.ErrorBody: Required, Forbidden, TooLong and Internal never print the value.
function makeError(reason: string, field: string, value: BadValue | undefined, detail: string): FieldError {
  let body = TYPE_TEXT[reason] ?? reason;
  if (value !== undefined) body += `: ${printValue(value)}`;
  if (detail !== '') body += `: ${detail}`;
  return { field, reason, message: `${field}: ${body}` };
}

/** field.Invalid. */
export function fieldInvalid(field: string, value: BadValue, detail: string): FieldError {
  return makeError('FieldValueInvalid', field, value, detail);
}

/** field.Required. */
export function fieldRequired(field: string, detail = ''): FieldError {
  return makeError('FieldValueRequired', field, undefined, detail);
}

/** field.Forbidden. */
export function fieldForbidden(field: string, detail: string): FieldError {
  return makeError('FieldValueForbidden', field, undefined, detail);
}

/** field.Duplicate. */
export function fieldDuplicate(field: string, value: BadValue): FieldError {
  return makeError('FieldValueDuplicate', field, value, '');
}

/** field.TooLong (kube 1.33: "must have at most N bytes"). */
export function fieldTooLong(field: string, maxLength: number): FieldError {
  return makeError('FieldValueTooLong', field, undefined, `must have at most ${maxLength} bytes`);
}

/** field.NotSupported: `Unsupported value: "x": supported values: "a", "b"`. */
export function fieldNotSupported(field: string, value: BadValue, valid: readonly string[]): FieldError {
  return makeError('FieldValueNotSupported', field, value, valid.length > 0 ? `supported values: ${valid.map(goQuote).join(', ')}` : '');
}

// ----- util/validation/validation.go -----

/** MaxLenError (kube 1.33 wording). */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`, double space and all. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

/** Go's len(): bytes of the UTF-8 encoding. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** validation.IsDNS1123Label. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL_RE.test(value)) {
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** validation.IsDNS1123Subdomain. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

/** validation.IsQualifiedName: label keys, annotation keys, finalizers. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** validation.IsValidLabelValue. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_RE = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);

/** validation.IsConfigMapKey: keys of ConfigMap and Secret data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!CONFIG_MAP_KEY_RE.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

// ----- api/validation/generic.go and path/name.go -----

/** Which of kube's ValidateNameFuncs a kind uses for metadata.name. */
export type NameValidation = 'DNS1123Subdomain' | 'DNS1123Label' | 'PathSegmentName';

// maskTrailingDash, bug for bug: kube drops the last two characters, not one.
function maskTrailingDash(name: string): string {
  return name.endsWith('-') ? `${name.slice(0, Math.max(0, name.length - 2))}a` : name;
}

/** path.ValidatePathSegmentName: the minimal rule RBAC kinds use. */
export function validatePathSegmentName(name: string, prefix: boolean): string[] {
  if (!prefix) {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
  }
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** The kind's name function: NameIsDNSSubdomain, NameIsDNSLabel or ValidatePathSegmentName. */
export function validateName(kind: NameValidation, name: string, prefix: boolean): string[] {
  switch (kind) {
    case 'DNS1123Label':
      return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
    case 'PathSegmentName':
      return validatePathSegmentName(name, prefix);
    default:
      return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
  }
}

// ----- api/validation/objectmeta.go -----

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function isRecordOfStrings(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** v1validation.ValidateLabels: one error per bad key and per bad value, all on the map's path. */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (!isRecordOfStrings(labels)) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(fieldInvalid(field, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(fieldInvalid(field, String(v), m));
  }
  return errs;
}

/** ValidateAnnotations: keys are qualified names (case-insensitively), 256 KiB in all. */
export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  if (!isRecordOfStrings(annotations)) return [];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldInvalid(field, k, m));
    size += byteLength(k) + byteLength(String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldTooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  if (!Array.isArray(refs)) return [];
  const errs: FieldError[] = [];
  let controller = '';
  for (const ref of refs as Record<string, unknown>[]) {
    const apiVersion = typeof ref?.apiVersion === 'string' ? ref.apiVersion : '';
    const kind = typeof ref?.kind === 'string' ? ref.kind : '';
    const name = typeof ref?.name === 'string' ? ref.name : '';
    const uid = typeof ref?.uid === 'string' ? ref.uid : '';
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (version === '') errs.push(fieldInvalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') errs.push(fieldInvalid(`${field}.kind`, kind, 'must not be empty'));
    if (name === '') errs.push(fieldInvalid(`${field}.name`, name, 'must not be empty'));
    if (uid === '') errs.push(fieldInvalid(`${field}.uid`, uid, 'must not be empty'));
    if (ref?.controller === true) {
      const current = `${kind}/${name}`;
      if (controller !== '') {
        errs.push(fieldInvalid(field, new GoValue('[]v1.OwnerReference{...}'), `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${current}`));
      } else {
        controller = current;
      }
    }
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const errs: FieldError[] = [];
  for (const f of finalizers) for (const m of isQualifiedName(String(f))) errs.push(fieldInvalid(field, String(f), m));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(fieldInvalid(field, goStringSlice(finalizers.map(String)), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/**
 * ValidateObjectMeta after name generation: generateName and name against the kind's name function, the
 * namespace for namespaced kinds, generation, labels, annotations, owner references and finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, nameKind: NameValidation): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
  if (generateName !== '') {
    for (const m of validateName(nameKind, generateName, true)) errs.push(fieldInvalid('metadata.generateName', generateName, m));
  }
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (name === '') errs.push(fieldRequired('metadata.name', 'name or generateName is required'));
  else for (const m of validateName(nameKind, name, false)) errs.push(fieldInvalid('metadata.name', name, m));
  if (namespaced) {
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    if (ns === '') errs.push(fieldRequired('metadata.namespace'));
    else for (const m of isDNS1123Label(ns)) errs.push(fieldInvalid('metadata.namespace', ns, m));
  } else if (typeof meta.namespace === 'string' && meta.namespace !== '') {
    errs.push(fieldForbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(fieldInvalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  appendAll(errs, validateLabels(meta.labels, 'metadata.labels'));
  appendAll(errs, validateAnnotations(meta.annotations, 'metadata.annotations'));
  appendAll(errs, validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  appendAll(errs, validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/** The part of ValidateObjectMetaUpdate the store can get wrong: identity fields are immutable. */
export function validateObjectMetaUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (field: keyof ObjectMeta) => {
    const a = next.metadata[field];
    const b = old.metadata[field];
    if ((a ?? '') !== (b ?? '')) errs.push(fieldInvalid(`metadata.${String(field)}`, typeof a === 'string' ? a : null, 'field is immutable'));
  };
  immutable('name');
  immutable('namespace');
  immutable('uid');
  return errs;
}
