// Source: staging/src/k8s.io/apiserver/pkg/authentication/request/bearertoken/bearertoken.go.
import { headerValue } from './headers.js';
import type { AuthnRequest, RequestAuthenticator, TokenAuthenticator } from './types.js';

/** The reason kube logs when no token authenticator recognised a bearer token. */
export const INVALID_BEARER_TOKEN = 'invalid bearer token';

/** kube's invalidTokenWithSpaceWarning, sent as a Warning header for "Bearer  <token>". */
export const INVALID_TOKEN_WITH_SPACE_WARNING = 'the provided Authorization header contains extra space before the bearer token, and is ignored';

/**
 * The bearer token in an Authorization header, read exactly as kube does: trimmed, split on single
 * spaces into at most three parts, scheme compared case-insensitively; anything else is "no token".
 *
 * The header value is as node:http gives it, one char per byte (latin1), and kube works on those bytes: Go's
 * strings.TrimSpace trims a space only where the bytes are its UTF-8 encoding (a lone 0xA0 or 0x85 byte is not
 * a space to Go, C2 A0 is). The token found is returned decoded from UTF-8, as the token file's are.
 */
export function bearerToken(req: AuthnRequest): string | null {
  const auth = goTrimSpace(Buffer.from(headerValue(req, 'authorization'), 'latin1'));
  if (auth === '') return null;
  // strings.SplitN(auth, " ", 3): "Bearer a b" yields the token "a", as in kube.
  const parts = splitN(auth, ' ', 3);
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return null;
  const token = parts[1]!;
  if (token === '') {
    // "Bearer  abc": the space before the token leaves an empty one, which kube ignores with a warning.
    if (parts.length === 3) req.addWarning?.(INVALID_TOKEN_WITH_SPACE_WARNING);
    return null;
  }
  return Buffer.from(token, 'latin1').toString('utf8');
}

/**
 * An Authorization header carrying `token`, as node:http would give it had a client sent it (its UTF-8 bytes,
 * one char each): kube's TokenReview asks its authenticator about `Bearer <token>` in a request of its own.
 */
export function bearerAuthorizationHeader(token: string): string {
  return Buffer.from(`Bearer ${token}`, 'utf8').toString('latin1');
}

// Go's unicode.IsSpace (what strings.TrimSpace trims), as the UTF-8 bytes of each: ASCII's six, U+0085 (NEL),
// U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and U+3000. JS's trim() is not it: it trims
// U+FEFF, keeps U+0085, and sees a lone byte 0xA0 as U+00A0.
const GO_SPACES_UTF8: readonly Buffer[] = [
  ...'\t\n\v\f\r '.split('').map((c) => Buffer.from(c, 'latin1')),
  ...'\u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000'.split('').map((c) => Buffer.from(c, 'utf8')),
];

function spaceAt(bytes: Buffer, start: number, end: number): number {
  for (const space of GO_SPACES_UTF8) {
    if (start + space.length <= end && bytes.compare(space, 0, space.length, start, start + space.length) === 0) return space.length;
  }
  return 0;
}

function spaceBefore(bytes: Buffer, start: number, end: number): number {
  for (const space of GO_SPACES_UTF8) {
    if (end - space.length >= start && bytes.compare(space, 0, space.length, end - space.length, end) === 0) return space.length;
  }
  return 0;
}

/** Go's strings.TrimSpace over bytes, returned one char per byte (latin1); one pass from each end. */
function goTrimSpace(bytes: Buffer): string {
  let start = 0;
  let end = bytes.length;
  for (let n = spaceAt(bytes, start, end); n > 0; n = spaceAt(bytes, start, end)) start += n;
  for (let n = spaceBefore(bytes, start, end); n > 0; n = spaceBefore(bytes, start, end)) end -= n;
  return bytes.toString('latin1', start, end);
}

function splitN(s: string, sep: string, n: number): string[] {
  const parts: string[] = [];
  let rest = s;
  while (parts.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  parts.push(rest);
  return parts;
}

/** Adapts token authenticators to requests; a token none of them recognises becomes "invalid bearer token". */
export function bearerTokenAuthenticator(tokenAuth: TokenAuthenticator): RequestAuthenticator {
  return {
    async authenticate(req) {
      const token = bearerToken(req);
      if (token === null) return null;
      const result = await tokenAuth.authenticateToken(token, req.audiences, req.observe);
      // kube's token authenticators warn on the request's context; a TokenReview's request has no recorder.
      if (result?.ok) for (const text of result.warnings ?? []) req.addWarning?.(text);
      return result ?? { ok: false, reason: INVALID_BEARER_TOKEN };
    },
  };
}
