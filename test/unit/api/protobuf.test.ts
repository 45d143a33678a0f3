// Kubernetes protobuf bodies: the wire format of
// staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go, the messages of kube's generated.proto
// files, and the 400s kube-apiserver's create handler gives (handlers/rest.go transformDecodeError).
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { decodeKubeProtobuf, encodeKubeProtobuf, PROTOBUF_MEDIA_TYPE } from '../../../src/api/codec/protobuf.js';
import { StatusError } from '../../../src/apimachinery/status.js';

const MAGIC = Buffer.from('k8s\0', 'latin1');
const SSR_V1 = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };

/** magic + runtime.Unknown, written field by field as Go's Unknown.NestedMarshalTo does. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const typeMeta = protobuf.Writer.create().uint32(10).string(apiVersion).uint32(18).string(kind).finish();
  const unknown = protobuf.Writer.create().uint32(10).bytes(typeMeta).uint32(18).bytes(raw).uint32(26).string('').uint32(34).string('').finish();
  return Buffer.concat([MAGIC, unknown]);
}

test('PROTOBUF_MEDIA_TYPE', () => {
  assert.equal(PROTOBUF_MEDIA_TYPE, 'application/vnd.kubernetes.protobuf');
});

// ---------------------------------------------------------------------------------------------------------------
// Round trips: encode (as client-go would send) then decode gives the JSON shape back.

const roundTrips: { name: string; obj: Record<string, unknown> }[] = [
  { name: 'authentication.k8s.io/v1 SelfSubjectReview, empty, as kubectl auth whoami sends', obj: { ...SSR_V1, metadata: {} } },
  { name: 'authentication.k8s.io/v1beta1 SelfSubjectReview', obj: { apiVersion: 'authentication.k8s.io/v1beta1', kind: 'SelfSubjectReview', metadata: {} } },
  { name: 'authentication.k8s.io/v1alpha1 SelfSubjectReview', obj: { apiVersion: 'authentication.k8s.io/v1alpha1', kind: 'SelfSubjectReview', metadata: {} } },
  {
    name: 'TokenReview with spec.token and audiences',
    obj: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token: 'abc.def.ghi', audiences: ['https://kubernetes.default.svc', 'vault'] } },
  },
  {
    name: 'SubjectAccessReview with resourceAttributes and extra',
    obj: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: {
        resourceAttributes: { namespace: 'dev', verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' },
        user: 'alice',
        groups: ['system:authenticated', 'devs'],
        extra: { 'scopes.example.com': ['read', 'write'], empty: [] },
        uid: '42',
      },
    },
  },
  {
    name: 'SelfSubjectAccessReview (kubectl auth can-i)',
    obj: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } } },
  },
  {
    name: 'SelfSubjectAccessReview for a non-resource URL',
    obj: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } },
  },
  {
    name: 'SelfSubjectRulesReview (kubectl auth can-i --list)',
    obj: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'default' } },
  },
  {
    name: 'TokenRequest with expirationSeconds and a bound object (kubectl create token)',
    obj: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name: 'builder', namespace: 'ci' },
      spec: { audiences: ['api'], expirationSeconds: 86400, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner', uid: '0b6e6c1a' } },
    },
  },
  {
    name: 'rbac Role with rules (kubectl create role)',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader', namespace: 'dev', labels: { team: 'a' } },
      rules: [
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] },
        { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] },
      ],
    },
  },
  {
    name: 'rbac ClusterRoleBinding with subjects and roleRef',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ops' }, { kind: 'ServiceAccount', name: 'bot', namespace: 'ci' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    },
  },
  {
    name: 'core ConfigMap with data and binaryData (an empty value stays)',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'dev' }, data: { 'app.conf': 'a=1\n', empty: '' }, binaryData: { blob: Buffer.from([0, 1, 2, 255]).toString('base64') } },
  },
  {
    name: 'Secret with data bytes as base64',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', data: { password: Buffer.from('s3cr3t').toString('base64') } },
  },
  {
    name: 'Namespace with metadata.creationTimestamp',
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', creationTimestamp: '2024-01-02T03:04:05Z', annotations: { a: 'b' } }, spec: { finalizers: ['kubernetes'] } },
  },
  {
    name: 'ServiceAccount with secrets and imagePullSecrets',
    obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot', namespace: 'ci' }, secrets: [{ name: 'bot-token' }], imagePullSecrets: [{ name: 'regcred' }], automountServiceAccountToken: true },
  },
  {
    name: 'Pod with IntOrString ports, quantities, an inline probe handler, inline key selectors and an inline volume source',
    obj: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'dev', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true }] },
      spec: {
        volumes: [{ name: 'conf', configMap: { name: 'settings', items: [{ key: 'app.conf', path: 'app.conf' }] } }],
        containers: [
          {
            name: 'app',
            image: 'nginx:1',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
            readinessProbe: { tcpSocket: { port: 80 } },
          },
        ],
        terminationGracePeriodSeconds: 30,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
      },
    },
  },
  {
    name: 'Node with capacity and conditions',
    obj: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      spec: { podCIDR: '10.0.0.0/24', taints: [{ key: 'k', effect: 'NoSchedule' }] },
      status: { capacity: { cpu: '4', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-05-06T07:08:09Z' }] },
    },
  },
  {
    name: 'Event with a MicroTime (six fraction digits)',
    obj: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'web' }, reason: 'Started', eventTime: '2024-01-02T03:04:05.123456Z', count: 2 },
  },
];

for (const c of roundTrips) {
  test(`round trip: ${c.name}`, () => {
    const body = encodeKubeProtobuf(c.obj);
    assert.deepEqual(body.subarray(0, 4), MAGIC);
    const decoded = decodeKubeProtobuf(body, { apiVersion: c.obj.apiVersion as string, kind: c.obj.kind as string });
    assert.deepEqual(decoded, c.obj);
    assert.deepEqual(decodeKubeProtobuf(body), c.obj, 'the same without an expected type');
  });
}

test('round trip: extra is a map of string arrays, expirationSeconds a number, bytes base64', () => {
  const sar = decodeKubeProtobuf(encodeKubeProtobuf(roundTrips.find((c) => c.obj.kind === 'SubjectAccessReview')!.obj));
  assert.deepEqual((sar.spec as Record<string, unknown>).extra, { 'scopes.example.com': ['read', 'write'], empty: [] });
  const tr = decodeKubeProtobuf(encodeKubeProtobuf(roundTrips.find((c) => c.obj.kind === 'TokenRequest')!.obj));
  assert.equal(typeof (tr.spec as Record<string, unknown>).expirationSeconds, 'number');
  const secret = decodeKubeProtobuf(encodeKubeProtobuf(roundTrips.find((c) => c.obj.kind === 'Secret')!.obj));
  assert.equal(Buffer.from((secret.data as Record<string, string>).password!, 'base64').toString(), 's3cr3t');
});

test('encode: the envelope carries typeMeta, raw, and contentEncoding and contentType written empty', () => {
  const body = encodeKubeProtobuf({ ...SSR_V1, metadata: {} });
  const unknown = protobuf.Reader.create(body.subarray(4));
  const tags: number[] = [];
  while (unknown.pos < unknown.len) {
    const tag = unknown.uint32();
    tags.push(tag);
    unknown.skipType(tag & 7);
  }
  assert.deepEqual(tags, [0x0a, 0x12, 0x1a, 0x22]);
  assert.ok(body.subarray(-4).equals(Buffer.from([0x1a, 0x00, 0x22, 0x00])));
});

// ---------------------------------------------------------------------------------------------------------------
// What kubectl really sends: Go's generated Marshal writes every non-pointer field, empty or not, in field order.

/** ObjectMeta{}: name, generateName, namespace, selfLink, uid, resourceVersion "", generation 0, creationTimestamp (zero Time: empty). */
const EMPTY_OBJECT_META = protobuf.Writer.create()
  .uint32(0x0a).string('').uint32(0x12).string('').uint32(0x1a).string('').uint32(0x22).string('')
  .uint32(0x2a).string('').uint32(0x32).string('').uint32(0x38).int64(0).uint32(0x42).bytes(new Uint8Array(0))
  .finish();

