// A cluster's proxy-url, as client-go's clientcmd sets it (http.ProxyURL) and Go's net/http uses it: CONNECT through
// an http proxy for an https webhook, the request in absolute form for an http one, Proxy-Authorization from the
// URL's user info, socks5 (RFC 1928/1929) to the target; failures in Go's words ("proxyconnect tcp: ...", the
// proxy's status text, "socks connect tcp P->T: ...").
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { openTunnel } from '../../../helpers/connect-tunnel.js';
import { after, before, test } from 'node:test';
import { webhookClient } from '../../../../src/authn/webhook/client.js';
import { createCa, issueServingCert, type IssuedCert } from '../../../../src/pki/issue.js';

const port = (s: NetServer | HttpServer | HttpsServer): number => (s.address() as { port: number }).port;
const sockets = new Set<Socket>();
const track = (s: Socket): void => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
};

let ca: IssuedCert;
let httpsHook: HttpsServer;
let httpHook: HttpServer;
let proxy: HttpServer;
let socks: NetServer;
/** What the proxies saw: CONNECT targets, absolute-form URLs, Proxy-Authorization headers, socks targets and users. */
const seen: { connect: string[]; absolute: string[]; auth: (string | undefined)[]; socks: string[]; socksUsers: string[] } = { connect: [], absolute: [], auth: [], socks: [], socksUsers: [] };
let refuseConnect = false;

before(async () => {
  ca = await createCa({ commonName: 'proxy-test-ca' });
  const serving = await issueServingCert(ca, { sans: ['127.0.0.1'] });
  const answer = (_req: unknown, res: import('node:http').ServerResponse): void => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"through":"proxy"}');
  };
  httpsHook = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, answer);
  httpHook = createHttpServer(answer);
  // An http proxy: CONNECT tunnels, and requests in absolute form forwarded.
  proxy = createHttpServer((req, res) => {
    seen.absolute.push(req.url ?? '');
    seen.auth.push(req.headers['proxy-authorization']);
    const target = new URL(req.url ?? '');
    const { 'proxy-authorization': _auth, ...headers } = req.headers;
    const forwarded = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(forwarded);
  });
  proxy.on('connection', track);
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    seen.connect.push(req.url ?? '');
    seen.auth.push(req.headers['proxy-authorization']);
    if (refuseConnect) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    track(openTunnel(req, client, head));
  });
  socks = createNetServer((client) => {
    client.on('error', () => client.destroy());
    track(client);
    void socksSession(client);
  });
  for (const s of [httpsHook, httpHook, proxy, socks]) {
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
  }
  httpsHook.on('connection', track);
  httpHook.on('connection', track);
});
after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([httpsHook, httpHook, proxy, socks].map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A SOCKS5 server: user/password "u:p" when offered, CONNECT to an IPv4 address or a name, then a pipe. */
async function socksSession(client: Socket): Promise<void> {
  let buffer = Buffer.alloc(0);
  const waiting: (() => void)[] = [];
  client.on('data', (c: Buffer) => {
    buffer = Buffer.concat([buffer, c]);
    waiting.splice(0).forEach((w) => w());
  });
  const read = async (n: number): Promise<Buffer> => {
    while (buffer.length < n) await new Promise<void>((r) => waiting.push(r));
    const out = buffer.subarray(0, n);
    buffer = buffer.subarray(n);
    return out;
  };
  const [, count] = await read(2);
  const methods = [...(await read(count!))];
  if (methods.includes(2)) {
    client.write(Buffer.from([5, 2]));
    const [, ulen] = await read(2);
    const user = (await read(ulen!)).toString();
    const [plen] = await read(1);
    const password = (await read(plen!)).toString();
    seen.socksUsers.push(`${user}:${password}`);
    client.write(Buffer.from([1, password === 'p' ? 0 : 1]));
    if (password !== 'p') return void client.end();
  } else client.write(Buffer.from([5, 0]));
  const [, , , atyp] = await read(4);
  const host = atyp === 1 ? [...(await read(4))].join('.') : (await read((await read(1))[0]!)).toString();
  const p = (await read(2)).readUInt16BE(0);
  seen.socks.push(`${host}:${p}`);
  if (host === '10.255.255.1') return void client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0]));
  const up = connect(p, host, () => {
    client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
    client.removeAllListeners('data');
    if (buffer.length > 0) up.write(buffer);
    up.pipe(client);
    client.pipe(up);
  });
  up.on('error', () => up.destroy());
  track(up);
}

