// `kube-auth-mock token --serviceaccount`, `kubeconfig --serviceaccount` and `incluster` against a running `serve`,
// as issue 9's tour runs them, with real kubectl reading what they wrote.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { kubectlBinaries, parseWhoami, runClient, tempDir } from '../helpers/clients.js';
import { cli, serve, type ServeProcess } from '../helpers/cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess;
const pkiDir = () => join(tmp.dir, 'pki');
const kubectl = kubectlBinaries();
const newest = kubectl[kubectl.length - 1]!.path;

before(async () => {
  tmp = await tempDir('kam-sa-cli-');
  server = await serve('--pki-dir', pkiDir());
});
after(async () => {
  await server?.stop();
  await tmp?.remove();
});

const SA_GROUPS = (ns: string) => ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'];

test('token --serviceaccount prints a token kubectl authenticates with; --create makes the ServiceAccount first', async () => {
  const missing = await cli('token', '--serviceaccount', 'default/builder', '--pki-dir', pkiDir());
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'kube-auth-mock token: failed to create token: serviceaccounts "builder" not found\n');
  const res = await cli('token', '--serviceaccount', 'default/builder', '--create', '--duration', '10m', '--pki-dir', pkiDir());
  assert.equal(res.code, 0, res.stderr);
  // kubectl create token (Run): a newline only on a terminal; a pipe or file gets the token alone.
  assert.doesNotMatch(res.stdout, /\s$/);
  const token = res.stdout;
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
  assert.equal(claims.exp - claims.iat, 600);
  for (const { name, path } of kubectl) {
    const who = await runClient(path, ['--server', server.ready.url, '--certificate-authority', server.ready.caFile, '--token', token, '--cache-dir', join(tmp.dir, 'cache'), 'auth', 'whoami']);
    assert.equal(who.code, 0, `${name}: ${who.stderr}`);
    assert.deepEqual(parseWhoami(who.stdout), { user: 'system:serviceaccount:default:builder', groups: SA_GROUPS('default') }, name);
  }
});

test('token --serviceaccount checks its flags as kubectl create token does', async () => {
  const cases: [string[], string][] = [
    [['--duration', '90s500ms'], '--duration cannot be expressed in units less than seconds'],
    [['--bound-object-name', 'p'], '--bound-object-name can only be set if --bound-object-kind is provided'],
    [['--bound-object-kind', 'ConfigMap', '--bound-object-name', 'c'], 'supported --bound-object-kind values are Node, Pod, Secret'],
    [['--audience', ''], '--audience must not be an empty string'],
    [['--duration', '5m'], 'failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes'],
  ];
  for (const [args, message] of cases) {
    const res = await cli('token', '--serviceaccount', 'default/default', ...args, '--pki-dir', pkiDir());
    assert.equal(res.code, 1, args.join(' '));
    assert.equal(res.stderr, `kube-auth-mock token: ${message}\n`);
  }
  const bad = await cli('token', '--serviceaccount', 'default', '--pki-dir', pkiDir());
  assert.equal(bad.stderr, 'kube-auth-mock token: --serviceaccount: "default" is not NAMESPACE/NAME\n');
});

test('kubeconfig --serviceaccount writes a 0600 kubeconfig whose context namespace is the ServiceAccount\'s', async () => {
  const out = join(tmp.dir, 'builder.kubeconfig');
  const res = await cli('kubeconfig', '--serviceaccount', 'kube-system/default', '-o', out, '--pki-dir', pkiDir());
  assert.equal(res.code, 0, res.stderr);
  assert.equal((await stat(out)).mode & 0o777, 0o600);
  const who = await runClient(newest, ['--kubeconfig', out, '--cache-dir', join(tmp.dir, 'cache'), 'auth', 'whoami']);
  assert.equal(who.code, 0, who.stderr);
  assert.deepEqual(parseWhoami(who.stdout), { user: 'system:serviceaccount:kube-system:default', groups: SA_GROUPS('kube-system') });
  const ns = await runClient(newest, ['--kubeconfig', out, 'config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}']);
  assert.equal(ns.stdout, 'kube-system');
});

test('incluster writes token, ca.crt and namespace and prints the two variables to export', async () => {
  const dir = join(tmp.dir, 'incluster');
  const res = await cli('incluster', '--serviceaccount', 'default/default', '-o', dir, '--pki-dir', pkiDir());
  assert.equal(res.code, 0, res.stderr);
  const url = new URL(server.ready.url);
  assert.equal(res.stdout, `export KUBERNETES_SERVICE_HOST=${url.hostname}\nexport KUBERNETES_SERVICE_PORT=${url.port}\n`);
  assert.equal(await readFile(join(dir, 'namespace'), 'utf8'), 'default');
  assert.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), await readFile(server.ready.caFile, 'utf8'));
  assert.equal((await stat(join(dir, 'token'))).mode & 0o777, 0o600);
  const token = await readFile(join(dir, 'token'), 'utf8');
  const who = await runClient(newest, ['--server', server.ready.url, '--certificate-authority', join(dir, 'ca.crt'), '--token', token, 'auth', 'whoami']);
  assert.deepEqual(parseWhoami(who.stdout), { user: 'system:serviceaccount:default:default', groups: SA_GROUPS('default') });
});
