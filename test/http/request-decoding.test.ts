// Request bodies decoded as kube-apiserver decodes them, at every depth it accepts. Sources: Go's
// encoding/json/scanner.go (maxNestingDepth 10000, "exceeded max depth"), sigs.k8s.io/json (strict errors:
// `unknown field "a.b"`, `duplicate field "a.b"`), k8s.io/apimachinery/pkg/runtime/serializer/json/json.go,
// apiserver/pkg/endpoints/handlers/{create.go,patch.go} (fieldValidation, transformDecodeError, the 422 against
// "patch"), sigs.k8s.io/yaml over go-yaml v2 (YAML 1.1, merge keys, the first document) and
// apimachinery/pkg/util/net/http.go (the Warning header). Runs under Node's default stack size.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer({ authorizationMode: 'AlwaysAllow' });
let token: string;
before(async () => {
  token = credentialsOf(await (await server.ready()).kubeconfig({ user: 'alice', auth: 'token' })).token!;
});

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
const CM = '/api/v1/namespaces/default/configmaps';

/** A JSON text nesting `levels` objects: {"x":{"x":...1...}}. */
function nested(levels: number): string {
  return `${'{"x":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

function post(path: string, body: string, contentType = 'application/json') {
  return client(server()).post(path).set('Authorization', `Bearer ${token}`).set('Content-Type', contentType).send(body);
}

function patch(path: string, body: string, contentType: string) {
  return client(server()).patch(path).set('Authorization', `Bearer ${token}`).set('Content-Type', contentType).send(body);
}

const ssarBody = (extra: string): string => `{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"resourceAttributes":{"verb":"get","resource":"pods"},"foo":${extra}}}`;
const cmBody = (name: string, extra: string): string => `{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"${name}"},"data":{"a":"1"},"foo":${extra}}`;

describe('deep nesting: Go accepts 10000 levels, the 10001st is "exceeded max depth" (400)', () => {
  // The whole body counts: the SSAR's own object and spec are two levels, the ConfigMap's one.
  for (const depth of [5000, 9999, 10000]) {
    test(`SelfSubjectAccessReview ${depth} levels deep: 201, the unknown field dropped with a Warning`, async () => {
      const res = await post(SSAR, ssarBody(nested(depth - 2)));
      assert.equal(res.status, 201, res.text.slice(0, 300));
      assert.equal(res.headers.warning, '299 - "unknown field \\"spec.foo\\""');
      assert.deepEqual(res.body.spec, { resourceAttributes: { verb: 'get', resource: 'pods' } });
      assert.equal(res.body.status.allowed, true);
    });
    test(`ConfigMap create ${depth} levels deep: 201, the unknown field dropped with a Warning`, async () => {
      const res = await post(CM, cmBody(`deep-${depth}`, nested(depth - 1)));
      assert.equal(res.status, 201, res.text.slice(0, 300));
      assert.equal(res.headers.warning, '299 - "unknown field \\"foo\\""');
      assert.equal(res.body.foo, undefined);
    });
  }
  test('SelfSubjectAccessReview 10001 levels deep: 400 exceeded max depth', async () => {
    const res = await post(SSAR, ssarBody(nested(9999)));
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^the object provided is unrecognized \(must be of type SelfSubjectAccessReview\): couldn't get version\/kind; json parse error: invalid character '\{' exceeded max depth \(/);
  });
  test('ConfigMap create 10001 levels deep (arrays): 400 exceeded max depth', async () => {
    const res = await post(CM, `{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"too-deep"},"foo":${'['.repeat(10000)}${']'.repeat(10000)}}`);
    assert.equal(res.status, 400);
    assert.match(res.body.message, /json parse error: invalid character '\[' exceeded max depth/);
  });

  test('merge patch 10000 levels deep: 200 with the Warning; 10001: 400', async () => {
    assert.equal((await post(CM, cmBody('patched', '1'))).status, 201);
    const ok = await patch(`${CM}/patched`, `{"foo":${nested(9999)}}`, 'application/merge-patch+json');
    assert.equal(ok.status, 200, ok.text.slice(0, 300));
    assert.equal(ok.headers.warning, '299 - "unknown field \\"foo\\""');
    assert.equal(ok.body.foo, undefined);
    const deep = await patch(`${CM}/patched`, `{"foo":${nested(10000)}}`, 'application/merge-patch+json');
    assert.equal(deep.status, 400);
    assert.equal(deep.body.message, "error decoding patch: invalid character '{' exceeded max depth");
  });

  test('JSON patch 10000 levels deep: 200 with the Warning; 10001: 400', async () => {
    assert.equal((await post(CM, cmBody('json-patched', '1'))).status, 201);
    const ok = await patch(`${CM}/json-patched`, `[{"op":"add","path":"/foo","value":${nested(9998)}}]`, 'application/json-patch+json');
    assert.equal(ok.status, 200, ok.text.slice(0, 300));
    assert.equal(ok.headers.warning, '299 - "unknown field \\"foo\\""');
    const deep = await patch(`${CM}/json-patched`, `[{"op":"add","path":"/foo","value":${nested(9999)}}]`, 'application/json-patch+json');
    assert.equal(deep.status, 400);
    assert.equal(deep.body.message, "error decoding patch: invalid character '{' exceeded max depth");
  });

  test('a Pod keeps a free-form spec 9998 levels deep without a 500 (copy, compare, freeze and encode never recurse)', async () => {
    const res = await post('/api/v1/namespaces/default/pods', `{"kind":"Pod","apiVersion":"v1","metadata":{"name":"deep"},"spec":{"containers":[{"name":"c","image":"i"}],"x":${nested(9997)}}}`);
    assert.equal(res.status, 201, res.text.slice(0, 300));
    const got = await client(server()).get('/api/v1/namespaces/default/pods/deep').set('Authorization', `Bearer ${token}`);
    assert.equal(got.status, 200);
  });
});

describe('review APIs decode strictly (create.go): unknown fields dropped and warned, wrong types 400', () => {
  const typeCases = [
    {
      name: 'verb: 5',
      path: SSAR,
      body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: { verb: 5 } } },
      message: 'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: json: cannot unmarshal number into Go struct field ResourceAttributes.spec.resourceAttributes.verb of type string',
    },
    {
      name: 'groups: [1, null]',
      path: SAR,
      body: { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { groups: [1, null], nonResourceAttributes: { path: '/', verb: 'get' } } },
      message: 'SubjectAccessReview in version "v1" cannot be handled as a SubjectAccessReview: json: cannot unmarshal number into Go struct field SubjectAccessReviewSpec.spec.groups of type string',
    },
    {
      name: 'extra: {k: "v"}',
      path: SAR,
      body: { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { user: 'u', extra: { k: 'v' }, nonResourceAttributes: { path: '/', verb: 'get' } } },
      message: 'SubjectAccessReview in version "v1" cannot be handled as a SubjectAccessReview: json: cannot unmarshal string into Go struct field SubjectAccessReviewSpec.spec.extra of type v1.ExtraValue',
    },
  ];
  for (const c of typeCases) {
    test(`${c.name}: 400 with Go's UnmarshalTypeError`, async () => {
      const res = await post(c.path, JSON.stringify(c.body));
      assert.equal(res.status, 400);
      assert.equal(res.body.message, c.message);
    });
  }

  test('SubjectAccessReview: unknown fields are not echoed; a Warning each by default, 400 under Strict, silence under Ignore', async () => {
    const body = JSON.stringify({ kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { user: 'u', foo: 1, nonResourceAttributes: { path: '/', verb: 'get', bar: 2 } }, top: true });
    const warned = await post(SAR, body);
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.warning, '299 - "unknown field \\"spec.foo\\"", 299 - "unknown field \\"spec.nonResourceAttributes.bar\\"", 299 - "unknown field \\"top\\""');
    assert.deepEqual(warned.body.spec, { nonResourceAttributes: { path: '/', verb: 'get' }, user: 'u' });
    assert.equal(warned.body.top, undefined);
    const strict = await post(`${SAR}?fieldValidation=Strict`, body);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'SubjectAccessReview in version "v1" cannot be handled as a SubjectAccessReview: strict decoding error: unknown field "spec.foo", unknown field "spec.nonResourceAttributes.bar", unknown field "top"');
    const ignored = await post(`${SAR}?fieldValidation=Ignore`, body);
    assert.equal(ignored.status, 201);
    assert.equal(ignored.headers.warning, undefined);
  });
});

