import type { KubeMiddleware } from '../request/state.js';
import type { Logger } from '../util/log.js';

/** One line per request: method, path, user, authenticator, decision, status and latency. */
export function requestLog(log: Logger): KubeMiddleware {
  // A silent logger (in-process test servers) pays nothing per request.
  if (!log.isLevelEnabled('info')) return (_ctx, next) => next();
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log.info(
        {
          method: ctx.method,
          path: ctx.path,
          user: ctx.state.user?.name ?? '',
          ...(ctx.state.impersonator ? { impersonator: ctx.state.impersonator.name } : {}),
          authenticator: ctx.state.authenticator ?? '',
          decision: ctx.state.authorization?.decision ?? '',
          status: ctx.status,
          latencyMs: Math.round(ms * 100) / 100,
          auditId: ctx.state.auditId,
        },
        'request',
      );
    }
  };
}
