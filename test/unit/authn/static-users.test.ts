// Cases from staging/src/k8s.io/apiserver/pkg/authentication/token/tokenfile/tokenfile_test.go and
// (release-1.18) passwordfile_test.go, plus our file:line errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/util/errors.js';
import { basicCredentials, checkPassword, parsePasswordFile } from '../../../src/authn/password-file.js';
import { staticUserLine } from '../../../src/authn/static-users.js';
import { parseTokenFile } from '../../../src/authn/token-file.js';

const TOKENS = `token1,user1,uid1
token2,user2,uid2
token3,user3,uid3,"group1,group2"
token4,user4,uid4,"group2"
token5,user5,uid5,group5
token6,user6,uid6,group5,otherdata
token7,user7,uid7,"group1,group2",otherdata
`;

const tokenCases: { name: string; token: string; want: { name: string; uid: string; groups: string[] } | undefined }[] = [
  { name: 'token1: three columns, no groups', token: 'token1', want: { name: 'user1', uid: 'uid1', groups: [] } },
  { name: 'token3: quoted group list', token: 'token3', want: { name: 'user3', uid: 'uid3', groups: ['group1', 'group2'] } },
  { name: 'token4: quoted single group', token: 'token4', want: { name: 'user4', uid: 'uid4', groups: ['group2'] } },
  { name: 'token5: unquoted single group', token: 'token5', want: { name: 'user5', uid: 'uid5', groups: ['group5'] } },
  { name: 'token6: extra columns are ignored', token: 'token6', want: { name: 'user6', uid: 'uid6', groups: ['group5'] } },
  { name: 'token7: quoted groups, then extra columns', token: 'token7', want: { name: 'user7', uid: 'uid7', groups: ['group1', 'group2'] } },
  { name: 'token8: unknown token', token: 'token8', want: undefined },
  { name: 'a prefix of a token is not the token', token: 'token', want: undefined },
];

const table = parseTokenFile(TOKENS, 'tokens.csv');
for (const c of tokenCases) {
  test(`TestTokenFile: ${c.name}`, () => {
    const user = table.tokens.get(c.token);
    assert.deepEqual(user === undefined ? undefined : { name: user.name, uid: user.uid, groups: user.groups }, c.want);
  });
}

const badFiles: { name: string; text: string; line: number; reason: RegExp; code: ConfigError['code'] }[] = [
  { name: 'TestBadTokenFile: two columns', text: 'token1,user1,uid1\ntoken2,user2\n', line: 2, reason: /must have at least 3 columns \(token, user name, user uid\), found 2/, code: 'CSV_FIELDS' },
  { name: 'TestInsufficientColumnsTokenFile: one column', text: 'token4\n', line: 1, reason: /found 1/, code: 'CSV_FIELDS' },
  { name: 'line numbers count blank lines', text: 'token1,user1,uid1\n\n\ntoken2\n', line: 4, reason: /found 1/, code: 'CSV_FIELDS' },
  { name: 'a bare quote is a syntax error', text: 'token1,us"er,uid1\n', line: 1, reason: /invalid CSV/, code: 'CSV_SYNTAX' },
  { name: 'an unclosed quote is a syntax error', text: 'token1,user1,uid1\ntoken2,"user2,uid2\n', line: 2, reason: /invalid CSV/, code: 'CSV_SYNTAX' },
];

for (const c of badFiles) {
  test(`token file errors name file and line: ${c.name}`, () => {
    assert.throws(
      () => parseTokenFile(c.text, '/etc/tokens.csv'),
      (err: unknown) => err instanceof ConfigError && err.file === '/etc/tokens.csv' && err.line === c.line && c.reason.test(err.reason) && err.code === c.code && err.message.startsWith(`/etc/tokens.csv:${c.line}: `),
    );
  });
}

test('TestEmptyTokenTokenFile: empty tokens are skipped with a warning', () => {
  const t = parseTokenFile(',user1,uid1\ntoken2,user2,uid2\n', 'f.csv');
  assert.equal(t.tokens.size, 1);
  assert.deepEqual(t.warnings, ["empty token has been found in token file 'f.csv', record number '1'"]);
});

