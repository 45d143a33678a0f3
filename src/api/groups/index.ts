// The API groups this server serves, in the order /apis lists them. A new group is one file beside this one and
// one line in API_GROUPS; a new kind is one entry in its group's table.
import type { ObjectStoreOptions } from '../../store/object-store.js';
import { ObjectStore } from '../../store/object-store.js';
import { namespaceLifecycle } from '../admission/namespace-lifecycle.js';
import type { ApiRegistry } from '../registry.js';
import { restResource, type AdmitHook, type RestKind, type RestOptions } from '../rest/resource.js';
import { authenticationGroup } from './authentication.js';
import { authorizationGroup } from './authorization.js';
import { coreGroup } from './core.js';
import type { ApiGroup, GroupDeps, KindEntry } from './group.js';
import { rbacGroup } from './rbac.js';

export type { ApiGroup, GroupDeps, KindEntry } from './group.js';

/** Every API group, core first. */
export const API_GROUPS: readonly ApiGroup[] = [coreGroup, rbacGroup, authenticationGroup, authorizationGroup];

/**
 * A new object store holding the groups' kinds, each registered once, with what the groups run over it (the
 * initial namespaces, the namespace controller). RBAC's live policy reads it before the groups are served.
 */
export function createApiStore(options: ObjectStoreOptions = {}, groups: readonly ApiGroup[] = API_GROUPS): ObjectStore {
  const store = new ObjectStore(options);
  const kinds = groups.flatMap((group) => group.stored?.kinds.map((entry) => entry.type) ?? []);
  for (const type of kinds) store.register(type);
  for (const group of groups) group.startStorage?.(store, kinds);
  return store;
}

/** The admission plugins every stored kind goes through (kube's default chain, as far as this mock has one). */
function admissionPlugins(deps: GroupDeps): AdmitHook[] {
  const namespaces = deps.store.typeFor('', 'namespaces');
  return namespaces === undefined ? [] : [namespaceLifecycle((name) => deps.store.find(namespaces, '', name))];
}

function restKind(entry: KindEntry, deps: GroupDeps): RestKind {
  const admit = entry.admission?.(deps);
  return {
    type: entry.type,
    ...(entry.printer ? { printer: entry.printer } : {}),
    ...(admit ? { admit } : {}),
    ...(entry.delete ? { delete: entry.delete } : {}),
  };
}

/** Serves the groups (their stored kinds, then the rest of each) over the store of createApiStore. */
export function installApiGroups(registry: ApiRegistry, deps: GroupDeps, groups: readonly ApiGroup[] = API_GROUPS): void {
  const options: RestOptions = {
    admission: admissionPlugins(deps),
    authorizer: deps.authorizer,
    ...(deps.openWatches ? { openWatches: deps.openWatches } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  };
  for (const group of groups) {
    if (group.stored !== undefined) {
      const { version, kinds } = group.stored;
      registry.add({ group: group.name, version, resources: kinds.flatMap((entry) => [restResource(deps.store, restKind(entry, deps), options), ...(entry.subresources?.(deps) ?? [])]) });
    }
    group.install?.(registry, deps);
  }
}
