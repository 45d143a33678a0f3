// --tls-trace (src/server/tls-trace.ts): one "TLS connection" event per connection with what it negotiated, the key
// exchange group read off the handshake (src/tls/handshake-observer.ts), the client's chain and what kube's x509
// authenticator would make of it; a trace-level "TLS handshake failed" event per failed handshake. node TLS clients
// force the version and the group (ecdhCurve) so each field is known beforehand.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { distinguishedName } from '../../src/tls/certificate-summary.js';
import { createLogger } from '../../src/util/log.js';
import { credentialsOf, useServer } from '../helpers/server.js';
import { issueOddCert } from '../helpers/odd-certs.js';
import { jsonLogLines, type LogLine } from '../helpers/log-lines.js';

type Line = LogLine;
const { sink, lines, lineWhere } = jsonLogLines();

const server = useServer({ tlsTrace: true, log: createLogger('json', sink) });

/** Connects, sends one request, reads the answer; resolves with the connection's "TLS connection" event and the session. */
async function traced(options: ConnectionOptions): Promise<{ event: Line; session: Buffer | undefined; request: Line }> {
  const s = server();
  const { port } = new URL(s.url);
  let session: Buffer | undefined;
  const socket: TLSSocket = await new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port: Number(port), ca: s.caCert, servername: 'localhost', ALPNProtocols: ['http/1.1'], ...options }, () => resolve(c));
    c.on('session', (data: Buffer) => (session = data));
    c.once('error', reject);
  });
  const remote = `127.0.0.1:${socket.localPort}`;
  socket.write('GET /version HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  socket.resume();
  await new Promise((resolve) => socket.once('close', resolve));
  const event = await lineWhere((l) => l.msg === 'TLS connection' && l.remote === remote);
  const request = await lineWhere((l) => l.msg === 'HTTP' && l.srcIP === remote);
  return { event, session, request };
}

/** The event without its time and level, after checking them. */
function fields(event: Line): Line {
  const { time, level, msg, remote, ...rest } = event;
  assert.match(String(time), /^\d{4}-/);
  assert.equal(level, 30);
  assert.equal(msg, 'TLS connection');
  assert.match(String(remote), /^127\.0\.0\.1:\d+$/);
  return rest;
}

const NO_CLIENT = { alpn: 'http/1.1', sni: 'localhost', resumed: false, clientCertificates: [], verdict: 'no client certificate' };

