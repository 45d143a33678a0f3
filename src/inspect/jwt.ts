// JSON Web Tokens, kube's ServiceAccount tokens above all: the header, the claims, the times in words, the kube claims
// (namespace, ServiceAccount, the pod, node or secret it is bound to) and the user kube-apiserver would make of it
// (staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go ServiceAccountInfo.UserInfo, through
// ../authn/serviceaccount/service-account-info.ts). The signature is checked with the algorithms go-jose allows for
// the key's type (pkg/serviceaccount/jwt.go), so an "alg: none" or HMAC token never verifies with a public key.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';
import { isRecord } from '../apimachinery/json-value.js';
import { timeValidation } from '../authn/serviceaccount/claims-json.js';
import { credentialIdForJti, serviceAccountUser, splitServiceAccountUsername, type ServiceAccountInfo } from '../authn/serviceaccount/service-account-info.js';
import { algorithmsFor } from '../authn/serviceaccount/jwt.js';
import { keyIdFromPublicKey } from '../authn/serviceaccount/key-id.js';
import { relativeWords, rfc3339, validity } from './time-words.js';
import type { CheckResult, JwtItem, KubeIdentity, ServiceAccountClaims } from './types.js';

/** Input that has a JWT's shape but is not one: a segment that is not base64url or not JSON. */
export class JwtError extends Error {}

/** Three dot-separated base64url segments, the first starting as a JSON object does ("eyJ" is base64 of '{"'). */
export function looksLikeJwt(text: string): boolean {
  return /^eyJ[^.\s]*\.[^.\s]*\.[^.\s]*$/.test(text.trim());
}

function segment(text: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new JwtError(`not a valid JWT: its ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError(`not a valid JWT: its ${what} is not JSON`);
  }
  if (!isRecord(value)) throw new JwtError(`not a valid JWT: its ${what} is not a JSON object`);
  return value;
}

/** The largest time a JavaScript Date holds, in ms (ECMA-262 21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

/** A NumericDate (seconds) as a Date, clamped to the dates JavaScript can hold. */
function dateOf(seconds: number): Date {
  const ms = Math.trunc(seconds) * 1000;
  return new Date(Number.isNaN(ms) ? 0 : Math.max(-MAX_DATE_MS, Math.min(MAX_DATE_MS, ms)));
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const ref = (v: unknown): { name: string; uid: string } | undefined => (isRecord(v) ? { name: str(v.name), uid: str(v.uid) } : undefined);

/** The JWS algorithms go-jose verifies with the keys kube-apiserver holds for ServiceAccount tokens (RSA and ECDSA). */
const ASYMMETRIC_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']);

/** Go's int64 range: go-jose turns a NumericDate into time.Unix(int64(f), 0), and a float beyond it has no defined value. */
const INT64_LIMIT = 2 ** 63;

/**
 * Why kube-apiserver cannot read a ServiceAccount token's header or public claims at all, whatever its signature:
 * go-jose (gopkg.in/go-jose/go-jose.v2, the version pkg/serviceaccount/jwt.go imports) verifies only with the
 * algorithms of the key's type, so "none" and HMAC never verify with kube's public keys; and jwt.Claims fails to
 * unmarshal (tok.Claims returns an error, the token is refused) when a time is not a number (NumericDate.UnmarshalJSON
 * parses a float), when aud is neither a string nor a list of strings, or when iss, sub or jti is not a string.
 */
function claimTypeProblem(header: Record<string, unknown>, claims: Record<string, unknown>): string | undefined {
  const alg = header.alg;
  if (typeof alg !== 'string' || !ASYMMETRIC_ALGORITHMS.has(alg)) return `its header's alg ${JSON.stringify(alg ?? null)} is not one kube's ServiceAccount keys verify (RS*, PS*, ES*): no key can verify it`;
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    const v = claims[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) return `its ${name} claim ${JSON.stringify(v) ?? String(v)} is not a number of seconds (go-jose/go-jose/jwt: expected number value to unmarshal NumericDate)`;
    if (Math.abs(v) >= INT64_LIMIT) return `its ${name} claim ${v} is beyond Go's int64 seconds: what go-jose makes of it depends on the CPU, so kube-apiserver cannot be counted on to accept it`;
  }
  for (const name of ['iss', 'sub', 'jti'] as const) {
    const v = claims[name];
    if (v !== undefined && v !== null && typeof v !== 'string') return `its ${name} claim is ${Array.isArray(v) ? 'a list' : `a ${typeof v}`}, not a string (go-jose cannot unmarshal the claims)`;
  }
  // The private claims decode into typed structs too (pkg/serviceaccount/claims.go privateClaims, legacy.go legacyPrivateClaims).
  const notString = (v: unknown): boolean => v !== undefined && v !== null && typeof v !== 'string';
  const k = claims['kubernetes.io'];
  if (k !== undefined && k !== null) {
    if (!isRecord(k)) return 'its kubernetes.io claim is not an object (json: cannot unmarshal into privateClaims)';
    if (notString(k.namespace)) return 'its kubernetes.io.namespace claim is not a string (json: cannot unmarshal into privateClaims)';
    for (const r of ['serviceaccount', 'pod', 'node', 'secret'] as const) {
      const v = k[r];
      if (v === undefined || v === null) continue;
      if (!isRecord(v) || notString(v.name) || notString(v.uid)) return `its kubernetes.io.${r} claim is not {"name": string, "uid": string} (json: cannot unmarshal into privateClaims)`;
    }
    if (k.warnafter !== undefined && k.warnafter !== null && typeof k.warnafter !== 'number') return 'its kubernetes.io.warnafter claim is not a number (go-jose/go-jose/jwt: expected number value to unmarshal NumericDate)';
  }
  for (const name of Object.keys(claims)) {
    if (name.startsWith('kubernetes.io/serviceaccount/') && notString(claims[name])) return `its ${name} claim is not a string (json: cannot unmarshal into legacyPrivateClaims)`;
  }
  const aud = claims.aud;
  if (aud !== undefined && aud !== null && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) return 'its aud claim is neither a string nor a list of strings (go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience)';
  return undefined;
}

