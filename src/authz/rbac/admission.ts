// The checks kube-apiserver's RBAC storage makes before it writes a Role, ClusterRole, RoleBinding or
// ClusterRoleBinding: pkg/registry/rbac/role/policybased/storage.go and clusterrole/policybased/storage.go (a role's
// rules must be held, or the escalate verb granted), rolebinding/policybased/storage.go and
// clusterrolebinding/policybased/storage.go (the bound role's rules must be held, or the bind verb granted). Each
// kind gets its own check where the kind is registered (src/api/groups/rbac.ts); deletes are never checked.
import { RBAC_GROUP } from '../../apimachinery/group-version.js';
import { badRequest, forbidden, notFound, notStatusError, type StatusError } from '../../apimachinery/status.js';
import { recordOf, stableJson } from '../../apimachinery/json-value.js';
import { goQuote, validatePathSegmentName } from '../../apimachinery/validation.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { UserInfo } from '../../authn/types.js';
import type { Authorizer } from '../types.js';
import { policyRulesFor } from './rule-resolver.js';
import type { BindingLike, RbacIndex } from './binding-index.js';
import { bindingAuthorized, escalationAllowed, escalationError, FULL_AUTHORITY, roleEscalationAuthorized } from './escalation.js';
import type { MatchableRule } from './rules.js';

/** What the RBAC storage checks need: the server's authorizer (escalate and bind verbs) and RBAC's index (the rules a user holds). */
export interface RbacStorageDeps {
  authorizer: Authorizer;
  index: RbacIndex;
}

/** A create or update of an RBAC object, in plain terms. */
export interface RbacWrite {
  user: UserInfo;
  /** The request's resource attributes as RequestInfo has them (the escalate check asks about these: the name is "" on a POST). */
  request: { apiGroup: string; resource: string; namespace: string; name: string };
  /** The object as the request makes it (decoded and defaulted, or patched). */
  obj: KubeObject;
  /** The stored object on update. */
  old: KubeObject | undefined;
}

/** A check of one RBAC kind: resolves to allow the write, or throws kube's StatusError. */
export type RbacStorageCheck = (write: RbacWrite) => Promise<void>;


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

/** The policybased storages' 403: NewForbidden(groupResource, name, err). */
function refusal(resource: string, obj: KubeObject, why: string): StatusError {
  return forbidden({ group: RBAC_GROUP, resource }, obj.metadata.name ?? '', why);
}

/**
 * The rules a Role or ClusterRole write asks for, as kube's Go type holds them: the request is not validated yet
 * (validation runs after this check), and a JSON null decodes to a nil slice, which BreakdownRule ranges over as
 * empty.
 */
function requestedRules(obj: KubeObject): MatchableRule[] {
  const rules = (obj.rules as (MatchableRule | null)[] | null | undefined) ?? [];
  return rules.map((rule) => ({ ...rule, verbs: rule?.verbs ?? [] }));
}

const hasAggregation = (o: KubeObject | undefined): boolean => o !== undefined && o.aggregationRule !== undefined && o.aggregationRule !== null;

/**
 * role and clusterrole policybased storage: the user must hold the rules it writes (or may escalate); for a
 * ClusterRole an aggregationRule, on the new object or the old one, needs full authority, checked after the rules.
 * system:masters may do anything. Throws kube's 403.
 */
function roleCheck(deps: RbacStorageDeps, resource: 'roles' | 'clusterroles'): RbacStorageCheck {
  const namespaced = resource === 'roles';
  return async ({ user, request, obj, old }) => {
    if (escalationAllowed(user) || onlyGcFieldsChanged(obj, old)) return;
    if (await roleEscalationAuthorized(deps.authorizer, user, request)) return;
    const held = policyRulesFor(deps.index, user, namespaced ? request.namespace : '');
    const why = escalationError(user, held.rules, held.errors, requestedRules(obj));
    if (why !== undefined) throw refusal(resource, obj, why);
    if (!namespaced && (hasAggregation(obj) || hasAggregation(old)) && escalationError(user, held.rules, held.errors, FULL_AUTHORITY) !== undefined) {
      throw refusal(resource, obj, 'must have cluster-admin privileges to use the aggregationRule');
    }
  };
}

