// Cases from kubernetes pkg/apis/rbac/validation/validation_test.go (TestValidateClusterRoleBinding,
// TestValidateRoleBinding, TestValidateRoleBindingUpdate, TestValidateRole*), each checked against the whole
// message kube's field.Error prints, plus the rules of validation.go those tests do not reach
// (aggregationRule, apiGroup of subjects, roleRef.name path segments) and v1 defaulting (pkg/apis/rbac/v1/defaults.go).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../src/apimachinery/object.js';
import {
  applyRbacDefaults,
  rbacDecodeError,
  validateRbacObject,
  validateRbacUpdate,
} from '../../../../src/authz/rbac/validation.js';
import { goQuote } from '../../../../src/apimachinery/validation.js';
import {
  isClusterRole,
  isClusterRoleBinding,
  isRbacObject,
  isRole,
  isRoleBinding,
} from '../../../../src/authz/rbac/types.js';

const V1 = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';

function role(rules: unknown[], kind: 'Role' | 'ClusterRole' = 'Role', extra: Record<string, unknown> = {}): KubeObject {
  const metadata = kind === 'Role' ? { name: 'default', namespace: 'default' } : { name: 'default' };
  return { apiVersion: V1, kind, metadata, rules, ...extra };
}

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', roleRef: unknown, subjects?: unknown[]): KubeObject {
  const metadata = kind === 'RoleBinding' ? { name: 'master', namespace: 'default' } : { name: 'master' };
  return { apiVersion: V1, kind, metadata, roleRef, ...(subjects ? { subjects } : {}) };
}

const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

interface Case {
  name: string;
  obj: KubeObject;
  /** Every message, in order. */
  want: string[];
  /** The reason (field.ErrorType) of every error, when one is given. */
  reason?: string;
}

const ref = (kind: string, name = 'valid', apiGroup: string = GROUP) => ({ apiGroup, kind, name });

