// A minimal OpenAPI discovery, enough for kubectl: `kubectl apply` (validation on by default) looks for the
// fieldValidation query parameter on each kind's PATCH operation, identified by its x-kubernetes-group-version-kind
// extension; finding it, kubectl leaves validation to the server, which our REST handlers do. kubectl 1.29+ reads
// OpenAPI v3 (resource/query_param_verifier_v3.go); 1.27 and 1.28 read /openapi/v2 as gnostic's openapi_v2.Document
// protobuf (client-go discovery OpenAPISchema, resource/query_param_verifier.go supportsQueryParam/hasGVKExtension).
// Operations list no strategic-merge-patch body and no definitions are served, so kubectl computes apply patches
// from its compiled-in types (v3: Patcher.gvkSupportsPatchOpenAPIV3 answers false; v2: OpenapiSchema.LookupResource
// finds no model). `kubectl explain` has nothing to show.
//
// Serving follows kube-openapi: pkg/handler3 for v3; pkg/handler/handler.go for v2, which builds the JSON swagger
// document and converts it to protobuf (ToProtoBinary: gnostic ParseDocument, then proto.Marshal), negotiates the
// Accept header against application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf (deprecated,
// answered with the new name) and application/com.github.proto-openapi.spec.v2.v1.0+protobuf, in that order per
// Accept clause, sends 406 when none matches, `Vary: Accept`, an ETag of the SHA-512 of the JSON (the same for both
// encodings) and lets http.ServeContent answer If-None-Match / If-Modified-Since with 304.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { KubeContext } from '../request/state.js';
import type { ApiRegistry, ServedGroupVersion } from './registry.js';
import { sendJson } from './respond.js';
import { internalError, pathNotFound } from '../apimachinery/status.js';

// ---------------------------------------------------------------------------------------------------------------
// What both versions describe

/** The query parameters each PATCH operation lists; kubectl looks for fieldValidation. */
const PATCH_QUERY_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation'] as const;
/** The patch bodies the operations declare (not strategic merge: see the header). */
const PATCH_BODY_TYPES = ['application/json-patch+json', 'application/merge-patch+json'] as const;
const PATCH_RESPONSES = { '200': { description: 'OK' } } as const;

/** kube's x-kubernetes-group-version-kind value, keys in the order kube's JSON has them. */
interface GroupVersionKind {
  group: string;
  kind: string;
  version: string;
}

/** A resource's PATCH endpoint: one path per resource that serves patch. */
interface PatchTarget {
  path: string;
  namespaced: boolean;
  description: string;
  operationId: string;
  gvk: GroupVersionKind;
}

/** One served group version and its patch targets. */
interface GroupVersionTargets {
  /** "api/v1" or "apis/{group}/{version}": the key kube's /openapi/v3 index uses. */
  key: string;
  targets: PatchTarget[];
}

function gvKey(gv: ServedGroupVersion): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

/** Every served group version with resources, each with a target per resource (not subresource) serving patch. */
function patchTargets(registry: ApiRegistry): GroupVersionTargets[] {
  const versions = registry.groups().flatMap((g) => g.versions).filter((gv) => gv.resources.length > 0);
  return versions.map((gv) => {
    const key = gvKey(gv);
    const targets: PatchTarget[] = [];
    for (const r of gv.resources) {
      if (r.name.includes('/') || r.handlers.patch === undefined) continue;
      targets.push({
        path: `/${key}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.name}/{name}`,
        namespaced: r.namespaced,
        description: `partially update the specified ${r.kind}`,
        operationId: `patch${gv.version}${r.kind}`,
        gvk: { group: gv.group, kind: r.kind, version: gv.version },
      });
    }
    return { key, targets };
  });
}

const sha512Hex = (data: string | Uint8Array): string => createHash('sha512').update(data).digest('hex').toUpperCase();

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI v3

/** The OpenAPI v3 document of one group version: a PATCH operation per patch target. */
function v3Document(targets: readonly PatchTarget[], kubernetesVersion: string): object {
  const paths: Record<string, object> = {};
  for (const t of targets) {
    paths[t.path] = {
      patch: {
        description: t.description,
        operationId: t.operationId,
        parameters: PATCH_QUERY_PARAMETERS.map((name) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } })),
        requestBody: {
          content: Object.fromEntries(PATCH_BODY_TYPES.map((type) => [type, { schema: { type: 'object' } }])),
          required: true,
        },
        responses: PATCH_RESPONSES,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': t.gvk,
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: kubernetesVersion }, paths, components: { schemas: {} } };
}