describe('repeated keys (sigs.k8s.io/json DisallowDuplicateFields): the last wins, reported with its path', () => {
  test('SelfSubjectAccessReview: duplicate field "spec.resourceAttributes.verb" is a Warning, a 400 under Strict', async () => {
    const body = '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"resourceAttributes":{"verb":"delete","verb":"get","resource":"pods"}}}';
    const warned = await post(SSAR, body);
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.warning, '299 - "duplicate field \\"spec.resourceAttributes.verb\\""');
    assert.equal(warned.body.spec.resourceAttributes.verb, 'get');
    const strict = await post(`${SSAR}?fieldValidation=Strict`, body);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: strict decoding error: duplicate field "spec.resourceAttributes.verb"');
  });
  test('ConfigMap: a repeated data key and a repeated metadata merge as Go decodes into the same field', async () => {
    const res = await post(CM, '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"dup"},"metadata":{"labels":{"a":"b"}},"data":{"k":"1","k":"2"}}');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.warning, '299 - "duplicate field \\"metadata\\"", 299 - "duplicate field \\"data.k\\""');
    assert.equal(res.body.metadata.name, 'dup');
    assert.deepEqual(res.body.metadata.labels, { a: 'b' });
    assert.deepEqual(res.body.data, { k: '2' });
  });
  test('merge patch: a repeated key in the patch is a Warning; Strict is kube\'s 422 against "patch"', async () => {
    assert.equal((await post(CM, cmBody('dup-patch', '1'))).status, 201);
    const warned = await patch(`${CM}/dup-patch`, '{"data":{"a":"2","a":"3"}}', 'application/merge-patch+json');
    assert.equal(warned.status, 200);
    assert.equal(warned.headers.warning, '299 - "duplicate field \\"data.a\\""');
    assert.deepEqual(warned.body.data, { a: '3' });
    const strict = await patch(`${CM}/dup-patch?fieldValidation=Strict`, '{"data":{"a":"2","a":"3"},"foo":1}', 'application/merge-patch+json');
    assert.equal(strict.status, 422);
    assert.equal(strict.body.reason, 'Invalid');
    assert.match(strict.body.message, /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: duplicate field "data.a", unknown field "foo"$/);
  });
  test('JSON patch: an unknown operation field is "json patch unknown field"', async () => {
    assert.equal((await post(CM, cmBody('op-field', '1'))).status, 201);
    const res = await patch(`${CM}/op-field`, '[{"op":"replace","path":"/data/a","value":"x","extra":1}]', 'application/json-patch+json');
    assert.equal(res.status, 200);
    assert.equal(res.headers.warning, '299 - "json patch unknown field \\"[0].extra\\""');
  });
  test('Role: a repeated rules key decodes into the rule already there (decode.go array), so its resourceNames still narrow it', async () => {
    const rule = (extra: string) => `{"verbs":["get"],"apiGroups":[""],"resources":["secrets"]${extra}}`;
    const body = `{"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"narrow"},"rules":[${rule(',"resourceNames":["one"]')}],"rules":[${rule('')}]}`;
    const res = await post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', body);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.warning, '299 - "duplicate field \\"rules\\""');
    assert.deepEqual(res.body.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['one'] }]);
  });
  test('JSON patch: "value": null is a value, as evanphx/json-patch reads the raw operation (the jsonPatchOp decode only finds strict errors)', async () => {
    assert.equal((await post(CM, cmBody('null-value', '1'))).status, 201);
    const res = await patch(`${CM}/null-value`, '[{"op":"add","path":"/data/n","value":null},{"op":"replace","path":"/data/a","value":null}]', 'application/json-patch+json');
    assert.equal(res.status, 200, res.text);
    // A null decodes into a map[string]string entry as "".
    assert.deepEqual(res.body.data, { a: '', n: '' });
  });
});

