// Kubernetes protobuf request bodies (Content-Type application/vnd.kubernetes.protobuf), decoded into the
// object kube's JSON encoding would give, and the inverse for tests.
//
// Wire format: staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go in kubernetes/kubernetes:
// the 4-byte magic "k8s\0", then a runtime.Unknown (typeMeta=1, raw=2, contentEncoding=3, contentType=4) whose
// raw is the object's own message. The messages come from kube's generated.proto files in ./proto/ (see its README).
//
// Error messages follow kube-apiserver's create path:
// - protobuf.go Serializer.Decode: "empty data", "provided data does not appear to be a protobuf message, expected
//   prefix [107 56 115 0]", "empty body", and runtime.NewMissingKindErr / NewMissingVersionErr;
// - the generated gogo Unmarshal code (k8s.io/api/*/generated.pb.go): "unexpected EOF", "proto: integer overflow",
//   "proto: negative length found during unmarshaling", "proto: wrong wireType = N for field F",
//   "proto: T: illegal tag 0 (wire type N)", "proto: T: wiretype end group for non-group", "proto: illegal wireType N";
// - staging/src/k8s.io/apimachinery/pkg/runtime/error.go notRegisteredErr: `no kind "K" is registered for version "G/V"
//   in scheme "S"`, the scheme being kube-apiserver's legacyscheme (pkg/api/legacyscheme/scheme.go);
// - staging/src/k8s.io/apimachinery/pkg/conversion/converter.go Convert: "converting (P) T to (P) T: unknown conversion";
// - staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError and summarizeData, and
//   handlers/create.go: "the API version in the data (X) does not match the expected API version (Y)".
import { JsonSyntaxError, readJson } from '../../apimachinery/json-reader.js';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { badRequest, internalError, StatusError } from '../../apimachinery/status.js';
import { summarizeData } from './summarize.js';
import { appendAll } from '../../util/append-all.js';
import { groupVersionString } from '../../apimachinery/group-version.js';

/** The media type kube-apiserver and client-go use for protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** protobuf.go's protoEncodingPrefix: "k8s" and the encoding style 0 (a runtime.Unknown follows). */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** notRegisteredErr's scheme name in kube-apiserver: naming.GetNameFromCallsite of legacyscheme.Scheme. */
const SCHEME_NAME = 'k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30';

/** The object type a body is expected to hold, as the URL it was sent to serves it. */
export interface ExpectedType {
  apiVersion: string;
  kind: string;
}

/** Proto package short group name to API group, where kube's group is not "<name>.k8s.io". */
const GROUP_OF_PACKAGE: Record<string, string> = {
  core: '',
  apps: 'apps',
  batch: 'batch',
  autoscaling: 'autoscaling',
  policy: 'policy',
  extensions: 'extensions',
  rbac: 'rbac.authorization.k8s.io',
};

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const DURATION = `${META}.Duration`;
const FIELDS_V1 = `${META}.FieldsV1`;
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension';
const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';

/**
 * Embedded Go structs (`json:",inline"`): go-to-protobuf gives them a field of their own, but their JSON fields
 * sit in the parent object. Keyed by message full name (no leading dot) and proto field name.
 */
const INLINE_FIELDS = new Set([
  'k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapProjection.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference',
  'k8s.io.api.core.v1.SecretEnvSource.localObjectReference',
  'k8s.io.api.core.v1.SecretKeySelector.localObjectReference',
  'k8s.io.api.core.v1.SecretProjection.localObjectReference',
  'k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon',
  'k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource',
  'k8s.io.api.core.v1.Probe.handler',
  'k8s.io.api.core.v1.Volume.volumeSource',
]);

/** Fields whose protobuf name differs from their JSON name (the struct tags disagree). */
const JSON_NAMES: Record<string, string> = {
  'k8s.io.api.authentication.v1.BoundObjectReference.uID': 'uid',
};

interface Registry {
  root: protobuf.Root;
  /** "group/version" or "version", then kind, to the message type. */
  kinds: Map<string, Map<string, protobuf.Type>>;
  unknown: protobuf.Type;
}

