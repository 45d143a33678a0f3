import type { KubeContext } from '../request/state.js';

/** Serves one verb on one resource. */
export type ResourceHandler = (ctx: KubeContext) => Promise<void>;

/** One resource of a group version, as discovery describes it (metav1.APIResource) and as the router serves it. */
export interface ServedResource {
  /** Plural name, or "resource/subresource". */
  name: string;
  singularName: string;
  namespaced: boolean;
  /** A subresource served as another group's kind (serviceaccounts/token is authentication.k8s.io/v1 TokenRequest). */
  group?: string;
  version?: string;
  kind: string;
  shortNames?: string[];
  categories?: string[];
  /** The verbs this resource serves, each with its handler; discovery lists exactly these. */
  handlers: Partial<Record<string, ResourceHandler>>;
}

/** A group version and its resources. The core group is "". */
export interface ServedGroupVersion {
  group: string;
  version: string;
  resources: ServedResource[];
}

/** Everything the server serves under /api and /apis: the single source of discovery and routing. */
export class ApiRegistry {
  private readonly versions: ServedGroupVersion[] = [];

  /** Adds a group version; versions of one group are listed in the order added, the first preferred. */
  add(gv: ServedGroupVersion): this {
    this.versions.push(gv);
    return this;
  }

  /** The groups under /apis (or the core group), each with its versions in preference order. */
  groups(): { name: string; versions: ServedGroupVersion[] }[] {
    const byGroup = new Map<string, ServedGroupVersion[]>();
    for (const gv of this.versions) {
      const list = byGroup.get(gv.group) ?? [];
      list.push(gv);
      byGroup.set(gv.group, list);
    }
    return [...byGroup].map(([name, versions]) => ({ name, versions }));
  }

  /** The group version served at /api/{v} (group "") or /apis/{group}/{v}. */
  groupVersion(group: string, version: string): ServedGroupVersion | undefined {
    return this.versions.find((gv) => gv.group === group && gv.version === version);
  }
}
