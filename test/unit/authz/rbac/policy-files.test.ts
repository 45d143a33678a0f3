// Policy files as `kubectl apply -f` reads them (multi-document YAML, v1 Lists, folders of *.yaml|*.yml|*.json)
// and as kube-apiserver checks them (strict decoding, pkg/apis/rbac/validation/validation.go): every error names
// the file, the document (0-based) and, for List items, the item, then the field.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConfigError } from '../../../../src/util/errors.js';
import { loadPolicyFiles } from '../../../../src/authz/rbac/policy-files.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rbac-policy-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

const POD_READER = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: dev
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
`;

test('multi-document YAML: empty documents skipped, objects in order, defaults applied', async () => {
  const file = await write(
    'multi.yaml',
    `---
# only a comment: an empty document
---
${POD_READER}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
subjects:
- kind: User
  name: jane
- kind: ServiceAccount
  name: builder
roleRef:
  kind: Role
  name: pod-reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: node-reader
  namespace: ignored
rules:
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get"]
---
`,
  );
  const { objects, files } = await loadPolicyFiles([file]);
  assert.deepEqual(files, [file]);
  assert.deepEqual(
    objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    ['Role dev/pod-reader', 'RoleBinding default/read-pods', 'ClusterRole /node-reader'],
  );
  const rb = objects[1]!;
  assert.equal(rb.kind, 'RoleBinding');
  if (rb.kind !== 'RoleBinding') return;
  assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' }, 'roleRef.apiGroup defaulted');
  assert.deepEqual(rb.subjects, [
    { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'builder' },
  ]);
  assert.equal('namespace' in objects[2]!.metadata, false, 'a cluster-scoped object loses its namespace');
});

test('v1 List objects are flattened, between plain documents', async () => {
  const file = await write(
    'list.yaml',
    `apiVersion: v1
kind: List
metadata: {}
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: a}
  rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: a}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: a}
  subjects: [{kind: Group, name: devs}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b}
rules: null
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleList
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: c}
`,
  );
  const { objects } = await loadPolicyFiles([file]);
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    ['ClusterRole/a', 'ClusterRoleBinding/a', 'ClusterRole/b', 'ClusterRole/c'],
  );
});

test('JSON files, and YAML 1.1 scalars as kubectl reads them', async () => {
  const json = await write(
    'one.json',
    JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'json-role', labels: { team: 'a' } },
      rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    }),
  );
  const { objects } = await loadPolicyFiles([json]);
  assert.equal(objects[0]?.metadata.name, 'json-role');

  // `yes` is a bool in YAML 1.1 (go-yaml v2), so kubectl and kube refuse it as a label value.
  const yes = await write('yes.yaml', `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: x\n  labels:\n    enabled: yes\n`);
  await assert.rejects(loadPolicyFiles([yes]), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(
      err.message,
      `${yes}: document 0 (ClusterRole x): ClusterRole in version "v1" cannot be handled as a ClusterRole: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string`,
    );
    return true;
  });
});

test('folders: *.yaml, *.yml and *.json in name order, not recursive, other files ignored', async () => {
  const folder = join(dir, 'folder');
  const cr = (name: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\n`;
  await write('folder/b.yml', cr('from-b'));
  await write('folder/a.yaml', cr('from-a'));
  await write('folder/c.json', JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'from-c' } }));
  await write('folder/README.md', 'not policy');
  await write('folder/notes.txt', 'kind: nonsense');
  await write('folder/sub/d.yaml', cr('from-sub'));
  const single = await write('single.yaml', cr('single'));
  const { objects, files } = await loadPolicyFiles([single, folder]);
  assert.deepEqual(files, [single, join(folder, 'a.yaml'), join(folder, 'b.yml'), join(folder, 'c.json')]);
  assert.deepEqual(
    objects.map((o) => o.metadata.name),
    ['single', 'from-a', 'from-b', 'from-c'],
  );
});

