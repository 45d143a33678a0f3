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
  const auth = headerValue(req, 'authorization').trim();
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
