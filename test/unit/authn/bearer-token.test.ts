// The bearer token authenticator, staging/src/k8s.io/apiserver/pkg/authentication/request/bearertoken/bearertoken.go.
// Rows named `Test...` are kube's own cases, from bearertoken_test.go beside it (a table row's Go name in quotes,
// an unnamed row by its header); rows marked (ours) are not in kube's tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, bearerTokenAuthenticator, INVALID_BEARER_TOKEN, INVALID_TOKEN_WITH_SPACE_WARNING } from '../../../src/authn/bearer-token.js';
import type { AuthnRequest, AuthnResult, TokenAuthenticator } from '../../../src/authn/types.js';

/** A header as node:http gives it: the UTF-8 bytes the client sent, one char each (latin1). */
const wire = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const req = (authorization?: string | string[]): AuthnRequest => ({ headers: authorization === undefined ? {} : { authorization }, peerCertificates: [] });

const tokenCases: { name: string; header?: string | string[]; token: string | null }[] = [
  { name: 'TestAuthenticateRequest: "Bearer token"', header: 'Bearer token', token: 'token' },
  { name: 'TestAuthenticateRequestIncludingValueAfterToken: "Bearer token a"', header: 'Bearer token a', token: 'token' },
  { name: 'TestAuthenticateRequestIncludingValueAfterToken: "Bearer token a b c"', header: 'Bearer token a b c', token: 'token' },
  { name: 'TestAuthenticateRequestIncludingValueAfterToken: "Bearer token   a"', header: 'Bearer token   a', token: 'token' },
  { name: 'TestAuthenticateRequestBadValue: no Authorization header', token: null },
  { name: 'TestAuthenticateRequestBadValue: "Bearer"', header: 'Bearer', token: null },
  { name: 'TestAuthenticateRequestBadValue: "bear token"', header: 'bear token', token: null },
  { name: 'TestAuthenticateRequestBadValue: "Bearer: token"', header: 'Bearer: token', token: null },
  { name: 'TestBearerToken "no header"', token: null },
  { name: 'TestBearerToken "empty header"', header: '', token: null },
  { name: 'TestBearerToken "non-bearer header"', header: 'Basic 123', token: null },
  { name: 'TestBearerToken "empty bearer token"', header: 'Bearer ', token: null },
  { name: '(ours) the scheme is compared case-insensitively', header: 'bEaReR abc', token: 'abc' },
  { name: '(ours) surrounding spaces are trimmed', header: '  Bearer abc  ', token: 'abc' },
  { name: '(ours) two spaces: the token part is empty', header: 'Bearer  abc', token: null },
  { name: '(ours) a non-ASCII token arrives as its UTF-8 bytes and is decoded', header: wire('Bearer tøken'), token: 'tøken' },
  { name: '(ours) repeated headers: the first one (Go\'s Header.Get)', header: ['Bearer one', 'Bearer two'], token: 'one' },
  // strings.TrimSpace trims what unicode.IsSpace calls space, decoded from UTF-8: U+0085 (C2 85) is a space, U+FEFF
  // (EF BB BF) is not, and a lone byte 0xA0 or 0x85 is not UTF-8, so not a space. JS's trim() differs on all four.
  { name: '(ours) Go\'s TrimSpace keeps a trailing U+FEFF: it is not a space to Go', header: wire('Bearer abc\uFEFF'), token: 'abc\uFEFF' },
  { name: '(ours) Go\'s TrimSpace trims a trailing U+0085 (NEL, C2 85)', header: wire('Bearer abc\u0085'), token: 'abc' },
  { name: '(ours) Go\'s TrimSpace trims U+3000 and U+2028 too', header: wire('\u3000Bearer abc\u2028'), token: 'abc' },
  { name: '(ours) a lone byte 0xA0 is not UTF-8, so not a space: the token keeps it', header: 'Bearer abc\xA0', token: 'abc\uFFFD' },
  { name: '(ours) a lone byte 0x85 is not UTF-8, so not a space: the token keeps it', header: 'Bearer abc\x85', token: 'abc\uFFFD' },
];

for (const c of tokenCases) {
  test(`bearerToken: ${c.name}`, () => {
    assert.equal(bearerToken(req(c.header)), c.token);
  });
}

const myuser = { name: 'myuser', uid: '', groups: [], extra: {} };
/** A token authenticator that answers `result` and records the tokens it was asked about. */
const tokenFunc = (result: AuthnResult): TokenAuthenticator & { asked: string[] } => {
  const asked: string[] = [];
  return { asked, authenticateToken: async (token) => (asked.push(token), result) };
};

