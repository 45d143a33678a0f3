// ServiceAccount issuer discovery: GET /.well-known/openid-configuration and GET /openid/v1/jwks, pre-rendered once
// at start as kube-apiserver does. Sources: pkg/serviceaccount/openidmetadata.go (NewOpenIDMetadataProvider's
// checks, openIDMetadata's fields, openIDConfigJSON), pkg/routes/openidmetadata.go (the two go-restful routes and
// their headers), pkg/serviceaccount/jwt.go (staticPublicKeysGetter's max-age of 3600 s), and
// pkg/controlplane/apiserver/server.go (a provider that cannot be built is logged and its routes not installed).
import type { KeyObject } from 'node:crypto';
import { publicJwksFromKeys, type PublicJwks } from '../authn/serviceaccount/jwks.js';
import { routeMethodNotAllowed, StatusError } from '../apimachinery/status.js';
import type { KubeContext } from '../request/state.js';

/** kube's OpenIDConfigPath. */
export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
/** kube's JWKSPath. */
export const JWKS_PATH = '/openid/v1/jwks';
/** staticPublicKeysGetter.GetCacheAgeMaxSeconds: keys from files never change, so both answers may be cached an hour. */
export const OPENID_METADATA_MAX_AGE_SECONDS = 3600;

/** What the discovery endpoints are built from. */
export interface IssuerDiscoveryConfig {
  /** The first --service-account-issuer: the document's issuer. */
  issuer: string;
  /** --service-account-jwks-uri; default https://<external address>/openid/v1/jwks. */
  jwksUri?: string;
  /** The keys that verify ServiceAccount tokens (--service-account-key-file), in order. */
  publicKeys: readonly KeyObject[];
}

/** Both documents, rendered once: kube serves the same bytes to every request. */
export interface OpenIdMetadata {
  configJson: string;
  keysetJson: string;
}

/**
 * kube's NewOpenIDMetadataProvider and its first Update: the issuer must be an https URL without query or
 * fragment, jwks_uri defaults to the external address (host:port, --external-hostname or --advertise-address in
 * kube; our listening address here) plus /openid/v1/jwks, and there must be at least one key with a JWK. Returns
 * kube's error text instead when it cannot be built; kube then logs it and serves neither path.
 */
export function buildOpenIdMetadata(c: IssuerDiscoveryConfig, defaultExternalAddress: string): { ok: true; metadata: OpenIdMetadata } | { ok: false; error: string } {
  if (c.issuer === '') return { ok: false, error: 'empty issuer URL' };
  const jwksUri = c.jwksUri ?? '';
  if (jwksUri === '' && defaultExternalAddress === '') return { ok: false, error: 'either the JWKS URI or the default external address, or both, must be set' };
  const iss = parseUrlParts(c.issuer);
  if (typeof iss === 'string') return { ok: false, error: iss };
  if (iss.scheme !== 'https') return { ok: false, error: `issuer URL must use https scheme, got: ${c.issuer}` };
  if (iss.query !== '') return { ok: false, error: `issuer URL may not include a query, got: ${c.issuer}` };
  if (iss.fragment !== '') return { ok: false, error: `issuer URL may not include a fragment, got: ${c.issuer}` };
  let uri = jwksUri;
  if (uri === '') uri = `https://${defaultExternalAddress}${JWKS_PATH}`;
  else {
    // "Double-check that jwksURI is an https URL": the flag's own check (jwksUriProblem) already refused others.
    const parts = parseUrlParts(uri);
    if (typeof parts === 'string') return { ok: false, error: parts };
    if (parts.scheme !== 'https') return { ok: false, error: `jwksURI requires https scheme, parsed as: ${uri}` };
  }
  if (c.publicKeys.length === 0) return { ok: false, error: 'no keys provided for validating keyset' };
  let keyset: PublicJwks;
  try {
    keyset = publicJwksFromKeys(c.publicKeys);
  } catch (err) {
    return { ok: false, error: `could not marshal issuer discovery JSON, error: ${(err as Error).message}` };
  }
  // openIDMetadata's fields in Go's order; the algorithms are a sorted set (sets.String.List).
  const document = {
    issuer: c.issuer,
    jwks_uri: uri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(keyset.keys.map((k) => k.alg))].sort(),
  };
  // json.Marshal's bytes: compact and with no newline, whatever the client (these handlers bypass kube's encoders).
  return { ok: true, metadata: { configJson: goJson(document), keysetJson: goJson(keyset) } };
}

/**
 * The check kube's ServiceAccounts options apply to --service-account-jwks-uri before the server starts
 * (pkg/kubeapiserver/options/authentication.go, Validate): undefined when it is a usable https URL.
 */
export function jwksUriProblem(uri: string): string | undefined {
  const parts = parseUrlParts(uri);
  if (typeof parts === 'string') return `service-account-jwks-uri must be a valid URL: ${parts}`;
  if (parts.scheme !== 'https') return `service-account-jwks-uri requires https scheme, parsed as: ${uri}`;
  return undefined;
}

