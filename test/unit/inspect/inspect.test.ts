// The inspector's decoding and explanations, one input kind per row, broken inputs included.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import forge from 'node-forge';
import { stringify } from 'yaml';
import { boundTokenClaims } from '../../../src/authn/serviceaccount/bound.js';
import { jwtTokenGenerator } from '../../../src/authn/serviceaccount/generator.js';
import { publicJwksFromKeys } from '../../../src/authn/serviceaccount/jwks.js';
import { keyIdFromPublicKey } from '../../../src/authn/serviceaccount/key-id.js';
import { legacyTokenClaims } from '../../../src/authn/serviceaccount/legacy.js';
import { describeCertificatePem, inspectInput, renderInspectReport, type CertificateItem, type CsrItem, type InspectReport, type JwtItem, type KubeconfigItem, type PrivateKeyItem, type PublicKeyItem } from '../../../src/inspect/index.js';
import { createCa, issueClientCert, issueServingCert, type IssuedCert } from '../../../src/pki/index.js';
import { ConfigError } from '../../../src/util/errors.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const H = 3600_000;
const D = 24 * H;
const at = (ms: number): Date => new Date(NOW.getTime() + ms);

let ca: IssuedCert;
let otherCa: IssuedCert;
let jane: IssuedCert;
let serving: IssuedCert;
let expired: IssuedCert;
let early: IssuedCert;
let dir: string;