/** rbacv1.RoleRef as Go decodes the request (not validated yet): a field left out or null is "". */
function roleRefOf(obj: KubeObject): { apiGroup: string; kind: string; name: string } {
  const ref = recordOf(obj.roleRef);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { apiGroup: str(ref.apiGroup), kind: str(ref.kind), name: str(ref.name) };
}

/**
 * The registry's Get of a bound role that is not there (role.AuthorizerAdapter, clusterrole.AuthorizerAdapter):
 * the store's key function refuses first (generic/registry/store.go NamespaceKeyFunc and NoNamespaceKeyFunc: a
 * Role asked for outside a namespace, as a ClusterRoleBinding asks, an empty name, a name that is no path
 * segment), else NotFound. The NotFound names the resource of the request (the binding's: the store's
 * qualifiedResourceFromContext reads it from the request), as recorded in test/parity/snapshots/rbac/.
 */
function roleGetError(kind: 'Role' | 'ClusterRole', namespace: string, name: string, requestResource: 'rolebindings' | 'clusterrolebindings'): StatusError {
  if (kind === 'Role' && namespace === '') return badRequest('Namespace parameter required.');
  if (name === '') return badRequest('Name parameter required.');
  const invalid = validatePathSegmentName(name, false);
  if (invalid.length > 0) return badRequest(`Name parameter invalid: ${goQuote(name)}: ${invalid.join(';')}`);
  return notFound({ group: RBAC_GROUP, resource: requestResource }, name);
}

/**
 * rolebinding and clusterrolebinding policybased storage: the user must hold the rules of the role it binds (or
 * may bind it); a role that does not exist is the registry's 404. system:masters may do anything. Throws kube's 403.
 */
function bindingCheck(deps: RbacStorageDeps, resource: 'rolebindings' | 'clusterrolebindings'): RbacStorageCheck {
  const namespaced = resource === 'rolebindings';
  const kind = namespaced ? 'RoleBinding' : 'ClusterRoleBinding';
  return async ({ user, request, obj, old }) => {
    if (escalationAllowed(user) || onlyGcFieldsChanged(obj, old)) return;
    const namespace = namespaced ? request.namespace : '';
    const binding = obj as unknown as BindingLike;
    const roleRef = roleRefOf(obj);
    if (await bindingAuthorized(deps.authorizer, user, roleRef, namespace)) return;
    const role = deps.index.roleFor({ ...binding, roleRef, kind, metadata: { ...binding.metadata, namespace } });
    if (typeof role === 'string') {
      // GetRoleReferenceRules' error is the registry's Get error (rolebinding/policybased/storage.go returns it as is).
      if (roleRef.kind === 'Role' || roleRef.kind === 'ClusterRole') throw roleGetError(roleRef.kind, namespace, roleRef.name, resource);
      // Any other kind is GetRoleReferenceRules' plain fmt.Errorf, returned before validation runs: kube's 500.
      throw notStatusError(role);
    }
    const held = policyRulesFor(deps.index, user, namespace);
    const why = escalationError(user, held.rules, held.errors, role.rules);
    if (why !== undefined) throw refusal(resource, obj, why);
  };
}

/** Role writes: role/policybased/storage.go. */
export const roleStorageCheck = (deps: RbacStorageDeps): RbacStorageCheck => roleCheck(deps, 'roles');
/** ClusterRole writes: clusterrole/policybased/storage.go. */
export const clusterRoleStorageCheck = (deps: RbacStorageDeps): RbacStorageCheck => roleCheck(deps, 'clusterroles');
/** RoleBinding writes: rolebinding/policybased/storage.go. */
export const roleBindingStorageCheck = (deps: RbacStorageDeps): RbacStorageCheck => bindingCheck(deps, 'rolebindings');
/** ClusterRoleBinding writes: clusterrolebinding/policybased/storage.go. */
export const clusterRoleBindingStorageCheck = (deps: RbacStorageDeps): RbacStorageCheck => bindingCheck(deps, 'clusterrolebindings');
