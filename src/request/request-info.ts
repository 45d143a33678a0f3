// Request attributes, resolved once from method and URL.
// Source: staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go.
import { FieldSelectorError, parseFieldSelector, requiresExactMatch, type FieldRequirement } from '../apimachinery/fields.js';
import { LabelSelectorError, parseLabelSelector } from '../apimachinery/labels.js';
import { isGoInt64, validatePathSegmentName } from '../apimachinery/validation.js';

/** kube's request.RequestInfo: what authorization, audit and the handlers read. */
export interface RequestInfo {
  isResourceRequest: boolean;
  /** The URL path, without the query. */
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection, proxy; for non-resource requests the lower-cased HTTP method. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments after the api prefix, group and version, as kube's Parts. */
  parts: string[];
  /**
   * The unparsed fieldSelector and labelSelector query parameters of a list, watch or deletecollection (not of a verb
   * taken from the path), for authorization with selectors (KEP-4601, AuthorizeWithSelectors, on from 1.32).
   */
  fieldSelector?: string;
  labelSelector?: string;
}

/**
 * Why a request never gets a RequestInfo in kube-apiserver.
 * - INVALID_REQUEST_URI: Go's net/http rejects the request target (url.ParseRequestURI fails), so the
 *   server answers 400 Bad Request before any kube filter runs.
 * - UNRESOLVABLE: NewRequestInfo itself returns an error; kube's WithRequestInfo filter answers
 *   500 "failed to create RequestInfo: <message>".
 */
export type RequestInfoErrorCode = 'INVALID_REQUEST_URI' | 'UNRESOLVABLE';

/** Thrown where kube-apiserver would refuse the request instead of producing a RequestInfo. */
export class RequestInfoError extends Error {
  readonly code: RequestInfoErrorCode;
  /** For UNRESOLVABLE: the info as far as kube had filled it in when it gave up. */
  readonly info: RequestInfo | undefined;

  constructor(code: RequestInfoErrorCode, message: string, info?: RequestInfo) {
    super(message);
    this.name = 'RequestInfoError';
    this.code = code;
    this.info = info;
  }
}

// kube-apiserver's configuration: genericapiserver.NewRequestInfoResolver uses
// APIPrefixes {"api", "apis"} and GrouplessAPIPrefixes {"api"}.
const API_PREFIXES: ReadonlySet<string> = new Set(['api', 'apis']);
const GROUPLESS_API_PREFIXES: ReadonlySet<string> = new Set(['api']);

// Verbs that older clients put in the path (/api/v1/watch/..., /api/v1/proxy/...).
const SPECIAL_VERBS: ReadonlySet<string> = new Set(['proxy', 'watch']);

/** verbsWithSelectors: the verbs whose selectors authorization sees. */
const VERBS_WITH_SELECTORS: ReadonlySet<string> = new Set(['list', 'watch', 'deletecollection']);
// A proxy path's tail is the proxied URL, not a subresource.
const SPECIAL_VERBS_NO_SUBRESOURCES: ReadonlySet<string> = new Set(['proxy']);
// Lets /namespaces/{ns}/status be a subresource of the namespace while /namespaces/{ns}/pods is a resource.
const NAMESPACE_SUBRESOURCES: ReadonlySet<string> = new Set(['status', 'finalize']);

/**
 * Resolves a request's attributes from its method and URL (path and query). Pure.
 *
 * A port of `RequestInfoFactory.NewRequestInfo` in kubernetes/kubernetes
 * staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go, configured as kube-apiserver
 * configures it, including the parts of Go and apimachinery it leans on: `url.ParseRequestURI`
 * (what Go's HTTP server makes of the request target), `url.ParseQuery`, the ListOptions query
 * decoding, and (from the store's ports in src/store) `fields.ParseSelector`, `labels.Parse` and
 * `path.IsValidPathSegmentName`.
 *
 * `url` is the request target as received (Node's `req.url`): origin-form, absolute-form or `*`.
 *
 * @throws RequestInfoError where kube-apiserver would answer with an error instead (see its codes).
 */
