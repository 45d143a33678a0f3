// The authenticating proxy (front proxy). Source: staging/src/k8s.io/apiserver/pkg/authentication/request/headerrequest/requestheader.go
// (NewDynamicVerifyOptionsSecure, AuthenticateRequest, ClearAuthenticationHeaders, headerValue, allHeaderValues,
// newExtra, unescapeExtraKey) and request/x509/x509.go (Verifier: the proxy's certificate is verified against the
// requestheader CA for client auth, then its CommonName against the allowed names, before any header is read).
// The chain is verified by the x509 authenticator's verifyClientChain (x509.ts) with the requestheader roots.
import type { X509Certificate } from 'node:crypto';
import type { AuthnRequest, AuthnResult, RequestAuthenticator } from './types.js';
import { verifyClientChain } from './x509.js';
import { unescapeExtraKey } from '../apimachinery/extra-key.js';

/** The header names of kube's RequestHeaderConfig; each list is tried in order, case-insensitively. */
export interface RequestHeaderNames {
  /** --requestheader-username-headers: the first with a non-empty value is the user. */
  usernameHeaders: readonly string[];
  /** --requestheader-uid-headers (1.33+): the first with a non-empty value is the uid. */
  uidHeaders: readonly string[];
  /** --requestheader-group-headers: every non-empty value of every one is a group. */
  groupHeaders: readonly string[];
  /** --requestheader-extra-headers-prefix: the rest of a header's name (lower case, %-unescaped) is an extra key. */
  extraHeaderPrefixes: readonly string[];
}

/** What the request-header authenticator needs: the names, the proxy's CA and the names its certificate may carry. */
export interface RequestHeaderOptions extends RequestHeaderNames {
  /** --requestheader-client-ca-file, read once. */
  roots: () => readonly X509Certificate[];
  /** --requestheader-allowed-names: the CommonNames a proxy certificate may have; empty allows any. */
  allowedNames: readonly string[];
  now?: () => Date;
}

/** The standard front-proxy headers WithAuthentication always clears (filters/authentication.go, standardRequestHeaderConfig). */
export const STANDARD_REQUEST_HEADERS: RequestHeaderNames = Object.freeze({
  usernameHeaders: ['X-Remote-User'],
  uidHeaders: ['X-Remote-Uid'],
  groupHeaders: ['X-Remote-Group'],
  extraHeaderPrefixes: ['X-Remote-Extra-'],
});

type Distinct = Readonly<Record<string, readonly string[] | undefined>>;

/** Every value of each header, as Go's http.Header holds them (node:http joins repeated unknown headers with ", "). */
function distinctOf(req: AuthnRequest): Distinct {
  if (req.headersDistinct !== undefined) return req.headersDistinct;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v : [v];
  return out;
}

/** headerValue: the first header, in the configured order, whose first value is non-empty (Go's h.Get). */
function headerValue(h: Distinct, names: readonly string[]): string {
  for (const name of names) {
    const value = h[name.toLowerCase()]?.[0] ?? '';
    if (value.length > 0) return value;
  }
  return '';
}

/** allHeaderValues: every non-empty value of every named header, in order. */
function allHeaderValues(h: Distinct, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) for (const v of h[name.toLowerCase()] ?? []) if (v.length > 0) out.push(v);
  return out;
}

/** Go's strings.EqualFold on the prefix: node:http gives names in lower case, so ASCII lower-casing the prefix is enough. */
function hasPrefixIgnoreCase(name: string, prefix: string): boolean {
  return name.length >= prefix.length && name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

/** newExtra: prefixes first (the order of values within a key), then the headers carrying each. */
function newExtra(h: Distinct, prefixes: readonly string[]): Record<string, string[]> {
  const extra: Record<string, string[]> = {};
  for (const prefix of prefixes) {
    for (const [name, values] of Object.entries(h)) {
      if (values === undefined || !hasPrefixIgnoreCase(name, prefix)) continue;
      const key = unescapeExtraKey(name.slice(prefix.length).toLowerCase());
      (extra[key] ??= []).push(...values);
    }
  }
  return extra;
}

/** requestHeaderAuthRequestHandler.AuthenticateRequest: no username header is "not mine"; otherwise the proxy's user. */
export function userFromHeaders(req: AuthnRequest, names: RequestHeaderNames): AuthnResult {
  const h = distinctOf(req);
  const name = headerValue(h, names.usernameHeaders);
  if (name.length === 0) return null;
  const user = { name, uid: headerValue(h, names.uidHeaders), groups: allHeaderValues(h, names.groupHeaders), extra: newExtra(h, names.extraHeaderPrefixes) };
  return { ok: true, authenticator: 'requestheader', user };
}

/** Whether a lower-case header name is one of the identity headers these names describe (ClearAuthenticationHeaders' test). */
export function isAuthenticationHeader(name: string, names: RequestHeaderNames): boolean {
  const n = name.toLowerCase();
  return (
    [...names.usernameHeaders, ...names.uidHeaders, ...names.groupHeaders].some((h) => h.toLowerCase() === n) ||
    names.extraHeaderPrefixes.some((p) => hasPrefixIgnoreCase(n, p))
  );
}

/**
 * x509's Verifier around the header reader (NewDynamicVerifyOptionsSecure): no client certificate is "not mine";
 * one that does not chain to the requestheader CA for client auth, or whose CN is not allowed, is an error in
 * Go's words (another authenticator may still succeed, as in kube's union); a proxy certificate without a
 * username header is "not mine". Successful verifications are remembered per certificate object until they expire.
 */
export function requestHeaderAuthenticator(opts: RequestHeaderOptions): RequestAuthenticator {
  const now = opts.now ?? (() => new Date());
  const verified = new WeakMap<X509Certificate, { notBefore: number; notAfter: number; commonName: string }>();
  return {
    async authenticate(req: AuthnRequest): Promise<AuthnResult> {
      const leaf = req.peerCertificates[0];
      if (leaf === undefined) return null;
      const t = now().getTime();
      let path = verified.get(leaf);
      if (path === undefined || t < path.notBefore || t > path.notAfter) {
        const result = verifyClientChain(req.peerCertificates, opts.roots(), new Date(t));
        if (typeof result === 'string') return { ok: false, reason: result };
        path = result;
        verified.set(leaf, path);
      }
      // verifySubject: no restriction when the list is empty, else an exact match.
      if (opts.allowedNames.length > 0 && !opts.allowedNames.includes(path.commonName)) {
        return { ok: false, reason: `x509: subject with cn=${path.commonName} is not in the allowed list` };
      }
      return userFromHeaders(req, opts);
    },
  };
}
