// What the live view (--ui) sends its page about one API request. Everything here is safe to show a browser on the
// same machine: certificates are public, user names and groups are what kube logs; a bearer token or a password
// never leaves the server (a token is its kind and the first hex digits of its SHA-256, a password is not named).
import { createHash } from 'node:crypto';
import { bearerToken } from '../authn/bearer-token.js';
import type { AuthnStep } from '../authn/types.js';
import type { CertificateSummary } from '../tls/certificate-summary.js';

/** One certificate in a row, as summarizeCertificate gives it (the page asks the server for the full explanation). */
export type LiveCertificate = Pick<CertificateSummary, 'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'sha256' | 'isCA'>;

/** The negotiated parameters of the connection the request came on (src/tls/connection-facts.ts). */
export interface LiveTls {
  protocol: string;
  cipherSuite: string;
  keyExchangeGroup?: string;
  alpn: string | false;
  sni: string | false;
  resumed: boolean;
  /** Whatever verdict the connection facts carry about the client chain (when that module gives one). */
  verdict?: string;
}

/** A credential the request carried, without its secret. */
export type LiveCredential =
  | { kind: 'client-certificate'; subject: string }
  /** tokenKind: jwt (three dot-separated parts), bootstrap (kube's [a-z0-9]{6}.[a-z0-9]{16}) or opaque; sha256Prefix: 8 hex digits. */
  | { kind: 'bearer-token'; tokenKind: 'jwt' | 'bootstrap' | 'opaque'; sha256Prefix: string }
  /** The user name of HTTP basic auth (not a secret; the password is never sent). */
  | { kind: 'basic'; username: string }
  /**
   * An Authorization header no authenticator reads: another scheme ("Negotiate ..."), or one kube's bearertoken.go
   * ignores ("Bearer  tok" with two spaces, "Bearer" alone). Its scheme only; the value is never sent.
   */
  | { kind: 'unread-authorization'; scheme: string }
  | { kind: 'none' };

/** What one authenticator said: not its kind of credential, the user, or why it refused. */
export interface LiveAuthnStep {
  authenticator: string;
  outcome: 'not-mine' | 'authenticated' | 'failed';
  /** The user name for authenticated, the reason for failed, empty for not-mine. */
  detail: string;
}

/** The user a request ran as. */
export interface LiveUser {
  name: string;
  groups: string[];
  uid: string;
  extra: Record<string, string[]>;
}

/** The authorization decision, with the binding and rule behind an allow, or the reason nothing allowed it. */
export interface LiveAuthorization {
  decision: 'allow' | 'forbid';
  /**
   * The authorizer's reason (RBAC: "allowed by ClusterRoleBinding ... of ClusterRole ... to ..."; empty when no
   * authorizer allowed the request and none said why); for a refused impersonation, the 403's message.
   */
  reason: string;
  /** For an RBAC allow: the binding, its role, and the rule that matched, from explain(). */
  binding?: string;
  role?: string;
  rule?: string;
  /** Who decided when it was not RBAC: "system:masters" for kube's privileged group authorizer. */
  decidedBy?: string;
  /** Whether /explain?request=ID has RBAC's step-by-step explanation for this request. */
  explainable: boolean;
}

/** The live view's record of one request, as the page receives it (JSON over Server-Sent Events). */
export interface LiveRequest {
  /** Increasing from 1, in the order requests arrived. */
  id: number;
  /** When the request arrived (RFC 3339 with milliseconds). */
  time: string;
  method: string;
  uri: string;
  /** kube's verb from RequestInfo, when the request got that far. */
  verb?: string;
  userAgent: string;
  remote: string;
  /** null for a connection that is not TLS (never on our listener, kept for completeness). */
  tls: LiveTls | null;
  /** The chain the client presented, leaf first. Click one: /certificate?request=ID&index=N. */
  clientChain: LiveCertificate[];
  /** Our serving certificate on this connection: /certificate?request=ID&index=server. */
  serverCertificate?: LiveCertificate;
  credentials: LiveCredential[];
  authentication: {
    steps: LiveAuthnStep[];
    /** The authenticator that accepted the credentials (as the request log names it). */
    authenticator?: string;
    /** Why the credentials were refused (the cause of a 401). */
    failure?: string;
  };
  /** The user the request ran as (the impersonated one when impersonating). */
  user?: LiveUser;
  /** Impersonate-* headers: what was asked and, when allowed, who asked. */
  impersonation?: { requested: string[]; impersonator?: string };
  authorization?: LiveAuthorization;
  response: { status: number; message?: string; reason?: string };
}

