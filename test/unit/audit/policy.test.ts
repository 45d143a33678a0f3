// The audit policy: checker.go's rule matching as the case table of
// staging/src/k8s.io/apiserver/pkg/audit/policy/checker_test.go (TestChecker, TestCheckerPolicyOmitStages,
// TestUnionStages through the evaluator), then reader.go and apis/audit/validation/validation.go: what loads,
// what is refused and in which words (validation_test.go's cases, k8s.io/apiserver v0.34.4).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AuditPolicyError,
  loadPolicyFromBytes,
  loadPolicyFromFile,
  newPolicyRuleEvaluator,
  type AuditAttributes,
  type AuditLevel,
  type AuditStage,
  type PolicyRule,
} from '../../../src/audit/policy.js';

const tim = { name: 'tim@k8s.io', groups: ['humans', 'developers'] };
const base = { namespace: '', apiGroup: '', resource: '', subresource: '', name: '' };

/** checker_test.go's attrs. */
const ATTRS: Record<string, AuditAttributes> = {
  namespaced: { ...base, user: tim, verb: 'get', namespace: 'default', resource: 'pods', name: 'busybox', isResourceRequest: true, path: '/api/v1/namespaces/default/pods/busybox' },
  cluster: { ...base, user: tim, verb: 'get', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'edit', isResourceRequest: true, path: '/apis/rbac.authorization.k8s.io/v1beta1/clusterroles/edit' },
  nonResource: { ...base, user: tim, verb: 'get', isResourceRequest: false, path: '/logs/kubelet.log' },
  subresource: { ...base, user: tim, verb: 'get', namespace: 'default', resource: 'pods', subresource: 'log', name: 'busybox', isResourceRequest: true, path: '/api/v1/namespaces/default/pods/busybox' },
  Unauthorized: { ...base, user: undefined, verb: 'get', namespace: 'default', resource: 'pods', name: 'busybox', isResourceRequest: true, path: '/api/v1/namespaces/default/pods/busybox' },
};

/** checker_test.go's rules. */
const RULES: Record<string, PolicyRule> = {
  default: { level: 'Metadata' },
  create: { level: 'Request', verbs: ['create'] },
  tims: { level: 'Metadata', users: ['tim@k8s.io'] },
  humans: { level: 'Metadata', userGroups: ['humans'] },
  serviceAccounts: { level: 'Request', userGroups: ['system:serviceaccounts'] },
  getPods: { level: 'RequestResponse', verbs: ['get'], resources: [{ resources: ['pods'] }] },
  getPodLogs: { level: 'Request', verbs: ['get'], resources: [{ resources: ['pods/log'] }] },
  getPodWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ resources: ['*'] }] },
  getPodResourceWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ resources: ['*/log'] }] },
  getPodSubResourceWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ resources: ['pods/*'] }] },
  getClusterRoles: { level: 'RequestResponse', verbs: ['get'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'] }], namespaces: [''] },
  getLogs: { level: 'RequestResponse', verbs: ['get'], nonResourceURLs: ['/logs*'] },
  getMetrics: { level: 'Request', verbs: ['get'], nonResourceURLs: ['/metrics'] },
  clusterRoleEdit: { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: ['edit'] }] },
  'omit RequestReceived': { level: 'Request', omitStages: ['RequestReceived'] },
  'only audit panic': { level: 'Request', omitStages: ['RequestReceived', 'ResponseStarted', 'ResponseComplete'] },
};

type Row = [request: string, level: AuditLevel, rules: string[]];

