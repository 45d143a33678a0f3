// OpenAPI discovery as kubectl reads it: v3 (kubectl 1.29+) and v2 as gnostic protobuf (kubectl 1.27 and 1.28),
// each PATCH operation naming its kind (x-kubernetes-group-version-kind) and the fieldValidation query parameter,
// so `kubectl apply` leaves validation to the server. Serving follows kube-openapi pkg/handler and pkg/handler3.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import protobuf from 'protobufjs';
import type { Response } from 'supertest';
import { kubectlBinaries, runClient, tempDir } from '../helpers/clients.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer({ kubernetesVersion: 'v1.33.0' });
let token: string;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let kubeconfig: string;

before(async () => {
  const s = await server.ready();
  // An ordinary authenticated user: system:discovery allows /openapi and /openapi/*.
  token = credentialsOf(await s.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' })).token!;
  tmp = await tempDir('kam-openapi-');
  kubeconfig = await tmp.write('admin.kubeconfig', await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
});
after(async () => {
  await tmp?.remove();
});

const get = (path: string) => client(server()).get(path).set('Authorization', `Bearer ${token}`);

const CLUSTER_ROLES = '/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}';
const GVK = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', version: 'v1' };
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** What client-go's OpenAPISchema asks for (the deprecated name). */
const V2_PROTOBUF_CLIENT_GO = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

interface V3Operation {
  parameters: { name: string; in: string }[];
  'x-kubernetes-group-version-kind': { group: string; version: string; kind: string };
}

test('v3 index lists each group version with a hashed URL', async () => {
  const res = await get('/openapi/v3');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  const url: string = res.body.paths['apis/rbac.authorization.k8s.io/v1'].serverRelativeURL;
  assert.match(url, /^\/openapi\/v3\/apis\/rbac\.authorization\.k8s\.io\/v1\?hash=[0-9A-F]{128}$/);
  assert.ok(res.body.paths['api/v1']);
  // The same state gives the same hash.
  assert.equal((await get('/openapi/v3')).body.paths['apis/rbac.authorization.k8s.io/v1'].serverRelativeURL, url);
  const doc = await get(url);
  assert.equal(doc.status, 200);
  const patch: V3Operation = doc.body.paths[CLUSTER_ROLES].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], GVK);
  assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
});

test('v3 group doc for the core group: namespaced paths, the empty group', async () => {
  const res = await get('/openapi/v3/api/v1');
  assert.equal(res.status, 200);
  const patch: V3Operation = res.body.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'ConfigMap', version: 'v1' });
  assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
  assert.equal((await get('/openapi/v3/apis/nope.example.com/v1')).status, 404);
});

// gnostic's openapi_v2 messages, decoded with the .proto the server encodes with.
const root = new protobuf.Root().loadSync(
  fileURLToPath(new URL('../../src/api/codec/proto/github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto', import.meta.url)),
  { keepCase: true },
);
const Document = root.lookupType('openapi.v2.Document');

interface NamedAny { name: string; value: { yaml: string } }
interface Operation {
  parameters: { parameter?: { non_body_parameter?: { query_parameter_sub_schema?: { name: string; in: string } } } }[];
  vendor_extension: NamedAny[];
}
interface DecodedDocument {
  swagger: string;
  info: { title: string; version: string };
  paths: { path: { name: string; value: { patch?: Operation } }[] };
}

const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function v2Protobuf(accept: string): Promise<{ res: Response; doc: DecodedDocument }> {
  const res = await get('/openapi/v2').set('Accept', accept).buffer(true).parse(binary);
  assert.equal(res.status, 200);
  const doc = Document.toObject(Document.decode(res.body as Buffer), { arrays: true }) as DecodedDocument;
  return { res, doc };
}

/** kubectl's supportsQueryParam: the first path whose PATCH carries the GVK decides. */
function supportsQueryParam(doc: DecodedDocument, gvk: { group: string; kind: string; version: string }, param: string): boolean | undefined {
  for (const path of doc.paths.path) {
    const patch = path.value.patch;
    const ext = patch?.vendor_extension.find((e) => e.name === 'x-kubernetes-group-version-kind');
    if (patch === undefined || ext === undefined) continue;
    const fields = Object.fromEntries(ext.value.yaml.trim().split('\n').map((l) => l.split(': ') as [string, string]));
    if (fields.group !== (gvk.group === '' ? '""' : gvk.group) || fields.kind !== gvk.kind || fields.version !== gvk.version) continue;
    return patch.parameters.some((p) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name === param);
  }
  return undefined;
}