test('duplicate tokens: the last line wins, with kube\'s warning', () => {
  const t = parseTokenFile('tok,user1,uid1\ntok,user2,uid2\n', 'f.csv');
  assert.equal(t.tokens.get('tok')?.name, 'user2');
  assert.deepEqual(t.warnings, ["duplicate token has been found in token file 'f.csv', record number '2'"]);
});

test('an empty fourth column is one empty group, as strings.Split gives', () => {
  assert.deepEqual(parseTokenFile('tok,u,1,\n', 'f.csv').tokens.get('tok')?.groups, ['']);
});

test('leading spaces of fields are trimmed (TrimLeadingSpace)', () => {
  assert.equal(parseTokenFile('tok, user1, uid1\n', 'f.csv').tokens.get('tok')?.name, 'user1');
});

test('staticUserLine writes a line that parses back to the same user', () => {
  const line = staticUserLine('s3cret', { name: 'jane', uid: 'u-1', groups: ['dev', 'qa'] });
  assert.equal(line, 's3cret,jane,u-1,"dev,qa"\n');
  assert.deepEqual(parseTokenFile(line, 'f').tokens.get('s3cret'), { name: 'jane', uid: 'u-1', groups: ['dev', 'qa'], extra: {} });
});

const PASSWORDS = `password1,user1,uid1
password2,user2,uid2,"group1,group2"
`;

const passwordCases: { name: string; user: string; password: string; want: string | undefined }[] = [
  { name: 'TestPasswordFile: right password', user: 'user1', password: 'password1', want: 'user1' },
  { name: 'wrong password', user: 'user1', password: 'password2', want: undefined },
  { name: 'password of another user', user: 'user2', password: 'password1', want: undefined },
  { name: 'unknown user', user: 'user3', password: 'password1', want: undefined },
  { name: 'a prefix of the password', user: 'user1', password: 'password', want: undefined },
  { name: 'empty password', user: 'user1', password: '', want: undefined },
];
const passwords = parsePasswordFile(PASSWORDS, 'basic.csv');
for (const c of passwordCases) {
  test(`password file: ${c.name}`, () => {
    assert.equal(checkPassword(passwords, c.user, c.password)?.name, c.want);
  });
}

test('TestBadPasswordFile: two columns names file and line', () => {
  assert.throws(() => parsePasswordFile('p,u,1\np2,u2\n', 'basic.csv'), /basic\.csv:2: password file 'basic\.csv' must have at least 3 columns \(password, user name, user uid\), found 2/);
});

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
const basicCases: { name: string; header: string; want: { username: string; password: string } | null }[] = [
  { name: 'Go BasicAuth: user and password', header: `Basic ${b64('alice:pw')}`, want: { username: 'alice', password: 'pw' } },
  { name: 'scheme is case-insensitive', header: `BASIC ${b64('alice:pw')}`, want: { username: 'alice', password: 'pw' } },
  { name: 'password may contain colons', header: `Basic ${b64('alice:a:b')}`, want: { username: 'alice', password: 'a:b' } },
  { name: 'UTF-8 user names and passwords are kept as UTF-8', header: `Basic ${Buffer.from('jöhn:pä$$', 'utf8').toString('base64')}`, want: { username: 'jöhn', password: 'pä$$' } },
  { name: 'empty password', header: `Basic ${b64('alice:')}`, want: { username: 'alice', password: '' } },
  { name: 'not base64 is not basic credentials', header: 'Basic !!!notbase64', want: null },
  { name: 'no colon is not basic credentials', header: `Basic ${b64('alicepw')}`, want: null },
  { name: 'unpadded base64 is refused, as by StdEncoding', header: 'Basic YWxpY2U6cHc', want: null },
  { name: 'a Bearer header is not basic', header: 'Bearer abc', want: null },
  { name: 'scheme without a space', header: 'Basic', want: null },
];
for (const c of basicCases) {
  test(`basicCredentials: ${c.name}`, () => {
    assert.deepEqual(basicCredentials({ headers: { authorization: c.header }, peerCertificates: [] }), c.want);
  });
}
