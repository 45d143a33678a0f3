// kubectl --token against `serve --authentication-token-webhook-config-file`: the flags as a user types them, a
// kubeconfig in the format of kube's docs (Webhook Token Authentication), and a local HTTPS webhook that requires
// the client certificate the kubeconfig names (k8s.io/apiserver v0.34.4 plugin/pkg/authenticator/token/webhook).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { kubectlBinaries, parseWhoami, runClient, tempDir, whoamiUid } from '../helpers/clients.js';
import { serve, type ServeProcess } from '../helpers/cli.js';
import { startTokenWebhook, type TestTokenWebhook } from '../helpers/token-webhook.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let hook: TestTokenWebhook;
let server: ServeProcess;
const kubectl = kubectlBinaries();

before(async () => {
  tmp = await tempDir('kam-webhook-');
  hook = await startTokenWebhook({
    answer: (review) =>
      (review.spec as { token?: string }).token === 'from-the-webhook'
        ? { status: { authenticated: true, user: { username: 'webhook-user', uid: 'w-42', groups: ['hooked'] } } }
        : { status: { authenticated: false, error: 'unknown token' } },
  });
  server = await serve('--pki-dir', join(tmp.dir, 'pki'), '--authentication-token-webhook-config-file', hook.kubeconfigFile, '--authentication-token-webhook-version', 'v1', '--authentication-token-webhook-cache-ttl', '10s');
});
after(async () => {
  await server?.stop();
  await hook?.close();
  await tmp?.remove();
});

const whoami = (bin: string, token: string) =>
  runClient(bin, ['--server', server.ready.url, '--certificate-authority', server.ready.caFile, '--token', token, '--cache-dir', join(tmp.dir, 'cache'), 'auth', 'whoami']);

test('kubectl --token from-the-webhook auth whoami: the user the webhook returned', async () => {
  for (const { name, path } of kubectl) {
    const res = await whoami(path, 'from-the-webhook');
    assert.equal(res.code, 0, `${name}: ${res.stderr}`);
    assert.deepEqual(parseWhoami(res.stdout), { user: 'webhook-user', groups: ['hooked', 'system:authenticated'] }, name);
    const uid = whoamiUid(res.stdout);
    if (uid !== undefined) assert.equal(uid, 'w-42', name);
  }
  const review = hook.reviews.find((r) => (r.spec as { token?: string }).token === 'from-the-webhook');
  assert.equal(review?.apiVersion, 'authentication.k8s.io/v1');
});

test('kubectl with a token the webhook refuses: Unauthorized', async () => {
  const res = await whoami(kubectl[kubectl.length - 1]!.path, 'not-known');
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /Unauthorized/);
});
