// The CLI as a user runs it (`npm start` is `kube-auth-mock serve`): first start creates the PKI and the
// demo identities, kubectl uses their kubeconfigs, identities minted by `kube-auth-mock kubeconfig` work
// at once, bad files stop start-up naming file and line, and SIGTERM shuts down cleanly.
import assert from 'node:assert/strict';
import { appendFile, cp, readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { kubectlBinaries, parseWhoami, runClient, tempDir, whoamiUid } from '../helpers/clients.js';
import { cli, serve, type ServeProcess } from '../helpers/cli.js';
import { issueOddCert } from '../helpers/odd-certs.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess;
const pkiDir = () => join(tmp.dir, 'pki');
const kubectl = kubectlBinaries();

before(async () => {
  tmp = await tempDir('kam-cli-');
  server = await serve('--pki-dir', pkiDir());
});
after(async () => {
  await server?.stop();
  await tmp?.remove();
});

const whoami = (bin: string, kubeconfig: string) => runClient(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(tmp.dir, 'cache'), 'auth', 'whoami']);

function get(url: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the ready line names the URL, the CA and the demo kubeconfigs', () => {
  assert.match(server.ready.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(server.ready.caFile, join(pkiDir(), 'ca.crt'));
  assert.deepEqual(Object.keys(server.ready.kubeconfigs).sort(), ['admin', 'alice', 'bob']);
});

test('private keys and secret files are written 0600', async () => {
  for (const file of ['ca.key', 'apiserver.key', 'sa.key', 'admin.key', 'token-auth-file.csv', 'basic-auth-file.csv', 'kubeconfigs/admin.kubeconfig']) {
    assert.equal((await stat(join(pkiDir(), file))).mode & 0o777, 0o600, file);
  }
});

const demos: { user: string; groups: string[] }[] = [
  { user: 'admin', groups: ['system:masters', 'system:authenticated'] },
  { user: 'alice', groups: ['developers', 'system:authenticated'] },
  { user: 'bob', groups: ['testers', 'system:authenticated'] },
];
for (const { name, path } of kubectl) {
  for (const demo of demos) {
    test(`${name} auth whoami with the demo ${demo.user} kubeconfig`, async () => {
      const res = await whoami(path, server.ready.kubeconfigs[demo.user]!);
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(parseWhoami(res.stdout), demo);
    });
  }
}

for (const auth of ['token', 'basic', 'cert'] as const) {
  test(`kube-auth-mock kubeconfig --auth ${auth} mints an identity that works at once, without a restart`, async () => {
    const out = join(tmp.dir, `jane-${auth}.kubeconfig`);
    const minted = await cli('kubeconfig', '--pki-dir', pkiDir(), '--user', `jane-${auth}`, '--group', 'dev', '--auth', auth, '-o', out);
    assert.equal(minted.code, 0, minted.stderr);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    const res = await whoami(kubectl[kubectl.length - 1]!.path, out);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(parseWhoami(res.stdout), { user: `jane-${auth}`, groups: ['dev', 'system:authenticated'] });
    assert.equal(whoamiUid(res.stdout), undefined, 'no --uid: no UID row');
  });

  // A certificate carries the uid as its subject attribute 1.3.6.1.4.1.57683.2 (kube 1.33+); every kubectl here prints the row.
  for (const { name, path } of kubectl) {
    test(`kube-auth-mock kubeconfig --auth ${auth} --uid: ${name} auth whoami shows the UID row`, async () => {
      // One user per kubectl: a user name twice in the password file would be warned about in later tests' output.
      const user = `uid-${auth}-${name}`;
      const out = join(tmp.dir, `${user}.kubeconfig`);
      const minted = await cli('kubeconfig', '--pki-dir', pkiDir(), '--user', user, '--uid', `4a5c-${auth}`, '--auth', auth, '-o', out);
      assert.equal(minted.code, 0, minted.stderr);
      const res = await whoami(path, out);
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(parseWhoami(res.stdout), { user, groups: ['system:authenticated'] });
      assert.equal(whoamiUid(res.stdout), `4a5c-${auth}`, res.stdout);
    });
  }
}