/** The kube claims of a bound (TokenRequest) or legacy (Secret) ServiceAccount token, if it is one. */
function serviceAccountClaims(claims: Record<string, unknown>): ServiceAccountClaims | undefined {
  const k = claims['kubernetes.io'];
  if (isRecord(k)) {
    const sa = ref(k.serviceaccount) ?? { name: '', uid: '' };
    const out: ServiceAccountClaims = { generation: 'bound', namespace: str(k.namespace), serviceAccount: sa.name, serviceAccountUid: sa.uid };
    const pod = ref(k.pod);
    const node = ref(k.node);
    const secret = ref(k.secret);
    if (pod) out.pod = pod;
    if (node) out.node = node;
    if (secret) out.secret = secret;
    if (typeof k.warnafter === 'number') out.warnAfter = rfc3339(dateOf(k.warnafter));
    return out;
  }
  const ns = claims['kubernetes.io/serviceaccount/namespace'];
  if (typeof ns === 'string') {
    return {
      generation: 'legacy',
      namespace: ns,
      serviceAccount: str(claims['kubernetes.io/serviceaccount/service-account.name']),
      serviceAccountUid: str(claims['kubernetes.io/serviceaccount/service-account.uid']),
      secret: { name: str(claims['kubernetes.io/serviceaccount/secret.name']), uid: '' },
    };
  }
  return undefined;
}

