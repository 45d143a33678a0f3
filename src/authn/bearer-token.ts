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
 */
export function bearerToken(req: AuthnRequest): string | null {
  const auth = goTrimSpace(headerValue(req, 'authorization'));
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
  return token;
}

// Go's unicode.IsSpace (what strings.TrimSpace trims): Latin-1's spaces, including U+0085 (NEL), and the other
// White_Space characters. JS's trim() differs on two: it keeps U+0085 and trims U+FEFF, which would let a
// TokenReview token "t\uFEFF" pass for "t" where kube says "invalid bearer token".
const GO_SPACES = new Set('\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000');

/** Go's strings.TrimSpace, in one pass from each end (a regex would backtrack over a megabyte of inner spaces). */
function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && GO_SPACES.has(s[start]!)) start++;
  while (end > start && GO_SPACES.has(s[end - 1]!)) end--;
  return s.slice(start, end);
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
      const result = await tokenAuth.authenticateToken(token, req.audiences);
      return result ?? { ok: false, reason: INVALID_BEARER_TOKEN };
    },
  };
}
