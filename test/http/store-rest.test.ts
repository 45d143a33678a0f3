// The object store served over HTTP as kube-apiserver serves stored kinds: status codes and Status bodies of
// the handlers in staging/src/k8s.io/apiserver/pkg/endpoints/handlers, list and label selectors, JSON and merge
// patches, watch streams (?watch=true and the legacy /watch/ paths), Table output for kubectl, and discovery.
// The app is the real handler chain with an anonymous authenticator and an always-allow authorizer.
import assert from 'node:assert/strict';
import { createServer, get as httpGet, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { API_GROUPS, createApiStore, installApiGroups, type ApiGroup } from '../../src/api/groups/index.js';
import { roleBindingType, roleType } from '../../src/api/groups/rbac.js';
import type { AdmitHook } from '../../src/api/rest/resource.js';
import { ApiRegistry } from '../../src/api/registry.js';
import { forbidden } from '../../src/apimachinery/status.js';
import type { ObjectStore, ObjectStoreOptions } from '../../src/store/object-store.js';
import { permissiveGroupDeps, permissiveListener } from '../helpers/api-groups.js';

const KUBECTL_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

interface TestApp {
  listener: RequestListener;
  store: ObjectStore;
  http: () => request.Agent;
}

/** The API groups with every RBAC kind's own admission replaced by `admit`. */
function withRbacAdmission(admit: AdmitHook): readonly ApiGroup[] {
  return API_GROUPS.map((group) =>
    group.name === 'rbac.authorization.k8s.io' && group.stored ? { ...group, stored: { ...group.stored, kinds: group.stored.kinds.map((kind) => ({ ...kind, admission: () => admit })) } } : group,
  );
}

function makeApp(opts: { admit?: AdmitHook; store?: ObjectStoreOptions } = {}): TestApp {
  const groups = opts.admit ? withRbacAdmission(opts.admit) : API_GROUPS;
  const store = createApiStore(opts.store, groups);
  const registry = new ApiRegistry();
  installApiGroups(registry, permissiveGroupDeps(store), groups);
  const listener = permissiveListener(registry);
  return { listener, store, http: () => request.agent(listener) };
}

const CM = '/api/v1/namespaces/default/configmaps';
const ROLES = '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles';

const role = (name: string, verbs = ['get']) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name },
  rules: [{ verbs, apiGroups: [''], resources: ['pods'] }],
});