test('an empty folder and an empty file load nothing', async () => {
  await mkdir(join(dir, 'empty'), { recursive: true });
  const empty = await write('empty.yaml', '');
  const comments = await write('comments.yaml', '# nothing here\n---\n---\n');
  const { objects, files } = await loadPolicyFiles([join(dir, 'empty'), empty, comments]);
  assert.deepEqual(objects, []);
  assert.deepEqual(files, [empty, comments]);
});

const BAD_VERBS = POD_READER.replace('  verbs: ["get", "list", "watch"]\n', '  verbs: []\n');

const errorCases: { name: string; file: string; text: string; message: string; code?: ConfigError['code']; line?: number }[] = [
  {
    name: 'validation.go: verbs required, naming file, document and object',
    file: 'roles.yaml',
    text: `${POD_READER}---\n${BAD_VERBS}`,
    message: 'document 1 (Role dev/pod-reader): rules[0].verbs: Required value: verbs must contain at least one value',
  },
  {
    name: 'several errors in one object print as kube aggregates them',
    file: 'several.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: dev}\nrules:\n- verbs: [get]\n  nonResourceURLs: [/healthz]\n  resources: [pods]\n`,
    message:
      'document 0 (Role dev/r): [rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs, rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs]',
  },
  {
    name: 'List items are named by index',
    file: 'list-bad.yaml',
    text: `apiVersion: v1\nkind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: fine}\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n  metadata: {name: bad}\n  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: x}\n`,
    message: 'document 0, item 1 (ClusterRoleBinding bad): roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
  },
  {
    name: 'a ServiceAccount in a ClusterRoleBinding needs a namespace',
    file: 'crb.yaml',
    text: `---\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: builder}]\n`,
    message: 'document 1 (ClusterRoleBinding b): subjects[0].namespace: Required value',
  },
  {
    name: 'strict decoding: an unknown field (a typo that would widen the rule)',
    file: 'typo.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: t}\nrules:\n- apiGroups: [""]\n  resources: [secrets]\n  resourceName: [one]\n  verbs: [get]\n`,
    message:
      'document 0 (ClusterRole t): ClusterRole in version "v1" cannot be handled as a ClusterRole: strict decoding error: unknown field "rules[0].resourceName"',
  },
  {
    name: 'decoding: a wrong type',
    file: 'type.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: t}\nrules:\n- apiGroups: [""]\n  resources: pods\n  verbs: [get]\n`,
    message:
      'document 0 (ClusterRole t): ClusterRole in version "v1" cannot be handled as a ClusterRole: json: cannot unmarshal string into Go struct field PolicyRule.rules.resources of type []string',
  },
  {
    name: 'a kind that is not RBAC',
    file: 'cm.yaml',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n`,
    message:
      'document 0 (ConfigMap cm): kind ConfigMap (v1) is not an RBAC kind: policy files hold Role, ClusterRole, RoleBinding and ClusterRoleBinding objects',
  },
  {
    name: 'an RBAC version kube no longer serves',
    file: 'beta.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata: {name: old}\n`,
    message: 'document 0 (ClusterRole old): no matches for kind "ClusterRole" in version "rbac.authorization.k8s.io/v1beta1"',
  },
  { name: 'no kind', file: 'nokind.yaml', text: `apiVersion: v1\nmetadata: {name: x}\n`, message: "document 0: Object 'Kind' is missing" },
  { name: 'a document that is not an object', file: 'scalar.yaml', text: `just words\n`, message: 'document 0: not an object' },
  {
    name: 'no name',
    file: 'noname.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {}\n`,
    message: 'document 0 (ClusterRole): metadata.name: Required value: name or generateName is required',
  },
  {
    name: 'a name that is not a path segment',
    file: 'slash.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a/b}\n`,
    message: `document 0 (ClusterRole a/b): metadata.name: Invalid value: "a/b": may not contain '/'`,
  },
  {
    name: 'a namespace that is not a DNS label',
    file: 'ns.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: Dev}\n`,
    message: `document 0 (Role Dev/r): metadata.namespace: Invalid value: "Dev": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  },
  {
    name: 'YAML syntax error: file and line',
    file: 'syntax.yaml',
    text: `${POD_READER}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: [unclosed\n`,
    message: 'document 1: YAML syntax error: ',
    code: 'RBAC_POLICY_SYNTAX',
    line: 15,
  },
  {
    name: 'YAML duplicate keys are syntax errors, as in go-yaml',
    file: 'dup.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nkind: Role\n`,
    message: 'document 0: YAML syntax error: Map keys must be unique (column 1)',
    code: 'RBAC_POLICY_SYNTAX',
    line: 3,
  },
  {
    name: 'a key repeated in a nested mapping is found too, with its line and column',
    file: 'dup-nested.yaml',
    text: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: a\n  labels:\n    x: "1"\n    x: "2"\n`,
    message: 'document 0: YAML syntax error: Map keys must be unique (column 5)',
    code: 'RBAC_POLICY_SYNTAX',
    line: 7,
  },
  {
    // CVE-2019-11253: go-yaml v2 (decode.go) refuses a billion laughs with this wording; kubectl prints it.
    name: 'a YAML alias bomb (billion laughs) is refused per document, in go-yaml v2 decode.go\'s words',
    file: 'bomb.yaml',
    text: `${POD_READER}---\n${['a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n')}\n`,
    message: 'document 1: yaml: document contains excessive aliasing',
    code: 'RBAC_POLICY_SYNTAX',
  },
  {
    name: 'a few aliases are fine, a document of only them is still not an object',
    file: 'alias.yaml',
    text: `a: &a [x]\nb: *a\n`,
    message: 'document 0: Object \'Kind\' is missing',
  },
  {
    name: 'JSON syntax error: file and line',
    file: 'bad.json',
    text: `{\n  "apiVersion": "rbac.authorization.k8s.io/v1",\n  "kind": "ClusterRole",,\n  "metadata": {"name": "x"}\n}\n`,
    message: 'document 0: JSON syntax error: Unexpected , in flow map (column 25)',
    code: 'RBAC_POLICY_SYNTAX',
    line: 3,
  },
];

for (const c of errorCases) {
  test(`policy file errors: ${c.name}`, async () => {
    const file = await write(c.file, c.text);
    await assert.rejects(loadPolicyFiles([file]), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.equal(err.code, c.code ?? 'RBAC_POLICY_INVALID');
      assert.equal(err.file, file);
      assert.equal(err.line, c.line);
      const prefix = c.line === undefined ? `${file}: ` : `${file}:${c.line}: `;
      if (c.code === 'RBAC_POLICY_SYNTAX') assert.ok(err.message.startsWith(prefix + c.message), err.message);
      else assert.equal(err.message, prefix + c.message);
      return true;
    });
  });
}

test('the first bad file stops the load, even after good ones', async () => {
  const good = await write('order/1-good.yaml', POD_READER);
  const bad = await write('order/2-bad.yaml', BAD_VERBS);
  await assert.rejects(loadPolicyFiles([join(dir, 'order')]), (err: unknown) => err instanceof ConfigError && err.file === bad);
  assert.equal((await loadPolicyFiles([good])).objects.length, 1);
});

test('a path that does not exist is FILE_UNREADABLE', async () => {
  const missing = join(dir, 'missing.yaml');
  await assert.rejects(loadPolicyFiles([missing]), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'FILE_UNREADABLE');
    assert.equal(err.message, `${missing}: cannot read: ENOENT`);
    return true;
  });
});

test('an error in a namespaced object without namespace names it in "default"', async () => {
  const file = await write('nons.yaml', `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {kind: Role}\n`);
  await assert.rejects(loadPolicyFiles([file]), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.message, `${file}: document 0 (RoleBinding default/rb): roleRef.name: Required value`);
    return true;
  });
});