interface V3Served {
  index: string;
  docs: Map<string, string>;
}

function v3Served(gvs: readonly GroupVersionTargets[], kubernetesVersion: string): V3Served {
  const docs = new Map(gvs.map((gv) => [gv.key, JSON.stringify(v3Document(gv.targets, kubernetesVersion))]));
  const paths = Object.fromEntries(
    [...docs].map(([key, doc]) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${sha512Hex(doc)}` }]),
  );
  return { index: `${JSON.stringify({ paths })}\n`, docs };
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI v2: the swagger JSON, and gnostic's protobuf made from it

interface SwaggerParameter {
  name: string;
  in: 'query' | 'path' | 'body';
  required?: boolean;
  type?: 'string';
  uniqueItems?: boolean;
  description?: string;
  schema?: { type: string };
}

interface SwaggerOperation {
  consumes: string[];
  description: string;
  operationId: string;
  parameters: SwaggerParameter[];
  produces: string[];
  responses: Record<string, { description: string }>;
  schemes: string[];
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

interface SwaggerPathItem {
  patch: SwaggerOperation;
  parameters: SwaggerParameter[];
}

interface SwaggerDocument {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, SwaggerPathItem>;
}

/** The swagger 2.0 document of everything served: a path per patch target, sorted as kube's JSON sorts them. */
function v2Document(gvs: readonly GroupVersionTargets[], kubernetesVersion: string): SwaggerDocument {
  const targets = gvs.flatMap((gv) => gv.targets).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const paths: Record<string, SwaggerPathItem> = {};
  for (const t of targets) {
    const pathParameters: SwaggerParameter[] = [{ name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true, description: `name of the ${t.gvk.kind}` }];
    if (t.namespaced) {
      pathParameters.push({ name: 'namespace', in: 'path', required: true, type: 'string', uniqueItems: true, description: 'object name and auth scope, such as for teams and projects' });
    }
    paths[t.path] = {
      patch: {
        consumes: [...PATCH_BODY_TYPES],
        description: t.description,
        operationId: t.operationId,
        parameters: [
          { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
          ...PATCH_QUERY_PARAMETERS.map((name): SwaggerParameter => ({ name, in: 'query', type: 'string', uniqueItems: true })),
        ],
        produces: ['application/json'],
        responses: { ...PATCH_RESPONSES },
        schemes: ['https'],
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': t.gvk,
      },
      parameters: pathParameters,
    };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: kubernetesVersion }, paths };
}

/** A YAML scalar as yaml.v3 writes a plain-style string: plain when unambiguous, else double-quoted. */
function yamlScalar(s: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9._/-]*$/.test(s) && !/^(true|false|yes|no|on|off|y|n|null)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

/** A vendor extension's value as gnostic keeps it: the YAML of the JSON value (compiler.Marshal, styles cleared). */
function extensionYaml(value: string | GroupVersionKind): string {
  if (typeof value === 'string') return `${yamlScalar(value)}\n`;
  return Object.entries(value).map(([k, v]) => `${k}: ${yamlScalar(v)}\n`).join('');
}

// gnostic openapi_v2 messages as protobufjs plain objects (keepCase: the .proto's snake_case field names).
interface GnosticNamedAny { name: string; value: { yaml: string } }
type GnosticParametersItem = { parameter: { body_parameter: object } | { non_body_parameter: object } };
interface GnosticOperation {
  description: string;
  operation_id: string;
  produces: string[];
  consumes: string[];
  parameters: GnosticParametersItem[];
  responses: { response_code: { name: string; value: { response: { description: string } } }[] };
  schemes: string[];
  vendor_extension: GnosticNamedAny[];
}
interface GnosticDocument {
  swagger: string;
  info: { title: string; version: string };
  paths: { path: { name: string; value: { patch: GnosticOperation; parameters: GnosticParametersItem[] } }[] };
}

/** gnostic's NewParametersItem for the parameters we write: body, or a query or path parameter. */
function gnosticParameter(p: SwaggerParameter): GnosticParametersItem {
  if (p.in === 'body') {
    return { parameter: { body_parameter: { name: p.name, in: p.in, required: p.required ?? false, schema: { type: { value: [p.schema?.type ?? 'object'] } } } } };
  }
  const sub = { required: p.required ?? false, in: p.in, description: p.description ?? '', name: p.name, type: p.type ?? '', unique_items: p.uniqueItems ?? false };
  return { parameter: { non_body_parameter: p.in === 'query' ? { query_parameter_sub_schema: sub } : { path_parameter_sub_schema: sub } } };
}

/** gnostic's ParseDocument of our swagger document: the same content, as openapi_v2 messages. */
function gnosticDocument(doc: SwaggerDocument): GnosticDocument {
  return {
    swagger: doc.swagger,
    info: doc.info,
    paths: {
      path: Object.entries(doc.paths).map(([name, item]) => ({
        name,
        value: {
          patch: {
            description: item.patch.description,
            operation_id: item.patch.operationId,
            produces: item.patch.produces,
            consumes: item.patch.consumes,
            parameters: item.patch.parameters.map(gnosticParameter),
            responses: { response_code: Object.entries(item.patch.responses).map(([code, r]) => ({ name: code, value: { response: { description: r.description } } })) },
            schemes: item.patch.schemes,
            vendor_extension: (['x-kubernetes-action', 'x-kubernetes-group-version-kind'] as const).map((ext) => ({ name: ext, value: { yaml: extensionYaml(item.patch[ext]) } })),
          },
          parameters: item.parameters.map(gnosticParameter),
        },
      })),
    },
  };
}

let documentType: protobuf.Type | undefined;

/** gnostic's openapi_v2.Document, from the .proto kept beside the kube ones (in src/ or dist/). */
function gnosticDocumentType(): protobuf.Type {
  if (documentType !== undefined) return documentType;
  const file = fileURLToPath(new URL('./codec/proto/github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto', import.meta.url));
  try {
    const root = new protobuf.Root().loadSync(file, { keepCase: true });
    root.resolveAll();
    documentType = root.lookupType('openapi.v2.Document');
  } catch (err) {
    throw internalError(err);
  }
  return documentType;
}

interface V2Served {
  json: Buffer;
  protobuf: Buffer;
  /** Quoted, as kube-openapi sends it. */
  etag: string;
  lastModified: string;
}

function v2Served(gvs: readonly GroupVersionTargets[], kubernetesVersion: string, lastModified: string): V2Served {
  const doc = v2Document(gvs, kubernetesVersion);
  const json = Buffer.from(JSON.stringify(doc));
  const type = gnosticDocumentType();
  const message = gnosticDocument(doc);
  const problem = type.verify(message);
  if (problem !== null) throw internalError(new Error(`openapi v2 protobuf: ${problem}`));
  const bytes = type.encode(type.fromObject(message)).finish();
  return { json, protobuf: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), etag: `"${sha512Hex(json)}"`, lastModified };
}

// ---------------------------------------------------------------------------------------------------------------
// Caching per registry state

/** The documents of one registry state, each built on first use. */
class Served {
  private v3Docs: V3Served | undefined;
  private v2Docs: V2Served | undefined;
  /** Truncated to seconds, as HTTP dates are. */
  private readonly lastModified = new Date(Math.floor(Date.now() / 1000) * 1000).toUTCString();

  constructor(
    readonly key: string,
    private readonly gvs: readonly GroupVersionTargets[],
    private readonly kubernetesVersion: string,
  ) {}

  v3(): V3Served {
    return (this.v3Docs ??= v3Served(this.gvs, this.kubernetesVersion));
  }

  v2(): V2Served {
    return (this.v2Docs ??= v2Served(this.gvs, this.kubernetesVersion, this.lastModified));
  }
}

const cache = new WeakMap<ApiRegistry, Served>();

/** The documents for the registry as it is now: the cached ones unless what they describe has changed. */
function served(registry: ApiRegistry, kubernetesVersion: string): Served {
  const gvs = patchTargets(registry);
  const key = JSON.stringify([kubernetesVersion, gvs]);
  const hit = cache.get(registry);
  if (hit !== undefined && hit.key === key) return hit;
  const fresh = new Served(key, gvs, kubernetesVersion);
  cache.set(registry, fresh);
  return fresh;
}

// ---------------------------------------------------------------------------------------------------------------
// Serving

const MEDIA_JSON = 'application/json';
const SUBTYPE_PROTOBUF = 'com.github.proto-openapi.spec.v2.v1.0+protobuf';
const SUBTYPE_PROTOBUF_DEPRECATED = 'com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** The protobuf Content-Type kube-openapi answers with, whichever of the two names was asked for. */
export const OPENAPI_V2_PROTOBUF_MEDIA_TYPE = `application/${SUBTYPE_PROTOBUF}`;

/** handler.go's `accepted` list, in its order: JSON first. */
const V2_ACCEPTED: readonly { subtype: string; format: 'json' | 'protobuf' }[] = [
  { subtype: 'json', format: 'json' },
  { subtype: SUBTYPE_PROTOBUF_DEPRECATED, format: 'protobuf' },
  { subtype: SUBTYPE_PROTOBUF, format: 'protobuf' },
];

/**
 * The v2 encoding for an Accept header, as handler.go picks it: the clauses sorted as goautoneg.ParseAccept sorts
 * them (quality, then concrete type, then concrete subtype), and for the first clause any accepted type matches,
 * the first such type. An empty header is * / *. Clauses with q=0 are dropped (goautoneg keeps them).
 */
function negotiateV2(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const clauses = (accept === undefined || accept.trim() === '' ? '*/*' : accept)
    .split(',')
    .map((part) => {
      const [mime = '', ...params] = part.split(';').map((s) => s.trim());
      const q = params.map((p) => /^q\s*=\s*([0-9.]+)$/i.exec(p)?.[1]).find((v) => v !== undefined);
      const [type = '', subtype] = mime.toLowerCase().split('/', 2);
      return { type, subtype: subtype ?? (type === '*' ? '*' : ''), q: q === undefined ? 1 : Number(q) };
    })
    .filter((c) => c.type !== '' && c.subtype !== '' && c.q > 0)
    .sort((a, b) => b.q - a.q || Number(a.type === '*') - Number(b.type === '*') || Number(a.subtype === '*') - Number(b.subtype === '*'));
  for (const c of clauses) {
    if (c.type !== 'application' && c.type !== '*') continue;
    const match = V2_ACCEPTED.find((a) => c.subtype === a.subtype || c.subtype === '*');
    if (match !== undefined) return match.format;
  }
  return undefined;
}

/** http.ServeContent's conditional check: If-None-Match (weak comparison), else If-Modified-Since. */
function notModified(ctx: KubeContext, etag: string, lastModified: string): boolean {
  const ifNoneMatch = ctx.get('If-None-Match');
  if (ifNoneMatch !== '') {
    const bare = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === etag);
  }
  const since = Date.parse(ctx.get('If-Modified-Since'));
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

/** Writes a v2 answer straight to node's response, as sendJson does, with kube-openapi's headers. */
function sendV2(ctx: KubeContext, status: number, contentType: string | undefined, body: Buffer | undefined, headers: Record<string, string>): void {
  ctx.respond = false;
  const res = ctx.res;
  res.statusCode = status;
  res.setHeader('Vary', 'Accept');
  res.setHeader('Cache-Control', 'no-cache, private');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (contentType !== undefined) res.setHeader('Content-Type', contentType);
  if (body !== undefined) res.setHeader('Content-Length', body.length);
  res.end(ctx.method === 'HEAD' ? undefined : body);
}

function serveV2(ctx: KubeContext, docs: Served): void {
  const format = negotiateV2(ctx.get('Accept'));
  if (format === undefined) return sendV2(ctx, 406, undefined, Buffer.alloc(0), {});
  const v2 = docs.v2();
  if (notModified(ctx, v2.etag, v2.lastModified)) return sendV2(ctx, 304, undefined, undefined, { ETag: v2.etag });
  const body = format === 'json' ? v2.json : v2.protobuf;
  sendV2(ctx, 200, format === 'json' ? MEDIA_JSON : OPENAPI_V2_PROTOBUF_MEDIA_TYPE, body, { ETag: v2.etag, 'Last-Modified': v2.lastModified, 'Accept-Ranges': 'bytes' });
}

/** Serves /openapi/v2, /openapi/v3 and /openapi/v3/{api/v1 | apis/group/version}; false for any other path. */
export function serveOpenApi(ctx: KubeContext, registry: ApiRegistry, kubernetesVersion: string): boolean {
  if (ctx.path === '/openapi/v2') {
    serveV2(ctx, served(registry, kubernetesVersion));
    return true;
  }
  if (ctx.path !== '/openapi/v3' && !ctx.path.startsWith('/openapi/v3/')) return false;
  const v3 = served(registry, kubernetesVersion).v3();
  if (ctx.path === '/openapi/v3') {
    sendJson(ctx, 200, v3.index);
    return true;
  }
  const doc = v3.docs.get(ctx.path.slice('/openapi/v3/'.length));
  if (doc === undefined) throw pathNotFound();
  sendJson(ctx, 200, doc);
  return true;
}
