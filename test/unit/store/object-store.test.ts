// The object store's semantics, as kube-apiserver's generic registry and watch cache have them: system fields,
// kube's 404/409/422 bodies, namespace lifecycle, resourceVersion preconditions, watch replay, 410, bookmarks and
// listener cleanup.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { configMapType } from '../../../src/api/groups/core/configmaps.js';
import { deleteNamespace, namespaceType } from '../../../src/api/groups/core/namespaces.js';
import { podType } from '../../../src/api/groups/core/pods.js';
import { secretType } from '../../../src/api/groups/core/secrets.js';
import { createApiStore } from '../../../src/api/groups/index.js';
import { roleBindingType, roleType } from '../../../src/api/groups/rbac.js';
import { StatusError } from '../../../src/apimachinery/status.js';
import { ObjectStore } from '../../../src/store/object-store.js';
import type { KubeObject } from '../../../src/apimachinery/object.js';
import type { StoreChange, WatchEvent } from '../../../src/store/types.js';

/** A store as the server has it: every API group's kinds, the initial namespaces and the namespace controller. */
function newStore(options: ConstructorParameters<typeof ObjectStore>[0] = {}): ObjectStore {
  return createApiStore(options);
}

const cm = (name: string, namespace = 'default', extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, ...extra });
const role = (name: string, namespace = 'default'): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, namespace },
  rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
});

/** The Status a StatusError carries, for deepEqual against kube's bodies. */
function statusOf(fn: () => unknown): StatusError['status'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  assert.fail('expected a StatusError');
}