test('an https webhook through an http proxy: CONNECT host:port with Proxy-Authorization, then TLS to the webhook', async () => {
  const hook = `https://127.0.0.1:${port(httpsHook)}/authn`;
  const client = webhookClient({ server: hook, caPem: ca.certPem, proxyUrl: `http://jane:s3cret@127.0.0.1:${port(proxy)}` });
  assert.deepEqual(await client.post({}), { status: 200, body: { through: 'proxy' } });
  assert.equal(seen.connect.at(-1), `127.0.0.1:${port(httpsHook)}`);
  assert.equal(seen.auth.at(-1), `Basic ${Buffer.from('jane:s3cret').toString('base64')}`);
});

test('an http webhook through an http proxy: the request in absolute form', async () => {
  const hook = `http://127.0.0.1:${port(httpHook)}/authn`;
  const client = webhookClient({ server: hook, proxyUrl: `http://127.0.0.1:${port(proxy)}` });
  assert.deepEqual(await client.post({}), { status: 200, body: { through: 'proxy' } });
  assert.equal(seen.absolute.at(-1), hook);
  assert.equal(seen.auth.at(-1), undefined);
});

test('a proxy that refuses the CONNECT: net/http\'s error is the status text', async () => {
  refuseConnect = true;
  try {
    const hook = `https://127.0.0.1:${port(httpsHook)}/authn`;
    await assert.rejects(webhookClient({ server: hook, caPem: ca.certPem, proxyUrl: `http://127.0.0.1:${port(proxy)}` }).post({}), { message: `Post "${hook}": Forbidden` });
  } finally {
    refuseConnect = false;
  }
});

test('a proxy that cannot be reached: "proxyconnect tcp: dial tcp ..."', async () => {
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const closed = port(probe);
  await new Promise<void>((r) => probe.close(() => r()));
  const hook = `http://127.0.0.1:${port(httpHook)}/authn`;
  await assert.rejects(webhookClient({ server: hook, proxyUrl: `http://127.0.0.1:${closed}` }).post({}), { message: `Post "${hook}": proxyconnect tcp: dial tcp 127.0.0.1:${closed}: connect: connection refused` });
});

test('socks5: the proxy connects to the webhook (http and https), with user and password from the URL', async () => {
  const plain = `http://127.0.0.1:${port(httpHook)}/authn`;
  assert.deepEqual(await webhookClient({ server: plain, proxyUrl: `socks5://127.0.0.1:${port(socks)}` }).post({}), { status: 200, body: { through: 'proxy' } });
  assert.equal(seen.socks.at(-1), `127.0.0.1:${port(httpHook)}`);
  const secure = `https://127.0.0.1:${port(httpsHook)}/authn`;
  assert.deepEqual(await webhookClient({ server: secure, caPem: ca.certPem, proxyUrl: `socks5://u:p@127.0.0.1:${port(socks)}` }).post({}), { status: 200, body: { through: 'proxy' } });
  assert.deepEqual([seen.socks.at(-1), seen.socksUsers.at(-1)], [`127.0.0.1:${port(httpsHook)}`, 'u:p']);
});

test('socks5 failures in x/net/internal/socks\'s words', async () => {
  const refused = 'http://10.255.255.1:8080/authn';
  await assert.rejects(webhookClient({ server: refused, proxyUrl: `socks5://127.0.0.1:${port(socks)}` }).post({}), { message: `Post "${refused}": socks connect tcp 127.0.0.1:${port(socks)}->10.255.255.1:8080: unknown error connection refused` });
  const plain = `http://127.0.0.1:${port(httpHook)}/authn`;
  await assert.rejects(webhookClient({ server: plain, proxyUrl: `socks5://u:wrong@127.0.0.1:${port(socks)}` }).post({}), { message: `Post "${plain}": socks connect tcp 127.0.0.1:${port(socks)}->127.0.0.1:${port(httpHook)}: username/password authentication failed` });
});

