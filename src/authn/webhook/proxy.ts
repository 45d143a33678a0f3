// A kubeconfig cluster's proxy-url, as client-go hands it to net/http (k8s.io/client-go v0.34.4 tools/clientcmd
// client_config.go: clientConfig.Proxy = http.ProxyURL(u), for every request whatever its host). Go's net/http
// (transport.go dialConn, connectMethod): an http or https proxy gets a CONNECT for an https target and the request
// itself, in absolute form, for an http target; its URL's user info becomes Proxy-Authorization (Basic). A socks5 proxy
// is asked to connect to the target (golang.org/x/net/internal/socks, RFC 1928, user/password per RFC 1929).
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

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

/** The Proxy-Authorization header net/http sends for a proxy URL with user info. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
}

/** A connection to the proxy itself: TCP, or TLS for an https proxy (net/http verifies it with the client's TLS config). */
export function dialProxy(proxy: URL, tls: ConnectionOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const host = proxy.hostname.replace(/^\[|\]$/g, '');
    const port = Number(proxyHostPort(proxy).split(':').pop());
    const socket: Socket =
      proxy.protocol === 'https:'
        ? // net/http's addTLS: the client's TLS config, its ServerName or else the proxy's host name.
          tlsConnect({ ...tls, host, port, ...(tls.servername === undefined && isIP(host) === 0 ? { servername: host } : {}) }, () => resolve(socket))
        : netConnect({ host, port }, () => resolve(socket));
    socket.once('error', (err: NodeJS.ErrnoException) => reject(new ProxyError(err.message, err)));
  });
}

/** An http(s) proxy's tunnel to host:port (CONNECT); a status other than 200 is Go's error: the status text. */
export async function connectTunnel(proxy: URL, target: string, tls: ConnectionOptions): Promise<Socket> {
  const socket = await dialProxy(proxy, tls);
  const auth = proxyAuthorization(proxy);
  socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('error', onError);
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
    const onError = (err: NodeJS.ErrnoException): void => reject(new ProxyError(err.message, err));
    socket.on('data', onData);
    socket.once('error', onError);
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

/** A socks5 proxy's connection to host:port; errors in x/net/internal/socks's words after "socks connect tcp P->T: ". */
export async function socksTunnel(proxy: URL, host: string, port: number): Promise<Socket> {
  const socket = await dialProxy(proxy, {});
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  const withAuth = user !== '' || password !== '';
  const reader = bufferedReader(socket);
  const fail = (message: string): never => {
    socket.destroy();
    throw new ProxyError(`socks connect tcp ${proxyHostPort(proxy)}->${host.includes(':') ? `[${host}]` : host}:${port}: ${message}`);
  };
  try {
    socket.write(Buffer.from(withAuth ? [5, 2, 0, 2] : [5, 1, 0]));
    const [version, method] = await reader(2);
    if (version !== 5) fail(`unexpected protocol version ${version}`);
    if (method === 0xff) fail('no acceptable authentication methods');
    if (method === 2) {
      socket.write(Buffer.concat([Buffer.from([1, Buffer.byteLength(user)]), Buffer.from(user), Buffer.from([Buffer.byteLength(password)]), Buffer.from(password)]));
      const [, status] = await reader(2);
      if (status !== 0) fail('username/password authentication failed');
    }
    const ipKind = isIP(host);
    const address = ipKind === 4 ? Buffer.from([1, ...host.split('.').map(Number)]) : ipKind === 6 ? Buffer.concat([Buffer.from([4]), ipv6Bytes(host)]) : Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
    socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, Buffer.from([port >> 8, port & 0xff])]));
    const [, reply, , atyp] = await reader(4);
    if (reply !== 0) fail(`unknown error ${SOCKS_REPLIES[reply!] ?? `unknown code: ${reply}`}`);
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
      socket.resume();
    });
}
