// kube-auth-mock handshake against a kube-auth-mock server started in-process (its PKI folder's admin, alice and bob
// kubeconfigs: certificate, token, basic auth) and against each broken set-up built with the project's PKI. For every
// failure, kubectl (the newest, built from k8s.io/kubectl) runs `auth whoami` with the same kubeconfig (the same
// SelfSubjectReview request) in the same test, and the verdict must be what it really prints.
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { createSecureServer } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { runHandshake, type HandshakeReport } from '../../src/handshake/run.js';
import { renderReport } from '../../src/handshake/render.js';
import { createCa, issueClientCert, issueServingCert, type IssuedCert } from '../../src/pki/index.js';
import { kubectlBinaries, newestKubectl, parseWhoami, runClient, tempDir } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
const server = useServer(async () => {
  tmp = await tempDir('kam-handshake-');
  return { pkiDir: join(tmp.dir, 'pki') };
});
let ca: IssuedCert;
const extraServers: (Server | NetServer)[] = [];

before(async () => {
  await server.ready();
  const pkiDir = server().pkiDir!;
  const certPem = await readFile(join(pkiDir, 'ca.crt'), 'utf8');
  const keyPem = await readFile(join(pkiDir, 'ca.key'), 'utf8');
  ca = { certPem, keyPem, cert: new X509Certificate(certPem), key: createPrivateKey(keyPem) };
});
after(async () => {
  for (const s of extraServers) s.close();
  await tmp?.remove();
});

/** A one-user kubeconfig. */
async function kubeconfig(name: string, o: { server: string; caPem?: string; tlsServerName?: string; insecure?: boolean; certPem?: string; keyPem?: string; token?: string }): Promise<string> {
  const cluster: Record<string, unknown> = { server: o.server };
  if (o.insecure === true) cluster['insecure-skip-tls-verify'] = true;
  if (o.caPem !== undefined) cluster['certificate-authority-data'] = Buffer.from(o.caPem).toString('base64');
  if (o.tlsServerName !== undefined) cluster['tls-server-name'] = o.tlsServerName;
  const user: Record<string, unknown> = {};
  if (o.certPem !== undefined) user['client-certificate-data'] = Buffer.from(o.certPem).toString('base64');
  if (o.keyPem !== undefined) user['client-key-data'] = Buffer.from(o.keyPem).toString('base64');
  if (o.token !== undefined) user.token = o.token;
  return tmp.write(`${name}.kubeconfig`, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster }], users: [{ name: 'u', user }], contexts: [{ name: name, context: { cluster: 'c', user: 'u' } }], 'current-context': name }));
}

/** A TLS server that is not kube-auth-mock: serves `serving` and answers every request 401, asking for no client certificate. */
async function plainServer(serving: IssuedCert): Promise<string> {
  const s = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
  });
  extraServers.push(s);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

/** What kubectl auth whoami prints on stderr, klog lines left out, the current time in x509's message normalised. */
async function kubectlSays(path: string, file: string, context?: string): Promise<{ code: number; text: string }> {
  const res = await runClient(path, ['--kubeconfig', file, '--cache-dir', join(tmp.dir, 'cache'), ...(context !== undefined ? ['--context', context] : []), 'auth', 'whoami']);
  return { code: res.code, text: res.stderr.split('\n').filter((l) => l.trim() !== '' && !/^[EWI]\d{4} /.test(l)).join('\n') };
}
const normalise = (s: string): string => s.replace(/current time \S+ is (before|after)/, 'current time T is $1');

const handshake = (file: string, context?: string): Promise<HandshakeReport> => runHandshake({ kubeconfig: file, ...(context !== undefined ? { context } : {}) });

for (const who of [
  { file: 'admin', user: 'admin', groups: ['system:masters', 'system:authenticated'], credential: 'client-certificate' },
  { file: 'alice', user: 'alice', groups: ['developers', 'system:authenticated'], credential: 'token' },
  { file: 'bob', user: 'bob', groups: ['testers', 'system:authenticated'], credential: 'basic' },
]) {
  test(`the PKI folder's ${who.file}.kubeconfig (${who.credential}) is authenticated as ${who.user}, as kubectl auth whoami says`, async () => {
    const file = join(server().pkiDir!, 'kubeconfigs', `${who.file}.kubeconfig`);
    const report = await handshake(file);
    assert.equal(report.verdict.authenticated, true, renderReport(report));
    assert.deepEqual(report.steps.map((s) => [s.name, s.ok]), [['connect', true], ['client-hello', true], ['server-chain', true], ['verify', true], ['credential', true], ['negotiated', true], ['request', true]]);
    assert.equal(report.identity?.username, who.user);
    assert.deepEqual(report.identity?.groups, who.groups);
    assert.equal(report.steps.find((s) => s.name === 'credential')!.details.kind, who.credential);
    const negotiated = report.steps.find((s) => s.name === 'negotiated')!.details;
    assert.equal(negotiated.serverAskedForClientCertificate, 'yes');
    assert.match(String(negotiated.protocol), /^TLSv1\.[23]$/);
    // The server is 127.0.0.1: Go sends no SNI for an IP address.
    assert.equal(report.steps.find((s) => s.name === 'client-hello')!.details.sni, false);
    for (const { name, path } of kubectlBinaries()) {
      const res = await runClient(path, ['--kubeconfig', file, '--cache-dir', join(tmp.dir, 'cache'), 'auth', 'whoami']);
      assert.equal(res.code, 0, `${name}: ${res.stderr}`);
      assert.deepEqual(parseWhoami(res.stdout), { user: report.identity!.username, groups: report.identity!.groups }, name);
    }
  });
}

