// kube-apiserver answers every error with a metav1.Status (responsewriters.ErrorNegotiated) and turns a
// panic into a 500 Status (WithPanicRecovery); this is the one place errors become responses.
import { writeObject } from '../api/respond.js';
import { internalError, PlainTextError, StatusError } from '../apimachinery/status.js';
import type { KubeContext, KubeMiddleware } from '../request/state.js';
import type { Logger } from '../util/log.js';

/** Writes a Status body for a StatusError, as kube-apiserver's JSON encoder does; a PlainTextError as Go's http.Error. */
export function writeStatus(ctx: KubeContext, err: StatusError): void {
  if (err instanceof PlainTextError) {
    // Go's http.Error: these headers, the text and a newline.
    ctx.respond = false;
    const res = ctx.res;
    if (res.headersSent) return void res.end();
    const text = `${err.text}\n`;
    res.statusCode = err.code;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(ctx.method === 'HEAD' ? undefined : text);
    return;
  }
  // ErrorNegotiated writes the Status through WriteObjectNegotiated: pretty for curl, like any object.
  writeObject(ctx, err.code, err.status, err.headers);
}

/** Catches everything below it: StatusErrors become their Status, anything else a logged 500. */
export function statusErrors(log: Logger): KubeMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof StatusError) {
        writeStatus(ctx, err);
        return;
      }
      log.error({ err, method: ctx.method, path: ctx.path, auditId: ctx.state.auditId }, 'unhandled error');
      writeStatus(ctx, internalError(err));
    }
  };
}
