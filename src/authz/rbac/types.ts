// The RBAC API objects (rbac.authorization.k8s.io/v1) in their JSON shapes, as k8s.io/api/rbac/v1/types.go
// defines them. Fields kube serializes without omitempty (Role.rules, RoleBinding.roleRef) may arrive as null:
// the bootstrap roles admin, edit and view are stored with `rules: null` until their aggregation is filled in.
import type { KubeObject, ObjectMeta } from '../../apimachinery/object.js';
import { isRecord } from '../../apimachinery/json-value.js';

/** The RBAC API group. */
import { RBAC_GROUP } from '../../apimachinery/group-version.js';
/** The only served version of the RBAC API (v1alpha1 and v1beta1 were removed in v1.22). */
export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

/** rbacv1.PolicyRule. A rule is either a resource rule (apiGroups + resources) or a non-resource rule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** The subject kinds kube accepts. */
export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/**
 * rbacv1.Subject. apiGroup defaults to rbac.authorization.k8s.io for User and Group and stays "" for
 * ServiceAccount; a ServiceAccount in a RoleBinding without namespace means the binding's own namespace.
 */
export interface Subject {
  kind: SubjectKind;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

/** rbacv1.RoleRef. apiGroup defaults to rbac.authorization.k8s.io. Immutable once the binding exists. */
export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

/** metav1.LabelSelectorOperator. */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

/** metav1.LabelSelector. An empty selector matches everything. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** rbacv1.AggregationRule: a ClusterRole whose rules are the union of those of the ClusterRoles selected. */
export interface AggregationRule {
  clusterRoleSelectors: LabelSelector[];
}

export interface Role extends KubeObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'Role';
  metadata: ObjectMeta;
  rules?: PolicyRule[] | null;
}

export interface ClusterRole extends KubeObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'ClusterRole';
  metadata: ObjectMeta;
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule | null;
}

export interface RoleBinding extends KubeObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'RoleBinding';
  metadata: ObjectMeta;
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

export interface ClusterRoleBinding extends KubeObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'ClusterRoleBinding';
  metadata: ObjectMeta;
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

export type RbacObject = Role | ClusterRole | RoleBinding | ClusterRoleBinding;
export type RbacKind = RbacObject['kind'];

/** The four kinds, in the order kube lists them. */
export const RBAC_KINDS: readonly RbacKind[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** The resource (plural) each RBAC kind is served as. */
export const RBAC_RESOURCES: Readonly<Record<RbacKind, string>> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

/** Whether objects of a kind live in a namespace (Role, RoleBinding) or at cluster scope. */
export function isNamespacedRbacKind(kind: RbacKind): boolean {
  return kind === 'Role' || kind === 'RoleBinding';
}

function hasKind(obj: unknown, kind: RbacKind): boolean {
  return isRecord(obj) && obj.apiVersion === RBAC_API_VERSION && obj.kind === kind && isRecord(obj.metadata);
}

// The guards look at apiVersion, kind and metadata only; validateRbacObject (validation.ts) checks the rest.

export function isRole(obj: unknown): obj is Role {
  return hasKind(obj, 'Role');
}

export function isClusterRole(obj: unknown): obj is ClusterRole {
  return hasKind(obj, 'ClusterRole');
}

export function isRoleBinding(obj: unknown): obj is RoleBinding {
  return hasKind(obj, 'RoleBinding');
}

export function isClusterRoleBinding(obj: unknown): obj is ClusterRoleBinding {
  return hasKind(obj, 'ClusterRoleBinding');
}

export function isRbacObject(obj: unknown): obj is RbacObject {
  return isRole(obj) || isClusterRole(obj) || isRoleBinding(obj) || isClusterRoleBinding(obj);
}