before(async () => {
  ca = await createCa({ commonName: 'test-ca', notBefore: at(-10 * D), notAfter: at(3650 * D) });
  otherCa = await createCa({ commonName: 'other-ca', notBefore: at(-10 * D), notAfter: at(3650 * D) });
  jane = await issueClientCert(ca, { user: 'jane', groups: ['dev', 'qa'], uid: 'u-1', notBefore: at(-D), notAfter: at(30 * D) });
  serving = await issueServingCert(ca, { sans: ['localhost', '127.0.0.1'], notBefore: at(-D), notAfter: at(30 * D) });
  expired = await issueClientCert(ca, { user: 'old', notBefore: at(-10 * D), notAfter: at(-3 * D) });
  early = await issueClientCert(ca, { user: 'soon', notBefore: at(2 * H), notAfter: at(10 * D) });
  dir = await mkdtemp(join(tmpdir(), 'kam-inspect-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inspect = (input: string | Buffer, options: Parameters<typeof inspectInput>[1] = {}): InspectReport => inspectInput(Buffer.isBuffer(input) ? input : Buffer.from(input), { now: NOW, source: 'in', ...options });
const only = <T>(report: InspectReport): T => {
  assert.equal(report.error, undefined, report.error);
  assert.equal(report.items.length, 1);
  return report.items[0] as T;
};
const der = (pem: string): Buffer => new X509Certificate(pem).raw;

test('certificates: a client certificate in words, and the user kube-apiserver would make of it', () => {
  const report = inspect(jane.certPem);
  assert.equal(report.encoding, 'PEM');
  const c = only<CertificateItem>(report);
  assert.match(c.summary.subject, /(^|,)CN=jane,O=qa,O=dev$/);
  assert.equal(c.summary.issuer, 'CN=test-ca');
  assert.equal(c.validity.state, 'valid');
  assert.equal(c.validity.words, `valid, expires in 30 days (${at(30 * D).toISOString().replace('.000Z', 'Z')})`);
  assert.deepEqual(c.summary.extKeyUsage, ['clientAuth']);
  assert.match(c.purposes[0]!, /^clientAuth: a TLS client may present it/);
  assert.ok(c.keyUsage.includes('digitalSignature'));
  assert.equal(c.signedBy, '');
  assert.deepEqual(c.kube, {
    outcome: 'user',
    authenticator: 'x509 (client certificate, --client-ca-file)',
    user: 'jane',
    uid: 'u-1',
    groups: ['dev', 'qa'],
    extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${jane.cert.fingerprint256.replaceAll(':', '').toLowerCase()}`] },
    condition: 'when kube-apiserver trusts its issuer (the CA in --client-ca-file); check with --ca',
  });
});

test('certificates: a serving certificate, a CA, a chain, and DER (one and several end to end)', () => {
  const s = only<CertificateItem>(inspect(serving.certPem));
  assert.deepEqual(s.summary.subjectAltNames, ['DNS:localhost', 'IP Address:127.0.0.1']);
  assert.match(s.purposes.join('\n'), /serverAuth: a TLS server may present it/);
  assert.deepEqual(s.kube, { outcome: 'refused', authenticator: 'x509 (client certificate, --client-ca-file)', reason: 'x509: certificate specifies an incompatible key usage (it does not allow clientAuth)' });

  const root = only<CertificateItem>(inspect(ca.certPem));
  assert.equal(root.summary.isCA, true);
  assert.equal(root.signedBy, 'itself (self-signed)');
  assert.ok(root.keyUsage.includes('keyCertSign'));
  assert.equal(root.kube, undefined);

  const chain = inspect(jane.certPem + ca.certPem);
  assert.deepEqual(chain.items.map((i) => (i as CertificateItem).signedBy), ['block 2 of this file', 'itself (self-signed)']);

  const one = inspect(der(jane.certPem));
  assert.equal(one.encoding, 'DER');
  assert.equal((one.items[0] as CertificateItem).summary.sha256, jane.cert.fingerprint256);
  const two = inspect(Buffer.concat([der(jane.certPem), der(ca.certPem)]));
  assert.deepEqual(two.items.map((i) => i.kind), ['certificate', 'certificate']);
});

test('certificates: expired and not yet valid, in words and as kube refuses them', () => {
  const old = only<CertificateItem>(inspect(expired.certPem));
  assert.equal(old.validity.state, 'expired');
  assert.match(old.validity.words, /^expired 3 days ago \(/);
  assert.equal(old.kube?.outcome, 'refused');
  assert.match((old.kube as { reason: string }).reason, /^x509: certificate has expired or is not yet valid: current time 2026-06-01T12:00:00Z is after /);
  const soon = only<CertificateItem>(inspect(early.certPem));
  assert.equal(soon.validity.state, 'not-yet-valid');
  assert.match(soon.validity.words, /^not valid until .* \(in 2 hours\)$/);
  assert.match((soon.kube as { reason: string }).reason, /is before /);
});

test('broken inputs: one line saying what is wrong, never a throw', () => {
  const cases: [string | Buffer, RegExp][] = [
    ['garbage!!\n', /^not a certificate, key, CSR, kubeconfig or JWT \(text that is none of these\)$/],
    [Buffer.from([1, 2, 3, 0, 255]), /^not a certificate, key, CSR, kubeconfig or JWT \(binary data that is not DER\)$/],
    ['', /\(it is empty\)$/],
    ['token,user,uid,"group"\n', /looks like a CSV file/],
    [jane.certPem.slice(0, 300), /^truncated PEM: "BEGIN CERTIFICATE" has no "END CERTIFICATE" line$/],
    [jane.certPem.replace(/\n(.)/, '\n!$1'), /^the "CERTIFICATE" PEM block is not valid base64/],
    ['-----BEGIN CERTIFICATE-----\nMIIBkTCB\n-----END CERTIFICATE-----\n', /^PEM block 1: /],
    ['eyJhbGciOiJSUzI1NiJ9.e$yJ.abc', /^not a valid JWT: its payload is not base64url$/],
    ['eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.abc', /^not a valid JWT: its payload is not JSON$/],
    ['eyJhbGciOiJSUzI1NiJ9.e30', /^not a valid JWT: it has 2 dot-separated parts, not 3$/],
  ];
  for (const [input, error] of cases) {
    const report = inspect(input);
    assert.match(report.error ?? '', error, String(input).slice(0, 40));
    assert.deepEqual(report.items, []);
    assert.equal(renderInspectReport(report), `in: ${report.error}\n`);
  }
});

test('private keys: PKCS#1, PKCS#8, SEC1, Ed25519, and encrypted ones named but not read', () => {
  const rsa = createPrivateKey(jane.keyPem);
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const ed = generateKeyPairSync('ed25519').privateKey;
  const cases: [string, string, string, boolean][] = [
    [rsa.export({ type: 'pkcs1', format: 'pem' }).toString(), 'PKCS#1', 'RSA 2048', true],
    [rsa.export({ type: 'pkcs8', format: 'pem' }).toString(), 'PKCS#8', 'RSA 2048', true],
    [ec.export({ type: 'sec1', format: 'pem' }).toString(), 'SEC1', 'EC prime256v1', true],
    [ed.export({ type: 'pkcs8', format: 'pem' }).toString(), 'PKCS#8', 'Ed25519', false],
  ];
  for (const [pem, format, algorithm, kubeSigns] of cases) {
    const k = only<PrivateKeyItem>(inspect(pem));
    assert.equal(k.kind, 'private-key');
    assert.equal(k.format, format);
    assert.equal(k.algorithm, algorithm);
    assert.equal(k.encrypted, false);
    assert.equal(k.serviceAccountKeyId !== undefined, kubeSigns, format);
  }
  const p8 = only<PrivateKeyItem>(inspect(rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString()));
  assert.deepEqual([p8.format, p8.encrypted, p8.algorithm], ['encrypted PKCS#8', true, '']);
  assert.match(p8.note, /cannot be read here, and kubectl and kube-apiserver cannot use it either/);
  const legacy = only<PrivateKeyItem>(inspect(rsa.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'x' }).toString()));
  assert.equal(legacy.format, 'encrypted PKCS#1 (OpenSSL PEM encryption, AES-128-CBC)');
  // DER keys are read too.
  assert.equal(only<PrivateKeyItem>(inspect(rsa.export({ type: 'pkcs8', format: 'der' }))).format, 'PKCS#8');
});

test('public keys: SPKI and PKCS#1, with the kid kube gives ServiceAccount tokens signed by the private half', () => {
  const pub = createPublicKey(jane.keyPem);
  const spki = only<PublicKeyItem>(inspect(pub.export({ type: 'spki', format: 'pem' }).toString()));
  assert.deepEqual([spki.format, spki.algorithm, spki.serviceAccountKeyId, spki.jwsAlgorithm], ['SPKI', 'RSA 2048', keyIdFromPublicKey(pub), 'RS256']);
  assert.equal(spki.publicKeySha256, only<PrivateKeyItem>(inspect(jane.keyPem)).publicKeySha256);
  assert.equal(only<PublicKeyItem>(inspect(pub.export({ type: 'pkcs1', format: 'pem' }).toString())).format, 'PKCS#1');
});

/** A PKCS#10 request made with node-forge (node:crypto cannot make one), signed with `keyPem`. */
function csrPem(keyPem: string, subject: forge.pki.CertificateField[]): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey((forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey).n, (forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey).e);
  csr.setSubject(subject);
  csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'jane.example' }] }] }]);
  csr.sign(forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

test('CSRs: subject, SANs, the signature that proves the key, and the user a signed certificate would be', () => {
  const pem = csrPem(jane.keyPem, [{ name: 'organizationName', value: 'dev' }, { name: 'organizationName', value: 'qa' }, { name: 'commonName', value: 'jane' }]);
  const c = only<CsrItem>(inspect(pem));
  assert.equal(c.subject, 'CN=jane,O=qa,O=dev');
  assert.deepEqual(c.subjectAltNames, ['DNS:jane.example']);
  assert.equal(c.signatureAlgorithm, 'SHA256-RSA');
  assert.equal(c.signatureValid, true);
  assert.deepEqual(c.kube, { outcome: 'user', authenticator: 'x509 (a certificate signed for this request by the kubernetes.io/kube-apiserver-client signer)', user: 'jane', uid: '', groups: ['dev', 'qa'], extra: {}, condition: 'once a CertificateSigningRequest for it is approved and signed' });
  // DER, and a request whose signed part was altered after signing.
  const raw = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  assert.equal(only<CsrItem>(inspect(raw)).subject, 'CN=jane,O=qa,O=dev');
  const tampered = Buffer.from(raw);
  const at = tampered.indexOf(Buffer.from('jane.example'));
  tampered[at] = 'J'.charCodeAt(0);
  assert.equal(only<CsrItem>(inspect(tampered)).signatureValid, false);
  const anonymous = only<CsrItem>(inspect(csrPem(jane.keyPem, [{ name: 'organizationName', value: 'dev' }])));
  assert.equal(anonymous.kube.outcome, 'ignored');
});

function saToken(key = ca.key, nowSeconds = NOW.getTime() / 1000 - 1, options: { pod?: boolean } = {}): string {
  const { payload } = boundTokenClaims(
    {
      namespace: 'ns1',
      serviceAccount: { name: 'builder', uid: 'sa-uid' },
      ...(options.pod ? { pod: { name: 'web-0', uid: 'pod-uid' }, node: { name: 'node-a', uid: 'node-uid' } } : {}),
      expirationSeconds: 3600,
      audiences: ['https://kubernetes.default.svc'],
    },
    new Date(nowSeconds * 1000),
  );
  return jwtTokenGenerator('https://kubernetes.default.svc', key).generateToken(payload);
}

test('JWTs: a bound ServiceAccount token, its times in words and the user kube would make of it', () => {
  const token = saToken(ca.key, NOW.getTime() / 1000 - 1, { pod: true });
  const report = inspect(`${token}\n`);
  assert.equal(report.encoding, 'JWT');
  const j = only<JwtItem>(report);
  assert.equal(j.header.alg, 'RS256');
  assert.equal(j.issuer, 'https://kubernetes.default.svc');
  assert.equal(j.subject, 'system:serviceaccount:ns1:builder');
  assert.deepEqual(j.times.map((t) => `${t.name}: ${t.words}`), ['exp: expires in 59 minutes', 'iat: issued 1 second ago', 'nbf: valid since 1 second ago']);
  assert.deepEqual(j.serviceAccount, { generation: 'bound', namespace: 'ns1', serviceAccount: 'builder', serviceAccountUid: 'sa-uid', pod: { name: 'web-0', uid: 'pod-uid' }, node: { name: 'node-a', uid: 'node-uid' } });
  assert.equal(j.kube.outcome, 'user');
  const kube = j.kube as Extract<JwtItem['kube'], { outcome: 'user' }>;
  assert.equal(kube.user, 'system:serviceaccount:ns1:builder');
  assert.deepEqual(kube.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1']);
  assert.deepEqual(Object.keys(kube.extra).sort(), ['authentication.kubernetes.io/credential-id', 'authentication.kubernetes.io/node-name', 'authentication.kubernetes.io/node-uid', 'authentication.kubernetes.io/pod-name', 'authentication.kubernetes.io/pod-uid']);
  assert.equal(j.signature, undefined);
  // The token itself never appears in the report.
  assert.doesNotMatch(JSON.stringify(report), new RegExp(token.split('.')[2]!.slice(0, 20)));
});

test('JWTs: expired and legacy tokens, and a JWT that is not kube\'s', () => {
  const old = only<JwtItem>(inspect(saToken(ca.key, NOW.getTime() / 1000 - 3 * 86400 - 3600)));
  assert.match(old.validity.words, /^expired 3 days ago/);
  assert.deepEqual(old.kube, { outcome: 'refused', authenticator: 'ServiceAccount token (TokenRequest, bound)', reason: 'service account token has expired' });
  const legacy = only<JwtItem>(inspect(jwtTokenGenerator('kubernetes/serviceaccount', ca.key).generateToken(legacyTokenClaims({ namespace: 'ns1', name: 'old', uid: 'u' }, 'old-token-abc'))));
  assert.equal(legacy.serviceAccount?.generation, 'legacy');
  assert.equal(legacy.validity.words, 'valid, never expires');
  assert.equal((legacy.kube as { user: string }).user, 'system:serviceaccount:ns1:old');
  const other = only<JwtItem>(inspect(jwtTokenGenerator('https://idp.example', ca.key).generateToken({ sub: 'jane', aud: 'kube' })));
  assert.equal(other.kube.outcome, 'ignored');
  assert.match((other.kube as { reason: string }).reason, /through a JWT authenticator configured for issuer "https:\/\/idp.example"/);
});

test('JWT signatures: --key (private, public or certificate) and a JWKS by kid, in kube\'s words when they fail', () => {
  const token = saToken();
  const check = (options: Parameters<typeof inspectInput>[1]) => {
    const r = inspect(token, options);
    return { checks: r.checks.map((c) => [c.ok, c.message]), kube: (r.items[0] as JwtItem).kube.outcome };
  };
  assert.deepEqual(check({ key: { source: 'ca.crt', bytes: Buffer.from(ca.certPem) } }), { checks: [[true, `signature verified with ca.crt (kid ${keyIdFromPublicKey(ca.cert.publicKey)})`]], kube: 'user' });
  assert.deepEqual(check({ key: { source: 'ca.key', bytes: Buffer.from(ca.keyPem) } }).checks[0]![0], true);
  assert.deepEqual(check({ key: { source: 'other.key', bytes: Buffer.from(otherCa.keyPem) } }), { checks: [[false, 'signature does not verify with other.key (kube says: go-jose/go-jose: error in cryptographic primitive)']], kube: 'refused' });
  const jwks = publicJwksFromKeys([ca.cert.publicKey, otherCa.cert.publicKey]);
  assert.deepEqual(check({ jwks: { source: 'jwks.json', document: jwks } }).checks, [[true, `signature verified with jwks.json (kid ${keyIdFromPublicKey(ca.cert.publicKey)})`]]);
  assert.deepEqual(check({ jwks: { source: 'jwks.json', document: publicJwksFromKeys([otherCa.cert.publicKey]) } }).checks, [[false, `no key with kid ${JSON.stringify(keyIdFromPublicKey(ca.cert.publicKey))} in jwks.json (kube says: invalid signature, no keys found)`]]);
  assert.throws(() => inspect(token, { jwks: { source: 'x.json', document: { nope: 1 } } }), (err: unknown) => err instanceof ConfigError && err.message === 'x.json: --jwks: not a JSON Web Key Set (no "keys" list)');
});

test('--key against certificates and keys; a file holding both is matched on its own', () => {
  const checks = (input: string, key?: string) => inspect(input, key === undefined ? {} : { key: { source: 'k', bytes: Buffer.from(key) } }).checks.map((c) => [c.ok, c.message]);
  const subject = (inspect(jane.certPem).items[0] as CertificateItem).summary.subject;
  assert.deepEqual(checks(jane.certPem, jane.keyPem), [[true, `the private key in k belongs to certificate block 1 (${subject})`]]);
  assert.equal(checks(jane.certPem, serving.keyPem)[0]![0], false);
  assert.match(checks(jane.certPem, serving.keyPem)[0]![1] as string, /belongs to none of these certificates \(kubectl would fail: tls: private key does not match public key\)$/);
  assert.equal(checks(jane.keyPem, jane.certPem)[0]![0], true);
  assert.equal(checks(serving.keyPem, jane.certPem)[0]![0], false);
  assert.deepEqual(checks(jane.certPem + jane.keyPem).map((c) => c[0]), [true]);
  assert.deepEqual(checks(jane.certPem + serving.keyPem).map((c) => c[0]), [false]);
  assert.throws(() => inspect(jane.certPem, { key: { source: 'k', bytes: Buffer.from('nope') } }), (err: unknown) => err instanceof ConfigError && err.message === 'k: --key: not a PEM or DER key or certificate');
});

test('--ca: a client chain verified as kube-apiserver verifies it (Go\'s words), a serving chain link by link', () => {
  const verdict = (input: string, caPem: string) => {
    const r = inspect(input, { ca: { source: 'ca.crt', bytes: Buffer.from(caPem) } });
    return { check: r.checks.map((c) => [c.ok, c.message])[0], kube: (r.items[0] as CertificateItem).kube };
  };
  const good = verdict(jane.certPem, ca.certPem);
  assert.equal(good.check![0], true);
  assert.match(good.check![1] as string, /^verifies to the CA in ca.crt \(CN=test-ca\) as kube-apiserver checks a client certificate/);
  assert.equal((good.kube as { condition: string }).condition, 'its chain verifies to the --ca given (kube-apiserver: when that CA is its --client-ca-file)');
  const wrong = verdict(jane.certPem, otherCa.certPem);
  assert.deepEqual(wrong.check, [false, 'does not verify to the CA in ca.crt (CN=other-ca) as a client certificate: x509: certificate signed by unknown authority']);
  assert.deepEqual(wrong.kube, { outcome: 'refused', authenticator: 'x509 (client certificate, --client-ca-file)', reason: 'x509: certificate signed by unknown authority' });
  assert.match(verdict(expired.certPem, ca.certPem).check![1] as string, /x509: certificate has expired or is not yet valid: current time 2026-06-01T12:00:00Z is after/);
  assert.deepEqual(verdict(serving.certPem, ca.certPem).check, [true, 'verifies to the CA in ca.crt (CN=test-ca) (signed by it directly) as a serving certificate; the host name is checked by the client against its SANs']);
  assert.deepEqual(verdict(serving.certPem, otherCa.certPem).check, [false, 'does not verify to the CA in ca.crt (CN=other-ca): x509: certificate signed by unknown authority']);
});

test('kubeconfigs: every cluster, user and context, embedded or by file, tokens by kind', async () => {
  await writeFile(join(dir, 'jane.crt'), jane.certPem);
  await writeFile(join(dir, 'jane.key'), jane.keyPem);
  await writeFile(join(dir, 'ca.crt'), ca.certPem);
  await writeFile(join(dir, 'sa.token'), `${saToken()}\n`);
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'jane',
    clusters: [
      { name: 'embedded', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(ca.certPem) } },
      { name: 'by-file', cluster: { server: 'https://kube.example', 'certificate-authority': 'ca.crt', 'tls-server-name': 'kubernetes' } },
      { name: 'lax', cluster: { server: 'https://x', 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: 'jane', user: { 'client-certificate': 'jane.crt', 'client-key': 'jane.key' } },
      { name: 'mismatch', user: { 'client-certificate-data': b64(jane.certPem), 'client-key-data': b64(serving.keyPem) } },
      { name: 'sa', user: { tokenFile: 'sa.token' } },
      { name: 'boot', user: { token: 'abcdef.0123456789abcdef' } },
      { name: 'static', user: { token: 'opaque-secret-token' } },
      { name: 'basic', user: { username: 'bob', password: 'secret' } },
      { name: 'cloud', user: { exec: { command: 'aws', args: ['eks', 'get-token'], apiVersion: 'client.authentication.k8s.io/v1beta1' } } },
      { name: 'old', user: { 'auth-provider': { name: 'oidc' } } },
      { name: 'missing', user: { 'client-certificate': 'gone.crt', 'client-key': 'gone.key' } },
    ],
    contexts: [
      { name: 'jane', context: { cluster: 'by-file', user: 'jane', namespace: 'dev' } },
      { name: 'dangling', context: { cluster: 'nowhere', user: 'nobody' } },
    ],
  };
  const report = inspect(stringify(doc), { baseDir: dir });
  assert.equal(report.encoding, 'kubeconfig');
  const k = only<KubeconfigItem>(report);
  assert.equal(k.currentContext, 'jane');
  assert.deepEqual(k.clusters.map((c) => [c.name, c.caSource, c.ca.length]), [['embedded', 'certificate-authority-data (embedded)', 1], ['by-file', join(dir, 'ca.crt'), 1], ['lax', '', 0]]);
  assert.equal(k.clusters[2]!.insecureSkipTlsVerify, true);
  const user = (name: string) => k.users.find((u) => u.name === name)!;
  assert.deepEqual(user('jane').methods, ['client certificate']);
  assert.equal(user('jane').keyMatchesCertificate, true);
  assert.equal(((user('jane').clientCertificate[0] as CertificateItem).kube as { user: string }).user, 'jane');
  assert.equal(user('mismatch').keyMatchesCertificate, false);
  assert.match(user('mismatch').problems.join('\n'), /does not belong to the client certificate/);
  assert.deepEqual(user('sa').methods, ['bearer token (ServiceAccount token)']);
  assert.equal(user('sa').token?.source, join(dir, 'sa.token'));
  assert.equal(user('sa').token?.jwt?.serviceAccount?.serviceAccount, 'builder');
  assert.match(user('boot').token!.kind, /^bootstrap token abcdef: user system:bootstrap:abcdef, group system:bootstrappers/);
  assert.match(user('static').token!.kind, /^opaque bearer token/);
  assert.deepEqual(user('basic').basicAuth, { username: 'bob', passwordLength: 6 });
  assert.deepEqual(user('cloud').exec, { command: 'aws', args: ['eks', 'get-token'], apiVersion: 'client.authentication.k8s.io/v1beta1' });
  assert.equal(user('old').authProvider, 'oidc');
  assert.match(user('missing').problems.join('\n'), /client-certificate .*gone.crt cannot be read: ENOENT/);
  assert.deepEqual(k.contexts.map((c) => [c.name, c.current, c.namespace, c.problems.length]), [['jane', true, 'dev', 0], ['dangling', false, '', 2]]);
  // Secrets stay out of the report.
  const json = JSON.stringify(report);
  for (const secret of ['opaque-secret-token', '"secret"', 'abcdef.0123456789abcdef']) assert.doesNotMatch(json, new RegExp(secret));
  const text = renderInspectReport(report);
  assert.doesNotMatch(text, /opaque-secret-token|0123456789abcdef/);
  assert.match(text, /^in: a kubeconfig\n {2}current context "jane"\n/);
  assert.match(text, /\n {6}\* context "jane": user "jane" at cluster "by-file", namespace dev \(current\)\n/);
  assert.match(text, /\n {6}user "mismatch": client certificate\n/);
  assert.match(text, /client key, client-key-data \(embedded\) \(does NOT belong to the client certificate\):/);
  assert.match(text, /insecure-skip-tls-verify: the server's certificate is not checked/);

  // --ca checks each user's client certificate; --jwks the ServiceAccount token.
  const checked = inspect(stringify(doc), { baseDir: dir, ca: { source: 'ca.crt', bytes: Buffer.from(ca.certPem) }, jwks: { source: 'jwks', document: publicJwksFromKeys([ca.cert.publicKey]) } });
  assert.deepEqual(checked.checks.map((c) => [c.check, c.ok]), [['signature', true], ['chain-verifies', true], ['chain-verifies', true]]);
  assert.match(checked.checks[1]!.message, /^user "jane"'s client certificate verifies to/);
});

test('kubeconfigs: no current context, or one that is not there', () => {
  assert.deepEqual(only<KubeconfigItem>(inspect('apiVersion: v1\nkind: Config\nclusters: []\n')).problems, ['no current-context: kubectl needs --context']);
  assert.match(only<KubeconfigItem>(inspect('current-context: gone\ncontexts: []\n')).problems[0]!, /context was not found for specified context: gone/);
});

test('the text explanation: every field named, and describeCertificatePem for the live view', () => {
  const text = renderInspectReport(inspect(jane.certPem + ca.certPem, { source: 'jane.pem' }));
  assert.match(text, /^jane\.pem: PEM, 2 certificates\n/);
  for (const label of ['subject', 'issuer', 'validity', 'used for', 'key usage', 'SANs', 'public key', 'serial', 'SHA-256', 'kube-apiserver']) assert.match(text, new RegExp(`\\n\\s+${label}\\s`), label);
  assert.match(text, /kube-apiserver  user "jane", groups \[dev qa\], uid "u-1"/);
  const described = describeCertificatePem(jane.certPem, NOW);
  assert.match(described, /^\[1\] certificate \S*CN=jane/);
  assert.match(described, /valid, expires in 30 days/);
  assert.equal(describeCertificatePem(jane.keyPem, NOW), 'not a certificate: the PEM holds no CERTIFICATE block\n');
  assert.match(describeCertificatePem('nonsense', NOW), /^not a certificate: /);
});
