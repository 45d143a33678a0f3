// Minting a user again replaces that user's line in the token or password file (issue 12): one line per user and
// kind, every other line byte for byte, written by temp file + rename with mode 0600, concurrent writers serialized.
// The file format is kube's tokenfile.go CSV (staging/src/k8s.io/apiserver/pkg/authentication/token/tokenfile):
// the user is column 2 after TrimLeadingSpace, and there are no comments (encoding/csv's Comment is unset).
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseTokenFile } from '../../../src/authn/token-file.js';
import { staticUserLine } from '../../../src/authn/static-users.js';
import { putSecretLine, replaceUserLine } from '../../../src/kubeconfig/file-store.js';
import { ConfigError } from '../../../src/util/errors.js';

const JANE = 'new-secret,jane,u-2,dev\n';

const cases: { name: string; before: string; after: string }[] = [
  { name: 'empty file: appended', before: '', after: JANE },
  { name: 'new user: appended, others untouched', before: 'a,alice,1\n', after: `a,alice,1\n${JANE}` },
  { name: 'file without trailing newline: a newline first', before: 'a,alice,1', after: `a,alice,1\n${JANE}` },
  { name: 'existing user: replaced in place', before: 'a,alice,1\nold,jane,u-1,"ops,qa"\nb,bob,2\n', after: `a,alice,1\n${JANE}b,bob,2\n` },
  { name: 'existing user on a last line without newline', before: 'a,alice,1\nold,jane,u-1', after: `a,alice,1\n${JANE}` },
  { name: 'several lines for the user (old appends): first replaced, rest dropped', before: 'o1,jane,1\na,alice,1\no2,jane,1\n', after: `${JANE}a,alice,1\n` },
  { name: 'groups and uid differ: still the user\'s line', before: 'old,jane,other-uid,"x,y,z"\n', after: JANE },
  { name: 'quoted fields with commas and quotes kept byte for byte', before: '"t,1",  "al""ice",1,"g1,g2"\nold,jane,1\n', after: `"t,1",  "al""ice",1,"g1,g2"\n${JANE}` },
  { name: 'leading space before the name: kube trims it, so it is jane', before: 'old, jane,1\n', after: JANE },
  { name: 'a line starting with # (a record to kube) for another user kept', before: '#note,not-jane,0\nold,jane,1\n', after: `#note,not-jane,0\n${JANE}` },
  { name: 'blank lines and CRLF lines of others kept', before: 'a,alice,1\r\n\nold,jane,1\r\nb,bob,2\r\n', after: `a,alice,1\r\n\n${JANE}b,bob,2\r\n` },
  { name: 'a record spanning lines (quoted newline) replaced whole', before: 'old,jane,1,"a\nb"\nb,bob,2\n', after: `${JANE}b,bob,2\n` },
  { name: 'a name that only contains jane is another user', before: 'x,jane2,1\ny,"jane ",1\n', after: `x,jane2,1\ny,"jane ",1\n${JANE}` },
];
for (const c of cases) {
  test(`replaceUserLine: ${c.name}`, () => {
    assert.equal(replaceUserLine(c.before, 'tokens.csv', 'jane', JANE), c.after);
  });
}

test('replaceUserLine: a file kube could not parse is a ConfigError naming it, not a rewrite', () => {
  assert.throws(() => replaceUserLine('a,"unterminated\n', 'tokens.csv', 'jane', JANE), (err: unknown) => err instanceof ConfigError && err.message.includes('tokens.csv'));
});

const dir = await mkdtemp(join(tmpdir(), 'kam-file-store-'));
after(() => rm(dir, { recursive: true, force: true }));

test('putSecretLine: replaces atomically, mode 0600, no temp or lock file left', async () => {
  const file = join(dir, 'tokens.csv');
  await writeFile(file, '# kept,x,y\nold,jane,1\n', { mode: 0o644 });
  await putSecretLine(file, 'jane', staticUserLine('t2', { name: 'jane', uid: '', groups: [] }));
  assert.equal(await readFile(file, 'utf8'), '# kept,x,y\nt2,jane,\n');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(dir), ['tokens.csv']);
});

test('putSecretLine: concurrent mints of 20 users and 20 re-mints keep one line each', async () => {
  const file = join(dir, 'many.csv');
  const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
  await Promise.all(users.flatMap((name) => [1, 2].map((n) => putSecretLine(file, name, staticUserLine(`${name}-t${n}`, { name, uid: '', groups: [] })))));
  const table = parseTokenFile(await readFile(file, 'utf8'), file);
  assert.equal(table.tokens.size, 20);
  for (const name of users) assert.equal(table.tokens.get(`${name}-t2`)?.name, name, `${name}'s second mint wins`);
});

test('putSecretLine: a lock left by a dead writer is taken over', async () => {
  const file = join(dir, 'stale.csv');
  const lock = `${file}.lock`;
  await writeFile(lock, '');
  const { utimes } = await import('node:fs/promises');
  await utimes(lock, new Date(0), new Date(0));
  await putSecretLine(file, 'jane', JANE);
  assert.equal(await readFile(file, 'utf8'), JANE);
});