let registry: Registry | undefined;

function typeName(t: protobuf.ReflectionObject): string {
  return t.fullName.replace(/^\./, '');
}

function listProtoFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel)).sort()) {
    const relPath = rel === '' ? entry : `${rel}/${entry}`;
    if (statSync(path.join(dir, relPath)).isDirectory()) appendAll(out, listProtoFiles(dir, relPath));
    else if (entry.endsWith('.proto')) out.push(relPath);
  }
  return out;
}

/** The API group a proto package k8s.io.api.<name>.<version> serves. */
function groupOfPackage(name: string): string {
  return GROUP_OF_PACKAGE[name] ?? `${name}.k8s.io`;
}

/**
 * Loads every .proto under ./proto/ (next to this module, in src/ or dist/) once, and maps apiVersion and kind to
 * message types. A kind is a message of a k8s.io.api package with a `metadata` field of type ObjectMeta or ListMeta
 * that no other message uses as a field, other than a list's `items` (that rules out PodTemplateSpec and the like).
 */
function load(): Registry {
  if (registry !== undefined) return registry;
  const dir = fileURLToPath(new URL('./proto/', import.meta.url));
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string) => (path.isAbsolute(target) ? target : path.join(dir, target));
  try {
    root.loadSync(listProtoFiles(dir), { keepCase: true });
    root.resolveAll();
  } catch (err) {
    throw internalError(err);
  }
  const apiTypes: { type: protobuf.Type; pkg: string[] }[] = [];
  const usedAsField = new Set<protobuf.Type>();
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) {
        const parts = typeName(nested).split('.');
        if (parts[0] === 'k8s' && parts[1] === 'io' && parts[2] === 'api' && parts.length === 6) apiTypes.push({ type: nested, pkg: parts });
        for (const field of nested.fieldsArray) {
          if (field.resolvedType instanceof protobuf.Type && !(field.name === 'items' && field.repeated)) usedAsField.add(field.resolvedType);
        }
      }
      if (nested instanceof protobuf.Namespace) walk(nested);
    }
  };
  walk(root);
  const kinds = new Map<string, Map<string, protobuf.Type>>();
  for (const { type, pkg } of apiTypes) {
    const metadata = type.fields.metadata;
    const metaType = metadata?.resolvedType ? typeName(metadata.resolvedType) : '';
    if (metaType !== `${META}.ObjectMeta` && metaType !== `${META}.ListMeta`) continue;
    if (usedAsField.has(type)) continue;
    const group = groupOfPackage(pkg[3]!);
    const apiVersion = group === '' ? pkg[4]! : `${group}/${pkg[4]!}`;
    let byKind = kinds.get(apiVersion);
    if (byKind === undefined) kinds.set(apiVersion, (byKind = new Map()));
    byKind.set(type.name, type);
  }
  registry = { root, kinds, unknown: root.lookupType(UNKNOWN) };
  return registry;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** A decode failure with the message kube's generated Unmarshal code would give. */
class WireError extends Error {}

const WIRE_TYPE: Record<string, number> = {
  double: 1, fixed64: 1, sfixed64: 1,
  float: 5, fixed32: 5, sfixed32: 5,
  int32: 0, int64: 0, uint32: 0, uint64: 0, sint32: 0, sint64: 0, bool: 0,
  string: 2, bytes: 2,
};

/** The Go field name gogo puts in its errors: the proto name with a capital first letter. */
function goName(field: protobuf.FieldBase): string {
  return field.name.charAt(0).toUpperCase() + field.name.slice(1);
}

/** Runs a protobufjs Reader call, turning its errors into the Go messages. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WireError || err instanceof StatusError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/index out of range/.test(message)) throw new WireError('unexpected EOF');
    if (/invalid varint/.test(message)) throw new WireError('proto: integer overflow');
    const wire = /invalid wire type (\d+)/.exec(message);
    if (wire !== null) throw new WireError(`proto: illegal wireType ${wire[1]}`);
    throw new WireError(message);
  }
}

/** int64 as a JS number (exact up to 2^53), from a number or a long.js-style { low, high }. */
function toNumber(value: number | protobuf.Long): number {
  if (typeof value === 'number') return value;
  return (value.unsigned ? value.high >>> 0 : value.high | 0) * 0x100000000 + (value.low >>> 0);
}

