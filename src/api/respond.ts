import type { KubeContext } from '../request/state.js';
import { encodeJson } from '../apimachinery/json-value.js';
import { wantsPretty } from './pretty.js';

/**
 * Sends a JSON body with kube-apiserver's headers straight to node's response: Koa's own response step
 * costs more per request than the rest of a /version request together (see bench/README.md).
 */
export function sendJson(ctx: KubeContext, status: number, json: string, headers: Record<string, string> = {}): void {
  ctx.respond = false;
  const res = ctx.res;
  // An error after a stream (a watch) has started can only end it.
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  if (ctx.method === 'HEAD') return void res.end();
  // Node sends the header block in the first body chunk's encoding. Warning headers may carry UTF-8 bytes as
  // latin1 characters (see warnings.ts), which a string body would encode a second time: then the body goes
  // as a Buffer, and the header block as latin1, byte for byte. Otherwise a string body lets node write header
  // and body in one TLS record, which costs a third less per small response.
  res.end(hasEightBitHeader(res) ? Buffer.from(json, 'utf8') : json);
}

function hasEightBitHeader(res: KubeContext['res']): boolean {
  const warning = res.getHeader('Warning');
  if (warning === undefined) return false;
  return (Array.isArray(warning) ? warning : [String(warning)]).some((v) => /[\x80-\xff]/.test(v));
}

/**
 * Answers the request with an API object as JSON, with this status (kubectl's Accept always allows JSON):
 * responsewriters.WriteObjectNegotiated. Every API object and Status goes through here, so this is where
 * the pretty form is chosen (see pretty.ts). apimachinery runtime/serializer/json/json.go doEncode: the
 * compact form is json.Encoder.Encode (a final newline), the pretty one json.MarshalIndent(obj, "", "  ")
 * written as is (two-space indent, no final newline).
 */
export function writeObject(ctx: KubeContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const pretty = wantsPretty({ querystring: ctx.querystring, userAgent: ctx.get('User-Agent') || undefined, accept: ctx.get('Accept') || undefined });
  sendJson(ctx, status, pretty ? encodeJson(body, '  ') : `${encodeJson(body)}\n`, headers);
}
