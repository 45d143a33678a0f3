// Reading and decoding request bodies as kube-apiserver's create handler does.
// Sources: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go (createHandler, transformDecodeError),
// handlers/rest.go (limitedReadBody, summarizeData) and handlers/negotiation (NegotiateInputSerializer).
import { goJsonTypeName } from '../../apimachinery/go-json.js';
import { decodeStrict, type StructSchema } from '../../apimachinery/go-decode.js';
import { documentOf, JsonSyntaxError, readJson, type JsonDocument } from '../../apimachinery/json-reader.js';
import { yamlToJson, YamlError } from '../../apimachinery/yaml.js';
import { addWarning } from '../warnings.js';
import type { KubeContext } from '../../request/state.js';
import { badRequest, notStatusError, requestEntityTooLarge, StatusError, unsupportedMediaType } from '../../apimachinery/status.js';
import { decodeKubeProtobuf, PROTOBUF_MEDIA_TYPE } from './protobuf.js';
import { summarizeData } from './summarize.js';
import { groupVersionString } from '../../apimachinery/group-version.js';

/** kube-apiserver's MaxRequestBodyBytes default: 3 MiB (staging/src/k8s.io/apiserver/pkg/server/config.go). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** The type a handler expects in its body. */
export interface ExpectedKind {
  group: string;
  version: string;
  kind: string;
}

type MediaType = 'json' | 'yaml' | 'protobuf';

/** kube's NegotiateInputSerializer: no Content-Type means JSON; an unknown one is 415 before the body is read. */
export function inputMediaType(contentType: string | undefined): MediaType {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  switch (mediaType) {
    case '':
    case 'application/json':
      return 'json';
    case 'application/yaml':
      return 'yaml';
    case PROTOBUF_MEDIA_TYPE:
      return 'protobuf';
    default:
      throw unsupportedMediaType();
  }
}

/** kube's limitedReadBody: reads at most limit+1 bytes; more is a 413 and the rest is never buffered. */
export async function readLimitedBody(ctx: KubeContext, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const tooLarge = (): Error => {
    // Go closes a connection whose request body was left unread (server.go); the server (src/server/http1.ts)
    // closes it without resetting the response away while the client is still sending.
    ctx.set('Connection', 'close');
    return requestEntityTooLarge(limit);
  };
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // Leaving the loop early must not destroy the request: the server still reads and drops the rest.
    for await (const chunk of ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        ctx.req.pause();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof StatusError) throw err;
    // The client went away mid-body: Go's reader says io.ErrUnexpectedEOF, which the handler returns as is.
    throw notStatusError('unexpected EOF');
  }
  return Buffer.concat(chunks, size);
}

/** What kube's create handler reads with a body: the object's schema (undefined: decode loosely) and fieldValidation. */
export interface DecodeOptions {
  schema?: StructSchema | undefined;
  fieldValidation?: FieldValidation;
  /** The object as kube's encoder would write the decoded Go value (its empty fields and field order), for the audit log. */
  encodedShape?: (obj: Record<string, unknown>) => Record<string, unknown>;
}