function readScalar(reader: protobuf.Reader, type: string): unknown {
  switch (type) {
    case 'string':
      return reader.string();
    case 'bytes':
      return Buffer.from(reader.bytes());
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'sint32':
      return reader.sint32();
    case 'fixed32':
      return reader.fixed32();
    case 'sfixed32':
      return reader.sfixed32();
    case 'float':
      return reader.float();
    case 'double':
      return reader.double();
    case 'int64':
      return toNumber(reader.int64());
    case 'uint64':
      return toNumber(reader.uint64());
    case 'sint64':
      return toNumber(reader.sint64());
    case 'fixed64':
      return toNumber(reader.fixed64());
    case 'sfixed64':
      return toNumber(reader.sfixed64());
    default:
      throw new WireError(`unsupported field type ${type}`);
  }
}

/** Reads a length prefix and returns the bytes it covers, checked as gogo checks them. */
function readLengthDelimited(reader: protobuf.Reader): Uint8Array {
  const length = guard(() => toNumber(reader.int64()));
  if (length < 0) throw new WireError('proto: negative length found during unmarshaling');
  const start = reader.pos;
  if (start + length > reader.len) throw new WireError('unexpected EOF');
  reader.pos = start + length;
  return reader.buf.subarray(start, start + length);
}

/** A decoded field value before JSON shaping: scalars, sub-messages (as raw bytes) and their lists and maps. */
type RawValue = unknown;

/** Reads one message into field name -> value(s); sub-messages stay as bytes until shaped. */
function readFields(type: protobuf.Type, bytes: Uint8Array): Map<string, RawValue> {
  const reader = protobuf.Reader.create(bytes);
  const values = new Map<string, RawValue>();
  const shortName = type.name;
  while (reader.pos < reader.len) {
    const tag = guard(() => toNumber(reader.uint64()));
    const fieldNumber = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 4) throw new WireError(`proto: ${shortName}: wiretype end group for non-group`);
    if (fieldNumber <= 0) throw new WireError(`proto: ${shortName}: illegal tag ${fieldNumber} (wire type ${wireType})`);
    const field = type.fieldsById[fieldNumber];
    if (field === undefined) {
      // gogo's skipGenerated: unknown fields are skipped.
      if (wireType === 2) readLengthDelimited(reader);
      else guard(() => reader.skipType(wireType));
      continue;
    }
    if (field instanceof protobuf.MapField) {
      if (wireType !== 2) throw new WireError(`proto: wrong wireType = ${wireType} for field ${goName(field)}`);
      const entry = readLengthDelimited(reader);
      let map = values.get(field.name) as Map<string, RawValue> | undefined;
      if (map === undefined) values.set(field.name, (map = new Map()));
      const [key, value] = readMapEntry(field, entry);
      map.set(key, value);
      continue;
    }
    const isMessage = field.resolvedType instanceof protobuf.Type;
    const scalarWire = isMessage ? 2 : field.resolvedType instanceof protobuf.Enum ? 0 : WIRE_TYPE[field.type];
    let value: RawValue | RawValue[];
    if (field.repeated && !isMessage && wireType === 2 && scalarWire !== 2) {
      // A packed repeated scalar: gogo's Unmarshal accepts both forms.
      const packed = protobuf.Reader.create(readLengthDelimited(reader));
      const items: RawValue[] = [];
      while (packed.pos < packed.len) items.push(guard(() => readScalar(packed, field.resolvedType instanceof protobuf.Enum ? 'int32' : field.type)));
      value = items;
    } else {
      if (wireType !== scalarWire) throw new WireError(`proto: wrong wireType = ${wireType} for field ${goName(field)}`);
      if (isMessage) value = readLengthDelimited(reader);
      else if (wireType === 2) value = field.type === 'string' ? Buffer.from(readLengthDelimited(reader)).toString('utf8') : Buffer.from(readLengthDelimited(reader));
      else value = guard(() => readScalar(reader, field.resolvedType instanceof protobuf.Enum ? 'int32' : field.type));
    }
    if (field.repeated) {
      let list = values.get(field.name) as RawValue[] | undefined;
      if (list === undefined) values.set(field.name, (list = []));
      if (Array.isArray(value) && !isMessage && wireType === 2 && scalarWire !== 2) appendAll(list, value);
      else list.push(value);
    } else {
      values.set(field.name, value);
    }
  }
  return values;
}

