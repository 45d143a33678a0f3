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
/** A UUID inside a longer text: a credential id (`JTI=<uuid>`), a message naming a ServiceAccount's or a pod's uid. */
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A JWS in compact form: three base64url segments, the signature possibly empty. */
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;
/** The legacy-token tracking label's value: the day of the last use (pkg/serviceaccount/legacy.go). */
const LAST_USED_LABEL = 'kubernetes.io/legacy-token-last-used';
/** A client certificate's credential-id extra (kube 1.33+): the SHA-256 of a certificate issued at run time. */
const CERT_FINGERPRINT = /^X509SHA256=[0-9a-f]+$/i;

export const MASK = Object.freeze({
  time: '<time>',
  uid: '<uid>',
  resourceVersion: '<resourceVersion>',
  certificate: 'X509SHA256=<fingerprint>',
  generated: '<generated>',
  /** a key id: the SHA-256 of the set-up's own key (pkg/serviceaccount/jwt.go keyIDFromPublicKey) */
  keyId: '<kid>',
  /** an RSA public key's modulus in a JWK */
  modulus: '<modulus>',
  /** scheme://host:port of the answering server in a URL (the discovery document's jwks_uri) */
  server: 'https://<server>',
  date: '<date>',
});

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A base64url segment of a JWS holding a JSON object, or undefined. */
function jsonSegment(segment: string): { [key: string]: JsonValue } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as JsonValue;
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A NumericDate claim relative to the token's iat (`<iat+3600>`), since iat itself is the moment of issue. */
function relativeTime(value: JsonValue, iat: number | undefined): JsonValue {
  if (typeof value !== 'number') return value;
  if (iat === undefined) return MASK.time;
  if (value === iat) return '<iat>';
  return `<iat${value > iat ? '+' : '-'}${Math.abs(value - iat)}>`;
}

/**
 * A JWS (a ServiceAccount token in a TokenRequest's status or a TokenReview's spec) as what it says: its header and
 * claims decoded, in the order the server wrote them, masked like any body (kid, jti and uids), with exp, nbf, iat
 * and the kubernetes.io claim's warnafter relative to iat, and the signature's length. Undefined when the string is
 * not a JWS whose header names an alg (a garbage token stays as written).
 */
export function describeJws(token: string): JsonValue | undefined {
  const parts = COMPACT_JWS.exec(token);
  if (parts === null) return undefined;
  const header = jsonSegment(parts[1]!);
  const claims = jsonSegment(parts[2]!);
  if (header === undefined || typeof header.alg !== 'string' || claims === undefined) return undefined;
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  const masked = maskVolatile(claims) as { [key: string]: JsonValue };
  for (const claim of ['exp', 'nbf', 'iat']) if (claim in masked) masked[claim] = relativeTime(masked[claim]!, iat);
  const kube = masked['kubernetes.io'];
  if (isObject(kube) && 'warnafter' in kube) kube.warnafter = relativeTime(kube.warnafter!, iat);
  return { jws: { header: maskVolatile(header), claims: masked, signature: `<${parts[3]!.length} chars>` } };
}

/**
 * Masks what changes from run to run and server to server without being behaviour: times (creationTimestamp,
 * managedFields times, conditions' times), UIDs (also inside texts), resource versions, certificate fingerprints,
 * the random suffix of generated names, key ids and RSA moduli of the set-up's keys, the server's own address in
 * jwks_uri, the legacy-token last-used day; and JWS tokens are shown decoded (describeJws). Everything else,
 * including the key order of objects, is kept as sent.
 */
export function maskVolatile(value: JsonValue, key = ''): JsonValue {
  if (typeof value === 'string') {
    if (key === 'resourceVersion' && value !== '') return MASK.resourceVersion;
    if (key === 'kid') return MASK.keyId;
    if (key === 'jwks_uri') return value.replace(/^https:\/\/[^/]+/, MASK.server);
    if (key === LAST_USED_LABEL && /^\d{4}-\d{2}-\d{2}$/.test(value)) return MASK.date;
    if (RFC3339.test(value)) return MASK.time;
    if (UUID.test(value)) return MASK.uid;
    if (CERT_FINGERPRINT.test(value)) return MASK.certificate;
    const jws = describeJws(value);
    if (jws !== undefined) return jws;
    return value.replace(UUID_IN_TEXT, MASK.uid);
  }
  if (Array.isArray(value)) return value.map((v) => maskVolatile(v, key));
  if (!isObject(value)) return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskVolatile(v, k);
  if (typeof value.generateName === 'string' && typeof value.name === 'string' && value.name.startsWith(value.generateName)) {
    out.name = `${value.generateName}${MASK.generated}`;
  }
  // A JWK (the JWKS of issuer discovery): the modulus is the set-up's key.
  if (value.kty === 'RSA' && typeof value.n === 'string') out.n = MASK.modulus;
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
  // UIDs in a Warning are the servers' own (TokenRequest's uid mismatch names the ServiceAccount's).
  const warning = header(headers, 'warning');
  if (warning !== undefined) out.warning = warning.split(/, (?=\d{3} )/).map((w) => w.replace(UUID_IN_TEXT, MASK.uid));
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