/** What kube-apiserver's ServiceAccount token authenticator would answer, were the signature and the objects good. */
function serviceAccountIdentity(sa: ServiceAccountClaims, jti: string, audiences: readonly string[] = []): KubeIdentity {
  const audience = audiences.length === 0 ? 'it has no aud, so the server\'s own --api-audiences stand in' : `one of its audiences (${audiences.join(', ')}) is in the server's --api-audiences (by default its --service-account-issuer)`;
  const authenticator = sa.generation === 'bound' ? 'ServiceAccount token (TokenRequest, bound)' : 'ServiceAccount token (legacy, from a Secret)';
  if (sa.namespace === '' || sa.serviceAccount === '') return { outcome: 'refused', authenticator, reason: 'its kube claims name no namespace or ServiceAccount' };
  const info: ServiceAccountInfo = { namespace: sa.namespace, name: sa.serviceAccount, uid: sa.serviceAccountUid };
  if (sa.pod) {
    info.podName = sa.pod.name;
    info.podUid = sa.pod.uid;
  }
  if (sa.node) {
    info.nodeName = sa.node.name;
    info.nodeUid = sa.node.uid;
  }
  // Only bound tokens carry the credential id (legacy.go's validator sets none).
  const credentialId = sa.generation === 'bound' ? credentialIdForJti(jti) : '';
  if (credentialId !== '') info.credentialId = credentialId;
  const user = serviceAccountUser(info);
  const objects = ['the ServiceAccount', ...(sa.pod ? ['the pod'] : []), ...(sa.secret ? ['the Secret'] : []), ...(sa.node && !sa.pod ? ['the node'] : [])];
  return {
    outcome: 'user',
    authenticator,
    user: user.name,
    uid: user.uid,
    groups: user.groups,
    extra: user.extra,
    // pkg/serviceaccount/jwt.go AuthenticateToken: issuer, then a key of the token's kid, then the audiences (a token
    // without aud, as legacy ones are, gets the server's own), then the validator's time and object checks.
    condition: `when the server's --service-account-issuer names its issuer, one of its keys signed it, ${audience}, it is in time, and ${objects.join(', ')} still exist${objects.length === 1 ? 's' : ''} with the same uid`,
  };
}

/** The token behind each item, for the signature check: kept out of the report itself (a token is a secret). */
const TOKENS = new WeakMap<JwtItem, string>();

/** The compact token an item was decoded from. */
export function tokenOf(item: JwtItem): string {
  return TOKENS.get(item) ?? '';
}

/** Decodes a compact JWT; throws JwtError when it is not one. */
export function jwtItem(position: number, token: string, now: Date): JwtItem {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new JwtError(`not a valid JWT: it has ${parts.length} dot-separated parts, not 3`);
  const header = segment(parts[0]!, 'header');
  const claims = segment(parts[1]!, 'payload');
  if (!/^[A-Za-z0-9_-]*$/.test(parts[2]!)) throw new JwtError('not a valid JWT: its signature is not base64url');
  const times: JwtItem['times'] = [];
  const date = (name: 'exp' | 'iat' | 'nbf'): Date | undefined => {
    const v = claims[name];
    if (typeof v !== 'number') return undefined;
    const d = dateOf(v);
    // A JavaScript Date ends in the year 275760 (Go's time goes further): say so rather than fail on toISOString,
    // and reckon validity with the last date there is, which is on the same side of now.
    if (d.getTime() !== Math.trunc(v) * 1000) {
      times.push({ name, at: '', words: `${v}: ${v > 0 ? 'after' : 'before'} any date this tool can show` });
      return d;
    }
    const rel = relativeWords(d, now);
    const words = name === 'exp' ? (d >= now ? `expires ${rel}` : `expired ${rel}`) : name === 'iat' ? `issued ${rel}` : d > now ? `not valid until ${rel}` : `valid since ${rel}`;
    times.push({ name, at: rfc3339(d), words });
    return d;
  };
  const exp = date('exp');
  date('iat');
  const nbf = date('nbf');
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  const sa = serviceAccountClaims(claims);
  let kube: KubeIdentity;
  const unreadable = sa === undefined ? undefined : claimTypeProblem(header, claims);
  if (sa !== undefined && unreadable !== undefined) {
    kube = { outcome: 'refused', authenticator: serviceAccountIdentity(sa, '').authenticator, reason: unreadable };
  } else if (sa !== undefined) {
    kube = serviceAccountIdentity(sa, str(claims.jti), audiences);
    // The validators' time checks, with kube's 60 s leeway (pkg/serviceaccount/claims.go, legacy.go).
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? Math.trunc(v) : undefined);
    const problem = timeValidation({ iss: '', sub: '', aud: [], exp: num(claims.exp), nbf: num(claims.nbf), iat: num(claims.iat), jti: '' }, now.getTime() / 1000);
    const words = { expired: 'service account token has expired', notValidYet: 'service account token is not valid yet', issuedInTheFuture: 'service account token is issued in the future' } as const;
    if (problem !== undefined) kube = { outcome: 'refused', authenticator: kube.authenticator, reason: words[problem] };
  }
  else {
    const split = splitServiceAccountUsername(str(claims.sub));
    kube = {
      outcome: 'ignored',
      authenticator: 'JWT (--authentication-config or --oidc-*)',
      reason: `not a ServiceAccount token (no kubernetes.io claims${split ? ', though its sub names a ServiceAccount' : ''}): kube-apiserver accepts it only through a JWT authenticator configured for issuer ${JSON.stringify(str(claims.iss))}, whose claim mappings decide the user`,
    };
  }
  const item: JwtItem = {
    kind: 'jwt',
    position,
    header,
    claims,
    issuer: str(claims.iss),
    subject: str(claims.sub),
    audiences,
    times,
    validity: validity(nbf, exp, now),
    ...(sa === undefined ? {} : { serviceAccount: sa }),
    kube,
  };
  TOKENS.set(item, token.trim());
  return item;
}

