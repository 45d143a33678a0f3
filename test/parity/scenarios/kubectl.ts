// What kubectl prints against each server: whoami, can-i, can-i --list, create role/rolebinding/clusterrole,
// the forbidden get, a configmap as YAML, api-resources, version and a bad token. Recorded per kubectl version
// (test/parity/snapshots/kubectl/<version>/) by `npm run parity:record-kubectl`, replayed by kubectl-replay.test.ts.
import type { KubectlScenario } from '../kubectl-scenario.js';
import type { UnrecordedRequest } from '../scenario.js';

const NS = 'parity';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const del = (path: string): UnrecordedRequest => ({ method: 'DELETE', path, as: 'admin' });

/** The kinds of the groups the mock serves; api-resources keeps their lines (the real server serves many more). */
const MOCK_KINDS = new Set(['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'SelfSubjectReview', 'TokenReview', 'SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview']);
const keepMockKinds = (line: string, index: number): boolean => index === 0 || MOCK_KINDS.has(line.trim().split(/\s+/).pop() ?? '');

export const kubectlScenarios: readonly KubectlScenario[] = [
  // auth whoami: each credential kind, and a token no server knows.
  { name: 'whoami-admin-cert', description: 'auth whoami with the admin client certificate (system:masters)', commands: [{ as: 'admin', args: ['auth', 'whoami'] }] },
  { name: 'whoami-jane-cert', description: 'auth whoami with jane\'s client certificate, as a table and as JSON', commands: [{ as: 'jane', args: ['auth', 'whoami'] }, { as: 'jane', args: ['auth', 'whoami', '-o', 'json'] }] },
  { name: 'whoami-token', description: 'auth whoami with alice\'s and bob\'s static tokens (uid, groups)', commands: [{ as: 'alice', args: ['auth', 'whoami'] }, { as: 'bob', args: ['auth', 'whoami', '-o', 'yaml'] }] },
  { name: 'whoami-bad-token', description: 'auth whoami with a token no server knows: Unauthorized', commands: [{ as: 'bad-token', args: ['auth', 'whoami'] }] },
  { name: 'get-bad-token', description: 'get with a token no server knows: discovery fails with Unauthorized', commands: [{ as: 'bad-token', args: ['get', 'configmaps', '-n', NS] }] },

  // auth can-i: yes, no, namespaces, resource names, subresources, non-resource URLs, impersonation.
  {
    name: 'can-i-yes-no',
    description: 'auth can-i answers yes (exit 0) and no (exit 1), cluster-wide and in a namespace',
    commands: [
      { as: 'jane', args: ['auth', 'can-i', 'list', 'pods', '--all-namespaces'] },
      { as: 'jane', args: ['auth', 'can-i', 'get', 'configmaps', '--namespace', NS] },
      { as: 'jane', args: ['auth', 'can-i', 'delete', 'configmaps', '--namespace', NS] },
      { as: 'alice', args: ['auth', 'can-i', 'create', 'configmaps', '--namespace', NS] },
      { as: 'alice', args: ['auth', 'can-i', 'create', 'configmaps', '--namespace', 'default'] },
      { as: 'bob', args: ['auth', 'can-i', 'list', 'configmaps', '-n', NS] },
    ],
  },
  {
    name: 'can-i-resource-name',
    description: 'auth can-i with a resource name: bob may get one named ConfigMap only',
    commands: [
      { as: 'bob', args: ['auth', 'can-i', 'get', 'configmaps/parity-settings', '-n', NS] },
      { as: 'bob', args: ['auth', 'can-i', 'get', 'configmaps/other', '-n', NS] },
    ],
  },
  {
    name: 'can-i-subresource',
    description: 'auth can-i with --subresource and a pods/log resource',
    commands: [
      { as: 'jane', args: ['auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', NS] },
      { as: 'admin', args: ['auth', 'can-i', 'create', 'pods/exec', '-n', NS] },
    ],
  },
  {
    name: 'can-i-non-resource-url',
    description: 'auth can-i for non-resource URLs: the fixtures\' /parity/* and /healthz',
    commands: [
      { as: 'jane', args: ['auth', 'can-i', 'get', '/parity/x'] },
      { as: 'bob', args: ['auth', 'can-i', 'get', '/parity/x'] },
      { as: 'bob', args: ['auth', 'can-i', 'get', '/healthz'] },
    ],
  },
  {
    name: 'can-i-unknown-resource',
    description: 'auth can-i for a resource discovery does not know: the warning, then the answer',
    commands: [{ as: 'admin', args: ['auth', 'can-i', 'get', 'widgets', '-n', NS] }],
  },
  {
    name: 'can-i-impersonation',
    description: 'auth can-i --as: admin impersonates jane (and her group), alice may not impersonate',
    commands: [
      { as: 'admin', args: ['auth', 'can-i', 'list', 'secrets', '-n', NS, '--as=jane'] },
      { as: 'admin', args: ['auth', 'can-i', 'get', 'pods', '-n', NS, '--as=jane', '--as-group=parity-readers'] },
      { as: 'alice', args: ['auth', 'can-i', 'get', 'pods', '--as=jane'] },
    ],
  },
  {
    name: 'can-i-list',
    description: 'auth can-i --list for jane (cluster), alice and bob (namespace parity)',
    commands: [
      { as: 'jane', args: ['auth', 'can-i', '--list'] },
      { as: 'alice', args: ['auth', 'can-i', '--list', '-n', NS] },
      { as: 'bob', args: ['auth', 'can-i', '--list', '--namespace', NS] },
    ],
  },
  {
    name: 'can-i-list-admin',
    description: 'auth can-i --list for system:masters',
    commands: [{ as: 'admin', args: ['auth', 'can-i', '--list', '-n', NS] }],
  },

  // create role / rolebinding / clusterrole: server-side dry run, real, refused.
  {
    name: 'create-role',
    description: 'alice creates a Role in parity: dry run on the server, then for real, then reads it back as YAML',
    commands: [
      { as: 'alice', args: ['create', 'role', 'kubectl-role', '--verb=get,list', '--resource=configmaps', '-n', NS, '--dry-run=server'] },
      { as: 'alice', args: ['create', 'role', 'kubectl-role', '--verb=get,list', '--resource=configmaps', '-n', NS] },
      { as: 'alice', args: ['get', 'role', 'kubectl-role', '-n', NS, '-o', 'yaml'] },
      { as: 'alice', args: ['create', 'role', 'kubectl-role', '--verb=get', '--resource=configmaps', '-n', NS] },
    ],
    cleanup: [del(`${RBAC}/namespaces/${NS}/roles/kubectl-role`)],
  },
  {
    name: 'create-role-escalation',
    description: 'alice creates a Role granting secrets, which she cannot read: the escalation refusal',
    commands: [{ as: 'alice', args: ['create', 'role', 'kubectl-secrets', '--verb=get', '--resource=secrets', '-n', NS] }],
    cleanup: [del(`${RBAC}/namespaces/${NS}/roles/kubectl-secrets`)],
  },
  {
    name: 'create-role-stdin',
    description: 'alice creates a Role from YAML on stdin (create -f -), dry run on the server, as JSON',
    commands: [
      {
        as: 'alice',
        args: ['create', '-f', '-', '--dry-run=server', '-o', 'json'],
        stdin: ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata:', '  name: kubectl-stdin', `  namespace: ${NS}`, 'rules:', '- apiGroups: [""]', '  resources: ["configmaps"]', '  verbs: ["get"]', ''].join('\n'),
      },
    ],
    cleanup: [del(`${RBAC}/namespaces/${NS}/roles/kubectl-stdin`)],
  },
  {
    name: 'create-rolebinding',
    description: 'alice binds parity-dev to carol: dry run, for real, as YAML; binding the ClusterRole parity-reader, whose rules she does not hold, is refused',
    commands: [
      { as: 'alice', args: ['create', 'rolebinding', 'kubectl-binding', '--role=parity-dev', '--user=carol', '-n', NS, '--dry-run=server', '-o', 'yaml'] },
      { as: 'alice', args: ['create', 'rolebinding', 'kubectl-binding', '--role=parity-dev', '--user=carol', '-n', NS] },
      { as: 'alice', args: ['create', 'rolebinding', 'kubectl-reader-binding', '--clusterrole=parity-reader', '--user=carol', '-n', NS] },
    ],
    cleanup: [del(`${RBAC}/namespaces/${NS}/rolebindings/kubectl-binding`), del(`${RBAC}/namespaces/${NS}/rolebindings/kubectl-reader-binding`)],
  },
  {
    name: 'create-clusterrole',
    description: 'admin creates a ClusterRole (dry run, real, already exists); alice may not',
    commands: [
      { as: 'admin', args: ['create', 'clusterrole', 'kubectl-clusterrole', '--verb=get,list', '--resource=pods,configmaps', '--dry-run=server'] },
      { as: 'admin', args: ['create', 'clusterrole', 'kubectl-clusterrole', '--verb=get,list', '--resource=pods,configmaps'] },
      { as: 'admin', args: ['create', 'clusterrole', 'kubectl-clusterrole', '--verb=get', '--resource=pods'] },
      { as: 'alice', args: ['create', 'clusterrole', 'kubectl-alice', '--verb=get', '--resource=pods'] },
    ],
    cleanup: [del(`${RBAC}/clusterroles/kubectl-clusterrole`), del(`${RBAC}/clusterroles/kubectl-alice`)],
  },

  // get: forbidden, and the fixtures' ConfigMap.
  {
    name: 'get-forbidden',
    description: 'gets refused by RBAC: a list, a named get, a cluster-scoped list',
    commands: [
      { as: 'jane', args: ['get', 'secrets', '-n', NS] },
      { as: 'bob', args: ['get', 'configmap', 'other', '-n', NS] },
      { as: 'alice', args: ['get', 'clusterroles'] },
    ],
  },
  {
    name: 'get-configmap',
    description: 'the fixtures\' ConfigMap as YAML (bob, by name) and as JSON (jane)',
    commands: [
      { as: 'bob', args: ['get', 'configmap', 'parity-settings', '-n', NS, '-o', 'yaml'] },
      { as: 'jane', args: ['get', 'configmap', 'parity-settings', '-n', NS, '-o', 'json'] },
      { as: 'jane', args: ['get', 'configmap', 'missing', '-n', NS] },
    ],
  },

  {
    name: 'get-tables',
    description: 'tables with ages: alice lists Roles and RoleBindings (-o wide) in parity, admin lists namespaces',
    commands: [
      { as: 'alice', args: ['get', 'roles', '-n', NS] },
      { as: 'alice', args: ['get', 'rolebindings', '-n', NS, '-o', 'wide'] },
      { as: 'admin', args: ['get', 'namespaces'] },
      { as: 'admin', args: ['get', 'clusterrolebindings', 'parity-readers', '-o', 'wide'] },
    ],
  },
  {
    name: 'delete-role',
    description: 'alice deletes a Role admin created (dry run, real, gone)',
    setup: [{ method: 'POST', path: `${RBAC}/namespaces/${NS}/roles`, as: 'admin', body: { json: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'kubectl-doomed', namespace: NS }, rules: [] } } }],
    commands: [
      { as: 'alice', args: ['delete', 'role', 'kubectl-doomed', '-n', NS, '--dry-run=server'] },
      { as: 'alice', args: ['delete', 'role', 'kubectl-doomed', '-n', NS] },
      { as: 'alice', args: ['delete', 'role', 'kubectl-doomed', '-n', NS] },
      { as: 'bob', args: ['delete', 'role', 'parity-dev', '-n', NS] },
    ],
    cleanup: [del(`${RBAC}/namespaces/${NS}/roles/kubectl-doomed`)],
  },
  {
    name: 'create-clusterrolebinding',
    description: 'admin binds parity-reader to a group (dry run as YAML), alice may not',
    commands: [
      { as: 'admin', args: ['create', 'clusterrolebinding', 'kubectl-crb', '--clusterrole=parity-reader', '--group=kubectl-group', '--dry-run=server', '-o', 'yaml'] },
      { as: 'alice', args: ['create', 'clusterrolebinding', 'kubectl-crb', '--clusterrole=parity-reader', '--group=kubectl-group'] },
    ],
    cleanup: [del(`${RBAC}/clusterrolebindings/kubectl-crb`)],
  },
  {
    name: 'whoami-impersonated',
    description: 'auth whoami and can-i --list through impersonation (--as, --as-group, --as-uid)',
    commands: [
      { as: 'admin', args: ['auth', 'whoami', '--as=carol', '--as-group=parity-devs', '--as-uid=carol-uid'] },
      { as: 'admin', args: ['auth', 'can-i', '--list', '-n', NS, '--as=bob'] },
      { as: 'jane', args: ['auth', 'whoami', '--as=carol'] },
    ],
  },

  // discovery and version.
  {
    name: 'api-resources',
    description: 'api-resources of the groups the mock serves, sorted by name, the mock\'s kinds kept',
    commands: [
      { as: 'admin', args: ['api-resources', '--api-group=rbac.authorization.k8s.io', '--sort-by=name'] },
      { as: 'admin', args: ['api-resources', '--api-group=authentication.k8s.io', '--sort-by=name'] },
      { as: 'admin', args: ['api-resources', '--api-group=authorization.k8s.io', '--sort-by=name'] },
      { as: 'admin', args: ['api-resources', '--sort-by=name'], keepStdout: keepMockKinds },
    ],
  },
  {
    name: 'version',
    description: 'version, client and server (the versions masked), as text and as the skew warning',
    commands: [{ as: 'jane', args: ['version'] }],
  },
];
