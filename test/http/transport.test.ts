// What clients see of the HTTP/1 and TLS layer: Go's net/http server and crypto/tls as kube-apiserver
// runs them (net/http/server.go, crypto/tls/cipher_suites.go), not node's defaults.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectionOptions } from 'node:tls';
import { before, test } from 'node:test';
import { serve } from '../helpers/cli.js';
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

const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

/** Sends raw bytes over TLS and collects the answer until `done` says it is complete, or the server closes. */
function rawExchange(text: string, done: (answer: string) => boolean = () => false, then?: (answer: string, socket: ReturnType<typeof connect>) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host: '127.0.0.1', port: server().port, ca: server().caCert, servername: 'localhost' }, () => socket.write(text));
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      answer += d;
      then?.(answer, socket);
      if (done(answer)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', (err: NodeJS.ErrnoException) => (answer === '' ? reject(err) : resolve(answer)));
  });
}

/** True once `answer` holds `count` complete responses with Content-Length bodies (after any 100 Continue). */
const responsesComplete = (count: number) => (answer: string): boolean => {
  let rest = answer.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
  for (let i = 0; i < count; i++) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(rest.slice(0, end))?.[1] ?? 0);
    if (rest.length < end + 4 + length) return false;
    rest = rest.slice(end + 4 + length);
  }
  return true;
};

interface Upload {
  status?: number;
  connection?: string;
  body?: string;
  error?: string;
}

/** Where uploads go: a server in this process, or one in a child process (the CLI). */
interface Target {
  url: string;
  caCert: string;
}

/** Uploads `size` bytes with a Content-Length (or chunked), writing as the socket drains; resolves with the answer or the error that came first. */
function upload(target: Target, size: number, headers: Record<string, string>, agent: Agent | false = false): Promise<Upload> {
  return new Promise((resolve) => {
    const length = headers['Transfer-Encoding'] === 'chunked' ? {} : { 'Content-Length': String(size) };
    const req = request(`${target.url}${WHOAMI}`, { method: 'POST', ca: target.caCert, agent, headers: { 'Content-Type': 'application/json', ...length, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode, connection: res.headers.connection, body });
        if (agent === false) req.destroy();
      });
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: `response ${err.code ?? err.message}` }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = (): void => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

test('413 race: node\'s https client reads the 413 Status of a 3 MiB+1 upload with Content-Length, 20 runs of 20 (server.go closeWriteAndWait)', async () => {
  // Client and server in one process share an event loop, which hides the race: the server runs apart.
  const pkiDir = await mkdtemp(join(tmpdir(), 'kam-413-'));
  const child = await serve('--pki-dir', pkiDir, '--authorization-mode', 'AlwaysAllow');
  try {
    const target = { url: child.ready.url, caCert: await readFile(child.ready.caFile, 'utf8') };
    for (let run = 1; run <= 20; run++) {
      const result = await upload(target, 3 * 1024 * 1024 + 1, {});
      assert.equal(result.error, undefined, `run ${run}: ${result.error}`);
      assert.equal(result.status, 413, `run ${run}`);
      assert.equal(result.connection, 'close');
      const status = JSON.parse(result.body!);
      assert.equal(status.reason, 'RequestEntityTooLarge');
      assert.equal(status.message, 'Request entity too large: limit is 3145728');
    }
  } finally {
    await child.stop();
    await rm(pkiDir, { recursive: true, force: true });
  }
});

test('an unread body of 256 KiB or more is not drained: the 403 says Connection: close and the client reads it (maxPostHandlerReadBytes)', async () => {
  const agent = new Agent({ keepAlive: true, ca: server().caCert });
  try {
    const result = await upload(server(), 1024 * 1024, {}, agent);
    assert.equal(result.error, undefined);
    assert.equal(result.status, 403);
    assert.equal(result.connection, 'close');
  } finally {
    agent.destroy();
  }
});

test('an unread body under 256 KiB is read and dropped, and the connection kept alive for the next request', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: server().caCert });
  try {
    const first = await upload(server(), 100 * 1024, {}, agent);
    assert.equal(first.status, 403);
    assert.equal(first.connection, 'keep-alive');
    const reused = await new Promise<boolean>((resolve, reject) => {
      const req = request(`${server().url}/version`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.reusedSocket));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(reused, true);
  } finally {
    agent.destroy();
  }
});

/** GET /version on the agent; true when it went over the connection of an earlier request. */
function versionReusesSocket(agent: Agent): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const req = request(`${server().url}/version`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.reusedSocket));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a chunked unread body under 256 KiB is drained: the connection serves the next request', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: server().caCert });
  try {
    const first = await upload(server(), 100 * 1024, { 'Transfer-Encoding': 'chunked' }, agent);
    assert.equal(first.status, 403);
    assert.equal(first.connection, 'keep-alive');
    assert.equal(await versionReusesSocket(agent), true);
  } finally {
    agent.destroy();
  }
});

