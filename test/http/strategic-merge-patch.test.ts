// PATCH with application/strategic-merge-patch+json, as kube-apiserver applies it to the kinds we serve: lists
// merge by their Go types' patch merge keys (a pod's containers by name), and kube's answers to a patch it
// refuses (handlers/patch.go interpretStrategicMergePatchError: 400, or the error itself as a 500 Status
// without a reason, as responsewriters.ErrorToAPIStatus makes of an error that is not a Status).
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import type request from 'supertest';
import { client, credentialsOf, useServer } from '../helpers/server.js';

// Patching is what this file tests, not authorization: everyone may do anything.
const server = useServer({ authorizationMode: 'AlwaysAllow' });
const PODS = '/api/v1/namespaces/default/pods';
const SMP = 'application/strategic-merge-patch+json';
let token: string;

before(async () => {
  token = credentialsOf(await (await server.ready()).kubeconfig({ user: 'alice', auth: 'token' })).token!;
});

const http = (): request.Agent => client(server()).set('Authorization', `Bearer ${token}`);

const twoContainerPod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [
      { name: 'app', image: 'nginx:1.25' },
      { name: 'sidecar', image: 'envoy:1.30' },
    ],
  },
});

interface Container {
  name: string;
  image: string;
}

const imagesOf = (pod: { spec: { containers: Container[] } }): [string, string][] => pod.spec.containers.map((c) => [c.name, c.image]);

let pod: string;
let seq = 0;
beforeEach(async () => {
  pod = `web-${++seq}`;
  const res = await http().post(PODS).send(twoContainerPod(pod));
  assert.equal(res.status, 201);
});

const patch = (body: string, contentType = SMP) => http().patch(`${PODS}/${pod}`).set('Content-Type', contentType).send(body);

describe('a strategic merge patch of a two-container pod', () => {
  test('kubectl patch --type strategic changing one container\'s image keeps the other container', async () => {
    const res = await patch('{"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}');
    assert.equal(res.status, 200);
    assert.deepEqual(imagesOf(res.body), [
      ['app', 'nginx:1.27'],
      ['sidecar', 'envoy:1.30'],
    ]);
    const stored = await http().get(`${PODS}/${pod}`);
    assert.deepEqual(imagesOf(stored.body), imagesOf(res.body));
  });

  test('kubectl set image\'s body ($setElementOrder/containers and the changed container) changes that one image', async () => {
    // The body kubectl set image sends: strategicpatch.CreateTwoWayMergePatch of the pod before and after.
    const res = await patch('{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],"containers":[{"image":"envoy:1.31","name":"sidecar"}]}}');
    assert.equal(res.status, 200);
    assert.deepEqual(imagesOf(res.body), [
      ['app', 'nginx:1.25'],
      ['sidecar', 'envoy:1.31'],
    ]);
  });

  test('a JSON merge patch of the same body replaces the whole list, as RFC 7386 does', async () => {
    const res = await patch('{"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}', 'application/merge-patch+json');
    assert.equal(res.status, 200);
    assert.deepEqual(imagesOf(res.body), [['app', 'nginx:1.27']]);
  });

  test('"$patch: delete" removes one container by name; a charset parameter is accepted', async () => {
    const res = await patch('{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}', `${SMP}; charset=utf-8`);
    assert.equal(res.status, 200);
    assert.deepEqual(imagesOf(res.body), [['app', 'nginx:1.25']]);
  });

  test('a new container keeps its place in the patch\'s order; env merges by name', async () => {
    const first = await patch('{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"}]},{"name":"debug","image":"busybox:1.36"}]}}');
    assert.equal(first.status, 200);
    assert.deepEqual(imagesOf(first.body), [
      ['app', 'nginx:1.25'],
      ['debug', 'busybox:1.36'],
      ['sidecar', 'envoy:1.30'],
    ]);
    const second = await patch('{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"2"}]}]}}');
    assert.deepEqual(second.body.spec.containers[0].env, [
      { name: 'B', value: '2' },
      { name: 'A', value: '1' },
    ]);
  });
});

describe('strategic merge patches kube refuses, or takes for nothing', () => {
  test('a null body unmarshals into an empty patch: 200, the pod unchanged', async () => {
    const res = await patch('null');
    assert.equal(res.status, 200);
    assert.deepEqual(imagesOf(res.body), [
      ['app', 'nginx:1.25'],
      ['sidecar', 'envoy:1.30'],
    ]);
  });


  const cases: { name: string; body: string; code: number; reason?: string; message: string }[] = [
    {
      name: 'a container without its merge key: the error itself, a 500 without a reason',
      body: '{"spec":{"containers":[{"image":"nginx:1.27"}]}}',
      code: 500,
      message: 'map: map[image:nginx:1.27] does not contain declared merge key: name',
    },
    {
      name: 'an unknown $patch directive',
      body: '{"spec":{"$patch":"frobnicate"}}',
      code: 500,
      message: 'unknown patch type: frobnicate in map: map[$patch:frobnicate]',
    },
    { name: '$retainKeys that is not a list: 400', body: '{"spec":{"$retainKeys":"containers"}}', code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    {
      name: '$deleteFromPrimitiveList without the field: 400',
      body: '{"metadata":{"$deleteFromPrimitiveListfinalizers":["a"]}}',
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of primitive list',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const res = await patch(c.body);
      assert.equal(res.status, c.code);
      assert.equal(res.body.kind, 'Status');
      assert.equal(res.body.reason, c.reason);
      assert.equal(res.body.message, c.message);
      // The pod is as it was.
      const stored = await http().get(`${PODS}/${pod}`);
      assert.deepEqual(imagesOf(stored.body), [
        ['app', 'nginx:1.25'],
        ['sidecar', 'envoy:1.30'],
      ]);
    });
  }
});

describe('the other kinds\' patch merge keys', () => {
  test('a ServiceAccount\'s secrets merge by name', async () => {
    const sa = await http().post('/api/v1/namespaces/default/serviceaccounts').send({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' }, secrets: [{ name: 'a' }] });
    assert.equal(sa.status, 201);
    const res = await http().patch('/api/v1/namespaces/default/serviceaccounts/builder').set('Content-Type', SMP).send('{"secrets":[{"name":"b"}]}');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.secrets, [{ name: 'b' }, { name: 'a' }]);
  });

  test('under Strict, an unknown field is kube\'s 422 against "patch", valued as %+v of the patch map', async () => {
    const cm = await http().post('/api/v1/namespaces/default/configmaps').send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, data: { a: '1' } });
    assert.equal(cm.status, 201);
    const res = await http()
      .patch('/api/v1/namespaces/default/configmaps/strict?fieldValidation=Strict')
      .set('Content-Type', SMP)
      .send('{"data":{"b":"2"},"foo":1}');
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    assert.equal(res.body.message, ' "" is invalid: patch: Invalid value: "map[data:map[b:2] foo:1]": strict decoding error: unknown field "foo"');
  });

  test('finalizers merge as a set, and $deleteFromPrimitiveList removes one', async () => {
    const res = await patch('{"metadata":{"finalizers":["example.com/a","example.com/b"]}}');
    assert.deepEqual(res.body.metadata.finalizers, ['example.com/a', 'example.com/b']);
    const next = await patch('{"metadata":{"finalizers":["example.com/c"],"$deleteFromPrimitiveList/finalizers":["example.com/a"]}}');
    assert.equal(next.status, 200);
    assert.deepEqual(next.body.metadata.finalizers, ['example.com/c', 'example.com/b']);
  });
});
