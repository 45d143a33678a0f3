// What the live view (--ui) sends its page about one API request. Everything here is safe to show a browser on the
// same machine: certificates are public, user names and groups are what kube logs; a bearer token or a password
// never leaves the server (a token is its kind and the first hex digits of its SHA-256, a password is not named).
import { createHash } from 'node:crypto';
import type { AuthnStep } from '../authn/types.js';

/** One certificate in a row, as summarizeCertificate gives it (the page asks the server for the full explanation). */
export interface LiveCertificate {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
  isCA: boolean;
}

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

/** The credentials of a request's Authorization header, and the secret strings in it (to scrub from reasons). */
export function credentialsOfAuthorization(header: string | undefined): { credential: LiveCredential | undefined; secrets: string[] } {
  if (header === undefined || header.trim() === '') return { credential: undefined, secrets: [] };
  const [scheme = '', ...rest] = header.trim().split(' ');
  const value = rest.join(' ').trim();
  if (scheme.toLowerCase() === 'bearer' && value !== '') return { credential: describeToken(value), secrets: [value] };
  if (scheme.toLowerCase() === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    return { credential: { kind: 'basic', username }, secrets: [value, ...(password !== '' ? [password] : [])] };
  }
  // Another scheme: named, its value never sent.
  return { credential: describeToken(value === '' ? scheme : value), secrets: [header.trim(), value].filter((s) => s !== '') };
}

/** Replaces every secret in a text by "[redacted]": an authenticator's reason must not carry the credential back. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

/** One authenticator's answer in the page's words, scrubbed of the request's secrets. */
export function liveStep(step: AuthnStep, secrets: readonly string[]): LiveAuthnStep {
  const { result } = step;
  if (result === null) return { authenticator: step.authenticator, outcome: 'not-mine', detail: '' };
  if (result.ok) return { authenticator: step.authenticator, outcome: 'authenticated', detail: scrub(result.user.name, secrets) };
  return { authenticator: step.authenticator, outcome: 'failed', detail: scrub(result.reason, secrets) };
}