export function resolveRequestInfo(method: string, url: string): RequestInfo {
  // Go's readRequest: a CONNECT target without a leading slash is an authority ("host:port"), parsed
  // as "http://" + target, so its path is empty.
  const target = parseRequestTarget(method === 'CONNECT' && !url.startsWith('/') ? `http://${url}` : url);

  // start with a non-resource request until proven otherwise
  const info: RequestInfo = {
    isResourceRequest: false,
    path: target.path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };

  let currentParts = splitPath(target.path);
  if (currentParts.length < 3) {
    return info;
  }
  if (!API_PREFIXES.has(currentParts[0]!)) {
    return info;
  }
  info.apiPrefix = currentParts[0]!;
  currentParts = currentParts.slice(1);

  if (!GROUPLESS_API_PREFIXES.has(info.apiPrefix)) {
    // The prefix is consumed already, so this asks for four parts in all: prefix, group, version, resource.
    if (currentParts.length < 3) {
      return info;
    }
    info.apiGroup = currentParts[0]!;
    currentParts = currentParts.slice(1);
  }

  info.isResourceRequest = true;
  info.apiVersion = currentParts[0]!;
  currentParts = currentParts.slice(1);

  // Selector authorization ignores verbs taken from the path, so kube tracks it (verbViaPathPrefix);
  // the name-from-fieldSelector rule below does not depend on it.
  const verbViaPathPrefix = SPECIAL_VERBS.has(currentParts[0]!);
  if (verbViaPathPrefix) {
    if (currentParts.length < 2) {
      throw new RequestInfoError(
        'UNRESOLVABLE',
        `unable to determine kind and namespace from url, ${target.display}`,
        { ...info, parts: [] },
      );
    }
    info.verb = currentParts[0]!;
    currentParts = currentParts.slice(1);
  } else {
    // Go compares req.Method case-sensitively, so "get" is not GET and gets the empty verb.
    switch (method) {
      case 'POST':
        info.verb = 'create';
        break;
      case 'GET':
      case 'HEAD':
        info.verb = 'get';
        break;
      case 'PUT':
        info.verb = 'update';
        break;
      case 'PATCH':
        info.verb = 'patch';
        break;
      case 'DELETE':
        info.verb = 'delete';
        break;
      default:
        info.verb = '';
    }
  }

  // URL forms: /namespaces/{namespace}/{kind}/*, where parts are adjusted to be relative to kind
  if (currentParts[0] === 'namespaces') {
    if (currentParts.length > 1) {
      info.namespace = currentParts[1]!;
      if (currentParts.length > 2 && !NAMESPACE_SUBRESOURCES.has(currentParts[2]!)) {
        currentParts = currentParts.slice(2);
      }
    }
  } else {
    info.namespace = ''; // metav1.NamespaceNone
  }

  info.parts = currentParts;

  // parts look like: resource/resourceName/subresource/other/stuff/we/don't/interpret
  if (info.parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb)) {
    info.subresource = info.parts[2]!;
  }
  if (info.parts.length >= 2) {
    info.name = info.parts[1]!;
  }
  if (info.parts.length >= 1) {
    info.resource = info.parts[0]!;
  }

  // No name and a GET: a collection read, so list or watch, and a fieldSelector on metadata.name
  // narrows it to one object (so RBAC resourceNames can apply to list/watch).
  if (info.name === '' && info.verb === 'get') {
    const query = parseGoQuery(target.rawQuery);
    let opts = decodeListOptions(query);
    if (opts === undefined) {
      // kube: a query that fails to decode into ListOptions gives "list" and no name,
      // except that a watch parameter is still honoured (read with strings.ToLower, not EqualFold).
      let watch = false;
      const values = query.get('watch');
      if (values !== undefined && values.length > 0) {
        const v = values[0]!.toLowerCase();
        watch = !(v === 'false' || v === '0');
      }
      opts = { watch, fieldSelector: undefined };
    }

    info.verb = opts.watch ? 'watch' : 'list';

    if (opts.fieldSelector !== undefined) {
      const name = requiresExactMatch(opts.fieldSelector, 'metadata.name');
      // path.IsValidPathSegmentName
      if (name !== undefined && validatePathSegmentName(name, false).length === 0) {
        info.name = name;
      }
    }
  }

  // if there's no name on the request and we thought it was a delete before, then the actual verb is deletecollection
  if (info.name === '' && info.verb === 'delete') {
    info.verb = 'deletecollection';
  }

  // The selectors are read straight from the query: one that fails to decode into ListOptions above still counts.
  if (!verbViaPathPrefix && VERBS_WITH_SELECTORS.has(info.verb)) {
    const query = parseGoQuery(target.rawQuery);
    const field = query.get('fieldSelector');
    const label = query.get('labelSelector');
    if (field !== undefined && field.length > 0) info.fieldSelector = field[0]!;
    if (label !== undefined && label.length > 0) info.labelSelector = label[0]!;
  }

  return info;
}

