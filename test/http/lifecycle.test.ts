// Test suites start a server per file: stop() must end keep-alive connections, and 50 start/stop cycles
// must leave no sockets, timers or watchers behind.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { test } from 'node:test';
import { startServer, type KubeAuthMockServer } from '../../src/index.js';

function getVersion(server: KubeAuthMockServer, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/version`, { ca: server.caCert, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

// Node 20 has no public API for this; the count is what keeps a test runner from exiting.
const activeHandles = (): number => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;

test('stop() resolves while a client holds an idle keep-alive connection', async () => {
  const server = await startServer();
  const agent = new Agent({ keepAlive: true });
  assert.equal(await getVersion(server, agent), 200);
  await server.stop();
  agent.destroy();
});

// The guard only turns a hang into a failure: node's TLS server would hold the connection for its
// handshakeTimeout (120 s) and server.close() would wait for it.
test('stop() resolves while a client holds a TCP connection that never starts its TLS handshake', { timeout: 60_000 }, async () => {
  const server = await startServer();
  const raw = connect(server.port, '127.0.0.1');
  raw.on('error', () => undefined);
  await once(raw, 'connect');
  const closed = once(raw, 'close');
  await server.stop();
  await closed;
});

test('50 servers started and stopped in one process leak no handles', async () => {
  const agent = new Agent({ keepAlive: true });
  const first = await startServer();
  await getVersion(first, agent);
  await first.stop();
  agent.destroy();
  await new Promise((r) => setImmediate(r));
  const baseline = activeHandles();
  for (let i = 0; i < 50; i++) {
    const server = await startServer();
    const perServerAgent = new Agent({ keepAlive: true });
    assert.equal(await getVersion(server, perServerAgent), 200);
    await server.stop();
    perServerAgent.destroy();
  }
  await new Promise((r) => setImmediate(r));
  assert.ok(activeHandles() <= baseline, `active handles grew from ${baseline} to ${activeHandles()}`);
});

test('a server with a PKI folder releases its file watchers on stop', async () => {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'kam-life-'));
  try {
    const first = await startServer({ pkiDir: join(dir, 'pki') });
    await first.stop();
    await new Promise((r) => setImmediate(r));
    const baseline = activeHandles();
    for (let i = 0; i < 5; i++) {
      const server = await startServer({ pkiDir: join(dir, 'pki') });
      await server.stop();
    }
    await new Promise((r) => setImmediate(r));
    assert.ok(activeHandles() <= baseline, `active handles grew from ${baseline} to ${activeHandles()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('two servers in one process do not trust each other\'s certificates', async () => {
  const [a, b] = await Promise.all([startServer({ authorizationMode: 'AlwaysAllow' }), startServer({ authorizationMode: 'AlwaysAllow' })]);
  try {
    // A client that trusts b's CA refuses a's serving certificate.
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = request(`${a.url}/version`, { ca: b.caCert, agent: false }, resolve);
        req.on('error', reject);
        req.end();
      }),
      (err: NodeJS.ErrnoException) => /certificate|self.signed|unable to verify/i.test(`${err.code} ${err.message}`),
    );
    // A client certificate minted by a is refused by b.
    const kc = await a.kubeconfig({ user: 'mallory', groups: ['system:masters'], auth: 'cert' });
    const field = (name: string) => Buffer.from(new RegExp(`${name}: (.+)`).exec(kc)![1]!, 'base64').toString('utf8');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${b.url}/version`, { ca: b.caCert, cert: field('client-certificate-data'), key: field('client-key-data'), agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 401);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('stop() ends open watches: the client sees its stream end, not a reset', async () => {
  const server = await startServer({ authorizationMode: 'AlwaysAllow' });
  let started!: () => void;
  const watching = new Promise<void>((resolve) => (started = resolve));
  const ended = new Promise<string>((resolve, reject) => {
    const req = request(`${server.url}/api/v1/namespaces?watch=1`, { ca: server.caCert, agent: false }, (res) => {
      // The first events are the existing namespaces: once one arrives, the watch is open.
      res.on('data', () => started());
      res.on('end', () => resolve('end'));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  await watching;
  await server.stop();
  assert.equal(await ended, 'end');
});

test('a chunked body over the limit gets its 413 and the connection is closed', async () => {
  const server = await startServer({ authorizationMode: 'AlwaysAllow' });
  try {
    const status = await new Promise<number>((resolve) => {
      const req = request(
        `${server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
        { method: 'POST', ca: server.caCert, agent: false, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const write = (): void => {
        while (sent < 5 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    });
    assert.equal(status, 413);
  } finally {
    await server.stop();
  }
});

// client-go dials connections in parallel and may never send on some of them: stop() ends those at once, and gives
// only connections with a request in flight its grace. The in-flight request still gets its answer afterwards.
test('stop() ends a TLS connection that carries no request at once, and still answers one in flight', async () => {
  // AlwaysAllow: anonymous may create the review, so the handler reads its body.
  const server = await startServer({ authorizationMode: 'AlwaysAllow' });
  const open = async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: server.port, ca: server.caCert, servername: 'localhost', ALPNProtocols: ['http/1.1'] });
    socket.on('error', () => undefined);
    await once(socket, 'secureConnect');
    return socket;
  };
  const idle = await open();
  const busy = await open();
  const body = '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"nonResourceAttributes":{"path":"/x","verb":"get"}}}';
  // Expect: 100-continue makes the server say when its handler starts reading the body: the request is then in flight.
  busy.write(`POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`);
  let answer = '';
  const continued = new Promise<void>((resolve) => {
    busy.setEncoding('utf8').on('data', (d: string) => {
      answer += d;
      if (answer.includes('\r\n\r\n')) resolve();
    });
  });
  await continued;
  assert.match(answer, /^HTTP\/1\.1 100 Continue\r\n/);
  answer = '';
  const stopped = server.stop();
  await once(idle, 'close');
  busy.end(body);
  await once(busy, 'end');
  assert.match(answer, /^HTTP\/1\.1 \d{3} /);
  await stopped;
});