const cases: Case[] = [
  // TestValidateClusterRoleBinding
  {
    name: 'TestValidateClusterRoleBinding: valid (SA with namespace, User, Group; apiGroups defaulted)',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [
      { name: 'validsaname', namespace: 'foo', kind: 'ServiceAccount' },
      { name: 'valid@username', kind: 'User' },
      { name: 'valid@groupname', kind: 'Group' },
    ]),
    want: [],
  },
  {
    name: 'TestValidateClusterRoleBinding: bad group',
    obj: binding('ClusterRoleBinding', ref('ClusterRole', 'valid', 'rbac.GroupName')),
    want: ['roleRef.apiGroup: Unsupported value: "rbac.GroupName": supported values: "rbac.authorization.k8s.io"'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'TestValidateClusterRoleBinding: bad kind',
    obj: binding('ClusterRoleBinding', ref('Type')),
    want: ['roleRef.kind: Unsupported value: "Type": supported values: "ClusterRole"'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'TestValidateClusterRoleBinding: reference role (a ClusterRoleBinding may not name a Role)',
    obj: binding('ClusterRoleBinding', ref('Role')),
    want: ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'TestValidateClusterRoleBinding: bad role (no roleRef.name)',
    obj: binding('ClusterRoleBinding', { apiGroup: GROUP, kind: 'ClusterRole' }),
    want: ['roleRef.name: Required value'],
    reason: 'FieldValueRequired',
  },
  {
    name: 'TestValidateClusterRoleBinding: bad subject kind',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ name: 'subject' }]),
    want: ['subjects[0].kind: Unsupported value: "": supported values: "ServiceAccount", "User", "Group"'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'TestValidateClusterRoleBinding: bad subject name (service account names are DNS subdomains)',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ namespace: 'foo', name: 'subject:bad', kind: 'ServiceAccount' }]),
    want: [`subjects[0].name: Invalid value: "subject:bad": ${DNS1123_SUBDOMAIN}`],
    reason: 'FieldValueInvalid',
  },
  {
    name: 'TestValidateClusterRoleBinding: missing SA namespace',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ name: 'good', kind: 'ServiceAccount' }]),
    want: ['subjects[0].namespace: Required value'],
    reason: 'FieldValueRequired',
  },
  {
    name: 'TestValidateClusterRoleBinding: missing subject name',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ namespace: 'foo', kind: 'ServiceAccount' }]),
    want: ['subjects[0].name: Required value'],
    reason: 'FieldValueRequired',
  },
  // TestValidateRoleBinding
  {
    name: 'TestValidateRoleBinding: valid (SA without namespace means the binding namespace)',
    obj: binding('RoleBinding', ref('Role'), [
      { name: 'validsaname', kind: 'ServiceAccount' },
      { name: 'valid@username', kind: 'User' },
      { name: 'valid@groupname', kind: 'Group' },
    ]),
    want: [],
  },
  {
    name: 'TestValidateRoleBinding: a RoleBinding may reference a ClusterRole',
    obj: binding('RoleBinding', ref('ClusterRole', 'view'), [{ name: 'jane', kind: 'User', apiGroup: GROUP }]),
    want: [],
  },
  {
    name: 'TestValidateRoleBinding: bad group',
    obj: binding('RoleBinding', ref('ClusterRole', 'valid', 'rbac.GroupName')),
    want: ['roleRef.apiGroup: Unsupported value: "rbac.GroupName": supported values: "rbac.authorization.k8s.io"'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'TestValidateRoleBinding: bad kind',
    obj: binding('RoleBinding', ref('Type')),
    want: ['roleRef.kind: Unsupported value: "Type": supported values: "Role", "ClusterRole"'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'TestValidateRoleBinding: bad role',
    obj: binding('RoleBinding', { apiGroup: GROUP, kind: 'Role' }),
    want: ['roleRef.name: Required value'],
  },
  {
    name: 'TestValidateRoleBinding: bad subject kind',
    obj: binding('RoleBinding', ref('Role'), [{ name: 'subject' }]),
    want: ['subjects[0].kind: Unsupported value: "": supported values: "ServiceAccount", "User", "Group"'],
  },
  {
    name: 'TestValidateRoleBinding: bad subject name',
    obj: binding('RoleBinding', ref('Role'), [{ name: 'subject:bad', kind: 'ServiceAccount' }]),
    want: [`subjects[0].name: Invalid value: "subject:bad": ${DNS1123_SUBDOMAIN}`],
  },
  {
    name: 'TestValidateRoleBinding: missing subject name',
    obj: binding('RoleBinding', ref('Role'), [{ kind: 'ServiceAccount' }]),
    want: ['subjects[0].name: Required value'],
  },
  // validateRoleBindingSubject: apiGroup rules, after SetDefaults_Subject
  {
    name: 'validation.go: ServiceAccount subjects must have apiGroup ""',
    obj: binding('RoleBinding', ref('Role'), [{ name: 'sa', kind: 'ServiceAccount', apiGroup: GROUP }]),
    want: ['subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'validation.go: User subjects must have apiGroup rbac.authorization.k8s.io',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ name: 'jane', kind: 'User', apiGroup: 'v1' }]),
    want: ['subjects[0].apiGroup: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io"'],
  },
  {
    name: 'validation.go: Group subjects must have apiGroup rbac.authorization.k8s.io',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ name: 'devs', kind: 'Group', apiGroup: 'rbac' }]),
    want: ['subjects[0].apiGroup: Unsupported value: "rbac": supported values: "rbac.authorization.k8s.io"'],
  },
  {
    name: 'validation.go: a User needs a name, and only the Required error is given',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ name: '', kind: 'User' }]),
    want: ['subjects[0].name: Required value'],
  },
  {
    name: 'validation.go: every subject is checked, errors in subject order',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [
      { name: 'ok', kind: 'Group' },
      { name: 'Bad_Name', kind: 'ServiceAccount', namespace: 'x' },
      { kind: 'Robot', name: 'r2' },
    ]),
    want: [
      `subjects[1].name: Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN}`,
      'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ],
  },
  {
    name: 'validation.go: roleRef.name must be a valid path segment',
    obj: binding('RoleBinding', ref('Role', 'a/b%c')),
    want: [`roleRef.name: Invalid value: "a/b%c": may not contain '/'`, `roleRef.name: Invalid value: "a/b%c": may not contain '%'`],
    reason: 'FieldValueInvalid',
  },
  {
    name: 'validation.go: roleRef.name may not be ".."',
    obj: binding('ClusterRoleBinding', ref('ClusterRole', '..')),
    want: [`roleRef.name: Invalid value: "..": may not be '..'`],
  },
  {
    name: 'defaults.go: an empty roleRef.apiGroup is defaulted, so it is valid',
    obj: binding('RoleBinding', { kind: 'Role', name: 'r' }),
    want: [],
  },
  {
    name: 'validation.go: several roleRef errors at once, in kube order',
    obj: binding('ClusterRoleBinding', { apiGroup: 'x', kind: 'Nope', name: '' }),
    want: [
      'roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Nope": supported values: "ClusterRole"',
      'roleRef.name: Required value',
    ],
  },
  // TestValidateRole*
  { name: 'TestValidateRoleValidRole: no rules at all', obj: role([]), want: [] },
  { name: 'TestValidateRoleValidRoleNoNamespace: a ClusterRole', obj: role([], 'ClusterRole'), want: [] },
  {
    name: 'TestValidateRoleNonResourceURL: a ClusterRole may grant non-resource URLs',
    obj: role([{ verbs: ['get'], nonResourceURLs: ['/*'] }], 'ClusterRole'),
    want: [],
  },
  {
    name: 'TestValidateRoleNamespacedNonResourceURL',
    obj: role([{ verbs: ['get'], nonResourceURLs: ['/*'] }]),
    want: ['rules[0].nonResourceURLs: Invalid value: []string{"/*"}: namespaced rules cannot apply to non-resource URLs'],
    reason: 'FieldValueInvalid',
  },
  {
    name: 'TestValidateRoleNonResourceURLNoVerbs',
    obj: role([{ verbs: [], nonResourceURLs: ['/*'] }], 'ClusterRole'),
    want: ['rules[0].verbs: Required value: verbs must contain at least one value'],
    reason: 'FieldValueRequired',
  },
  {
    name: 'TestValidateRoleMixedNonResourceAndResource (a Role: both errors)',
    obj: role([{ verbs: ['get'], nonResourceURLs: ['/*'], apiGroups: ['v1'], resources: ['pods'] }]),
    want: [
      'rules[0].nonResourceURLs: Invalid value: []string{"/*"}: namespaced rules cannot apply to non-resource URLs',
      'rules[0].nonResourceURLs: Invalid value: []string{"/*"}: rules cannot apply to both regular resources and non-resource URLs',
    ],
  },
  {
    name: 'TestValidateRoleMixedNonResourceAndResource (a ClusterRole; resourceNames alone count too)',
    obj: role([{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez'], resourceNames: ['x'] }], 'ClusterRole'),
    want: [
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz", "/livez"}: rules cannot apply to both regular resources and non-resource URLs',
    ],
  },
  {
    name: 'TestValidateRoleValidResource',
    obj: role([{ verbs: ['get'], apiGroups: ['v1'], resources: ['pods'] }]),
    want: [],
  },
  {
    name: 'TestValidateRoleNoAPIGroup',
    obj: role([{ verbs: ['get'], resources: ['pods'] }]),
    want: ['rules[0].apiGroups: Required value: resource rules must supply at least one api group'],
    reason: 'FieldValueRequired',
  },
  {
    name: 'TestValidateRoleNoResources',
    obj: role([{ verbs: ['get'], apiGroups: ['v1'] }]),
    want: ['rules[0].resources: Required value: resource rules must supply at least one resource'],
    reason: 'FieldValueRequired',
  },
  {
    name: 'validation.go: an empty rule gets all three resource-rule errors',
    obj: role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, {}]),
    want: [
      'rules[1].verbs: Required value: verbs must contain at least one value',
      'rules[1].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].resources: Required value: resource rules must supply at least one resource',
    ],
  },
  {
    name: 'validation.go: resourceNames with several resources are allowed (the old check is gone)',
    obj: role([{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'secrets'], resourceNames: ['a'] }]),
    want: [],
  },
  {
    name: 'validation.go: `rules: null` (an aggregated ClusterRole as stored)',
    obj: role(null as unknown as unknown[], 'ClusterRole', {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] },
    }),
    want: [],
  },
  // ValidateClusterRole: aggregationRule
  {
    name: 'ValidateClusterRole: an aggregationRule needs a selector',
    obj: role([], 'ClusterRole', { aggregationRule: { clusterRoleSelectors: [] } }),
    want: ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil'],
  },
  {
    name: 'ValidateClusterRole: `aggregationRule: null` is no aggregation rule',
    obj: role([], 'ClusterRole', { aggregationRule: null }),
    want: [],
  },
  {
    name: 'ValidateClusterRole: selectors are label selectors (bad label key and value)',
    obj: role([], 'ClusterRole', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'a b': 'c d' } }] } }),
    want: [
      `aggregationRule.clusterRoleSelectors[0].matchLabels: Invalid value: "a b": ${QUALIFIED_NAME}`,
      `aggregationRule.clusterRoleSelectors[0].matchLabels: Invalid value: "c d": ${LABEL_VALUE}`,
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.',
    ],
  },
  {
    name: 'ValidateClusterRole: selector expressions (operator, values)',
    obj: role([], 'ClusterRole', {
      aggregationRule: {
        clusterRoleSelectors: [
          { matchExpressions: [{ key: 'tier', operator: 'In' }] },
          { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['x'] }] },
          { matchExpressions: [{ key: 'tier', operator: 'Near', values: ['x'] }] },
        ],
      },
    }),
    want: [
      "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.',
      "aggregationRule.clusterRoleSelectors[1].matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'aggregationRule.clusterRoleSelectors[1]: Invalid value: "null": invalid label selector.',
      'aggregationRule.clusterRoleSelectors[2].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      'aggregationRule.clusterRoleSelectors[2]: Invalid value: "null": invalid label selector.',
    ],
  },
  {
    name: 'ValidateClusterRole: valid expression selector',
    obj: role([], 'ClusterRole', {
      aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'example.com/tier', operator: 'NotIn', values: ['a', 'b'] }] }] },
    }),
    want: [],
  },
  // Not kube's: this helper refuses what kube would never route to RBAC validation.
  {
    name: 'not an RBAC kind',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
    want: [
      'apiVersion: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io/v1"',
      'kind: Unsupported value: "ConfigMap": supported values: "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"',
    ],
  },
];