/** The kind of a bearer token and a short hash, never the token. */
export function describeToken(token: string): Extract<LiveCredential, { kind: 'bearer-token' }> {
  // kube's bootstrap token format (cluster-bootstrap/token/api: BootstrapTokenPattern).
  const tokenKind = /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token) ? 'bootstrap' : /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token) ? 'jwt' : 'opaque';
  return { kind: 'bearer-token', tokenKind, sha256Prefix: createHash('sha256').update(token).digest('hex').slice(0, 8) };
}

// The IANA HTTP authentication scheme registry's names (and kubectl-era habits): only these are ever named on the page.
const KNOWN_SCHEMES = ['Basic', 'Bearer', 'Digest', 'DPoP', 'HOBA', 'Mutual', 'Negotiate', 'NTLM', 'OAuth', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'vapid', 'AWS4-HMAC-SHA256', 'Token'];

/** The credentials of a request's Authorization header, and the secret strings in it (to scrub from reasons). */
export function credentialsOfAuthorization(header: string | undefined): { credential: LiveCredential | undefined; secrets: string[] } {
  if (header === undefined || header.trim() === '') return { credential: undefined, secrets: [] };
  const [scheme = '', ...rest] = header.trim().split(' ');
  const value = rest.join(' ').trim();
  // The token exactly as the authenticators read it (kube's bearertoken.go: "Bearer a b" is the token "a", its
  // bytes decoded from UTF-8): the hash is that token's, and a reason quoting it is recognised.
  const token = bearerToken({ headers: { authorization: header }, peerCertificates: [] });
  if (token !== null) return { credential: describeToken(token), secrets: [token, ...(value !== token ? [value] : [])] };
  if (scheme.toLowerCase() === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    return { credential: { kind: 'basic', username }, secrets: [value, ...(password !== '' ? [password] : [])] };
  }
  // Another scheme, or a bearer header kube ignores: shown as such (never as a token the server looked at), its
  // value never sent. The scheme is what the client wrote, cut short: it could be the secret itself ("Authorization: s3cret").
  const known = KNOWN_SCHEMES.find((k) => k.toLowerCase() === scheme.toLowerCase());
  const shown = known !== undefined && value !== '' ? known : known !== undefined ? `${known} without a value` : 'not a known scheme';
  return { credential: { kind: 'unread-authorization', scheme: shown }, secrets: [header.trim(), value, scheme].filter((s) => s !== '') };
}

/** The shortest run of a secret's characters that is redacted wherever it appears on its own (a quoted part of a token). */
export const MIN_SECRET_FRAGMENT = 10;

/** The longest secret searched for by fragment. */
export const MAX_FRAGMENT_SECRET = 16 * 1024;

/**
 * Replaces every secret in a text by "[redacted]": an authenticator's reason must not carry the credential back. Also
 * the secret as JSON or Go quoting escapes it (a webhook's error quoting the TokenReview it was sent), and any run of
 * MIN_SECRET_FRAGMENT or more of its characters (an error quoting the first part of a token, or one JWT segment).
 */
