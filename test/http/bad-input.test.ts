// Bad input gets kube-apiserver's status code and Status body, never a 500, a hang or a crash.
// Sources: handlers/create.go (transformDecodeError), handlers/rest.go (limitedReadBody),
// apimachinery/pkg/api/errors/errors.go, and the x509/bearer/basic authenticators.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { encodeKubeProtobuf, PROTOBUF_MEDIA_TYPE } from '../../src/api/codec/protobuf.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

// Bad input is what this file tests, not authorization: everyone may do anything.
const server = useServer({ authorizationMode: 'AlwaysAllow' });
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
let token: string;

before(async () => {
  token = credentialsOf(await (await server.ready()).kubeconfig({ user: 'alice', auth: 'token' })).token!;
});

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Case {
  name: string;
  method?: 'get' | 'post' | 'put' | 'delete';
  path?: string;
  contentType?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  code: number;
  reason?: string;
  message?: string | RegExp;
  /** A plain-text answer (Go's http.Error or http.NotFound) instead of a Status. */
  text?: string;
}

const cases: Case[] = [
  {
    name: 'truncated JSON body',
    body: '{"kind":"SelfSubjectReview",',
    contentType: 'application/json',
    code: 400,
    reason: 'BadRequest',
    message: 'the object provided is unrecognized (must be of type SelfSubjectReview): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"kind":"SelfSubjectReview",)',
  },
  { name: 'JSON that is not an object', body: '[1,2]', contentType: 'application/json', code: 400, reason: 'BadRequest', message: /cannot unmarshal array/ },
  { name: 'body that is not JSON at all', body: 'hello', contentType: 'application/json', code: 400, reason: 'BadRequest', message: /invalid character 'h' looking for beginning of value \(68656c6c6f\)/ },
  { name: 'JSON naming another kind', body: JSON.stringify({ kind: 'Pod', apiVersion: 'authentication.k8s.io/v1' }), contentType: 'application/json', code: 400, reason: 'BadRequest', message: /^Pod in version "v1" cannot be handled as a SelfSubjectReview/ },
  {
    name: 'JSON naming another version',
    body: JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1beta1' }),
    contentType: 'application/json',
    code: 400,
    reason: 'BadRequest',
    message: 'the API version in the data (authentication.k8s.io/v1beta1) does not match the expected API version (authentication.k8s.io/v1)',
  },
  { name: 'protobuf body without the k8s magic', body: Buffer.from('not protobuf'), contentType: PROTOBUF_MEDIA_TYPE, code: 400, reason: 'BadRequest' },
  { name: 'protobuf body that is not valid protobuf', body: Buffer.concat([MAGIC, Buffer.from([0x0a, 0xff, 0xff, 0xff])]), contentType: PROTOBUF_MEDIA_TYPE, code: 400, reason: 'BadRequest' },
  { name: 'protobuf envelope naming the wrong kind', body: encodeKubeProtobuf({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'x' } }), contentType: PROTOBUF_MEDIA_TYPE, code: 400, reason: 'BadRequest', message: /TokenReview/ },
  {
    name: 'unknown content type',
    body: 'a=b',
    contentType: 'application/x-www-form-urlencoded',
    code: 415,
    reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  },
  { name: 'body over 3 MiB', body: `{"kind":"SelfSubjectReview","x":"${'a'.repeat(3 * 1024 * 1024)}"}`, contentType: 'application/json', code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' },
  { name: 'GET on a create-only review', method: 'get', code: 405, reason: 'MethodNotAllowed' },
  { name: 'path with .. segments', method: 'get', path: '/api/../apis/authentication.k8s.io/v1', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' },
  { name: 'path with an encoded slash', method: 'get', path: '/api/v1/namespaces/a%2Fb/pods', code: 404, reason: 'NotFound' },
  // genericapiserver's notfoundhandler (parity: bad-input/unknown-path, bad-input/unknown-group).
  { name: 'unknown path', method: 'get', path: '/nope', code: 404, text: '404 page not found\n' },
  { name: 'unknown group version', method: 'get', path: '/apis/example.com/v1', code: 404, text: '404 page not found\n' },
  { name: 'unknown resource', method: 'get', path: '/apis/authentication.k8s.io/v1/widgets', code: 404, reason: 'NotFound' },
];

for (const c of cases) {
  test(`bad input: ${c.name} -> ${c.code}`, async () => {
    const agent = client(server());
    let req = agent[c.method ?? 'post'](c.path ?? WHOAMI).set('Authorization', `Bearer ${token}`);
    if (c.contentType) req = req.set('Content-Type', c.contentType);
    for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
    if (c.body !== undefined) req = req.send(c.body);
    const res = await req.buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => (text += d));
      r.on('end', () => done(null, text));
    });
    assert.equal(res.status, c.code, String(res.body));
    if (c.text !== undefined) {
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(res.body, c.text);
      return;
    }
    const status = JSON.parse(res.body as unknown as string);
    assert.equal(status.kind, 'Status');
    assert.equal(status.status, 'Failure');
    assert.equal(status.code, c.code);
    if (c.reason) assert.equal(status.reason, c.reason);
    if (typeof c.message === 'string') assert.equal(status.message, c.message);
    else if (c.message) assert.match(status.message, c.message);
  });
}

test('the server still answers after all of the above', async () => {
  const res = await client(server()).get('/version');
  assert.equal(res.status, 200);
});

test('headers up to 1 MiB are accepted, as by kube-apiserver (node stops at 16 KiB by default)', async () => {
  const res = await client(server()).get('/version').set('X-Big', 'a'.repeat(100 * 1024));
  assert.equal(res.status, 200);
});