test('kubectl 1.33 auth whoami body (authentication.k8s.io/v1 SelfSubjectReview), byte for byte', () => {
  const userInfo = protobuf.Writer.create().uint32(0x0a).string('').uint32(0x12).string('').finish();
  const status = protobuf.Writer.create().uint32(0x0a).bytes(userInfo).finish();
  const raw = protobuf.Writer.create().uint32(0x0a).bytes(EMPTY_OBJECT_META).uint32(0x12).bytes(status).finish();
  const body = envelope('authentication.k8s.io/v1', 'SelfSubjectReview', raw);
  const hex =
    '6b387300' + // k8s\0
    '0a2d' + '0a18' + Buffer.from('authentication.k8s.io/v1').toString('hex') + '1211' + Buffer.from('SelfSubjectReview').toString('hex') +
    '121a' + '0a10' + '0a0012001a0022002a00320038004200' + '1206' + '0a040a001200' +
    '1a00' + '2200';
  assert.equal(body.toString('hex'), hex);
  // What kubectl 1.33 really sent (test/fixtures/protobuf/README.md).
  assert.equal(readFileSync(new URL('../../fixtures/protobuf/auth-whoami.pb', import.meta.url)).toString('hex'), hex);
  assert.deepEqual(decodeKubeProtobuf(body, SSR_V1), { ...SSR_V1, metadata: {}, status: { userInfo: {} } });
});

