// `kube-auth-mock handshake`: be the client of a kubeconfig, step by step, and say what kubectl would conclude.
// The TLS connection is made with rejectUnauthorized: false and the server judged here (verify-server.ts) with Go's
// rules, so every check can be narrated; the verdict is the first failure in the order client-go meets them:
//   client-go transport/transport.go TLSConfigFor (root pool, tls.X509KeyPair) before any connection;
//   net.Dialer (client-go's 30 s dial timeout); crypto/tls handshake with Go's verification;
//   then the request (kubectl auth whoami's SelfSubjectReview, pkg/cmd/auth/whoami.go) and the server's answer.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as http2Connect, constants as h2 } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { readKubeconfigClient, type KubeconfigClient } from '../kubeconfig/read.js';
import { summarizeCertificate, type CertificateSummary } from '../tls/certificate-summary.js';
import { presentedChain } from '../tls/connection-facts.js';
import { ConfigError } from '../util/errors.js';
import { describeCredential, type CredentialFacts } from './credential.js';
import { escapeControls } from './escape.js';
import { explain, goDialError, goRemoteAlert, verifyErrorKind, type Failure } from './explanations.js';
import { hostnameInSni } from './go-hostname.js';
import { serverRequestsClientCertificate } from './probe.js';
import { caDataError, certificatesFromPem, systemRoots, verifyServerChain } from './verify-server.js';

/** The steps, in the order they happen. */
export type StepName = 'connect' | 'client-hello' | 'server-chain' | 'verify' | 'credential' | 'negotiated' | 'request';

/** One narrated step: ok, failed, a warning (ok, but said loudly), or skipped (with the reason in lines). */
export interface Step {
  name: StepName;
  title: string;
  status: 'ok' | 'warning' | 'failed' | 'skipped';
  ok: boolean;
  lines: string[];
  details: Record<string, unknown>;
}

/** What the server says we are (SelfSubjectReview status.userInfo). */
export interface Identity {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The verdict: authenticated, or the failure in kubectl's words with the fix. */
export interface Verdict {
  authenticated: boolean;
  /** The failure's kind ('authenticated' when none). */
  kind: Failure['kind'] | 'authenticated';
  /** What kubectl prints for it. */
  kubectl?: string;
  why?: string;
  fix?: string;
  /** Go's error or the server's message behind it. */
  error?: string;
}

export interface HandshakeReport {
  kubeconfig: string;
  context: string;
  cluster: string;
  user: string;
  server: string;
  steps: Step[];
  verdict: Verdict;
  identity?: Identity;
}

export interface HandshakeOptions {
  kubeconfig: string;
  context?: string;
  /** The clock for validity checks (tests). */
  now?: () => Date;
  /** Roots when the kubeconfig names no CA (default: Go's system roots on Linux). */
  systemRootsPem?: string;
  /** Skip the second connection that observes a CertificateRequest (the answer is then "unknown"). */
  probeClientCertRequest?: boolean;
  /** Shorter time limits (tests); each defaults to the one below. */
  timeouts?: Partial<Timeouts>;
}

/** How long each step may take: every wait on the server has an end. */
export interface Timeouts {
  /** The TCP connection, per address (client-go's net.Dialer: 30 s). */
  dialMs: number;
  /** The TLS handshake (Go's http.Transport TLSHandshakeTimeout, as client-go sets it: 10 s). */
  tlsHandshakeMs: number;
  /**
   * The whole answer to the SelfSubjectReview, headers and body. client-go sets no limit of its own (kubectl's
   * --request-timeout is 0 by default); a narration that never ends explains nothing, so 30 s.
   */
  responseMs: number;
}

const USER_AGENT = 'kube-auth-mock-handshake';
/** client-go's Go defaults: dial timeout 30 s (utilnet SetTransportDefaults' net.Dialer), TLS handshake 10 s. */
const DEFAULT_TIMEOUTS: Timeouts = { dialMs: 30_000, tlsHandshakeMs: 10_000, responseMs: 30_000 };
/**
 * The most of an answer that is read: a SelfSubjectReview or a Status is well under a kilobyte; a server sending
 * more is not answering this question, and reading on would only cost memory.
 */
export const MAX_RESPONSE_BYTES = 1 << 20;
/** The most of a server's message that is quoted in the narration and the verdict. */
const MAX_MESSAGE_CHARS = 2048;
const SSR_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

/** The server URL's parts as Go's url.Parse and net/http see them. */
interface Target {
  scheme: 'https' | 'http';
  /** The host without brackets (what is resolved and what the certificate is checked against). */
  host: string;
  port: number;
  /** host[:port] as written (kubectl's refused sentence names it). */
  hostPort: string;
  /** A path prefix from the URL (client-go keeps it: APIPath is appended). */
  pathPrefix: string;
}

/** A URL with the password of its user info replaced by "xxxxx", as Go's url.URL.Redacted prints it. */
export function redactedUrl(url: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(url);
  if (m === null) return url;
  // The user info ends at the authority's last "@" (Go's url.Parse); the password after its first ":".
  const at = m[2]!.lastIndexOf('@');
  const colon = at < 0 ? -1 : m[2]!.slice(0, at).indexOf(':');
  return colon < 0 ? url : `${m[1]}${m[2]!.slice(0, colon)}:xxxxx${m[2]!.slice(at)}${m[3]}`;
}

function parseTarget(server: string): Target | string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(server);
  if (m === null) return `server ${JSON.stringify(redactedUrl(server))} is not a URL`;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') return `server ${JSON.stringify(redactedUrl(server))}: unsupported scheme ${JSON.stringify(scheme)}`;
  const hostPort = m[2]!.replace(/^[^@]*@/, '');
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (hp === null || hp[1] === '') return `server ${JSON.stringify(redactedUrl(server))} has no host`;
  const host = hp[1]!.replace(/^\[|\]$/g, '');
  const port = hp[2] !== undefined && hp[2] !== '' ? Number(hp[2]) : scheme === 'https' ? 443 : 80;
  return { scheme, host, port, hostPort, pathPrefix: m[3]!.replace(/\/+$/, '') };
}