interface BrokenCase {
  name: string;
  /** kubectl's --context, and the handshake's. */
  context?: string;
  build(): Promise<string>;
  kind: string;
  /** A part of the kubectl text, so the comparison cannot pass on two empty strings. */
  says: RegExp;
}

const broken: BrokenCase[] = [
  {
    name: 'a --context the kubeconfig does not have',
    context: 'nope',
    build: async () => join(server().pkiDir!, 'kubeconfigs', 'alice.kubeconfig'),
    kind: 'kubeconfig',
    says: /^error: context "nope" does not exist$/,
  },
  {
    name: 'insecure-skip-tls-verify with a certificate authority',
    build: () => kubeconfig('insecure-and-ca', { server: server().url, caPem: ca.certPem, insecure: true, token: 'x' }),
    kind: 'insecure-with-ca',
    says: /^error: specifying a root certificates file with the insecure flag is not allowed$/,
  },
  {
    name: 'certificate-authority-data that holds no PEM',
    build: () => kubeconfig('ca-not-pem', { server: server().url, caPem: 'not a certificate', token: 'x' }),
    kind: 'ca-unparseable',
    says: /^error: unable to load root certificates: unable to parse bytes as PEM block$/,
  },
  {
    name: 'a CA that did not sign the server certificate (unknown authority)',
    build: async () => kubeconfig('wrong-ca', { server: server().url, caPem: (await createCa({ commonName: 'some-other-ca' })).certPem, token: 'x' }),
    kind: 'unknown-authority',
    says: /^Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority/,
  },
  {
    name: 'no CA in the kubeconfig: the system roots, which do not hold our CA',
    build: () => kubeconfig('system-roots', { server: server().url, token: 'x' }),
    kind: 'unknown-authority',
    says: /^Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority$/,
  },
  {
    name: 'a tls-server-name the certificate does not list (hostname not in SANs)',
    build: () => kubeconfig('wrong-name', { server: server().url, caPem: ca.certPem, tlsServerName: 'wrong.example', token: 'x' }),
    kind: 'hostname',
    says: /x509: certificate is valid for localhost, kubernetes, .*, not wrong\.example$/,
  },
  {
    name: 'an expired server certificate',
    build: async () => {
      const serving = await issueServingCert(ca, { sans: ['127.0.0.1', 'localhost'], notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
      return kubeconfig('expired-server', { server: await plainServer(serving), caPem: ca.certPem, token: 'x' });
    },
    kind: 'expired',
    says: /x509: certificate has expired or is not yet valid: current time T is after /,
  },
  {
    name: 'a server certificate not valid yet',
    build: async () => {
      const serving = await issueServingCert(ca, { sans: ['127.0.0.1', 'localhost'], notBefore: new Date(Date.now() + 86_400_000), notAfter: new Date(Date.now() + 10 * 86_400_000) });
      return kubeconfig('future-server', { server: await plainServer(serving), caPem: ca.certPem, token: 'x' });
    },
    kind: 'not-yet-valid',
    says: /x509: certificate has expired or is not yet valid: current time T is before /,
  },
  {
    name: 'a client key that is not the certificate\'s',
    build: async () => {
      const cert = await issueClientCert(ca, { user: 'mallory' });
      const other = await issueClientCert(ca, { user: 'eve' });
      return kubeconfig('key-mismatch', { server: server().url, caPem: ca.certPem, certPem: cert.certPem, keyPem: other.keyPem });
    },
    kind: 'key-pair',
    says: /tls: private key does not match public key/,
  },
  {
    name: 'a client certificate without clientAuth usage (the server says 401)',
    build: async () => {
      const cert = await issueClientCert(ca, { user: 'server-only', extKeyUsage: ['serverAuth'] });
      return kubeconfig('no-client-auth', { server: server().url, caPem: ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem });
    },
    kind: 'unauthorized',
    says: /^error: You must be logged in to the server \(Unauthorized\)$/,
  },
  {
    name: 'a client certificate from a CA the server does not trust (401)',
    build: async () => {
      const cert = await issueClientCert(await createCa({ commonName: 'untrusted-ca' }), { user: 'stranger' });
      return kubeconfig('untrusted-client', { server: server().url, caPem: ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem });
    },
    kind: 'unauthorized',
    says: /^error: You must be logged in to the server \(Unauthorized\)$/,
  },
  {
    name: 'a server that asks for no client certificate',
    build: async () => {
      const serving = await issueServingCert(ca, { sans: ['127.0.0.1', 'localhost'] });
      const cert = await issueClientCert(ca, { user: 'admin', groups: ['system:masters'] });
      return kubeconfig('no-cert-request', { server: await plainServer(serving), caPem: ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem });
    },
    kind: 'unauthorized',
    says: /^error: You must be logged in to the server \(Unauthorized\)$/,
  },
  {
    name: 'an https URL to a plain HTTP port',
    build: async () => {
      const s = createHttpServer((req, res) => res.end('plain'));
      extraServers.push(s);
      s.listen(0, '127.0.0.1');
      await once(s, 'listening');
      return kubeconfig('plain-http', { server: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, caPem: ca.certPem, token: 'x' });
    },
    kind: 'tls',
    says: /^Unable to connect to the server: http: server gave HTTP response to HTTPS client$/,
  },
  {
    name: 'a server that closes the connection on the ClientHello',
    build: async () => {
      // The ClientHello is read before the close, so the client meets a clean end (EOF), never a reset.
      const s = createNetServer((c) => c.once('data', () => c.end()));
      extraServers.push(s);
      s.listen(0, '127.0.0.1');
      await once(s, 'listening');
      return kubeconfig('closes', { server: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, caPem: ca.certPem, token: 'x' });
    },
    kind: 'tls',
    says: /^Unable to connect to the server: EOF$/,
  },
  {
    name: 'nothing listening (connection refused)',
    build: async () => {
      const s = createHttpsServer();
      s.listen(0, '127.0.0.1');
      await once(s, 'listening');
      const port = (s.address() as AddressInfo).port;
      s.close();
      await once(s, 'close');
      return kubeconfig('refused', { server: `https://127.0.0.1:${port}`, caPem: ca.certPem, token: 'x' });
    },
    kind: 'connection-refused',
    says: /^The connection to the server 127\.0\.0\.1:\d+ was refused - did you specify the right host or port\?$/,
  },
];

for (const c of broken) {
  test(`${c.name}: the verdict is what kubectl prints`, async () => {
    const file = await c.build();
    const report = await handshake(file, c.context);
    assert.equal(report.verdict.authenticated, false, renderReport(report));
    assert.equal(report.verdict.kind, c.kind, renderReport(report));
    assert.ok(report.verdict.fix !== undefined && report.verdict.fix.length > 0);
    const kubectl = await kubectlSays(newestKubectl().path, file, c.context);
    assert.notEqual(kubectl.code, 0);
    assert.match(normalise(kubectl.text), c.says);
    assert.equal(normalise(report.verdict.kubectl ?? ''), normalise(kubectl.text));
  });
}

test('a server that asks for no client certificate: the narration says so and that the certificate was not sent', async () => {
  const serving = await issueServingCert(ca, { sans: ['127.0.0.1'] });
  const cert = await issueClientCert(ca, { user: 'admin' });
  const report = await handshake(await kubeconfig('no-cert-request-2', { server: await plainServer(serving), caPem: ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem }));
  const negotiated = report.steps.find((s) => s.name === 'negotiated')!;
  assert.equal(negotiated.details.serverAskedForClientCertificate, 'no');
  assert.equal(negotiated.status, 'warning');
  assert.match(report.verdict.why ?? '', /did not ask for a client certificate/);
});

test('the text narration of a verification failure names each check and the fix', async () => {
  const file = await kubeconfig('wrong-name-text', { server: server().url, caPem: ca.certPem, tlsServerName: 'wrong.example', token: 'x' });
  const text = renderReport(await handshake(file));
  assert.match(text, /\[ok\] validity: /);
  assert.match(text, /\[FAILED\] hostname: "wrong\.example" against the SANs/);
  assert.match(text, /\[not reached\] chain: /);
  assert.match(text, /SNI: "wrong\.example" \(tls-server-name\)/);
  assert.match(text, /^Fix: /m);
});

test('a client certificate without clientAuth: the narration warns at the credential and the verdict says why', async () => {
  const cert = await issueClientCert(ca, { user: 'server-only-2', extKeyUsage: ['serverAuth'] });
  const report = await handshake(await kubeconfig('no-client-auth-2', { server: server().url, caPem: ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem }));
  assert.equal(report.steps.find((s) => s.name === 'credential')!.status, 'warning');
  assert.match(report.verdict.why ?? '', /without clientAuth/);
  assert.match(report.verdict.fix ?? '', /clientAuth/);
});

test('a server that negotiates HTTP/2 gets the request over HTTP/2, impersonation headers included', async () => {
  const serving = await issueServingCert(ca, { sans: ['127.0.0.1'] });
  const seen: Record<string, unknown>[] = [];
  const s = createSecureServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    seen.push({ version: req.httpVersion, path: req.url, user: req.headers['impersonate-user'], groups: req.headers['impersonate-group'], auth: req.headers.authorization });
    req.resume();
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: 'jane', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { scope: ['a'] } } } }));
  });
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  try {
    const file = await tmp.write('h2.kubeconfig', stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'h2',
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
      users: [{ name: 'u', user: { token: 'tok', as: 'jane', 'as-groups': ['dev', 'ops'] } }],
      contexts: [{ name: 'h2', context: { cluster: 'c', user: 'u' } }],
    }));
    const report = await handshake(file);
    assert.equal(report.verdict.authenticated, true, renderReport(report));
    assert.equal(report.steps.find((x) => x.name === 'negotiated')!.details.alpn, 'h2');
    assert.deepEqual(report.identity, { username: 'jane', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { scope: ['a'] } });
    assert.deepEqual(seen, [{ version: '2.0', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', user: 'jane', groups: 'dev, ops', auth: 'Bearer tok' }]);
  } finally {
    s.close();
  }
});

