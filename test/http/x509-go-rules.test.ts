// Client certificates Go's crypto/x509 (and so kube-apiserver's x509 authenticator,
// staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go) refuses, sent over real HTTPS.
// Each must get kube's 401 (not 201 as system:masters, not system:anonymous), and the log line says why in
// Go's words. Plain node:https rather than supertest: some cases need TLS options (OpenSSL's security level,
// the TLS version) that a client must lower before it will even send such a certificate.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { Writable } from 'node:stream';
import { before, test } from 'node:test';
import { pino } from 'pino';
import { createInMemoryPki, type IssuedCert, type Pki } from '../../src/index.js';
import { issueOddCert } from '../helpers/odd-certs.js';
import { useServer } from '../helpers/server.js';

let pki: Pki;
const logged: string[] = [];
const server = useServer(async () => {
  pki = await createInMemoryPki();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  });
  // Authentication is what this file tests: anyone who gets past it may do anything.
  return { pki, authorizationMode: 'AlwaysAllow', log: pino({ level: 'info' }, sink) };
});

/** A client certificate chain (leaf first) and its key, as a client would present them. */
interface Presented {
  chain: readonly IssuedCert[];
  key: IssuedCert;
}

/** TLS options the client needs to send the certificate at all. */
interface ClientTls {
  /** OpenSSL refuses to use SHA-1/MD5 signed or tiny-key certificates at its default security level. */
  seclevel0?: boolean;
  /** A 512-bit RSA key cannot make TLS 1.3's RSA-PSS signature, so only TLS 1.2 sends it. */
  tls12?: boolean;
}

