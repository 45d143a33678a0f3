// kube-apiserver's JWT token authenticator for ServiceAccount tokens, both generations: the issuer is read from the
// unverified payload first (a token of another issuer is not this authenticator's), the signature is checked with
// each key the token's kid names, then the issuer again, the audiences, and the validator (bound or legacy claims,
// with their lookups). Source (kube v1.34): pkg/serviceaccount/jwt.go (JWTTokenAuthenticator, hasCorrectIssuer)
// over gopkg.in/go-jose/go-jose.v2@v2.6.3 (ParseSigned, Claims: every verification failure is ErrCryptoFailure).
//
// Signatures are checked with jsonwebtoken, always with the algorithms the key's type allows (go-jose's verifiers:
// RS/PS 256-512 for RSA, the one ES algorithm of an EC key's curve) and a pre-parsed KeyObject, so "none" and an
// HMAC signed with the public key can never verify. A verified token's claims are cached by the token, so the
// signature (the expensive step, tens of microseconds) is checked once; the time checks and the lookups of the
// ServiceAccount and bound objects run on every request, so a deleted ServiceAccount stops working at once.
import type { KeyObject } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';
import { aggregateMessage } from '../../apimachinery/aggregate.js';
import { goJsonTypeName } from '../../apimachinery/go-json.js';
import { isRecord } from '../../apimachinery/json-value.js';
import { goQuote } from '../../apimachinery/validation.js';
import type { AuthnResult, TokenAuthenticator } from '../types.js';
import { ClaimsError, goField, publicClaims, type PublicClaims } from './claims-json.js';
import { keysForId, type ServiceAccountPublicKey } from './keys.js';
import { serviceAccountUser, type ServiceAccountInfo } from './service-account-info.js';

/** go-jose's ErrCryptoFailure: what any failed signature check says, whatever the reason. */
export const ERR_CRYPTO_FAILURE = 'go-jose/go-jose: error in cryptographic primitive';

/** The claims' own checks and lookups, for one token generation (kube's Validator[PrivateClaims]). */
export interface TokenValidator<Private> {
  /** json.Unmarshal of the payload into the private claims struct; throws a ClaimsError with Go's text. */
  privateClaims(payload: Record<string, unknown>): Private;
  /** The identity (and the warnings kube's validator adds to the request), or the error the token is refused with. */
  validate(token: string, claims: PublicClaims, priv: Private): (ServiceAccountInfo & { warnings?: readonly string[] }) | { error: string };
}

export interface JwtAuthenticatorOptions<Private> {
  /** What the request log names this authenticator. */
  name: string;
  issuers: readonly string[];
  keys: readonly ServiceAccountPublicKey[];
  /** The API audiences: what a token without aud is taken to be for, and what a request that names none asks for. */
  implicitAudiences: readonly string[];
  validator: TokenValidator<Private>;
  /** Verified tokens kept (by the token) so their signature is checked once. Default 4096; 0 turns the cache off. */
  cacheSize?: number;
}

type JwsAlgorithm = jsonwebtoken.Algorithm;

/**
 * The longest token the cache keeps (its claims are no larger): tokens TokenRequest and the tokens controller sign
 * are about a kilobyte, so 4096 entries stay within tens of megabytes. kube's token cache keys by a hash instead.
 */
const MAX_CACHED_TOKEN_LENGTH = 8 * 1024;

/** The algorithms go-jose verifies with a key of this type (an EC key: only its curve's). */
export function algorithmsFor(key: KeyObject): JwsAlgorithm[] {
  if (key.asymmetricKeyType === 'rsa') return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return ['ES256'];
  if (curve === 'secp384r1') return ['ES384'];
  if (curve === 'secp521r1') return ['ES512'];
  return [];
}

/** Go's base64.RawURLEncoding.DecodeString: URL alphabet, no padding, no stray characters. */
function rawUrlDecode(segment: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) return undefined;
  return Buffer.from(segment, 'base64url');
}

