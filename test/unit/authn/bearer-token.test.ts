// Cases from staging/src/k8s.io/apiserver/pkg/authentication/request/bearertoken/bearertoken_test.go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, bearerTokenAuthenticator, INVALID_BEARER_TOKEN, INVALID_TOKEN_WITH_SPACE_WARNING } from '../../../src/authn/bearer-token.js';
import type { AuthnRequest, TokenAuthenticator } from '../../../src/authn/types.js';

const req = (authorization?: string | string[]): AuthnRequest => ({ headers: authorization === undefined ? {} : { authorization }, peerCertificates: [] });

const tokenCases: { name: string; header?: string | string[]; token: string | null }[] = [
  { name: 'no header is no token', token: null },
  { name: 'empty header is no token', header: '', token: null },
  { name: 'Bearer scheme', header: 'Bearer abc', token: 'abc' },
  { name: 'scheme is case-insensitive', header: 'bEaReR abc', token: 'abc' },
  { name: 'surrounding spaces are trimmed', header: '  Bearer abc  ', token: 'abc' },
  { name: 'TestBearerTokenEmpty: Bearer with nothing after it', header: 'Bearer ', token: null },
  { name: 'two spaces: empty token part', header: 'Bearer  abc', token: null },
  { name: 'token with a space: first part only (SplitN 3)', header: 'Bearer abc def', token: 'abc' },
  { name: 'Basic scheme is not a bearer token', header: 'Basic YWxpY2U6cHc=', token: null },
  { name: 'scheme only', header: 'Bearer', token: null },
  { name: 'non-ASCII token is passed on as is', header: 'Bearer tøken', token: 'tøken' },
  { name: 'first of repeated headers', header: ['Bearer one', 'Bearer two'], token: 'one' },
];

for (const c of tokenCases) {
  test(`bearerToken: ${c.name}`, () => {
    assert.equal(bearerToken(req(c.header)), c.token);
  });
}

const fixed = (valid: string): TokenAuthenticator => ({
  authenticateToken: async (token) => (token === valid ? { ok: true, authenticator: 'test', user: { name: 'u', uid: '', groups: [], extra: {} } } : null),
});

test('TestAuthenticateRequestTokenValid: a recognised token authenticates', async () => {
  const result = await bearerTokenAuthenticator(fixed('good')).authenticate(req('Bearer good'));
  assert.equal(result?.ok, true);
});

test('TestAuthenticateRequestTokenInvalid: an unrecognised token is "invalid bearer token", not "no credentials"', async () => {
  assert.deepEqual(await bearerTokenAuthenticator(fixed('good')).authenticate(req('Bearer bad')), { ok: false, reason: INVALID_BEARER_TOKEN });
});

test('TestAuthenticateRequestTokenNone: no token is not this authenticator\'s business', async () => {
  assert.equal(await bearerTokenAuthenticator(fixed('good')).authenticate(req()), null);
});

// bearertoken.go: an empty token between two spaces gets invalidTokenWithSpaceWarning; other empty tokens do not.
const warningCases: { name: string; header: string; warnings: string[] }[] = [
  { name: 'Bearer  <token> (two spaces) warns', header: 'Bearer  abc', warnings: [INVALID_TOKEN_WITH_SPACE_WARNING] },
  { name: 'Bearer   <token> (three spaces) warns', header: 'Bearer   abc', warnings: [INVALID_TOKEN_WITH_SPACE_WARNING] },
  { name: 'Bearer <token> does not warn', header: 'Bearer abc', warnings: [] },
  { name: 'Bearer with nothing after it does not warn (trimmed to two parts at most)', header: 'Bearer   ', warnings: [] },
  { name: 'another scheme with two spaces does not warn', header: 'Basic  abc', warnings: [] },
];

for (const c of warningCases) {
  test(`bearerToken warning: ${c.name}`, () => {
    const warnings: string[] = [];
    bearerToken({ ...req(c.header), addWarning: (text) => warnings.push(text) });
    assert.deepEqual(warnings, c.warnings);
  });
}

test('invalidTokenWithSpaceWarning is kube\'s wording', () => {
  assert.equal(INVALID_TOKEN_WITH_SPACE_WARNING, 'the provided Authorization header contains extra space before the bearer token, and is ignored');
});