function readMapEntry(field: protobuf.MapField, bytes: Uint8Array): [string, RawValue] {
  const reader = protobuf.Reader.create(bytes);
  let key: unknown = field.keyType === 'string' ? '' : 0;
  let value: RawValue;
  const valueIsMessage = field.resolvedType instanceof protobuf.Type;
  while (reader.pos < reader.len) {
    const tag = guard(() => toNumber(reader.uint64()));
    const fieldNumber = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (fieldNumber === 1) {
      if (wireType !== WIRE_TYPE[field.keyType]) throw new WireError(`proto: wrong wireType = ${wireType} for field ${goName(field)}`);
      key = field.keyType === 'string' ? Buffer.from(readLengthDelimited(reader)).toString('utf8') : guard(() => readScalar(reader, field.keyType));
    } else if (fieldNumber === 2) {
      const expectedWire = valueIsMessage ? 2 : WIRE_TYPE[field.type];
      if (wireType !== expectedWire) throw new WireError(`proto: wrong wireType = ${wireType} for field ${goName(field)}`);
      if (valueIsMessage) value = readLengthDelimited(reader);
      else if (field.type === 'string') value = Buffer.from(readLengthDelimited(reader)).toString('utf8');
      else if (field.type === 'bytes') value = Buffer.from(readLengthDelimited(reader));
      else value = guard(() => readScalar(reader, field.type));
    } else if (fieldNumber <= 0) {
      throw new WireError(`proto: ${goName(field)}Entry: illegal tag ${fieldNumber} (wire type ${wireType})`);
    } else if (wireType === 2) {
      readLengthDelimited(reader);
    } else {
      guard(() => reader.skipType(wireType));
    }
  }
  if (value === undefined) value = valueIsMessage ? new Uint8Array(0) : field.type === 'string' ? '' : field.type === 'bytes' ? Buffer.alloc(0) : 0;
  return [String(key), value];
}