describe('ObjectStore: create', () => {
  test('the initial namespaces exist, one resourceVersion each', () => {
    const store = newStore();
    const names = store.list(namespaceType).items.map((n) => [n.metadata.name, n.metadata.resourceVersion]);
    assert.deepEqual(names, [
      ['default', '1'],
      ['kube-node-lease', '4'],
      ['kube-public', '3'],
      ['kube-system', '2'],
    ]);
    const ns = store.get(namespaceType, '', 'default');
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'default' });
  });

  test('fills uid, resourceVersion and creationTimestamp, in kube key order, frozen', () => {
    const store = newStore();
    const obj = store.create(configMapType, cm('a', 'default', { data: { z: '1', a: '2' }, metadata: { name: 'a', namespace: 'default', uid: 'mine', labels: { b: '1', a: '2' } } }));
    assert.match(obj.metadata.uid!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(obj.metadata.uid, 'mine');
    assert.equal(obj.metadata.resourceVersion, '5');
    assert.match(String(obj.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(Object.keys(obj), ['kind', 'apiVersion', 'metadata', 'data']);
    assert.deepEqual(Object.keys(obj.metadata), ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'labels']);
    assert.deepEqual(Object.keys(obj.metadata.labels!), ['a', 'b']);
    assert.deepEqual(Object.keys(obj.data as object), ['a', 'z']);
    assert.ok(Object.isFrozen(obj) && Object.isFrozen(obj.metadata));
    assert.equal(store.resourceVersion(), '5');
  });

  test('generation is 1 for pods, absent for configmaps', () => {
    const store = newStore();
    const pod = store.create(podType, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(pod.metadata.generation, 1);
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
    assert.equal(store.create(configMapType, cm('a')).metadata.generation, undefined);
  });

  test('generateName appends five characters of kube\'s alphabet', () => {
    const store = newStore();
    const obj = store.create(configMapType, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-', namespace: 'default' } });
    assert.match(obj.metadata.name!, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(obj.metadata.generateName, 'gen-');
  });

  test('AlreadyExists is kube\'s 409', () => {
    const store = newStore();
    store.create(roleType, role('x'));
    assert.deepEqual(
      statusOf(() => store.create(roleType, role('x'))),
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'roles.rbac.authorization.k8s.io "x" already exists',
        reason: 'AlreadyExists',
        details: { name: 'x', group: 'rbac.authorization.k8s.io', kind: 'roles' },
        code: 409,
      },
    );
  });

  test('names: DNS-1123 subdomain for configmaps, path segments for RBAC', () => {
    const store = newStore();
    assert.deepEqual(
      statusOf(() => store.create(configMapType, cm('Bad_Name'))),
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        reason: 'Invalid',
        details: {
          name: 'Bad_Name',
          kind: 'ConfigMap',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message:
                "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
              field: 'metadata.name',
            },
          ],
        },
        code: 422,
      },
    );
    // kube's RBAC kinds only need names that are safe path segments.
    assert.equal(store.create(roleType, role('Bad_Name:ok')).metadata.name, 'Bad_Name:ok');
    const status = statusOf(() => store.create(roleType, role('a%b')));
    assert.equal(status.message, 'Role.rbac.authorization.k8s.io "a%b" is invalid: metadata.name: Invalid value: "a%b": may not contain \'%\'');
    assert.deepEqual(status.details, {
      name: 'a%b',
      group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "a%b": may not contain \'%\'', field: 'metadata.name' }],
    });
    assert.equal(statusOf(() => store.create(namespaceType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } })).message, 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots');
  });

  test('several errors are bracketed, each a cause; the kind\'s own validation follows metadata\'s', () => {
    const store = newStore();
    const status = statusOf(() => store.create(roleType, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'] }] }));
    assert.equal(status.message, 'Role.rbac.authorization.k8s.io "" is invalid: [metadata.name: Required value: name or generateName is required, rules[0].verbs: Required value: verbs must contain at least one value]');
    assert.deepEqual(status.details?.causes?.map((c) => [c.reason, c.field]), [
      ['FieldValueRequired', 'metadata.name'],
      ['FieldValueRequired', 'rules[0].verbs'],
    ]);
  });

  test('each kind is registered once: a second registration is an error', () => {
    const store = newStore();
    assert.throws(() => store.register(configMapType), { message: 'object store: kind configmaps. is registered twice' });
  });

  test('secrets: stringData folds into data, type defaults to Opaque', () => {
    const store = newStore();
    const s = store.create(secretType, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, stringData: { user: 'admin' } });
    assert.deepEqual(s.data, { user: 'YWRtaW4=' });
    assert.equal(s.type, 'Opaque');
    assert.equal(s.stringData, undefined);
  });

  test('dryRun validates but writes nothing', () => {
    const store = newStore();
    const obj = store.create(configMapType, cm('a'), { dryRun: true });
    assert.equal(obj.metadata.resourceVersion, undefined);
    assert.equal(store.find(configMapType, 'default', 'a'), undefined);
    assert.equal(store.resourceVersion(), '4');
  });
});

