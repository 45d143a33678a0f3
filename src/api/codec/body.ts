// Reading and decoding request bodies as kube-apiserver's create handler does.
// Sources: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go (createHandler, transformDecodeError),
// handlers/rest.go (limitedReadBody, summarizeData) and handlers/negotiation (NegotiateInputSerializer).
import { goJsonSyntaxError, goJsonTypeName } from './go-json.js';
import { parse as parseYaml } from 'yaml';
import type { KubeContext } from '../../request/state.js';
import { badRequest, requestEntityTooLarge, StatusError, unsupportedMediaType } from '../status.js';
import { decodeKubeProtobuf, PROTOBUF_MEDIA_TYPE } from './protobuf.js';
import { summarizeData } from './summarize.js';

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
  // Leaving the loop early must not destroy the request: the server still reads and drops the rest.
  for await (const chunk of ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.req.pause();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** The object in a JSON or YAML body, or kube's 400 for a body that is not one. */
function parseTextObject(body: Buffer, type: MediaType, expected: ExpectedKind): Record<string, unknown> {
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = type === 'yaml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const reason = type === 'yaml' ? (err as Error).message : goJsonSyntaxError(err, text);
    throw badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): couldn't get version/kind; json parse error: ${reason} (${summarizeData(body)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expected.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarizeData(body)})`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Checks the object's apiVersion and kind against what the URL serves, defaulting missing ones from the
 * URL as kube's decoder does, with kube's messages for a kind or version that does not fit.
 */
function checkKind(obj: Record<string, unknown>, expected: ExpectedKind): Record<string, unknown> {
  const expectedVersion = expected.group === '' ? expected.version : `${expected.group}/${expected.version}`;
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
 * Reads and decodes a create body in JSON, YAML or Kubernetes protobuf, in kube's order: media type (415),
 * size (413), syntax and kind (400). Called by handlers, after authorization, as in kube-apiserver.
 */
export async function decodeBody(ctx: KubeContext, expected: ExpectedKind): Promise<Record<string, unknown>> {
  const type = inputMediaType(ctx.get('Content-Type'));
  const body = await readLimitedBody(ctx);
  if (type !== 'protobuf') return checkKind(parseTextObject(body, type, expected), expected);
  try {
    const apiVersion = expected.group === '' ? expected.version : `${expected.group}/${expected.version}`;
    return checkKind(decodeKubeProtobuf(body, { apiVersion, kind: expected.kind }), expected);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw badRequest(`${expected.kind} in version ${JSON.stringify(expected.version)} cannot be handled as a ${expected.kind}: ${(err as Error).message}`);
  }
}