/** Builds the report step by step. */
class Narration {
  readonly steps: Step[] = [];
  verdict: Verdict | undefined;
  step(name: StepName, title: string, status: Step['status'], lines: string[], details: Record<string, unknown> = {}): void {
    this.steps.push({ name, title, status, ok: status === 'ok' || status === 'warning', lines, details });
  }
  skip(name: StepName, title: string, reason: string): void {
    this.step(name, title, 'skipped', [reason], { skipped: reason });
  }
  /** The first failure decides the verdict, as the first error stops client-go. */
  fail(f: Failure): void {
    if (this.verdict !== undefined) return;
    const e = explain(f);
    this.verdict = { authenticated: false, kind: f.kind, kubectl: e.kubectl, why: e.why, fix: e.fix, error: f.error };
  }
}

const TITLES: Record<StepName, string> = {
  connect: 'Resolve and connect',
  'client-hello': 'ClientHello: what we offer',
  'server-chain': "The server's certificate chain",
  verify: "Verifying the server's certificate",
  credential: 'The client credential',
  negotiated: 'What was negotiated',
  request: 'One authenticated request: who does the server think we are?',
};

/** Runs the handshake and the request; never throws for a broken kubeconfig, server or network. */
export async function runHandshake(opts: HandshakeOptions): Promise<HandshakeReport> {
  const now = opts.now?.() ?? new Date();
  const limits: Timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const n = new Narration();
  let read: KubeconfigClient;
  try {
    read = await readKubeconfigClient(opts.kubeconfig, { ...(opts.context !== undefined ? { context: opts.context } : {}), plugins: 'report' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // kubectl prints client-go's reason alone ("error: stat FILE: no such file or directory").
    n.fail({ kind: 'kubeconfig', error: err.reason });
    return { kubeconfig: opts.kubeconfig, context: opts.context ?? '', cluster: '', user: '', server: '', steps: n.steps, verdict: n.verdict! };
  }
  const { config } = read;
  const report = (identity?: Identity): HandshakeReport => ({
    kubeconfig: opts.kubeconfig,
    context: read.context,
    cluster: read.cluster,
    user: read.user,
    server: redactedUrl(config.server),
    steps: n.steps,
    verdict: n.verdict ?? { authenticated: true, kind: 'authenticated' },
    ...(identity !== undefined ? { identity } : {}),
  });
  const target = parseTarget(config.server);
  if (typeof target === 'string') {
    n.fail({ kind: 'kubeconfig', error: target });
    return report();
  }
  const credential = describeCredential(config, read.plugin, now);
  const tls = target.scheme === 'https';

  // client-go builds its TLS config before dialing: an unreadable CA or a key that does not match stops it there.
  // TLSConfigFor's order: CA with insecure, the root pool (empty CA data means the system roots), the key pair.
  const rootsPem: string | undefined = config.caPem === '' ? undefined : config.caPem;
  if (tls && rootsPem !== undefined && config.insecureSkipTlsVerify) n.fail({ kind: 'insecure-with-ca', error: 'specifying a root certificates file with the insecure flag is not allowed' });
  const caProblem = tls && rootsPem !== undefined ? caDataError(rootsPem) : undefined;
  if (caProblem !== undefined) n.fail({ kind: 'ca-unparseable', error: `unable to load root certificates: ${caProblem}` });
  if (tls && credential.keyPairError !== undefined) n.fail({ kind: 'key-pair', error: credential.keyPairError });
  const stoppedBeforeConnect = n.verdict !== undefined;

  // 1. Resolve and connect.
  const connectLines: string[] = [`server ${redactedUrl(config.server)}: host ${JSON.stringify(target.host)}, port ${target.port}${tls ? '' : ' (plain HTTP: no TLS)'}`];
  if (config.proxyUrl !== undefined) connectLines.push(`proxy-url ${redactedUrl(config.proxyUrl)} is set: kubectl would go through it; this narration connects directly`);
  if (stoppedBeforeConnect) connectLines.push('(kubectl stops before connecting, see the verdict; the connection is made anyway to show the server)');
  let addresses: string[];
  try {
    addresses = isIP(target.host) !== 0 ? [target.host] : (await lookup(target.host, { all: true, verbatim: true })).map((a) => a.address);
    connectLines.push(isIP(target.host) !== 0 ? 'an IP address: nothing to resolve' : `resolved to ${addresses.join(', ')}`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    n.step('connect', TITLES.connect, 'failed', [...connectLines, `name resolution failed: ${code ?? String(err)}`], { host: target.host, port: target.port });
    n.fail({ kind: 'dial', error: goDialError(code, target.host, undefined, target.port), host: target.hostPort });
    return finish(n, report, credential, 'connect');
  }
  let tcp: Socket | undefined;
  let lastError: NodeJS.ErrnoException | undefined;
  let used = '';
  let connectMs = 0;
  for (const address of addresses) {
    const started = performance.now();
    try {
      tcp = await tcpConnect(address, target.port, limits.dialMs);
      connectMs = performance.now() - started;
      used = address;
      break;
    } catch (err) {
      lastError = err as NodeJS.ErrnoException;
      connectLines.push(`${address}:${target.port}: ${lastError.code ?? lastError.message}`);
    }
  }
  if (tcp === undefined) {
    const error = goDialError(lastError?.code, target.host, addresses.at(-1), target.port);
    n.step('connect', TITLES.connect, 'failed', [...connectLines, error], { host: target.host, port: target.port, addresses });
    n.fail({ kind: lastError?.code === 'ECONNREFUSED' ? 'connection-refused' : 'dial', error, host: target.hostPort });
    return finish(n, report, credential, 'connect');
  }
  const { localAddress, localPort } = tcp;
  connectLines.push(`TCP connected to ${used}:${target.port} from ${localAddress}:${localPort} in ${connectMs.toFixed(1)} ms`);
  n.step('connect', TITLES.connect, 'ok', connectLines, { host: target.host, port: target.port, addresses, address: used, connectMs: Math.round(connectMs * 10) / 10 });

  if (!tls) {
    for (const name of ['client-hello', 'server-chain', 'verify'] as const) n.skip(name, TITLES[name], 'plain HTTP: no TLS');
    credentialStep(n, credential, ['over plain HTTP client-go sends no credential (getUserIdentificationPartialConfig is read only for https)']);
    n.skip('negotiated', TITLES.negotiated, 'plain HTTP: no TLS');
    try {
      return report(await authenticatedRequest(n, target, config, credential, { socket: tcp, alpn: false, anonymous: true, timeoutMs: limits.responseMs }));
    } finally {
      tcp.destroy();
    }
  }

  // 2. ClientHello. net/http sets ServerName to the URL's host when client-go left it empty (no tls-server-name).
  const serverName = config.tlsServerName ?? target.host;
  const sni = hostnameInSni(serverName);
  const sendCert = credential.kind === 'client-certificate' && credential.keyMatches === true;
  n.step('client-hello', TITLES['client-hello'], 'ok', [
    'versions TLS 1.2 and TLS 1.3 (client-go sets MinVersion TLS 1.2; Go offers up to TLS 1.3)',
    sni === '' ? `SNI: none (the server name ${JSON.stringify(serverName)} is an IP address, and Go never sends an IP as SNI)` : `SNI: ${JSON.stringify(sni)}${config.tlsServerName !== undefined ? ' (tls-server-name)' : ' (the host of the server URL)'}`,
    'ALPN: h2, http/1.1 (kubectl offers HTTP/2 first)',
    sendCert ? 'a client certificate is ready, sent only if the server asks for one' : 'no client certificate to offer',
  ], { versions: ['TLSv1.2', 'TLSv1.3'], sni: sni === '' ? false : sni, serverName, alpn: ['h2', 'http/1.1'], clientCertificateReady: sendCert });

  let socket: TLSSocket;
  try {
    socket = await tlsHandshake(tcp, limits.tlsHandshakeMs, {
      servername: sni,
      ...(sendCert ? { cert: config.certPem!, key: config.keyPem! } : {}),
    });
  } catch (err) {
    const hostPort = (a: string | undefined, p: number | undefined): string => `${a?.includes(':') ? `[${a}]` : (a ?? '')}:${p ?? ''}`;
    let error = goTlsError(err as NodeJS.ErrnoException, { local: hostPort(localAddress, localPort), remote: hostPort(used, target.port) });
    // net/http transport.go: a reply to the ClientHello that starts "HTTP/" is a plain HTTP server.
    if (error === 'tls: first record does not look like a TLS handshake' && (await firstReplyBytes(used, target.port, sni, limits.tlsHandshakeMs)) === 'HTTP/') error = 'http: server gave HTTP response to HTTPS client';
    tcp.destroy();
    n.step('server-chain', TITLES['server-chain'], 'failed', [`the TLS handshake failed: ${error}`], { error });
    n.fail({ kind: 'tls', error, host: target.hostPort });
    return finish(n, report, credential, 'server-chain');
  }
  try {
    // 3. The server's chain, as sent.
    const chain = presentedChain(socket);
    const summaries = chain.map(summarizeCertificate);
    n.step('server-chain', TITLES['server-chain'], chain.length > 0 ? 'ok' : 'failed', chainLines(summaries), { certificates: summaries });

    // 4. Verification against the kubeconfig's CA or the system roots.
    const roots = rootsPem !== undefined ? { certs: certificatesFromPem(rootsPem), source: 'the kubeconfig\'s certificate-authority(-data)' } : opts.systemRootsPem !== undefined ? { certs: certificatesFromPem(opts.systemRootsPem), source: 'the given system roots' } : systemRoots();
    const verification = verifyServerChain(chain, roots.certs, serverName, now);
    const verifyLines = [`trusted roots: ${roots.source}${roots.certs.length > 0 && rootsPem !== undefined ? `: ${roots.certs.map((c) => JSON.stringify(summarizeCertificate(c).subject)).join(', ')}` : ''}`];
    for (const c of verification.checks) verifyLines.push(`${c.result === 'ok' ? '[ok]' : c.result === 'failed' ? '[FAILED]' : '[not reached]'} ${c.name}: ${c.detail}${c.error !== undefined ? `\n      ${c.error}` : ''}`);
    if (config.insecureSkipTlsVerify) {
      verifyLines.unshift('!!! insecure-skip-tls-verify is set: kubectl does NOT check the server\'s certificate at all; anyone in the path can pose as this server. The checks below are for information only.');
      n.step('verify', TITLES.verify, 'warning', verifyLines, { insecureSkipTlsVerify: true, checks: verification.checks, error: verification.error ?? null });
    } else {
      n.step('verify', TITLES.verify, verification.error === undefined ? 'ok' : 'failed', verifyLines, { roots: roots.source, checks: verification.checks, chain: verification.chain ?? null, error: verification.error ?? null });
      if (verification.error !== undefined) {
        const x509 = verification.error;
        n.fail({ kind: x509.startsWith('x509:') ? verifyErrorKind(x509) : 'tls', error: x509, host: target.hostPort });
      }
    }

    // 5. The credential.
    credentialStep(n, credential, []);

    // 6. What was negotiated.
    const asked = opts.probeClientCertRequest === false ? undefined : await serverRequestsClientCertificate(used, target.port, sni);
    const cipher = socket.getCipher();
    const ephemeral = socket.getEphemeralKeyInfo();
    const group = ephemeral !== null && typeof ephemeral === 'object' && 'name' in ephemeral && typeof ephemeral.name === 'string' ? ephemeral.name : undefined;
    const alpn = socket.alpnProtocol ?? false;
    const askedText = asked === undefined ? 'unknown' : asked ? 'yes' : 'no';
    const negotiatedLines = [
      `protocol ${socket.getProtocol() ?? 'unknown'}, cipher suite ${cipher.standardName}`,
      `key exchange group ${group ?? 'unknown'}`,
      `ALPN ${alpn === false ? 'none (HTTP/1.1)' : alpn}`,
      `resumed session: ${socket.isSessionReused() ? 'yes' : 'no (a first connection)'}`,
      `server asked for a client certificate: ${askedText}${asked === undefined ? '' : ' (seen on a second connection with OpenSSL\'s message trace)'}`,
    ];
    if (credential.kind === 'client-certificate' && asked === false) negotiatedLines.push('!!! the server did not ask for a client certificate, so yours was NOT sent');
    n.step('negotiated', TITLES.negotiated, credential.kind === 'client-certificate' && asked === false ? 'warning' : 'ok', negotiatedLines, {
      protocol: socket.getProtocol(), cipherSuite: cipher.standardName, keyExchangeGroup: group ?? null, alpn, resumed: socket.isSessionReused(), serverAskedForClientCertificate: askedText,
    });

    // 7. The request, on this connection, unless kubectl would have stopped already.
    if (n.verdict !== undefined) {
      n.skip('request', TITLES.request, 'not sent: kubectl stops at the failure above');
      return report();
    }
    const identity = await authenticatedRequest(n, target, config, credential, { socket, alpn, anonymous: false, serverAskedForCert: asked, timeoutMs: limits.responseMs });
    if (identity !== undefined && credential.kind === 'plugin') {
      n.steps.at(-1)!.lines.push(`!!! this is who we are WITHOUT the ${credential.plugin!.kind} credential: kubectl would run it and send what it returns`);
      n.steps.at(-1)!.status = 'warning';
    }
    return report(identity);
  } finally {
    socket.destroy();
  }
}

/** The credential step: failed when the key does not match, a warning when a plugin is not run. */
function credentialStep(n: Narration, credential: CredentialFacts, extra: string[]): void {
  const status = credential.keyPairError !== undefined ? 'failed' : credential.kind === 'plugin' || credential.clientCertWithoutClientAuth || credential.clientCertOutOfValidity ? 'warning' : 'ok';
  const { lines, ...details } = credential;
  n.step('credential', TITLES.credential, status, [...lines, ...extra], details as unknown as Record<string, unknown>);
}

/** Skips the steps after a failure, with the reason. */
function finish(n: Narration, report: () => HandshakeReport, credential: CredentialFacts, failedAt: StepName): HandshakeReport {
  const order: StepName[] = ['connect', 'client-hello', 'server-chain', 'verify', 'credential', 'negotiated', 'request'];
  for (const name of order.slice(order.indexOf(failedAt) + 1)) {
    if (name === 'credential') credentialStep(n, credential, ['(not sent: the connection failed)']);
    else n.skip(name, TITLES[name], 'not reached: the connection failed');
  }
  return report();
}

function chainLines(chain: CertificateSummary[]): string[] {
  if (chain.length === 0) return ['the server sent no certificate'];
  return chain.flatMap((c, i) => [
    `#${i} ${JSON.stringify(c.subject)}, issued by ${JSON.stringify(c.issuer)}${c.selfIssued ? ' (self-issued)' : ''}${c.isCA ? ', a CA' : ''}`,
    `   valid ${c.notBefore} to ${c.notAfter}; serial ${c.serialNumber}`,
    `   SANs: ${c.subjectAltNames.join(', ') || '(none)'}; extended key usage: ${c.extKeyUsage.join(', ') || '(none listed)'}; key ${c.publicKey}`,
    `   SHA-256 ${c.sha256}`,
  ]);
}

function tcpConnect(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolvePromise, reject) => {
    const s = netConnect({ host: address, port });
    s.setTimeout(timeoutMs, () => {
      s.destroy();
      reject(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' }));
    });
    s.once('connect', () => {
      s.setTimeout(0);
      resolvePromise(s);
    });
    // A later error (a reset while we narrate) must not crash the command; the request reports what it meets.
    s.on('error', reject);
  });
}

function tlsHandshake(tcp: Socket, timeoutMs: number, o: { servername: string; cert?: string; key?: string }): Promise<TLSSocket> {
  return new Promise((resolvePromise, reject) => {
    const s = tlsConnect({
      socket: tcp,
      // Judged by verify-server.ts with Go's rules, so that each check can be told.
      rejectUnauthorized: false,
      ...(o.servername !== '' ? { servername: o.servername } : {}),
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['h2', 'http/1.1'],
      ...(o.cert !== undefined && o.key !== undefined ? { cert: o.cert, key: o.key } : {}),
    });
    s.setTimeout(timeoutMs, () => {
      s.destroy();
      reject(Object.assign(new Error('net/http: TLS handshake timeout'), { code: 'TLS_TIMEOUT' }));
    });
    s.once('secureConnect', () => {
      s.setTimeout(0);
      resolvePromise(s);
    });
    s.on('error', reject);
  });
}

/**
 * The first five bytes a server answers a ClientHello with, read on a second connection through a recording stream
 * (OpenSSL only says "wrong version number"; Go looks at the record header).
 */
function firstReplyBytes(address: string, port: number, servername: string, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise) => {
    const tcp = netConnect({ host: address, port });
    let first = Buffer.alloc(0);
    const tap = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        tcp.write(chunk, done);
      },
    });
    tcp.on('data', (d: Buffer) => {
      if (first.length < 5) first = Buffer.concat([first, d]).subarray(0, 5);
      tap.push(d);
    });
    tcp.on('end', () => tap.push(null));
    const finish = (): void => {
      tcp.destroy();
      resolvePromise(first.toString('latin1'));
    };
    tcp.on('error', finish);
    tcp.setTimeout(timeoutMs, finish);
    const s = tlsConnect({ socket: tap, rejectUnauthorized: false, ...(servername !== '' ? { servername } : {}) });
    s.on('error', finish);
    s.on('secureConnect', finish);
  });
}