test('Go-marshalled SubjectAccessReview: extra entries, empty strings and a zero Time are left out as Go JSON does', () => {
  const extraValue = protobuf.Writer.create().uint32(0x0a).string('a').uint32(0x0a).string('b').finish();
  const entry = protobuf.Writer.create().uint32(0x0a).string('scopes').uint32(0x12).bytes(extraValue).finish();
  const attrs = protobuf.Writer.create()
    .uint32(0x0a).string('ns').uint32(0x12).string('list').uint32(0x1a).string('').uint32(0x22).string('')
    .uint32(0x2a).string('pods').uint32(0x32).string('').uint32(0x3a).string('')
    .finish();
  const spec = protobuf.Writer.create()
    .uint32(0x0a).bytes(attrs).uint32(0x1a).string('bob').uint32(0x22).string('g1').uint32(0x2a).bytes(entry).uint32(0x32).string('')
    .finish();
  const statusMsg = protobuf.Writer.create().uint32(0x08).bool(false).uint32(0x12).string('').uint32(0x1a).string('').uint32(0x20).bool(false).finish();
  const raw = protobuf.Writer.create().uint32(0x0a).bytes(EMPTY_OBJECT_META).uint32(0x12).bytes(spec).uint32(0x1a).bytes(statusMsg).finish();
  assert.deepEqual(decodeKubeProtobuf(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', raw)), {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    metadata: {},
    spec: { resourceAttributes: { namespace: 'ns', verb: 'list', resource: 'pods' }, user: 'bob', groups: ['g1'], extra: { scopes: ['a', 'b'] } },
    status: {},
  });
});

test('Go-marshalled times and int64: Time keeps seconds only, MicroTime keeps microseconds', () => {
  const created = protobuf.Writer.create().uint32(0x08).int64(1704164645).uint32(0x10).int32(999).finish(); // 2024-01-02T03:04:05Z
  const meta = protobuf.Writer.create().uint32(0x0a).string('x').uint32(0x38).int64(2 ** 40).uint32(0x42).bytes(created).finish();
  const decoded = decodeKubeProtobuf(envelope('v1', 'ConfigMap', protobuf.Writer.create().uint32(0x0a).bytes(meta).finish()));
  assert.deepEqual(decoded.metadata, { name: 'x', generation: 2 ** 40, creationTimestamp: '2024-01-02T03:04:05Z' });
  const micro = protobuf.Writer.create().uint32(0x08).int64(1704164645).uint32(0x10).int32(123456789).finish();
  const event = protobuf.Writer.create().uint32(0x52).bytes(micro).finish();
  assert.equal(decodeKubeProtobuf(envelope('v1', 'Event', event)).eventTime, '2024-01-02T03:04:05.123456Z');
});

test('missing apiVersion and kind in the envelope are defaulted from the expected type, as copyKindDefaults does', () => {
  const raw = protobuf.Writer.create().uint32(0x0a).bytes(EMPTY_OBJECT_META).finish();
  assert.deepEqual(decodeKubeProtobuf(envelope('', '', raw), SSR_V1), { ...SSR_V1, metadata: {} });
});