for (const c of cases) {
  test(`validateRbacObject: ${c.name}`, () => {
    const errs = validateRbacObject(c.obj);
    assert.deepEqual(
      errs.map((e) => e.message),
      c.want,
    );
    for (const e of errs) {
      assert.ok(e.message.startsWith(`${e.field}: `), `message starts with its field: ${e.message}`);
      if (c.reason) assert.equal(e.reason, c.reason);
    }
  });
}

test('validateRbacObject does not change its argument', () => {
  const obj = binding('RoleBinding', { kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'u' }]);
  const before = structuredClone(obj);
  validateRbacObject(obj);
  assert.deepEqual(obj, before);
});

// TestValidateRoleBindingUpdate, and the same rule for ClusterRoleBindings.
const updateCases: { name: string; obj: KubeObject; old: KubeObject; want: string[] }[] = [
  {
    name: 'TestValidateRoleBindingUpdate: unchanged roleRef',
    obj: binding('RoleBinding', ref('Role')),
    old: binding('RoleBinding', ref('Role')),
    want: [],
  },
  {
    name: 'TestValidateRoleBindingUpdate: changedRef',
    obj: binding('RoleBinding', ref('Role', 'changed')),
    old: binding('RoleBinding', ref('Role')),
    want: ['roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"changed"}: cannot change roleRef'],
  },
  {
    name: 'ValidateClusterRoleBindingUpdate: changed kind is a changed roleRef, reported after the create errors',
    obj: binding('ClusterRoleBinding', ref('Role')),
    old: binding('ClusterRoleBinding', ref('ClusterRole')),
    want: [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"valid"}: cannot change roleRef',
    ],
  },
  {
    name: 'defaults.go: an omitted apiGroup equals the defaulted one, so the roleRef is unchanged',
    obj: binding('RoleBinding', { kind: 'Role', name: 'valid' }, [{ kind: 'User', name: 'new' }]),
    old: binding('RoleBinding', ref('Role')),
    want: [],
  },
  {
    name: 'ClusterRole strategy: invalid selector values already stored may stay on update',
    obj: role([], 'ClusterRole', { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['a b'] }] }] } }),
    old: role([], 'ClusterRole', { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['c d'] }] }] } }),
    want: ['aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.'],
  },
];