test('v2 protobuf, as client-go asks for it: a gnostic Document whose clusterroles PATCH has the GVK and fieldValidation', async () => {
  const { res, doc } = await v2Protobuf(V2_PROTOBUF_CLIENT_GO);
  assert.equal(res.headers['content-type'], V2_PROTOBUF);
  assert.equal(res.headers.vary, 'Accept');
  assert.match(res.headers.etag ?? '', /^"[0-9A-F]{128}"$/);
  assert.equal(doc.swagger, '2.0');
  assert.equal(doc.info.version, 'v1.33.0');
  const path = doc.paths.path.find((p) => p.name === CLUSTER_ROLES);
  assert.ok(path?.value.patch, 'a path for clusterroles with a patch operation');
  const gvk = path.value.patch.vendor_extension.find((e) => e.name === 'x-kubernetes-group-version-kind');
  assert.equal(gvk?.value.yaml, 'group: rbac.authorization.k8s.io\nkind: ClusterRole\nversion: v1\n');
  const query = path.value.patch.parameters.map((p) => p.parameter?.non_body_parameter?.query_parameter_sub_schema).filter((q) => q !== undefined);
  assert.deepEqual(query.map((q) => [q.name, q.in]), [['dryRun', 'query'], ['fieldManager', 'query'], ['fieldValidation', 'query']]);
  assert.equal(supportsQueryParam(doc, GVK, 'fieldValidation'), true);
  assert.equal(supportsQueryParam(doc, { group: '', kind: 'Namespace', version: 'v1' }, 'fieldValidation'), true);
  assert.equal(supportsQueryParam(doc, { group: 'nope', kind: 'Thing', version: 'v1' }, 'fieldValidation'), undefined);
});

test('v2 protobuf by its current name; the same ETag answers If-None-Match with 304', async () => {
  const { res } = await v2Protobuf(V2_PROTOBUF);
  assert.equal(res.headers['content-type'], V2_PROTOBUF);
  const etag = res.headers.etag!;
  const again = await get('/openapi/v2').set('Accept', V2_PROTOBUF).set('If-None-Match', etag);
  assert.equal(again.status, 304);
  assert.equal(again.headers.etag, etag);
  const other = await v2Protobuf(V2_PROTOBUF);
  assert.equal(other.res.headers.etag, etag, 'cached per registry state');
});

test('v2 as JSON when Accept asks for it, or names nothing', async () => {
  for (const accept of ['application/json', 'application/json, */*', '*/*', '']) {
    const res = await get('/openapi/v2').set('Accept', accept);
    assert.equal(res.status, 200, accept);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.body.swagger, '2.0');
    const patch = res.body.paths[CLUSTER_ROLES].patch;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], GVK);
    assert.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'));
  }
  // The protobuf is preferred when its quality is higher.
  const res = await get('/openapi/v2').set('Accept', `application/json;q=0.5, ${V2_PROTOBUF}`).buffer(true).parse(binary);
  assert.equal(res.headers['content-type'], V2_PROTOBUF);
});

test('v2: 406 for a type it cannot serve, 404 below it', async () => {
  const res = await get('/openapi/v2').set('Accept', 'text/html');
  assert.equal(res.status, 406);
  assert.equal((await get('/openapi/v2/extra')).status, 404);
});

// The real clients: kubectl 1.27 reads /openapi/v2, the newest /openapi/v3; with validation on (the default),
// both must find fieldValidation and leave validation to the server.
const clusterRole = (name: string, verbs: string[]) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: [${verbs.map((v) => `"${v}"`).join(', ')}]
`;

for (const { name, path } of kubectlBinaries()) {
  test(`${name} apply -f creates, then configures, a ClusterRole; delete -f removes it`, async () => {
    const kubectl = (...args: string[]) => runClient(path, ['--kubeconfig', kubeconfig, '--cache-dir', `${tmp.dir}/cache-${name}`, ...args]);
    const role = `openapi-${name.replace(/\./g, '-')}`;
    const file = await tmp.write(`${role}.yaml`, clusterRole(role, ['get', 'list']));

    let res = await kubectl('apply', '-f', file);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), `clusterrole.rbac.authorization.k8s.io/${role} created`);

    await tmp.write(`${role}.yaml`, clusterRole(role, ['get', 'list', 'watch']));
    res = await kubectl('apply', '-f', file);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), `clusterrole.rbac.authorization.k8s.io/${role} configured`);

    res = await kubectl('get', 'clusterrole', role, '-o', 'jsonpath={.rules[0].verbs}');
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), ['get', 'list', 'watch']);

    res = await kubectl('delete', '-f', file);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), `clusterrole.rbac.authorization.k8s.io "${role}" deleted`);
  });
}