/**
 * The four paths the routes answer: go-restful trims a trailing slash before matching, which is also why
 * kube's system:service-account-issuer-discovery ClusterRole lists each path with and without one.
 */
export function openIdMetadataRoutes(metadata: OpenIdMetadata): Record<string, (ctx: KubeContext) => Promise<void>> {
  const config = async (ctx: KubeContext): Promise<void> => send(ctx, 'application/json', metadata.configJson);
  const keys = async (ctx: KubeContext): Promise<void> => send(ctx, 'application/jwk-set+json', metadata.keysetJson);
  return { [OPENID_CONFIG_PATH]: config, [`${OPENID_CONFIG_PATH}/`]: config, [JWKS_PATH]: keys, [`${JWKS_PATH}/`]: keys };
}

// go-restful's Route.matchesAccept: any comma-separated entry, parameters cut, that is "*/*" or the type itself.
function acceptsType(accept: string, produced: string): boolean {
  if (accept === '') return true;
  return accept.split(',').some((entry) => {
    const type = entry.split(';')[0]!.trim();
    return type === '*/*' || type === produced;
  });
}

function send(ctx: KubeContext, contentType: string, body: string): void {
  // Each route is registered for GET only, and go-restful matches methods exactly: HEAD is a 405 like POST.
  if (ctx.method !== 'GET') throw routeMethodNotAllowed();
  // Then go-restful's Accept match (jsr311.go detectRoute): the route produces one type; any type or none takes it.
  if (!acceptsType(ctx.get('Accept'), contentType)) {
    throw new StatusError(406, 'NotAcceptable', `406: Not Acceptable\n\nAvailable representations: ${contentType}`, {});
  }
  ctx.respond = false;
  const res = ctx.res;
  res.statusCode = 200;
  // Overrides the server-wide "no-cache, private" (routes/openidmetadata.go cacheControlTemplate).
  res.setHeader('Cache-Control', `public, max-age=${OPENID_METADATA_MAX_AGE_SECONDS}`);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Go's encoding/json escapes <, > and & in strings; an issuer or URI with them must come out the same. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The parts of Go's url.Parse (net/url) these checks read: the scheme (lower-cased, as Go does), the query and
 * the fragment; or Go's parse error, for the mistakes a flag value plausibly has: a control character, a colon
 * with no scheme before it, a bad %-escape, a bad port, a space or other character Go refuses in the host, an
 * unclosed IPv6 bracket. Rarer malformations Go refuses (bad IPv6 zones, userinfo characters) are accepted here.
 */
function parseUrlParts(raw: string): { scheme: string; query: string; fragment: string } | string {
  const fail = (reason: string): string => `parse ${goQuote(raw)}: ${reason}`;
  if (/[\x00-\x1f\x7f]/.test(raw)) return fail('net/url: invalid control character in URL');
  const hash = raw.indexOf('#');
  const fragment = hash < 0 ? '' : raw.slice(hash + 1);
  let rest = hash < 0 ? raw : raw.slice(0, hash);
  // getScheme: a letter, then letters, digits, + - .; a colon before any of them is "missing protocol scheme".
  if (rest.startsWith(':')) return fail('missing protocol scheme');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  const scheme = m === null ? '' : m[1]!.toLowerCase();
  if (m !== null) rest = rest.slice(m[0].length);
  // A lone trailing "?" is Go's ForceQuery with an empty RawQuery; the query itself is not checked.
  const q = rest.indexOf('?');
  const query = q < 0 ? '' : rest.slice(q + 1);
  if (q >= 0) rest = rest.slice(0, q);
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    const problem = hostProblem(hostPort);
    if (problem !== undefined) return fail(problem);
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  for (const part of [rest, fragment]) {
    const bad = /%(?![0-9A-Fa-f]{2})/.exec(part);
    if (bad !== null) return fail(`invalid URL escape ${goQuote(part.slice(bad.index, bad.index + 3))}`);
  }
  return { scheme, query, fragment };
}

/** Go's parseHost: a bracketed IPv6 literal must close, a port is digits, host characters are those Go allows. */
function hostProblem(hostPort: string): string | undefined {
  let host = hostPort;
  let port = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.lastIndexOf(']');
    if (close < 0) return "missing ']' in host";
    port = hostPort.slice(close + 1);
    host = hostPort.slice(0, close + 1);
  } else if (hostPort.includes(':')) {
    port = hostPort.slice(hostPort.lastIndexOf(':'));
    host = hostPort.slice(0, hostPort.lastIndexOf(':'));
  }
  if (port !== '' && !/^:[0-9]*$/.test(port)) return `invalid port ${goQuote(port)} after host`;
  const bad = /[^A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%\u0080-\uffff]/.exec(host);
  if (bad !== null) return `invalid character ${goQuote(bad[0])} in host name`;
  const escape = /%(?![0-9A-Fa-f]{2})/.exec(host);
  if (escape !== null) return `invalid URL escape ${goQuote(host.slice(escape.index, escape.index + 3))}`;
  return undefined;
}

/** Go's %q for the ASCII these messages quote: JSON's escapes, with \xNN for other control characters. */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}
