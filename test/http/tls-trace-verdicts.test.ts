// The trace's verdict against what the request on the same connection actually got: a verdict of "accepted" where
// the x509 authenticator refuses would be the worst kind of lie, so every certificate here is both traced and used.
// Go's rules behind each refusal: staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go (Verify with
// ExtKeyUsageClientAuth) and requestheader.go (the proxy's CA is its own, and a proxy certificate names no user).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createInMemoryPki, type Pki } from '../../src/index.js';
import { createLogger } from '../../src/util/log.js';
import { resign, tlv } from '../helpers/der-edit.js';
import { issueOddCert } from '../helpers/odd-certs.js';
import { useServer } from '../helpers/server.js';
import { jsonLogLines } from '../helpers/log-lines.js';

const { sink, lineWhere } = jsonLogLines();

let pki: Pki;
let dir: string;
type Issued = Awaited<ReturnType<typeof issueOddCert>>;
let proxyCa: Issued;
const server = useServer(async () => {
  pki = await createInMemoryPki();
  dir = await mkdtemp(join(tmpdir(), 'kam-verdicts-'));
  proxyCa = await issueOddCert({ issuer: 'self', commonName: 'front-proxy-ca', ca: {} });
  await writeFile(join(dir, 'front-proxy-ca.crt'), proxyCa.certPem);
  return { pki, tlsTrace: true, authorizationMode: 'AlwaysAllow', requestheaderClientCaFile: join(dir, 'front-proxy-ca.crt'), requestheaderAllowedNames: ['front-proxy-client'], requestheaderUsernameHeaders: ['X-Remote-User'], log: createLogger('json', sink) };
});
after(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** A SelfSubjectReview with this chain and key: the status, the user the server saw, and the connection's verdict. */
async function whoami(chain: readonly Issued[], key: Issued, headers: Record<string, string> = {}): Promise<{ status: number; user?: string; verdict: string }> {
  const s = server();
  const payload = JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
  let port = 0;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${s.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, { method: 'POST', ca: s.caCert, cert: chain.map((c) => c.certPem).join(''), key: key.keyPem, agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('socket', (socket) => socket.once('secureConnect', () => (port = socket.localPort!)));
    req.on('error', reject);
    req.end(payload);
  });
  const event = await lineWhere((l) => l.msg === 'TLS connection' && l.remote === `127.0.0.1:${port}`);
  const user = status === 201 ? (JSON.parse(body) as { status: { userInfo: { username: string } } }).status.userInfo.username : undefined;
  return { status, ...(user !== undefined ? { user } : {}), verdict: String(event.verdict) };
}

const cases: Record<string, () => Promise<{ chain: Issued[]; key: Issued; headers?: Record<string, string>; user?: string }>> = {
  'a certificate the client CA signed': async () => {
    const leaf = await issueOddCert({ issuer: pki.ca, commonName: 'carol', organizations: ['dev'] });
    return { chain: [leaf], key: leaf, user: 'carol' };
  },
  'an expired certificate': async () => {
    const leaf = await issueOddCert({ issuer: pki.ca, commonName: 'old', notBefore: new Date(Date.now() - 2 * 864e5), notAfter: new Date(Date.now() - 864e5) });
    return { chain: [leaf], key: leaf };
  },
  'a certificate from a CA the server does not trust': async () => {
    const stranger = await issueOddCert({ issuer: 'self', commonName: 'stranger-ca', ca: {} });
    const leaf = await issueOddCert({ issuer: stranger, commonName: 'mallory', organizations: ['system:masters'] });
    return { chain: [leaf, stranger], key: leaf };
  },
  'the serving certificate (serverAuth, no clientAuth) as a client certificate': async () => ({ chain: [pki.serving as Issued], key: pki.serving as Issued }),
  'a certificate with two UID attributes (kube: "expected 1 UID, but found multiple")': async () => withSubject(await issueOddCert({ issuer: pki.ca, commonName: 'placeholder' }), [['CN', 'uma'], ['UID', 'u1'], ['UID', 'u2']]),
  'a certificate with an empty UID attribute': async () => withSubject(await issueOddCert({ issuer: pki.ca, commonName: 'placeholder' }), [['CN', 'uma'], ['UID', '']]),
  'a certificate without a CommonName: not a user ("ignored")': async () => withSubject(await issueOddCert({ issuer: pki.ca, commonName: 'placeholder' }), [['O', 'dev']]),
  'a front proxy certificate without the proxy headers': async () => {
    const leaf = await issueOddCert({ issuer: proxyCa, commonName: 'front-proxy-client' });
    return { chain: [leaf], key: leaf };
  },
  'a front proxy certificate naming a user in headers': async () => {
    const leaf = await issueOddCert({ issuer: proxyCa, commonName: 'front-proxy-client' });
    return { chain: [leaf], key: leaf, headers: { 'X-Remote-User': 'dora' }, user: 'dora' };
  },
  'a front proxy certificate whose CommonName is not allowed': async () => {
    const leaf = await issueOddCert({ issuer: proxyCa, commonName: 'sneaky-proxy' });
    return { chain: [leaf], key: leaf, headers: { 'X-Remote-User': 'dora' } };
  },
};

/** The subject attributes (one per RDN, UTF8String) kube's x509_test.go builds; the UID is 1.3.6.1.4.1.57683.2. */
const OID = { CN: '550403', O: '55040a', UID: '2b0601040183c25302' } as const;
async function withSubject(leaf: Issued, attrs: [keyof typeof OID, string][]): Promise<{ chain: Issued[]; key: Issued }> {
  const dn = tlv(0x30, ...attrs.map(([type, value]) => tlv(0x31, tlv(0x30, tlv(0x06, Buffer.from(OID[type], 'hex')), tlv(0x0c, Buffer.from(value, 'utf8'))))));
  const cert = resign(leaf.cert, pki.ca.key, (fields) => fields.map((f, i) => (i === 5 ? dn : f)));
  const edited = { ...leaf, cert, certPem: cert.toString() };
  return { chain: [edited], key: edited };
}

before(() => server.ready());

for (const [name, make] of Object.entries(cases)) {
  test(`verdict matches the request: ${name}`, async () => {
    const { chain, key, headers, user } = await make();
    const got = await whoami(chain, key, headers);
    // "accepted" exactly when the x509 authenticator made the certificate's CommonName the user.
    const accepted = got.verdict.startsWith('accepted');
    assert.equal(accepted, got.status === 201 && got.user === chain[0]!.cert.subject.match(/CN=([^\n,]+)/)?.[1], `${got.verdict} / ${got.status} ${got.user ?? ''}`);
    assert.equal(got.user, user, `${got.verdict} / ${got.status}`);
    if (user === undefined) assert.equal(got.status, 401, got.verdict);
  });
}
