// A request body decoded into a Go type as kube-apiserver's strict JSON decoder does it
// (k8s.io/apimachinery/pkg/runtime/serializer/json/json.go: kjson.UnmarshalStrict, sigs.k8s.io/json's fork of
// encoding/json/decode.go): type errors are UnmarshalTypeErrors (the first one wins, reported against the innermost
// struct and the JSON field stack), unknown and repeated fields are strict errors with their full path
// (`unknown field "spec.foo"`, `duplicate field "spec.verb"`, at most 100, each once), and what comes out holds
// only the fields the Go type has: unknown fields are dropped, as decoding into the struct drops them.
//
// The walk follows the schema, whose depth is fixed, so it may recurse; values of free-form fields (Go's
// interface{}) can be as deep as the reader allowed (10000) and are walked with an explicit stack.
import { goJsonTypeName } from './go-json.js';
import type { JsonDocument } from './json-reader.js';
import { goQuote } from './validation.js';

/** The Go type a JSON value decodes into, as far as decoding tells types apart. */
export type Schema =
  | { t: 'string'; go: string; ptr?: boolean }
  | { t: 'bool'; go: string; ptr?: boolean }
  | { t: 'int'; go: string; ptr?: boolean }
  | { t: 'bytes' }
  | { t: 'time' }
  | { t: 'slice'; of: Schema; go: string }
  | { t: 'map'; of: Schema; go: string }
  | StructSchema
  | { t: 'any' }
  /** A type that keeps its JSON unread (FieldsV1's UnmarshalJSON copies the bytes): no strict errors inside. */
  | { t: 'raw' };

/** A Go struct: its name (as UnmarshalTypeError prints it), its %v type name, and its JSON fields. */
export interface StructSchema {
  t: 'struct';
  name: string;
  go: string;
  fields: Record<string, Schema>;
  /** Reached through a pointer (*T): null makes it nil, where null leaves a struct value as it is. */
  ptr?: boolean;
}

/** The decoded object, the first type error (which makes the body a 400 whatever fieldValidation says), and the strict errors. */
export interface DecodeResult {
  value: Record<string, unknown>;
  typeError: string | undefined;
  strict: string[];
}

/** sigs.k8s.io/json's saveStrictError keeps at most this many. */
const MAX_STRICT_ERRORS = 100;

interface State {
  doc: JsonDocument;
  typeError: string | undefined;
  strict: string[];
  seen: Set<string>;
  /** A decoded slice's backing array when it holds elements past the slice's length (a repeat truncated it). */
  backing: WeakMap<unknown[], unknown[]>;
}

function strictError(st: State, type: 'unknown field' | 'duplicate field', path: string): void {
  if (st.strict.length >= MAX_STRICT_ERRORS) return;
  const msg = `${type} ${goQuote(path)}`;
  if (st.seen.has(msg)) return;
  st.seen.add(msg);
  st.strict.push(msg);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function zeroOf(schema: Schema): unknown {
  switch (schema.t) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    case 'struct':
      return {};
    default:
      return null;
  }
}

/** base64.StdEncoding as encoding/json decodes a []byte: the offset of the first byte it cannot take, or -1. */
export function base64ErrorOffset(s: string): number {
  let n = 0;
  let pad = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\r' || c === '\n') continue;
    if (c === '=') {
      if (pad < 0) pad = n;
      n++;
      continue;
    }
    if (pad >= 0 || !/[A-Za-z0-9+/]/.test(c)) return i;
    n++;
  }
  if (n % 4 !== 0) return s.length - (n % 4 === 1 ? 1 : 0);
  if (pad >= 0 && (n - pad > 2 || pad % 4 < 2)) return pad;
  return -1;
}

