// An audit.k8s.io/v1 Event and its JSON line, field for field in the order of
// staging/src/k8s.io/apiserver/pkg/apis/audit/v1/types.go (Event, ObjectReference), authentication/v1 UserInfo and
// metav1.Status, with encoding/json's omitempty rules; timestamps are metav1.MicroTime (RFC 3339, microseconds, UTC).
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
  /** runtime.Unknown's JSON is the raw object itself. */
  requestObject?: unknown;
  responseObject?: unknown;
  /** Microseconds since the epoch. */
  requestReceivedMicros: number;
  stageMicros: number;
  annotations?: Record<string, string>;
}

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

/** The event as the json log backend writes it: one line, newline-terminated. */
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
  if (ev.requestObject !== undefined) out.requestObject = ev.requestObject;
  if (ev.responseObject !== undefined) out.responseObject = ev.responseObject;
  out.requestReceivedTimestamp = microTime(ev.requestReceivedMicros);
  out.stageTimestamp = microTime(ev.stageMicros);
  if (ev.annotations && Object.keys(ev.annotations).length > 0) out.annotations = sortedMap(ev.annotations);
  return `${JSON.stringify(out)}\n`;
}
