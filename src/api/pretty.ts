// Whether a response is pretty-printed: kube-apiserver's rule, read from k8s.io/apiserver@v0.34.4
// pkg/endpoints/handlers/negotiation/negotiate.go. NegotiateOutputMediaType (line 59) picks the JSON
// serializer's PrettySerializer when the accepted Accept clause carries `pretty=1` (acceptMediaTypeOptions,
// line 227: `options.Pretty = v == "1"`) or isPrettyPrint(req) (lines 100-120) holds:
//   - a non-empty `pretty` query value decides alone, through strconv.ParseBool (anything it refuses is false);
//   - otherwise a User-Agent starting with "curl", "Wget" or "Mozilla/5.0" (case-sensitive prefixes).
// Only JSON has a PrettySerializer (apimachinery runtime/serializer/codec_factory.go); watch streams negotiate
// through NegotiateOutputMediaTypeStream, which never looks at it, so watch events stay compact.

const ACCEPTED_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/*', '*/*'];
// The clauses kube answers with its JSON serializer, the only one with a pretty form.
const JSON_TYPES = ['application/json', 'application/*', '*/*'];

/** What isPrettyPrint and the Accept header need from a request. */
export interface PrettyRequest {
  /** The raw query, without '?' (Go's URL.RawQuery). */
  querystring: string;
  userAgent: string | undefined;
  accept: string | undefined;
}

/** Go's strconv.ParseBool: the spellings it accepts; undefined for the ones it refuses. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** negotiate.go isPrettyPrint: the `pretty` query parameter, else the User-Agent of a person's tool. */
export function isPrettyPrint(req: Pick<PrettyRequest, 'querystring' | 'userAgent'>): boolean {
  // "avoid an allocation caused by parsing the URL query": the query is parsed only when it mentions pretty.
  if (req.querystring.includes('pretty')) {
    const pp = new URLSearchParams(req.querystring).get('pretty') ?? '';
    // An empty value (`?pretty`, `?pretty=`) falls through to the User-Agent; `?pretty=yes` is ParseBool's error: false.
    if (pp.length > 0) return parseGoBool(pp) ?? false;
  }
  const ua = req.userAgent ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}

/** `pretty=1` on the Accept clause negotiation picks (highest q, first listed), when that clause is answered in JSON. */
export function acceptAsksPretty(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes('pretty')) return false;
  const clauses = accept.split(',').map((raw, index) => {
    const [type = '', ...paramParts] = raw.split(';').map((p) => p.trim());
    const params = new Map<string, string>();
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
    }
    const q = params.has('q') ? Number(params.get('q')) : 1;
    return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q, index };
  });
  clauses.sort((a, b) => b.q - a.q || a.index - b.index);
  const chosen = clauses.find((c) => c.q > 0 && ACCEPTED_TYPES.includes(c.type));
  return chosen !== undefined && JSON_TYPES.includes(chosen.type) && chosen.params.get('pretty') === '1';
}

/** The one decision every negotiated JSON writer (objects, lists, discovery, Status errors) asks. */
export function wantsPretty(req: PrettyRequest): boolean {
  return acceptAsksPretty(req.accept) || isPrettyPrint(req);
}