async function whoami(p: Presented, tls: ClientTls): Promise<{ status: number; body: { status?: { userInfo?: { username?: string; groups?: string[] } }; message?: string } }> {
  const s = server();
  const url = new URL('/apis/authentication.k8s.io/v1/selfsubjectreviews', s.url);
  const payload = JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        ca: s.caCert,
        cert: p.chain.map((c) => c.certPem).join(''),
        key: p.key.keyPem,
        agent: false,
        ...(tls.seclevel0 ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
        ...(tls.tls12 ? { maxVersion: 'TLSv1.2' as const } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as never }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const MASTERS = { commonName: 'mallory', organizations: ['system:masters'] };
const made: Record<string, Presented> = {};

before(async () => {
  const { ca } = (await server.ready(), pki);
  const pathLen0 = await issueOddCert({ issuer: ca, commonName: 'intermediate-pathlen0', ca: { pathLen: 0 } });
  const subCa = await issueOddCert({ issuer: pathLen0, commonName: 'sub-ca', ca: {} });
  const tooDeep = await issueOddCert({ issuer: subCa, ...MASTERS });
  made.tooDeep = { chain: [tooDeep, subCa, pathLen0], key: tooDeep };
  const underPathLen0 = await issueOddCert({ issuer: pathLen0, commonName: 'dave', organizations: ['ops'] });
  made.underPathLen0 = { chain: [underPathLen0, pathLen0], key: underPathLen0 };
  for (const hash of ['sha1', 'md5'] as const) {
    const leaf = await issueOddCert({ issuer: ca, ...MASTERS, hash });
    made[hash] = { chain: [leaf], key: leaf };
  }
  const critical = await issueOddCert({ issuer: ca, ...MASTERS, extensions: [{ id: '1.3.6.1.4.1.99999.1', critical: true, value: Buffer.from('0500', 'hex') }] });
  made.critical = { chain: [critical], key: critical };
  // nameConstraints permitting DNS example.com; a leaf naming evil.org in its SAN.
  const constrained = await issueOddCert({ issuer: ca, commonName: 'nc-ca', ca: {}, extensions: [{ id: '2.5.29.30', critical: true, value: Buffer.from('3011a00f300d820b6578616d706c652e636f6d', 'hex') }] });
  const outside = await issueOddCert({ issuer: constrained, ...MASTERS, extensions: [{ id: '2.5.29.17', critical: false, value: Buffer.from('300a82086576696c2e6f7267', 'hex') }] });
  made.outsideNameConstraints = { chain: [outside, constrained], key: outside };
  const small = await issueOddCert({ issuer: ca, ...MASTERS, keyBits: 512 });
  made.rsa512 = { chain: [small], key: small };
});

const cases: { name: string; cert: string; tls?: ClientTls; want: 401 | { user: string; groups: string[] }; logs?: string }[] = [
  {
    name: 'verify.go isValid: CA -> intermediate (pathlen:0) -> sub-CA -> leaf O=system:masters',
    cert: 'tooDeep',
    want: 401,
    logs: 'failed: x509: too many intermediates for path length constraint',
  },
  { name: 'verify.go isValid: a leaf right under the pathlen:0 intermediate is fine', cert: 'underPathLen0', want: { user: 'dave', groups: ['ops', 'system:authenticated'] } },
  {
    name: 'x509.go checkSignature: a SHA-1 signed client certificate',
    cert: 'sha1',
    tls: { seclevel0: true },
    want: 401,
    logs: 'failed: x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA" while trying to verify candidate authority certificate',
  },
  {
    name: 'x509.go checkSignature: an MD5 signed client certificate',
    cert: 'md5',
    tls: { seclevel0: true },
    want: 401,
    logs: 'failed: x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm MD5-RSA" while trying to verify candidate authority certificate',
  },
  { name: 'verify.go isValid: a client certificate with an unknown critical extension', cert: 'critical', want: 401, logs: 'failed: x509: unhandled critical extension' },
  {
    name: 'constraints.go checkChainConstraints: a SAN outside the intermediate\'s name constraints',
    cert: 'outsideNameConstraints',
    want: 401,
    logs: 'failed: x509: a root or intermediate certificate is not authorized to sign for this name: ',
  },
  {
    // kube-apiserver (Go 1.24+) fails this handshake: crypto/tls cannot check the client's CertificateVerify with a
    // 512-bit key. Here the handshake completes and the certificate gets a 401 with that reason.
    name: 'crypto/tls + crypto/rsa: an RSA-512 client certificate over TLS 1.2',
    cert: 'rsa512',
    tls: { seclevel0: true, tls12: true },
    want: 401,
    logs: 'failed: tls: invalid signature by the client certificate: crypto/rsa: 512-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)',
  },
  {
    // TLS 1.3 signs CertificateVerify with RSA-PSS, which a 512-bit key is too short for: OpenSSL (and Go's
    // crypto/tls) then sends an empty Certificate message. The server never sees the certificate, so
    // kube-apiserver answers as it does without one (checked against a Go crypto/tls server).
    name: 'an RSA-512 client certificate over TLS 1.3 is withheld by the client itself, so kube sees no certificate',
    cert: 'rsa512',
    tls: { seclevel0: true },
    want: { user: 'system:anonymous', groups: ['system:unauthenticated'] },
  },
];

for (const c of cases) {
  test(`x509 over HTTPS: ${c.name}`, async () => {
    const before = logged.length;
    const res = await whoami(made[c.cert]!, c.tls ?? {});
    if (c.want === 401) {
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body.message, 'Unauthorized');
      const reasons = logged.slice(before).map((line) => (JSON.parse(line) as { reason?: string }).reason).filter((r) => r !== undefined);
      assert.equal(reasons.length, 1, `one "Unable to authenticate the request" line; got ${JSON.stringify(reasons)}`);
      assert.match(reasons[0]!, /^verifying certificate SN=\d+, SKID=[0-9A-F:]+, AKID=[0-9A-F:]+ failed: /);
      assert.ok(reasons[0]!.includes(c.logs!), `the log says why in Go's words; got ${reasons[0]}`);
      return;
    }
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status?.userInfo?.username, c.want.user);
    assert.deepEqual(res.body.status?.userInfo?.groups, c.want.groups);
  });
}