for (const c of updateCases) {
  test(`validateRbacUpdate: ${c.name}`, () => {
    const errs = validateRbacUpdate(c.obj, c.old);
    assert.deepEqual(
      errs.map((e) => e.message),
      c.want,
    );
    const roleRefError = errs.find((e) => e.field === 'roleRef');
    if (roleRefError) assert.equal(roleRefError.reason, 'FieldValueInvalid');
  });
}

test('ValidateClusterRole on create: invalid selector values are reported', () => {
  const errs = validateRbacObject(
    role([], 'ClusterRole', { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['a b'] }] }] } }),
  );
  assert.deepEqual(
    errs.map((e) => e.message),
    [
      `aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values[0]: Invalid value: "a b": ${LABEL_VALUE}`,
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.',
    ],
  );
});

// pkg/apis/rbac/v1/defaults.go
test('applyRbacDefaults: roleRef.apiGroup, and apiGroup of User and Group subjects but not ServiceAccounts', () => {
  const obj = binding('RoleBinding', { kind: 'Role', name: 'r' }, [
    { kind: 'User', name: 'u' },
    { kind: 'Group', name: 'g' },
    { kind: 'ServiceAccount', name: 'sa' },
    { kind: 'User', name: 'v', apiGroup: 'other' },
  ]);
  const out = applyRbacDefaults(obj);
  assert.deepEqual(out.roleRef, { apiGroup: GROUP, kind: 'Role', name: 'r' });
  assert.deepEqual(
    (out.subjects as { apiGroup?: string }[]).map((s) => s.apiGroup),
    [GROUP, GROUP, undefined, 'other'],
  );
  assert.equal((obj.roleRef as { apiGroup?: string }).apiGroup, undefined, 'the argument is left alone');
});

