// The one normalising function, shared by record and replay: what a snapshot keeps of an answer (the status,
// the headers that matter, the body) with volatile values masked and order-free arrays sorted, so that two
// runs of the same server give the same snapshot and a difference is a difference of behaviour.
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
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
  /** the request's audit events, in the order written (requests marked `audit`) */
  audit?: JsonValue[];
  /** what the `webhooks` variant's webhook was sent because of this request, in order (retries included) */
  webhookReviews?: JsonValue[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A UUID inside a longer text: a credential id (`JTI=<uuid>`), a message naming a ServiceAccount's or a pod's uid. */
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The scenarios' made-up UIDs (OTHER_UID in scenarios/serviceaccounts.ts): the same on every run, so kept as written. */
const CONSTANT_UID = /^00000000-0000-0000-0000-\d{12}$/;
/** A key id as kube derives one: SHA-256, base64url without padding. */
const KEY_ID = /^[A-Za-z0-9_-]{43}$/;
/** A JWS in compact form: three base64url segments, the signature possibly empty. */
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;
/** The legacy-token tracking label's value: the day of the last use (pkg/serviceaccount/legacy.go). */
const LAST_USED_LABEL = 'kubernetes.io/legacy-token-last-used';
/** A PEM certificate block (and its final newline, if any) inside a string. */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\n?/g;
/** A client certificate's credential-id extra (kube 1.33+): the SHA-256 of a certificate issued at run time. */
const CERT_FINGERPRINT = /^X509SHA256=[0-9a-f]+$/i;

export const MASK = Object.freeze({
  time: '<time>',
  /** the n-th distinct UID of a scenario, in the order the answers name them */
  uid: (n: number): string => `<uid-${n}>`,
  resourceVersion: '<resourceVersion>',
  certificate: 'X509SHA256=<fingerprint>',
  generated: '<generated>',
  /** the key id of the set-up's sa.key: the SHA-256 of its public key's PKIX DER (pkg/serviceaccount/jwt.go keyIDFromPublicKey) */
  keyId: '<kid>',
  /** a key id of the same form, of any other key (or derived otherwise) */
  otherKeyId: '<kid of another key>',
  /** the modulus of the set-up's sa.key in a JWK */
  modulus: '<modulus>',
  otherModulus: '<modulus of another key>',
  /** scheme://host:port of the answering server in a URL (the discovery document's jwks_uri) */
  server: 'https://<server>',
  date: '<date>',
  /** a PEM certificate's base64 (made per run: the set-up's CAs in extension-apiserver-authentication), line lengths kept */
  pemBase64: '*',
});

/**
 * What normalising carries through one scenario. UIDs are numbered in the order the answers first name them
 * (warnings before the body, keys as sent), so a UID is masked but which object it is stays visible: an answer
 * giving the pod's uid where kube gives the ServiceAccount's, or a message naming the two uids the other way round,
 * is a difference. The set-up's sa.key is known, so a kid or JWK modulus is masked as the set-up's only when it is
 * (computed here, not with the mock's code under test).
 */
export class NormalizeScope {
  private readonly uids = new Map<string, string>();
  readonly keyId: string | undefined;
  readonly modulus: string | undefined;

  constructor(serviceAccountKeyPem?: string) {
    if (serviceAccountKeyPem === undefined) return;
    const pub = createPublicKey(serviceAccountKeyPem);
    this.keyId = createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('base64url');
    this.modulus = pub.export({ format: 'jwk' }).n;
  }

  uid(raw: string): string {
    if (CONSTANT_UID.test(raw)) return raw;
    const key = raw.toLowerCase();
    let label = this.uids.get(key);
    if (label === undefined) {
      label = MASK.uid(this.uids.size + 1);
      this.uids.set(key, label);
    }
    return label;
  }

  /** Every UID inside a text. */
  uidsIn(text: string): string {
    return text.replace(UUID_IN_TEXT, (u) => this.uid(u));
  }

  kid(kid: string): string {
    if (kid === this.keyId) return MASK.keyId;
    return KEY_ID.test(kid) ? MASK.otherKeyId : kid;
  }
}

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

/** A TokenRequest's expirationTimestamp (seconds) as said by its token's exp: `<exp>`, or `<exp-N>` when N seconds before. */
function expRelative(timestamp: number, exp: number): string {
  const d = Math.floor(exp - timestamp);
  return d === 0 || d === 1 ? '<exp>' : `<exp${d > 0 ? '-' : '+'}${Math.abs(d)}>`;
}

/**
 * A JWS (a ServiceAccount token in a TokenRequest's status or a TokenReview's spec) as what it says: its header and
 * claims decoded, in the order the server wrote them, masked like any body (kid, jti and uids), with exp, nbf, iat
 * and the kubernetes.io claim's warnafter relative to iat, and the signature's length. Undefined when the string is
 * not a JWS whose header names an alg (a garbage token stays as written).
 */
export function describeJws(token: string, scope: NormalizeScope = new NormalizeScope()): JsonValue | undefined {
  const parts = COMPACT_JWS.exec(token);
  if (parts === null) return undefined;
  const header = jsonSegment(parts[1]!);
  const claims = jsonSegment(parts[2]!);
  if (header === undefined || typeof header.alg !== 'string' || claims === undefined) return undefined;
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  // The header first, as it is sent first.
  const maskedHeader = maskVolatile(header, '', scope);
  const masked = maskVolatile(claims, '', scope) as { [key: string]: JsonValue };
  for (const claim of ['exp', 'nbf', 'iat']) if (claim in masked) masked[claim] = relativeTime(masked[claim]!, iat);
  const kube = masked['kubernetes.io'];
  if (isObject(kube) && 'warnafter' in kube) kube.warnafter = relativeTime(kube.warnafter!, iat);
  return { jws: { header: maskedHeader, claims: masked, signature: `<${parts[3]!.length} chars>` } };
}

/**
 * Masks what changes from run to run and server to server without being behaviour: times (creationTimestamp,
 * managedFields times, conditions' times), UIDs (also inside texts), resource versions, certificate fingerprints,
 * the random suffix of generated names, key ids and RSA moduli of the set-up's keys, the server's own address in
 * jwks_uri, the legacy-token last-used day; and JWS tokens are shown decoded (describeJws). Everything else,
 * including the key order of objects, is kept as sent.
 */
export function maskVolatile(value: JsonValue, key = '', scope: NormalizeScope = new NormalizeScope()): JsonValue {
  if (typeof value === 'string') {
    if (value.includes('-----BEGIN CERTIFICATE-----')) return value.replace(PEM_CERTIFICATE, maskPemCertificate);
    if (key === 'resourceVersion' && value !== '') return MASK.resourceVersion;
    if (key === 'kid') return scope.kid(value);
    if (key === 'jwks_uri') return value.replace(/^https:\/\/[^/]+/, MASK.server);
    if (key === LAST_USED_LABEL && /^\d{4}-\d{2}-\d{2}$/.test(value)) return MASK.date;
    if (RFC3339.test(value)) return MASK.time;
    if (UUID.test(value)) return scope.uid(value);
    if (CERT_FINGERPRINT.test(value)) return MASK.certificate;
    const jws = describeJws(value, scope);
    if (jws !== undefined) return jws;
    return scope.uidsIn(value);
  }
  if (Array.isArray(value)) return value.map((v) => maskVolatile(v, key, scope));
  if (!isObject(value)) return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskVolatile(v, k, scope);
  if (typeof value.generateName === 'string' && typeof value.name === 'string' && value.name.startsWith(value.generateName)) {
    out.name = `${value.generateName}${MASK.generated}`;
  }
  // A JWK (the JWKS of issuer discovery): the modulus is the set-up's key.
  if (value.kty === 'RSA' && typeof value.n === 'string') out.n = value.n === scope.modulus ? MASK.modulus : MASK.otherModulus;
  // A TokenRequest's status: its expirationTimestamp against the token's exp (kube takes the time before signing,
  // so the timestamp is at most the exp, within the second; an extended token's exp is a year on).
  if (typeof value.token === 'string' && typeof value.expirationTimestamp === 'string' && RFC3339.test(value.expirationTimestamp)) {
    const exp = jsonSegment(value.token.split('.')[1] ?? '')?.exp;
    if (typeof exp === 'number') out.expirationTimestamp = expRelative(Date.parse(value.expirationTimestamp) / 1000, exp);
  }
  return out;
}

/**
 * A PEM certificate with its subject after the BEGIN line and each base64 line as that many `*`: which certificate
 * it is and how it is laid out (64 columns, the final newline) stay visible, the bytes of a per-run key do not.
 */
function maskPemCertificate(pem: string): string {
  const subject = new X509Certificate(pem).subject.replace(/\n/g, ', ');
  const lines = pem.split('\n');
  return lines.map((line, i) => (i === 0 ? `${line} (${subject})` : line.startsWith('-----') || line === '' ? line : MASK.pemBase64.repeat(line.length))).join('\n');
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

function recordedHeaders(headers: IncomingHttpHeaders, scope: NormalizeScope): RecordedHeaders {
  const out: RecordedHeaders = { 'audit-id': headers['audit-id'] !== undefined };
  const contentType = header(headers, 'content-type');
  if (contentType !== undefined) out['content-type'] = contentType;
  const challenge = header(headers, 'www-authenticate');
  if (challenge !== undefined) out['www-authenticate'] = challenge;
  // node joins repeated Warning headers with ", ", which is ambiguous: split them again on the 299 code.
  // UIDs in a Warning are the servers' own (TokenRequest's uid mismatch names the ServiceAccount's).
  const warning = header(headers, 'warning');
  if (warning !== undefined) out.warning = warning.split(/, (?=\d{3} )/).map((w) => scope.uidsIn(w));
  return out;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(.+\+)?json\b/i.test(contentType);
}

/** The answer as the snapshot keeps it, after the request's select, shapeOnly and unordered (or its exact text, for rawText). */
export function normalizeResponse(req: Pick<ParityRequest, 'select' | 'shapeOnly' | 'unordered' | 'rawText'>, raw: RawResponse, scope: NormalizeScope = new NormalizeScope()): RecordedResponse {
  const out: RecordedResponse = { status: raw.status, headers: recordedHeaders(raw.headers, scope) };
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
      json = maskVolatile(json, '', scope);
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

/**
 * Audit events as a snapshot keeps them: volatile values masked as in bodies (auditID is a UID of the scenario);
 * the two timestamps keep their form (MicroTime: six fraction digits), which the mock writes itself.
 */
export function normalizeAuditEvents(events: readonly JsonValue[], scope: NormalizeScope): JsonValue[] {
  const timeForm = (v: JsonValue | undefined): JsonValue | undefined =>
    typeof v === 'string' ? v.replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d+))?Z$/, (_, frac: string | undefined) => `<time${frac ? `.${'d'.repeat(frac.length)}` : ''}Z>`) : v;
  return events.map((event) => {
    const masked = maskVolatile(event, '', scope);
    if (!isObject(masked) || !isObject(event)) return masked;
    for (const key of ['requestReceivedTimestamp', 'stageTimestamp']) if (key in event) masked[key] = timeForm(event[key]) ?? null;
    return masked;
  });
}

/** The reviews a webhook received, as sent (kind, apiVersion, path, spec); what it answered is the fixture's. */
export function normalizeWebhookReviews(reviews: readonly { kind: string; apiVersion: string; path: string; spec: Record<string, unknown> }[], scope: NormalizeScope): JsonValue[] {
  return reviews.map((r) => maskVolatile({ kind: r.kind, apiVersion: r.apiVersion, path: r.path, spec: r.spec as JsonValue }, '', scope));
}
