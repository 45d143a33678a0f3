// The bootstrap policy kube-apiserver writes at start (its RBAC post-start hook): every ClusterRole and
// ClusterRoleBinding name, and the rules of non-aggregated roles. The reference runs no
// kube-controller-manager, so aggregated roles (admin, edit, view...) have empty rules there: they are compared by
// name and aggregationRule only.
import type { JsonValue, ParityRequest, ScenarioGroup } from '../scenario.js';
import { RBAC } from './common.js';

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The bootstrap objects' names (label kubernetes.io/bootstrapping=rbac-defaults) that `keepName` accepts, in the
 * server's order (kube lists by name, in etcd key order; a list in another order is a difference):
 * fixtures and scenario objects are left out.
 */
const bootstrapNames = (keepName: (name: string) => boolean = () => true) => (body: JsonValue): JsonValue => {
  if (!isObject(body) || !Array.isArray(body.items)) return body;
  const names = body.items.flatMap((i) => {
    if (!isObject(i) || !isObject(i.metadata)) return [];
    const labels = i.metadata.labels;
    const name = String(i.metadata.name);
    return isObject(labels) && labels['kubernetes.io/bootstrapping'] === 'rbac-defaults' && keepName(name) ? [name] : [];
  });
  return { kind: body.kind ?? null, names };
};
/** The controllers' roles and bindings (system:controller:*), which kube-controller-manager's controllers use. */
const isController = (name: string): boolean => name.startsWith('system:controller:');
const notController = (name: string): boolean => !isController(name);

/** Keeps the fields named, in the server's order. */
const keep = (...fields: string[]) => (body: JsonValue): JsonValue => (isObject(body) ? Object.fromEntries(Object.entries(body).filter(([k]) => fields.includes(k))) : body);

const getClusterRole = (name: string): ParityRequest => ({ method: 'GET', path: `${RBAC}/clusterroles/${name}`, as: 'admin' });
const getBinding = (name: string): ParityRequest => ({ method: 'GET', path: `${RBAC}/clusterrolebindings/${name}`, as: 'admin', select: keep('kind', 'roleRef', 'subjects') });
const rulesOf = (name: string): ParityRequest => ({ ...getClusterRole(name), select: keep('kind', 'metadata', 'rules') });

export const rbacBootstrap: ScenarioGroup = {
  group: 'rbac-bootstrap',
  scenarios: [
    { name: 'clusterrole-names', description: 'the names of every bootstrap ClusterRole but the controllers\'', requests: [{ method: 'GET', path: `${RBAC}/clusterroles`, as: 'admin', select: bootstrapNames(notController) }] },
    { name: 'controller-clusterrole-names', description: 'the names of the bootstrap ClusterRoles system:controller:*', requests: [{ method: 'GET', path: `${RBAC}/clusterroles`, as: 'admin', select: bootstrapNames(isController) }] },
    { name: 'clusterrolebinding-names', description: 'the names of every bootstrap ClusterRoleBinding but the controllers\'', requests: [{ method: 'GET', path: `${RBAC}/clusterrolebindings`, as: 'admin', select: bootstrapNames(notController) }] },
    { name: 'controller-clusterrolebinding-names', description: 'the names of the bootstrap ClusterRoleBindings system:controller:*', requests: [{ method: 'GET', path: `${RBAC}/clusterrolebindings`, as: 'admin', select: bootstrapNames(isController) }] },
    { name: 'role-names-kube-system', description: 'the bootstrap Roles of kube-system and kube-public', requests: [
      { method: 'GET', path: `${RBAC}/namespaces/kube-system/roles`, as: 'admin', select: bootstrapNames() },
      { method: 'GET', path: `${RBAC}/namespaces/kube-public/roles`, as: 'admin', select: bootstrapNames() },
    ] },
    { name: 'rolebinding-names-kube-system', description: 'the bootstrap RoleBindings of kube-system and kube-public', requests: [
      { method: 'GET', path: `${RBAC}/namespaces/kube-system/rolebindings`, as: 'admin', select: bootstrapNames() },
      { method: 'GET', path: `${RBAC}/namespaces/kube-public/rolebindings`, as: 'admin', select: bootstrapNames() },
    ] },
    { name: 'cluster-admin', description: 'cluster-admin: its metadata and rules', requests: [rulesOf('cluster-admin')] },
    { name: 'discovery', description: 'system:discovery: its rules', requests: [rulesOf('system:discovery')] },
    { name: 'public-info-viewer', description: 'system:public-info-viewer: its rules', requests: [rulesOf('system:public-info-viewer')] },
    { name: 'node-proxier', description: 'system:node-proxier: its rules', requests: [rulesOf('system:node-proxier')] },
    { name: 'auth-delegator', description: 'system:auth-delegator: its rules', requests: [rulesOf('system:auth-delegator')] },
    { name: 'node-bootstrapper', description: 'system:node-bootstrapper: its rules', requests: [rulesOf('system:node-bootstrapper')] },
    { name: 'aggregate-to-view', description: 'system:aggregate-to-view: the rules view aggregates', requests: [rulesOf('system:aggregate-to-view')] },
    {
      name: 'aggregated-roles',
      description: 'admin, edit and view: names and aggregationRule only (their rules are kube-controller-manager\'s work)',
      requests: ['admin', 'edit', 'view'].map((name) => ({ ...getClusterRole(name), select: keep('kind', 'aggregationRule') })),
    },
    { name: 'bindings', description: 'the bootstrap ClusterRoleBindings of cluster-admin, system:basic-user and system:public-info-viewer', requests: [getBinding('cluster-admin'), getBinding('system:basic-user'), getBinding('system:public-info-viewer')] },
  ],
};
