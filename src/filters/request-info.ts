// Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/requestinfo.go (WithRequestInfo).
import { badRequest, plainInternalError } from '../apimachinery/status.js';
import { RequestInfoError, type RequestInfo } from '../request/request-info.js';
import type { KubeMiddleware } from '../request/state.js';

/**
 * Resolves the request's attributes once; every later stage reads them from ctx.state. A target Go's
 * server would refuse is a 400; one kube cannot resolve is kube's 500 "failed to create RequestInfo".
 */
export function requestInfo(resolve: (method: string, url: string) => RequestInfo): KubeMiddleware {
  return async (ctx, next) => {
    try {
      ctx.state.requestInfo = resolve(ctx.method, ctx.url);
    } catch (err) {
      if (!(err instanceof RequestInfoError)) throw err;
      if (err.code === 'INVALID_REQUEST_URI') throw badRequest(err.message);
      throw plainInternalError(ctx.url, `failed to create RequestInfo: ${err.message}`);
    }
    await next();
  };
}