/** testAuditLevel's rows. */
const LEVEL_ROWS: Row[] = [
  ['namespaced', 'Metadata', ['default']],
  ['namespaced', 'None', ['create']],
  ['namespaced', 'Metadata', ['tims']],
  ['namespaced', 'Metadata', ['humans']],
  ['namespaced', 'None', ['serviceAccounts']],
  ['namespaced', 'RequestResponse', ['getPods']],
  ['namespaced', 'None', ['getClusterRoles']],
  ['namespaced', 'None', ['getLogs']],
  ['namespaced', 'None', ['getMetrics']],
  ['namespaced', 'Metadata', ['getMetrics', 'serviceAccounts', 'default']],
  ['namespaced', 'RequestResponse', ['getMetrics', 'getPods', 'default']],
  ['namespaced', 'RequestResponse', ['getPodLogs', 'getPods']],
  ['cluster', 'Metadata', ['default']],
  ['cluster', 'None', ['create']],
  ['cluster', 'Metadata', ['tims']],
  ['cluster', 'Metadata', ['humans']],
  ['cluster', 'None', ['serviceAccounts']],
  ['cluster', 'None', ['getPods']],
  ['cluster', 'RequestResponse', ['getClusterRoles']],
  ['cluster', 'Request', ['clusterRoleEdit', 'getClusterRoles']],
  ['cluster', 'None', ['getLogs']],
  ['cluster', 'None', ['getMetrics']],
  ['cluster', 'Metadata', ['getMetrics', 'serviceAccounts', 'default']],
  ['cluster', 'RequestResponse', ['getMetrics', 'getClusterRoles', 'default']],
  ['cluster', 'None', ['getPodLogs', 'getPods']],
  ['nonResource', 'Metadata', ['default']],
  ['nonResource', 'None', ['create']],
  ['nonResource', 'Metadata', ['tims']],
  ['nonResource', 'Metadata', ['humans']],
  ['nonResource', 'None', ['serviceAccounts']],
  ['nonResource', 'None', ['getPods']],
  ['nonResource', 'None', ['getClusterRoles']],
  ['nonResource', 'RequestResponse', ['getLogs']],
  ['nonResource', 'None', ['getMetrics']],
  ['nonResource', 'Metadata', ['getMetrics', 'serviceAccounts', 'default']],
  ['nonResource', 'RequestResponse', ['getLogs', 'getClusterRoles', 'default']],
  ['nonResource', 'None', ['getPodLogs', 'getPods']],
  ['subresource', 'Request', ['getPodLogs', 'getPods']],
  ['subresource', 'Request', ['getPodWildcardMatching']],
  ['subresource', 'Request', ['getPodResourceWildcardMatching']],
  ['subresource', 'Request', ['getPodSubResourceWildcardMatching']],
  ['Unauthorized', 'None', ['tims']],
  ['Unauthorized', 'Metadata', ['tims', 'default']],
  ['Unauthorized', 'None', ['humans']],
  ['Unauthorized', 'Metadata', ['humans', 'default']],
];

function evaluate(req: string, policyStages: AuditStage[] | undefined, ruleNames: string[]): { level: AuditLevel; omitStages: AuditStage[] } {
  const policy = { omitStages: policyStages, rules: ruleNames.map((n) => structuredClone(RULES[n]!)) };
  return newPolicyRuleEvaluator(policy)(ATTRS[req]!);
}

/** stageEqual: the same set. */
const sameStages = (a: readonly string[], b: readonly string[]): boolean => new Set(a).size === new Set(b).size && a.every((s) => b.includes(s));

for (const [name, stages] of [
  ['TestChecker', undefined],
  ['TestCheckerPolicyOmitStages', ['RequestReceived', 'ResponseStarted']],
] as const) {
  for (const [req, level, ruleNames] of LEVEL_ROWS) {
    test(`checker_test.go ${name}: ${req} with ${ruleNames.join(',')} is ${level}`, () => {
      const got = evaluate(req, stages ? [...stages] : undefined, ruleNames);
      assert.equal(got.level, level);
      assert.ok(sameStages(got.omitStages, stages ?? []), `omitStages ${got.omitStages.join(',')}`);
    });
  }
}

/** TestChecker's and TestCheckerPolicyOmitStages' omitStages rows: a rule's stages and the policy's, unioned. */
const OMIT_ROWS: [test: string, req: string, level: AuditLevel, policy: AuditStage[], expected: AuditStage[], rules: string[]][] = [
  ['TestChecker', 'namespaced', 'Request', [], ['RequestReceived'], ['omit RequestReceived', 'getPods', 'default']],
  ['TestChecker', 'namespaced', 'Request', [], ['RequestReceived', 'ResponseStarted', 'ResponseComplete'], ['only audit panic', 'getPods', 'default']],
  ['TestChecker', 'cluster', 'Request', [], ['RequestReceived'], ['omit RequestReceived', 'getPods', 'default']],
  ['TestChecker', 'cluster', 'Request', [], ['RequestReceived', 'ResponseStarted', 'ResponseComplete'], ['only audit panic', 'getPods', 'default']],
  ['TestChecker', 'nonResource', 'Request', [], ['RequestReceived'], ['omit RequestReceived', 'getPods', 'default']],
  ['TestChecker', 'nonResource', 'Request', [], ['RequestReceived', 'ResponseStarted', 'ResponseComplete'], ['only audit panic', 'getPods', 'default']],
  ['TestCheckerPolicyOmitStages', 'namespaced', 'Request', ['RequestReceived', 'ResponseStarted'], ['RequestReceived', 'ResponseStarted'], ['omit RequestReceived', 'getPods', 'default']],
  ['TestCheckerPolicyOmitStages', 'namespaced', 'Request', ['RequestReceived', 'ResponseStarted'], ['RequestReceived', 'ResponseStarted', 'ResponseComplete'], ['only audit panic', 'getPods', 'default']],
  ['TestCheckerPolicyOmitStages', 'cluster', 'Request', ['RequestReceived', 'ResponseStarted'], ['RequestReceived', 'ResponseStarted'], ['omit RequestReceived', 'getPods', 'default']],
  ['TestCheckerPolicyOmitStages', 'cluster', 'Request', ['RequestReceived', 'ResponseStarted'], ['RequestReceived', 'ResponseStarted', 'ResponseComplete'], ['only audit panic', 'getPods', 'default']],
  ['TestCheckerPolicyOmitStages', 'nonResource', 'Metadata', ['RequestReceived', 'ResponseStarted'], ['RequestReceived', 'ResponseStarted'], ['default', 'omit RequestReceived', 'getPods']],
  ['TestCheckerPolicyOmitStages', 'nonResource', 'Request', ['RequestReceived', 'ResponseStarted'], ['RequestReceived', 'ResponseStarted', 'ResponseComplete'], ['only audit panic', 'getPods', 'default']],
];

