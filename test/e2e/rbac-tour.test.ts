// The RBAC tour with real kubectl (oldest and newest on the machine): create a namespace, a Role and a
// RoleBinding, then can-i, a forbidden get with kube's message, can-i --list, --as, and explain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubectlBinaries, runClient, tempDir } from '../helpers/clients.js';
import { cli, serve, type ServeProcess } from '../helpers/cli.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess;
let admin: string;
let jane: string;

before(async () => {
  tmp = await tempDir('kam-rbac-');
  await mkdir(join(tmp.dir, 'policies'));
  server = await serve('--pki-dir', join(tmp.dir, 'pki'), '--policy-dir', join(tmp.dir, 'policies'));
  admin = server.ready.kubeconfigs.admin!;
  jane = join(tmp.dir, 'jane.kubeconfig');
  const minted = await cli('kubeconfig', '--pki-dir', join(tmp.dir, 'pki'), '--user', 'jane', '--auth', 'token', '-o', jane);
  assert.equal(minted.code, 0, minted.stderr);
});
after(async () => {
  await server?.stop();
  await tmp?.remove();
});

for (const { name, path } of kubectlBinaries()) {
  const ns = `dev-${name.replace(/\./g, '-')}`;
  const k = (kubeconfig: string, ...args: string[]) => runClient(path, ['--kubeconfig', kubeconfig, '--cache-dir', join(tmp.dir, `cache-${name}`), ...args]);

  test(`${name}: admin creates a namespace, a Role and a RoleBinding`, async () => {
    for (const args of [
      ['create', 'namespace', ns],
      ['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', ns],
      ['create', 'rolebinding', 'jane-reads', '--role=pod-reader', '--user=jane', '-n', ns],
    ]) {
      const res = await k(admin, ...args);
      assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
    }
  });

  test(`${name}: auth can-i as jane, through impersonation`, async () => {
    const yes = await k(admin, 'auth', 'can-i', 'list', 'pods', '-n', ns, '--as', 'jane');
    assert.equal(yes.stdout.trim(), 'yes', yes.stderr);
    const no = await k(admin, 'auth', 'can-i', 'list', 'secrets', '-n', ns, '--as', 'jane');
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(no.code, 1);
    // A subresource the role does not name, and a non-resource URL the bootstrap policy grants.
    const logs = await k(admin, 'auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', ns, '--as', 'jane');
    assert.equal(logs.stdout.trim(), 'no');
    const healthz = await k(admin, 'auth', 'can-i', 'get', '/healthz', '--as', 'jane');
    assert.equal(healthz.stdout.trim(), 'yes', healthz.stderr);
    const metrics = await k(admin, 'auth', 'can-i', 'get', '/metrics', '--as', 'jane');
    assert.equal(metrics.stdout.trim(), 'no');
  });

  test(`${name}: jane may not impersonate, with kube's message`, async () => {
    const res = await k(jane, 'get', 'pods', '-n', ns, '--as', 'admin');
    assert.equal(res.code, 1);
    assert.match(res.stderr, /users "admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope/);
  });

  test(`${name}: jane lists pods (none yet) and is refused secrets with kube's message`, async () => {
    const pods = await k(jane, 'get', 'pods', '-n', ns);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stderr + pods.stdout, new RegExp(`No resources found in ${ns} namespace\\.`));
    const secrets = await k(jane, 'get', 'secrets', '-n', ns);
    assert.equal(secrets.code, 1);
    assert.match(secrets.stderr, new RegExp(`Error from server \\(Forbidden\\): secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "${ns}"`));
  });

  test(`${name}: jane's auth can-i --list shows the pod rule`, async () => {
    const res = await k(jane, 'auth', 'can-i', '--list', '-n', ns);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
    assert.match(res.stdout, /selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });
}

test('kube-auth-mock explain names the binding and why the rule did not match', async () => {
  const ns = `dev-${kubectlBinaries()[0]!.name.replace(/\./g, '-')}`;
  const res = await cli('explain', '--pki-dir', join(tmp.dir, 'pki'), '--user', 'jane', '--verb', 'list', '--resource', 'secrets', '-n', ns);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, new RegExp(`RoleBinding "jane-reads/${ns}" of Role "pod-reader" to User "jane"`));
  assert.match(res.stdout, /NO  resources\s+wants "secrets", rule has \["pods"\]/);
  assert.match(res.stdout, /Decision: RBAC has no rule that allows it/);
});
