// kube-auth-mock handshake against hostile servers: each must end in a clear verdict (never authenticated, never a
// stack trace), in bounded time and memory, and the narration must never print the credential or let the server's
// words rewrite the terminal. The time limits are made short here (HandshakeOptions.timeouts); nothing is timed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { renderReport } from '../../src/handshake/render.js';
import { MAX_RESPONSE_BYTES, runHandshake, type HandshakeReport } from '../../src/handshake/run.js';
import { createCa, issueServingCert, type IssuedCert } from '../../src/pki/index.js';
import { tempDir } from '../helpers/clients.js';

const TOKEN = 'hostile-test-secret-token-0123456789';
let tmp: Awaited<ReturnType<typeof tempDir>>;
let ca: IssuedCert;
let serving: IssuedCert;
const servers: NetServer[] = [];
before(async () => {
  tmp = await tempDir('kam-handshake-hostile-');
  ca = await createCa();
  serving = await issueServingCert(ca, { sans: ['127.0.0.1'] });
});
after(async () => {
  for (const s of servers) s.close();
  await tmp?.remove();
});

async function listening(s: NetServer): Promise<number> {
  servers.push(s);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return (s.address() as AddressInfo).port;
}

/** Runs the handshake against 127.0.0.1:port with a token, short time limits, and checks what every run must. */
async function handshakeTo(port: number, name: string): Promise<{ report: HandshakeReport; text: string }> {
  const file = await tmp.write(`${name}.kubeconfig`, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'x',
    clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
    users: [{ name: 'u', user: { token: TOKEN } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  }));
  const report = await runHandshake({ kubeconfig: file, probeClientCertRequest: false, timeouts: { dialMs: 2000, tlsHandshakeMs: 300, responseMs: 300 } });
  const text = renderReport(report);
  const json = JSON.stringify(report);
  assert.ok(!text.includes(TOKEN) && !json.includes(TOKEN), 'the token is never printed');
  assert.ok(!/[\u001b\u009b]/.test(text), 'no escape sequence reaches the terminal');
  assert.equal(text.match(/^Verdict: /gm)?.length, 1, text);
  assert.doesNotMatch(`${text}${json}`, /\n\s+at .+\(.+:\d+:\d+\)/, 'no stack trace');
  return { report, text };
}

type Handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;
const https = (handler: Handler): NetServer => createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, handler as (req: IncomingMessage, res: ServerResponse) => void);
const h2 = (handler: Handler): NetServer => createSecureServer({ cert: serving.certPem, key: serving.keyPem, allowHTTP1: false }, handler as (req: Http2ServerRequest, res: Http2ServerResponse) => void);

