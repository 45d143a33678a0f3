// A kubeconfig cluster's proxy-url, as client-go hands it to net/http (k8s.io/client-go v0.34.4 tools/clientcmd
// client_config.go: clientConfig.Proxy = http.ProxyURL(u), for every request whatever its host). Go's net/http
// (transport.go dialConn, connectMethod): an http or https proxy gets a CONNECT for an https target and the request
// itself, in absolute form, for an http target; its URL's user info becomes Proxy-Authorization (Basic). A socks5 proxy
// is asked to connect to the target (golang.org/x/net/internal/socks, RFC 1928, user/password per RFC 1929).
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { joinHostPort } from '../../util/host-port.js';

/** Where the connection to the proxy failed, and what the proxy said: a Go-worded error tail for url.Error. */
export class ProxyError extends Error {
  /** The Node error of the dial to the proxy, for the caller's Go wording; absent when the proxy answered. */
  readonly dialError: NodeJS.ErrnoException | undefined;
  constructor(message: string, dialError?: NodeJS.ErrnoException) {
    super(message);
    this.name = 'ProxyError';
    this.dialError = dialError;
  }
}

export const proxyHostPort = (proxy: URL): string => `${proxy.hostname.replace(/^\[|\]$/g, '')}:${proxy.port || (proxy.protocol === 'https:' ? '443' : proxy.protocol === 'socks5:' ? '1080' : '80')}`;

/**
 * A URL's user name or password as Go's url.Userinfo holds it: the bytes its %-escapes stand for. Go's url.Parse
 * refuses a bad escape (clientcmd refuses such a proxy-url at start, kubeconfig/read.ts); one that gets here anyway is
 * kept as written rather than thrown on.
 */
export function userinfoBytes(escaped: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(escaped.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(escaped[i]!, 'utf8'));
  }
  return Buffer.from(out);
}

/** The Proxy-Authorization header net/http sends for a proxy URL with user info. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  return `Basic ${Buffer.concat([userinfoBytes(proxy.username), Buffer.from(':'), userinfoBytes(proxy.password)]).toString('base64')}`;
}

/** Told the connection to the proxy as soon as it is dialled, so that the caller can close it on its own timeout. */
export type ProxySocketSink = (socket: Socket) => void;

/** A connection to the proxy itself: TCP, or TLS for an https proxy (net/http verifies it with the client's TLS config). */
export function dialProxy(proxy: URL, tls: ConnectionOptions, onSocket?: ProxySocketSink): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const host = proxy.hostname.replace(/^\[|\]$/g, '');
    const port = Number(proxyHostPort(proxy).split(':').pop());
    const socket: Socket =
      proxy.protocol === 'https:'
        ? // net/http's addTLS: the client's TLS config, its ServerName or else the proxy's host name.
          tlsConnect({ ...tls, host, port, ...(tls.servername === undefined && isIP(host) === 0 ? { servername: host } : {}) }, () => resolve(socket))
        : netConnect({ host, port }, () => resolve(socket));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      reject(new ProxyError(err.message, err));
    });
    // Closed by the caller (its timeout) before it connected: settle, so nothing waits on it.
    socket.once('close', () => reject(new ProxyError('use of closed network connection')));
    onSocket?.(socket);
  });
}

/**
 * How much of the proxy's answer to a CONNECT net/http reads (Go 1.26 net/http transport.go dialConn: an
 * io.LimitedReader of Transport.maxHeaderResponseSize, 10 MiB by default): a head not ended by then is "unexpected EOF".
 */
export const MAX_CONNECT_RESPONSE_HEAD_BYTES = 10 << 20;

