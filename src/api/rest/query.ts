// The query parameters of resource requests, decoded as kube's ParameterCodec does (metav1.ListOptions,
// CreateOptions, UpdateOptions, PatchOptions, DeleteOptions, TableOptions), with kube's errors for values that do
// not convert (400) or do not validate (422). Sources: apimachinery/pkg/runtime/conversion.go
// (Convert_Slice_string_To_bool, _To_int64), apis/meta/v1/validation/validation.go (ValidateCreateOptions,
// ValidateDryRun, ValidateFieldValidation), apiserver/pkg/endpoints/handlers/negotiation (NegotiateOutputMediaType).
import { parseGoQuery } from '../../request/request-info.js';
import type { KubeContext } from '../../request/state.js';
import { badRequest, invalidObject } from '../../apimachinery/status.js';
import { fieldNotSupported, goStringSlice } from '../../apimachinery/validation.js';

// The query is read with the same Go semantics that resolved the request's attributes, so what was
// authorized (verb, name from a field selector) is what is served. Parsed once per request.
const parsed = new WeakMap<KubeContext, Map<string, string[]>>();
function goQuery(ctx: KubeContext): Map<string, string[]> {
  let query = parsed.get(ctx);
  if (query === undefined) parsed.set(ctx, (query = parseGoQuery(ctx.querystring)));
  return query;
}

/** The first value of a query parameter, as url.Values.Get returns it; undefined when absent. */
export function queryValue(ctx: KubeContext, name: string): string | undefined {
  return goQuery(ctx).get(name)?.[0];
}

function queryValues(ctx: KubeContext, name: string): string[] {
  return goQuery(ctx).get(name) ?? [];
}

/** runtime.Convert_Slice_string_To_bool: only "0" and "false" (any case) are false; absent is false. */
export function boolParam(ctx: KubeContext, name: string): boolean {
  const v = queryValue(ctx, name);
  if (v === undefined) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** runtime.Convert_Slice_string_To_int64, with strconv.ParseInt's error as kube's 400. */
export function intParam(ctx: KubeContext, name: string): number | undefined {
  const v = queryValue(ctx, name);
  if (v === undefined) return undefined;
  if (!/^[+-]?[0-9]+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

/** The list and watch parameters the handlers read. */
export interface ListParams {
  labelSelector: string;
  fieldSelector: string;
  resourceVersion: string;
  watch: boolean;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number | undefined;
  limit: number | undefined;
  continueToken: string;
}

/** Decodes ListOptions from the query; integers that do not parse are kube's 400. */
export function listParams(ctx: KubeContext): ListParams {
  return {
    labelSelector: queryValue(ctx, 'labelSelector') ?? '',
    fieldSelector: queryValue(ctx, 'fieldSelector') ?? '',
    resourceVersion: queryValue(ctx, 'resourceVersion') ?? '',
    watch: boolParam(ctx, 'watch'),
    allowWatchBookmarks: boolParam(ctx, 'allowWatchBookmarks'),
    sendInitialEvents: boolParam(ctx, 'sendInitialEvents'),
    timeoutSeconds: intParam(ctx, 'timeoutSeconds'),
    limit: intParam(ctx, 'limit'),
    continueToken: queryValue(ctx, 'continue') ?? '',
  };
}

/** Which options kind a write's query decodes into, for kube's 422 `CreateOptions.meta.k8s.io "" is invalid`. */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** dryRun (only "All") and fieldValidation (Ignore, Warn, Strict), validated as kube validates the options. */
export interface WriteParams {
  dryRun: boolean;
  fieldValidation: 'Ignore' | 'Warn' | 'Strict';
}

/** Decodes and validates dryRun and fieldValidation from the query: 422 on an unsupported value. */
export function writeParams(ctx: KubeContext, kind: OptionsKind): WriteParams {
  const dryRun = queryValues(ctx, 'dryRun');
  const fieldValidation = kind === 'DeleteOptions' ? '' : (queryValue(ctx, 'fieldValidation') ?? '');
  const errs = [];
  // ValidateDryRun (apimachinery/pkg/apis/meta/v1/validation): every value must be All; repeating it is fine.
  if (dryRun.some((v) => v !== 'All')) errs.push(fieldNotSupported('dryRun', goStringSlice(dryRun), ['All']));
  if (!['', 'Ignore', 'Warn', 'Strict'].includes(fieldValidation)) errs.push(fieldNotSupported('fieldValidation', fieldValidation, ['', 'Ignore', 'Strict', 'Warn']));
  if (errs.length > 0) throw invalidObject('meta.k8s.io', kind, '', errs);
  return { dryRun: dryRun.length > 0, fieldValidation: fieldValidation === '' ? 'Warn' : (fieldValidation as WriteParams['fieldValidation']) };
}

/** What the client asked the response to be, from Accept (kube's `as`, `g` and `v` media type parameters). */
export type OutputTarget =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadataList'; version: 'v1' | 'v1beta1' };

/**
 * NegotiateOutputMediaType for the JSON family: the first acceptable clause by q-value wins. A clause asking
 * `as=` a target this endpoint cannot produce is skipped. Protobuf and YAML clauses are answered in JSON; a
 * header with nothing acceptable gets JSON too (kube would answer 406).
 */
export function outputTarget(accept: string | undefined, endpoint: 'object' | 'list'): OutputTarget {
  if (accept === undefined || accept.trim() === '') return { as: 'object' };
  const clauses = accept.split(',').map((raw, index) => {
    const [type = '', ...paramParts] = raw.split(';').map((p) => p.trim());
    const params: Record<string, string> = {};
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q, index };
  });
  clauses.sort((a, b) => b.q - a.q || a.index - b.index);
  for (const c of clauses) {
    if (c.q <= 0) continue;
    if (!['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/*', '*/*'].includes(c.type)) continue;
    const as = c.params.as;
    if (as === undefined || as === '') return { as: 'object' };
    const version = c.params.v;
    if (c.params.g !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1')) continue;
    if (as === 'Table') return { as: 'Table', version };
    if (as === 'PartialObjectMetadata' && endpoint === 'object') return { as, version };
    if (as === 'PartialObjectMetadataList' && endpoint === 'list') return { as, version };
  }
  return { as: 'object' };
}