describe('configmaps: CRUD with kube\'s codes and bodies', () => {
  const t = makeApp();

  test('create is 201 with the stored object', async () => {
    const res = await t.http().post(CM).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', labels: { tier: 'web' } }, data: { k: 'v' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(Object.keys(res.body), ['kind', 'apiVersion', 'metadata', 'data']);
    assert.equal(res.body.metadata.namespace, 'default');
    assert.ok(res.body.metadata.uid && res.body.metadata.resourceVersion && res.body.metadata.creationTimestamp);
  });

  test('create of an existing name is 409 AlreadyExists', async () => {
    const res = await t.http().post(CM).send({ metadata: { name: 'app' } });
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "app" already exists',
      reason: 'AlreadyExists',
      details: { name: 'app', kind: 'configmaps' },
      code: 409,
    });
  });

  test('get is 200; a missing object is 404 NotFound', async () => {
    assert.equal((await t.http().get(`${CM}/app`)).body.data.k, 'v');
    const res = await t.http().get(`${CM}/nope`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'configmaps' },
      code: 404,
    });
  });

  test('an invalid name is 422 Invalid', async () => {
    const res = await t.http().post(CM).send({ metadata: { name: 'Bad_Name' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    assert.match(res.body.message, /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    assert.deepEqual(res.body.details.causes.map((c: { field: string }) => c.field), ['metadata.name']);
  });

  test('the namespace of the body must be the URL\'s (400)', async () => {
    const res = await t.http().post(CM).send({ metadata: { name: 'other', namespace: 'kube-system' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  test('create in a namespace that does not exist is 404 namespaces "dev" not found', async () => {
    const res = await t.http().post('/api/v1/namespaces/dev/configmaps').send({ metadata: { name: 'x' } });
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'namespaces "dev" not found');
    // NamespaceLifecycle is admission: it answers before the registry validates the name.
    const invalid = await t.http().post('/api/v1/namespaces/dev/configmaps').send({ metadata: { name: 'Bad' } });
    assert.equal(invalid.status, 404);
    assert.equal(invalid.body.message, 'namespaces "dev" not found');
  });

  test('update is 200; a stale resourceVersion 409 Conflict; a different name 400; a missing object 404', async () => {
    const current = (await t.http().get(`${CM}/app`)).body;
    const ok = await t.http().put(`${CM}/app`).send({ ...current, data: { k: 'v2' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.data.k, 'v2');
    assert.notEqual(ok.body.metadata.resourceVersion, current.metadata.resourceVersion);

    const stale = await t.http().put(`${CM}/app`).send({ ...current, data: { k: 'v3' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal(stale.body.message, 'Operation cannot be fulfilled on configmaps "app": the object has been modified; please apply your changes to the latest version and try again');

    const renamed = await t.http().put(`${CM}/app`).send({ metadata: { name: 'other' } });
    assert.equal(renamed.status, 400);
    assert.equal(renamed.body.message, 'the name of the object (other) does not match the name on the URL (app)');

    const missing = await t.http().put(`${CM}/ghost`).send({ metadata: { name: 'ghost' } });
    assert.equal(missing.status, 404, 'configmaps do not AllowCreateOnUpdate');
    assert.equal(missing.body.message, 'configmaps "ghost" not found');
  });

  test('delete is 200 with a Success Status (configmaps do not return the object)', async () => {
    const uid = (await t.http().get(`${CM}/app`)).body.metadata.uid;
    const res = await t.http().delete(`${CM}/app`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'app', kind: 'configmaps', uid } });
    assert.equal((await t.http().get(`${CM}/app`)).status, 404);
  });

  test('paths kube does not route: a cluster-wide POST is 405, a namespaced node 404, an unnamespaced item 404', async () => {
    const post = await t.http().post('/api/v1/configmaps').send({ metadata: { name: 'x' } });
    assert.equal(post.status, 405);
    assert.equal(post.body.message, 'the server does not allow this method on the requested resource');
    assert.equal((await t.http().get('/api/v1/namespaces/default/nodes')).status, 404);
    assert.equal((await t.http().get('/api/v1/configmaps/x')).status, 404);
    assert.equal((await t.http().get('/api/v1/configmaps')).status, 200, 'listing across namespaces');
  });
});

describe('roles: CRUD', () => {
  const t = makeApp();

  test('create, create-on-update (roles AllowCreateOnUpdate), delete with a Status naming the group', async () => {
    assert.equal((await t.http().post(ROLES).send(role('reader'))).status, 201);
    const put = await t.http().put(`${ROLES}/writer`).send(role('writer', ['create']));
    assert.equal(put.status, 201);
    const replaced = await t.http().put(`${ROLES}/writer`).send(role('writer', ['update']));
    assert.equal(replaced.status, 200);
    assert.deepEqual(replaced.body.rules[0].verbs, ['update']);
    const del = await t.http().delete(`${ROLES}/writer`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.body.details, { name: 'writer', group: 'rbac.authorization.k8s.io', kind: 'roles', uid: replaced.body.metadata.uid });
  });

  test('422 with kube\'s RBAC messages', async () => {
    const res = await t.http().post(ROLES).send({ metadata: { name: 'bad' }, rules: [{ apiGroups: [''], resources: ['pods'] }] });
    assert.equal(res.status, 422);
    assert.equal(res.body.message, 'Role.rbac.authorization.k8s.io "bad" is invalid: rules[0].verbs: Required value: verbs must contain at least one value');
    assert.deepEqual(res.body.details, {
      name: 'bad',
      group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: verbs must contain at least one value', field: 'rules[0].verbs' }],
    });
  });

  test('list with a label selector; items without kind; kube\'s 400 for a bad selector', async () => {
    await t.http().post(ROLES).send({ ...role('labelled'), metadata: { name: 'labelled', labels: { team: 'a' } } });
    const res = await t.http().get(`${ROLES}?labelSelector=team%3Da`);
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'RoleList');
    assert.equal(res.body.apiVersion, 'rbac.authorization.k8s.io/v1');
    assert.match(res.body.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['labelled']);
    assert.deepEqual(Object.keys(res.body.items[0]), ['metadata', 'rules']);
    const bad = await t.http().get(`${ROLES}?labelSelector=team%20a`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, "unable to parse requirement: found 'a', expected: in, notin, =, ==, !=, gt, lt");
    const field = await t.http().get(`${ROLES}?fieldSelector=rules=x`);
    assert.equal(field.status, 400);
    assert.equal(field.body.message, '"rules" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  test('unknown fields: 400 under fieldValidation=Strict, a Warning and dropped by default', async () => {
    const body = { ...role('unknown'), rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceName: ['x'] }] };
    const strict = await t.http().post(`${ROLES}?fieldValidation=Strict`).send(body);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'Role in version "v1" cannot be handled as a Role: strict decoding error: unknown field "rules[0].resourceName"');
    const warned = await t.http().post(ROLES).send(body);
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.warning, '299 - "unknown field \\"rules[0].resourceName\\""');
    assert.deepEqual(warned.body.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    const typed = await t.http().post(ROLES).send({ ...role('typed'), rules: [{ verbs: 'get' }] });
    assert.equal(typed.status, 400);
    assert.equal(typed.body.message, 'Role in version "v1" cannot be handled as a Role: json: cannot unmarshal string into Go struct field PolicyRule.rules.verbs of type []string');
    await t.http().delete(`${ROLES}/unknown`);
  });

  test('limit and continue page through a list', async () => {
    for (const n of ['p1', 'p2', 'p3']) await t.http().post(ROLES).send(role(n));
    const first = await t.http().get(`${ROLES}?limit=2`);
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.metadata.continue);
    assert.equal(typeof first.body.metadata.remainingItemCount, 'number');
    const rest = await t.http().get(`${ROLES}?limit=100&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    const all = [...first.body.items, ...rest.body.items].map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(all, ['labelled', 'p1', 'p2', 'p3', 'reader']);
    assert.equal(rest.body.metadata.continue, undefined);
  });
});

describe('patch', () => {
  const t = makeApp();
  before(async () => {
    await t.http().post(CM).send({ metadata: { name: 'p', labels: { a: '1' } }, data: { k: 'v', drop: 'me' } });
    await t.http().post(ROLES).send({ ...role('r'), rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }] });
  });

  test('JSON patch (RFC 6902): add, replace, remove, copy, move, test', async () => {
    const res = await t
      .http()
      .patch(`${CM}/p`)
      .set('Content-Type', 'application/json-patch+json')
      .send(
        JSON.stringify([
          { op: 'test', path: '/data/k', value: 'v' },
          { op: 'add', path: '/metadata/labels/b', value: '2' },
          { op: 'replace', path: '/data/k', value: 'v2' },
          { op: 'remove', path: '/data/drop' },
          { op: 'copy', from: '/data/k', path: '/data/copy' },
          { op: 'move', from: '/data/copy', path: '/data/moved' },
        ]),
      );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { k: 'v2', moved: 'v2' });
    assert.deepEqual(res.body.metadata.labels, { a: '1', b: '2' });
  });

  test('a JSON patch that does not apply is kube\'s generic 422', async () => {
    const res = await t.http().patch(`${CM}/p`).set('Content-Type', 'application/json-patch+json').send('[{"op":"test","path":"/data/k","value":"nope"}]');
    assert.equal(res.status, 422);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422 });
  });

  test('a JSON patch body that is not a list is 400', async () => {
    const res = await t.http().patch(`${CM}/p`).set('Content-Type', 'application/json-patch+json').send('{"op":"add"}');
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
  });

  test('merge patch (RFC 7386): null deletes, objects merge', async () => {
    const res = await t.http().patch(`${CM}/p`).set('Content-Type', 'application/merge-patch+json').send('{"metadata":{"labels":{"a":null}},"data":{"new":"x"}}');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.metadata.labels, { b: '2' });
    assert.deepEqual(res.body.data, { k: 'v2', moved: 'v2', new: 'x' });
  });

  test('strategic merge patch replaces RBAC rules as a merge patch does', async () => {
    const res = await t.http().patch(`${ROLES}/r`).set('Content-Type', 'application/strategic-merge-patch+json').send('{"rules":[{"verbs":["watch"],"apiGroups":[""],"resources":["pods"]}]}');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.rules, [{ verbs: ['watch'], apiGroups: [''], resources: ['pods'] }]);
  });

  test('a patch with a stale resourceVersion is 409; one that renames is 400; a missing object 404', async () => {
    const stale = await t.http().patch(`${CM}/p`).set('Content-Type', 'application/merge-patch+json').send('{"metadata":{"resourceVersion":"1"}}');
    assert.equal(stale.status, 409);
    const renamed = await t.http().patch(`${CM}/p`).set('Content-Type', 'application/merge-patch+json').send('{"metadata":{"name":"q"}}');
    assert.equal(renamed.status, 400);
    assert.equal(renamed.body.message, 'the name of the object (q) does not match the name on the URL (p)');
    const missing = await t.http().patch(`${CM}/none`).set('Content-Type', 'application/merge-patch+json').send('{}');
    assert.equal(missing.status, 404);
  });

  test('server-side apply and unknown patch types are 415', async () => {
    for (const type of ['application/apply-patch+yaml', 'application/json', 'text/plain']) {
      const res = await t.http().patch(`${CM}/p`).set('Content-Type', type).send('{}');
      assert.equal(res.status, 415, type);
      assert.equal(res.body.reason, 'UnsupportedMediaType');
      assert.equal(
        res.body.message,
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
      );
    }
  });
});

describe('watch', () => {
  const t = makeApp();
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer(t.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await t.http().post(CM).send({ metadata: { name: 'first' } });
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A watch event as the test reads it (the object's shape depends on the Accept header). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read back from the wire
  type WireEvent = { type: string; object: Record<string, any> };

  /** Opens a watch and collects its JSON lines. */
  /** Resolves when the server stops the next watch it opens on the store (the store's handle is stopped). */
  function nextWatchStopped(store: ObjectStore): Promise<void> {
    const watch = store.watch;
    return new Promise((resolve) => {
      store.watch = (...args) => {
        store.watch = watch;
        const handle = watch.apply(store, args);
        return {
          stop: () => {
            handle.stop();
            resolve();
          },
        };
      };
    });
  }

  function openWatch(path: string, headers: Record<string, string> = {}): Promise<{ res: IncomingMessage; events: WireEvent[]; next: (n: number) => Promise<void>; ended: Promise<void> }> {
    return new Promise((resolve, reject) => {
      const req = httpGet(`${base}${path}`, { headers }, (res) => {
        const events: WireEvent[] = [];
        let buffer = '';
        let waiters: { n: number; resolve: () => void }[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buffer.slice(0, nl)));
            buffer = buffer.slice(nl + 1);
          }
          waiters = waiters.filter((w) => (events.length >= w.n ? (w.resolve(), false) : true));
        });
        const ended = new Promise<void>((r) => res.on('end', () => r()));
        const next = (n: number) => new Promise<void>((r) => (events.length >= n ? r() : waiters.push({ n, resolve: r })));
        resolve({ res, events, next, ended });
      });
      req.on('error', reject);
    });
  }

  test('?watch=true streams the current objects as ADDED, then MODIFIED and DELETED', async () => {
    const w = await openWatch(`${CM}?watch=true`);
    assert.equal(w.res.statusCode, 200);
    assert.equal(w.res.headers['content-type'], 'application/json');
    assert.equal(w.res.headers['transfer-encoding'], 'chunked');
    await w.next(1);
    await t.http().post(CM).send({ metadata: { name: 'second' } });
    await t.http().patch(`${CM}/second`).set('Content-Type', 'application/merge-patch+json').send('{"data":{"a":"b"}}');
    await t.http().delete(`${CM}/second`);
    await w.next(4);
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED first', 'ADDED second', 'MODIFIED second', 'DELETED second']);
    assert.equal(w.events[0]!.object.kind, 'ConfigMap');
    w.res.destroy();
  });

  test('the legacy /watch/ path, from a resourceVersion, with bookmarks', async () => {
    const rv = (await t.http().get(CM)).body.metadata.resourceVersion;
    const w = await openWatch(`/api/v1/watch/namespaces/default/configmaps?resourceVersion=${rv}&allowWatchBookmarks=true`);
    await w.next(1);
    assert.equal(w.events[0]!.type, 'BOOKMARK');
    assert.deepEqual(w.events[0]!.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: rv, creationTimestamp: null } });
    await t.http().post(CM).send({ metadata: { name: 'third' } });
    await w.next(2);
    assert.deepEqual(w.events.map((e) => e.type), ['BOOKMARK', 'ADDED']);
    w.res.destroy();
  });

  test('a watch on one object\'s legacy path sees only that object', async () => {
    const w = await openWatch('/api/v1/watch/namespaces/default/configmaps/first');
    await w.next(1);
    await t.http().post(CM).send({ metadata: { name: 'fourth' } });
    await t.http().patch(`${CM}/first`).set('Content-Type', 'application/merge-patch+json').send('{"data":{"x":"y"}}');
    await w.next(2);
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED first', 'MODIFIED first']);
    w.res.destroy();
  });

  test('timeoutSeconds ends the stream cleanly', async () => {
    const w = await openWatch(`${CM}?watch=true&timeoutSeconds=1&labelSelector=none%3Dsuch`);
    await w.ended;
    assert.deepEqual(w.events, []);
  });

  test('a resourceVersion older than the history is an ERROR event with a 410 Status', async () => {
    const small = makeApp({ store: { historySize: 2 } });
    for (const n of ['a', 'b', 'c']) await small.http().post(CM).send({ metadata: { name: n } });
    const res = await small.http().get(`${CM}?watch=true&resourceVersion=1`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), {
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (5)', reason: 'Expired', code: 410 },
    });
  });

  test('a client going away stops the watch: no listener or timer left', async () => {
    const before = t.store.debugCounts().watchers;
    const stopped = nextWatchStopped(t.store);
    const w = await openWatch(`${CM}?watch=true&allowWatchBookmarks=true`);
    await w.next(1);
    assert.equal(t.store.debugCounts().watchers, before + 1);
    w.res.destroy();
    await stopped;
    assert.deepEqual(t.store.debugCounts(), { watchers: before, timers: 0, waiting: 0 });
  });

  test('watch with kubectl\'s Accept: Table events, column definitions on the first only', async () => {
    const w = await openWatch(`${CM}?watch=true`, { Accept: KUBECTL_ACCEPT });
    await w.next(2);
    assert.equal(w.events[0]!.object.kind, 'Table');
    assert.ok(Array.isArray(w.events[0]!.object.columnDefinitions));
    assert.equal(w.events[1]!.object.columnDefinitions, null);
    assert.equal(w.events[0]!.object.rows[0].object.kind, 'PartialObjectMetadata');
    w.res.destroy();
  });

  test('deleting a namespace, as watchers see it: MODIFIED Terminating, its content DELETED, then the namespace DELETED', async () => {
    assert.equal((await t.http().post('/api/v1/namespaces').send({ metadata: { name: 'watched' } })).status, 201);
    assert.equal((await t.http().post('/api/v1/namespaces/watched/configmaps').send({ metadata: { name: 'inside' } })).status, 201);
    const namespaces = await openWatch('/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Dwatched');
    const content = await openWatch('/api/v1/namespaces/watched/configmaps?watch=true');
    await namespaces.next(1);
    await content.next(1);
    const del = await t.http().delete('/api/v1/namespaces/watched');
    assert.equal(del.status, 200);
    await namespaces.next(3);
    await content.next(2);
    assert.deepEqual(namespaces.events.map((e) => `${e.type} ${e.object.status.phase}`), ['ADDED Active', 'MODIFIED Terminating', 'DELETED Terminating']);
    assert.deepEqual(content.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED inside', 'DELETED inside']);
    // The DELETE answers with the namespace as marked, before the controller's deletes.
    assert.equal(del.body.metadata.resourceVersion, namespaces.events[1]!.object.metadata.resourceVersion);
    assert.ok(Number(content.events[1]!.object.metadata.resourceVersion) < Number(namespaces.events[2]!.object.metadata.resourceVersion));
    namespaces.res.destroy();
    content.res.destroy();
  });
});

describe('Table output for kubectl', () => {
  const t = makeApp();
  before(async () => {
    await t.http().post(CM).send({ metadata: { name: 'tab' }, data: { a: '1', b: '2' } });
    await t.http().post(ROLES).send(role('tab'));
  });

  test('configmaps: Name, Data, Age, with PartialObjectMetadata rows', async () => {
    const res = await t.http().get(CM).set('Accept', KUBECTL_ACCEPT);
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'Table');
    assert.equal(res.body.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(res.body.columnDefinitions.map((c: { name: string; type: string; format: string; priority: number }) => [c.name, c.type, c.format, c.priority]), [
      ['Name', 'string', 'name', 0],
      ['Data', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
    const row = res.body.rows[0];
    assert.equal(row.cells[0], 'tab');
    assert.equal(row.cells[1], 2);
    assert.match(row.cells[2], /^\d+s$/);
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    assert.equal(row.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(row.object.metadata.name, 'tab');
    assert.equal(row.object.data, undefined);
  });

  test('roles use kube\'s default convertor: Name and Created At; includeObject=Object and None', async () => {
    const res = await t.http().get(`${ROLES}/tab?includeObject=Object`).set('Accept', KUBECTL_ACCEPT);
    assert.deepEqual(res.body.columnDefinitions.map((c: { name: string; type: string }) => [c.name, c.type]), [
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    assert.deepEqual(res.body.rows[0].cells, ['tab', res.body.rows[0].object.metadata.creationTimestamp]);
    assert.equal(res.body.rows[0].object.kind, 'Role');
    assert.deepEqual(res.body.metadata, { resourceVersion: res.body.rows[0].object.metadata.resourceVersion });
    const none = await t.http().get(ROLES).query({ includeObject: 'None' }).set('Accept', KUBECTL_ACCEPT);
    assert.equal(none.body.rows[0].object, undefined);
    const bad = await t.http().get(ROLES).query({ includeObject: 'Everything' }).set('Accept', KUBECTL_ACCEPT);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'unrecognized includeObject value: "Everything"');
  });

  test('rolebindings: Name, Role, Age and the wide columns', async () => {
    await t
      .http()
      .post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings')
      .send({ metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tab' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'default' }] });
    const res = await t.http().get('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings').set('Accept', KUBECTL_ACCEPT);
    assert.deepEqual(res.body.columnDefinitions.map((c: { name: string; priority: number }) => [c.name, c.priority]), [
      ['Name', 0],
      ['Role', 0],
      ['Age', 0],
      ['Users', 1],
      ['Groups', 1],
      ['ServiceAccounts', 1],
    ]);
    const cells = res.body.rows[0].cells;
    assert.deepEqual([cells[0], cells[1], cells[3], cells[4], cells[5]], ['rb', 'Role/tab', 'jane', '', 'default/sa']);
  });

  test('namespaces: Name, Status, Age', async () => {
    const res = await t.http().get('/api/v1/namespaces/default').set('Accept', KUBECTL_ACCEPT);
    assert.deepEqual(res.body.rows[0].cells.slice(0, 2), ['default', 'Active']);
  });

  test('plain JSON when the client does not ask for a Table', async () => {
    assert.equal((await t.http().get(CM).set('Accept', 'application/json')).body.kind, 'ConfigMapList');
  });
});

describe('namespaces over HTTP', () => {
  const t = makeApp();

  test('create, fill, delete (everything inside goes too, the namespace comes back Terminating); default is immortal', async () => {
    const ns = await t.http().post('/api/v1/namespaces').send({ metadata: { name: 'dev' } });
    assert.equal(ns.status, 201);
    assert.deepEqual(ns.body.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.body.metadata.labels, { 'kubernetes.io/metadata.name': 'dev' });
    assert.equal((await t.http().post('/api/v1/namespaces/dev/configmaps').send({ metadata: { name: 'x' } })).status, 201);
    const del = await t.http().delete('/api/v1/namespaces/dev');
    assert.equal(del.status, 200);
    assert.equal(del.body.kind, 'Namespace');
    assert.equal(del.body.status.phase, 'Terminating');
    assert.equal((await t.http().get('/api/v1/namespaces/dev/configmaps/x')).status, 404);
    const immortal = await t.http().delete('/api/v1/namespaces/default');
    assert.equal(immortal.status, 403);
    assert.equal(immortal.body.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
  });

  test('a RoleBinding admitted while its namespace is deleted does not outlive the namespace (the controller deletes late content, as kube\'s deleteAllContent does)', async () => {
    // The kind's own admission (RBAC's escalation check asks the authorizer) awaits; the namespace goes meanwhile.
    let admitted!: () => void;
    const inAdmission = new Promise<void>((resolve) => (admitted = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const racing = makeApp({ admit: async () => { admitted(); await gate; } });
    assert.equal((await racing.http().post('/api/v1/namespaces').send({ metadata: { name: 'racing' } })).status, 201);
    const create = racing.http().post('/apis/rbac.authorization.k8s.io/v1/namespaces/racing/rolebindings')
      .send({ metadata: { name: 'late' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', name: 'mallory' }] })
      .then((res) => res);
    await inAdmission;
    assert.equal((await racing.http().delete('/api/v1/namespaces/racing')).status, 200);
    release();
    await create;
    // Re-creating the namespace must not bring back a binding its deletion should have taken.
    assert.equal((await racing.http().post('/api/v1/namespaces').send({ metadata: { name: 'racing' } })).status, 201);
    const left = await racing.http().get('/apis/rbac.authorization.k8s.io/v1/namespaces/racing/rolebindings');
    assert.deepEqual(left.body.items, []);
    assert.equal(racing.store.list(roleBindingType).items.filter((r) => r.metadata.namespace === 'racing').length, 0);
  });

  test('pods and serviceaccounts return the deleted object', async () => {
    for (const [path, body] of [
      ['/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'sa' } }],
      ['/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }],
    ] as const) {
      const created = await t.http().post(path).send(body);
      assert.equal(created.status, 201, created.text);
      const res = await t.http().delete(`${path}/${body.metadata.name}`);
      assert.equal(res.status, 200, res.text);
      // The object as stored, whole (kind, uid, spec); its resourceVersion is left out of the comparison: which
      // revision kube's etcd3 store stamps on a deleted object is not what this test is about.
      const withoutRv = (o: { metadata: Record<string, unknown> }) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
      assert.deepEqual(withoutRv(res.body), withoutRv(created.body));
      assert.equal((await t.http().get(`${path}/${body.metadata.name}`)).status, 404);
    }
  });
});

describe('discovery and admission', () => {
  test('discovery lists the kinds with kube\'s verbs, short names and categories', async () => {
    const t = makeApp();
    const core = await t.http().get('/api/v1');
    const byName = Object.fromEntries(core.body.resources.map((r: { name: string }) => [r.name, r]));
    assert.deepEqual(Object.keys(byName), ['configmaps', 'namespaces', 'nodes', 'pods', 'secrets', 'serviceaccounts']);
    assert.deepEqual(byName.pods.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    assert.deepEqual(byName.pods.shortNames, ['po']);
    assert.deepEqual(byName.pods.categories, ['all']);
    assert.deepEqual(byName.namespaces.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    assert.equal(byName.namespaces.namespaced, false);
    const rbac = await t.http().get('/apis/rbac.authorization.k8s.io/v1');
    assert.deepEqual(rbac.body.resources.map((r: { name: string }) => r.name), ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']);
    const groups = await t.http().get('/apis');
    assert.ok(groups.body.groups.some((g: { name: string }) => g.name === 'rbac.authorization.k8s.io'));
  });

  test('the admit hook sees create, update and delete, and its StatusError is the answer', async () => {
    const seen: string[] = [];
    const t = makeApp({
      admit: async ({ operation, object, oldObject }) => {
        seen.push(`${operation} ${object.metadata.name} ${oldObject === undefined ? 'new' : 'old'}`);
        if (object.metadata.name === 'escalate') throw forbidden({ group: 'rbac.authorization.k8s.io', resource: 'roles' }, 'escalate', 'user "x" is attempting to grant RBAC permissions not currently held');
      },
    });
    assert.equal((await t.http().post(ROLES).send(role('ok'))).status, 201);
    assert.equal((await t.http().put(`${ROLES}/ok`).send(role('ok', ['list']))).status, 200);
    assert.equal((await t.http().delete(`${ROLES}/ok`)).status, 200);
    const refused = await t.http().post(ROLES).send(role('escalate'));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, 'roles.rbac.authorization.k8s.io "escalate" is forbidden: user "x" is attempting to grant RBAC permissions not currently held');
    assert.equal(t.store.find(roleType, 'default', 'escalate'), undefined);
    assert.deepEqual(seen, ['create ok new', 'update ok old', 'delete ok old', 'create escalate new']);
  });

  test('dryRun=All writes nothing; an unsupported dryRun is 422 on CreateOptions', async () => {
    const t = makeApp();
    const dry = await t.http().post(`${CM}?dryRun=All`).send({ metadata: { name: 'dry' } });
    assert.equal(dry.status, 201);
    assert.equal((await t.http().get(`${CM}/dry`)).status, 404);
    const bad = await t.http().post(`${CM}?dryRun=Some`).send({ metadata: { name: 'dry' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.message, 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"');
  });

  test('dryRun=All given twice is still a dry run (ValidateDryRun asks only that every value be All)', async () => {
    const t = makeApp();
    const dry = await t.http().post(`${CM}?dryRun=All&dryRun=All`).send({ metadata: { name: 'dry-twice' } });
    assert.equal(dry.status, 201);
    assert.equal((await t.http().get(`${CM}/dry-twice`)).status, 404);
  });

  // handlers/delete.go: a DeleteOptions body is decoded into metav1.DeleteOptions (a type error is returned as it
  // is: ErrorToAPIStatus's 500) and checked by ValidateDeleteOptions (422), before anything is deleted.
  const badDeleteOptions: { name: string; body: unknown; code: number; message: string }[] = [
    { name: 'an unsupported dryRun value', body: { dryRun: ['Foo'] }, code: 422, message: 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Foo"}: supported values: "All"' },
    { name: 'dryRun All next to another value', body: { dryRun: ['All', 'Foo'] }, code: 422, message: 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "Foo"}: supported values: "All"' },
    { name: 'dryRun as a string', body: { dryRun: 'All' }, code: 500, message: 'json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string' },
    { name: 'an unknown propagationPolicy', body: { propagationPolicy: 'Sideways' }, code: 422, message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"' },
    { name: 'orphanDependents with a propagationPolicy', body: { orphanDependents: true, propagationPolicy: 'Orphan' }, code: 422, message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set' },
  ];
  for (const c of badDeleteOptions) {
    test(`DELETE with ${c.name} in its DeleteOptions is kube's ${c.code} and deletes nothing`, async () => {
      const t = makeApp();
      assert.equal((await t.http().post(CM).send({ metadata: { name: 'kept' } })).status, 201);
      for (const path of [`${CM}/kept`, CM, '/api/v1/namespaces/kube-node-lease']) {
        const res = await t.http().delete(path).send(c.body as object);
        assert.deepEqual({ code: res.status, message: res.body.message }, { code: c.code, message: c.message }, path);
      }
      assert.equal((await t.http().get(`${CM}/kept`)).status, 200);
      assert.equal((await t.http().get('/api/v1/namespaces/kube-node-lease')).body.status.phase, 'Active');
    });
  }
});
