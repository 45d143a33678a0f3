// Discovery documents as kube-apiserver serves them. Sources: staging/src/k8s.io/apiserver/pkg/endpoints/discovery/
// (legacy.go, root.go, group.go, version.go) and the metav1 types APIVersions, APIGroupList, APIGroup, APIResourceList.
// kubectl asks for aggregated discovery (apidiscovery.k8s.io/v2) first and accepts these plain documents instead.
import type { ApiRegistry, ServedGroupVersion } from './registry.js';
import { groupVersionString } from '../apimachinery/group-version.js';

/** kube's serverAddressByClientCIDRs for a server reached directly. */
function serverAddresses(serverAddress: string): { clientCIDR: string; serverAddress: string }[] {
  return [{ clientCIDR: '0.0.0.0/0', serverAddress }];
}

/** GET /api: the core group's versions. */
export function apiVersions(registry: ApiRegistry, serverAddress: string): object {
  const core = registry.groups().find((g) => g.name === '');
  // kubectl treats a version with no resources as a failed discovery ("received empty response"), so
  // only versions that serve something are listed.
  const versions = (core?.versions ?? []).filter((v) => v.resources.length > 0).map((v) => v.version);
  return { kind: 'APIVersions', versions, serverAddressByClientCIDRs: serverAddresses(serverAddress) };
}

/** One entry of an APIGroupList, or the body of GET /apis/{group}. */
export function apiGroup(name: string, versions: ServedGroupVersion[]): object {
  const entries = versions.map((v) => ({ groupVersion: `${name}/${v.version}`, version: v.version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

/** GET /apis: every named group. */
export function apiGroupList(registry: ApiRegistry): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.name !== '')
      .map((g) => apiGroup(g.name, g.versions)),
  };
}

/** GET /api/v1 or /apis/{group}/{version}: the resources of one group version. */
export function apiResourceList(gv: ServedGroupVersion): object {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionString(gv),
    resources: gv.resources.map((r) => ({
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      ...(r.group !== undefined ? { group: r.group } : {}),
      ...(r.version !== undefined ? { version: r.version } : {}),
      kind: r.kind,
      verbs: Object.keys(r.handlers),
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    })),
  };
}