function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** hasCorrectIssuer: three segments, a payload that is JSON with a string iss (unverified) naming one of ours. */
function unverifiedIssuer(token: string): string | undefined {
  if (token.trimStart().startsWith('{')) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const payload = rawUrlDecode(parts[1]!);
  if (payload === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  // Go decodes null into the struct as nothing (an empty issuer), and fails on anything but an object.
  if (value === null) return '';
  if (!isRecord(value)) return undefined;
  const iss = goField(value, 'iss');
  if (iss === undefined || iss === null) return '';
  return typeof iss === 'string' ? iss : undefined;
}

/**
 * What go-jose's DetachedVerify refuses in the header before it checks a signature, whatever the key: a crit that
 * is not a list of names (its json error), or one naming an extension other than b64 (ErrCryptoFailure); and b64:false,
 * under which it verifies the signature over the raw payload, so a compact token signed over the encoded one fails.
 * jsonwebtoken ignores both headers. Source: gopkg.in/go-jose/go-jose.v2@v2.6.3 signing.go (DetachedVerify),
 * shared.go (getCritical, getB64, supportedCritical), jws.go (computeAuthData).
 */
function headerRefusal(header: Record<string, unknown>): string | undefined {
  const crit = header.crit;
  if (crit !== undefined && crit !== null) {
    if (!Array.isArray(crit)) return `json: cannot unmarshal ${goJsonTypeName(crit)} into Go value of type []string`;
    const bad = crit.find((name) => name !== null && typeof name !== 'string');
    if (bad !== undefined) return `json: cannot unmarshal ${goJsonTypeName(bad)} into Go value of type string`;
    if (crit.some((name) => name !== 'b64')) return ERR_CRYPTO_FAILURE;
  }
  return header.b64 === false ? ERR_CRYPTO_FAILURE : undefined;
}

/** jose.ParseSigned's header checks, as far as a token can fail them: a JSON object whose alg and kid are strings. */
function parsedHeader(token: string): { kid: string; refusal: string | undefined } | undefined {
  const [header, , signature] = token.split('.');
  const bytes = rawUrlDecode(header!);
  if (bytes === undefined || rawUrlDecode(signature!) === undefined) return undefined;
  const obj = jsonObject(bytes);
  if (obj === undefined) return undefined;
  if (obj.alg !== undefined && typeof obj.alg !== 'string') return undefined;
  if (obj.kid !== undefined && typeof obj.kid !== 'string') return undefined;
  return { kid: typeof obj.kid === 'string' ? obj.kid : '', refusal: headerRefusal(obj) };
}

interface Verified<Private> {
  claims: PublicClaims;
  priv: Private;
}

/** kube's JWTTokenAuthenticator for one token generation. */
export function jwtTokenAuthenticator<Private>(opts: JwtAuthenticatorOptions<Private>): TokenAuthenticator {
  const issuers = new Set(opts.issuers);
  const cacheSize = opts.cacheSize ?? 4096;
  const verifiedTokens = new Map<string, Verified<Private>>();

  /** The signature checked with each key the kid names, and the claims decoded: kube's loop over keys. */
  function verify(token: string, kid: string, refusal: string | undefined): Verified<Private> | { error: string } {
    const cached = verifiedTokens.get(token);
    if (cached !== undefined) return cached;
    const keys = keysForId(opts.keys, kid);
    if (keys.length === 0) return { error: 'invalid signature, no keys found' };
    // Each key fails the same way on a header go-jose refuses.
    if (refusal !== undefined) return { error: refusal };
    const errors: string[] = [];
    for (const { key } of keys) {
      let payload: unknown;
      try {
        payload = jsonwebtoken.verify(token, key, { algorithms: algorithmsFor(key), ignoreExpiration: true, ignoreNotBefore: true, complete: true }).payload;
      } catch {
        errors.push(ERR_CRYPTO_FAILURE);
        continue;
      }
      try {
        if (!isRecord(payload)) throw new ClaimsError(`json: cannot unmarshal ${typeof payload} into Go value of type jwt.Claims`);
        const verified = { claims: publicClaims(payload), priv: opts.validator.privateClaims(payload) };
        // Bounded in bytes too: a TokenRequest token carries whatever audiences its requester asked for.
        if (cacheSize > 0 && token.length <= MAX_CACHED_TOKEN_LENGTH) {
          // Oldest first out: a Map iterates in insertion order.
          if (verifiedTokens.size >= cacheSize) verifiedTokens.delete(verifiedTokens.keys().next().value!);
          verifiedTokens.set(token, verified);
        }
        return verified;
      } catch (err) {
        if (!(err instanceof ClaimsError)) throw err;
        errors.push(err.message);
      }
    }
    return { error: aggregateMessage(errors) };
  }

  return {
    async authenticateToken(token, audiences): Promise<AuthnResult> {
      const iss = unverifiedIssuer(token);
      if (iss === undefined || !issuers.has(iss)) return null;
      const header = parsedHeader(token);
      if (header === undefined) return null;
      const verified = verify(token, header.kid, header.refusal);
      if ('error' in verified) return { ok: false, reason: verified.error };
      const { claims, priv } = verified;
      // The issuer again, now that the signature says the payload is ours (kube's sanity check).
      if (!issuers.has(claims.iss)) return { ok: false, reason: `token issuer ${goQuote(claims.iss)} is invalid` };
      // A token without aud (a legacy one) is for the API audiences only.
      const tokenAudiences = claims.aud.length > 0 ? claims.aud : opts.implicitAudiences;
      const requested = audiences ?? opts.implicitAudiences;
      // tokenAudiences.Intersect(requested) walks the requested audiences, in their order.
      const common = requested.filter((a) => tokenAudiences.includes(a));
      if (common.length === 0 && opts.implicitAudiences.length > 0) {
        return { ok: false, reason: `token audiences ${goStringList(tokenAudiences)} is invalid for the target audiences ${goStringList(requested)}` };
      }
      const info = opts.validator.validate(token, claims, priv);
      if ('error' in info) return { ok: false, reason: info.error };
      const { warnings, ...sa } = info;
      return { ok: true, authenticator: opts.name, user: serviceAccountUser(sa), audiences: common, ...(warnings !== undefined && warnings.length > 0 ? { warnings } : {}) };
    },
  };
}

/** Go's %q of a []string: ["a" "b"]. */
function goStringList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}