/** fieldValidation: Warn (the default) decodes strictly and warns, Strict fails, Ignore decodes loosely. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

// transformDecodeError when the decoder could not tell the kind (gvk == nil): `the object provided is
// unrecognized (must be of type X): <err> (<summary>)`.
function unrecognized(expected: ExpectedKind, body: Buffer, reason: string): StatusError {
  return badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${reason} (${summarizeData(body)})`);
}

/** The JSON or YAML body read as kube's serializer reads it, or kube's 400 for a body that is not an object. */
function parseText(body: Buffer, type: MediaType, expected: ExpectedKind): { doc: JsonDocument; yamlDuplicates: string | undefined } {
  let doc: JsonDocument;
  let yamlDuplicates: string | undefined;
  if (type === 'yaml') {
    try {
      const converted = yamlToJson(body.toString('utf8'));
      doc = documentOf(converted.value);
      yamlDuplicates = converted.duplicates;
    } catch (err) {
      if (err instanceof YamlError) throw unrecognized(expected, body, `error converting YAML to JSON: ${err.message}`);
      throw err;
    }
  } else {
    try {
      doc = readJson(body);
    } catch (err) {
      if (err instanceof JsonSyntaxError) throw unrecognized(expected, body, `couldn't get version/kind; json parse error: ${err.message}`);
      throw err;
    }
  }
  // A JSON null decodes into nothing: the object stays empty.
  if (doc.value === null) doc = documentOf({});
  const value = doc.value;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unrecognized(
      expected,
      body,
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  // SimpleMetaFactory.Interpret reads apiVersion and kind into an anonymous struct first.
  for (const [key, v] of doc.entriesOf(value as Record<string, unknown>)) {
    if ((key === 'apiVersion' || key === 'kind') && v !== null && typeof v !== 'string') {
      throw unrecognized(expected, body, `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonTypeName(v)} into Go struct field .${key} of type string`);
    }
  }
  return { doc, yamlDuplicates };
}

/**
 * Strict errors as kube's handlers treat them (create.go, update.go; patch.go has its own 422): under Warn one
 * Warning header each, under Strict the `fail` error, under Ignore nothing (the loose decoder never saw them).
 */
export function applyFieldValidation(ctx: KubeContext, validation: FieldValidation, strict: readonly string[], fail: (message: string) => Error): void {
  if (strict.length === 0 || validation === 'Ignore') return;
  if (validation === 'Strict') throw fail(`strict decoding error: ${strict.join(', ')}`);
  for (const text of strict) addWarning(ctx, text);
}

/**
 * Checks the object's apiVersion and kind against what the URL serves, defaulting missing ones from the
 * URL as kube's decoder does, with kube's messages for a kind or version that does not fit.
 */
function checkKind(obj: Record<string, unknown>, expected: ExpectedKind): Record<string, unknown> {
  const expectedVersion = groupVersionString(expected);
  const apiVersion = typeof obj.apiVersion === 'string' && obj.apiVersion !== '' ? obj.apiVersion : expectedVersion;
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : expected.kind;
  if (kind !== expected.kind) {
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    throw badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${expected.kind}: no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`);
  }
  if (apiVersion !== expectedVersion) {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expectedVersion})`);
  }
  return { ...obj, apiVersion, kind };
}

/**
 * Reads and decodes a create or update body in JSON, YAML or Kubernetes protobuf, in kube's order: media type
 * (415), size (413), syntax and kind (400), then, with a schema, the strict decode: type errors are 400, unknown
 * and repeated fields are handled as fieldValidation asks, and the object returned holds only known fields.
 * Called by handlers, after authorization, as in kube-apiserver.
 */
export async function decodeBody(ctx: KubeContext, expected: ExpectedKind, opts: DecodeOptions = {}): Promise<Record<string, unknown>> {
  const obj = await decodeBodyOnly(ctx, expected, opts);
  // kube's handlers log the object as decoded, before admission changes it (audit.LogRequestObject in create.go, update.go).
  // kube encodes the decoded Go value again (encodeObject in pkg/audit/request.go), so fields without omitempty show.
  if (ctx.state.auditWantsRequestObject === true) ctx.state.auditRequestObject = structuredClone(opts.encodedShape ? opts.encodedShape(obj) : obj);
  return obj;
}

async function decodeBodyOnly(ctx: KubeContext, expected: ExpectedKind, opts: DecodeOptions): Promise<Record<string, unknown>> {
  const type = inputMediaType(ctx.get('Content-Type'));
  const body = await readLimitedBody(ctx);
  if (type === 'protobuf') {
    // Protobuf is typed on the wire: nothing is unknown or repeated, and kube's protobuf decoder is never strict.
    try {
      const apiVersion = groupVersionString(expected);
      return checkKind(decodeKubeProtobuf(body, { apiVersion, kind: expected.kind }), expected);
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw badRequest(`${expected.kind} in version ${JSON.stringify(expected.version)} cannot be handled as a ${expected.kind}: ${(err as Error).message}`);
    }
  }
  const { doc, yamlDuplicates } = parseText(body, type, expected);
  const obj = checkKind(doc.value as Record<string, unknown>, expected);
  if (opts.schema === undefined) return obj;
  const validation = opts.fieldValidation ?? 'Warn';
  const decoded = decodeStrict(doc, opts.schema);
  const cannotHandle = (reason: string): StatusError => badRequest(`${expected.kind} in version ${JSON.stringify(expected.version)} cannot be handled as a ${expected.kind}: ${reason}`);
  if (decoded.typeError !== undefined) throw cannotHandle(decoded.typeError);
  applyFieldValidation(ctx, validation, [...(yamlDuplicates !== undefined ? [yamlDuplicates] : []), ...decoded.strict], cannotHandle);
  return { ...decoded.value, apiVersion: obj.apiVersion, kind: obj.kind };
}
