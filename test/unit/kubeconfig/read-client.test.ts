// readKubeconfigClient: readClientConfig for a tool that describes a kubeconfig (kube-auth-mock handshake): a
// --context override as clientcmd takes it (client_config.go getContext: an overridden context is required), and an
// exec plugin or auth-provider reported instead of refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { readClientConfig, readKubeconfigClient } from '../../../src/kubeconfig/read.js';
import { ConfigError } from '../../../src/util/errors.js';
import { tempDir } from '../../helpers/clients.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let file: string;

before(async () => {
  tmp = await tempDir('kam-read-client-');
  file = await tmp.write('k.kubeconfig', stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'tok',
    clusters: [{ name: 'c', cluster: { server: 'https://example.invalid:6443' } }],
    users: [
      { name: 'token-user', user: { token: 't0k' } },
      { name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'gke-gcloud-auth-plugin', interactiveMode: 'Never' } } },
      { name: 'provider-user', user: { 'auth-provider': { name: 'oidc' } } },
    ],
    contexts: [
      { name: 'tok', context: { cluster: 'c', user: 'token-user' } },
      { name: 'exec', context: { cluster: 'c', user: 'exec-user' } },
      { name: 'provider', context: { cluster: 'c', user: 'provider-user' } },
    ],
  }));
});
after(async () => {
  await tmp?.remove();
});

const reason = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.reason;
  }
  return 'no error';
};

test('current-context by default, with the names it was read under', async () => {
  const r = await readKubeconfigClient(file);
  assert.deepEqual({ context: r.context, cluster: r.cluster, user: r.user, token: r.config.token, plugin: r.plugin }, { context: 'tok', cluster: 'c', user: 'token-user', token: 't0k', plugin: undefined });
});

test('a context override wins over current-context; a missing one is client-go\'s "does not exist"', async () => {
  assert.equal((await readKubeconfigClient(file, { context: 'exec', plugins: 'report' })).user, 'exec-user');
  assert.equal(await reason(readKubeconfigClient(file, { context: 'nope' })), 'context "nope" does not exist');
});

const PLUGINS: [string, { kind: string; name: string; user: string }, string][] = [
  ['exec', { kind: 'exec', name: 'gke-gcloud-auth-plugin', user: 'exec-user' }, 'user "exec-user" uses an exec credential plugin ("gke-gcloud-auth-plugin"), which kube-auth-mock does not support'],
  ['provider', { kind: 'auth-provider', name: 'oidc', user: 'provider-user' }, 'user "provider-user" uses auth-provider "oidc", which kube-auth-mock does not support'],
];
for (const [context, plugin, refusal] of PLUGINS) {
  test(`context ${context}: reported with plugins: report, refused with plugins: refuse (what readClientConfig asks)`, async () => {
    assert.deepEqual((await readKubeconfigClient(file, { context, plugins: 'report' })).plugin, plugin);
    assert.equal(await reason(readKubeconfigClient(file, { context, plugins: 'refuse' })), refusal);
  });
}

test('readClientConfig still refuses a plugin in the current context', async () => {
  const only = await tmp.write('exec-only.kubeconfig', stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'e',
    clusters: [{ name: 'c', cluster: { server: 'https://example.invalid' } }],
    users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Never' } } }],
    contexts: [{ name: 'e', context: { cluster: 'c', user: 'u' } }],
  }));
  assert.equal(await reason(readClientConfig(only)), 'user "u" uses an exec credential plugin ("x"), which kube-auth-mock does not support');
});
