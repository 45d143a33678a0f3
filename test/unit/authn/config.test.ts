// The authenticator kube-apiserver assembles in pkg/kubeapiserver/authenticator/config.go (Config.New): which
// authenticator answers for which credential, in kube's order (basic auth as kube 1.18 had it, x509, then
// bearer tokens), anonymous on and off, and one token union shared by the bearer path and TokenReview.
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { newAuthenticator, type AuthenticationConfig } from '../../../src/authn/config.js';
import { emptyPasswordTable, type PasswordTable } from '../../../src/authn/password-file.js';
import { emptyTokenTable, type TokenTable } from '../../../src/authn/token-file.js';
import type { AuthnRequest, AuthnResult } from '../../../src/authn/types.js';
import { createCa, issueClientCert, type IssuedCert } from '../../../src/pki/index.js';

let ca: IssuedCert;
let certOf: Record<'good' | 'foreign', X509Certificate>;

before(async () => {
  const otherCa = await createCa({ commonName: 'other-ca' });
  ca = await createCa({ commonName: 'test-ca' });
  certOf = {
    good: (await issueClientCert(ca, { user: 'cert-user', groups: ['certs'] })).cert,
    foreign: (await issueClientCert(otherCa, { user: 'stranger' })).cert,
  };
});

/** Tables with one token and one password; each case may leave a source out. */
function tables(): { tokens: TokenTable; passwords: PasswordTable } {
  const tokens = emptyTokenTable();
  tokens.tokens.set('good-token', { name: 'token-user', uid: 't1', groups: ['tokens'], extra: {} });
  const passwords = emptyPasswordTable();
  passwords.users.set('basic-user', { password: Buffer.from('good-password', 'utf8'), user: { name: 'basic-user', uid: 'b1', groups: ['basics'], extra: {} } });
  return { tokens, passwords };
}

type Credential = 'none' | 'good-token' | 'bad-token' | 'good-password' | 'bad-password' | 'good-cert' | 'foreign-cert';

function request(credentials: readonly Credential[]): AuthnRequest {
  const headers: Record<string, string> = {};
  const peerCertificates: X509Certificate[] = [];
  for (const c of credentials) {
    if (c === 'good-token') headers.authorization = 'Bearer good-token';
    if (c === 'bad-token') headers.authorization = 'Bearer bad-token';
    if (c === 'good-password') headers.authorization = `Basic ${Buffer.from('basic-user:good-password').toString('base64')}`;
    if (c === 'bad-password') headers.authorization = `Basic ${Buffer.from('basic-user:wrong').toString('base64')}`;
    if (c === 'good-cert') peerCertificates.push(certOf.good);
    if (c === 'foreign-cert') peerCertificates.push(certOf.foreign);
  }
  return { headers, peerCertificates };
}

type Want = { authenticator: string; user: string; groups: string[] } | { reason: string | RegExp } | null;

