// The live view's own listener: plain HTTP on a loopback address only.
//
// Why not HTTPS behind the API's authentication: a browser has no client certificate of ours and no way to send a
// bearer token with a page load, so the API's authenticators would see it as anonymous; and a page that shows who
// did what is for the person at this machine, teaching or debugging. Loopback is the boundary: nothing off the host
// can connect, nothing secret is ever on the page (tokens are a kind and a hash prefix, passwords are never sent;
// certificates are public), and a Host header other than the loopback address itself is refused, so a web page
// elsewhere cannot read it through DNS rebinding. Any other bind address is refused at start.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { ConfigError, failedToListenMessage, ListenError } from '../util/errors.js';
import { describeCertificatePem } from '../inspect/index.js';

/** Explains one PEM certificate as text when it is clicked; never throws. */
export type DescribeCertificate = (pem: string) => string;
import { PAGE_HTML, PAGE_SCRIPT } from './page.js';
import type { LiveRecorder } from './recorder.js';
import type { LiveRequest } from './event.js';
import { bracketHost, joinHostPort } from '../util/host-port.js';

/** Where the live view listens and what it explains certificates with. */
export interface LiveViewOptions {
  recorder: LiveRecorder;
  /** A loopback address (127.0.0.0/8 or ::1). Default 127.0.0.1; anything else is refused. */
  host?: string;
  /** --ui-port; 0 (the default) picks a free one. */
  port?: number;
  /** The inspector's explanation of a certificate. Default: the certificate summary in words. */
  describeCertificate?: DescribeCertificate;
}