/** A proxy that accepts and reads, and whose answer (if any) a test writes: its sockets, and a wait for the next one to close. */
async function scriptedProxy(onConnection: (client: Socket) => void = () => undefined): Promise<{ port: number; open: Set<Socket>; closed(): Promise<void>; stop(): Promise<void> }> {
  const open = new Set<Socket>();
  let waiting: (() => void)[] = [];
  const server = createNetServer((client) => {
    open.add(client);
    track(client);
    client.on('error', () => undefined);
    client.on('close', () => {
      open.delete(client);
      waiting.splice(0).forEach((w) => w());
    });
    client.resume();
    onConnection(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: port(server),
    open,
    closed: async () => {
      while (open.size > 0) await new Promise<void>((r) => waiting.push(r));
    },
    stop: () => {
      for (const s of open) s.destroy();
      waiting = [];
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// net/http closes the proxy connection when the client's deadline passes (transport.go dialConn: conn.Close on
// connectCtx.Done, the socks dialer's deadline); each timed-out call must not leave its socket open.
for (const scheme of ['http', 'socks5'] as const) {
  test(`a ${scheme} proxy that never answers: the timeout closes the connection to it`, { timeout: 20_000 }, async () => {
    const silent = await scriptedProxy();
    try {
      const hook = `https://127.0.0.1:${port(httpsHook)}/authn`;
      for (let i = 0; i < 3; i++) {
        await assert.rejects(webhookClient({ server: hook, caPem: ca.certPem, proxyUrl: `${scheme}://127.0.0.1:${silent.port}` }, { timeoutMs: 200, backoff: { durationMs: 0, factor: 1, jitter: 0, steps: 1 } }).post({}), {
          message: `Post "${hook}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        });
      }
      await silent.closed();
      assert.equal(silent.open.size, 0);
    } finally {
      await silent.stop();
    }
  });
}

test('a CONNECT answer whose head does not end within net/http\'s 10 MiB: "unexpected EOF", the connection closed', { timeout: 60_000 }, async () => {
  const endless = await scriptedProxy((client) => {
    client.write('HTTP/1.1 200 Connection established\r\n');
    const line = Buffer.from(`X-Padding: ${'y'.repeat(1000)}\r\n`.repeat(64));
    const more = (): void => {
      while (!client.destroyed && client.write(line));
    };
    client.on('drain', more);
    more();
  });
  try {
    const hook = `https://127.0.0.1:${port(httpsHook)}/authn`;
    await assert.rejects(webhookClient({ server: hook, caPem: ca.certPem, proxyUrl: `http://127.0.0.1:${endless.port}` }, { backoff: { durationMs: 0, factor: 1, jitter: 0, steps: 1 } }).post({}), { message: `Post "${hook}": unexpected EOF` });
    await endless.closed();
  } finally {
    await endless.stop();
  }
});

test('a proxy that hangs up before its CONNECT answer ends: ReadResponse\'s "unexpected EOF"', { timeout: 20_000 }, async () => {
  const rude = await scriptedProxy((client) => client.end('HTTP/1.1 200 Connection established\r\n'));
  try {
    const hook = `https://127.0.0.1:${port(httpsHook)}/authn`;
    await assert.rejects(webhookClient({ server: hook, caPem: ca.certPem, proxyUrl: `http://127.0.0.1:${rude.port}` }, { backoff: { durationMs: 0, factor: 1, jitter: 0, steps: 1 } }).post({}), { message: `Post "${hook}": unexpected EOF` });
  } finally {
    await rude.stop();
  }
});

// Go's socksUsernamePassword.Authenticate (net/http socks_bundle.go, x/net/internal/socks): the proxy picks the method;
// a user name or password longer than RFC 1929's length byte is refused, not cut; a method not offered fails.
test('socks5 auth as Go does it: too long a user or password, and a method the client did not offer', { timeout: 20_000 }, async () => {
  const greetings: number[][] = [];
  let method = 2;
  const picky = await scriptedProxy((client) => {
    client.once('data', (greeting: Buffer) => {
      greetings.push([...greeting]);
      client.write(Buffer.from([5, method]));
    });
  });
  try {
    const plain = `http://127.0.0.1:${port(httpHook)}/authn`;
    const prefix = `Post "${plain}": socks connect tcp 127.0.0.1:${picky.port}->127.0.0.1:${port(httpHook)}`;
    const once1 = { backoff: { durationMs: 0, factor: 1, jitter: 0, steps: 1 } };
    await assert.rejects(webhookClient({ server: plain, proxyUrl: `socks5://${'u'.repeat(256)}:p@127.0.0.1:${picky.port}` }, once1).post({}), { message: `${prefix}: invalid username/password` });
    await assert.rejects(webhookClient({ server: plain, proxyUrl: `socks5://u:${'%C3%A9'.repeat(128)}@127.0.0.1:${picky.port}` }, once1).post({}), { message: `${prefix}: invalid username/password` });
    method = 1;
    await assert.rejects(webhookClient({ server: plain, proxyUrl: `socks5://u:p@127.0.0.1:${picky.port}` }, once1).post({}), { message: `${prefix}: unsupported authentication method 1` });
    // The client offered no auth and user/password, each time.
    assert.deepEqual(greetings, [[5, 2, 0, 2], [5, 2, 0, 2], [5, 2, 0, 2]]);
    await picky.closed();
  } finally {
    await picky.stop();
  }
});

test('a proxy URL\'s user info: its %-escapes are the bytes Proxy-Authorization carries; a bad escape is sent as written, never thrown', async () => {
  const hook = `http://127.0.0.1:${port(httpHook)}/authn`;
  await webhookClient({ server: hook, proxyUrl: `http://j%C3%A9r%FF:p%40ss@127.0.0.1:${port(proxy)}` }).post({});
  assert.equal(seen.auth.at(-1), `Basic ${Buffer.concat([Buffer.from('jér'), Buffer.from([0xff]), Buffer.from(':p@ss')]).toString('base64')}`);
  await webhookClient({ server: hook, proxyUrl: `http://us%zz:pw@127.0.0.1:${port(proxy)}` }).post({});
  assert.equal(seen.auth.at(-1), `Basic ${Buffer.from('us%zz:pw').toString('base64')}`);
});

// net/http Transport.roundTrip's validateHeaders, before any connection: a header value with a control byte is
// refused ("net/http: invalid header field value for ..."); bytes above 0x7f go out as they are.
test('a header value net/http refuses fails the request in Go\'s words, with or without a proxy', async () => {
  const plain = `http://127.0.0.1:${port(httpHook)}/authn`;
  const secure = `https://127.0.0.1:${port(httpsHook)}/authn`;
  const rows: { name: string; server: string; proxyUrl?: string; config: { impersonate?: { user: string }; token?: string }; header: string }[] = [
    { name: 'as with a line break, no proxy', server: plain, config: { impersonate: { user: 'a\nb' } }, header: 'Impersonate-User' },
    { name: 'as with a line break, http target through the proxy', server: plain, proxyUrl: `http://127.0.0.1:${port(proxy)}`, config: { impersonate: { user: 'a\nb' } }, header: 'Impersonate-User' },
    { name: 'as with a line break, through CONNECT', server: secure, proxyUrl: `http://127.0.0.1:${port(proxy)}`, config: { impersonate: { user: 'a\rb' } }, header: 'Impersonate-User' },
    { name: 'a token with an inner line break, through socks5', server: plain, proxyUrl: `socks5://127.0.0.1:${port(socks)}`, config: { token: 'a\nb' }, header: 'Authorization' },
    { name: 'a NUL in a group', server: plain, config: { impersonate: { user: 'u', groups: ['g\u0000'] } as { user: string } }, header: 'Impersonate-Group' },
  ];
  for (const row of rows) {
    const client = webhookClient({ server: row.server, caPem: ca.certPem, ...(row.proxyUrl ? { proxyUrl: row.proxyUrl } : {}), ...row.config }, { timeoutMs: 10_000 });
    await assert.rejects(client.post({}), { message: `Post "${row.server}": net/http: invalid header field value for "${row.header}"` }, row.name);
  }
});

test('a user to impersonate outside Latin-1, through CONNECT: its UTF-8 bytes reach the webhook', async () => {
  const received: (string | undefined)[] = [];
  const serving = await issueServingCert(ca, { sans: ['127.0.0.1'] });
  const hookServer = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    received.push(req.headers['impersonate-user'] as string | undefined);
    res.setHeader('Content-Type', 'application/json');
    res.end('{}');
  });
  hookServer.on('connection', track);
  hookServer.listen(0, '127.0.0.1');
  await once(hookServer, 'listening');
  try {
    const hook = `https://127.0.0.1:${port(hookServer)}/authn`;
    await webhookClient({ server: hook, caPem: ca.certPem, proxyUrl: `http://127.0.0.1:${port(proxy)}`, impersonate: { user: 'a€b' } }).post({});
    assert.equal(Buffer.from(received[0] ?? '', 'latin1').toString('utf8'), 'a€b');
  } finally {
    await new Promise<void>((r) => hookServer.close(() => r()));
  }
});
