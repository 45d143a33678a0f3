import type { KubeContext } from '../request/state.js';
import { encodeJson } from './codec/json-value.js';

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
  // A Buffer body makes Node write the header block as latin1, byte for byte: Warning headers carry UTF-8 bytes
  // (see warnings.ts), which a string body would encode a second time.
  res.end(ctx.method === 'HEAD' ? undefined : Buffer.from(json, 'utf8'));
}

/** Writes a JSON API object (kubectl's Accept always allows JSON). */
export function writeObject(ctx: KubeContext, status: number, body: unknown): void {
  sendJson(ctx, status, `${encodeJson(body)}\n`);
}
