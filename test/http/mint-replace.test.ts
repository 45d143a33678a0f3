// Minting a user again replaces that user's token line (issue 12): `kube-auth-mock kubeconfig --user jane --auth
// token` twice leaves one line for jane in the PKI folder's token file; once the server has re-read the file
// (its "reloaded" log line: src/util/watched-file.ts) the first token gets 401 and the second works. The same for
// server.kubeconfig(), whose tables are in memory (src/server/user-tables.ts). Waits for log lines, never sleeps.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { kubeconfigCommand } from '../../src/cli/kubeconfig.js';
import { parseTokenFile } from '../../src/authn/token-file.js';
import { createLogger } from '../../src/util/log.js';
import { cli } from '../helpers/cli.js';
import { jsonLogLines } from '../helpers/log-lines.js';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const dir = await mkdtemp(join(tmpdir(), 'kam-mint-'));
after(() => rm(dir, { recursive: true, force: true }));
const pkiDir = join(dir, 'pki');
const tokenFile = join(pkiDir, 'token-auth-file.csv');
const log = jsonLogLines();
const server = useServer({ pkiDir, log: createLogger('json', log.sink) });

/** Who the server says a bearer token is: the SelfSubjectReview's username, or the HTTP status when it is not 201. */
async function whoIs(token: string): Promise<string | number> {
  const res = await client(server())
    .post('/apis/authentication.k8s.io/v1/selfsubjectreviews')
    .set('Authorization', `Bearer ${token}`)
    .send({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  return res.status === 201 ? (res.body as { status: { userInfo: { username: string } } }).status.userInfo.username : res.status;
}

/** The next "reloaded" log line for the token file, from now on. */
function nextReload(): Promise<unknown> {
  const seen = log.lines.length;
  return log.lineWhere((l) => log.lines.indexOf(l) >= seen && l.msg === `${tokenFile}: reloaded`);
}

/** Asks until the token is refused, waiting for a reload of the token file between tries (the watcher may first read an earlier version). */
async function refusedAfterReload(token: string): Promise<number | string> {
  for (;;) {
    const reload = nextReload();
    const who = await whoIs(token);
    if (who !== 'jane') return who;
    await reload;
  }
}

async function mintJane(n: number): Promise<string> {
  const out = join(dir, `jane-${n}.kubeconfig`);
  assert.equal(await kubeconfigCommand(['--pki-dir', pkiDir, '--user', 'jane', '--group', `g${n}`, '--auth', 'token', '-o', out]), 0);
  return credentialsOf(await readFile(out, 'utf8')).token!;
}

test('kubeconfig --auth token twice: one line for jane, the first token then 401, the second works', async () => {
  const first = await mintJane(1);
  assert.equal(await whoIs(first), 'jane');
  const second = await mintJane(2);
  assert.equal(await whoIs(second), 'jane', 'the new token works at once (a miss re-reads the file)');
  const lines = (await readFile(tokenFile, 'utf8')).split('\n').filter((l) => /^[^,]*,jane,/.test(l));
  assert.deepEqual(lines, [`${second},jane,,g2`]);
  assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
  assert.equal(await refusedAfterReload(first), 401);
  assert.equal(await whoIs(second), 'jane');
});

test('two kubeconfig processes minting different users at once both keep their lines', async () => {
  const results = await Promise.all(['ann', 'ben'].map((user) => cli('kubeconfig', '--pki-dir', pkiDir, '--user', user, '--auth', 'token', '-o', join(dir, `${user}.kubeconfig`))));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const table = parseTokenFile(await readFile(tokenFile, 'utf8'), tokenFile);
  for (const user of ['ann', 'ben']) {
    const token = credentialsOf(await readFile(join(dir, `${user}.kubeconfig`), 'utf8')).token!;
    assert.equal(table.tokens.get(token)?.name, user);
  }
});

test('server.kubeconfig() twice for the same user: the first token is retired at once (tables in memory)', async () => {
  const first = credentialsOf(await server().kubeconfig({ user: 'mem-jane', auth: 'token' })).token!;
  const second = credentialsOf(await server().kubeconfig({ user: 'mem-jane', groups: ['dev'], auth: 'token' })).token!;
  assert.equal(await whoIs(first), 401);
  assert.equal(await whoIs(second), 'mem-jane');
});