const endless = (res: ServerResponse | Http2ServerResponse): void => {
  res.writeHead(201, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  // 100 MiB if the client kept reading.
  const write = (): void => {
    while (sent < 100 * 1024 * 1024 && !res.destroyed) {
      sent += chunk.length;
      if (!(res as ServerResponse).write(chunk)) return void res.once('drain', write);
    }
  };
  write();
};

const cases: { name: string; server: () => NetServer; error: RegExp }[] = [
  { name: 'a 100 MiB answer (HTTP/1.1)', server: () => https((req, res) => (req.resume(), endless(res))), error: new RegExp(`larger than ${MAX_RESPONSE_BYTES} bytes`) },
  { name: 'a 100 MiB answer (HTTP/2)', server: () => h2((req, res) => (req.resume(), endless(res))), error: new RegExp(`larger than ${MAX_RESPONSE_BYTES} bytes`) },
  { name: '201 with a body that is not JSON', server: () => https((req, res) => (req.resume(), res.writeHead(201), res.end('not json'))), error: /^the server's answer is not JSON: not json$/ },
  { name: '201 with JSON that is no SelfSubjectReview', server: () => https((req, res) => (req.resume(), res.writeHead(201), res.end('{}'))), error: /not a SelfSubjectReview with a user/ },
  { name: 'a redirect elsewhere', server: () => https((req, res) => (req.resume(), res.writeHead(302, { location: 'https://example.com/' }), res.end('moved'))), error: /^moved$/ },
  {
    name: 'a close in the middle of the answer (HTTP/1.1)',
    server: () => https((req, res) => {
      req.resume();
      res.writeHead(201, { 'content-length': '1000' });
      (res as ServerResponse).write('{"kind":"SelfSubjectReview"', () => res.destroy());
    }),
    error: /closed the connection before the whole answer came/,
  },
  {
    name: 'a reset stream in the middle of the answer (HTTP/2)',
    server: () => h2((req, res) => {
      req.resume();
      res.writeHead(201);
      (res as Http2ServerResponse).write('{"kind":', () => (res as Http2ServerResponse).stream.close(2));
    }),
    error: /ended the HTTP\/2 stream before the whole answer came|NGHTTP2_INTERNAL_ERROR/,
  },
  { name: 'no answer to the request (HTTP/1.1)', server: () => https((req) => req.resume()), error: /did not answer within 0.3 s/ },
  { name: 'no answer to the request (HTTP/2)', server: () => h2((req) => req.resume()), error: /did not answer within 0.3 s/ },
  {
    // OpenSSL's client takes at most 100 KiB of certificates (SSL_CTX_set_max_cert_list's default): the rest is refused.
    name: 'a certificate chain of 400 KiB',
    server: () => createHttpsServer({ cert: serving.certPem + ca.certPem.repeat(Math.ceil((400 * 1024) / ca.cert.raw.length)), key: serving.keyPem }, () => {}),
    error: /^tls: .*excessive message size/,
  },
  { name: 'no answer to the ClientHello', server: () => createNetServer(() => {}), error: /^net\/http: TLS handshake timeout$/ },
  {
    name: 'escape sequences and a forged verdict in the Status message',
    server: () => https((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401, message: '\u001b[2J\u001b[1;1HVerdict: authenticated as "admin"\nVerdict: authenticated as "admin"' }));
    }),
    error: /\\u001b\[2J/,
  },
];

for (const c of cases) {
  test(`hostile server: ${c.name} gives a clear verdict`, async () => {
    const { report } = await handshakeTo(await listening(c.server()), c.name.replace(/\W+/g, '-'));
    assert.equal(report.verdict.authenticated, false);
    assert.match(String(report.verdict.error), c.error, JSON.stringify(report.verdict));
  });
}

test('hostile server: a user name with escape sequences and line breaks is quoted, not obeyed', async () => {
  const port = await listening(https((req, res) => {
    req.resume();
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'SelfSubjectReview', status: { userInfo: { username: 'eve\u001b]0;pwned\u0007\nVerdict: authenticated as "admin"', groups: ['g\u009b1m'] } } }));
  }));
  const { report, text } = await handshakeTo(port, 'escapes-in-user');
  assert.equal(report.verdict.authenticated, true);
  assert.match(text, /user: eve\\u001b\]0;pwned\\u0007\\u000aVerdict/);
});

test('a password in the server or proxy URL is never printed (Go\'s url.Redacted)', async () => {
  const port = await listening(https((req, res) => (req.resume(), res.writeHead(401), res.end('{"kind":"Status","code":401,"message":"Unauthorized","reason":"Unauthorized"}'))));
  const file = await tmp.write('userinfo.kubeconfig', stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'x',
    clusters: [{ name: 'c', cluster: { server: `https://admin:s3cr%40t-pw@127.0.0.1:${port}`, 'proxy-url': 'http://proxyuser:pr0xy-pw@127.0.0.1:1', 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
    users: [{ name: 'u', user: { token: TOKEN } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  }));
  const report = await runHandshake({ kubeconfig: file, probeClientCertRequest: false });
  const all = `${renderReport(report)}${JSON.stringify(report)}`;
  assert.doesNotMatch(all, /s3cr|pr0xy-pw/);
  assert.equal(report.server, `https://admin:xxxxx@127.0.0.1:${port}`);
  assert.match(all, /proxy-url http:\/\/proxyuser:xxxxx@127\.0\.0\.1:1 is set/);
});
