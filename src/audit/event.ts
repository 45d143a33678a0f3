// An audit.k8s.io/v1 Event and its JSON line, field for field in the order of
// staging/src/k8s.io/apiserver/pkg/apis/audit/v1/types.go (Event, ObjectReference), authentication/v1 UserInfo and
// metav1.Status, with encoding/json's omitempty rules; timestamps are metav1.MicroTime (RFC 3339, microseconds, UTC).
import { readJson } from '../apimachinery/json-reader.js';
import { isRecord } from '../apimachinery/json-value.js';
import type { AuditLevel, AuditStage } from './policy.js';

/** authentication/v1 UserInfo. */
export interface AuditUserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** audit/v1 ObjectReference. */
export interface AuditObjectReference {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

/** The fields of metav1.Status kube copies into an event (LogResponseObject, SetEventResponseStatusCode). */
export interface AuditResponseStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: unknown;
  code?: number;
}

/** audit/v1 Event, mutable while the request runs; each stage writes it as it is then. */
export interface AuditEvent {
  level: AuditLevel;
  auditID: string;
  stage: AuditStage;
  requestURI: string;
  verb: string;
  user: AuditUserInfo;
  impersonatedUser?: AuditUserInfo;
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: AuditObjectReference;
  responseStatus?: AuditResponseStatus;
  /** runtime.Unknown's JSON is the raw object itself; a patch's body is kept as its bytes (RawRequestBody). */
  requestObject?: unknown;
  responseObject?: unknown;
  /** Microseconds since the epoch. */
  requestReceivedMicros: number;
  stageMicros: number;
  annotations?: Record<string, string>;
}

/**
 * A request body kept as the bytes the client sent: kube's AuditContext.LogRequestPatch
 * (staging/src/k8s.io/apiserver/pkg/audit/context.go) stores a PATCH body as runtime.Unknown{Raw: patch,
 * ContentType: JSON}, whose MarshalJSON hands the bytes to encoding/json as they are.
 */
export class RawRequestBody {
  constructor(readonly raw: Uint8Array) {}
}

/** The event could not be encoded (encoding/json's MarshalerError); the backend reports it and drops the event. */
export class EventEncodeError extends Error {}

/** Now, in microseconds since the epoch (metav1.NewMicroTime(time.Now())). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** metav1.MicroTime's JSON: "2006-01-02T15:04:05.000000Z07:00" in UTC. */
export function microTime(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString(); // 2006-01-02T15:04:05.000Z
  return `${iso.slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}

function omitEmpty<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0) && !(isRecord(v) && Object.keys(v).length === 0)),
  ) as Partial<T>;
}

/** Go encodes a map with its keys sorted. */
function sortedMap<V>(m: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]!]));
}

function userInfo(u: AuditUserInfo): Partial<AuditUserInfo> {
  return omitEmpty({ username: u.username, uid: u.uid, groups: u.groups, extra: u.extra && sortedMap(u.extra) });
}

/**
 * encoding/json's Encoder (escapeHTML on, as apimachinery's json serializer leaves it): <, > and & in strings are
 * written \u003c, \u003e, \u0026, and U+2028, U+2029 escaped. JSON.stringify's output holds these only inside strings.
 */
function escapeHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * encoding/json's handling of a Marshaler's output (marshalerEncoder, appendCompact): the raw bytes are checked
 * with the scanner and compacted (whitespace outside strings dropped, HTML characters escaped); bytes that are not
 * JSON fail the whole event: "json: error calling MarshalJSON for type *runtime.Unknown: <the scanner's error>".
 */
function compactRaw(raw: Uint8Array): string {
  try {
    readJson(raw);
  } catch (err) {
    throw new EventEncodeError(`json: error calling MarshalJSON for type *runtime.Unknown: ${(err as Error).message}`);
  }
  const text = Buffer.from(raw).toString('utf8');
  let out = '';
  let inString = false;
  let escaped = false;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      out += text.slice(run, i);
      run = i + 1;
    }
  }
  return escapeHtml(out + text.slice(run));
}

/** The event as the json log backend writes it: one line, newline-terminated. Throws an EventEncodeError when a raw body is not JSON. */
export function encodeEvent(ev: AuditEvent): string {
  const out: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: ev.level,
    auditID: ev.auditID,
    stage: ev.stage,
    requestURI: ev.requestURI,
    verb: ev.verb,
    user: userInfo(ev.user),
  };
  if (ev.impersonatedUser) out.impersonatedUser = userInfo(ev.impersonatedUser);
  if (ev.sourceIPs && ev.sourceIPs.length > 0) out.sourceIPs = ev.sourceIPs;
  if (ev.userAgent) out.userAgent = ev.userAgent;
  if (ev.objectRef) {
    const r = ev.objectRef;
    out.objectRef = omitEmpty({ resource: r.resource, namespace: r.namespace, name: r.name, uid: r.uid, apiGroup: r.apiGroup, apiVersion: r.apiVersion, resourceVersion: r.resourceVersion, subresource: r.subresource });
  }
  if (ev.responseStatus) {
    const s = ev.responseStatus;
    // metav1.Status: metadata (a ListMeta, never omitted), then status, message, reason, details, code.
    out.responseStatus = { metadata: {}, ...omitEmpty({ status: s.status, message: s.message, reason: s.reason, details: s.details, code: s.code }) };
  }
  // A raw body goes in as its compacted bytes; the fields after it follow in a second object spliced on.
  const raw = ev.requestObject instanceof RawRequestBody ? compactRaw(ev.requestObject.raw) : undefined;
  if (ev.requestObject !== undefined && raw === undefined) out.requestObject = ev.requestObject;
  const rest: Record<string, unknown> = {};
  if (ev.responseObject !== undefined) rest.responseObject = ev.responseObject;
  rest.requestReceivedTimestamp = microTime(ev.requestReceivedMicros);
  rest.stageTimestamp = microTime(ev.stageMicros);
  if (ev.annotations && Object.keys(ev.annotations).length > 0) rest.annotations = sortedMap(ev.annotations);
  const head = escapeHtml(JSON.stringify(out)).slice(0, -1);
  const tail = escapeHtml(JSON.stringify(rest)).slice(1);
  return `${head}${raw === undefined ? '' : `,"requestObject":${raw}`},${tail}\n`;
}