test('TLS 1.3 with X25519, no client certificate', async () => {
  const { event, request } = await traced({ minVersion: 'TLSv1.3', ecdhCurve: 'X25519' });
  assert.deepEqual(fields(event), { protocol: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', keyExchangeGroup: 'X25519', ...NO_CLIENT });
  // The request on the connection has its client's address, though TLS ran over a stream of ours.
  assert.equal(request.srcIP, event.remote);
  assert.equal(request.resp, 200);
});

const groups: [ConnectionOptions['maxVersion'], string, string][] = [
  ['TLSv1.3', 'P-256', 'TLS_AES_128_GCM_SHA256'],
  ['TLSv1.3', 'P-384', 'TLS_AES_128_GCM_SHA256'],
  ['TLSv1.3', 'P-521', 'TLS_AES_128_GCM_SHA256'],
  ['TLSv1.2', 'X25519', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['TLSv1.2', 'P-256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['TLSv1.2', 'P-384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
];
for (const [version, group, suite] of groups) {
  test(`${version} with ${group}: the group the client forced is the one logged`, async () => {
    const { event } = await traced({ minVersion: version, maxVersion: version, ecdhCurve: group });
    assert.deepEqual(fields(event), { protocol: version, cipherSuite: suite, keyExchangeGroup: group, ...NO_CLIENT });
  });
}

test('a client certificate the client CA signed: its chain, and accepted as the user kube would see', async () => {
  const s = server();
  const { cert, key } = credentialsOf(await s.kubeconfig({ user: 'carol', groups: ['dev', 'ops'], uid: 'c-1', auth: 'cert' }));
  const { event, request } = await traced({ maxVersion: 'TLSv1.3', ecdhCurve: 'P-384', cert: cert!, key: key! });
  const leaf = new X509Certificate(cert!);
  const rest = fields(event);
  assert.equal(rest.keyExchangeGroup, 'P-384');
  // node's getPeerX509Certificate completes the chain with issuers from the server's trust store: the CA follows.
  const chain = rest.clientCertificates as Line[];
  const ca = distinguishedName(new X509Certificate(s.caCert).subject);
  assert.deepEqual(chain.map((c) => c.subject).slice(1), [ca]);
  assert.deepEqual(Object.keys(chain[0]!), ['subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter', 'sha256']);
  assert.match(String(chain[0]!.subject), /(^|,)CN=carol,/);
  assert.equal(chain[0]!.issuer, ca);
  assert.equal(chain[0]!.sha256, leaf.fingerprint256);
  assert.match(String(chain[0]!.serialNumber), /^[0-9A-F]{2}(:[0-9A-F]{2})*$/);
  assert.equal(chain[0]!.notAfter, new Date(leaf.validTo).toISOString().replace('.000Z', 'Z'));
  assert.match(String(rest.verdict), /^accepted: user carol \(uid c-1\), groups (dev, ops|ops, dev)$/);
  // The request log names the same certificate.
  assert.deepEqual(request.credential, { kind: 'client certificate', subject: chain[0]!.subject, sha256: leaf.fingerprint256 });
});

test('TLS 1.2 with a certificate from a CA the server does not trust: rejected in Go\'s words', async () => {
  const stranger = await issueOddCert({ issuer: 'self', commonName: 'stranger-ca', ca: {} });
  const leaf = await issueOddCert({ issuer: stranger, commonName: 'mallory', organizations: ['system:masters'] });
  const { event, request } = await traced({ maxVersion: 'TLSv1.2', ecdhCurve: 'P-256', cert: `${leaf.certPem}${stranger.certPem}`, key: leaf.keyPem });
  const rest = fields(event);
  assert.equal(rest.protocol, 'TLSv1.2');
  assert.equal(rest.keyExchangeGroup, 'P-256');
  assert.deepEqual((rest.clientCertificates as Line[]).map((c) => c.subject), ['CN=mallory,O=system:masters', 'CN=stranger-ca']);
  assert.equal(rest.verdict, 'rejected: x509: certificate signed by unknown authority');
  assert.equal(request.resp, 401);
});

// The server never resumes a session (servingOptions): OpenSSL keeps only the client's leaf certificate in a session,
// so a resumed connection would lose the intermediates the client sent and be refused where kube-apiserver, which
// keeps the whole chain in its tickets, authenticates it. A client that offers a session gets a full handshake.
for (const [version, group] of [['TLSv1.2', 'X25519'], ['TLSv1.3', 'P-256']] as const) {
  test(`${version}: a client that offers the session of an earlier connection gets a full handshake, with its key exchange`, async () => {
    const first = await traced({ minVersion: version, maxVersion: version, ecdhCurve: group });
    assert.equal(fields(first.event).resumed, false);
    assert.ok(first.session, 'the client has a session to offer');
    const again = await traced({ minVersion: version, maxVersion: version, ecdhCurve: group, session: first.session });
    const rest = fields(again.event);
    assert.equal(rest.resumed, false);
    assert.equal(rest.keyExchangeGroup, group);
    assert.equal(rest.sni, 'localhost');
  });
}

test('a failed handshake is a trace-level event with the error', async () => {
  const s = server();
  const { port } = new URL(s.url);
  const before = lines.length;
  // kube-apiserver's minimum is TLS 1.2 (servingOptions): a TLS 1.1 client is refused in the handshake.
  const err = await new Promise<Error>((resolve) => {
    const c = connect({ host: '127.0.0.1', port: Number(port), ca: s.caCert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    c.once('error', resolve);
  });
  assert.ok(err);
  const failed = await lineWhere((l) => l.msg === 'TLS handshake failed' && lines.indexOf(l) >= before);
  assert.equal(failed.level, 10);
  assert.match(String(failed.error), /unsupported protocol/);
  assert.equal(failed.code, 'ERR_SSL_UNSUPPORTED_PROTOCOL');
});

test('text format: the event reads as one line', () => {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const event = lines.find((l) => l.msg === 'TLS connection' && l.keyExchangeGroup === 'X25519' && l.protocol === 'TLSv1.3')!;
  const { time: _time, level: _level, msg, ...rest } = event;
  createLogger('text', out).info({ ...rest, remote: '127.0.0.1:50000' }, String(msg));
  assert.equal(
    text.slice('00:00:00.000 '.length),
    'INFO TLS connection remote=127.0.0.1:50000 protocol=TLSv1.3 cipherSuite=TLS_AES_128_GCM_SHA256 keyExchangeGroup=X25519 alpn=http/1.1 sni=localhost resumed=false clientCertificates=[] verdict="no client certificate"\n',
  );
});
