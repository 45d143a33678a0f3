// Discovery: /api, /apis, the resource lists of what the mock serves, /version's shape.
import type { JsonValue, ScenarioGroup } from '../scenario.js';

/** The groups the mock serves; the real server serves many more, which are not the mock's to match. */
const SERVED_GROUPS = new Set(['authentication.k8s.io', 'authorization.k8s.io', 'rbac.authorization.k8s.io']);
/** The core resources the mock serves (and their subresources). */
const SERVED_CORE = new Set(['namespaces', 'configmaps', 'pods', 'secrets', 'serviceaccounts', 'nodes']);

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keeps the list's elements that `keep` accepts. */
function filterList(body: JsonValue, field: string, keep: (item: { [key: string]: JsonValue }) => boolean): JsonValue {
  if (!isObject(body) || !Array.isArray(body[field])) return body;
  return { ...body, [field]: (body[field] as JsonValue[]).filter((i) => isObject(i) && keep(i)) };
}

/**
 * The address a server advertises is its own (kube: --advertise-address, the host's first address; the mock:
 * the address it listens on): kept as present or absent only.
 */
function maskServerAddresses(body: JsonValue): JsonValue {
  if (!isObject(body) || !Array.isArray(body.serverAddressByClientCIDRs)) return body;
  return { ...body, serverAddressByClientCIDRs: body.serverAddressByClientCIDRs.map((e) => (isObject(e) ? { ...e, serverAddress: '<server address>' } : e)) };
}

/** The paths of the index both servers list: the served groups, the core version, health and its checks, version, openapi. */
const LISTED = /^\/(api|apis|apis\/|version|openapi\/v[23]|api\/v1|(healthz|livez|readyz)(\/(ping|log|etcd))?|apis\/(authentication\.k8s\.io|authorization\.k8s\.io|rbac\.authorization\.k8s\.io)(\/v1)?|\.well-known\/openid-configuration|openid\/v1\/jwks)$/;
function keepListedPaths(body: JsonValue): JsonValue {
  if (!isObject(body) || !Array.isArray(body.paths)) return body;
  return { ...body, paths: body.paths.filter((p) => typeof p === 'string' && LISTED.test(p)) };
}

const DISCOVERY_ACCEPT = { Accept: 'application/json' };

export const discovery: ScenarioGroup = {
  group: 'discovery',
  scenarios: [
    { name: 'api', description: 'GET /api: the core group versions', requests: [{ method: 'GET', path: '/api', as: 'admin', headers: DISCOVERY_ACCEPT, select: maskServerAddresses }] },
    {
      name: 'apis',
      description: "GET /apis: the mock's groups, their versions and preferred versions",
      requests: [{ method: 'GET', path: '/apis', as: 'admin', headers: DISCOVERY_ACCEPT, select: (b) => filterList(b, 'groups', (g) => SERVED_GROUPS.has(String(g.name))) }],
    },
    {
      name: 'index',
      description: "GET / and /index.html (genericapiserver's IndexLister): the listed paths, sorted, keeping those both servers serve; anonymous may not (no binding names /)",
      requests: [
        { method: 'GET', path: '/', as: 'admin', select: keepListedPaths },
        { method: 'GET', path: '/index.html', as: 'admin', select: keepListedPaths },
        { method: 'GET', path: '/', as: 'anonymous' },
      ],
    },
    { name: 'rbac-group', description: 'GET /apis/rbac.authorization.k8s.io: one APIGroup', requests: [{ method: 'GET', path: '/apis/rbac.authorization.k8s.io', as: 'admin', select: maskServerAddresses }] },
    { name: 'authentication-group', description: 'GET /apis/authentication.k8s.io: one APIGroup', requests: [{ method: 'GET', path: '/apis/authentication.k8s.io', as: 'admin', select: maskServerAddresses }] },
    { name: 'authorization-group', description: 'GET /apis/authorization.k8s.io: one APIGroup', requests: [{ method: 'GET', path: '/apis/authorization.k8s.io', as: 'admin', select: maskServerAddresses }] },
    { name: 'discovery-as-anonymous', description: 'anonymous may not read discovery (system:discovery is for authenticated users)', requests: [{ method: 'GET', path: '/apis', as: 'anonymous' }] },
    { name: 'rbac-v1-resources', description: 'the resource list of rbac.authorization.k8s.io/v1: names, kinds, verbs, short names', requests: [{ method: 'GET', path: '/apis/rbac.authorization.k8s.io/v1', as: 'admin' }] },
    { name: 'authentication-v1-resources', description: 'the resource list of authentication.k8s.io/v1', requests: [{ method: 'GET', path: '/apis/authentication.k8s.io/v1', as: 'admin' }] },
    { name: 'authorization-v1-resources', description: 'the resource list of authorization.k8s.io/v1', requests: [{ method: 'GET', path: '/apis/authorization.k8s.io/v1', as: 'admin' }] },
    {
      name: 'core-v1-resources',
      description: "the core v1 resource list, for the resources the mock serves",
      requests: [{ method: 'GET', path: '/api/v1', as: 'admin', select: (b) => filterList(b, 'resources', (r) => SERVED_CORE.has(String(r.name).split('/')[0])) }],
    },
    { name: 'version-shape', description: "/version's fields and their types", requests: [{ method: 'GET', path: '/version', as: 'admin', shapeOnly: true }] },
    { name: 'discovery-as-authenticated', description: 'any authenticated user may read discovery (system:discovery)', requests: [{ method: 'GET', path: '/apis/rbac.authorization.k8s.io/v1', as: 'bob' }] },
  ],
};