describe('YAML bodies as sigs.k8s.io/yaml reads them (go-yaml v2: YAML 1.1)', () => {
  test('yes is a bool, << merges, only the first document counts', async () => {
    const yaml = 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: yaml11\n  labels:\n    <<: {team: a}\n    app: b\nimmutable: yes\ndata:\n  k: "v"\n---\nkind: Secret\n';
    const res = await post(CM, yaml, 'application/yaml');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.immutable, true);
    assert.deepEqual(res.body.metadata.labels, { app: 'b', team: 'a' });
    assert.equal(res.headers.warning, undefined);
  });
  test('a time of day in a ConfigMap is a string: go-yaml v2 reads no base-60 numbers (YAML 1.1 would make 12:30 the int 750)', async () => {
    const res = await post(CM, 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: yaml-time\ndata:\n  at: 12:30\n', 'application/yaml');
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.data, { at: '12:30' });
  });
  test('a repeated key is YAMLToJSONStrict\'s strict error: a Warning, a 400 under Strict', async () => {
    const yaml = 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: yaml-dup\ndata:\n  a: "1"\n  a: "2"\n';
    const warned = await post(CM, yaml, 'application/yaml');
    assert.equal(warned.status, 201, warned.text);
    assert.deepEqual(warned.body.data, { a: '2' });
    assert.equal(warned.headers.warning, '299 - "error converting YAML to JSON: yaml: unmarshal errors:   line 7: key \\"a\\" already set in map"');
    const strict = await post(`${CM}?fieldValidation=Strict`, yaml.replace('yaml-dup', 'yaml-dup2'), 'application/yaml');
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "a" already set in map');
  });
});

