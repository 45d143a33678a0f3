// The server's chain judged as Go's crypto/x509 Verify judges it for a TLS client (validity, hostname, chain,
// serverAuth usage, in that order, stopping at the first failure), and the credential's description.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createCa, issueClientCert, issueCustomCert, issueServingCert, type IssuedCert } from '../../../src/pki/index.js';
import { verifyServerChain, certificatesFromPem } from '../../../src/handshake/verify-server.js';
import { describeCredential, describeToken } from '../../../src/handshake/credential.js';

let ca: IssuedCert;
let other: IssuedCert;
let serving: IssuedCert;
let clientOnly: IssuedCert;
const NOW = new Date();

before(async () => {
  ca = await createCa({ commonName: 'test-ca' });
  other = await createCa({ commonName: 'other-ca' });
  serving = await issueServingCert(ca, { sans: ['localhost', '127.0.0.1'], notBefore: new Date(NOW.getTime() - 3_600_000), notAfter: new Date(NOW.getTime() + 86_400_000) });
  clientOnly = await issueCustomCert(ca, { profile: 'serving', subject: { commonName: 'wrong-usage' }, sans: ['localhost'], extKeyUsage: ['clientAuth'] });
});

const results = (v: ReturnType<typeof verifyServerChain>) => v.checks.map((c) => `${c.name}:${c.result}`);

test('a serving certificate from the trusted CA, for the host: every check passes', () => {
  const v = verifyServerChain([serving.cert], [ca.cert], '127.0.0.1', NOW);
  assert.equal(v.error, undefined);
  assert.deepEqual(results(v), ['validity:ok', 'hostname:ok', 'chain:ok', 'usage:ok']);
  assert.deepEqual(v.chain, ['CN=kube-apiserver', 'CN=test-ca']);
});

test('another CA: unknown authority, after validity and hostname passed', () => {
  const v = verifyServerChain([serving.cert], [other.cert], 'localhost', NOW);
  assert.equal(v.error, 'x509: certificate signed by unknown authority');
  assert.deepEqual(results(v), ['validity:ok', 'hostname:ok', 'chain:failed', 'usage:not reached']);
});

test('a name the certificate does not list: Go\'s HostnameError, and the chain is not reached', () => {
  const v = verifyServerChain([serving.cert], [other.cert], 'example.com', NOW);
  assert.equal(v.error, 'x509: certificate is valid for localhost, not example.com');
  assert.deepEqual(results(v), ['validity:ok', 'hostname:failed', 'chain:not reached', 'usage:not reached']);
});

test('after notAfter: the validity check fails first, with Go\'s text', () => {
  const later = new Date(NOW.getTime() + 2 * 86_400_000);
  const v = verifyServerChain([serving.cert], [ca.cert], 'localhost', later);
  assert.match(v.error ?? '', /^x509: certificate has expired or is not yet valid: current time \S+ is after \S+$/);
  assert.deepEqual(results(v), ['validity:failed', 'hostname:not reached', 'chain:not reached', 'usage:not reached']);
});

test('a certificate for clientAuth only: incompatible key usage', () => {
  const v = verifyServerChain([clientOnly.cert], [ca.cert], 'localhost', NOW);
  assert.equal(v.error, 'x509: certificate specifies an incompatible key usage');
  assert.deepEqual(results(v), ['validity:ok', 'hostname:ok', 'chain:ok', 'usage:failed']);
});

test('certificatesFromPem reads every certificate of a bundle and skips other blocks', () => {
  assert.equal(certificatesFromPem(`${ca.certPem}\n${ca.keyPem}\n${other.certPem}`).length, 2);
  assert.equal(certificatesFromPem('not pem').length, 0);
});

test('describeToken: a JWT\'s header and claims, a bootstrap token\'s id, an opaque token\'s length', () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const exp = Math.floor(NOW.getTime() / 1000) + 3600;
  const jwt = describeToken(`${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'https://kubernetes.default.svc', sub: 'system:serviceaccount:default:x', aud: ['api'], exp, secret: 'not shown' })}.sig`, NOW);
  assert.equal(jwt.kind, 'JWT');
  assert.deepEqual(jwt.header, { alg: 'RS256', kid: 'k' });
  assert.deepEqual(jwt.claims, { iss: 'https://kubernetes.default.svc', sub: 'system:serviceaccount:default:x', aud: ['api'], exp });
  assert.match(jwt.expiry ?? '', /^expires .* \(in 60 minutes\)$/);
  assert.deepEqual(describeToken('abcdef.0123456789abcdef', NOW), { kind: 'bootstrap token', length: 23, tokenId: 'abcdef' });
  assert.deepEqual(describeToken('s3cr3t', NOW), { kind: 'opaque', length: 6 });
});

test('describeCredential: a client certificate with the wrong key is said, with tls.X509KeyPair\'s error', async () => {
  const cert = await issueClientCert(ca, { user: 'jane', groups: ['dev'] });
  const good = describeCredential({ server: 'https://x', certPem: cert.certPem, keyPem: cert.keyPem }, undefined, NOW);
  assert.equal(good.keyMatches, true);
  assert.match(good.lines.join('\n'), /maps it to user "jane", groups \["dev"\]/);
  const bad = describeCredential({ server: 'https://x', certPem: cert.certPem, keyPem: other.keyPem }, undefined, NOW);
  assert.equal(bad.keyMatches, false);
  assert.equal(bad.keyPairError, 'tls: private key does not match public key');
  const plugin = describeCredential({ server: 'https://x' }, { kind: 'exec', name: 'gke-gcloud-auth-plugin', user: 'u' }, NOW);
  assert.equal(plugin.kind, 'plugin');
  assert.match(plugin.lines[0]!, /NOT run/);
});
