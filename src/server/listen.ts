// The HTTPS server: its TLS and header limits, Go's HTTP/1 behaviour, the sockets it must end on stop, and
// listening with kube-apiserver's error wording (staging/src/k8s.io/apiserver/pkg/server/options/serving.go).
import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { failedToListenMessage, ListenError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { keepPeerChain } from '../tls/connection-facts.js';
import { observedTcpSocket, observeHandshakes } from '../tls/handshake-observer.js';
import { isLingering, serveHttp1 } from './http1.js';
import { refuseSessionResumption, servingOptions } from './tls.js';
import type { KeyLog } from './tls-keylog.js';
import { traceTlsConnections, type FrontProxyTrust } from './tls-trace.js';
import { bracketHost, joinHostPort } from '../util/host-port.js';

/** Where and with what certificates to listen. */
export interface ListenConfig {
  /** --bind-address. */
  bindAddress: string;
  /** --secure-port; 0 picks a free port. */
  port: number;
  /** The serving pair (PEM). */
  certPem: string;
  keyPem: string;
  /** The CAs whose client certificates the TLS handshake asks for (PEM). */
  clientCaPem: string;
  log: Logger;
  /** --tls-trace: log each connection, verifying client chains against these roots (the x509 authenticator's). */
  tlsTrace?: { clientRoots: () => readonly X509Certificate[]; frontProxy?: FrontProxyTrust };
  /** Read each handshake's key exchange group (handshake-observer.ts) without tracing: for the live view. */
  observeHandshakes?: boolean;
  /** --tls-keylog: the open key log, closed when the listener stops. */
  keyLog?: KeyLog;
}

/** A listening HTTPS server that answers 503 until `serve` gives it its handler. */
export interface Listener {
  /** https://host:port, with a host clients can dial (0.0.0.0 becomes 127.0.0.1, IPv6 in brackets). */
  readonly url: string;
  readonly port: number;
  /** host:port as discovery's serverAddressByClientCIDRs names it. */
  readonly hostPort: string;
  /** Starts answering with this handler. */
  serve(handler: RequestListener): void;
  /** Stops listening, ends connections still in their handshake and idle keep-alive ones, and gives running requests a moment. */
  stop(): Promise<void>;
  /** Stops listening at once, for a start-up that failed half-way (no request was answered yet). */
  close(): void;
}

/** Creates the HTTPS server and resolves once it listens; rejects with a ListenError naming the address. */
export async function listen(config: ListenConfig): Promise<Listener> {
  const { bindAddress, log } = config;
  let handle: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server: Server = createServer(servingOptions(config));
  refuseSessionResumption(server);
  // Before any other 'connection' listener: tracing hands the TLS server each TCP socket inside an observing stream.
  if (config.tlsTrace) traceTlsConnections(server, { log, ...config.tlsTrace });
  else if (config.observeHandshakes === true) observeHandshakes(server);
  config.keyLog?.attach(server);
  keepPeerChain(server, (message) => log.warn(message));
  // Go's net/http limits header bytes only (above), never their number; node silently drops every header
  // past maxHeadersCount (2000 by default), which could drop an Impersonate-User or Authorization header.
  server.maxHeadersCount = 0;
  // The chain is built once the port is known (discovery and the demo kubeconfigs name it);
  // nothing is answered before startServer resolves.
  serveHttp1(server, (req, res) => handle(req, res));
  const sockets = new Set<Socket>();
  // Connections still in their TLS handshake: server.close() waits for them (node's handshakeTimeout is 120 s),
  // and they hold no request, so stop() ends them at once.
  const handshaking = new Set<Socket>();
  server.on('connection', (raw: Socket) => {
    handshaking.add(raw);
    raw.once('close', () => handshaking.delete(raw));
  });
  // Requests being answered, per connection: stop() ends every other connection at once. A client may open
  // connections it never sends on (client-go's parallel dials), and they would hold stop() for its whole grace.
  const inFlight = new Map<Socket, number>();
  const holdUntilClosed = (socket: Socket, closer: Socket | ServerResponse): void => {
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    closer.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      if (left > 0) inFlight.set(socket, left);
      else inFlight.delete(socket);
    });
  };
  const track = (req: IncomingMessage, res: ServerResponse): void => holdUntilClosed(req.socket, res);
  server.on('request', track);
  server.on('checkContinue', track);
  server.on('checkExpectation', track);
  // A CONNECT request takes its connection over (http1.ts answers it on the raw socket): in flight until it closes.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => holdUntilClosed(socket, socket));
  server.on('secureConnection', (socket: TLSSocket) => {
    // node's TLSSocket keeps the TCP socket it wraps as _parent; one over an observing stream (--tls-trace) does not.
    const raw = observedTcpSocket(socket) ?? (socket as Socket & { _parent?: Socket | null })._parent;
    if (raw) handshaking.delete(raw);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client that fails the handshake is its own problem; it must not become an unhandled error.
  server.on('tlsClientError', (err) => log.debug({ err: err.message }, 'TLS handshake failed'));

  try {
    await new Promise<void>((resolve, reject) => {
      // kube-apiserver's words (options/serving.go, CreateListener): one line that names the address.
      const failed = (err: NodeJS.ErrnoException): void =>
        reject(new ListenError(`failed to create listener: ${failedToListenMessage(joinHostPort(bindAddress, config.port), err)}`, err.code, { portFlag: 'secure-port', port: config.port, addressFlag: 'bind-address', address: bindAddress }));
      server.once('error', failed);
      server.listen(config.port, bindAddress, () => {
        server.off('error', failed);
        resolve();
      });
    });
  } catch (err) {
    server.close();
    config.keyLog?.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const host = bindAddress === '0.0.0.0' ? '127.0.0.1' : bracketHost(bindAddress);

  let stopping: Promise<void> | undefined;
  return {
    url: `https://${host}:${port}`,
    port,
    hostPort: `${host}:${port}`,
    serve(handler) {
      handle = handler;
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const raw of handshaking) raw.destroy();
        for (const socket of sockets) if (!inFlight.has(socket) && !isLingering(socket)) socket.destroy();
        server.closeIdleConnections();
        // Responses ended just now (watches) finish asynchronously; their connections turn idle a moment later.
        const idle = setInterval(() => server.closeIdleConnections(), 10);
        idle.unref();
        server.once('close', () => clearInterval(idle));
        // Watches were ended before (the server's closers); requests still running (a slow client) get a moment, then their sockets are ended.
        const grace = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 2000);
        grace.unref();
        server.once('close', () => clearTimeout(grace));
        server.once('close', () => config.keyLog?.close());
      });
      return stopping;
    },
    close() {
      server.close();
      config.keyLog?.close();
    },
  };
}
