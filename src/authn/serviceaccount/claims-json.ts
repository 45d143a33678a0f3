// The JWT claims as kube reads them out of a verified payload: go-jose's jwt.Claims (iss, sub, aud, exp, nbf, iat,
// jti) and the private claims structs, through Go's encoding/json, which matches keys case-insensitively (the last
// matching key wins) and fails on a value of the wrong type. Sources: gopkg.in/go-jose/go-jose.v2@v2.6.3
// jwt/claims.go (NumericDate, Audience) and jwt/errors.go.
import { goJsonTypeName } from '../../apimachinery/go-json.js';

/** go-jose's jwt.Claims. NumericDates are whole seconds (go-jose v2 keeps an int64). */
export interface PublicClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti: string;
}

/** A decoding error, with Go's text. */
export class ClaimsError extends Error {}

export const ERR_UNMARSHAL_NUMERIC_DATE = 'go-jose/go-jose/jwt: expected number value to unmarshal NumericDate';
export const ERR_UNMARSHAL_AUDIENCE = 'go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience';

/** The value Go's decoder would put in the field `name` of a struct: the last key equal to it under case folding. */
export function goField(obj: Record<string, unknown>, name: string): unknown {
  let value: unknown;
  const folded = name.toLowerCase();
  for (const [key, v] of Object.entries(obj)) if (key === name || key.toLowerCase() === folded) value = v;
  return value;
}

/** A string field: null leaves it empty; another type is Go's UnmarshalTypeError. */
export function goStringField(obj: Record<string, unknown>, name: string, struct: string): string {
  const v = goField(obj, name);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ClaimsError(`json: cannot unmarshal ${goJsonTypeName(v)} into Go struct field ${struct}.${name} of type string`);
  return v;
}

function numericDate(obj: Record<string, unknown>, name: string): number | undefined {
  const v = goField(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new ClaimsError(ERR_UNMARSHAL_NUMERIC_DATE);
  return Math.trunc(v);
}

function audience(obj: Record<string, unknown>): string[] {
  const v = goField(obj, 'aud');
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((a) => typeof a === 'string')) return v as string[];
  throw new ClaimsError(ERR_UNMARSHAL_AUDIENCE);
}

/** json.Unmarshal(payload, &jwt.Claims{}). */
export function publicClaims(payload: Record<string, unknown>): PublicClaims {
  const claims: PublicClaims = {
    iss: goStringField(payload, 'iss', 'Claims'),
    sub: goStringField(payload, 'sub', 'Claims'),
    aud: audience(payload),
    jti: goStringField(payload, 'jti', 'Claims'),
  };
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
  if (exp !== undefined) claims.exp = exp;
  if (nbf !== undefined) claims.nbf = nbf;
  if (iat !== undefined) claims.iat = iat;
  return claims;
}

/** jwt.DefaultLeeway: one minute either way on exp, nbf and iat, and on deletion timestamps. */
export const DEFAULT_LEEWAY_SECONDS = 60;

/** Claims.ValidateWithLeeway with only Expected.Time set: nbf, then exp, then iat; the go-jose error's name, or undefined. */
export function timeValidation(claims: PublicClaims, nowSeconds: number): 'notValidYet' | 'expired' | 'issuedInTheFuture' | undefined {
  if (claims.nbf !== undefined && nowSeconds + DEFAULT_LEEWAY_SECONDS < claims.nbf) return 'notValidYet';
  if (claims.exp !== undefined && nowSeconds - DEFAULT_LEEWAY_SECONDS > claims.exp) return 'expired';
  if (claims.iat !== undefined && nowSeconds + DEFAULT_LEEWAY_SECONDS < claims.iat) return 'issuedInTheFuture';
  return undefined;
}