test('unknown fields are skipped, as gogo Unmarshal does', () => {
  const raw = protobuf.Writer.create().uint32((99 << 3) | 2).string('future').uint32((98 << 3) | 0).int64(7).uint32(0x0a).bytes(EMPTY_OBJECT_META).finish();
  assert.deepEqual(decodeKubeProtobuf(envelope('authentication.k8s.io/v1', 'SelfSubjectReview', raw)), { ...SSR_V1, metadata: {} });
});

// ---------------------------------------------------------------------------------------------------------------
// Bad bodies: always a 400 StatusError with kube-apiserver's message.

const goodSsr = encodeKubeProtobuf({ ...SSR_V1, metadata: {} });
const truncated = goodSsr.subarray(0, 20);
const jsonBody = Buffer.from('{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}');

const errorRows: { name: string; body: Buffer; expected?: { apiVersion: string; kind: string }; message: string }[] = [
  {
    name: 'empty body',
    body: Buffer.alloc(0),
    expected: SSR_V1,
    message: 'the object provided is unrecognized (must be of type SelfSubjectReview): empty data (<empty>)',
  },
  { name: 'empty body, no expected type', body: Buffer.alloc(0), message: 'empty data' },
  {
    name: 'wrong magic (a JSON body sent as protobuf)',
    body: jsonBody,
    expected: SSR_V1,
    message:
      'the object provided is unrecognized (must be of type SelfSubjectReview): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"SelfSubjectReview","a ...)',
  },
  {
    name: 'wrong magic byte (k8s\\1)',
    body: Buffer.from('k8s\x01\x0a\x00', 'latin1'),
    expected: SSR_V1,
    message: 'the object provided is unrecognized (must be of type SelfSubjectReview): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (6b3873010a00)',
  },
  {
    name: 'shorter than the magic',
    body: Buffer.from('k8', 'latin1'),
    message: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
  },
  {
    name: 'magic only',
    body: MAGIC,
    expected: SSR_V1,
    message: 'the object provided is unrecognized (must be of type SelfSubjectReview): empty body (6b387300)',
  },
  {
    name: 'truncated envelope',
    body: truncated,
    expected: SSR_V1,
    message: `the object provided is unrecognized (must be of type SelfSubjectReview): unexpected EOF (${truncated.toString('hex')})`,
  },
  {
    name: 'envelope with an illegal tag 0',
    body: Buffer.concat([MAGIC, Buffer.from([0x00, 0x00])]),
    expected: SSR_V1,
    message: 'the object provided is unrecognized (must be of type SelfSubjectReview): proto: Unknown: illegal tag 0 (wire type 0) (6b3873000000)',
  },
  {
    name: 'garbage raw: a length past the end',
    body: envelope('authentication.k8s.io/v1', 'SelfSubjectReview', Buffer.from([0x0a, 0x05, 0x01])),
    expected: SSR_V1,
    message: 'SelfSubjectReview in version "v1" cannot be handled as a SelfSubjectReview: unexpected EOF',
  },
  {
    name: 'garbage raw: illegal tag 0',
    body: envelope('authentication.k8s.io/v1', 'SelfSubjectReview', Buffer.from([0x00, 0x01])),
    expected: SSR_V1,
    message: 'SelfSubjectReview in version "v1" cannot be handled as a SelfSubjectReview: proto: SelfSubjectReview: illegal tag 0 (wire type 0)',
  },
  {
    name: 'garbage raw: wrong wire type for metadata',
    body: envelope('authentication.k8s.io/v1', 'SelfSubjectReview', Buffer.from([0x08, 0x01])),
    message: 'SelfSubjectReview in version "v1" cannot be handled as a SelfSubjectReview: proto: wrong wireType = 0 for field Metadata',
  },
  {
    name: 'garbage raw: a nested message cut short',
    body: envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', Buffer.from([0x12, 0x03, 0x0a, 0x05, 0x0a])),
    expected: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview' },
    message: 'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: unexpected EOF',
  },
  {
    name: 'unknown kind',
    body: envelope('authentication.k8s.io/v1', 'Widget', new Uint8Array(0)),
    expected: SSR_V1,
    message:
      'Widget in version "v1" cannot be handled as a SelfSubjectReview: no kind "Widget" is registered for version "authentication.k8s.io/v1" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"',
  },
  {
    name: 'unknown group version',
    body: envelope('example.com/v9', 'Widget', new Uint8Array(0)),
    message: 'Widget in version "v9" cannot be handled as a Widget: no kind "Widget" is registered for version "example.com/v9" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"',
  },
  {
    name: 'kind mismatch with expected (a ConfigMap sent to selfsubjectreviews)',
    body: encodeKubeProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
    expected: SSR_V1,
    message:
      'ConfigMap in version "v1" cannot be handled as a SelfSubjectReview: converting (k8s.io/api/core/v1) ConfigMap to (k8s.io/kubernetes/pkg/apis/authentication) SelfSubjectReview: unknown conversion',
  },
  {
    name: 'version mismatch with expected (v1beta1 sent to the v1 endpoint)',
    body: encodeKubeProtobuf({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'SelfSubjectReview', metadata: {} }),
    expected: SSR_V1,
    message: 'the API version in the data (authentication.k8s.io/v1beta1) does not match the expected API version (authentication.k8s.io/v1)',
  },
  {
    name: 'no kind and no expected type',
    body: envelope('v1', '', new Uint8Array(0)),
    message: `Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`,
  },
  {
    name: 'metadata.managedFields[].fieldsV1 that is not JSON',
    body: envelope(
      'v1',
      'ConfigMap',
      protobuf.Writer.create()
        .uint32(0x0a)
        .bytes(protobuf.Writer.create().uint32((17 << 3) | 2).bytes(protobuf.Writer.create().uint32(0x3a).bytes(protobuf.Writer.create().uint32(0x0a).bytes(Buffer.from('{nope')).finish()).finish()).finish())
        .finish(),
    ),
    message: /^ConfigMap in version "v1" cannot be handled as a ConfigMap: json: error calling MarshalJSON: /.source,
  },
];

