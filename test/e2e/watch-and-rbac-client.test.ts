// Watches with real clients (kubectl get -w, client-node's informer), and RBAC through client-node's typed
// API: roles and bindings created as objects, then a user allowed and refused accordingly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { kubectlBinaries, tempDir } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

const server = useServer();
let tmp: Awaited<ReturnType<typeof tempDir>>;
let adminFile: string;
let admin: KubeConfig;

const kc = (yaml: string): KubeConfig => {
  const k = new KubeConfig();
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
  await admin.makeApiClient(CoreV1Api).createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } } });
});
after(async () => {
  await tmp?.remove();
});

/** Waits until `check` holds on the text, or fails after a while with what was seen. */
async function waitFor(read: () => string, check: (text: string) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check(read())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}; saw:\n${read()}`);
}

for (const { name, path } of kubectlBinaries()) {
  test(`${name} get -w shows objects created while it watches`, async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const cm = `seen-by-${name.replace(/\./g, '-')}`;
    const child = spawn(path, ['--kubeconfig', adminFile, '--cache-dir', `${tmp.dir}/cache`, 'get', 'configmaps', '-n', 'watched', '-w', '--output-watch-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      await new Promise((r) => setTimeout(r, 500));
      await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap(cm, { a: '1' }) });
      await waitFor(() => out, (t) => new RegExp(`ADDED\\s+${cm}\\s+1\\s`).test(t), `ADDED ${cm}`);
      await core.deleteNamespacedConfigMap({ name: cm, namespace: 'watched' });
      await waitFor(() => out, (t) => new RegExp(`DELETED\\s+${cm}\\s`).test(t), `DELETED ${cm}`);
    } finally {
      child.kill('SIGTERM');
    }
  });
}

test('client-node informer sees add, update and delete', async () => {
  const core = admin.makeApiClient(CoreV1Api);
  const informer = makeInformer(admin, '/api/v1/namespaces/watched/configmaps', () => core.listNamespacedConfigMap({ namespace: 'watched' }));
  const events: string[] = [];
  informer.on('add', (o) => events.push(`add ${o.metadata?.name}`));
  informer.on('update', (o) => events.push(`update ${o.metadata?.name} ${o.data?.k}`));
  informer.on('delete', (o) => events.push(`delete ${o.metadata?.name}`));
  await informer.start();
  try {
    await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap('informed', { k: 'v1' }) });
    await waitFor(() => events.join('\n'), (t) => t.includes('add informed'), 'add');
    await core.replaceNamespacedConfigMap({ name: 'informed', namespace: 'watched', body: configMap('informed', { k: 'v2' }) });
    await waitFor(() => events.join('\n'), (t) => t.includes('update informed v2'), 'update');
    await core.deleteNamespacedConfigMap({ name: 'informed', namespace: 'watched' });
    await waitFor(() => events.join('\n'), (t) => t.includes('delete informed'), 'delete');
  } finally {
    await informer.stop();
  }
});

test('client-node: RBAC objects created through the typed API allow and refuse as written', async () => {
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
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
  const lee = kc(await server().kubeconfig({ user: 'lee', auth: 'token' })).makeApiClient(CoreV1Api);
  const list = await lee.listNamespacedConfigMap({ namespace: 'watched' });
  assert.ok(Array.isArray(list.items));
  await assert.rejects(lee.listNamespacedSecret({ namespace: 'watched' }), (err: unknown) => {
    assert.equal((err as { code?: number }).code, 403);
    const body = (err as { body?: unknown }).body;
    const status = typeof body === 'string' ? JSON.parse(body) : body;
    assert.equal(status.message, 'secrets is forbidden: User "lee" cannot list resource "secrets" in API group "" in the namespace "watched"');
    return true;
  });
});