test('a chunked unread body is drained up to 256 KiB, then the server closes the connection (maxPostHandlerReadBytes)', async () => {
  // Sends chunks until the server ends the connection, or gives up after 32 MiB (node alone drains forever).
  const limit = 32 * 1024 * 1024;
  const result = await new Promise<{ answer: string; sent: number; closedByServer: boolean }>((resolve) => {
    let answer = '';
    let sent = 0;
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ answer, sent, closedByServer });
    };
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 'a'), Buffer.from('\r\n')]);
    const write = (): void => {
      while (!done && sent < limit) {
        sent += 0x10000;
        if (!socket.write(chunk)) {
          socket.once('drain', write);
          return;
        }
      }
      if (!done) finish(false);
    };
    const socket = connect({ host: '127.0.0.1', port: server().port, ca: server().caCert, servername: 'localhost' }, () => {
      socket.write(`POST ${WHOAMI} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      write();
    });
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (answer += d));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
  assert.match(result.answer, /^HTTP\/1\.1 403 Forbidden\r\n/);
  assert.equal(result.closedByServer, true, `the server read all ${result.sent} bytes`);
});

test('Expect: 100-continue refused before the body is read: the 403 comes without 100 Continue, and the connection closes (expectContinueReader)', async () => {
  const answer = await rawExchange(`POST ${WHOAMI} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60\r\nExpect: 100-continue\r\n\r\n`, responsesComplete(1));
  assert.match(answer, /^HTTP\/1\.1 403 Forbidden\r\n/);
  assert.match(answer, /\r\nConnection: close\r\n/i);
});

test('Expect: 100-continue on a request whose handler reads the body: 100 Continue, then the answer', async () => {
  const body = JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
  let sentBody = false;
  const answer = await rawExchange(
    `POST ${WHOAMI} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    responsesComplete(1),
    (so_far, socket) => {
      if (!sentBody && so_far.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
        sentBody = true;
        socket.write(body);
      }
    },
  );
  assert.match(answer, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 Created\r\n/);
});

test('an expectation other than 100-continue gets 417 before anything else, and the connection closes (sendExpectationFailed)', async () => {
  const answer = await rawExchange(`POST ${WHOAMI} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: something-else\r\n\r\n0123456789`, responsesComplete(1));
  assert.match(answer, /^HTTP\/1\.1 417 Expectation Failed\r\n/);
  assert.match(answer, /\r\nConnection: close\r\n/i);
  // finishRequest with nothing written: Go's chunkWriter sets Content-Length: 0, never a chunked empty body.
  assert.match(answer, /\r\nContent-Length: 0\r\n/i);
  assert.doesNotMatch(answer, /Transfer-Encoding/i);
});

const GO_505 = 'HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n505 HTTP Version Not Supported: unsupported protocol version';

for (const line of ['GET /version HTTP/2.0', 'GET /version HTTP/0.9', 'GET /version HTTP/3.0', 'GET /version HTTP/2.1', 'CONNECT example.com:443 HTTP/2.0']) {
  test(`"${line}" gets Go's 505, byte for byte (server.go http1ServerSupportsRequest)`, async () => {
    assert.equal(await rawExchange(`${line}\r\nHost: x\r\n\r\n`), GO_505);
  });
}

const NODE_400 = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

for (const c of [
  { name: 'an unknown method', line: 'FOO /version HTTP/1.1' },
  { name: 'HTTP/1.2 (Go serves any HTTP/1.x; node\'s parser refuses it)', line: 'GET /version HTTP/1.2' },
  { name: 'a version Go cannot parse either (HTTP/12.0)', line: 'GET /version HTTP/12.0' },
  { name: 'the HTTP/2 preface (Go hands it to the handler)', line: 'PRI * HTTP/2.0' },
]) {
  test(`a request line node cannot parse still gets node's 400: ${c.name}`, async () => {
    assert.equal(await rawExchange(`${c.line}\r\nHost: x\r\n\r\n`), NODE_400);
  });
}

test('headers past 1 MiB get Go\'s 431, its status as a plain-text body (parity: serviceaccounts/oversized-tokens)', async () => {
  assert.equal(
    await rawExchange(`GET /version HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat((1 << 20) + 10)}\r\n\r\n`),
    'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large',
  );
});

