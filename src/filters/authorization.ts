// Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/authorization.go (WithAuthorization) and
// handlers/responsewriters/errors.go (Forbidden, forbiddenMessage).
import { forbidden, plainInternalError, sanitizeHtml } from '../apimachinery/status.js';
import { parseFieldSelector } from '../apimachinery/fields.js';
import { parseLabelSelector } from '../apimachinery/labels.js';
import type { Attributes, Authorizer } from '../authz/types.js';
import { requestInfoOf, userOf, type KubeContext, type KubeMiddleware } from '../request/state.js';

/** kube's GetAuthorizerAttributes: the user and the request's attributes. */
export function attributesOf(ctx: KubeContext): Attributes {
  const info = requestInfoOf(ctx);
  return {
    user: userOf(ctx),
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
    ...(info.fieldSelector !== undefined ? { fieldSelector: parsed(() => parseFieldSelector(info.fieldSelector!)) } : {}),
    ...(info.labelSelector !== undefined ? { labelSelector: parsed(() => parseLabelSelector(info.labelSelector!)) } : {}),
  };
}

/** A selector parsed as WithAuthorization's GetAuthorizerAttributes does: its requirements, or why it did not parse. */
function parsed<T>(parse: () => T[]): { requirements: T[] } | { error: string } {
  try {
    return { requirements: parse() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** kube's forbiddenMessage, word for word. */
export function forbiddenMessage(attrs: Attributes): string {
  const user = JSON.stringify(attrs.user.name);
  if (!attrs.isResourceRequest) return `User ${user} cannot ${attrs.verb} path ${JSON.stringify(attrs.path)}`;
  const resource = attrs.subresource === '' ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  const scope = attrs.namespace === '' ? 'at the cluster scope' : `in the namespace ${JSON.stringify(attrs.namespace)}`;
  return `User ${user} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup)} ${scope}`;
}


/** The 403 kube-apiserver writes for a refused request: NewForbidden(groupResource, name, sanitized message[: reason]). */
export function forbiddenError(attrs: Attributes, reason: string): ReturnType<typeof forbidden> {
  const message = sanitizeHtml(forbiddenMessage(attrs));
  return forbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, reason === '' ? message : `${message}: ${reason}`);
}

/** Lets a request through only on an allow; deny and no opinion alike are kube's 403. */
export function authorization(authorizer: Authorizer): KubeMiddleware {
  return async (ctx, next) => {
    const attrs = attributesOf(ctx);
    const result = await authorizer.authorize(attrs);
    // "an authorizer like RBAC could encounter evaluation errors and still allow the request, so authorizer decision
    // is checked before error here"; without an allow, an error is kube's 500 (responsewriters.InternalError).
    if (result.decision !== 'allow' && result.error !== undefined) {
      ctx.state.authorization = { decision: 'forbid', reason: `error: ${result.error}` };
      throw plainInternalError(ctx.originalUrl, result.error);
    }
    if (result.decision !== 'allow') {
      const refusal = forbiddenError(attrs, result.reason);
      ctx.state.authorization = { decision: 'forbid', reason: refusal.message, authorizerReason: result.reason };
      throw refusal;
    }
    ctx.state.authorization = { decision: 'allow', reason: result.reason, authorizerReason: result.reason };
    await next();
  };
}
