// The one normalising function, shared by record and replay: what a snapshot keeps of an answer (the status,
// the headers that matter, the body) with volatile values masked and order-free arrays sorted, so that two
// runs of the same server give the same snapshot and a difference is a difference of behaviour.
import type { IncomingHttpHeaders } from 'node:http';
import type { RawResponse } from './client.js';
import type { JsonValue, ParityRequest } from './scenario.js';

/** The headers a client sees and acts on. Audit-Id's value is per request, so only its presence is kept. */
export interface RecordedHeaders {
  'content-type'?: string;
  'www-authenticate'?: string;
  /** every Warning header, in order */
  warning?: string[];
  'audit-id': boolean;
}

/** An answer as a snapshot keeps it: exactly one of json, text, base64 when there is a body. */
export interface RecordedResponse {
  status: number;
  headers: RecordedHeaders;
  json?: JsonValue;
  text?: string;
  base64?: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A client certificate's credential-id extra (kube 1.33+): the SHA-256 of a certificate issued at run time. */
const CERT_FINGERPRINT = /^X509SHA256=[0-9a-f]+$/i;

export const MASK = Object.freeze({
  time: '<time>',
  uid: '<uid>',
  resourceVersion: '<resourceVersion>',
  certificate: 'X509SHA256=<fingerprint>',
  generated: '<generated>',
});

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Masks what changes from run to run and server to server without being behaviour: times (creationTimestamp,
 * managedFields times, conditions' times), UIDs, resource versions, certificate fingerprints, and the random
 * suffix of generated names. Everything else, including the key order of objects, is kept as sent.
 */
export function maskVolatile(value: JsonValue, key = ''): JsonValue {
  if (typeof value === 'string') {
    if (key === 'resourceVersion' && value !== '') return MASK.resourceVersion;
    if (RFC3339.test(value)) return MASK.time;
    if (UUID.test(value)) return MASK.uid;
    if (CERT_FINGERPRINT.test(value)) return MASK.certificate;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => maskVolatile(v, key));
  if (!isObject(value)) return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskVolatile(v, k);
  if (typeof value.generateName === 'string' && typeof value.name === 'string' && value.name.startsWith(value.generateName)) {
    out.name = `${value.generateName}${MASK.generated}`;
  }
  return out;
}

/** Keys sorted at every level: the order arrays are sorted by, never the order written. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Sorts the arrays at `path` (dot-separated, `*` for any key or index) by their elements' canonical JSON. */
export function sortAt(value: JsonValue, path: readonly string[]): JsonValue {
  if (path.length === 0) return Array.isArray(value) ? [...value].sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : canonicalJson(a) > canonicalJson(b) ? 1 : 0)) : value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return head === '*' ? value.map((v) => sortAt(v, rest)) : value;
  if (!isObject(value)) return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = head === '*' || head === k ? sortAt(v, rest) : v;
  return out;
}

/** Every scalar replaced by its type: the shape of a document whose values are the build's (/version). */
export function shapeOf(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (isObject(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = shapeOf(v);
    return out;
  }
  return value === null ? null : `<${typeof value}>`;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function recordedHeaders(headers: IncomingHttpHeaders): RecordedHeaders {
  const out: RecordedHeaders = { 'audit-id': headers['audit-id'] !== undefined };
  const contentType = header(headers, 'content-type');
  if (contentType !== undefined) out['content-type'] = contentType;
  const challenge = header(headers, 'www-authenticate');
  if (challenge !== undefined) out['www-authenticate'] = challenge;
  // node joins repeated Warning headers with ", ", which is ambiguous: split them again on the 299 code.
  const warning = header(headers, 'warning');
  if (warning !== undefined) out.warning = warning.split(/, (?=\d{3} )/);
  return out;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(.+\+)?json\b/i.test(contentType);
}

/** The answer as the snapshot keeps it, after the request's select, shapeOnly and unordered (or its exact text, for rawText). */
export function normalizeResponse(req: Pick<ParityRequest, 'select' | 'shapeOnly' | 'unordered' | 'rawText'>, raw: RawResponse): RecordedResponse {
  const out: RecordedResponse = { status: raw.status, headers: recordedHeaders(raw.headers) };
  if (raw.body.length === 0) return out;
  const text = raw.body.toString('utf8');
  if (isJson(out.headers['content-type']) && req.rawText !== true) {
    let json: JsonValue | undefined;
    try {
      json = JSON.parse(text) as JsonValue;
    } catch {
      json = undefined;
    }
    if (json !== undefined) {
      if (req.select) json = req.select(json);
      json = maskVolatile(json);
      if (req.shapeOnly) json = shapeOf(json);
      for (const path of req.unordered ?? []) json = sortAt(json, path.split('.'));
      out.json = json;
      return out;
    }
  }
  if (Buffer.from(text, 'utf8').equals(raw.body) && !/[\u0000-\u0008\u000e-\u001f]/.test(text)) out.text = text;
  else out.base64 = raw.body.toString('base64');
  return out;
}
