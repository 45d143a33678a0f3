// Cases from staging/src/k8s.io/apiserver/pkg/authentication/request/headerrequest/requestheader_test.go (TestRequestHeader)
// and request/x509/x509_test.go (TestX509Verifier: the proxy certificate's checks before the headers are read),
// with certificates made by our own PKI at test time.
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { unescapeExtraKey } from '../../../src/apimachinery/extra-key.js';
import { requestHeaderAuthenticator, userFromHeaders, type RequestHeaderNames } from '../../../src/authn/request-header.js';
import { audienceAgnosticRequest } from '../../../src/authn/audience-agnostic.js';
import { createCa, issueClientCert, issueCustomCert, type IssuedCert } from '../../../src/pki/index.js';

type Headers = Record<string, string[]>;
const names = (n: Partial<RequestHeaderNames>): RequestHeaderNames => ({ usernameHeaders: [], uidHeaders: [], groupHeaders: [], extraHeaderPrefixes: [], ...n });
/** Go's http.Header keys as node:http gives them: lower case. */
const lower = (h: Headers): Headers => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

const headerCases: { name: string; names: Partial<RequestHeaderNames>; headers?: Headers; want?: { name: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } }[] = [
  { name: 'empty', names: {} },
  { name: 'user no match', names: { usernameHeaders: ['X-Remote-User'] } },
  { name: 'user match', names: { usernameHeaders: ['X-Remote-User'] }, headers: { 'X-Remote-User': ['Bob'] }, want: { name: 'Bob' } },
  { name: 'user exact match', names: { usernameHeaders: ['X-Remote-User'] }, headers: { 'Prefixed-X-Remote-User-With-Suffix': ['Bob'], 'X-Remote-User-With-Suffix': ['Bob'] } },
  {
    name: 'user first match',
    names: { usernameHeaders: ['X-Remote-User', 'A-Second-X-Remote-User', 'Another-X-Remote-User'] },
    headers: { 'X-Remote-User': ['', 'First header, second value'], 'A-Second-X-Remote-User': ['Second header, first value', 'Second header, second value'], 'Another-X-Remote-User': ['Third header, first value'] },
    want: { name: 'Second header, first value' },
  },
  { name: 'user case-insensitive', names: { usernameHeaders: ['x-REMOTE-user'] }, headers: { 'X-Remote-User': ['Bob'] }, want: { name: 'Bob' } },
  { name: 'groups none', names: { usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group'] }, headers: { 'X-Remote-User': ['Bob'] }, want: { name: 'Bob' } },
  {
    name: 'groups all matches',
    names: { usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group-1', 'X-Remote-Group-2'] },
    headers: { 'X-Remote-User': ['Bob'], 'X-Remote-Group-1': ['one-a', 'one-b'], 'X-Remote-Group-2': ['two-a', 'two-b'] },
    want: { name: 'Bob', groups: ['one-a', 'one-b', 'two-a', 'two-b'] },
  },
  { name: 'groups case-insensitive', names: { usernameHeaders: ['X-REMOTE-User'], groupHeaders: ['X-REMOTE-Group'] }, headers: { 'X-Remote-User': ['Bob'], 'X-Remote-Group': ['Users'] }, want: { name: 'Bob', groups: ['Users'] } },
  { name: 'uid none', names: { usernameHeaders: ['X-Remote-User'], uidHeaders: ['X-Remote-Uid'] }, headers: { 'X-Remote-User': ['Bob'] }, want: { name: 'Bob' } },
  {
    name: 'uid exact match',
    names: { usernameHeaders: ['X-Remote-User'], uidHeaders: ['X-Remote-Uid'] },
    headers: { 'X-Remote-User': ['Bob'], 'X-Remote-Uid-1': ['8f5ea9d1-a5ed-4d02-80a2-26709216350b'], 'X-Remote-Uid-2': ['c7644180-c774-4a9b-81e5-3eef76f087ab'] },
    want: { name: 'Bob' },
  },
  {
    name: 'uid first match',
    names: { usernameHeaders: ['X-Remote-User'], uidHeaders: ['X-Remote-Uid-1', 'X-Remote-Uid-2'] },
    headers: { 'X-Remote-User': ['Bob'], 'X-Remote-Uid-1': ['8f5ea9d1-a5ed-4d02-80a2-26709216350b'], 'X-Remote-Uid-2': ['c7644180-c774-4a9b-81e5-3eef76f087ab'] },
    want: { name: 'Bob', uid: '8f5ea9d1-a5ed-4d02-80a2-26709216350b' },
  },
  {
    name: 'extra prefix matches case-insensitive with unrelated headers',
    names: { usernameHeaders: ['X-Remote-User'], uidHeaders: ['X-Remote-UID'], groupHeaders: ['X-Remote-Group-1', 'X-Remote-Group-2'], extraHeaderPrefixes: ['X-Remote-Extra-1-', 'X-Remote-Extra-2-'] },
    headers: {
      'X-Group-Remote': ['snorlax'],
      'X-Remote-User': ['Bob'],
      'X-Remote-Uid': ['2ca80fb0-60ea-4ecf-951c-89af843b0402'],
      'X-Remote-Group-1': ['one-a', 'one-b'],
      'X-Remote-Group-2': ['two-a', 'two-b'],
      'X-Remote-extra-1-key1': ['alfa', 'bravo'],
      'X-Remote-Extra-1-Key2': ['charlie', 'delta'],
      'X-Remote-Extra-1-': ['india', 'juliet'],
      'X-Remote-extra-2-': ['kilo', 'lima'],
      'X-Remote-extra-2-Key1': ['echo', 'foxtrot'],
      'X-Remote-Extra-2-key2': ['golf', 'hotel'],
    },
    want: {
      name: 'Bob',
      uid: '2ca80fb0-60ea-4ecf-951c-89af843b0402',
      groups: ['one-a', 'one-b', 'two-a', 'two-b'],
      extra: { key1: ['alfa', 'bravo', 'echo', 'foxtrot'], key2: ['charlie', 'delta', 'golf', 'hotel'], '': ['india', 'juliet', 'kilo', 'lima'] },
    },
  },
  {
    name: 'escaped extra keys',
    names: { usernameHeaders: ['X-Remote-User'], extraHeaderPrefixes: ['X-Remote-Extra-'] },
    headers: {
      'X-Remote-User': ['Bob'],
      'X-Remote-Extra-Alpha': ['alphabetical'],
      'X-Remote-Extra-Alph4num3r1c': ['alphanumeric'],
      'X-Remote-Extra-Percent%20encoded': ['percent encoded'],
      'X-Remote-Extra-Almost%zzpercent%xxencoded': ['not quite percent encoded'],
      'X-Remote-Extra-Example.com%2fpercent%2520encoded': ['url with double percent encoding'],
      'X-Remote-Extra-Example.com%2F%E4%BB%8A%E6%97%A5%E3%81%AF': ['url with unicode'],
      "X-Remote-Extra-Abc123!#$+.-_*\\^`~|'": ['header key legal characters'],
    },
    want: {
      name: 'Bob',
      extra: {
        alpha: ['alphabetical'],
        alph4num3r1c: ['alphanumeric'],
        'percent encoded': ['percent encoded'],
        'almost%zzpercent%xxencoded': ['not quite percent encoded'],
        'example.com/percent%20encoded': ['url with double percent encoding'],
        'example.com/今日は': ['url with unicode'],
        "abc123!#$+.-_*\\^`~|'": ['header key legal characters'],
      },
    },
  },
];

for (const c of headerCases) {
  test(`TestRequestHeader: ${c.name}`, () => {
    const headers = lower(c.headers ?? {});
    const result = userFromHeaders({ headers: {}, headersDistinct: headers, peerCertificates: [] }, names(c.names));
    if (c.want === undefined) return assert.equal(result, null);
    assert.deepEqual(result, { ok: true, authenticator: 'requestheader', user: { name: c.want.name, uid: c.want.uid ?? '', groups: c.want.groups ?? [], extra: c.want.extra ?? {} } });
  });
}

test('url.PathUnescape rules for extra keys: "+" stays, a malformed escape keeps the key as it came', () => {
  assert.equal(unescapeExtraKey('a+b'), 'a+b');
  assert.equal(unescapeExtraKey('a%2'), 'a%2');
  assert.equal(unescapeExtraKey('a%2fb'), 'a/b');
});

// TestX509Verifier's cases, with the header reader behind the verifier (kube's "innerauth").
let proxyCa: IssuedCert;
let clientCa: IssuedCert;
let intermediate: IssuedCert;
before(async () => {
  [proxyCa, clientCa] = await Promise.all([createCa({ commonName: 'front-proxy-ca' }), createCa({ commonName: 'client-ca' })]);
  intermediate = await issueCustomCert(proxyCa, { profile: 'ca', subject: { commonName: 'intermediate' } });
});
const DAY = 86_400_000;
const proxyHeaders = { 'x-remote-user': ['bob'], 'x-remote-group': ['g1', 'g2'] };

const verifierCases: { name: string; chain: () => Promise<X509Certificate[]>; allowed?: string[]; headers?: Headers; want: 'bob' | 'none' | RegExp }[] = [
  { name: 'tls, no certs: not mine, whatever the headers', chain: async () => [], want: 'none' },
  { name: 'self signed', chain: async () => [(await createCa({ commonName: 'front-proxy-client' })).cert], want: /signed by unknown authority/ },
  { name: 'a certificate of the client CA is not a proxy certificate', chain: async () => [(await issueClientCert(clientCa, { user: 'front-proxy-client' })).cert], want: /signed by unknown authority/ },
  { name: 'server cert disallowed', chain: async () => [(await issueClientCert(proxyCa, { user: 'front-proxy-client', extKeyUsage: ['serverAuth'] })).cert], want: /incompatible key usage/ },
  { name: 'valid client cert', chain: async () => [(await issueClientCert(proxyCa, { user: 'client_cn' })).cert], want: 'bob' },
  { name: 'valid client cert with wrong CN', allowed: ['foo', 'bar'], chain: async () => [(await issueClientCert(proxyCa, { user: 'client_cn' })).cert], want: /^x509: subject with cn=client_cn is not in the allowed list$/ },
  { name: 'valid client cert with right CN', allowed: ['client_cn'], chain: async () => [(await issueClientCert(proxyCa, { user: 'client_cn' })).cert], want: 'bob' },
  { name: 'future cert', chain: async () => [(await issueClientCert(proxyCa, { user: 'client_cn', notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 2 * DAY) })).cert], want: /has expired or is not yet valid/ },
  { name: 'expired cert', chain: async () => [(await issueClientCert(proxyCa, { user: 'client_cn', notBefore: new Date(Date.now() - 2 * DAY), notAfter: new Date(Date.now() - DAY) })).cert], want: /has expired or is not yet valid/ },
  { name: 'multi-level, valid', chain: async () => [(await issueClientCert(intermediate, { user: 'client_cn' })).cert, intermediate.cert], want: 'bob' },
  { name: 'a verified, allowed proxy certificate without a username header falls through (not mine)', allowed: ['client_cn'], headers: { 'x-remote-group': ['g1'] }, chain: async () => [(await issueClientCert(proxyCa, { user: 'client_cn' })).cert], want: 'none' },
  { name: 'the CN check comes before the headers: a wrong CN is an error even without a username header', allowed: ['foo'], headers: {}, chain: async () => [(await issueClientCert(proxyCa, { user: 'client_cn' })).cert], want: /not in the allowed list/ },
];

for (const c of verifierCases) {
  test(`TestX509Verifier (requestheader): ${c.name}`, async () => {
    const authn = requestHeaderAuthenticator({ roots: () => [proxyCa.cert], allowedNames: c.allowed ?? [], ...names({ usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group'] }) });
    const result = await authn.authenticate({ headers: {}, headersDistinct: c.headers ?? proxyHeaders, peerCertificates: await c.chain() });
    if (c.want === 'none') return assert.equal(result, null);
    if (c.want === 'bob') return assert.deepEqual(result, { ok: true, authenticator: 'requestheader', user: { name: 'bob', uid: '', groups: ['g1', 'g2'], extra: {} } });
    assert.equal(result?.ok, false, JSON.stringify(result));
    if (result !== null && !result.ok) assert.match(result.reason, c.want);
  });
}

test('WrapAudienceAgnosticRequest: a request for audiences the API does not have is not the proxy\'s; one it has gets them', async () => {
  const proxy = (await issueClientCert(proxyCa, { user: 'front-proxy-client' })).cert;
  const inner = requestHeaderAuthenticator({ roots: () => [proxyCa.cert], allowedNames: [], ...names({ usernameHeaders: ['X-Remote-User'] }) });
  const authn = audienceAgnosticRequest(inner, ['api']);
  const req = { headers: {}, headersDistinct: { 'x-remote-user': ['bob'] }, peerCertificates: [proxy] };
  assert.equal(await authn.authenticate({ ...req, audiences: ['other'] }), null);
  const ok = await authn.authenticate({ ...req, audiences: ['api', 'other'] });
  assert.deepEqual(ok !== null && ok.ok ? ok.audiences : undefined, ['api']);
});