describe('ObjectStore: update and delete', () => {
  test('a stale resourceVersion is kube\'s 409 Conflict', () => {
    const store = newStore();
    const first = store.create(roleType, role('x'));
    store.update(roleType, { ...role('x'), metadata: { ...role('x').metadata, resourceVersion: first.metadata.resourceVersion, labels: { a: 'b' } } });
    assert.deepEqual(
      statusOf(() => store.update(roleType, { ...role('x'), metadata: { ...role('x').metadata, resourceVersion: first.metadata.resourceVersion } })),
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Operation cannot be fulfilled on roles.rbac.authorization.k8s.io "x": the object has been modified; please apply your changes to the latest version and try again',
        reason: 'Conflict',
        details: { name: 'x', group: 'rbac.authorization.k8s.io', kind: 'roles' },
        code: 409,
      },
    );
  });

  test('no resourceVersion: an unconditional update that keeps uid, creationTimestamp and generation', () => {
    const store = newStore();
    const created = store.create(podType, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'a' }] } });
    const updated = store.update(podType, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { x: 'y' } }, spec: { containers: [{ name: 'c', image: 'b' }] }, status: { phase: 'Running' } });
    assert.equal(updated.metadata.uid, created.metadata.uid);
    assert.equal(updated.metadata.creationTimestamp, created.metadata.creationTimestamp);
    assert.equal(updated.metadata.generation, 2);
    assert.deepEqual(updated.status, created.status, 'status changes only through /status');
    assert.equal(Number(updated.metadata.resourceVersion), Number(created.metadata.resourceVersion) + 1);
  });

  test('an update that changes nothing writes nothing', () => {
    const store = newStore();
    const created = store.create(configMapType, cm('a', 'default', { data: { k: 'v' } }));
    const events: StoreChange[] = [];
    store.onChange((c) => events.push(c));
    const same = store.update(configMapType, cm('a', 'default', { data: { k: 'v' } }));
    assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(events.length, 0);
  });

  test('404, 422 for a resourceVersion that is not a number, and immutable uid', () => {
    const store = newStore();
    assert.equal(statusOf(() => store.update(roleType, role('nope'))).message, 'roles.rbac.authorization.k8s.io "nope" not found');
    store.create(roleType, role('x'));
    const bad = statusOf(() => store.update(roleType, { ...role('x'), metadata: { name: 'x', namespace: 'default', resourceVersion: 'abc' } }));
    assert.equal(bad.code, 422);
    assert.equal(bad.message, 'roles.rbac.authorization.k8s.io "x" is invalid: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
    const uid = statusOf(() => store.update(roleType, { ...role('x'), metadata: { name: 'x', namespace: 'default', uid: 'other' } }));
    assert.equal(uid.message, 'Role.rbac.authorization.k8s.io "x" is invalid: metadata.uid: Invalid value: "other": field is immutable');
  });

  test('roleRef cannot change', () => {
    const store = newStore();
    const rb = (roleName: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'User', name: 'jane' }],
    });
    const created = store.create(roleBindingType, rb('a'));
    assert.deepEqual(created.subjects, [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }], 'v1 defaulting');
    assert.equal(
      statusOf(() => store.update(roleBindingType, rb('b'))).message,
      'RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
    );
  });

  test('delete returns the last state with the deletion\'s resourceVersion; preconditions are 409', () => {
    const store = newStore();
    const created = store.create(configMapType, cm('a'));
    assert.equal(
      statusOf(() => store.delete(configMapType, 'default', 'a', { preconditions: { uid: 'x' } })).message,
      `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: x, UID in object meta: ${created.metadata.uid}`,
    );
    const deleted = store.delete(configMapType, 'default', 'a', { preconditions: { uid: created.metadata.uid! } });
    assert.equal(Number(deleted.metadata.resourceVersion), Number(created.metadata.resourceVersion) + 1);
    assert.equal(store.find(configMapType, 'default', 'a'), undefined);
    assert.equal(statusOf(() => store.delete(configMapType, 'default', 'a')).message, 'configmaps "a" not found');
  });

  test('deleting a namespace marks it Terminating; the namespace controller deletes what is in it, then the namespace', () => {
    const store = newStore();
    store.create(namespaceType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    store.create(configMapType, cm('a', 'dev'));
    store.create(roleType, role('r', 'dev'));
    store.create(configMapType, cm('keep'));
    const events: string[] = [];
    store.onChange((c) => events.push(`${c.event.type} ${c.type.resource} ${c.event.object.metadata.name} ${c.event.object.metadata.resourceVersion}`));
    const ns = deleteNamespace(store, namespaceType, '', 'dev', {});
    assert.equal((ns.status as { phase: string }).phase, 'Terminating');
    assert.ok(typeof ns.metadata.deletionTimestamp === 'string');
    // namespace/storage/storage.go Delete, then the controller's deleteAllContent, every listener in resourceVersion order.
    assert.deepEqual(events, ['MODIFIED namespaces dev 9', 'DELETED configmaps a 10', 'DELETED roles r 11', 'DELETED namespaces dev 12']);
    assert.equal(store.find(namespaceType, '', 'dev'), undefined);
    assert.equal(store.list(configMapType, { namespace: 'dev' }).items.length, 0);
    assert.equal(store.list(configMapType).items.length, 1);
  });

  test('a namespace still finalizing is kube\'s 409 to a second delete; dryRun marks nothing', () => {
    // A store without the namespace controller, so the namespace stays Terminating.
    const store = new ObjectStore();
    store.register(namespaceType);
    store.create(namespaceType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    const dry = deleteNamespace(store, namespaceType, '', 'dev', { dryRun: true });
    assert.equal((dry.status as { phase: string }).phase, 'Terminating');
    assert.equal((store.get(namespaceType, '', 'dev').status as { phase: string }).phase, 'Active');
    deleteNamespace(store, namespaceType, '', 'dev', {});
    assert.deepEqual(statusOf(() => deleteNamespace(store, namespaceType, '', 'dev', {})), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Operation cannot be fulfilled on namespaces "dev": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      reason: 'Conflict',
      details: { name: 'dev', kind: 'namespaces' },
      code: 409,
    });
  });
});

