// Our protobuf codec against the bytes a real client sends: request bodies kubectl 1.33 sent to the mock, captured
// once into test/fixtures/protobuf/ (README.md there says how; capture.ts re-captures them).
//
// Decoding: each body decodes to the object kubectl built from its command line, field for field.
// Encoding: the mock answers JSON only (docs/fidelity.md), so no real client ever decodes our protobuf; instead
// our encoding of the decoded object must hold the same fields, in the same order, with the same bytes, as
// kubectl's. Go's generated Marshal also writes every non-pointer field left at its zero value (empty strings,
// 0, false, empty messages), which Go's Unmarshal reads back as the zero value it would be anyway; the comparison
// leaves those out, reading both sides with kube's .proto files through protobufjs, not through our codec.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { decodeKubeProtobuf, encodeKubeProtobuf } from '../../../src/api/codec/protobuf.js';

const FIXTURES = new URL('../../fixtures/protobuf/', import.meta.url);
const fixture = (file: string): Buffer => readFileSync(new URL(file, FIXTURES));

const RBAC = 'rbac.authorization.k8s.io';
const cases: { file: string; command: string; want: Record<string, unknown> }[] = [
  {
    file: 'namespace.pb',
    command: 'kubectl create namespace fixtures',
    want: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'fixtures' }, spec: {}, status: {} },
  },
  {
    file: 'configmap.pb',
    command: 'kubectl create configmap settings -n fixtures --from-literal=mode=fast --from-literal=level=3',
    want: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'settings', namespace: 'fixtures' }, data: { level: '3', mode: 'fast' } },
  },
  {
    file: 'secret-generic.pb',
    command: 'kubectl create secret generic login -n fixtures --from-literal=password=hunter2 --from-literal=user=jane',
    // bytes fields are base64 in kube's JSON: "hunter2" and "jane".
    want: { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'login', namespace: 'fixtures' }, data: { password: 'aHVudGVyMg==', user: 'amFuZQ==' } },
  },
  {
    file: 'serviceaccount.pb',
    command: 'kubectl create serviceaccount builder -n fixtures',
    want: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'builder', namespace: 'fixtures' } },
  },
  {
    file: 'role.pb',
    command: 'kubectl create role pod-reader -n fixtures --verb=get,list,watch --resource=pods,pods/log',
    want: {
      kind: 'Role',
      apiVersion: `${RBAC}/v1`,
      metadata: { name: 'pod-reader', namespace: 'fixtures' },
      rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] }],
    },
  },
  {
    file: 'rolebinding.pb',
    command: 'kubectl create rolebinding jane-reads -n fixtures --role=pod-reader --user=jane --group=devs --serviceaccount=fixtures:builder',
    want: {
      kind: 'RoleBinding',
      apiVersion: `${RBAC}/v1`,
      metadata: { name: 'jane-reads', namespace: 'fixtures' },
      subjects: [
        { kind: 'User', apiGroup: RBAC, name: 'jane' },
        { kind: 'Group', apiGroup: RBAC, name: 'devs' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'fixtures' },
      ],
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'pod-reader' },
    },
  },
  {
    file: 'clusterrole.pb',
    command: 'kubectl create clusterrole node-viewer --verb=get,list --resource=nodes --resource-name=node-1',
    want: {
      kind: 'ClusterRole',
      apiVersion: `${RBAC}/v1`,
      metadata: { name: 'node-viewer' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['nodes'], resourceNames: ['node-1'] }],
    },
  },
  {
    file: 'clusterrolebinding.pb',
    command: 'kubectl create clusterrolebinding jane-views-nodes --clusterrole=node-viewer --user=jane',
    want: {
      kind: 'ClusterRoleBinding',
      apiVersion: `${RBAC}/v1`,
      metadata: { name: 'jane-views-nodes' },
      subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }],
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'node-viewer' },
    },
  },
  {
    file: 'auth-whoami.pb',
    command: 'kubectl auth whoami',
    want: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: {} } },
  },
  {
    file: 'auth-can-i.pb',
    command: 'kubectl auth can-i delete pods -n fixtures',
    // status.allowed=false is dropped with the other zero scalars (docs/fidelity.md, "empty fields of protobuf bodies").
    want: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'fixtures', verb: 'delete', resource: 'pods' } },
      status: {},
    },
  },
];

test('every captured body has a case, and index.json records each case\'s command', () => {
  const index = JSON.parse(fixture('index.json').toString('utf8')) as { kubectl: string; requests: { file: string; command: string }[] };
  assert.equal(index.kubectl.startsWith('v1.33.'), true, index.kubectl);
  const captured = index.requests.filter((r) => r.file !== '');
  assert.deepEqual(captured.map((r) => [r.file, r.command]), cases.map((c) => [c.file, c.command]));
  const onDisk = readdirSync(FIXTURES).filter((f) => f.endsWith('.pb')).sort();
  assert.deepEqual(onDisk, cases.map((c) => c.file).sort());
});

