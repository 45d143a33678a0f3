// Go's server name rules (crypto/tls hostnameInSNI, crypto/x509 VerifyHostname and HostnameError), as tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostnameInSni, verifyHostname, type CertificateNames } from '../../../src/handshake/go-hostname.js';

const names = (o: Partial<CertificateNames>): CertificateNames => ({ dnsNames: [], ipAddresses: [], hasSanExtension: true, commonName: '', ...o });

const SNI: [string, string][] = [
  ['example.com', 'example.com'],
  ['example.com.', 'example.com'],
  ['127.0.0.1', ''],
  ['::1', ''],
  ['[::1]', ''],
  ['fe80::1%eth0', ''],
  ['kubernetes.default.svc', 'kubernetes.default.svc'],
];
for (const [name, sni] of SNI) test(`hostnameInSni(${JSON.stringify(name)}) is ${JSON.stringify(sni)}`, () => assert.equal(hostnameInSni(name), sni));

const HOSTS: [CertificateNames, string, string | undefined][] = [
  [names({ dnsNames: ['localhost', 'kubernetes'] }), 'localhost', undefined],
  [names({ dnsNames: ['localhost'] }), 'LOCALHOST', undefined],
  [names({ dnsNames: ['localhost'] }), 'localhost.', undefined],
  [names({ dnsNames: ['*.example.com'] }), 'api.example.com', undefined],
  [names({ dnsNames: ['*.example.com'] }), 'a.b.example.com', 'x509: certificate is valid for *.example.com, not a.b.example.com'],
  [names({ dnsNames: ['a', 'b'] }), 'c', 'x509: certificate is valid for a, b, not c'],
  [names({ ipAddresses: ['127.0.0.1', '::1'] }), '127.0.0.1', undefined],
  [names({ ipAddresses: ['::1'] }), '[::1]', undefined],
  [names({ ipAddresses: ['127.0.0.1', '::1'] }), '10.0.0.1', 'x509: certificate is valid for 127.0.0.1, ::1, not 10.0.0.1'],
  // Go never matches an IP host against DNS SANs, even one that spells the address.
  [names({ dnsNames: ['10.0.0.1'] }), '10.0.0.1', 'x509: cannot validate certificate for 10.0.0.1 because it doesn\'t contain any IP SANs'],
  [names({}), 'example.com', 'x509: certificate is not valid for any names, but wanted to match example.com'],
  // No CommonName fallback: a certificate without SANs whose CN matches gets Go's legacy message.
  [names({ hasSanExtension: false, commonName: 'example.com' }), 'example.com', 'x509: certificate relies on legacy Common Name field, use SANs instead'],
];
for (const [n, host, error] of HOSTS) {
  test(`verifyHostname(${JSON.stringify(n.dnsNames.concat(n.ipAddresses))}, ${JSON.stringify(host)}) ${error === undefined ? 'matches' : 'fails'}`, () => assert.equal(verifyHostname(n, host), error));
}
