// Dispatch after authorization: non-resource paths, discovery, then resources from the registry.
// kube-apiserver routes the same way (NonGoRestfulMux for non-resource paths, go-restful for resources).
import { requestInfoOf, type KubeContext, type KubeMiddleware } from '../request/state.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { healthPaths, serveHealth } from './health.js';
import { serveOpenApi } from './openapi.js';
import type { ApiRegistry } from './registry.js';
import { sendJson, writeObject } from './respond.js';
import { goNotFound, methodNotSupported, pathNotFound, routeMethodNotAllowed } from '../apimachinery/status.js';
import { versionInfo } from './version.js';

/** What the router serves besides the registry's resources. */
export interface RouterOptions {
  registry: ApiRegistry;
  kubernetesVersion: string;
  /** host:port clients use, for serverAddressByClientCIDRs. */
  serverAddress: () => string;
  /** Our own non-resource endpoints (GET only), by exact path: /debug/explain. */
  nonResource?: Record<string, (ctx: KubeContext) => Promise<void>>;
}

/**
 * What genericapiserver's index (pkg/server/routes/index.go) lists at `/` and `/index.html`: every listed path,
 * sorted. Paths ending in a slash are kube's unlisted twins, left out, except `/apis/`, which kube lists.
 */
function listedPaths(opts: RouterOptions): string[] {
  const paths = new Set(['/api', '/apis', '/apis/', '/version', '/openapi/v2', '/openapi/v3', ...healthPaths()]);
  for (const { name, versions } of opts.registry.groups()) {
    if (name !== '') paths.add(`/apis/${name}`);
    for (const gv of versions) paths.add(name === '' ? `/api/${gv.version}` : `/apis/${name}/${gv.version}`);
  }
  for (const own of Object.keys(opts.nonResource ?? {})) if (!own.endsWith('/')) paths.add(own);
  return [...paths].sort();
}

/** The last stage of the chain: serves what the registry and the fixed endpoints offer, 404 for the rest. */
export function router(opts: RouterOptions): KubeMiddleware {
  const { registry } = opts;
  const versionJson = `${JSON.stringify(versionInfo(opts.kubernetesVersion))}\n`;
  return async (ctx) => {
    const info = requestInfoOf(ctx);
    const reading = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (!info.isResourceRequest) {
      const parts = info.path.split('/').filter((p) => p !== '');
      if (info.path === '/version' || info.path === '/version/') {
        if (!reading) throw routeMethodNotAllowed();
        return sendJson(ctx, 200, versionJson);
      }
      if (reading && serveHealth(ctx)) return;
      // IndexLister: json.MarshalIndent of RootPaths, no final newline.
      if (info.path === '/' || info.path === '/index.html') return sendJson(ctx, 200, JSON.stringify({ paths: listedPaths(opts) }, null, 2));
      if (reading && serveOpenApi(ctx, registry, opts.kubernetesVersion)) return;
      const own = opts.nonResource?.[info.path];
      if (own !== undefined) {
        if (!reading) throw routeMethodNotAllowed();
        return own(ctx);
      }
      // Discovery: /api, /apis, /apis/{group}, /api/{version}, /apis/{group}/{version}.
      if (parts[0] === 'api' && parts.length <= 2) {
        if (!reading) throw routeMethodNotAllowed();
        if (parts.length === 1) return writeObject(ctx, 200, { ...apiVersions(registry, opts.serverAddress()) });
        const gv = registry.groupVersion('', parts[1]!);
        if (gv) return writeObject(ctx, 200, apiResourceList(gv));
      }
      if (parts[0] === 'apis' && parts.length <= 3) {
        const group = parts.length === 1 ? undefined : registry.groups().find((g) => g.name === parts[1]);
        // No API group of that name: no handler has the path, whatever the method (notfoundhandler).
        if (parts.length > 1 && group === undefined) throw goNotFound();
        if (!reading) throw routeMethodNotAllowed();
        if (parts.length === 1) return writeObject(ctx, 200, apiGroupList(registry));
        if (group && parts.length === 2) return writeObject(ctx, 200, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group.name, group.versions) });
        const gv = parts.length === 3 ? registry.groupVersion(parts[1]!, parts[2]!) : undefined;
        if (gv) return writeObject(ctx, 200, apiResourceList(gv));
      }
      // Outside /api and /apis nothing but the fixed endpoints serves: notfoundhandler's http.NotFound, plain text.
      if (parts[0] !== 'api' && parts[0] !== 'apis') throw goNotFound();
      throw pathNotFound();
    }
    const gv = registry.groupVersion(info.apiGroup, info.apiVersion);
    const resourceName = info.subresource === '' ? info.resource : `${info.resource}/${info.subresource}`;
    const resource = gv?.resources.find((r) => r.name === resourceName);
    // go-restful's routes end at the subresource ({name}/token): anything after it matches no route.
    if (resource === undefined || (info.subresource !== '' && info.parts.length > 3)) throw pathNotFound();
    const handler = resource.handlers[info.verb];
    if (handler === undefined) {
      // A verb the resource does not serve at all is a routing miss in go-restful: 405 when the path
      // exists with other methods, as for GET on a create-only review.
      if (Object.keys(resource.handlers).length > 0) throw routeMethodNotAllowed();
      throw methodNotSupported({ group: info.apiGroup, resource: info.resource }, info.verb);
    }
    await handler(ctx);
  };
}