// A free-form value (interface{}): kept as read (the last of repeated keys wins, as objectInterface does), with
// its repeated keys reported. Iterative: the value may be 10000 levels deep.
function walkAny(value: unknown, path: string, st: State): unknown {
  if (!st.doc.hasRepeats) return value;
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${p}[${i}]`]);
    } else if (isObject(v)) {
      const keys = new Set<string>();
      const entries = st.doc.entriesOf(v);
      for (const [k] of entries) {
        if (keys.has(k)) strictError(st, 'duplicate field', child(p, k));
        keys.add(k);
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], child(p, entries[i]![0])]);
    }
  }
  return value;
}

interface Context {
  /** The innermost struct a field belongs to, and the JSON names of the struct fields from the root (errorContext). */
  structName: string;
  fieldStack: string[];
  /** The strict path: keys and [indices]. */
  path: string;
  /** The number's literal text when it is not a plain, exactly held integer (JsonDocument.numberText). */
  numberText?: string | undefined;
}

/**
 * Decodes value into the Go type, into what the target already holds (`existing`): a repeated struct field or
 * map field decodes into the same value again, merging, as Go's decoder does; anything else is replaced.
 */
function decode(value: unknown, schema: Schema, existing: unknown, cx: Context, st: State): unknown {
  const typeError = (go: string): unknown => {
    st.typeError ??=
      cx.structName === ''
        ? `json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type ${go}`
        : `json: cannot unmarshal ${goJsonTypeName(value)} into Go struct field ${cx.structName}.${cx.fieldStack.join('.')} of type ${go}`;
    return existing;
  };
  if (value === null) {
    // literalStore: null makes pointers, maps, slices and interfaces nil and leaves any other value (strings,
    // numbers, bools, struct values) as it is.
    if ((schema.t === 'string' || schema.t === 'bool' || schema.t === 'int' || schema.t === 'struct') && schema.ptr !== true) return existing;
    return null;
  }
  switch (schema.t) {
    case 'any':
      return walkAny(value, cx.path, st);
    case 'raw':
      return value;
    case 'string':
      return typeof value === 'string' ? value : typeError(schema.go);
    case 'time':
      // metav1.Time.UnmarshalJSON unmarshals a string; its error gets the field's context.
      return typeof value === 'string' ? value : typeError('string');
    case 'bool':
      return typeof value === 'boolean' ? value : typeError(schema.go);
    case 'int': {
      if (typeof value !== 'number') return typeError(schema.go);
      // literalStore: strconv.ParseInt(text, 10, 64) and OverflowInt for the field's size; a fraction or an
      // exponent (1.0, 1e2) is an error even when its value is whole.
      const text = cx.numberText ?? String(value);
      const bits = schema.go.endsWith('int32') ? 32n : 64n;
      const whole = /^-?(0|[1-9][0-9]*)$/.test(text) ? BigInt(text) : undefined;
      if (whole === undefined || whole < -(2n ** (bits - 1n)) || whole >= 2n ** (bits - 1n)) {
        st.typeError ??= `json: cannot unmarshal number ${text} into Go struct field ${cx.structName}.${cx.fieldStack.join('.')} of type ${schema.go}`;
        return existing;
      }
      return value;
    }
    case 'bytes': {
      if (typeof value !== 'string') return typeError('[]uint8');
      const at = base64ErrorOffset(value);
      if (at >= 0) st.typeError ??= `illegal base64 data at input byte ${at}`;
      return value;
    }
    case 'slice': {
      if (!Array.isArray(value)) return typeError(schema.go);
      // decode.go array(): a repeated key decodes into the elements already there (merging structs, keeping what
      // a null leaves), then truncates the slice; the elements past its length stay in the backing array, where
      // a later, longer repeat decodes into them again. An empty array is a new empty slice.
      if (value.length === 0) return [];
      const backing = Array.isArray(existing) ? [...(st.backing.get(existing) ?? existing)] : [];
      for (let i = 0; i < value.length; i++) {
        const out = decode(value[i], schema.of, backing[i], { ...cx, path: `${cx.path}[${i}]`, numberText: st.doc.numberText(value, String(i)) }, st);
        backing[i] = out === null || out === undefined ? zeroOf(schema.of) : out;
      }
      const slice = backing.slice(0, value.length);
      if (backing.length > slice.length) st.backing.set(slice, backing);
      return slice;
    }
    case 'map': {
      if (!isObject(value)) return typeError(schema.go);
      const out: Record<string, unknown> = isObject(existing) ? { ...existing } : {};
      const keys = new Set<string>();
      for (const [k, v] of st.doc.entriesOf(value)) {
        const path = child(cx.path, k);
        if (keys.has(k)) strictError(st, 'duplicate field', path);
        keys.add(k);
        // Each map entry decodes into a fresh element (Go zeroes mapElem), replacing an earlier one.
        const decoded = decode(v, schema.of, undefined, { ...cx, path, numberText: st.doc.numberText(value, k) }, st);
        setOwn(out, k, decoded === null || decoded === undefined ? zeroOf(schema.of) : decoded);
      }
      return out;
    }
    case 'struct': {
      if (!isObject(value)) return typeError(schema.go);
      const out: Record<string, unknown> = isObject(existing) ? { ...existing } : {};
      const keys = new Set<string>();
      for (const [k, v] of st.doc.entriesOf(value)) {
        const path = child(cx.path, k);
        const field = Object.hasOwn(schema.fields, k) ? schema.fields[k] : undefined;
        if (field === undefined) {
          strictError(st, 'unknown field', path);
          continue;
        }
        if (keys.has(k)) strictError(st, 'duplicate field', path);
        keys.add(k);
        const decoded = decode(v, field, out[k], { structName: schema.name, fieldStack: [...cx.fieldStack, k], path, numberText: st.doc.numberText(value, k) }, st);
        if (decoded === null || decoded === undefined) delete out[k];
        else out[k] = decoded;
      }
      // Go encodes a struct's fields in their declared order, which the schema keeps.
      const ordered: Record<string, unknown> = {};
      for (const k of Object.keys(schema.fields)) if (Object.hasOwn(out, k)) ordered[k] = out[k];
      return ordered;
    }
  }
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** Decodes a read JSON document into any Go type, strictly: the value, the first type error and the strict errors. */
export function decodeValue(doc: JsonDocument, schema: Schema): { value: unknown; typeError: string | undefined; strict: string[] } {
  const st: State = { doc, typeError: undefined, strict: [], seen: new Set(), backing: new WeakMap() };
  const value = decode(doc.value, schema, undefined, { structName: '', fieldStack: [], path: '' }, st);
  return { value, typeError: st.typeError, strict: st.strict };
}

/** Decodes a read JSON document into the Go struct, strictly (every strict error is collected; the caller decides what they mean). */
export function decodeStrict(doc: JsonDocument, schema: StructSchema): DecodeResult {
  const st: State = { doc, typeError: undefined, strict: [], seen: new Set(), backing: new WeakMap() };
  const value = decode(doc.value, schema, undefined, { structName: '', fieldStack: [], path: '' }, st);
  return { value: isObject(value) ? value : {}, typeError: st.typeError, strict: st.strict };
}

// ----- schema building blocks shared by the kinds -----

/** A Go string field (or a named string type, e.g. `types.UID`). */
export const goString = (go = 'string'): Schema => ({ t: 'string', go });
/** A Go bool. */
export const goBool: Schema = { t: 'bool', go: 'bool' };
/** A *bool: null makes it nil. */
export const goBoolPtr: Schema = { t: 'bool', go: 'bool', ptr: true };
/** The same Go type reached through a pointer (*T): null makes it nil. */
export const goPtr = <S extends StructSchema>(schema: S): S => ({ ...schema, ptr: true });
/** A Go int64 (or int32, by name). */
export const goInt = (go = 'int64'): Schema => ({ t: 'int', go });
/** A []string. */
export const goStrings = (go = '[]string'): Schema => ({ t: 'slice', of: goString(), go });
/** A map[string]string. */
export const goStringMap: Schema = { t: 'map', of: goString(), go: 'map[string]string' };
/** A Go struct. */
export const goStruct = (name: string, pkg: string, fields: Record<string, Schema>): StructSchema => ({ t: 'struct', name, go: `${pkg}.${name}`, fields });
/** A slice of a Go type. */
export const goSlice = (of: Schema & { go: string }): Schema => ({ t: 'slice', of, go: `[]${of.go}` });

/** metav1.OwnerReference. */
const OWNER_REFERENCE = goStruct('OwnerReference', 'v1', {
  apiVersion: goString(),
  kind: goString(),
  name: goString(),
  uid: goString('types.UID'),
  controller: goBoolPtr,
  blockOwnerDeletion: goBoolPtr,
});

/** metav1.ManagedFieldsEntry (fieldsV1 is *FieldsV1, whose UnmarshalJSON keeps the raw JSON unread). */
const MANAGED_FIELDS_ENTRY = goStruct('ManagedFieldsEntry', 'v1', {
  manager: goString(),
  operation: goString('v1.ManagedFieldsOperationType'),
  apiVersion: goString(),
  time: { t: 'time' },
  fieldsType: goString(),
  fieldsV1: { t: 'raw' },
  subresource: goString(),
});

/** metav1.ObjectMeta, field by field. */
export const OBJECT_META = goStruct('ObjectMeta', 'v1', {
  name: goString(),
  generateName: goString(),
  namespace: goString(),
  selfLink: goString(),
  uid: goString('types.UID'),
  resourceVersion: goString(),
  generation: goInt(),
  creationTimestamp: { t: 'time' },
  deletionTimestamp: { t: 'time' },
  deletionGracePeriodSeconds: { t: 'int', go: 'int64', ptr: true },
  labels: goStringMap,
  annotations: goStringMap,
  ownerReferences: goSlice(OWNER_REFERENCE),
  finalizers: goStrings(),
  managedFields: goSlice(MANAGED_FIELDS_ENTRY),
});

/** A top-level kind: apiVersion, kind, metadata and its own fields. */
export function kindSchema(kind: string, fields: Record<string, Schema>): StructSchema {
  return goStruct(kind, 'v1', { kind: goString(), apiVersion: goString(), metadata: OBJECT_META, ...fields });
}
