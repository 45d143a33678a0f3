// A minimal OpenAPI v3 discovery, enough for kubectl: `kubectl apply` (validation on by default) looks for
// the fieldValidation query parameter on each kind's PATCH operation (kubectl's queryParamVerifierV3);
// finding it, kubectl leaves validation to the server, which our REST handlers do. Operations list no
// strategic-merge-patch body, so kubectl computes apply patches from its compiled-in types
// (Patcher.gvkSupportsPatchOpenAPIV3 answers false). Schemas are not served: `kubectl explain` has nothing
// to show. Source: staging/src/k8s.io/kube-openapi/pkg/handler3 and kubectl's resource/query_param_verifier_v3.go.
import { createHash } from 'node:crypto';
import type { KubeContext } from '../request/state.js';
import type { ApiRegistry, ServedGroupVersion } from './registry.js';
import { sendJson } from './respond.js';
import { pathNotFound } from './status.js';

/** "api/v1" or "apis/{group}/{version}": the key kube's /openapi/v3 index uses. */
function gvKey(gv: ServedGroupVersion): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

/** The OpenAPI v3 document of one group version: a PATCH operation per resource that serves patch. */
function groupVersionDoc(gv: ServedGroupVersion, kubernetesVersion: string): object {
  const paths: Record<string, object> = {};
  for (const r of gv.resources) {
    if (r.name.includes('/') || r.handlers.patch === undefined) continue;
    const path = `/${gvKey(gv)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.name}/{name}`;
    paths[path] = {
      patch: {
        description: `partially update the specified ${r.kind}`,
        operationId: `patch${gv.version}${r.kind}`,
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        requestBody: {
          content: {
            'application/json-patch+json': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
          },
          required: true,
        },
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: gv.group, version: gv.version, kind: r.kind },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: kubernetesVersion }, paths, components: { schemas: {} } };
}

/** Serves /openapi/v3 and /openapi/v3/{api/v1 | apis/group/version}; false for any other path. */
export function serveOpenApi(ctx: KubeContext, registry: ApiRegistry, kubernetesVersion: string): boolean {
  if (ctx.path !== '/openapi/v3' && !ctx.path.startsWith('/openapi/v3/')) return false;
  const versions = registry.groups().flatMap((g) => g.versions).filter((gv) => gv.resources.length > 0);
  const docs = new Map(versions.map((gv) => [gvKey(gv), JSON.stringify(groupVersionDoc(gv, kubernetesVersion))]));
  if (ctx.path === '/openapi/v3') {
    const paths = Object.fromEntries(
      [...docs].map(([key, doc]) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${createHash('sha512').update(doc).digest('hex').slice(0, 128).toUpperCase()}` }]),
    );
    sendJson(ctx, 200, `${JSON.stringify({ paths })}\n`);
    return true;
  }
  const doc = docs.get(ctx.path.slice('/openapi/v3/'.length));
  if (doc === undefined) throw pathNotFound();
  sendJson(ctx, 200, doc);
  return true;
}