/** Go's time.Duration.String(), which metav1.Duration's MarshalJSON writes. */
function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e9) {
    if (n < 1e3) return `${sign}${n}ns`;
    if (n < 1e6) return `${sign}${trimFraction(n / 1e3)}µs`;
    return `${sign}${trimFraction(n / 1e6)}ms`;
  }
  const hours = Math.floor(n / 3.6e12);
  n -= hours * 3.6e12;
  const minutes = Math.floor(n / 6e10);
  n -= minutes * 6e10;
  const seconds = trimFraction(n / 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function trimFraction(value: number): string {
  return value.toFixed(9).replace(/\.?0+$/, '');
}

/** RFC 3339 in UTC, as metav1.Time (seconds) and metav1.MicroTime (6 fraction digits) marshal to JSON. */
function rfc3339(seconds: number, fraction?: string): string {
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 19)}${fraction === undefined ? '' : `.${fraction}`}Z`;
}

/** A message with nothing but `repeated string items = 1` (ExtraValue, Verbs): a Go []string in JSON. */
function isStringListWrapper(type: protobuf.Type): boolean {
  const fields = type.fieldsArray;
  return fields.length === 1 && fields[0]!.name === 'items' && fields[0]!.repeated && fields[0]!.type === 'string' && !(fields[0] instanceof protobuf.MapField);
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false || (Buffer.isBuffer(value) && value.length === 0);
}

/** A scalar in JSON shape: []byte as base64, like Go's encoding/json. */
function scalarJson(value: unknown): unknown {
  return Buffer.isBuffer(value) ? value.toString('base64') : value;
}

/**
 * The JSON value of a message, with kube's custom JSON marshalling for Time, MicroTime, Duration, IntOrString,
 * Quantity, RawExtension, FieldsV1 and the []string wrappers. `undefined` means Go would write null (omitted here).
 */
function messageJson(type: protobuf.Type, bytes: Uint8Array): unknown {
  const name = typeName(type);
  switch (name) {
    case TIME:
    case MICRO_TIME: {
      // metav1.Time.Unmarshal: empty data is the zero time, which marshals to JSON null.
      if (bytes.length === 0) return undefined;
      const values = readFields(type, bytes);
      const seconds = Number(values.get('seconds') ?? 0);
      if (name === TIME) return rfc3339(seconds); // Time keeps seconds only (time_proto.go ignores nanos)
      const nanos = Number(values.get('nanos') ?? 0);
      return rfc3339(seconds + Math.floor(nanos / 1e9), String(Math.floor((((nanos % 1e9) + 1e9) % 1e9) / 1e3)).padStart(6, '0'));
    }
    case DURATION:
      return goDuration(Number(readFields(type, bytes).get('duration') ?? 0));
    case INT_OR_STRING: {
      const values = readFields(type, bytes);
      return Number(values.get('type') ?? 0) === 1 ? String(values.get('strVal') ?? '') : Number(values.get('intVal') ?? 0);
    }
    case QUANTITY:
      return String(readFields(type, bytes).get('string') ?? '') || '0';
    case RAW_EXTENSION:
      return rawJson(readFields(type, bytes).get('raw'));
    case FIELDS_V1:
      // FieldsV1 holds JSON only (kube copies the bytes): no nested object, so no unbounded recursion either.
      return rawJson(readFields(type, bytes).get('Raw'), false);
    default:
      break;
  }
  if (isStringListWrapper(type)) return (readFields(type, bytes).get('items') as string[] | undefined) ?? [];
  return objectJson(type, readFields(type, bytes));
}

/** The JSON held in RawExtension.raw or FieldsV1.Raw (or a nested protobuf object), null when empty. */
function rawJson(raw: unknown, nested = true): unknown {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return undefined;
  if (nested && raw.subarray(0, MAGIC.length).equals(MAGIC)) return decodeKubeProtobuf(raw);
  try {
    return readJson(raw).value;
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new WireError(`json: error calling MarshalJSON: ${err.message}`);
    throw err;
  }
}

function objectJson(type: protobuf.Type, values: Map<string, RawValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const full = typeName(type);
  for (const field of type.fieldsArray) {
    if (!values.has(field.name)) continue;
    const raw = values.get(field.name);
    const jsonName = JSON_NAMES[`${full}.${field.name}`] ?? field.name;
    const subType = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    let value: unknown;
    if (field instanceof protobuf.MapField) {
      const map = raw as Map<string, RawValue>;
      if (map.size === 0) continue;
      const obj: Record<string, unknown> = {};
      for (const [key, item] of map) obj[key] = subType !== undefined ? (messageJson(subType, item as Uint8Array) ?? null) : scalarJson(item);
      value = obj;
    } else if (field.repeated) {
      const list = raw as RawValue[];
      if (list.length === 0) continue;
      value = list.map((item) => (subType !== undefined ? (messageJson(subType, item as Uint8Array) ?? null) : scalarJson(item)));
    } else if (subType !== undefined) {
      value = messageJson(subType, raw as Uint8Array);
      if (value === undefined) continue;
      if (INLINE_FIELDS.has(`${full}.${field.name}`) && value !== null && typeof value === 'object') {
        Object.assign(out, value);
        continue;
      }
    } else {
      // Go writes every non-pointer scalar, empty or not; its JSON (omitempty) leaves the empty ones out.
      if (isZero(raw)) continue;
      value = scalarJson(raw);
    }
    out[jsonName] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// GroupVersionKind handling, as protobuf.go and the create handler do it

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** schema.ParseGroupVersion via FromAPIVersionAndKind: an unparsable apiVersion leaves group and version empty. */
function parseGvk(apiVersion: string, kind: string): Gvk {
  const parts = apiVersion.split('/');
  if (apiVersion === '') return { group: '', version: '', kind };
  if (parts.length === 1) return { group: '', version: parts[0]!, kind };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]!, kind };
  return { group: '', version: '', kind };
}

/** The Go package paths conversion errors name: k8s.io/api/<name>/<version> and the internal k8s.io/kubernetes/pkg/apis/<name>. */
function goPackages(apiVersion: string): { external: string; internal: string } {
  const { group, version } = parseGvk(apiVersion, '');
  const name = group === '' ? 'core' : (Object.entries(GROUP_OF_PACKAGE).find(([, g]) => g === group)?.[0] ?? group.replace(/\.k8s\.io$/, '').split('.')[0]!);
  return { external: `k8s.io/api/${name}/${version}`, internal: `k8s.io/kubernetes/pkg/apis/${name}` };
}

/**
 * Decodes a Kubernetes protobuf body (magic + runtime.Unknown) into the object kube's JSON encoding would give:
 * apiVersion and kind from the envelope (defaulted from `expected` when the envelope leaves them out, as kube does),
 * int64 as numbers, bytes as base64, Time/MicroTime as RFC 3339, IntOrString as number or string, Quantity as its
 * string, []string wrappers (ExtraValue) as arrays, RawExtension as its JSON; empty scalars, lists and maps omitted.
 *
 * `expected` is the type the URL serves; with it, errors carry the wording kube-apiserver's create handler adds.
 * Every failure caused by the body is a 400 StatusError.
 */
export function decodeKubeProtobuf(body: Buffer, expected?: ExpectedType): Record<string, unknown> {
  const reg = load();
  const wrapUnrecognized = (reason: string): StatusError =>
    badRequest(expected === undefined ? reason : `the object provided is unrecognized (must be of type ${expected.kind}): ${reason} (${summarizeData(body)})`);

  // protobuf.go Serializer.Decode: the prefix checks.
  if (body.length === 0) throw wrapUnrecognized('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw wrapUnrecognized(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  }
  if (body.length === MAGIC.length) throw wrapUnrecognized('empty body');

  let envelope: Map<string, RawValue>;
  let typeMeta: Map<string, RawValue>;
  try {
    envelope = readFields(reg.unknown, body.subarray(MAGIC.length));
    const typeMetaType = reg.unknown.fields.typeMeta!.resolvedType as protobuf.Type;
    typeMeta = readFields(typeMetaType, (envelope.get('typeMeta') as Uint8Array | undefined) ?? new Uint8Array(0));
  } catch (err) {
    if (err instanceof StatusError) throw err;
    // unk.Unmarshal fails before any kind is known: transformDecodeError's "unrecognized" form.
    throw wrapUnrecognized((err as Error).message);
  }
  const envApiVersion = String(typeMeta.get('apiVersion') ?? '');
  const envKind = String(typeMeta.get('kind') ?? '');
  const raw = (envelope.get('raw') as Buffer | undefined) ?? Buffer.alloc(0);
  // contentEncoding and contentType are not looked at: protobuf.go unmarshals raw as the kind's message regardless.

  // copyKindDefaults(&actual, defaultGVK): the URL's kind and version fill what the envelope leaves out.
  const actual = parseGvk(envApiVersion, envKind);
  const want = expected === undefined ? undefined : parseGvk(expected.apiVersion, expected.kind);
  if (want !== undefined) {
    if (actual.kind === '') actual.kind = want.kind;
    if (actual.version === '' && want.version !== '') {
      actual.group = want.group;
      actual.version = want.version;
    }
  }
  const typeMetaText = `runtime.TypeMeta{APIVersion:${JSON.stringify(envApiVersion)}, Kind:${JSON.stringify(envKind)}}`;
  if (actual.kind === '') throw wrapUnrecognized(`Object 'Kind' is missing in '${typeMetaText}'`);
  // From here on the kind is known, and transformDecodeError says "<Kind> in version "<v>" cannot be handled as a <Expected>".
  const targetKind = expected?.kind ?? actual.kind;
  const cannotHandle = (reason: string): StatusError =>
    badRequest(`${actual.kind} in version ${JSON.stringify(actual.version)} cannot be handled as a ${targetKind}: ${reason}`);
  if (actual.version === '') throw cannotHandle(`Object 'apiVersion' is missing in '${typeMetaText}'`);

  const apiVersion = groupVersionString(actual);
  const type = reg.kinds.get(apiVersion)?.get(actual.kind);
  if (type === undefined) {
    throw cannotHandle(`no kind ${JSON.stringify(actual.kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme ${JSON.stringify(SCHEME_NAME)}`);
  }

  let object: Record<string, unknown>;
  try {
    object = objectJson(type, readFields(type, raw));
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw cannotHandle((err as Error).message);
  }

  if (want !== undefined) {
    const wantVersion = groupVersionString(want);
    if (actual.kind !== want.kind || actual.group !== want.group) {
      // The versioning decoder converts the decoded object into the handler's internal type, and fails.
      const from = goPackages(apiVersion);
      const to = goPackages(wantVersion);
      throw cannotHandle(`converting (${from.external}) ${actual.kind} to (${to.internal}) ${want.kind}: unknown conversion`);
    }
    if (apiVersion !== wantVersion) {
      // handlers/create.go, after a successful decode.
      throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${wantVersion})`);
    }
  }
  return { kind: actual.kind, apiVersion, ...object };
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding (the inverse, for tests: what client-go sends)