// splitPath returns the segments for a URL path. Only the outer slashes are trimmed, so an empty
// segment in the middle ("/api/v1//pods") stays an empty segment, as in kube.
function splitPath(path: string): string[] {
  const trimmed = trimSlashes(path);
  if (trimmed === '') {
    return [];
  }
  return trimmed.split('/');
}

function trimSlashes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === '/') start++;
  while (end > start && s[end - 1] === '/') end--;
  return s.slice(start, end);
}

// ---------------------------------------------------------------------------------------------
// Go net/url: what Go's HTTP server makes of the request target (url.ParseRequestURI).
// ---------------------------------------------------------------------------------------------

interface RequestTarget {
  /** req.URL.Path: percent-decoded. */
  path: string;
  /** req.URL.RawQuery: still encoded. */
  rawQuery: string;
  /** How the URL appears in kube's error message. */
  display: string;
}

function parseRequestTarget(rawURL: string): RequestTarget {
  // Go's server can never see an empty target (the request line would be malformed); kube's own
  // tests build requests with url.Parse, which reads "" as the empty path, and so do we.
  if (rawURL === '') {
    return { path: '', rawQuery: '', display: '' };
  }
  for (let i = 0; i < rawURL.length; i++) {
    const c = rawURL.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      throw invalidURI(rawURL, 'net/url: invalid control character in URL');
    }
  }
  if (rawURL === '*') {
    return { path: '*', rawQuery: '', display: '*' };
  }

  const { scheme, rest: afterScheme } = getScheme(rawURL);
  // ParseRequestURI never cuts a fragment: a '#' stays in the path or in the query.
  let rest = afterScheme;
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }

  if (!rest.startsWith('/')) {
    if (scheme !== '') {
      // A rootless path after a scheme is opaque ("mailto:x"); URL.Path stays empty.
      return { path: '', rawQuery, display: rawURL };
    }
    throw invalidURI(rawURL, 'invalid URI for request');
  }
  if (scheme !== '' && rest.startsWith('//')) {
    // Absolute-form: drop the authority. Go also validates the host and userinfo here; that is
    // not reproduced, only where the path starts.
    const slash = rest.indexOf('/', 2);
    rest = slash >= 0 ? rest.slice(slash) : '';
  }

  // URL.Path is the percent-decoded path: "%2F" becomes "/" and so splits segments, exactly as
  // it does for kube, which reads req.URL.Path and never RawPath. "+" stays "+" in a path.
  const path = unescape(rest, false);
  if (path === undefined) {
    throw invalidURI(rawURL, 'invalid URL escape');
  }
  return { path, rawQuery, display: rest + (q >= 0 ? `?${rawQuery}` : '') };
}

function invalidURI(rawURL: string, reason: string): RequestInfoError {
  return new RequestInfoError('INVALID_REQUEST_URI', `parse ${JSON.stringify(rawURL)}: ${reason}`);
}

// Go's getScheme: a scheme is letters, then letters, digits, "+", "-" or "." up to a ":".
function getScheme(rawURL: string): { scheme: string; rest: string } {
  for (let i = 0; i < rawURL.length; i++) {
    const c = rawURL[i]!;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      continue;
    }
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return { scheme: '', rest: rawURL };
      continue;
    }
    if (c === ':') {
      if (i === 0) throw invalidURI(rawURL, 'missing protocol scheme');
      return { scheme: rawURL.slice(0, i).toLowerCase(), rest: rawURL.slice(i + 1) };
    }
    return { scheme: '', rest: rawURL };
  }
  return { scheme: '', rest: rawURL };
}

const utf8Encoder = new TextEncoder();
// Go strings are bytes and may hold invalid UTF-8 ("%FF"); a JS string cannot, so invalid
// sequences become U+FFFD. ignoreBOM keeps a decoded leading U+FEFF, which Go keeps too.
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

/**
 * Go's url.unescape for paths (queryComponent false) and query components (true, where "+" is a
 * space). Undefined where Go reports an EscapeError: a "%" not followed by two hex digits.
 */