test('a bad edit of the token file keeps the last good tokens and logs file:line', async () => {
  const tokenFile = join(pkiDir(), 'token-auth-file.csv');
  const before = await readFile(tokenFile, 'utf8');
  await appendFile(tokenFile, 'only-two,columns\n');
  try {
    const res = await whoami(kubectl[0]!.path, server.ready.kubeconfigs.alice!);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(parseWhoami(res.stdout).user, 'alice');
    // A wrong token makes the server look at the changed file, so the warning is certain to be logged by now.
    await get(`${server.ready.url}/version`, await readFile(server.ready.caFile, 'utf8'), { Authorization: 'Bearer nope' });
    const line = before.split('\n').filter((l) => l !== '').length + 1;
    assert.match(server.stderr(), new RegExp(`token-auth-file\\.csv:${line}: token file .* must have at least 3 columns \\(token, user name, user uid\\), found 2; keeping the last good contents`));
  } finally {
    await writeFile(tokenFile, before, { mode: 0o600 });
  }
});

test('a wrong token gets kube\'s 401 Status body', async () => {
  const res = await get(`${server.ready.url}/api`, await readFile(server.ready.caFile, 'utf8'), { Authorization: 'Bearer wrong' });
  assert.equal(res.status, 401);
  assert.deepEqual(JSON.parse(res.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  assert.equal(res.headers['www-authenticate'], 'Basic realm="kubernetes-master"');
});

test('a second start reuses the PKI folder: same CA, same demo kubeconfigs', async () => {
  const ca = await readFile(server.ready.caFile, 'utf8');
  const second = await serve('--pki-dir', pkiDir());
  try {
    assert.equal(await readFile(second.ready.caFile, 'utf8'), ca);
    const res = await whoami(kubectl[0]!.path, second.ready.kubeconfigs.admin!);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(parseWhoami(res.stdout).user, 'admin');
  } finally {
    await second.stop();
  }
});

test('--anonymous-auth=false: no credentials is 401', async () => {
  const strict = await serve('--pki-dir', pkiDir(), '--anonymous-auth=false');
  try {
    const res = await get(`${strict.ready.url}/version`, await readFile(strict.ready.caFile, 'utf8'));
    assert.equal(res.status, 401);
    assert.deepEqual(JSON.parse(res.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  } finally {
    await strict.stop();
  }
});

test('no credentials with anonymous auth on: system:anonymous, in system:unauthenticated', async () => {
  const ca = await readFile(server.ready.caFile, 'utf8');
  // system:public-info-viewer is bound to system:unauthenticated: /version is open to anonymous.
  assert.equal((await get(`${server.ready.url}/version`, ca)).status, 200);
  // Nothing else is: the 403 names the user the request was authenticated as.
  const res = await get(`${server.ready.url}/api/v1/namespaces`, ca);
  assert.equal(res.status, 403);
  assert.deepEqual(JSON.parse(res.body), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
    reason: 'Forbidden',
    details: { kind: 'namespaces' },
    code: 403,
  });
});

const BILLION_LAUGHS = `${['a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n')}\n`;

/** A copy of the running server's PKI folder with one more file in its kubeconfigs folder. */
async function pkiCopyWith(dir: string, kubeconfigName: string, text: string): Promise<string> {
  const copy = join(dir, `pki-${kubeconfigName}`);
  await cp(pkiDir(), copy, { recursive: true });
  await writeFile(join(copy, 'kubeconfigs', kubeconfigName), text);
  return copy;
}

const badStarts: { name: string; setup: (dir: string) => Promise<string[]>; message: RegExp }[] = [
  {
    name: 'a malformed token file line stops start-up with file:line and the reason',
    setup: async (dir) => {
      const file = join(dir, 'tokens.csv');
      await writeFile(file, 'tok1,user1,uid1\n\ntok2,user2\n');
      return ['--token-auth-file', file];
    },
    message: /tokens\.csv:3: token file '.*tokens\.csv' must have at least 3 columns \(token, user name, user uid\), found 2/,
  },
  {
    name: 'a malformed basic-auth file line stops start-up with file:line',
    setup: async (dir) => {
      const file = join(dir, 'basic.csv');
      await writeFile(file, 'pw,"unclosed\n');
      return ['--basic-auth-file', file];
    },
    message: /basic\.csv:1: invalid CSV/,
  },
  {
    name: 'a missing token file names the file',
    setup: async (dir) => ['--token-auth-file', join(dir, 'missing.csv')],
    message: /missing\.csv: cannot read: ENOENT/,
  },
  { name: 'an unknown authorization mode', setup: async () => ['--authorization-mode', 'Foo'], message: /authorization-mode "Foo" is not a valid mode/ },
  {
    // docs/authorization.md: policy file errors are `file: document N: ...`; go-yaml v2's words (decode.go).
    name: 'a YAML alias bomb (billion laughs) in a policy file names the file and the document',
    setup: async (dir) => {
      const file = join(dir, 'bomb.yaml');
      await writeFile(file, BILLION_LAUGHS);
      return ['--rbac-file', file];
    },
    message: /bomb\.yaml: document 0: yaml: document contains excessive aliasing$/m,
  },
  {
    // A device or pipe could block the reader for good and cannot be re-read on a change: regular files only.
    name: 'a --rbac-file that is a device (/dev/zero) is refused, naming it',
    setup: async () => ['--rbac-file', '/dev/zero'],
    message: /^kube-auth-mock serve: \/dev\/zero: is not a regular file \(a pipe or device cannot be re-read when policy files change\)$/m,
  },
  {
    name: 'a missing --rbac-file whose name holds a line break is still one line (the break escaped)',
    setup: async (dir) => ['--rbac-file', join(dir, 'two\nlines.yaml')],
    message: /two\\nlines\.yaml: cannot read: ENOENT$/m,
  },
  {
    // kube-apiserver's words (apiserver/pkg/server/options/serving.go CreateListener, then Go's net.OpError), and the flag to change.
    name: 'a --secure-port already in use names the address and the flag, in one line',
    setup: async () => ['--secure-port', new URL(server.ready.url).port],
    message: /^kube-auth-mock serve: failed to create listener: failed to listen on 127\.0\.0\.1:(\d+): listen tcp 127\.0\.0\.1:\1: bind: address already in use \(another process holds port \1: stop it, or choose another with --secure-port; --secure-port 0 picks a free one\)$/m,
  },
  {
    name: 'a --bind-address the host does not have names it and the flag, in one line',
    setup: async () => ['--bind-address', '192.0.2.1'],
    message: /^kube-auth-mock serve: failed to create listener: failed to listen on 192\.0\.2\.1:0: listen tcp 192\.0\.2\.1:0: bind: cannot assign requested address \(192\.0\.2\.1 is not an address of this host: choose another with --bind-address\)$/m,
  },
  {
    name: 'a --ready-file that cannot be written names the file, and the process exits',
    setup: async (dir) => ['--ready-file', join(dir, 'no-such-folder', 'ready.json')],
    message: /no-such-folder\/ready\.json: cannot write the ready file: ENOENT$/m,
  },
  {
    name: 'a malformed kubeconfig in the PKI folder names the file and line',
    setup: async (dir) => ['--pki-dir', await pkiCopyWith(dir, 'broken.kubeconfig', 'clusters:\n- name: x\n  cluster: {server: [unclosed\n')],
    message: /kubeconfigs\/broken\.kubeconfig:\d+: invalid kubeconfig: /,
  },
  {
    name: 'a kubeconfig alias bomb in the PKI folder names the file',
    setup: async (dir) => ['--pki-dir', await pkiCopyWith(dir, 'bomb.kubeconfig', BILLION_LAUGHS)],
    message: /kubeconfigs\/bomb\.kubeconfig: invalid kubeconfig: yaml: document contains excessive aliasing$/m,
  },
  {
    name: 'a kubeconfig whose clusters is not a list names the file',
    setup: async (dir) => ['--pki-dir', await pkiCopyWith(dir, 'odd.kubeconfig', 'clusters: 5\n')],
    message: /kubeconfigs\/odd\.kubeconfig: invalid kubeconfig: clusters is not a list$/m,
  },
  {
    name: 'a --tls-cert-file that is not a certificate names the file',
    setup: async (dir) => {
      const file = join(dir, 'garbage.crt');
      await writeFile(file, 'not a certificate\n');
      return ['--tls-cert-file', file, '--tls-private-key-file', join(pkiDir(), 'apiserver.key')];
    },
    message: /garbage\.crt: is not a valid PEM certificate \(/,
  },
  {
    name: 'a --tls-private-key-file that does not match the certificate names both files',
    setup: async () => ['--tls-cert-file', join(pkiDir(), 'apiserver.crt'), '--tls-private-key-file', join(pkiDir(), 'admin.key')],
    message: /admin\.key: does not match the certificate in .*apiserver\.crt$/m,
  },
  {
    // OpenSSL refuses the pair when the TLS server is made ("ee key too small"); Go 1.24 refuses 512-bit RSA keys too.
    name: 'a --tls-cert-file whose RSA-512 key TLS refuses names the file, in one line',
    setup: async (dir) => {
      const weak = await issueOddCert({ issuer: 'self', commonName: 'localhost', keyBits: 512 });
      await writeFile(join(dir, 'weak.crt'), weak.certPem);
      await writeFile(join(dir, 'weak.key'), weak.keyPem);
      return ['--tls-cert-file', join(dir, 'weak.crt'), '--tls-private-key-file', join(dir, 'weak.key')];
    },
    message: /weak\.crt: cannot be served with the key in .*weak\.key \(.*key too small\)$/m,
  },
  {
    name: 'a --client-ca-file with a broken certificate block names the file',
    setup: async (dir) => {
      const file = join(dir, 'broken-ca.crt');
      await writeFile(file, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      return ['--client-ca-file', file];
    },
    message: /broken-ca\.crt: is not a valid PEM certificate bundle/,
  },
];
for (const c of badStarts) {
  test(`start-up errors: ${c.name}`, async () => {
    const args = await c.setup(tmp.dir);
    await assert.rejects(serve('--pki-dir', pkiDir(), ...args), (err: unknown) => {
      const e = err as { exitCode?: number; stderr?: string };
      assert.equal(e.exitCode, 1);
      assert.match(e.stderr ?? '', c.message);
      assert.doesNotMatch(e.stderr ?? '', /\n\s+at /, 'no stack trace');
      assert.equal((e.stderr ?? '').trim().split('\n').length, 1, `one line: ${e.stderr}`);
      return true;
    });
  });
}

test('start-up errors: a corrupt ca.crt is named, and nothing is overwritten', async () => {
  const broken = await tempDir('kam-broken-');
  try {
    const dir = join(broken.dir, 'pki');
    const init = await cli('pki', 'init', '--pki-dir', dir);
    assert.equal(init.code, 0, init.stderr);
    await writeFile(join(dir, 'ca.crt'), 'not a certificate\n');
    await assert.rejects(serve('--pki-dir', dir), (err: unknown) => {
      assert.match((err as { stderr?: string }).stderr ?? '', /ca\.crt/);
      return true;
    });
    assert.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), 'not a certificate\n');
  } finally {
    await broken.remove();
  }
});

test('SIGTERM shuts down gracefully with exit code 0', async () => {
  const s = await serve('--pki-dir', pkiDir());
  assert.equal(await s.stop(), 0);
});

test('kube-auth-mock pki cert issues a client certificate the server accepts, key 0600, with its --uid', async () => {
  const prefix = join(tmp.dir, 'carol');
  const res = await cli('pki', 'cert', '--pki-dir', pkiDir(), '--user', 'carol', '--group', 'ops', '--group', 'dev', '--uid', 'u-carol', '-o', prefix);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, `wrote ${prefix}.crt and ${prefix}.key (CN=carol, O=ops, O=dev, UID=u-carol)\n`);
  assert.equal((await stat(`${prefix}.key`)).mode & 0o777, 0o600);
  const kubeconfig = join(tmp.dir, 'carol.kubeconfig');
  const kc = kubectl[kubectl.length - 1]!.path;
  const set = (...args: string[]) => runClient(kc, ['--kubeconfig', kubeconfig, 'config', ...args]);
  await set('set-cluster', 'm', `--server=${server.ready.url}`, `--certificate-authority=${server.ready.caFile}`);
  await set('set-credentials', 'carol', `--client-certificate=${prefix}.crt`, `--client-key=${prefix}.key`);
  await set('set-context', 'c', '--cluster=m', '--user=carol');
  await set('use-context', 'c');
  const who = await whoami(kc, kubeconfig);
  assert.equal(who.code, 0, who.stderr);
  assert.deepEqual(parseWhoami(who.stdout), { user: 'carol', groups: ['ops', 'dev', 'system:authenticated'] });
  assert.equal(whoamiUid(who.stdout), 'u-carol', who.stdout);
});

test('serve --help lists kube-apiserver\'s flag names with their defaults', async () => {
  const res = await cli('serve', '--help');
  assert.equal(res.code, 0);
  for (const flag of ['--secure-port', '--bind-address', '--tls-cert-file', '--tls-private-key-file', '--client-ca-file', '--token-auth-file', '--basic-auth-file', '--anonymous-auth', '--authorization-mode', '--pki-dir']) {
    assert.match(res.stdout, new RegExp(`${flag} `), flag);
  }
  assert.match(res.stdout, /\(default 6443\)/);
});

// Usage mistakes: one line on stderr naming the command and pointing at its --help, exit 2 (cobra's usage exit),
// nothing on stdout, never a stack or parseArgs' wording. pflag (spf13/pflag flag.go) reads a boolean's value only
// after "=", so "--anonymous-auth false" leaves "false" as a stray argument, which is refused with the spelling to use.
const usageCases: { args: string[]; stderr: string }[] = [
  { args: ['serve', '--anonymous-auth', 'false'], stderr: 'kube-auth-mock serve: unexpected argument "false" after --anonymous-auth: a boolean flag takes its value after "=", as in --anonymous-auth=false (see kube-auth-mock serve --help)\n' },
  { args: ['serve', '--enable-bootstrap-token-auth', 'true'], stderr: 'kube-auth-mock serve: unexpected argument "true" after --enable-bootstrap-token-auth: a boolean flag takes its value after "=", as in --enable-bootstrap-token-auth=true (see kube-auth-mock serve --help)\n' },
  { args: ['serve', 'extra', 'words'], stderr: 'kube-auth-mock serve: unexpected arguments "extra" "words": serve takes flags only (see kube-auth-mock serve --help)\n' },
  { args: ['serve', '--bogus'], stderr: 'kube-auth-mock serve: unknown flag --bogus (see kube-auth-mock serve --help)\n' },
  { args: ['serve', '--secure-port'], stderr: 'kube-auth-mock serve: flag needs an argument: --secure-port (see kube-auth-mock serve --help)\n' },
  { args: ['pki', 'init', 'now'], stderr: 'kube-auth-mock pki init: unexpected argument "now": pki init takes flags only (see kube-auth-mock pki init --help)\n' },
  { args: ['pki', 'cert', '--user', 'jane', '-z'], stderr: 'kube-auth-mock pki cert: unknown flag -z (see kube-auth-mock pki cert --help)\n' },
  { args: ['pki', 'scenario', '--bogus'], stderr: 'kube-auth-mock pki scenario: unknown flag --bogus (see kube-auth-mock pki scenario --help)\n' },
  { args: ['kubeconfig'], stderr: 'kube-auth-mock kubeconfig: required flag --user NAME not set (or --serviceaccount NAMESPACE/NAME for a ServiceAccount) (see kube-auth-mock kubeconfig --help)\n' },
  { args: ['kubeconfig', '--group', 'dev', '--auth', 'token'], stderr: 'kube-auth-mock kubeconfig: required flag --user NAME not set (or --serviceaccount NAMESPACE/NAME for a ServiceAccount) (see kube-auth-mock kubeconfig --help)\n' },
  { args: ['kubeconfig', '--user', 'jane', 'dev'], stderr: 'kube-auth-mock kubeconfig: unexpected argument "dev": kubeconfig takes flags only (see kube-auth-mock kubeconfig --help)\n' },
  { args: ['kubeconfig', '--serviceaccount', 'dev/builder', 'x'], stderr: 'kube-auth-mock kubeconfig: unexpected argument "x": kubeconfig takes flags only (see kube-auth-mock kubeconfig --help)\n' },
  { args: ['explain', '--user', 'jane', '--verb', 'get', '--no-user'], stderr: 'kube-auth-mock explain: unknown flag --no-user (see kube-auth-mock explain --help)\n' },
  { args: ['handshake', '--kubeconfig', 'k', 'extra'], stderr: 'kube-auth-mock handshake: unexpected argument "extra": handshake takes flags only (see kube-auth-mock handshake --help)\n' },
  { args: ['token', '--serviceaccount', 'dev/builder', 'x'], stderr: 'kube-auth-mock token: unexpected argument "x": token takes flags only (see kube-auth-mock token --help)\n' },
  { args: ['token', 'bootstrap', 'create', '--bogus'], stderr: 'kube-auth-mock token bootstrap create: unknown flag --bogus (see kube-auth-mock token bootstrap create --help)\n' },
  { args: ['token', 'bootstrap', 'delete', '--kubeconfig'], stderr: 'kube-auth-mock token bootstrap delete: flag needs an argument: --kubeconfig (see kube-auth-mock token bootstrap delete --help)\n' },
  { args: ['incluster', '--serviceaccount', 'dev/builder', 'x'], stderr: 'kube-auth-mock incluster: unexpected argument "x": incluster takes flags only (see kube-auth-mock incluster --help)\n' },
  { args: ['webhook', 'serve', '--script', 'hook.yaml', 'x'], stderr: 'kube-auth-mock webhook serve: unexpected argument "x": webhook serve takes flags only (see kube-auth-mock webhook serve --help)\n' },
  { args: ['inspect', '--nope', 'ca.crt'], stderr: 'kube-auth-mock inspect: unknown flag --nope (see kube-auth-mock inspect --help)\n' },
  // A required flag left out is said in one line, not answered with the whole help (cobra: required flag(s) "x" not set).
  { args: ['pki', 'cert'], stderr: 'kube-auth-mock pki cert: required flag --user NAME not set (see kube-auth-mock pki cert --help)\n' },
  { args: ['pki', 'scenario'], stderr: 'kube-auth-mock pki scenario: a scenario NAME or all is required (--list names them) (see kube-auth-mock pki scenario --help)\n' },
  { args: ['explain'], stderr: 'kube-auth-mock explain: required flags --user NAME, --verb VERB not set (see kube-auth-mock explain --help)\n' },
  { args: ['explain', '--user', 'jane', '--resource', 'pods'], stderr: 'kube-auth-mock explain: required flag --verb VERB not set (see kube-auth-mock explain --help)\n' },
  { args: ['handshake'], stderr: 'kube-auth-mock handshake: required flag --kubeconfig FILE not set (see kube-auth-mock handshake --help)\n' },
  { args: ['handshake', '--json'], stderr: 'kube-auth-mock handshake: required flag --kubeconfig FILE not set (see kube-auth-mock handshake --help)\n' },
  { args: ['incluster'], stderr: 'kube-auth-mock incluster: required flags --serviceaccount NAMESPACE/NAME, --out DIR not set (see kube-auth-mock incluster --help)\n' },
  { args: ['incluster', '--serviceaccount', 'dev/builder'], stderr: 'kube-auth-mock incluster: required flag --out DIR not set (see kube-auth-mock incluster --help)\n' },
  { args: ['webhook', 'serve'], stderr: 'kube-auth-mock webhook serve: required flag --script FILE not set (see kube-auth-mock webhook serve --help)\n' },
];
for (const c of usageCases) {
  test(`usage error: kube-auth-mock ${c.args.join(' ')}`, async () => {
    const res = await cli(...c.args);
    assert.deepEqual({ code: res.code, stdout: res.stdout, stderr: res.stderr }, { code: 2, stdout: '', stderr: c.stderr });
  });
}