/** A handshake error in Go's words, where we know them. */
function goTlsError(err: NodeJS.ErrnoException, tcp?: { local: string; remote: string }): string {
  const alert = goRemoteAlert(err.message);
  if (alert !== undefined) return alert;
  if (err.code === 'TLS_TIMEOUT') return 'net/http: TLS handshake timeout';
  if (/wrong version number|packet length too long|unknown protocol/i.test(err.message)) return 'tls: first record does not look like a TLS handshake';
  // Go: a reset reads as "read tcp LOCAL->REMOTE: read: connection reset by peer"; a clean close as EOF.
  // node gives a clean close during the handshake the code ECONNRESET too, but its own message.
  if (/socket disconnected/i.test(err.message)) return 'EOF';
  if (err.code === 'ECONNRESET' && tcp !== undefined) return `read tcp ${tcp.local}->${tcp.remote}: read: connection reset by peer`;
  return `tls: ${err.message}`;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** POST a SelfSubjectReview on the established connection; HTTP/2 when ALPN chose it, as Go's transport would. */
async function authenticatedRequest(n: Narration, target: Target, config: KubeconfigClient['config'], credential: CredentialFacts, conn: { socket: Socket; alpn: string | false; anonymous: boolean; serverAskedForCert?: boolean | undefined; timeoutMs: number }): Promise<Identity | undefined> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT };
  const lines: string[] = [];
  if (!conn.anonymous) {
    if (config.token !== undefined) headers.authorization = `Bearer ${config.token}`;
    else if (credential.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`).toString('base64')}`;
  }
  // client-go's impersonation round tripper adds these whatever the scheme.
  if (config.impersonate !== undefined) {
    headers['impersonate-user'] = config.impersonate.user;
    lines.push(`impersonating ${JSON.stringify(config.impersonate.user)} (Impersonate-* headers): the answer is the impersonated identity`);
  }
  const body = JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: {} } });
  const path = `${target.pathPrefix}${SSR_PATH}`;
  lines.unshift(`POST ${path} (${conn.alpn === 'h2' ? 'HTTP/2' : 'HTTP/1.1'}) with ${headers.authorization !== undefined ? headers.authorization.split(' ')[0] + ' authorization' : 'no Authorization header'}`);
  let answer: Answer;
  try {
    answer = await answerWithin(conn.timeoutMs, conn.alpn === 'h2' ? (signal) => h2Request(conn.socket as TLSSocket, target, path, headers, body, config, signal) : (signal) => h1Request(conn.socket, target, path, headers, body, config, signal));
  } catch (err) {
    const error = quoted((err as Error).message);
    n.step('request', TITLES.request, 'failed', [...lines, `the request failed: ${error}`], { path, error });
    n.fail({ kind: 'request', error, host: target.hostPort });
    return undefined;
  }
  lines.push(`HTTP ${answer.status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    parsed = undefined;
  }
  const obj = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const userInfo = (obj.status as Record<string, unknown> | undefined)?.userInfo;
  if ((answer.status === 200 || answer.status === 201) && (obj.kind !== 'SelfSubjectReview' || typeof userInfo !== 'object' || userInfo === null || typeof (userInfo as Record<string, unknown>).username !== 'string')) {
    // kubectl decodes the answer into a SelfSubjectReview (client-go's Into): what does not decode is an error, not a user.
    const error = parsed === undefined ? `the server's answer is not JSON: ${quoted(answer.text)}` : `the server's answer is not a SelfSubjectReview with a user: ${quoted(answer.text)}`;
    n.step('request', TITLES.request, 'failed', [...lines, error], { path, status: answer.status, error });
    n.fail({ kind: 'answer', error, host: target.hostPort });
    return undefined;
  }
  if (answer.status === 200 || answer.status === 201) {
    const info = userInfo as Record<string, unknown>;
    const identity: Identity = { username: String(info.username), groups: Array.isArray(info.groups) ? info.groups.map(String) : [] };
    if (typeof info.uid === 'string' && info.uid !== '') identity.uid = info.uid;
    if (typeof info.extra === 'object' && info.extra !== null && !Array.isArray(info.extra) && Object.keys(info.extra).length > 0) {
      identity.extra = Object.fromEntries(Object.entries(info.extra as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]));
    }
    // The server's words, quoted: a user name may hold anything, a line break that forges a verdict included.
    lines.push(`user: ${quoted(identity.username)}`);
    if (identity.uid !== undefined) lines.push(`uid: ${quoted(identity.uid)}`);
    lines.push(`groups: ${quoted(identity.groups.join(', ')) || '(none)'}`);
    for (const [k, v] of Object.entries(identity.extra ?? {})) lines.push(`extra ${quoted(k)}: ${quoted(v.join(', '))}`);
    n.step('request', TITLES.request, 'ok', lines, { path, status: answer.status, identity });
    return identity;
  }
  const message = quoted(typeof obj.message === 'string' ? obj.message : answer.text.trim());
  const reason = typeof obj.reason === 'string' ? quoted(obj.reason) : undefined;
  lines.push(`the server said: ${message}`);
  n.step('request', TITLES.request, 'failed', lines, { path, status: answer.status, reason: reason ?? null, message });
  const common = {
    error: message,
    host: target.hostPort,
    credential: credential.kind,
    ...(credential.clientCertWithoutClientAuth ? { clientCertWithoutClientAuth: true } : {}),
    ...(credential.clientCertOutOfValidity ? { clientCertOutOfValidity: true } : {}),
    ...(conn.serverAskedForCert !== undefined ? { serverAskedForCert: conn.serverAskedForCert } : {}),
  };
  if (answer.status === 401 || reason === 'Unauthorized') n.fail({ kind: 'unauthorized', ...common });
  else if (answer.status === 403) n.fail({ kind: 'forbidden', ...common });
  else if (answer.status === 404) n.fail({ kind: 'not-found', ...common });
  else n.fail({ kind: 'status', ...common, ...(reason !== undefined ? { reason } : {}) });
  return undefined;
}

/** The impersonation headers beyond the user (client-go transport/round_trippers.go impersonatingRoundTripper). */
function impersonationHeaders(config: KubeconfigClient['config']): [string, string][] {
  const out: [string, string][] = [];
  const imp = config.impersonate;
  if (imp === undefined) return out;
  if (imp.uid !== undefined) out.push(['Impersonate-Uid', imp.uid]);
  for (const g of imp.groups ?? []) out.push(['Impersonate-Group', g]);
  for (const [k, vs] of Object.entries(imp.extra ?? {})) for (const v of vs) out.push([`Impersonate-Extra-${encodeURIComponent(k)}`, v]);
  return out;
}

function h1Request(socket: Socket, target: Target, path: string, headers: Record<string, string>, body: string, config: KubeconfigClient['config'], signal: AbortSignal): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    // node:http over the socket handed in, TLS or not: the connection is already made and judged.
    const req = httpRequest({ method: 'POST', host: target.host, port: target.port, path, createConnection: () => socket, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), host: target.hostPort } });
    for (const [k, v] of groupHeaders(impersonationHeaders(config))) req.setHeader(k, v);
    signal.addEventListener('abort', () => req.destroy(signal.reason as Error), { once: true });
    req.on('response', (res) => {
      const body = new BoundedBody();
      res.on('data', (c: Buffer) => {
        if (!body.add(c)) req.destroy(body.tooLarge());
      });
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text: body.text() }));
      // The server closed the connection before the whole answer came (node says "aborted", Go "unexpected EOF").
      const cut = (): void => {
        if (!res.complete) reject(new Error('the server closed the connection before the whole answer came (unexpected EOF)'));
      };
      res.on('error', cut);
      res.on('close', cut);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Repeated headers as node's setHeader takes them (an array). */
function groupHeaders(pairs: [string, string][]): [string, string[]][] {
  const m = new Map<string, string[]>();
  for (const [k, v] of pairs) m.set(k, [...(m.get(k) ?? []), v]);
  return [...m];
}

function h2Request(socket: TLSSocket, target: Target, path: string, headers: Record<string, string>, body: string, config: KubeconfigClient['config'], signal: AbortSignal): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const session = http2Connect(`https://${target.hostPort}`, { createConnection: () => socket });
    session.on('error', reject);
    const h: Record<string, string | string[]> = { [h2.HTTP2_HEADER_METHOD]: 'POST', [h2.HTTP2_HEADER_PATH]: path, ...headers };
    for (const [k, v] of groupHeaders(impersonationHeaders(config))) h[k.toLowerCase()] = v;
    const stream = session.request(h);
    const stop = (err: Error): void => {
      reject(err);
      stream.close(h2.NGHTTP2_CANCEL);
      session.destroy();
    };
    signal.addEventListener('abort', () => stop(signal.reason as Error), { once: true });
    let status = 0;
    let resHeaders: IncomingHttpHeaders = {};
    const answer = new BoundedBody();
    let ended = false;
    stream.on('response', (hs) => {
      status = Number(hs[h2.HTTP2_HEADER_STATUS]);
      resHeaders = hs as IncomingHttpHeaders;
    });
    stream.on('data', (c: Buffer) => {
      if (!answer.add(c)) stop(answer.tooLarge());
    });
    stream.on('end', () => {
      ended = true;
      session.close();
      resolvePromise({ status, headers: resHeaders, text: answer.text() });
    });
    stream.on('error', reject);
    // A stream reset or a session gone (GOAWAY, a closed connection) before the end: no 'end' will come.
    stream.on('close', () => {
      if (!ended) reject(new Error(`the server ended the HTTP/2 stream before the whole answer came (code ${stream.rstCode ?? 'none'})`));
    });
    stream.end(body);
  });
}

/** An answer's body, read up to MAX_RESPONSE_BYTES. */
class BoundedBody {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  /** False once the body is over the limit (the caller stops reading). */
  add(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.bytes > MAX_RESPONSE_BYTES) return false;
    this.chunks.push(chunk);
    return true;
  }
  tooLarge(): Error {
    return new Error(`the server's answer is larger than ${MAX_RESPONSE_BYTES} bytes; a SelfSubjectReview is well under a kilobyte, so reading stopped`);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Runs `request` with a signal that aborts it after `ms`: the answer, or why there was none, always comes. */
async function answerWithin(ms: number, request: (signal: AbortSignal) => Promise<Answer>): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the server did not answer within ${ms / 1000} s`)), ms);
  try {
    return await request(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** A server's text as the narration quotes it: control characters escaped, cut to MAX_MESSAGE_CHARS. */
function quoted(text: string): string {
  const cut = text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}... (${text.length - MAX_MESSAGE_CHARS} more characters)` : text;
  return escapeControls(cut);
}