export function scrub(text: string, secrets: readonly string[]): string {
  const usable = secrets.filter((secret) => secret.length >= 4);
  if (usable.length === 0) return text;
  // Whole secrets first, over the whole text (a split is linear, whatever their sizes).
  let out = text;
  for (const secret of usable) for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) out = out.split(form).join('[redacted]');
  // Then only the beginning of a huge text, which is all a row ever shows (boundedRequest): a 403 message quoting a
  // 900 KB path costs no more than a short one to search by fragment.
  out = clipText(out, MAX_EVENT_BYTES);
  for (const secret of usable) {
    // A secret with a space in it is a whole header; its value is a secret of its own, searched by fragment. Of a
    // secret longer than MAX_FRAGMENT_SECRET (the API takes 1 MiB of headers; a JWT is a few KiB), fragments of its
    // beginning are searched, which keeps the search itself off the request's cost.
    if (secret.length >= MIN_SECRET_FRAGMENT && !/\s/.test(secret)) out = redactFragments(out, secret.slice(0, MAX_FRAGMENT_SECRET));
  }
  return out;
}

/** Each maximal run of the text, MIN_SECRET_FRAGMENT characters or more, that occurs in the secret, redacted. */
function redactFragments(text: string, secret: string): string {
  const seeds = new Set<string>();
  for (let i = 0; i + MIN_SECRET_FRAGMENT <= secret.length; i++) seeds.add(secret.slice(i, i + MIN_SECRET_FRAGMENT));
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (i + MIN_SECRET_FRAGMENT <= text.length && seeds.has(text.slice(i, i + MIN_SECRET_FRAGMENT))) {
      let end = i + MIN_SECRET_FRAGMENT;
      while (end < text.length && secret.includes(text.slice(i, end + 1))) end++;
      out += '[redacted]';
      i = end;
    } else out += text[i++];
  }
  return out;
}

/** One authenticator's answer in the page's words, scrubbed of the request's secrets. */
export function liveStep(step: AuthnStep, secrets: readonly string[]): LiveAuthnStep {
  const { result } = step;
  if (result === null) return { authenticator: step.authenticator, outcome: 'not-mine', detail: '' };
  if (result.ok) return { authenticator: step.authenticator, outcome: 'authenticated', detail: scrub(result.user.name, secrets) };
  return { authenticator: step.authenticator, outcome: 'failed', detail: scrub(result.reason, secrets) };
}

/** How big one recorded request may be once serialized (UTF-8 bytes): 200 of them (the ring) fit a page's stream buffer. */
export const MAX_EVENT_BYTES = 32 * 1024;

// Successively tighter limits: a string's length and an array's (or an object's) number of entries. The API accepts
// up to 1 MiB of headers (src/server/tls.ts maxHeaderSize), so a 900 KB path or a thousand Impersonate-Group values
// are one request; the live view keeps and sends the beginning of each, never the whole. Enum values (an outcome, a
// decision) are shorter than the tightest limit and are never cut.
const LIMITS: readonly { text: number; entries: number }[] = [
  { text: 2048, entries: 64 },
  { text: 256, entries: 16 },
  { text: 64, entries: 4 },
  { text: 16, entries: 2 },
];

function clipText(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}... [${s.length - max} more characters]`;
}

function clipValue(v: unknown, limit: { text: number; entries: number }): unknown {
  if (typeof v === 'string') return clipText(v, limit.text);
  if (Array.isArray(v)) {
    const kept = v.slice(0, limit.entries).map((x) => clipValue(x, limit));
    // A list of strings says how many were left out; a list of objects (a certificate chain) keeps its first ones,
    // whose indexes still name the PEM the server keeps.
    if (v.length > limit.entries && v.every((x) => typeof x === 'string')) kept.push(`... [${v.length - limit.entries} more]`);
    return kept;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    return Object.fromEntries(entries.slice(0, Math.max(limit.entries, 32)).map(([k, x]) => [clipText(k, limit.text), clipValue(x, limit)]));
  }
  return v;
}

/**
 * The request as the live view keeps and sends it: every string and list cut to a length that keeps one row under
 * MAX_EVENT_BYTES, however big the request was (the row says how much was left out).
 */
export function boundedRequest(request: LiveRequest): LiveRequest {
  let out = request;
  for (const limit of LIMITS) {
    out = clipValue(request, limit) as LiveRequest;
    if (Buffer.byteLength(JSON.stringify(out)) <= MAX_EVENT_BYTES) return out;
  }
  return out;
}
