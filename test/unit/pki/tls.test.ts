import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createInMemoryPki, issueClient, issueClientCert, type IssuedCert, type Pki } from '../../../src/pki/index.js';

interface Seen {
  authorized: boolean;
  authorizationError: string | null;
  cn?: string | string[];
  o?: string | string[];
}

interface ClientView {
  status: number;
  seen: Seen;
  serverAuthorized: boolean;
  serverCn: string | string[] | undefined;
}

/** Starts a TLS server that reports what it saw of the client certificate, like kube-apiserver's x509 authenticator would read it. */
async function withServer(pki: Pki, fn: (port: number) => Promise<void>): Promise<void> {
  const server = https.createServer(
    {
      key: pki.serving.keyPem,
      cert: pki.serving.certPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      const seen: Seen = {
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
        cn: peer.subject?.CN,
        o: peer.subject?.O,
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(seen));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function get(port: number, opts: { ca: string; client?: IssuedCert; servername?: string }): Promise<ClientView> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        ca: opts.ca,
        cert: opts.client?.certPem,
        key: opts.client?.keyPem,
        servername: opts.servername,
        agent: false,
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const serverAuthorized = socket.authorized;
        const serverCn = socket.getPeerCertificate().subject.CN;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, seen: JSON.parse(body) as Seen, serverAuthorized, serverCn }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('TLS works end to end: server verified by the CA, client certificate verified by the server', async () => {
  const pki = await createInMemoryPki();
  const client = await issueClient(pki, { user: 'jane', groups: ['devs', 'ops'] });
  await withServer(pki, async (port) => {
    for (const servername of ['localhost', 'kubernetes.default.svc', undefined]) {
      // Without a servername, node checks the IP we dialled (127.0.0.1) against the IP SANs.
      const view = await get(port, { ca: pki.ca.certPem, client, servername });
      assert.equal(view.status, 200);
      assert.equal(view.serverAuthorized, true, `server verified for ${servername ?? 'IP 127.0.0.1'}`);
      assert.equal(view.serverCn, 'kube-apiserver');
      assert.deepEqual(view.seen, { authorized: true, authorizationError: null, cn: 'jane', o: ['devs', 'ops'] });
    }
  });
});

test('TLS refuses what it must: unknown CA, wrong server name, client certs that are expired, foreign or lack clientAuth', async () => {
  const pki = await createInMemoryPki();
  const other = await createInMemoryPki();
  const expired = await issueClientCert(pki.ca, {
    user: 'old',
    notBefore: new Date(Date.now() - 10 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
  });
  const serverUsage = await issueClientCert(pki.ca, { user: 'srv', extKeyUsage: ['serverAuth'] });
  const foreign = await issueClient(other, { user: 'mallory' });
  await withServer(pki, async (port) => {
    // The server's `ca` option makes OpenSSL send the CA along with the leaf, hence "in chain".
    await assert.rejects(get(port, { ca: other.ca.certPem, servername: 'localhost' }), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    await assert.rejects(get(port, { ca: pki.ca.certPem, servername: 'example.com' }), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });

    const cases: Array<{ name: string; client: IssuedCert | undefined; error: string | null; cn?: string }> = [
      { name: 'no certificate', client: undefined, error: 'UNABLE_TO_GET_ISSUER_CERT', cn: undefined },
      { name: 'expired', client: expired, error: 'CERT_HAS_EXPIRED', cn: 'old' },
      { name: 'serverAuth only', client: serverUsage, error: 'INVALID_PURPOSE', cn: 'srv' },
      { name: 'another PKI', client: foreign, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', cn: 'mallory' },
    ];
    for (const c of cases) {
      const view = await get(port, { ca: pki.ca.certPem, client: c.client, servername: 'localhost' });
      assert.equal(view.serverAuthorized, true, c.name);
      assert.equal(view.seen.authorized, false, c.name);
      if (c.client) assert.equal(view.seen.authorizationError, c.error, c.name);
      assert.equal(view.seen.cn, c.cn, c.name);
    }
  });
});
