// Hostile clients against a server that reads handshakes in JavaScript (--tls-trace, handshake-observer.ts): raw
// sockets sending malformed TLS, stalling, replaying another connection's ClientHello. The server must answer or
// close each one, never throw, never hold a connection OpenSSL gave up on, and never give one connection another's facts.
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { connect as netConnect, createServer as netServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { connect, type TLSSocket } from 'node:tls';
import { startServer } from '../../src/index.js';
import { createLogger } from '../../src/util/log.js';
import { useServer } from '../helpers/server.js';
import { jsonLogLines, type LogLine } from '../helpers/log-lines.js';

type Line = LogLine;
const { sink, lines, lineWhere } = jsonLogLines();

// Everyone may do anything: a body is read (and found too large) only once the request is authorized.
const server = useServer({ tlsTrace: true, authorizationMode: 'AlwaysAllow', log: createLogger('json', sink) });
const port = (): number => Number(new URL(server().url).port);

/** A real ClientHello (one record) as node's TLS client writes it, captured by a TCP server that answers nothing. */
async function capturedClientHello(options: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<Buffer> {
  const capture = netServer();
  capture.listen(0, '127.0.0.1');
  await once(capture, 'listening');
  const { port: p } = capture.address() as { port: number };
  const got = once(capture, 'connection') as Promise<[Socket]>;
  const client = connect({ host: '127.0.0.1', port: p, servername: 'localhost', rejectUnauthorized: false, ...options });
  client.on('error', () => {});
  const [socket] = await got;
  let bytes = Buffer.alloc(0);
  while (bytes.length < 5 || bytes.length < 5 + bytes.readUInt16BE(3)) bytes = Buffer.concat([bytes, ((await once(socket, 'data')) as [Buffer])[0]]);
  client.destroy();
  socket.destroy();
  capture.close();
  return bytes;
}

/** Splits one TLS record's payload into records of `size` bytes each. */
function resplit(record: Buffer, size: number): Buffer {
  const payload = record.subarray(5);
  const out: Buffer[] = [];
  for (let at = 0; at < payload.length; at += size) {
    const part = payload.subarray(at, at + size);
    const header = Buffer.from([record[0]!, 3, 1, 0, 0]);
    header.writeUInt16BE(part.length, 3);
    out.push(header, part);
  }
  return Buffer.concat(out);
}

/** Writes `bytes` on a raw socket and waits for the server to close it (or, with `end`, for either side). */
async function sendRaw(bytes: Buffer, end = true): Promise<Buffer> {
  const socket = netConnect(port(), '127.0.0.1');
  await once(socket, 'connect');
  const answer: Buffer[] = [];
  socket.on('data', (d: Buffer) => answer.push(d));
  socket.on('error', () => {});
  socket.write(bytes);
  if (end) socket.end();
  await once(socket, 'close');
  return Buffer.concat(answer);
}

/** One traced request on a fresh connection: the "TLS connection" event and the request's log line. */
async function tracedRequest(): Promise<{ event: Line; request: Line }> {
  const socket: TLSSocket = await new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port: port(), ca: server().caCert, servername: 'localhost' }, () => resolve(c));
    c.once('error', reject);
  });
  const remote = `127.0.0.1:${socket.localPort}`;
  socket.write('GET /version HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  socket.resume();
  await once(socket, 'close');
  return { event: await lineWhere((l) => l.msg === 'TLS connection' && l.remote === remote), request: await lineWhere((l) => l.msg === 'HTTP' && l.srcIP === remote) };
}

test('malformed handshakes are refused or closed; the server keeps serving', async () => {
  const hello = await capturedClientHello();
  const huge = Buffer.from([22, 3, 1, 0, 4, 1, 0xff, 0xff, 0xff]); // one record: a ClientHello that says 16 MiB
  const cases: Array<[string, Buffer]> = [
    ['the ClientHello in 1-byte records', resplit(hello, 1)],
    ['zero-length records before the ClientHello', Buffer.concat([Buffer.from([22, 3, 1, 0, 0, 22, 3, 1, 0, 0]), hello])],
    ['a record longer than 2^14 + 2048', Buffer.concat([Buffer.from([22, 3, 1, 0x50, 0x00]), Buffer.alloc(0x5000)])],
    ['a handshake message declaring 16 MiB', Buffer.concat([huge, Buffer.alloc(4096, 0x41)])],
    ['an SSLv2-style hello', Buffer.from('803e0103010015000000100000390000380000350000160000130000', 'hex')],
    ['plain HTTP on the TLS port', Buffer.from('GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n')],
    ['half a ClientHello, then close', hello.subarray(0, 40)],
  ];
  for (const [name, bytes] of cases) await assert.doesNotReject(sendRaw(bytes), name);
  const { event } = await tracedRequest();
  assert.equal(event.protocol, 'TLSv1.3');
});