// field.Error prints strings with Go's %q.
const quoteCases: [string, string][] = [
  ['plain', '"plain"'],
  ['say "hi"\\', '"say \\"hi\\"\\\\"'],
  ['tab\tnewline\n', '"tab\\tnewline\\n"'],
  ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
  ['héllo ✓', '"héllo ✓"'],
  ['\u200b', '"\\u200b"'],
];
for (const [input, want] of quoteCases) {
  test(`goQuote(${JSON.stringify(input)}) prints as Go's strconv.Quote`, () => assert.equal(goQuote(input), want));
}

// What kube's strict JSON decoder says before validation runs.
const decodeCases: { name: string; obj: unknown; want: string | undefined }[] = [
  { name: 'a valid Role', obj: role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), want: undefined },
  {
    name: 'verbs as a string',
    obj: role([{ verbs: 'get', apiGroups: [''], resources: ['pods'] }]),
    want: 'Role in version "v1" cannot be handled as a Role: json: cannot unmarshal string into Go struct field PolicyRule.rules.verbs of type []string',
  },
  {
    name: 'a number among the verbs',
    obj: role([{ verbs: [1], apiGroups: [''], resources: ['pods'] }], 'ClusterRole'),
    want: 'ClusterRole in version "v1" cannot be handled as a ClusterRole: json: cannot unmarshal number into Go struct field PolicyRule.rules.verbs of type string',
  },
  {
    name: 'rules as an object',
    obj: role({} as unknown as unknown[]),
    want: 'Role in version "v1" cannot be handled as a Role: json: cannot unmarshal object into Go struct field Role.rules of type []v1.PolicyRule',
  },
  {
    name: 'roleRef as a string',
    obj: binding('RoleBinding', 'view'),
    want: 'RoleBinding in version "v1" cannot be handled as a RoleBinding: json: cannot unmarshal string into Go struct field RoleBinding.roleRef of type v1.RoleRef',
  },
  {
    name: 'a label value that is a bool',
    obj: { ...role([]), metadata: { name: 'x', namespace: 'd', labels: { a: true } } },
    want: 'Role in version "v1" cannot be handled as a Role: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
  },
  {
    name: 'unknown fields (strict field validation), with their paths',
    obj: role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceName: ['x'] }], 'Role', { rule: [] }),
    want: 'Role in version "v1" cannot be handled as a Role: strict decoding error: unknown field "rules[0].resourceName", unknown field "rule"',
  },
  {
    name: 'field names are case-sensitive',
    obj: binding('ClusterRoleBinding', ref('ClusterRole'), [{ Kind: 'User', name: 'u' }]),
    want: 'ClusterRoleBinding in version "v1" cannot be handled as a ClusterRoleBinding: strict decoding error: unknown field "subjects[0].Kind"',
  },
  { name: 'nulls decode to zero values', obj: { ...role(null as unknown as unknown[]), metadata: { name: 'x', labels: null } }, want: undefined },
];
for (const c of decodeCases) {
  test(`rbacDecodeError: ${c.name}`, () => assert.equal(rbacDecodeError(c.obj), c.want));
}

test('type guards look at apiVersion, kind and metadata', () => {
  const r = role([]);
  const cr = role([], 'ClusterRole');
  const rb = binding('RoleBinding', ref('Role'));
  const crb = binding('ClusterRoleBinding', ref('ClusterRole'));
  assert.deepEqual([isRole(r), isClusterRole(r), isRoleBinding(r), isClusterRoleBinding(r)], [true, false, false, false]);
  assert.deepEqual([isRole(cr), isClusterRole(cr), isRoleBinding(cr), isClusterRoleBinding(cr)], [false, true, false, false]);
  assert.deepEqual([isRole(rb), isClusterRole(rb), isRoleBinding(rb), isClusterRoleBinding(rb)], [false, false, true, false]);
  assert.deepEqual([isRole(crb), isClusterRole(crb), isRoleBinding(crb), isClusterRoleBinding(crb)], [false, false, false, true]);
  assert.equal(isRbacObject({ ...r, apiVersion: 'rbac.authorization.k8s.io/v1beta1' }), false);
  assert.equal(isRbacObject({ apiVersion: V1, kind: 'Role' }), false);
  assert.equal(isRbacObject(null), false);
});