for (const c of cases) {
  test(`decode ${c.file} (${c.command}): the object kubectl built`, () => {
    const body = fixture(c.file);
    const expected = { apiVersion: c.want.apiVersion as string, kind: c.want.kind as string };
    assert.deepEqual(decodeKubeProtobuf(body, expected), c.want);
  });

  test(`encode ${c.file}: our bytes hold kubectl's fields, in kubectl's order, apart from Go's written zero values`, () => {
    const ours = encodeKubeProtobuf(c.want);
    assert.deepEqual(ours.subarray(0, 4), Buffer.from('k8s\0', 'latin1'));
    assert.deepEqual(nonZeroFields(UNKNOWN(), ours.subarray(4)), nonZeroFields(UNKNOWN(), fixture(c.file).subarray(4)));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A reading of the wire format driven by kube's .proto files alone.

let root: protobuf.Root | undefined;
function schema(): protobuf.Root {
  if (root !== undefined) return root;
  const dir = fileURLToPath(new URL('../../../src/api/codec/proto/', import.meta.url));
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.proto')) files.push(p);
    }
  };
  walk(dir);
  root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}
const UNKNOWN = () => schema().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');

/** A field as read off the wire: its number and its value (text, hex bytes, a number, or a nested message's fields). */
type WireField = [number, string | number | WireField[]];

/**
 * The fields of a message in wire order, each nested message read with its own type, leaving out what Go's
 * Unmarshal cannot tell from absence for a non-pointer field: empty strings and bytes, varint 0, and messages
 * whose fields are all such. runtime.Unknown's raw bytes are read as the message its typeMeta names.
 */
function nonZeroFields(type: protobuf.Type, bytes: Uint8Array): WireField[] {
  const reader = protobuf.Reader.create(bytes);
  const out: WireField[] = [];
  let rawType: protobuf.Type | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    const field = type.fieldsById[id];
    assert.ok(field !== undefined, `${type.name} has no field ${id}`);
    if (wire === 0) {
      const n = Number(reader.uint64());
      if (n !== 0) out.push([id, n]);
      continue;
    }
    assert.equal(wire, 2, `${type.name}.${field.name}: wire type ${wire}`);
    const value = reader.bytes();
    let read: WireField[1];
    if (type === UNKNOWN() && field.name === 'typeMeta') {
      const meta = protobuf.Reader.create(value);
      const tm: string[] = [];
      while (meta.pos < meta.len) {
        meta.uint32();
        tm.push(meta.string());
      }
      rawType = kindType(tm[0]!, tm[1]!);
      read = nonZeroFields(field.resolvedType as protobuf.Type, value);
    } else if (type === UNKNOWN() && field.name === 'raw') {
      assert.ok(rawType !== undefined, 'typeMeta comes before raw');
      read = nonZeroFields(rawType, value);
    } else if (field.map) {
      read = mapEntry(field, value);
    } else if (field.resolvedType instanceof protobuf.Type) {
      read = nonZeroFields(field.resolvedType, value);
    } else {
      read = field.type === 'bytes' ? Buffer.from(value).toString('hex') : Buffer.from(value).toString('utf8');
    }
    if (Array.isArray(read) ? read.length > 0 || field.repeated : read !== '' || field.repeated) out.push([id, read]);
  }
  return out;
}

/** A map entry: key 1, value 2, kept whole (an entry with an empty value is still an entry). */
function mapEntry(field: protobuf.Field, bytes: Uint8Array): WireField[] {
  const reader = protobuf.Reader.create(bytes);
  const out: WireField[] = [];
  while (reader.pos < reader.len) {
    const id = reader.uint32() >>> 3;
    const value = reader.bytes();
    if (id === 2 && field.resolvedType instanceof protobuf.Type) out.push([id, nonZeroFields(field.resolvedType, value)]);
    else out.push([id, id === 2 && field.type === 'bytes' ? Buffer.from(value).toString('hex') : Buffer.from(value).toString('utf8')]);
  }
  return out;
}

/** The message for an apiVersion and kind: k8s.io.api.<group short name>.<version>.<Kind>. */
function kindType(apiVersion: string, kind: string): protobuf.Type {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = group === '' ? 'core' : group!.replace(/\.k8s\.io$/, '').split('.')[0]!;
  return schema().lookupType(`k8s.io.api.${pkg}.${version}.${kind}`);
}
