import type { KubeContext } from '../request/state.js';

/** Writes a JSON API object with kube-apiserver's headers (kubectl's Accept always allows JSON). */
export function writeObject(ctx: KubeContext, status: number, body: unknown): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-cache, private');
  ctx.set('Content-Type', 'application/json');
  ctx.body = `${JSON.stringify(body)}\n`;
}