describe('ObjectStore: list', () => {
  test('namespace, label and field selectors; kube\'s 400 for bad ones', () => {
    const store = newStore();
    store.create(configMapType, cm('a', 'default', { metadata: { name: 'a', namespace: 'default', labels: { app: 'web', tier: 'front' } } }));
    store.create(configMapType, cm('b', 'default', { metadata: { name: 'b', namespace: 'default', labels: { app: 'db' } } }));
    store.create(configMapType, cm('c', 'kube-system', { metadata: { name: 'c', namespace: 'kube-system', labels: { app: 'web' } } }));
    const names = (opts: Parameters<ObjectStore['list']>[1]) => store.list(configMapType, opts).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    assert.deepEqual(names({}), ['default/a', 'default/b', 'kube-system/c']);
    assert.deepEqual(names({ namespace: 'default' }), ['default/a', 'default/b']);
    assert.deepEqual(names({ labelSelector: 'app=web' }), ['default/a', 'kube-system/c']);
    assert.deepEqual(names({ labelSelector: 'app in (web,db),!tier' }), ['default/b', 'kube-system/c']);
    assert.deepEqual(names({ labelSelector: 'app notin (web)' }), ['default/b']);
    assert.deepEqual(names({ fieldSelector: 'metadata.name!=a' }), ['default/b', 'kube-system/c']);
    assert.deepEqual(names({ fieldSelector: 'metadata.namespace==kube-system' }), ['kube-system/c']);
    assert.deepEqual(statusOf(() => store.list(configMapType, { labelSelector: 'a b' })), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
      reason: 'BadRequest',
      code: 400,
    });
    assert.equal(statusOf(() => store.list(configMapType, { fieldSelector: 'data.x=1' })).message, '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
    assert.equal(statusOf(() => store.list(namespaceType, { fieldSelector: 'metadata.namespace=x' })).message, 'field label not supported: metadata.namespace');
  });

  test('kind field selectors: pods by status.phase and spec.nodeName, secrets by type', () => {
    const store = newStore();
    store.create(podType, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'a' }] } });
    assert.equal(store.list(podType, { fieldSelector: 'spec.nodeName=n1,status.phase=Pending' }).items.length, 1);
    assert.equal(store.list(podType, { fieldSelector: 'status.phase=Running' }).items.length, 0);
    store.create(secretType, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==', 'tls.key': 'Yg==' } });
    assert.equal(store.list(secretType, { fieldSelector: 'type=kubernetes.io/tls' }).items.length, 1);
    assert.equal(store.list(namespaceType, { fieldSelector: 'status.phase=Active' }).items.length, 4);
  });
});