const cases: { name: string; credentials: Credential[]; config?: Partial<Pick<AuthenticationConfig, 'anonymous'>> & { without?: ('tokens' | 'passwords' | 'x509')[] }; want: Want }[] = [
  { name: 'no credential, anonymous on: system:anonymous in system:unauthenticated', credentials: ['none'], want: { authenticator: 'anonymous', user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'no credential, anonymous off: nobody claims the request (401)', credentials: ['none'], config: { anonymous: false }, want: null },
  { name: 'a known bearer token: the token file, with system:authenticated added', credentials: ['good-token'], want: { authenticator: 'token-file', user: 'token-user', groups: ['tokens', 'system:authenticated'] } },
  { name: 'an unknown bearer token: "invalid bearer token", never anonymous', credentials: ['bad-token'], want: { reason: 'invalid bearer token' } },
  { name: 'an unknown bearer token with anonymous off: the same failure', credentials: ['bad-token'], config: { anonymous: false }, want: { reason: 'invalid bearer token' } },
  { name: 'a known password: basic auth', credentials: ['good-password'], want: { authenticator: 'basic-auth', user: 'basic-user', groups: ['basics', 'system:authenticated'] } },
  { name: 'a wrong password: kube 1.18\'s basic auth failure, never anonymous', credentials: ['bad-password'], want: { reason: 'invalid username/password combination' } },
  { name: 'a client certificate from the client CA: x509', credentials: ['good-cert'], want: { authenticator: 'x509', user: 'cert-user', groups: ['certs', 'system:authenticated'] } },
  { name: 'a client certificate from another CA: x509\'s failure', credentials: ['foreign-cert'], want: { reason: /signed by unknown authority/ } },
  { name: 'kube\'s order: basic auth before x509', credentials: ['good-password', 'good-cert'], want: { authenticator: 'basic-auth', user: 'basic-user', groups: ['basics', 'system:authenticated'] } },
  { name: 'kube\'s order: x509 before bearer tokens', credentials: ['good-cert', 'good-token'], want: { authenticator: 'x509', user: 'cert-user', groups: ['certs', 'system:authenticated'] } },
  { name: 'a foreign certificate does not hide a good token (union without failOnError)', credentials: ['foreign-cert', 'good-token'], want: { authenticator: 'token-file', user: 'token-user', groups: ['tokens', 'system:authenticated'] } },
  { name: 'no token source: no bearer authenticator, so a bearer token is nobody\'s credential (anonymous)', credentials: ['good-token'], config: { without: ['tokens'] }, want: { authenticator: 'anonymous', user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'no password source: no basic auth, so a password is nobody\'s credential (anonymous)', credentials: ['good-password'], config: { without: ['passwords'] }, want: { authenticator: 'anonymous', user: 'system:anonymous', groups: ['system:unauthenticated'] } },
  { name: 'no client CA: no x509, so a certificate is nobody\'s credential (anonymous)', credentials: ['good-cert'], config: { without: ['x509'] }, want: { authenticator: 'anonymous', user: 'system:anonymous', groups: ['system:unauthenticated'] } },
];

for (const c of cases) {
  test(`newAuthenticator: ${c.name}`, async () => {
    const { tokens, passwords } = tables();
    const without = c.config?.without ?? [];
    const { requestAuthenticator } = newAuthenticator({
      anonymous: c.config?.anonymous ?? true,
      tokenSources: without.includes('tokens') ? [] : [{ current: tokens }],
      passwordSources: without.includes('passwords') ? [] : [{ current: passwords }],
      ...(without.includes('x509') ? {} : { clientCaRoots: () => [ca.cert] }),
      apiAudiences: [],
    });
    const result: AuthnResult = await requestAuthenticator.authenticate(request(c.credentials));
    if (c.want === null) return assert.equal(result, null);
    if ('reason' in c.want) {
      assert.equal(result?.ok, false, JSON.stringify(result));
      if (result && !result.ok) {
        if (typeof c.want.reason === 'string') assert.equal(result.reason, c.want.reason);
        else assert.match(result.reason, c.want.reason);
      }
      return;
    }
    assert.equal(result?.ok, true, JSON.stringify(result));
    if (result?.ok) assert.deepEqual({ authenticator: result.authenticator, user: result.user.name, groups: result.user.groups }, c.want);
  });
}

test('newAuthenticator: a token minted after the build is seen, valid for the API audiences the request carries', async () => {
  const { tokens, passwords } = tables();
  const authn = newAuthenticator({ anonymous: true, tokenSources: [{ current: tokens }], passwordSources: [{ current: passwords }], apiAudiences: ['api'] });
  tokens.tokens.set('minted-later', { name: 'late', uid: 'l1', groups: ['minted'], extra: {} });
  const bearer = await authn.requestAuthenticator.authenticate({ headers: { authorization: 'Bearer minted-later' }, peerCertificates: [] });
  // A static token is audience-agnostic: valid for the API audiences the request carries (WrapAudienceAgnosticToken).
  assert.deepEqual(bearer, { ok: true, authenticator: 'token-file', user: { name: 'late', uid: 'l1', groups: ['minted', 'system:authenticated'], extra: {} }, audiences: ['api'] });
});

test('newAuthenticator: a static token asked about audiences the API does not serve is nobody\'s: "invalid bearer token"', async () => {
  const { tokens, passwords } = tables();
  tokens.tokens.set('t', { name: 'u', uid: '', groups: [], extra: {} });
  const authn = newAuthenticator({ anonymous: true, tokenSources: [{ current: tokens }], passwordSources: [{ current: passwords }], apiAudiences: ['api'] });
  const result = await authn.requestAuthenticator.authenticate({ headers: { authorization: 'Bearer t' }, peerCertificates: [], audiences: ['vault'] });
  // The loopback bearer authenticator refuses it first, then the token union: one text, as kube's aggregate prints it.
  assert.deepEqual(result, { ok: false, reason: 'invalid bearer token', errors: ['invalid bearer token', 'invalid bearer token'] });
});

test('newAuthenticator: 401s carry kube 1.18\'s basic-auth challenge only while basic auth is on', () => {
  const on = newAuthenticator({ anonymous: true, tokenSources: [], passwordSources: [{ current: emptyPasswordTable() }], apiAudiences: [] });
  const off = newAuthenticator({ anonymous: true, tokenSources: [], passwordSources: [], apiAudiences: [] });
  assert.deepEqual(on.challengeHeaders, { 'WWW-Authenticate': 'Basic realm="kubernetes-master"' });
  assert.deepEqual(off.challengeHeaders, {});
});

test('newAuthenticator: the token webhook is last in the token union, asked only about tokens nothing before it knows', async () => {
  const { tokens, passwords } = tables();
  const asked: string[] = [];
  const client = {
    url: 'https://hook.example/authn',
    async post(body: unknown) {
      const token = (body as { spec: { token: string } }).spec.token;
      asked.push(token);
      return { status: 200, body: { status: token === 'hooked' ? { authenticated: true, user: { username: 'hook-user', groups: ['h'] } } : { authenticated: false } } };
    },
  };
  const authn = newAuthenticator({ anonymous: true, tokenSources: [{ current: tokens }], passwordSources: [{ current: passwords }], apiAudiences: ['api'], tokenWebhook: { client, version: 'v1', cacheTtlMs: 0 } });
  const as = (token: string) => authn.requestAuthenticator.authenticate({ headers: { authorization: `Bearer ${token}` }, peerCertificates: [] });
  assert.deepEqual(await as('good-token'), { ok: true, authenticator: 'token-file', user: { name: 'token-user', uid: 't1', groups: ['tokens', 'system:authenticated'], extra: {} }, audiences: ['api'] });
  assert.deepEqual(asked, []);
  assert.deepEqual(await as('hooked'), { ok: true, authenticator: 'webhook', user: { name: 'hook-user', uid: '', groups: ['h', 'system:authenticated'], extra: {} }, audiences: ['api'] });
  assert.deepEqual(await as('unknown'), { ok: false, reason: 'invalid bearer token', errors: ['invalid bearer token', 'invalid bearer token'] });
  assert.deepEqual(asked, ['hooked', 'unknown']);
});

test('newAuthenticator: the token webhook alone turns the bearer path on', async () => {
  const client = { url: 'https://hook.example/', post: async () => ({ status: 200, body: { status: { authenticated: true, user: { username: 'only-hook' } } } }) };
  const authn = newAuthenticator({ anonymous: false, tokenSources: [], passwordSources: [], apiAudiences: [], tokenWebhook: { client, version: 'v1beta1', cacheTtlMs: 0 } });
  const result = await authn.requestAuthenticator.authenticate({ headers: { authorization: 'Bearer x' }, peerCertificates: [] });
  assert.equal(result?.ok && result.user.name, 'only-hook');
});