// bearertoken_test.go's TokenFunc answers (resp, ok, err); ours is one AuthnResult: a user, null for
// "not mine" (nil, false, nil), or { ok: false, reason } for an error.
const authCases: { name: string; header?: string; answer: AuthnResult; want: AuthnResult; asked: string[] }[] = [
  { name: 'TestAuthenticateRequest: a recognised token authenticates', header: 'Bearer token', answer: { ok: true, authenticator: 'test', user: myuser }, want: { ok: true, authenticator: 'test', user: myuser }, asked: ['token'] },
  { name: 'TestAuthenticateRequestTokenInvalid: an unrecognised token is invalidToken, not "no credentials"', header: 'Bearer token', answer: null, want: { ok: false, reason: INVALID_BEARER_TOKEN }, asked: ['token'] },
  { name: 'TestAuthenticateRequestTokenInvalidCustomError: the token authenticator\'s own error is returned as is', header: 'Bearer token', answer: { ok: false, reason: 'custom' }, want: { ok: false, reason: 'custom' }, asked: ['token'] },
  { name: 'TestAuthenticateRequestTokenError: an error is an error', header: 'Bearer token', answer: { ok: false, reason: 'error' }, want: { ok: false, reason: 'error' }, asked: ['token'] },
  { name: 'TestAuthenticateRequestBadValue: no token, the token authenticator is not called', answer: null, want: null, asked: [] },
  { name: 'TestAuthenticateRequestBadValue: "Bearer", the token authenticator is not called', header: 'Bearer', answer: null, want: null, asked: [] },
  { name: 'TestBearerToken "no header"', answer: null, want: null, asked: [] },
  { name: 'TestBearerToken "empty header"', header: '', answer: null, want: null, asked: [] },
  { name: 'TestBearerToken "non-bearer header"', header: 'Basic 123', answer: null, want: null, asked: [] },
  { name: 'TestBearerToken "empty bearer token"', header: 'Bearer ', answer: null, want: null, asked: [] },
  // The row also checks that kube deletes the Authorization header on success, so that it is not passed on;
  // the mock forwards no request, so only the user is checked here.
  { name: 'TestBearerToken "valid bearer token removing header"', header: 'Bearer 123', answer: { ok: true, authenticator: 'test', user: myuser }, want: { ok: true, authenticator: 'test', user: myuser }, asked: ['123'] },
  { name: 'TestBearerToken "invalid bearer token"', header: 'Bearer 123', answer: null, want: { ok: false, reason: INVALID_BEARER_TOKEN }, asked: ['123'] },
  { name: 'TestBearerToken "error bearer token"', header: 'Bearer 123', answer: { ok: false, reason: 'error' }, want: { ok: false, reason: 'error' }, asked: ['123'] },
];

for (const c of authCases) {
  test(`bearerTokenAuthenticator: ${c.name}`, async () => {
    const tokens = tokenFunc(c.answer);
    assert.deepEqual(await bearerTokenAuthenticator(tokens).authenticate(req(c.header)), c.want);
    assert.deepEqual(tokens.asked, c.asked);
  });
}

test('(ours) invalidToken is kube\'s "invalid bearer token"', () => {
  assert.equal(INVALID_BEARER_TOKEN, 'invalid bearer token');
});

// (ours) bearertoken.go: an empty token between two spaces gets invalidTokenWithSpaceWarning; other empty tokens do not.
const warningCases: { name: string; header: string; warnings: string[] }[] = [
  { name: 'Bearer  <token> (two spaces) warns', header: 'Bearer  abc', warnings: [INVALID_TOKEN_WITH_SPACE_WARNING] },
  { name: 'Bearer   <token> (three spaces) warns', header: 'Bearer   abc', warnings: [INVALID_TOKEN_WITH_SPACE_WARNING] },
  { name: 'Bearer <token> does not warn', header: 'Bearer abc', warnings: [] },
  { name: 'Bearer with nothing after it does not warn (trimmed to two parts at most)', header: 'Bearer   ', warnings: [] },
  { name: 'another scheme with two spaces does not warn', header: 'Basic  abc', warnings: [] },
];

for (const c of warningCases) {
  test(`bearerToken warning (ours): ${c.name}`, () => {
    const warnings: string[] = [];
    bearerToken({ ...req(c.header), addWarning: (text) => warnings.push(text) });
    assert.deepEqual(warnings, c.warnings);
  });
}

test('(ours) invalidTokenWithSpaceWarning is kube\'s wording', () => {
  assert.equal(INVALID_TOKEN_WITH_SPACE_WARNING, 'the provided Authorization header contains extra space before the bearer token, and is ignored');
});
