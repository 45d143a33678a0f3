/** schema.GroupVersion.String(): "v1" for the core group, "group/version" for the others (an apiVersion). */
export function groupVersionString(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** The RBAC API group. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