for (const [name, req, level, policyStages, expected, ruleNames] of OMIT_ROWS) {
  test(`checker_test.go ${name}: ${req} with ${ruleNames.join(',')} omits ${expected.join(',')}`, () => {
    const got = evaluate(req, policyStages, ruleNames);
    assert.equal(got.level, level);
    assert.ok(sameStages(got.omitStages, expected), `omitStages ${got.omitStages.join(',')}`);
  });
}

test('checker.go isOmitManagedFields: a rule\'s omitManagedFields overrides the policy\'s', () => {
  const policy = { omitManagedFields: true, rules: [{ level: 'Metadata', verbs: ['get'], omitManagedFields: false }, { level: 'Request' }] };
  const evaluator = newPolicyRuleEvaluator(policy);
  assert.equal(evaluator(ATTRS.namespaced!).omitManagedFields, false);
  assert.equal(evaluator({ ...ATTRS.namespaced!, verb: 'list' }).omitManagedFields, true);
});

test('checker.go pathMatches: "*", an exact path, a prefix ending in "*"', () => {
  const at = (path: string, spec: string): AuditLevel => newPolicyRuleEvaluator({ rules: [{ level: 'Metadata', nonResourceURLs: [spec] }] })({ ...ATTRS.nonResource!, path }).level;
  assert.equal(at('/healthz', '*'), 'Metadata');
  assert.equal(at('/healthz', '/healthz'), 'Metadata');
  assert.equal(at('/healthz/etcd', '/healthz*'), 'Metadata');
  assert.equal(at('/healthz/etcd', '/healthz'), 'None');
  assert.equal(at('/livez', '/healthz*'), 'None');
});

// ----- reader.go and validation.go -----

const POLICY = (rules: string, extra = ''): string => `apiVersion: audit.k8s.io/v1\nkind: Policy\n${extra}rules:\n${rules}`;

test('reader.go: kube\'s documented example policy loads unchanged', () => {
  const { policy, warning } = loadPolicyFromBytes(EXAMPLE_POLICY);
  assert.equal(warning, undefined);
  assert.equal(policy.rules.length, 9);
  const evaluate = newPolicyRuleEvaluator(policy);
  assert.equal(evaluate({ ...ATTRS.namespaced!, verb: 'get', resource: 'pods', subresource: 'log' }).level, 'Metadata');
  assert.equal(evaluate({ ...ATTRS.nonResource!, user: { name: 'x', groups: ['system:authenticated'] }, path: '/api/v1' }).level, 'None');
});

