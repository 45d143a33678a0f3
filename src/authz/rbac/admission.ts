// The checks kube-apiserver's RBAC storage makes before it writes a Role, ClusterRole, RoleBinding or
// ClusterRoleBinding (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased/storage.go).
import { RBAC_GROUP } from '../../apimachinery/group-version.js';
import { forbidden, notFound, unknownError } from '../../apimachinery/status.js';
import { requestInfoOf, userOf, type KubeContext } from '../../request/state.js';
import { stableJson } from '../../apimachinery/json-value.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { Authorizer } from '../types.js';
import { rulesFor } from './authorizer.js';
import type { BindingLike, RbacIndex } from './binding-index.js';
import { bindingAuthorized, escalationAllowed, escalationError, FULL_AUTHORITY, roleEscalationAuthorized } from './escalation.js';
import type { MatchableRule } from './rules.js';
import { RBAC_RESOURCES } from './types.js';


// pkg/registry/rbac/helpers.go IsOnlyMutatingGCFields: the new object with the old one's owner references,
// finalizers, selfLink and managedFields equals the old one (Semantic.DeepEqual: by content, not key order).
// obj is the object as the request made it (decoded and defaulted, or patched), before rest.BeforeUpdate copies
// uid and creationTimestamp from old: the policybased storages check in UpdatedObject, ahead of BeforeUpdate.
function onlyGcFieldsChanged(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (old === undefined) return false;
  const gcFields = ['ownerReferences', 'finalizers', 'selfLink', 'managedFields'] as const;
  const metadata: Record<string, unknown> = { ...obj.metadata };
  for (const field of gcFields) metadata[field] = old.metadata[field];
  return stableJson({ ...obj, metadata }) === stableJson(old);
}

/**
 * The admit hook for the four RBAC kinds: a user may write a role only with rules it holds (or with the
 * escalate verb), and bind a role only if it holds the role's rules (or has the bind verb); system:masters
 * may do anything. Throws kube's 403.
 */
export function rbacAdmission(opts: { authorizer: Authorizer; index: RbacIndex }) {
  return async (ctx: KubeContext, verb: 'create' | 'update' | 'delete', obj: KubeObject, old: KubeObject | undefined): Promise<void> => {
    const resource = (RBAC_RESOURCES as Record<string, string | undefined>)[obj.kind];
    if (verb === 'delete' || resource === undefined || obj.apiVersion !== `${RBAC_GROUP}/v1`) return;
    const user = userOf(ctx);
    if (escalationAllowed(user) || onlyGcFieldsChanged(obj, old)) return;
    const info = requestInfoOf(ctx);
    const name = obj.metadata.name ?? '';
    const namespace = obj.kind === 'Role' || obj.kind === 'RoleBinding' ? info.namespace : '';
    const refuse = (why: string): never => {
      throw forbidden({ group: RBAC_GROUP, resource }, name, why);
    };
    const owner = () => rulesFor(opts.index, user, namespace);

    if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
      if (await roleEscalationAuthorized(opts.authorizer, user, { apiGroup: info.apiGroup, resource: info.resource, namespace: info.namespace, name: info.name })) return;
      const held = owner();
      const why = escalationError(user, held.rules, held.errors, (obj.rules as MatchableRule[] | null | undefined) ?? []);
      if (why !== undefined) refuse(why);
      // clusterrole/policybased/storage.go: an aggregationRule, on the new object or the old one, needs
      // full authority, checked after the rules.
      const hasAggregation = (o: KubeObject | undefined): boolean => o !== undefined && o.aggregationRule !== undefined && o.aggregationRule !== null;
      if (obj.kind === 'ClusterRole' && (hasAggregation(obj) || hasAggregation(old)) && escalationError(user, held.rules, held.errors, FULL_AUTHORITY) !== undefined) {
        refuse('must have cluster-admin privileges to use the aggregationRule');
      }
      return;
    }

    const binding = obj as unknown as BindingLike;
    const roleRef = binding.roleRef ?? { kind: '', name: '', apiGroup: '' };
    if (await bindingAuthorized(opts.authorizer, user, roleRef, namespace)) return;
    const role = opts.index.roleFor({ ...binding, roleRef, kind: obj.kind, metadata: { ...binding.metadata, namespace } });
    if (typeof role === 'string') {
      // GetRoleReferenceRules' error is the registry's 404 (rolebinding/policybased/storage.go returns it as is).
      if (roleRef.kind === 'Role' || roleRef.kind === 'ClusterRole') throw notFound({ group: RBAC_GROUP, resource: roleRef.kind === 'Role' ? 'roles' : 'clusterroles' }, roleRef.name);
      // Any other kind is GetRoleReferenceRules' plain fmt.Errorf, returned before validation runs: kube's 500.
      throw unknownError(role);
    } else {
      const held = owner();
      const why = escalationError(user, held.rules, held.errors, role.rules);
      if (why !== undefined) refuse(why);
    }
  };
}