/** An http(s) proxy's tunnel to host:port (CONNECT); a status other than 200 is Go's error: the status text. */
export async function connectTunnel(proxy: URL, target: string, tls: ConnectionOptions, onSocket?: ProxySocketSink): Promise<Socket> {
  const socket = await dialProxy(proxy, tls, onSocket);
  const auth = proxyAuthorization(proxy);
  socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
  return new Promise((resolve, reject) => {
    // The head so far, and its last 3 bytes to find a "\r\n\r\n" split across reads without copying it all again.
    const chunks: Buffer[] = [];
    let read = 0;
    let tail = Buffer.alloc(0);
    const stop = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
    const failWith = (error: ProxyError): void => {
      stop();
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      const window = Buffer.concat([tail, chunk]);
      const at = window.indexOf('\r\n\r\n');
      const windowStart = read - tail.length;
      chunks.push(chunk);
      read += chunk.length;
      if (at < 0 || windowStart + at + 4 > MAX_CONNECT_RESPONSE_HEAD_BYTES) {
        // textproto's reader meets the LimitedReader's end: io.EOF, which ReadResponse turns into ErrUnexpectedEOF.
        if (read >= MAX_CONNECT_RESPONSE_HEAD_BYTES) failWith(new ProxyError('unexpected EOF'));
        else tail = window.subarray(Math.max(0, window.length - 3));
        return;
      }
      const head = Buffer.concat(chunks);
      const end = windowStart + at;
      stop();
      socket.pause();
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const [, code, text] = /^HTTP\/\d\.\d (\d{3})(?: (.*))?$/.exec(statusLine) ?? [];
      if (code !== '200') {
        socket.destroy();
        // net/http: strings.Cut(resp.Status, " ") and its second half, or "unknown status code".
        reject(new ProxyError(code === undefined ? 'malformed HTTP response' : text !== undefined && text !== '' ? text : 'unknown status code'));
        return;
      }
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onError = (err: NodeJS.ErrnoException): void => failWith(new ProxyError(err.message, err));
    // The proxy hung up before its answer ended: ReadResponse's io.ErrUnexpectedEOF.
    const onEnd = (): void => failWith(new ProxyError('unexpected EOF'));
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
  });
}

/** SOCKS5 reply codes, as golang.org/x/net/internal/socks words them. */
const SOCKS_REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/**
 * A socks5 proxy's connection to host:port; errors in x/net/internal/socks's words after "socks connect tcp P->T: "
 * (Go's net/http socks_bundle.go: socksDialer.connect, socksUsernamePassword.Authenticate).
 */
export async function socksTunnel(proxy: URL, host: string, port: number, onSocket?: ProxySocketSink): Promise<Socket> {
  const socket = await dialProxy(proxy, {}, onSocket);
  const user = userinfoBytes(proxy.username);
  const password = userinfoBytes(proxy.password);
  // net/http offers user/password (beside no auth) when the proxy URL has user info, and only then checks the method.
  const withAuth = user.length > 0 || password.length > 0;
  const reader = bufferedReader(socket);
  const fail = (message: string): never => {
    socket.destroy();
    throw new ProxyError(`socks connect tcp ${proxyHostPort(proxy)}->${joinHostPort(host, port)}: ${message}`);
  };
  try {
    socket.write(Buffer.from(withAuth ? [5, 2, 0, 2] : [5, 1, 0]));
    const [version, method] = await reader(2);
    if (version !== 5) fail(`unexpected protocol version ${version}`);
    if (method === 0xff) fail('no acceptable authentication methods');
    if (withAuth && method === 2) {
      // RFC 1929 gives each a length byte: Go refuses what does not fit (and an empty user) rather than cut it.
      if (user.length === 0 || user.length > 255 || password.length > 255) fail('invalid username/password');
      socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([password.length]), password]));
      const [authVersion, status] = await reader(2);
      if (authVersion !== 1) fail('invalid username/password version');
      if (status !== 0) fail('username/password authentication failed');
    } else if (withAuth && method !== 0) fail(`unsupported authentication method ${method}`);
    const ipKind = isIP(host);
    if (ipKind === 0 && Buffer.byteLength(host) > 255) fail('FQDN too long');
    const address = ipKind === 4 ? Buffer.from([1, ...host.split('.').map(Number)]) : ipKind === 6 ? Buffer.concat([Buffer.from([4]), ipv6Bytes(host)]) : Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
    socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, Buffer.from([port >> 8, port & 0xff])]));
    const [replyVersion, reply, reserved, atyp] = await reader(4);
    if (replyVersion !== 5) fail(`unexpected protocol version ${replyVersion}`);
    if (reply !== 0) fail(`unknown error ${SOCKS_REPLIES[reply!] ?? `unknown code: ${reply}`}`);
    if (reserved !== 0) fail('non-zero reserved field');
    const addressLength = atyp === 1 ? 4 : atyp === 4 ? 16 : (await reader(1))[0]!;
    await reader(addressLength + 2);
  } catch (err) {
    if (err instanceof ProxyError) throw err;
    return fail((err as Error).message);
  }
  // The reader paused the socket between its reads; the HTTP client or TLS takes it from here (nothing is sent
  // before the request, so nothing is lost).
  socket.resume();
  return socket;
}

function ipv6Bytes(host: string): Buffer {
  const [head = '', tail = ''] = host.split('::');
  const parts = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => Number.parseInt(h, 16)));
  const left = parts(head);
  const right = parts(tail);
  const groups = host.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill(0), ...right] : left;
  return Buffer.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

/** Reads exactly n bytes at a time from a socket, keeping what comes after for the next read or the TLS handshake. */
function bufferedReader(socket: Socket): (n: number) => Promise<Buffer> {
  let buffered = Buffer.alloc(0);
  return (n) =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (buffered.length < n) return false;
        const out = buffered.subarray(0, n);
        buffered = buffered.subarray(n);
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('end', onEnd);
        socket.off('close', onEnd);
        if (buffered.length > 0) socket.unshift(buffered);
        buffered = Buffer.alloc(0);
        socket.pause();
        resolve(out);
        return true;
      };
      const onData = (chunk: Buffer): void => {
        buffered = Buffer.concat([buffered, chunk]);
        check();
      };
      const onError = (err: Error): void => reject(err);
      const onEnd = (): void => reject(new Error('EOF'));
      socket.on('data', onData);
      socket.once('error', onError);
      socket.once('end', onEnd);
      // Closed under us (the caller's timeout): settle rather than wait for bytes that cannot come.
      socket.once('close', onEnd);
      socket.resume();
    });
}