for (const row of errorRows) {
  test(`error: ${row.name}`, () => {
    assert.throws(
      () => decodeKubeProtobuf(row.body, row.expected),
      (err: unknown) => {
        assert.ok(err instanceof StatusError, `a StatusError, not ${String(err)}`);
        assert.equal(err.code, 400);
        assert.equal(err.status.reason, 'BadRequest');
        if (row.message.startsWith('^')) assert.match(err.message, new RegExp(row.message));
        else assert.equal(err.message, row.message);
        return true;
      },
    );
  });
}

test('fuzz: any byte string after the magic decodes or fails with a 400, never anything else', () => {
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const seeds = [goodSsr, encodeKubeProtobuf(roundTrips.find((c) => c.obj.kind === 'Pod')!.obj), encodeKubeProtobuf(roundTrips.find((c) => c.obj.kind === 'SubjectAccessReview')!.obj)];
  for (let i = 0; i < 2000; i++) {
    const base = Buffer.from(seeds[i % seeds.length]!);
    const flips = 1 + (next() % 4);
    for (let f = 0; f < flips; f++) base[4 + (next() % (base.length - 4))] = next() & 0xff;
    const body = next() % 5 === 0 ? base.subarray(0, 4 + (next() % (base.length - 4))) : base;
    try {
      decodeKubeProtobuf(body);
    } catch (err) {
      assert.ok(err instanceof StatusError && err.code === 400, `iteration ${i}: ${String(err)} for ${body.toString('hex')}`);
    }
  }
});

test('FieldsV1 holds JSON only: an object nested in it is not decoded, so nesting costs no stack (a 400, never a crash)', () => {
  const W = () => protobuf.Writer.create();
  const ssr = (inner: Buffer | undefined): Uint8Array => {
    const meta = W().uint32(10).string('x');
    if (inner) meta.uint32((17 << 3) | 2).bytes(W().uint32(10).string('m').uint32(58).bytes(W().uint32(10).bytes(inner).finish()).finish());
    return W().uint32(10).bytes(meta.finish()).finish();
  };
  let body = envelope('authentication.k8s.io/v1', 'SelfSubjectReview', ssr(undefined));
  for (let i = 0; i < 3000; i++) body = envelope('authentication.k8s.io/v1', 'SelfSubjectReview', ssr(body));
  assert.throws(() => decodeKubeProtobuf(body), (err: unknown) => err instanceof StatusError && err.code === 400 && /json: error calling MarshalJSON: invalid character 'k' looking for beginning of value/.test(err.status.message ?? ''));
});
