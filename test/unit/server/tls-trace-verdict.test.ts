// The trace's verdict (src/server/tls-trace.ts clientChainVerdict): what kube's x509 authenticator, or the request
// header authenticator for a front proxy's certificate, would make of a presented chain.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { clientChainVerdict } from '../../../src/server/tls-trace.js';
import { issueOddCert } from '../../helpers/odd-certs.js';

const clientCa = await issueOddCert({ issuer: 'self', commonName: 'kubernetes', ca: {} });
const proxyCa = await issueOddCert({ issuer: 'self', commonName: 'front-proxy-ca', ca: {} });
const stranger = await issueOddCert({ issuer: 'self', commonName: 'stranger', ca: {} });
const x509 = (pem: string): X509Certificate => new X509Certificate(pem);
const roots = [x509(clientCa.certPem)];
const frontProxy = { roots: [x509(proxyCa.certPem)], allowedNames: ['front-proxy-client'] };
const now = new Date();

const cases: [string, () => Promise<X509Certificate[]>, string][] = [
  ['no certificate', async () => [], 'no client certificate'],
  ['a user with groups', async () => [x509((await issueOddCert({ issuer: clientCa, commonName: 'jane', organizations: ['dev'] })).certPem)], 'accepted: user jane, groups dev'],
  ['a user without groups', async () => [x509((await issueOddCert({ issuer: clientCa, commonName: 'joe' })).certPem)], 'accepted: user joe, no groups'],
  ['an empty CommonName is not a user', async () => [x509((await issueOddCert({ issuer: clientCa, commonName: '' })).certPem)], 'ignored: the chain verifies but the certificate has no CommonName, which the x509 authenticator does not map to a user'],
  ['a CA the server does not trust', async () => [x509((await issueOddCert({ issuer: stranger, commonName: 'mallory' })).certPem)], 'rejected: x509: certificate signed by unknown authority'],
  ['the front proxy', async () => [x509((await issueOddCert({ issuer: proxyCa, commonName: 'front-proxy-client' })).certPem)], 'front proxy: verifies against --requestheader-client-ca-file, CommonName front-proxy-client allowed; its requests name their user in headers'],
  [
    'a front proxy certificate with a name not allowed',
    async () => [x509((await issueOddCert({ issuer: proxyCa, commonName: 'other-proxy' })).certPem)],
    'rejected: the front proxy certificate\'s CommonName other-proxy is not in --requestheader-allowed-names, and the x509 authenticator says x509: certificate signed by unknown authority',
  ],
];

for (const [name, chain, expected] of cases) {
  test(`verdict: ${name}`, async () => {
    assert.equal(clientChainVerdict(await chain(), roots, now, frontProxy), expected);
  });
}

test('verdict: an expired certificate, in Go\'s words', async () => {
  const expired = await issueOddCert({ issuer: clientCa, commonName: 'old', notBefore: new Date(Date.now() - 3 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
  assert.match(clientChainVerdict([x509(expired.certPem)], roots, now), /^rejected: x509: certificate has expired or is not yet valid: current time .* is after /);
});
