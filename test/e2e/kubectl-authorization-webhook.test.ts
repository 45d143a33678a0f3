// kubectl against a server whose authorization asks the scriptable webhook (--authorization-mode RBAC,Webhook):
// a request the webhook allows succeeds, one it denies is kubectl's Forbidden with the webhook's reason, and
// `kubectl auth can-i` reads the webhook's answers through SelfSubjectAccessReview.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, startWebhook, type KubeAuthMockServer, type KubeAuthMockWebhook } from '../../src/index.js';
import { kubectlBinaries, runClient, tempDir } from '../helpers/clients.js';

let hook: KubeAuthMockWebhook;
let server: KubeAuthMockServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let jane: string;

before(async () => {
  tmp = await tempDir('kam-kubectl-authz-webhook-');
  hook = await startWebhook({
    script: `
authorize:
  - {user: jane, verb: list, resource: configmaps, decision: allow, reason: the webhook says so}
  - {user: jane, verb: delete, decision: deny, reason: jane may not delete}
`,
  });
  server = await startServer({ port: 0, authorizationMode: 'RBAC,Webhook', authorizationWebhookConfigFile: await tmp.write('authz.kubeconfig', hook.authorizationKubeconfig()), authorizationWebhookVersion: 'v1' });
  jane = await tmp.write('jane.kubeconfig', await server.kubeconfig({ user: 'jane', auth: 'token' }));
});
after(async () => {
  await server?.stop();
  await hook?.stop();
  await tmp?.remove();
});

for (const { name, path } of kubectlBinaries()) {
  const kubectl = (...args: string[]) => runClient(path, ['--kubeconfig', jane, '--cache-dir', `${tmp.dir}/cache-${name}`, ...args]);

  test(`${name}: the webhook allows a list RBAC would refuse`, async () => {
    const res = await kubectl('get', 'configmaps', '-n', 'default');
    assert.equal(res.code, 0, res.stderr);
  });

  test(`${name}: the webhook's deny is kubectl's Forbidden with its reason`, async () => {
    const res = await kubectl('delete', 'configmap', 'x', '-n', 'default');
    assert.equal(res.code, 1);
    assert.equal(res.stderr, 'Error from server (Forbidden): configmaps "x" is forbidden: User "jane" cannot delete resource "configmaps" in API group "" in the namespace "default": jane may not delete\n');
  });

  test(`${name}: auth can-i asks through SelfSubjectAccessReview`, async () => {
    const yes = await kubectl('auth', 'can-i', 'list', 'configmaps', '-n', 'default');
    assert.equal(yes.stdout, 'yes\n');
    const no = await kubectl('auth', 'can-i', 'delete', 'configmaps', '-n', 'default');
    assert.equal(no.stdout, 'no - jane may not delete\n');
  });
}