function unescape(s: string, queryComponent: boolean): string | undefined {
  if (!s.includes('%') && !(queryComponent && s.includes('+'))) {
    return s;
  }
  const bytes = utf8Encoder.encode(s);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b === 0x25) {
      if (i + 2 >= bytes.length) return undefined;
      const hi = hexValue(bytes[i + 1]!);
      const lo = hexValue(bytes[i + 2]!);
      if (hi < 0 || lo < 0) return undefined;
      out[n++] = (hi << 4) | lo;
      i += 3;
    } else if (b === 0x2b && queryComponent) {
      out[n++] = 0x20;
      i++;
    } else {
      out[n++] = b;
      i++;
    }
  }
  return utf8Decoder.decode(out.subarray(0, n));
}

// Go 1.24.12/1.25.6 and later refuse a query of more than this many parameters (GODEBUG
// urlmaxqueryparams); URL.Query() drops the error and hands back no values at all.
const GO_MAX_QUERY_PARAMS = 10000;

/**
 * Go's url.ParseQuery as URL.Query() uses it: errors are dropped, along with the pairs that caused them.
 * Handlers must read the query with this too: if they parsed it another way (WHATWG URLSearchParams keeps
 * pairs with ";"), `?watch=1;` would be authorized as a list and served as a watch.
 */
export function parseGoQuery(rawQuery: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  if (countOf(rawQuery, '&') + 1 > GO_MAX_QUERY_PARAMS) {
    return values;
  }
  for (const pair of rawQuery.split('&')) {
    // Since Go 1.17 ";" is no separator: the pair holding it is an error and is dropped whole.
    if (pair === '' || pair.includes(';')) {
      continue;
    }
    const eq = pair.indexOf('=');
    const key = unescape(eq >= 0 ? pair.slice(0, eq) : pair, true);
    if (key === undefined) continue;
    const value = unescape(eq >= 0 ? pair.slice(eq + 1) : '', true);
    if (value === undefined) continue;
    const list = values.get(key);
    if (list === undefined) {
      values.set(key, [value]);
    } else {
      list.push(value);
    }
  }
  return values;
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// metainternalversionscheme.ParameterCodec.DecodeParameters(query, v1, &ListOptions{}):
// url.Values -> metav1.ListOptions (zz_generated.conversion.go) -> internal ListOptions, which
// parses both selectors. Any failure makes kube fall back to "list, no name".
// ---------------------------------------------------------------------------------------------

interface ListOptions {
  watch: boolean;
  /** The parsed field selector, sorted as fields.ParseSelector sorts it; undefined is a nil selector. */
  fieldSelector: FieldRequirement[] | undefined;
}

function decodeListOptions(query: Map<string, string[]>): ListOptions | undefined {
  // DecodeParameters returns before converting anything when there are no parameters,
  // leaving FieldSelector nil.
  if (query.size === 0) {
    return { watch: false, fieldSelector: undefined };
  }
  // The only ListOptions query fields whose conversion can fail; watch, allowWatchBookmarks,
  // sendInitialEvents, resourceVersion, resourceVersionMatch and continue accept any string.
  for (const key of ['timeoutSeconds', 'limit']) {
    const values = query.get(key);
    if (values !== undefined && !isGoInt64(values[0]!)) {
      return undefined;
    }
  }
  // Convert_string_To_labels_Selector (labels.Parse): only whether it fails matters here.
  if (parsedSelector(() => parseLabelSelector(query.get('labelSelector')?.[0] ?? '')) === undefined) {
    return undefined;
  }
  // Convert_string_To_fields_Selector (fields.ParseSelector).
  const fieldSelector = parsedSelector(() => parseFieldSelector(query.get('fieldSelector')?.[0] ?? ''));
  if (fieldSelector === undefined) {
    return undefined;
  }
  const watchValues = query.get('watch');
  const watch = watchValues !== undefined && goSliceStringToBool(watchValues[0]!);
  return { watch, fieldSelector };
}

// runtime.Convert_Slice_string_To_bool: only "0" and "false" (strings.EqualFold) are false, so
// "watch=" (empty) is true.
function goSliceStringToBool(v: string): boolean {
  return !(v === '0' || equalFoldFalse(v));
}

// strings.EqualFold(v, "false") uses Unicode simple folding, under which U+017F (long s) equals "s".
function equalFoldFalse(v: string): boolean {
  return /^false$/i.test(v.replace(/\u017f/g, 's'));
}

// The store's selector parsers, with a parse error (kube's message, dropped here) as undefined.
function parsedSelector<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (err instanceof LabelSelectorError || err instanceof FieldSelectorError) return undefined;
    throw err;
  }
}
