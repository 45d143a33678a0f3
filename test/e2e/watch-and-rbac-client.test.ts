// Watches with real clients (kubectl get -w, client-node's informer), and RBAC through client-node's typed
// API: roles and bindings created as objects, then a user allowed and refused accordingly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { k8s } from '../helpers/client-node.js';
import { kubectlBinaries, tempDir } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

const server = useServer();
let tmp: Awaited<ReturnType<typeof tempDir>>;
let adminFile: string;
let admin: KubeConfig;

const kc = (yaml: string): KubeConfig => {
  const k = new k8s.KubeConfig();
  k.loadFromString(yaml);
  return k;
};
const configMap = (name: string, data: Record<string, string>): V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

before(async () => {
  const s = await server.ready();
  tmp = await tempDir('kam-watch-');
  const yaml = await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'cert' });
  adminFile = await tmp.write('admin.kubeconfig', yaml);
  admin = kc(yaml);
  await admin.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } } });
});
after(async () => {
  await tmp?.remove();
});

/** Text that arrives in pieces, with a promise for the moment it first matches a pattern. */
function growingText(): { readonly text: string; add(piece: string): void; until(pattern: RegExp): Promise<void>; fail(why: string): void } {
  let text = '';
  let failure: string | undefined;
  let waiters: { pattern: RegExp; resolve: () => void; reject: (err: Error) => void }[] = [];
  return {
    get text() {
      return text;
    },
    add(piece) {
      text += piece;
      waiters = waiters.filter((w) => (w.pattern.test(text) ? (w.resolve(), false) : true));
    },
    until(pattern) {
      return new Promise((resolve, reject) => {
        if (pattern.test(text)) resolve();
        else if (failure !== undefined) reject(new Error(`${failure} before ${pattern}; saw:\n${text}`));
        else waiters.push({ pattern, resolve, reject });
      });
    },
    // The source ended or failed: nothing more can arrive, so every pattern still awaited fails with what was seen.
    fail(why) {
      failure = why;
      for (const w of waiters.splice(0)) w.reject(new Error(`${why} before ${w.pattern}; saw:\n${text}`));
    },
  };
}

for (const { name, path } of kubectlBinaries()) {
  test(`${name} get -w shows objects created while it watches`, async () => {
    const core = admin.makeApiClient(k8s.CoreV1Api);
    const suffix = name.replace(/\./g, '-');
    const cm = `seen-by-${suffix}`;
    // An object that exists before kubectl starts: once kubectl prints it, its list is done, and the watch it
    // opens from the list's resourceVersion delivers everything created after, whenever the watch starts.
    const listed = `listed-by-${suffix}`;
    await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap(listed, { a: '1' }) });
    const child = spawn(path, ['--kubeconfig', adminFile, '--cache-dir', `${tmp.dir}/cache`, 'get', 'configmaps', '-n', 'watched', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = growingText();
    child.stdout.setEncoding('utf8').on('data', (d: string) => out.add(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => out.add(d));
    child.on('exit', (code) => out.fail(`kubectl exited with ${code}`));
    try {
      await out.until(new RegExp(`ADDED\\s+${listed}\\s+1\\s`));
      await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap(cm, { a: '1' }) });
      await out.until(new RegExp(`ADDED\\s+${cm}\\s+1\\s`));
      await core.deleteNamespacedConfigMap({ name: cm, namespace: 'watched' });
      await out.until(new RegExp(`DELETED\\s+${cm}\\s`));
    } finally {
      child.kill('SIGTERM');
      await core.deleteNamespacedConfigMap({ name: listed, namespace: 'watched' });
    }
  });
}

test('client-node informer sees add, update and delete', async () => {
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const informer = k8s.makeInformer(admin, '/api/v1/namespaces/watched/configmaps', () => core.listNamespacedConfigMap({ namespace: 'watched' }));
  const events = growingText();
  informer.on('add', (o) => events.add(`add ${o.metadata?.name}\n`));
  informer.on('update', (o) => events.add(`update ${o.metadata?.name} ${o.data?.k}\n`));
  informer.on('delete', (o) => events.add(`delete ${o.metadata?.name}\n`));
  informer.on('error', (err) => events.fail(`informer error ${String(err)}`));
  await informer.start();
  try {
    await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap('informed', { k: 'v1' }) });
    await events.until(/^add informed$/m);
    await core.replaceNamespacedConfigMap({ name: 'informed', namespace: 'watched', body: configMap('informed', { k: 'v2' }) });
    await events.until(/^update informed v2$/m);
    await core.deleteNamespacedConfigMap({ name: 'informed', namespace: 'watched' });
    await events.until(/^delete informed$/m);
    assert.equal(events.text, 'add informed\nupdate informed v2\ndelete informed\n');
  } finally {
    await informer.stop();
  }
});

test('client-node: RBAC objects created through the typed API allow and refuse as written', async () => {
  const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({
    namespace: 'watched',
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: 'watched',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'lee-reads' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'lee' }],
    },
  });
  await admin.makeApiClient(k8s.CoreV1Api).createNamespacedConfigMap({ namespace: 'watched', body: configMap('for-lee', { k: 'v' }) });
  const lee = kc(await server().kubeconfig({ user: 'lee', auth: 'token' })).makeApiClient(k8s.CoreV1Api);
  const list = await lee.listNamespacedConfigMap({ namespace: 'watched' });
  assert.deepEqual(list.items.map((c) => [c.metadata?.name, c.data]), [['for-lee', { k: 'v' }]]);
  await assert.rejects(lee.listNamespacedSecret({ namespace: 'watched' }), (err: unknown) => {
    assert.equal((err as { code?: number }).code, 403);
    const body = (err as { body?: unknown }).body;
    const status = typeof body === 'string' ? JSON.parse(body) : body;
    assert.equal(status.message, 'secrets is forbidden: User "lee" cannot list resource "secrets" in API group "" in the namespace "watched"');
    return true;
  });
});