test('a ClientHello OpenSSL refuses: the server closes the TCP connection itself', async () => {
  // The ClientHello of a TLS 1.1-only client: the server sends its alert, then must close though the client waits.
  const hello = await new Promise<Buffer>((resolve) => {
    const capture = netServer((s) => s.once('data', (d: Buffer) => { resolve(d); s.destroy(); capture.close(); }));
    capture.listen(0, '127.0.0.1', () => {
      const c = connect({ host: '127.0.0.1', port: (capture.address() as { port: number }).port, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
      c.on('error', () => {});
    });
  });
  const answer = await sendRaw(hello, false);
  assert.equal(answer[0], 21, 'a TLS alert');
});

test('a stalled handshake and an idle keep-alive connection do not hold stop(), with the observer on', async () => {
  const s = await startServer({ port: 0, tlsTrace: true, log: createLogger('json', new Writable({ write: (_c, _e, d) => d() })) });
  const hello = await capturedClientHello();
  const stalled = netConnect(Number(new URL(s.url).port), '127.0.0.1');
  await once(stalled, 'connect');
  stalled.on('error', () => {});
  stalled.write(hello.subarray(0, hello.length - 10));
  // And an established keep-alive connection, idle after its request: its TCP socket is under our stream.
  const idle: TLSSocket = await new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port: Number(new URL(s.url).port), ca: s.caCert, servername: 'localhost' }, () => resolve(c));
    c.once('error', reject);
  });
  idle.on('error', () => {});
  idle.write('GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await once(idle, 'data');
  const closed = [stalled, idle].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
  await s.stop();
  await Promise.all(closed);
});

test('a second connection replaying the first one\'s ClientHello does not take over its address or facts', async () => {
  // TLS 1.2 logs its keys only after the client's second flight, so a replay read in between names the same client random.
  const target = port();
  const relay = netServer();
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  let firstFlight: Buffer | undefined;
  let upstreamPort: number | undefined;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const gotHello = new Promise<Buffer>((resolve) => {
    relay.on('connection', (client: Socket) => {
      const upstream = netConnect(target, '127.0.0.1', () => (upstreamPort = upstream.localPort));
      upstream.on('data', (d: Buffer) => client.write(d));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      let n = 0;
      client.on('data', (d: Buffer) => {
        n += 1;
        if (n === 1) {
          firstFlight = d;
          upstream.write(d);
          resolve(d);
        } else void released.then(() => upstream.write(d));
      });
    });
  });
  const victim = connect({ host: '127.0.0.1', port: (relay.address() as { port: number }).port, ca: server().caCert, servername: 'localhost', maxVersion: 'TLSv1.2' });
  victim.on('error', () => {});
  const hello = await gotHello;
  assert.ok(firstFlight);
  // The replay: same bytes from another socket, kept open until the server's flight ends.
  const replay = netConnect(target, '127.0.0.1');
  await once(replay, 'connect');
  const replayPort = replay.localPort;
  replay.on('error', () => {});
  replay.write(hello);
  await once(replay, 'data');
  release();
  await once(victim, 'secureConnect');
  victim.write('GET /version HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  victim.resume();
  await once(victim, 'close');
  replay.destroy();
  relay.close();
  const request = await lineWhere((l) => l.msg === 'HTTP' && l.srcIP !== undefined && [upstreamPort, replayPort].some((p) => l.srcIP === `127.0.0.1:${p}`));
  assert.equal(request.srcIP, `127.0.0.1:${upstreamPort}`, 'the request is the relayed connection\'s, not the replaying one\'s');
});

// The time limit only turns a hang into a failure (a server that let the renegotiation through would answer no alert).
test('a TLS 1.2 client that renegotiates: the server stays up and later connections are traced as before', { timeout: 30_000 }, async () => {
  const socket: TLSSocket = await new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port: port(), ca: server().caCert, servername: 'localhost', maxVersion: 'TLSv1.2' }, () => resolve(c));
    c.once('error', reject);
  });
  // The server refuses renegotiation as Go does (servingOptions: SSL_OP_NO_RENEGOTIATION): the client gets a
  // no_renegotiation alert and its connection ends; the new ClientHello is encrypted, never read by the observer.
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  assert.equal(socket.renegotiate({}, () => undefined), true);
  // The alert is read once the client next reads the connection: a request makes it.
  socket.write('GET /version HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await ended;
  socket.destroy();
  const { event, request } = await tracedRequest();
  assert.equal(event.protocol, 'TLSv1.3');
  assert.equal(request.srcIP, event.remote);
});

test('a 3 MiB + 1 upload through the observing stream gets kube\'s 413 (backpressure both ways)', async () => {
  const { request } = await import('node:https');
  const size = 3 * 1024 * 1024 + 1;
  const result = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
    const req = request(`${server().url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, { method: 'POST', ca: server().caCert, agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': String(size) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = (): void => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
  assert.equal(result.status, 413);
  assert.equal((JSON.parse(result.body) as { message: string }).message, 'Request entity too large: limit is 3145728');
});

test('a failed handshake is traced with the client\'s address, though the TLS socket runs over a stream of ours', async () => {
  // kube-apiserver's minimum is TLS 1.2: a TLS 1.1 client is refused before any key is logged.
  const before = lines.length;
  const c = connect({ host: '127.0.0.1', port: port(), ca: server().caCert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
  c.on('error', () => {});
  await once(c, 'connect');
  const remote = `127.0.0.1:${c.localPort}`;
  const failed = await lineWhere((l) => l.msg === 'TLS handshake failed' && l.code === 'ERR_SSL_UNSUPPORTED_PROTOCOL' && lines.indexOf(l) >= before);
  assert.equal(failed.remote, remote);
  c.destroy();
});