/** A running live view. */
export interface LiveViewServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Whether an address is the loopback interface's: 127.0.0.0/8 or ::1. Names (even "localhost") are not addresses. */
export function isLoopbackAddress(host: string): boolean {
  const kind = isIP(host);
  if (kind === 4) return host.split('.')[0] === '127';
  if (kind === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/** Refuses a live view bind address that is not loopback, naming the flag. */
export function checkLiveViewHost(host: string): void {
  if (!isLoopbackAddress(host)) {
    throw new ConfigError({ file: '--ui', reason: `the live view listens on loopback only (plain HTTP, no client certificates), not on ${JSON.stringify(host)}: use 127.0.0.1 or ::1`, code: 'FLAG_INVALID' });
  }
}

/**
 * The Host headers a request to our own address may carry: the address or localhost, with the port; without it too
 * on port 80, where a browser leaves the default port out (RFC 9110 7.2). Compared lower-cased, nothing else.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const h = bracketHost(host);
  const names = [h.toLowerCase(), 'localhost'];
  return new Set([...names.map((n) => `${n}:${port}`), ...(port === 80 ? names : [])]);
}

/** What a page's event stream may have waiting for it before it is closed (the whole history fits: event.ts MAX_EVENT_BYTES). */
const MAX_BUFFERED_EVENTS_BYTES = 8 * 1024 * 1024;

/**
 * How many event streams may be open at once. Each is told every request on the API's own event loop, and each may
 * hold MAX_BUFFERED_EVENTS_BYTES: a loop opening streams (any local process can) must not make either grow without
 * bound. A teacher's few tabs are far below it; one more is a 503, which EventSource does not retry.
 */
export const MAX_EVENT_STREAMS = 32;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const text = (res: ServerResponse, status: number, body: string): void => send(res, status, 'text/plain; charset=utf-8', body);

/** A request id from the query: a positive integer, or undefined. */
function requestId(params: URLSearchParams): number | undefined {
  const raw = params.get('request') ?? '';
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : undefined;
}

/** Starts the live view's listener; rejects with a ConfigError for a non-loopback host, a ListenError when it cannot listen. */
export async function startLiveView(opts: LiveViewOptions): Promise<LiveViewServer> {
  const host = opts.host ?? '127.0.0.1';
  checkLiveViewHost(host);
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError({ file: '--ui-port', reason: `${port} is not a port (0 to 65535)`, code: 'FLAG_INVALID' });
  const describe = opts.describeCertificate ?? ((pem: string) => describeCertificatePem(pem));
  const { recorder } = opts;
  const streams = new Set<ServerResponse>();
  let hosts = new Set<string>();

  // Each request is serialized once, however many pages listen (a recorded request is never changed after).
  // As bytes: a socket counts a string's characters in its writableLength, a Buffer's bytes, and the bound below is
  // meant in bytes (a row of CJK text is three times its length).
  const frames = new WeakMap<LiveRequest, Buffer>();
  const frame = (r: LiveRequest): Buffer => {
    let f = frames.get(r);
    if (f === undefined) {
      // JSON.stringify escapes every newline, so no value can end the frame or start another ("\n\ndata: ...").
      f = Buffer.from(`event: request\ndata: ${JSON.stringify(r)}\n\n`, 'utf8');
      frames.set(r, f);
    }
    return f;
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    if (streams.size >= MAX_EVENT_STREAMS) return text(res, 503, `the live view already has ${MAX_EVENT_STREAMS} pages open: close one\n`);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    const push = (r: LiveRequest): void => {
      if (res.destroyed) return;
      // A page that stops reading (a hidden tab under heavy traffic) is cut off rather than buffered without bound;
      // its EventSource reconnects and starts again from the history.
      if (res.writableLength > MAX_BUFFERED_EVENTS_BYTES) return void res.destroy();
      res.write(frame(r));
    };
    // History first, then each request as it is answered; "ready" tells the page (and tests) the history is in.
    for (const r of recorder.history()) push(r);
    res.write('event: ready\ndata: {}\n\n');
    const unsubscribe = recorder.subscribe(push);
    streams.add(res);
    req.socket.setTimeout(0);
    res.once('close', () => {
      unsubscribe();
      streams.delete(res);
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return text(res, 403, `the live view answers requests to ${[...hosts].join(' or ')} only\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return text(res, 405, 'the live view is read-only: GET only\n');
    }
    // Joined, not resolved against a base: a request target such as "//x" stays a path, never another host.
    const url = new URL(`http://live-view${(req.url ?? '/').startsWith('/') ? req.url : '/'}`);
    switch (url.pathname) {
      case '/':
      case '/index.html':
        return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
      case '/app.js':
        return send(res, 200, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
      case '/events':
        if (req.method === 'HEAD') return send(res, 200, 'text/event-stream; charset=utf-8', '');
        return events(req, res);
      case '/requests':
        return send(res, 200, 'application/json', `${JSON.stringify(recorder.history())}\n`);
      case '/certificate': {
        const id = requestId(url.searchParams);
        const entry = id === undefined ? undefined : recorder.find(id);
        if (entry === undefined) return text(res, 404, 'no such request in the live view\'s history (it keeps the latest ones)\n');
        const index = url.searchParams.get('index') ?? '0';
        const pem = index === 'server' ? entry.serverCertificatePem : /^\d{1,2}$/.test(index) ? entry.clientChainPem[Number(index)] : undefined;
        if (pem === undefined) return text(res, 404, `request ${id} has no certificate ${JSON.stringify(index)}\n`);
        let body: string;
        try {
          body = describe(pem);
        } catch (err) {
          body = `The certificate could not be explained: ${(err as Error).message}\n`;
        }
        return text(res, 200, `${body}\n${pem}`);
      }
      case '/explain': {
        const id = requestId(url.searchParams);
        const entry = id === undefined ? undefined : recorder.find(id);
        if (entry === undefined) return text(res, 404, 'no such request in the live view\'s history (it keeps the latest ones)\n');
        if (entry.explanation === undefined) return text(res, 404, `request ${id} has no RBAC explanation (it was not authorized by RBAC, or never reached authorization)\n`);
        void entry.explanation.then((body) => text(res, 200, body));
        return;
      }
      default:
        return text(res, 404, 'not found\n');
    }
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      // A request the page would never send (an odd target): a plain 400, never a crash.
      if (!res.headersSent) text(res, 400, `bad request: ${(err as Error).message}\n`);
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException): void =>
      reject(new ListenError(`live view: ${failedToListenMessage(joinHostPort(host, port), err)}`, err.code, { portFlag: 'ui-port', port, address: host }));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, bound);
  const shown = bracketHost(host);
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${shown}:${bound}/`,
    port: bound,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const res of streams) res.end();
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
