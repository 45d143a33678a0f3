// GET /debug/explain: kube-auth-mock's own endpoint behind `kube-auth-mock explain`. A non-resource path,
// so RBAC decides who may call it like any other (`get` on "/debug/explain"; system:masters may).
import { addAuthenticatedGroup } from '../authn/group-adder.js';
import { ALL_UNAUTHENTICATED, ANONYMOUS_USER, SYSTEM_MASTERS } from '../authn/types.js';
import { explain, renderExplanation } from '../authz/rbac/explain.js';
import type { RbacIndex } from '../authz/rbac/binding-index.js';
import type { Attributes, Authorizer } from '../authz/types.js';
import type { KubeContext } from '../request/state.js';
import { sendJson } from './respond.js';
import { badRequest } from '../apimachinery/status.js';

/** The path the endpoint is served at. */
export const EXPLAIN_PATH = '/debug/explain';

/** What the endpoint reads: the RBAC state (RBAC's decision is made from it again, step by step), and the server's authorizer union for the final word. */
export interface ExplainOptions {
  index: RbacIndex;
  authorizer: Authorizer;
}

/** Reads the request to explain from the query: user, group (repeatable), verb, and resource or path fields. */
export function explainAttributes(params: URLSearchParams): Attributes {
  const user = params.get('user') ?? '';
  const verb = params.get('verb') ?? '';
  if (user === '' || verb === '') throw badRequest('explain needs user and verb query parameters');
  const path = params.get('path') ?? '';
  const resource = params.get('resource') ?? '';
  if ((path === '') === (resource === '')) throw badRequest('explain needs exactly one of resource or path');
  // "pods/log" is accepted as resource and subresource together, as kubectl auth can-i takes it.
  const [res, sub = ''] = resource.split('/', 2);
  // Explained as an authenticated request of that user would be decided: the group adder's
  // system:authenticated is added (system:anonymous gets system:unauthenticated), unlike a SubjectAccessReview.
  const named = { name: user, uid: '', groups: params.getAll('group'), extra: {} };
  const withGroups = user === ANONYMOUS_USER ? { ...named, groups: named.groups.includes(ALL_UNAUTHENTICATED) ? named.groups : [...named.groups, ALL_UNAUTHENTICATED] } : addAuthenticatedGroup(named);
  // A non-resource request has no namespace, group, resource or name (kube's RequestInfo sets none): a namespace
  // given with a path would walk that namespace's RoleBindings, which no real request to the path does.
  if (path !== '') return { user: withGroups, verb, isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
  return {
    user: withGroups,
    verb,
    isResourceRequest: true,
    path: '',
    namespace: params.get('namespace') ?? '',
    apiGroup: params.get('group-name') ?? params.get('apiGroup') ?? '',
    apiVersion: '*',
    resource: res ?? '',
    subresource: params.get('subresource') ?? sub,
    name: params.get('name') ?? '',
  };
}

/** Serves the explanation as JSON, or as text when the client asks for text/plain. */
export async function serveExplain(ctx: KubeContext, opts: ExplainOptions): Promise<void> {
  const attrs = explainAttributes(ctx.request.URL.searchParams);
  const explanation = await explain(opts.index, attrs);
  const chain = await opts.authorizer.authorize(attrs);
  const privileged = attrs.user.groups.includes(SYSTEM_MASTERS);
  const body = { ...explanation, chain: { decision: chain.decision, reason: chain.reason, privileged } };
  if ((ctx.get('Accept') || '').includes('text/plain')) {
    let text = renderExplanation(explanation);
    if (privileged) text += `The user is in ${SYSTEM_MASTERS}, which kube-apiserver allows everything before any mode is asked.\n`;
    text += `Whole chain: ${chain.decision === 'allow' ? 'allowed' : 'forbidden'}.\n`;
    ctx.respond = false;
    ctx.res.statusCode = 200;
    ctx.res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    ctx.res.end(text);
    return;
  }
  sendJson(ctx, 200, `${JSON.stringify(body)}\n`);
}
