// rbac.authorization.k8s.io/v1, in discovery's order (by name). Each kind is stored with RBAC's validation and v1
// defaulting, and written only past its policybased storage check (escalation for roles, bind for bindings).
// Sources (kube v1.33): pkg/registry/rbac/rest/storage_rbac.go, pkg/registry/rbac/<kind>/{strategy.go,
// policybased/storage.go} and pkg/printers/internalversion/printers.go (printRoleBinding, printClusterRoleBinding;
// roles and clusterroles print with the default convertor).
import { RBAC_GROUP } from '../../apimachinery/group-version.js';
import { recordOf } from '../../apimachinery/json-value.js';
import type { KubeObject } from '../../apimachinery/object.js';
import {
  clusterRoleBindingStorageCheck,
  clusterRoleStorageCheck,
  roleBindingStorageCheck,
  roleStorageCheck,
  type RbacStorageCheck,
  type RbacStorageDeps,
} from '../../authz/rbac/admission.js';
import type { RbacKind as RbacKindName } from '../../authz/rbac/types.js';
import { applyRbacDefaults, RBAC_SCHEMAS, validateRbacObject, validateRbacUpdate } from '../../authz/rbac/validation.js';
import type { ResourceType } from '../../store/types.js';
import type { AdmitHook } from '../rest/resource.js';
import { AGE_COLUMN, age, column, NAME_COLUMN, type Printer } from '../rest/table.js';
import type { ApiGroup, GroupDeps } from './group.js';
import { RBAC_PATCH_META } from '../codec/patch-meta.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function rbacKind(resource: string, singular: string, kind: string, namespaced: boolean): ResourceType {
  const binding = kind.endsWith('Binding');
  return {
    group: RBAC_GROUP,
    version: 'v1',
    resource,
    singular,
    kind,
    listKind: `${kind}List`,
    namespaced,
    nameValidation: 'PathSegmentName',
    allowCreateOnUpdate: true,
    fieldOrder: binding ? ['subjects', 'roleRef'] : kind === 'ClusterRole' ? ['rules', 'aggregationRule'] : ['rules'],
    patchMeta: RBAC_PATCH_META[kind as RbacKindName],
    emptyFields: binding ? { roleRef: { apiGroup: '', kind: '', name: '' } } : { rules: null },
    schema: RBAC_SCHEMAS[kind as RbacKindName],
    defaults(obj) {
      // v1 defaulting: roleRef.apiGroup, and the apiGroup of User and Group subjects.
      Object.assign(obj, applyRbacDefaults(obj));
    },
    validate: (obj, old) => (old === undefined ? validateRbacObject(obj) : validateRbacUpdate(obj, old)),
  };
}

/** rbac.authorization.k8s.io/v1 roles. */
export const roleType = rbacKind('roles', 'role', 'Role', true);
/** rbac.authorization.k8s.io/v1 clusterroles. */
export const clusterRoleType = rbacKind('clusterroles', 'clusterrole', 'ClusterRole', false);
/** rbac.authorization.k8s.io/v1 rolebindings. */
export const roleBindingType = rbacKind('rolebindings', 'rolebinding', 'RoleBinding', true);
/** rbac.authorization.k8s.io/v1 clusterrolebindings. */
export const clusterRoleBindingType = rbacKind('clusterrolebindings', 'clusterrolebinding', 'ClusterRoleBinding', false);

// rbac.SubjectsStrings
function subjects(obj: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of list(obj.subjects).map(recordOf)) {
    if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
    else if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string, roleRefDoc: string): Printer {
  return {
    columns: [
      NAME_COLUMN,
      column('Role', 'string', roleRefDoc),
      AGE_COLUMN,
      column('Users', 'string', `Users in the ${what}`, 1),
      column('Groups', 'string', `Groups in the ${what}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    cells: (obj, now) => {
      const ref = recordOf(obj.roleRef);
      return [obj.metadata.name ?? '', `${str(ref.kind)}/${str(ref.name)}`, age(obj, now), ...subjects(obj)];
    },
  };
}

/** kubectl's columns for rolebindings: Name, Role, Age, and with -o wide Users, Groups, ServiceAccounts. */
export const roleBindingPrinter = bindingPrinter('roleBinding', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.');
/** kubectl's columns for clusterrolebindings, as for rolebindings. */
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding', 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.');

/**
 * A kind's policybased storage check as an admission step: creates and updates are checked against the request's
 * attributes as RequestInfo resolved them; deletes pass, as kube's policybased storages do not wrap Delete.
 */
function storageCheck(check: (deps: RbacStorageDeps) => RbacStorageCheck): (deps: GroupDeps) => AdmitHook {
  return (deps) => {
    const checkWrite = check({ authorizer: deps.authorizer, index: deps.rbacIndex });
    return async ({ operation, user, requestInfo, object, oldObject }) => {
      if (operation === 'delete') return;
      const { apiGroup, resource, namespace, name } = requestInfo;
      await checkWrite({ user, request: { apiGroup, resource, namespace, name }, obj: object, old: oldObject });
    };
  };
}

/** rbac.authorization.k8s.io/v1. */
export const rbacGroup: ApiGroup = {
  name: RBAC_GROUP,
  stored: {
    version: 'v1',
    kinds: [
      { type: clusterRoleBindingType, printer: clusterRoleBindingPrinter, admission: storageCheck(clusterRoleBindingStorageCheck) },
      { type: clusterRoleType, admission: storageCheck(clusterRoleStorageCheck) },
      { type: roleBindingType, printer: roleBindingPrinter, admission: storageCheck(roleBindingStorageCheck) },
      { type: roleType, admission: storageCheck(roleStorageCheck) },
    ],
  },
};
