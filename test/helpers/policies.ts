// Policy file fixtures shared by the policy tests.

/** A policy file letting jane get and list pods in dev: a Role and its RoleBinding. */
export const JANE_READS_PODS_IN_DEV = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-reads, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]
`;

/** A policy file letting jane use configmaps in default with the given verbs: Role configmap-editor and RoleBinding jane-edits. */
export function janeEditsConfigMaps(verbs: readonly string[]): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: configmap-editor, namespace: default}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [${verbs.join(', ')}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-edits, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmap-editor}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]
`;
}

/** What kube's docs suggest for a public ServiceAccount issuer: its discovery ClusterRole bound to unauthenticated users too. */
export const PUBLIC_ISSUER_DISCOVERY = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: service-account-issuer-discovery-public}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:service-account-issuer-discovery}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:unauthenticated}]
`;