const BAD_POLICIES: [name: string, text: string, message: string][] = [
  ['no rules', POLICY('', ''), 'loaded illegal policy with 0 rules'],
  ['a rule without a level (validation_test.go TestValidatePolicy invalid: missing level)', POLICY('- verbs: ["get"]\n'), 'rules[0].level: Required value'],
  ['an unknown level', POLICY('- level: Everything\n'), 'rules[0].level: Unsupported value: "Everything": supported values: "None", "Metadata", "Request", "RequestResponse"'],
  ['a non-resource URL not starting with /', POLICY('- level: None\n  nonResourceURLs: ["healthz"]\n'), 'rules[0].nonResourceURLs[0]: Invalid value: "healthz": non-resource URL rules must begin with a \'/\' character'],
  ['a wildcard in the middle of a non-resource URL', POLICY('- level: None\n  nonResourceURLs: ["/foo/*/bar"]\n'), 'rules[0].nonResourceURLs[0]: Invalid value: "/foo/*/bar": non-resource URL wildcards \'*\' must be the final character of the rule'],
  ['resources and non-resource URLs together', POLICY('- level: None\n  nonResourceURLs: ["/metrics"]\n  resources: [{resources: ["pods"]}]\n'), 'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs'],
  ['namespaces and non-resource URLs together', POLICY('- level: None\n  nonResourceURLs: ["/metrics"]\n  namespaces: ["default"]\n'), 'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs'],
  ['a group with a version', POLICY('- level: None\n  resources: [{group: "rbac.authorization.k8s.io/v1"}]\n'), 'rules[0].resources.group: Invalid value: "rbac.authorization.k8s.io/v1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
  ['resourceNames without resources', POLICY('- level: None\n  resources: [{resourceNames: ["edit"]}]\n'), 'rules[0].resources.resourceNames: Invalid value: []string{"edit"}: using resourceNames requires at least one resource'],
  ['an unknown rule stage', POLICY('- level: None\n  omitStages: ["Started"]\n'), 'rules[0].omitStages[0]: Invalid value: "Started": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic'],
  ['an unknown policy stage, then a rule error (aggregated)', POLICY('- {}\n', 'omitStages: ["Done"]\n'), '[omitStages[0]: Invalid value: "Done": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic, rules[0].level: Required value]'],
  ['audit.k8s.io/v1beta1, removed in 1.24', 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: None\n', 'failed decoding: no kind "Policy" is registered for version "audit.k8s.io/v1beta1" in scheme "pkg/audit/scheme.go:29"'],
  ['no kind', 'apiVersion: audit.k8s.io/v1\nrules: []\n', 'failed decoding: Object \'Kind\' is missing in \'{"apiVersion":"audit.k8s.io/v1","rules":[]}\''],
  ['a string where a list goes', POLICY('- level: None\n  users: alice\n'), 'failed decoding: json: cannot unmarshal string into Go struct field PolicyRule.rules.users of type []string'],
];

for (const [name, text, message] of BAD_POLICIES) {
  test(`reader.go refuses ${name}`, () => {
    assert.throws(() => loadPolicyFromBytes(text), (err: unknown) => {
      assert.ok(err instanceof AuditPolicyError);
      assert.equal(err.message, message);
      return true;
    });
  });
}

test('reader.go: an unknown field falls back to lenient decoding with a warning', () => {
  const { policy, warning } = loadPolicyFromBytes(POLICY('- level: Metadata\n  resource: ["pods"]\n'));
  assert.equal(policy.rules[0]!.level, 'Metadata');
  assert.equal(warning, 'Audit policy contains errors, falling back to lenient decoding: strict decoding error: unknown field "rules[0].resource"');
});

test('reader.go LoadPolicyFromFile: the file is named after the reason; an unreadable file names its path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'audit-policy-'));
  const file = join(dir, 'policy.yaml');
  await writeFile(file, POLICY('- verbs: ["get"]\n'));
  await assert.rejects(loadPolicyFromFile(file), { message: `rules[0].level: Required value: from file ${file}` });
  await assert.rejects(loadPolicyFromFile(join(dir, 'none.yaml')), { message: `failed to read file path "${join(dir, 'none.yaml')}": open ${join(dir, 'none.yaml')}: no such file or directory` });
});

/** The example policy of kubernetes.io's "Auditing" page (audit-policy.yaml), trimmed of its comments. */
const EXAMPLE_POLICY = `apiVersion: audit.k8s.io/v1 # This is required.
kind: Policy
omitStages:
  - "RequestReceived"
rules:
  - level: RequestResponse
    resources:
    - group: ""
      resources: ["pods"]
  - level: Metadata
    resources:
    - group: ""
      resources: ["pods/log", "pods/status"]
  - level: None
    resources:
    - group: ""
      resources: ["configmaps"]
      resourceNames: ["controller-leader"]
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
    - group: "" # core API group
      resources: ["endpoints", "services"]
  - level: None
    userGroups: ["system:authenticated"]
    nonResourceURLs:
    - "/api*" # Wildcard matching.
    - "/version"
  - level: Request
    resources:
    - group: "" # core API group
      resources: ["configmaps"]
    namespaces: ["kube-system"]
  - level: Metadata
    resources:
    - group: "" # core API group
      resources: ["secrets", "configmaps"]
  - level: Request
    resources:
    - group: "" # core API group
    - group: "extensions" # Version of group should NOT be included.
  - level: Metadata
    omitStages:
      - "RequestReceived"
`;

test('docs/audit.md: the policy shown loads as it is', async () => {
  const doc = await readFile(new URL('../../../docs/audit.md', import.meta.url), 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(yaml !== undefined, 'docs/audit.md has a yaml block');
  const { policy, warning } = loadPolicyFromBytes(yaml);
  assert.equal(warning, undefined);
  const evaluate = newPolicyRuleEvaluator(policy);
  assert.deepEqual(evaluate({ ...ATTRS.namespaced!, resource: 'secrets' }), { level: 'Metadata', omitStages: ['RequestReceived'], omitManagedFields: false });
  assert.equal(evaluate({ ...ATTRS.nonResource!, path: '/healthz/etcd' }).level, 'None');
});