test('the CLI: --json gives the steps, the verdict and the identity; exit code 0 when authenticated, 1 otherwise', async () => {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const ok = await runClient(process.execPath, ['--import', 'tsx', main, 'handshake', '--kubeconfig', join(server().pkiDir!, 'kubeconfigs', 'alice.kubeconfig'), '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  const data = JSON.parse(ok.stdout) as HandshakeReport;
  assert.deepEqual(data.steps.map((s) => s.name), ['connect', 'client-hello', 'server-chain', 'verify', 'credential', 'negotiated', 'request']);
  assert.ok(data.steps.every((s) => s.ok && typeof s.details === 'object'));
  assert.deepEqual(data.verdict, { authenticated: true, kind: 'authenticated' });
  assert.equal(data.identity?.username, 'alice');
  const refused = await runClient(process.execPath, ['--import', 'tsx', main, 'handshake', '--kubeconfig', await kubeconfig('cli-wrong-ca', { server: server().url, caPem: (await createCa()).certPem, token: 'x' })]);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /^Verdict: kubectl would fail with\n   Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority/m);
});

test('insecure-skip-tls-verify alone: authenticated, and the verification step says loudly that nothing was checked', async () => {
  const alice = await readFile(join(server().pkiDir!, 'kubeconfigs', 'alice.kubeconfig'), 'utf8');
  const token = /token: (\S+)/.exec(alice)![1]!;
  const report = await handshake(await kubeconfig('insecure', { server: server().url, insecure: true, tlsServerName: 'wrong.example', token }));
  assert.equal(report.verdict.authenticated, true, renderReport(report));
  const verify = report.steps.find((s) => s.name === 'verify')!;
  assert.equal(verify.status, 'warning');
  assert.match(verify.lines[0]!, /insecure-skip-tls-verify is set: kubectl does NOT check/);
  const res = await runClient(newestKubectl().path, ['--kubeconfig', join(tmp.dir, 'insecure.kubeconfig'), '--cache-dir', join(tmp.dir, 'cache'), 'auth', 'whoami']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(parseWhoami(res.stdout).user, report.identity?.username);
});

test('an exec plugin is named and not run: the request goes without its credential', async () => {
  const file = await tmp.write('exec.kubeconfig', stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'e',
    clusters: [{ name: 'c', cluster: { server: server().url, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
    users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/nonexistent/must-not-run', interactiveMode: 'Never' } } }],
    contexts: [{ name: 'e', context: { cluster: 'c', user: 'u' } }],
  }));
  const report = await handshake(file);
  const credential = report.steps.find((s) => s.name === 'credential')!;
  assert.equal(credential.status, 'warning');
  assert.equal(credential.details.kind, 'plugin');
  assert.match(credential.lines[0]!, /exec plugin "\/nonexistent\/must-not-run": NOT run/);
  assert.equal(report.steps.find((s) => s.name === 'request')!.details.path, '/apis/authentication.k8s.io/v1/selfsubjectreviews');
  assert.ok(report.identity === undefined || report.identity.username === 'system:anonymous', renderReport(report));
});