/** A verification key and where it came from ("sa.pub", "the JWKS of https://...", with its kid). */
export interface VerificationKey {
  key: KeyObject;
  kid: string;
  source: string;
}

/** Keys from a JWKS document ({"keys":[...]}); keys node cannot import are skipped. Throws when it is not a JWKS. */
export function jwksKeys(jwks: unknown, source: string): VerificationKey[] {
  if (!isRecord(jwks) || !Array.isArray(jwks.keys)) throw new Error(`${source}: not a JSON Web Key Set (no "keys" list)`);
  const out: VerificationKey[] = [];
  for (const jwk of jwks.keys) {
    if (!isRecord(jwk)) continue;
    try {
      out.push({ key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), kid: str(jwk.kid), source });
    } catch {
      // a key type node cannot use: not one a kube token is signed with
    }
  }
  return out;
}

/** A key given on the command line: its kid is the one kube would give it. */
export function verificationKey(key: KeyObject, source: string): VerificationKey {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return { key: pub, kid: keyIdFromPublicKey(pub), source };
}

/**
 * Checks the token's signature with the keys given. As kube's JWTTokenAuthenticator (keysForId), a token with a kid is
 * checked with the JWKS keys of that kid only; a key given as a file is tried whatever its kid.
 */
export function checkSignature(token: string, header: Record<string, unknown>, keys: readonly VerificationKey[], fromFile: boolean): CheckResult {
  const kid = str(header.kid);
  const candidates = fromFile || kid === '' ? keys : keys.filter((k) => k.kid === kid);
  if (candidates.length === 0) return { check: 'signature', ok: false, message: `no key with kid ${JSON.stringify(kid)} in ${keys[0]?.source ?? 'the keys given'} (kube says: invalid signature, no keys found)` };
  for (const k of candidates) {
    try {
      jsonwebtoken.verify(token.trim(), k.key, { algorithms: algorithmsFor(k.key), ignoreExpiration: true, ignoreNotBefore: true });
      return { check: 'signature', ok: true, message: `signature verified with ${k.source}${k.kid === '' ? '' : ` (kid ${k.kid})`}` };
    } catch {
      // try the next key
    }
  }
  const sources = [...new Set(candidates.map((k) => k.source))].join(', ');
  return { check: 'signature', ok: false, message: `signature does not verify with ${sources} (kube says: go-jose/go-jose: error in cryptographic primitive)` };
}