function fail(message: string): never {
  throw new TypeError(`encodeKubeProtobuf: ${message}`);
}

function writeScalar(writer: protobuf.Writer, type: string, value: unknown, where: string): void {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') fail(`${where} must be a string`);
      writer.string(value);
      return;
    case 'bytes':
      if (typeof value !== 'string' && !Buffer.isBuffer(value)) fail(`${where} must be base64 text`);
      writer.bytes(Buffer.isBuffer(value) ? value : Buffer.from(value, 'base64'));
      return;
    case 'bool':
      if (typeof value !== 'boolean') fail(`${where} must be a boolean`);
      writer.bool(value);
      return;
    default:
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where} must be a number`);
      (writer[type as 'int32'] as (v: number) => protobuf.Writer).call(writer, value);
  }
}

/** Encodes the JSON value of one message into its wire bytes. */
function encodeMessage(type: protobuf.Type, value: unknown, where: string): Uint8Array {
  const writer = protobuf.Writer.create();
  const name = typeName(type);
  switch (name) {
    case TIME:
    case MICRO_TIME: {
      if (value === null) return writer.finish();
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) fail(`${where} must be an RFC 3339 time`);
      const ms = Date.parse(value);
      const seconds = Math.floor(ms / 1000);
      writer.uint32(8).int64(seconds);
      if (name === MICRO_TIME) {
        const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
        const nanos = Number((fraction + '000000000').slice(0, 9));
        writer.uint32(16).int32(nanos);
      }
      return writer.finish();
    }
    case DURATION:
      fail(`${where}: Duration is not supported`);
      break;
    case INT_OR_STRING:
      if (typeof value === 'number') writer.uint32(8).int64(0).uint32(16).int32(value).uint32(26).string('');
      else if (typeof value === 'string') writer.uint32(8).int64(1).uint32(16).int32(0).uint32(26).string(value);
      else fail(`${where} must be a number or a string`);
      return writer.finish();
    case QUANTITY:
      if (typeof value !== 'string' && typeof value !== 'number') fail(`${where} must be a quantity`);
      writer.uint32(10).string(String(value));
      return writer.finish();
    case RAW_EXTENSION:
    case FIELDS_V1:
      if (value !== null && value !== undefined) writer.uint32(10).bytes(Buffer.from(JSON.stringify(value)));
      return writer.finish();
    default:
      break;
  }
  if (isStringListWrapper(type)) {
    if (!Array.isArray(value)) fail(`${where} must be an array of strings`);
    for (const item of value) writeScalar(writer.uint32(10), 'string', item, where);
    return writer.finish();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${where} must be an object`);
  writeMessageFields(writer, type, value as Record<string, unknown>, where);
  return writer.finish();
}