const connectCases: { name: string; target: string; token?: () => string; code: number; reason?: string; message?: string; text?: string }[] = [
  { name: 'anonymous, to host:port: non-resource path "" with verb connect', target: 'example.com:443', code: 403, reason: 'Forbidden', message: 'forbidden: User "system:anonymous" cannot connect path ""' },
  { name: 'anonymous, to ip:port', target: '10.0.0.1:443', code: 403, reason: 'Forbidden', message: 'forbidden: User "system:anonymous" cannot connect path ""' },
  { name: 'anonymous, to an API path: resource request with the empty verb', target: '/api/v1/namespaces', code: 403, reason: 'Forbidden', message: 'namespaces is forbidden: User "system:anonymous" cannot  resource "namespaces" in API group "" at the cluster scope' },
  { name: 'system:masters, to host:port: the not-found handler', target: 'example.com:443', token: () => adminToken, code: 404, text: '404 page not found\n' },
  { name: 'system:masters, to an API path: go-restful\'s 405', target: '/api/v1/namespaces', token: () => adminToken, code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' },
];

for (const c of connectCases) {
  test(`CONNECT ${c.name} -> ${c.code} ${c.text === undefined ? 'Status' : 'plain text'}, not a closed socket`, async () => {
    const auth = c.token ? `Authorization: Bearer ${c.token()}\r\n` : '';
    const answer = await rawExchange(`CONNECT ${c.target} HTTP/1.1\r\nHost: ${c.target.startsWith('/') ? 'x' : c.target}\r\n${auth}\r\n`, responsesComplete(1));
    assert.match(answer, new RegExp(`^HTTP/1\\.1 ${c.code} `));
    if (c.text !== undefined) {
      assert.equal(answer.slice(answer.indexOf('\r\n\r\n') + 4), c.text);
      return;
    }
    const status = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.equal(status.kind, 'Status');
    assert.equal(status.code, c.code);
    assert.equal(status.reason, c.reason);
    assert.equal(status.message, c.message);
  });
}

test('a chunked unread body over 256 KiB closes the connection only after the whole response is out: a client that half-closes before reading gets every byte (closeWriteAndWait flushes first)', async () => {
  // About 14 MiB of list: far more than the kernel holds for a client that has not read yet.
  const post = (name: string, body: object) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${server().url}${name}`, { method: 'POST', ca: server().caCert, agent: false, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  assert.equal(await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big-list' } }), 201);
  for (let i = 0; i < 16; i++) {
    assert.equal(await post('/api/v1/namespaces/big-list/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i}` }, data: { x: 'a'.repeat(900_000) } }), 201);
  }
  const answer = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port: server().port, ca: server().caCert, servername: 'localhost' }, () => {
      socket.pause();
      socket.write(`GET /api/v1/namespaces/big-list/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${adminToken}\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 'a'), Buffer.from('\r\n')]);
      for (let i = 0; i < 16; i++) socket.write(chunk);
      // The body is complete and the client's side closed before it reads a byte of the answer.
      socket.end('0\r\n\r\n', () => socket.resume());
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
  const headerEnd = answer.indexOf('\r\n\r\n');
  const head = answer.subarray(0, headerEnd).toString('latin1');
  assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
  assert.equal(answer.length - headerEnd - 4, length, 'the whole list arrived');
});

/** The status lines of every response in a raw answer, in order. */
const statusLines = (answer: string): string[] => [...answer.matchAll(/HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/g)].map((m) => m[1]!);

for (const c of [
  { name: 'behind a GET', before: 'GET /version HTTP/1.1\r\nHost: x\r\n\r\n', want: ['200', '403'] },
  { name: 'behind two GETs', before: 'GET /version HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', want: ['200', '200', '403'] },
  { name: 'behind a POST with a body', before: `POST ${WHOAMI} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`, want: ['403', '403'] },
]) {
  test(`a CONNECT pipelined ${c.name} is answered after the earlier requests, in order (node would throw ERR_HTTP_SOCKET_ASSIGNED and crash the server)`, async () => {
    const answer = await rawExchange(`${c.before}CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`, responsesComplete(c.want.length));
    assert.deepEqual(statusLines(answer), c.want);
    // The server still serves.
    assert.deepEqual(statusLines(await rawExchange('GET /version HTTP/1.1\r\nHost: x\r\n\r\n', responsesComplete(1))), ['200']);
  });
}

test('an HTTP/2.0 request line pipelined behind a GET gets its 505 after the GET\'s answer, not in the middle of it', async () => {
  const answer = await rawExchange('GET /version HTTP/1.1\r\nHost: x\r\n\r\nGET /version HTTP/2.0\r\nHost: x\r\n\r\n');
  assert.deepEqual(statusLines(answer), ['200', '505']);
  assert.ok(answer.endsWith(GO_505.slice(GO_505.indexOf('\r\n\r\n'))), answer);
});

for (const c of [
  // llhttp refuses bytes after a request that closes the connection (HPE_CLOSED_CONNECTION); Go never reads them.
  { name: 'a GET with Connection: close, then more', text: 'GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n', want: ['200'] },
  { name: 'a GET, an HTTP/2.0 request line, then more', text: 'GET /version HTTP/1.1\r\nHost: x\r\n\r\nGET /version HTTP/2.0\r\nHost: x\r\n\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n', want: ['200', '505'] },
  // A malformed request pipelined behind a good one: Go reads it after answering the first.
  { name: 'a GET, then a request line node cannot parse', text: 'GET /version HTTP/1.1\r\nHost: x\r\n\r\nFOO /version HTTP/1.1\r\nHost: x\r\n\r\n', want: ['200', '400'] },
]) {
  test(`pipelined: ${c.name} -> ${c.want.join(', ')}: earlier answers are never lost to a parse error behind them`, async () => {
    assert.deepEqual(statusLines(await rawExchange(c.text)), c.want);
  });
}
