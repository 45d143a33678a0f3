// What clients see of the HTTP/1 and TLS layer: Go's net/http server and crypto/tls as kube-apiserver
// runs them (net/http/server.go, crypto/tls/cipher_suites.go), not node's defaults.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect, type ConnectionOptions } from 'node:tls';
import { before, test } from 'node:test';
import { credentialsOf, useServer } from '../helpers/server.js';

const server = useServer({ authorizationMode: 'RBAC' });
let adminToken: string;

before(async () => {
  adminToken = credentialsOf(await (await server.ready()).kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'token' })).token!;
});

/** Completes a TLS handshake with these options and reports the suite chosen, or the error. */
function handshake(options: ConnectionOptions): Promise<{ cipher?: string; version?: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: server().port, ca: server().caCert, servername: 'localhost', ...options }, () => {
      const cipher = socket.getCipher();
      resolve({ cipher: cipher.standardName, version: socket.getProtocol() ?? undefined });
      socket.end();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

const tlsCases: { name: string; options: ConnectionOptions; want: string | 'refused' }[] = [
  { name: 'ECDHE-RSA with AES-GCM', options: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }, want: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { name: 'ECDHE-RSA with ChaCha20', options: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' }, want: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'ECDHE-RSA with AES-CBC-SHA (still in Go\'s defaults)', options: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA' }, want: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA' },
  { name: 'RSA key exchange with AES-GCM (no forward secrecy: rsaKexCiphers)', options: { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }, want: 'refused' },
  { name: 'RSA key exchange with AES-CBC', options: { maxVersion: 'TLSv1.2', ciphers: 'AES256-SHA' }, want: 'refused' },
  { name: 'ECDHE-RSA with CBC-SHA256 (disabledCipherSuites)', options: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256' }, want: 'refused' },
  { name: 'DHE-RSA (Go never had finite-field DHE)', options: { maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256' }, want: 'refused' },
  { name: 'TLS 1.3 still works', options: { minVersion: 'TLSv1.3' }, want: 'TLS_AES_256_GCM_SHA384|TLS_AES_128_GCM_SHA256|TLS_CHACHA20_POLY1305_SHA256' },
];

for (const c of tlsCases) {
  test(`TLS (Go's default cipher suites): ${c.name} -> ${c.want === 'refused' ? 'handshake refused' : 'accepted'}`, async () => {
    await server.ready();
    const result = await handshake(c.options);
    if (c.want === 'refused') {
      assert.ok(result.error !== undefined, `handshake succeeded with ${result.cipher}`);
    } else {
      assert.equal(result.error, undefined);
      assert.match(result.cipher ?? '', new RegExp(`^(${c.want})$`));
    }
  });
}

test('a watch with timeoutSeconds=2147484 (past node\'s 2^31-1 ms timers) stays open: it sees an object created after it started', async () => {
  const events: string[] = [];
  const outcome = await new Promise<string>((resolve, reject) => {
    const req = request(
      `${server().url}/api/v1/namespaces?watch=1&timeoutSeconds=2147484`,
      { ca: server().caCert, agent: false, headers: { Authorization: `Bearer ${adminToken}` } },
      (res) => {
        let buffered = '';
        let created = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
            const event = JSON.parse(buffered.slice(0, nl)) as { type: string; object: { metadata: { name: string } } };
            buffered = buffered.slice(nl + 1);
            events.push(`${event.type} ${event.object.metadata.name}`);
            if (event.object.metadata.name === 'late-comer') {
              req.destroy();
              resolve('saw it');
            } else if (!created) {
              created = true;
              const create = request(`${server().url}/api/v1/namespaces`, { method: 'POST', ca: server().caCert, agent: false, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' } }, (r) => r.resume());
              create.on('error', reject);
              create.end(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late-comer' } }));
            }
          }
        });
        res.on('end', () => resolve('ended'));
      },
    );
    req.on('error', (err) => (events.includes('ADDED late-comer') ? undefined : reject(err)));
    req.end();
  });
  assert.equal(outcome, 'saw it', events.join(', '));
});