/** Writes a JSON object's keys as the fields of a message of `type` (in field-number order); a key with no field is an error. */
function writeMessageFields(writer: protobuf.Writer, type: protobuf.Type, obj: Record<string, unknown>, where: string): void {
  const full = typeName(type);
  const used = new Set<string>();
  const fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  for (const field of fields) {
    const path = `${full}.${field.name}`;
    const subType = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (INLINE_FIELDS.has(path) && subType !== undefined) {
      // The embedded struct's fields sit in this object.
      const keys = new Set(subType.fieldsArray.map((f) => JSON_NAMES[`${typeName(subType)}.${f.name}`] ?? f.name));
      const part = Object.fromEntries(Object.entries(obj).filter(([k]) => keys.has(k)));
      if (Object.keys(part).length === 0) continue;
      for (const k of Object.keys(part)) used.add(k);
      writer.uint32((field.id << 3) | 2).bytes(encodeMessage(subType, part, `${where}.${field.name}`));
      continue;
    }
    const jsonName = JSON_NAMES[path] ?? field.name;
    if (!(jsonName in obj) || obj[jsonName] === undefined) continue;
    used.add(jsonName);
    const value = obj[jsonName];
    const at = `${where}.${jsonName}`;
    if (field instanceof protobuf.MapField) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${at} must be an object`);
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const entry = protobuf.Writer.create();
        entry.uint32((1 << 3) | WIRE_TYPE[field.keyType]!);
        writeScalar(entry, field.keyType, field.keyType === 'string' ? key : Number(key), at);
        if (subType !== undefined) entry.uint32(18).bytes(encodeMessage(subType, item, `${at}[${key}]`));
        else writeScalar(entry.uint32((2 << 3) | WIRE_TYPE[field.type]!), field.type, item, `${at}[${key}]`);
        writer.uint32((field.id << 3) | 2).bytes(entry.finish());
      }
      continue;
    }
    const items = field.repeated ? (Array.isArray(value) ? value : fail(`${at} must be an array`)) : [value];
    for (const item of items) {
      if (subType !== undefined) writer.uint32((field.id << 3) | 2).bytes(encodeMessage(subType, item, at));
      else writeScalar(writer.uint32((field.id << 3) | WIRE_TYPE[field.type]!), field.type, item, at);
    }
  }
  for (const key of Object.keys(obj)) {
    if (!used.has(key) && obj[key] !== undefined) fail(`${where}.${key} is not a field of ${full}`);
  }
}

/**
 * Encodes an object in kube's JSON shape (with apiVersion and kind) as client-go sends it: the magic, then a
 * runtime.Unknown with typeMeta, raw, and contentEncoding and contentType both "" (written, as Go writes them).
 */
export function encodeKubeProtobuf(obj: Record<string, unknown>): Buffer {
  const reg = load();
  const { apiVersion, kind, ...rest } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') fail('apiVersion and kind must be strings');
  const type = reg.kinds.get(apiVersion)?.get(kind);
  if (type === undefined) fail(`no message for ${kind} in ${apiVersion}`);
  const raw = protobuf.Writer.create();
  writeMessageFields(raw, type, rest, kind);
  const typeMeta = protobuf.Writer.create().uint32(10).string(apiVersion).uint32(18).string(kind).finish();
  const envelope = protobuf.Writer.create()
    .uint32(10).bytes(typeMeta)
    .uint32(18).bytes(raw.finish())
    .uint32(26).string('')
    .uint32(34).string('')
    .finish();
  return Buffer.concat([MAGIC, envelope]);
}
