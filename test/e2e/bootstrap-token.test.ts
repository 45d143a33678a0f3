// `kube-auth-mock token bootstrap create|list|delete` against a running `serve --enable-bootstrap-token-auth`, as a user
// runs them (kubeadm token's verbs, cmd/kubeadm/app/cmd/token.go), and real kubectl authenticating with the token.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { kubectlBinaries, parseWhoami, runClient, tempDir } from '../helpers/clients.js';
import { cli, serve, type ServeProcess } from '../helpers/cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess;
const pkiDir = () => join(tmp.dir, 'pki');
const kubectl = kubectlBinaries();

before(async () => {
  tmp = await tempDir('kam-boot-');
  server = await serve('--pki-dir', pkiDir(), '--enable-bootstrap-token-auth');
});
after(async () => {
  await server?.stop();
  await tmp?.remove();
});

const whoami = (bin: string, token: string) =>
  runClient(bin, ['--server', server.ready.url, '--certificate-authority', server.ready.caFile, '--token', token, '--cache-dir', join(tmp.dir, 'cache'), 'auth', 'whoami']);
const token = (...args: string[]) => cli('token', 'bootstrap', ...args, '--pki-dir', pkiDir());

test('token bootstrap create prints the token alone; kubectl --token authenticates as system:bootstrap:<id>; list and delete manage it', async () => {
  const created = await token('create', '--groups', 'system:bootstrappers:e2e', '--description', 'e2e nodes');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
  const value = created.stdout.trim();
  const id = value.slice(0, 6);
  for (const { name, path } of kubectl) {
    const res = await whoami(path, value);
    assert.equal(res.code, 0, `${name}: ${res.stderr}`);
    assert.deepEqual(parseWhoami(res.stdout), { user: `system:bootstrap:${id}`, groups: ['system:bootstrappers', 'system:bootstrappers:e2e', 'system:authenticated'] }, name);
  }

  const listed = await token('list');
  assert.equal(listed.code, 0, listed.stderr);
  const lines = listed.stdout.split('\n');
  assert.match(lines[0]!, /^TOKEN {3,}TTL {3,}EXPIRES {3,}USAGES {3,}DESCRIPTION {3,}EXTRA GROUPS$/);
  const row = lines.find((l) => l.startsWith(value));
  assert.ok(row, listed.stdout);
  assert.match(row, new RegExp(`^${value.replace('.', '\\.')} +23h +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +authentication,signing +e2e nodes +system:bootstrappers:e2e$`));

  const deleted = await token('delete', value);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.stdout, `bootstrap token "${id}" deleted\n`);
  const gone = await whoami(kubectl[kubectl.length - 1]!.path, value);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /Unauthorized/);
  assert.ok(!(await token('list')).stdout.includes(value));
});

test('token bootstrap create TOKEN --ttl 0: the given token, never expiring; creating it again is kubeadm\'s "already exists"', async () => {
  const value = 'e2e000.0123456789abcdef';
  const created = await token('create', value, '--ttl', '0');
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, `${value}\n`);
  assert.match((await token('list')).stdout, /^e2e000\.0123456789abcdef +<forever> +<never> +authentication,signing +<none> +system:bootstrappers:kubeadm:default-node-token$/m);
  const again = await token('create', value);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'kube-auth-mock token: a token with id "e2e000" already exists\n');
  const deleted = await token('delete', 'e2e000');
  assert.equal(deleted.stdout, 'bootstrap token "e2e000" deleted\n');
});

test('token bootstrap: kubeadm\'s errors, one line each', async () => {
  const cases: { args: string[]; stderr: string }[] = [
    { args: ['create', 'ABCDEF.0123456789abcdef'], stderr: 'the bootstrap token "ABCDEF.0123456789abcdef" was not of the form "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z"' },
    { args: ['create', '--ttl', '1d'], stderr: 'invalid argument "1d" for "--ttl" flag: time: unknown unit "d" in duration "1d"' },
    { args: ['create', '--usages', 'authentication,nope'], stderr: 'bootstrapTokens.0.usages: Invalid value: ["authentication","nope"]: invalid bootstrap token usage string: nope, valid usage options: signing,authentication' },
    { args: ['create', '--groups', 'system:masters'], stderr: 'bootstrapTokens.0.groups: Invalid value: ["system:masters"]: bootstrap group "system:masters" is invalid (must match \\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)' },
    { args: ['delete'], stderr: 'missing argument; \'token bootstrap delete\' is missing token of form "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z" or "\\\\A([a-z0-9]{6})\\\\z"' },
    { args: ['delete', 'nope'], stderr: 'given token didn\'t match pattern "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z" or "\\\\A([a-z0-9]{6})\\\\z"' },
    { args: ['delete', 'zzzzzz'], stderr: 'failed to delete bootstrap token "zzzzzz": secrets "bootstrap-token-zzzzzz" not found' },
  ];
  for (const c of cases) {
    const res = await token(...c.args);
    assert.equal(res.code, 1, c.args.join(' '));
    assert.equal(res.stderr, `kube-auth-mock token: ${c.stderr}\n`, c.args.join(' '));
  }
});

test('token bootstrap list with a kubeconfig not allowed to list Secrets: the server\'s Status message', async () => {
  const res = await cli('token', 'bootstrap', 'list', '--kubeconfig', server.ready.kubeconfigs.bob!);
  assert.equal(res.code, 1);
  assert.equal(res.stderr, 'kube-auth-mock token: failed to list bootstrap tokens: secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "kube-system"\n');
});