describe('ObjectStore: watch', () => {
  function collect(): { events: WatchEvent[]; listener: (e: WatchEvent) => void; summary: () => string[]; until: (n: number) => Promise<void> } {
    const events: WatchEvent[] = [];
    const waiters: { n: number; resolve: () => void }[] = [];
    return {
      events,
      listener: (e) => {
        events.push(e);
        for (const w of waiters.filter((w) => events.length === w.n)) w.resolve();
      },
      summary: () => events.map((e) => `${e.type} ${e.object.metadata.name ?? ''} ${e.object.metadata.resourceVersion ?? ''}`),
      /** Resolves once the watch has delivered its n-th event (before a timer could deliver another). */
      until: async (n) => {
        // The store's timers are unref'd, as a server's should be: hold the event loop open while waiting.
        const keepAlive = setInterval(() => {}, 1 << 30);
        try {
          await new Promise<void>((resolve) => (events.length >= n ? resolve() : waiters.push({ n, resolve })));
        } finally {
          clearInterval(keepAlive);
        }
      },
    };
  }

  test('no resourceVersion: the current objects as ADDED, then live events', () => {
    const store = newStore();
    store.create(configMapType, cm('a'));
    const c = collect();
    const w = store.watch(configMapType, {}, c.listener);
    store.create(configMapType, cm('b'));
    store.update(configMapType, cm('b', 'default', { data: { x: 'y' } }));
    store.delete(configMapType, 'default', 'b');
    w.stop();
    store.create(configMapType, cm('c'));
    assert.deepEqual(c.summary(), ['ADDED a 5', 'ADDED b 6', 'MODIFIED b 7', 'DELETED b 8']);
  });

  test('from a resourceVersion: the history after it, then live', () => {
    const store = newStore();
    const a = store.create(configMapType, cm('a'));
    store.create(configMapType, cm('b'));
    store.delete(configMapType, 'default', 'a');
    const c = collect();
    const w = store.watch(configMapType, { resourceVersion: a.metadata.resourceVersion! }, c.listener);
    store.create(configMapType, cm('c'));
    w.stop();
    assert.deepEqual(c.summary(), ['ADDED b 6', 'DELETED a 7', 'ADDED c 8']);
  });

  test('selectors: an object that starts or stops matching is ADDED or DELETED for the watcher', () => {
    const store = newStore();
    const c = collect();
    const w = store.watch(configMapType, { namespace: 'default', labelSelector: 'app=web' }, c.listener);
    store.create(configMapType, cm('a', 'default', { metadata: { name: 'a', namespace: 'default', labels: { app: 'db' } } }));
    store.update(configMapType, cm('a', 'default', { metadata: { name: 'a', namespace: 'default', labels: { app: 'web' } } }));
    store.update(configMapType, cm('a', 'default', { metadata: { name: 'a', namespace: 'default', labels: { app: 'web' } }, data: { k: 'v' } }));
    store.update(configMapType, cm('a', 'default', { metadata: { name: 'a', namespace: 'default', labels: { app: 'db' } } }));
    store.create(configMapType, cm('b', 'kube-system', { metadata: { name: 'b', namespace: 'kube-system', labels: { app: 'web' } } }));
    w.stop();
    assert.deepEqual(c.summary(), ['ADDED a 6', 'MODIFIED a 7', 'DELETED a 8']);
    // The DELETED object is the previous content (still labelled app=web) at the event's resourceVersion.
    assert.deepEqual(c.events[2]!.object.metadata.labels, { app: 'web' });
  });

  test('a resourceVersion older than the history is one ERROR event: 410 Expired, too old resource version', () => {
    const store = newStore({ historySize: 3 });
    for (const n of ['a', 'b', 'c', 'd']) store.create(configMapType, cm(n));
    const c = collect();
    store.watch(configMapType, { resourceVersion: '2' }, c.listener);
    assert.deepEqual(c.events, [
      {
        type: 'ERROR',
        object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 2 (5)', reason: 'Expired', code: 410 },
      },
    ]);
    assert.deepEqual(store.debugCounts(), { watchers: 0, timers: 0, waiting: 0 });
    // Just inside the history is fine.
    const ok = collect();
    store.watch(configMapType, { resourceVersion: '5' }, ok.listener).stop();
    assert.deepEqual(ok.summary(), ['ADDED b 6', 'ADDED c 7', 'ADDED d 8']);
  });

  test('an invalid resourceVersion is kube\'s 422', () => {
    const store = newStore();
    const status = statusOf(() => store.watch(configMapType, { resourceVersion: 'x' }, () => {}));
    assert.equal(status.message, 'configmaps "" is invalid: resourceVersion: Invalid value: "x": strconv.ParseUint: parsing "x": invalid syntax');
  });

  test('a future resourceVersion waits for the store to reach it, then replays', () => {
    const store = newStore();
    const c = collect();
    const w = store.watch(configMapType, { resourceVersion: '6' }, c.listener);
    store.create(configMapType, cm('a'));
    assert.deepEqual(c.summary(), []);
    store.create(configMapType, cm('b'));
    store.create(configMapType, cm('c'));
    w.stop();
    assert.deepEqual(c.summary(), ['ADDED c 7']);
  });

  test('a future resourceVersion never reached: ERROR 504 Too large resource version', async () => {
    const store = newStore({ futureResourceVersionWaitMs: 20 });
    const c = collect();
    store.watch(configMapType, { resourceVersion: '100' }, c.listener);
    await c.until(1);
    assert.equal(c.events.length, 1);
    assert.equal(c.events[0]!.type, 'ERROR');
    assert.deepEqual(c.events[0]!.object, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Timeout: Too large resource version: 100, current: 4',
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      code: 504,
    });
    assert.deepEqual(store.debugCounts(), { watchers: 0, timers: 0, waiting: 0 });
  });

  test('bookmarks: one after the initial events, then periodically; an object of the kind with only its resourceVersion', async () => {
    const store = newStore({ bookmarkIntervalMs: 15 });
    store.create(roleType, role('r'));
    const c = collect();
    const w = store.watch(roleType, { allowBookmarks: true }, c.listener);
    assert.deepEqual(c.events.map((e) => e.type), ['ADDED', 'BOOKMARK']);
    assert.deepEqual(c.events[1]!.object, { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { resourceVersion: '5', creationTimestamp: null }, rules: null });
    // The first bookmark and two periodic ones, each with the store's current resourceVersion.
    await c.until(4);
    assert.deepEqual(c.events.map((e) => e.type), ['ADDED', 'BOOKMARK', 'BOOKMARK', 'BOOKMARK']);
    assert.deepEqual(c.events[3], c.events[1]);
    assert.deepEqual(store.debugCounts(), { watchers: 1, timers: 1, waiting: 0 });
    w.stop();
    // No event after stop(): the watcher is gone from the store and its interval is cleared, so nothing is
    // left that could deliver one.
    assert.deepEqual(store.debugCounts(), { watchers: 0, timers: 0, waiting: 0 });
    assert.equal(c.events.length, 4);
  });

  test('sendInitialEvents: the initial-events-end bookmark', () => {
    const store = newStore();
    const c = collect();
    store.watch(configMapType, { sendInitialEvents: true, allowBookmarks: true }, c.listener).stop();
    assert.deepEqual(c.events, [{ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '4', creationTimestamp: null, annotations: { 'k8s.io/initial-events-end': 'true' } } } }]);
  });

  test('onChange is called synchronously for every write; its remover works; a throwing listener does not break writes and is reported as a process warning', async () => {
    const store = newStore();
    const seen: string[] = [];
    const off = store.onChange((c) => seen.push(`${c.event.type} ${c.type.kind} ${c.event.object.metadata.name}`));
    const offBad = store.onChange(() => {
      throw new Error('listener bug');
    });
    const warned = once(process, 'warning') as Promise<[Error]>;
    store.create(roleType, role('x'));
    assert.deepEqual(seen, ['ADDED Role x']);
    const [warning] = await warned;
    assert.match(warning.message, /^object store listener threw: Error: listener bug\n    at /);
    off();
    offBad();
    store.delete(roleType, 'default', 'x');
    assert.deepEqual(seen, ['ADDED Role x']);
  });

  test('a listener that writes is told of its own writes after the change it handles, as every other listener is', () => {
    const store = newStore();
    const first: string[] = [];
    const second: string[] = [];
    store.onChange((c) => {
      first.push(`${c.event.type} ${c.event.object.metadata.name}`);
      if (c.event.type === 'ADDED' && c.event.object.metadata.name === 'a') store.create(configMapType, cm('b'));
    });
    store.onChange((c) => second.push(`${c.event.type} ${c.event.object.metadata.name}`));
    store.create(configMapType, cm('a'));
    assert.deepEqual(first, ['ADDED a', 'ADDED b']);
    assert.deepEqual(second, ['ADDED a', 'ADDED b']);
  });
});