describe('review metadata (validation.go ValidateSubjectAccessReview: Semantic.DeepEqual to an empty ObjectMeta, managedFields aside)', () => {
  const review = (metadata: string) => `{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":${metadata},"spec":{"user":"u","resourceAttributes":{"verb":"get","resource":"pods"}}}`;
  for (const [metadata, status] of [
    ['{"generation":0,"labels":{},"finalizers":[],"uid":""}', 201],
    ['{"managedFields":[{"manager":"m"}]}', 201],
    ['{"creationTimestamp":"2024-01-02T03:04:05Z"}', 422],
    ['{"generation":1}', 422],
  ] as const) {
    test(`metadata ${metadata}: ${status}`, async () => {
      const res = await post(SAR, review(metadata));
      assert.equal(res.status, status, res.text.slice(0, 300));
    });
  }
});

describe('no 500 from odd but valid bodies', () => {
  // push(...list) throws RangeError past ~120,000 arguments: every list built from a body is appended item by item.
  const many = (n: number, entry: (i: number) => string): string => Array.from({ length: n }, (_, i) => entry(i)).join(',');
  test('200,000 invalid labels or data keys: kube\'s 422 listing them, not a 500', async () => {
    const labels = await post(CM, `{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"many-labels","labels":{${many(200_000, (i) => `"!${i}":""`)}}}}`);
    assert.equal(labels.status, 422, labels.text.slice(0, 300));
    assert.equal(labels.body.details.causes.length, 200_000);
    const data = await post(CM, `{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"many-keys"},"data":{${many(200_000, (i) => `"!${i}":""`)}}}`);
    assert.equal(data.status, 422, data.text.slice(0, 300));
  });
  test('200,000 repeated YAML keys: YAMLToJSONStrict\'s error as a Warning, not a 500', async () => {
    const yaml = `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: many-repeats\ndata:\n${Array.from({ length: 200_000 }, (_, i) => `  k${i % 10}: v`).join('\n')}\n`;
    const res = await post(CM, yaml, 'application/yaml');
    assert.equal(res.status, 201, res.text.slice(0, 300));
    assert.match(String(res.headers.warning), /^299 - "error converting YAML to JSON: yaml: unmarshal errors:/);
  });
  test('an unknown field named in a non-latin-1 script gets its Warning (UTF-8 bytes), not a 500', async () => {
    const res = await post(SSAR, '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"resourceAttributes":{"verb":"get"},"日本":1}}');
    assert.equal(res.status, 201);
    assert.equal(Buffer.from(res.headers.warning as string, 'latin1').toString('utf8'), '299 - "unknown field \\"spec.日本\\""');
  });
  test('a YAML body nested deeper than the YAML parser takes is a 400, not a 500', async () => {
    const res = await post(CM, `kind: ConfigMap\napiVersion: v1\nmetadata: {name: deep-yaml}\nfoo: ${'['.repeat(3000)}${']'.repeat(3000)}\n`, 'application/yaml');
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: /);
  });
  test('a kind that is not a string fails SimpleMetaFactory.Interpret: "the object provided is unrecognized"', async () => {
    const res = await post(CM, '{"kind":5,"apiVersion":"v1","metadata":{"name":"k"}}');
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"kind":5,"apiVersion":"v1","m ...)');
  });
  test('update (PUT) decodes strictly too: unknown fields warned and dropped, 400 under Strict', async () => {
    assert.equal((await post(CM, cmBody('put-me', '1'))).status, 201);
    const body = '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"put-me"},"data":{"a":"2"},"bogus":true}';
    const put = (query: string) => client(server()).put(`${CM}/put-me${query}`).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(body);
    const warned = await put('');
    assert.equal(warned.status, 200);
    assert.equal(warned.headers.warning, '299 - "unknown field \\"bogus\\""');
    assert.equal(warned.body.bogus, undefined);
    const strict = await put('?fieldValidation=Strict');
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"');
  });
});
