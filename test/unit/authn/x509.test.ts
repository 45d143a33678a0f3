// Cases from staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509_test.go (TestX509,
// TestX509Verifier), with certificates made by our own PKI at test time.
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { x509Authenticator } from '../../../src/authn/x509.js';
import type { AuthnResult } from '../../../src/authn/types.js';
import { createCa, issueClientCert, issueCustomCert, type IssuedCert } from '../../../src/pki/index.js';

let ca: IssuedCert;
let otherCa: IssuedCert;
let intermediate: IssuedCert;
const chains: Record<string, () => Promise<X509Certificate[]>> = {};
const DAY = 24 * 60 * 60 * 1000;

before(async () => {
  [ca, otherCa] = await Promise.all([createCa({ commonName: 'test-ca' }), createCa({ commonName: 'other-ca' })]);
  intermediate = await issueCustomCert(ca, { profile: 'ca', subject: { commonName: 'intermediate' } });
});

const leaf = async (issuer: () => IssuedCert, opts: Partial<Parameters<typeof issueClientCert>[1]> = {}) =>
  (await issueClientCert(issuer(), { user: 'jane', groups: ['dev', 'qa'], ...opts })).cert;

const cases: { name: string; chain: () => Promise<X509Certificate[]>; want: 'jane' | 'none' | RegExp; groups?: string[] }[] = [
  { name: 'TestX509: valid client certificate maps CN to user and each O to a group', chain: async () => [await leaf(() => ca)], want: 'jane', groups: ['dev', 'qa'] },
  { name: 'no client certificate is not this authenticator\'s business', chain: async () => [], want: 'none' },
  { name: 'TestX509: certificate from another CA', chain: async () => [await leaf(() => otherCa)], want: /signed by unknown authority/ },
  { name: 'TestX509: expired certificate', chain: async () => [await leaf(() => ca, { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) })], want: /has expired or is not yet valid: current time .* is after/ },
  { name: 'not yet valid certificate', chain: async () => [await leaf(() => ca, { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 10 * DAY) })], want: /has expired or is not yet valid: current time .* is before/ },
  { name: 'TestX509: server-only usage is an incompatible key usage', chain: async () => [await leaf(() => ca, { extKeyUsage: ['serverAuth'] })], want: /incompatible key usage/ },
  { name: 'no extended key usage at all allows any usage, as in Go', chain: async () => [await leaf(() => ca, { extKeyUsage: [] })], want: 'jane' },
  { name: 'TestX509Verifier: intermediate sent by the client', chain: async () => [await leaf(() => intermediate), intermediate.cert], want: 'jane' },
  { name: 'intermediate missing from the chain', chain: async () => [await leaf(() => intermediate)], want: /signed by unknown authority/ },
  { name: 'a client certificate used as an intermediate is refused', chain: async () => {
    const notCa = await issueClientCert(ca, { user: 'mid' });
    return [await leaf(() => notCa), notCa.cert];
  }, want: /signed by unknown authority/ },
];

for (const c of cases) {
  test(`x509: ${c.name}`, async () => {
    const authenticator = x509Authenticator({ roots: () => [ca.cert] });
    const result: AuthnResult = await authenticator.authenticate({ headers: {}, peerCertificates: await c.chain() });
    if (c.want === 'none') return assert.equal(result, null);
    if (c.want === 'jane') {
      assert.equal(result?.ok, true, JSON.stringify(result));
      if (result?.ok) {
        assert.equal(result.user.name, 'jane');
        assert.deepEqual(result.user.groups, c.groups ?? ['dev', 'qa']);
        assert.equal(result.authenticator, 'x509');
      }
      return;
    }
    assert.equal(result?.ok, false);
    if (result && !result.ok) assert.match(result.reason, c.want);
  });
}

test('a verified chain is re-checked once the clock passes its expiry', async () => {
  let now = new Date();
  const cert = await leaf(() => ca, { notAfter: new Date(Date.now() + DAY) });
  const authenticator = x509Authenticator({ roots: () => [ca.cert], now: () => now });
  assert.equal((await authenticator.authenticate({ headers: {}, peerCertificates: [cert] }))?.ok, true);
  now = new Date(Date.now() + 2 * DAY);
  assert.equal((await authenticator.authenticate({ headers: {}, peerCertificates: [cert] }))?.ok, false);
});

test('x509: CN and O are read unescaped, as Go holds them, and the credential-id extra names the certificate', async () => {
  const cert = (await issueClientCert(ca, { user: 'jane,doe+x', groups: ['dev+ops', 'a=b'] })).cert;
  const result = await x509Authenticator({ roots: () => [ca.cert] }).authenticate({ headers: {}, peerCertificates: [cert] });
  assert.equal(result?.ok, true);
  if (result?.ok) {
    assert.equal(result.user.name, 'jane,doe+x');
    assert.deepEqual(result.user.groups, ['dev+ops', 'a=b']);
    // x509.go CommonNameUserConversion: X509SHA256=<lower-case hex of the certificate's SHA-256>.
    assert.deepEqual(result.user.extra, { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${cert.fingerprint256.replaceAll(':', '').toLowerCase()}`] });
  }
});
