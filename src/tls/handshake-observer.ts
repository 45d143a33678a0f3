// Watching a TLS server's handshakes go by, for --tls-trace. node hands a TCP socket straight to OpenSSL, so its
// bytes never pass through JavaScript, and OpenSSL's negotiated group is not exposed to a server (node's
// getEphemeralKeyInfo() is {} there). With tracing on, each TCP socket is given to the TLS server inside a Duplex
// of ours instead (node's http docs: "any Duplex stream can be passed" as a connection), so the handshake's
// plaintext can be read as it passes (handshake-records.ts). node runs TLS over such a stream in JavaScript
// (JSStreamSocket), which is slower: this is only done while tracing.
//
// Which TLS socket a Duplex became: the TLS server builds the socket (and OpenSSL's state) synchronously when handed
// the Duplex, so that is done inside an AsyncLocalStorage context naming the Duplex; every callback of that TLS
// socket (its key log lines, its failure, its secureConnection) runs in it. When that context is missing, the
// server's 'keylog' event still names the TLS socket and the connection's client random, read from the ClientHello
// on the way in. The random is the client's choice, so two connections may send the same one (a replayed
// ClientHello): OpenSSL logs keys while it reads the bytes a Duplex hands it ('data', synchronously), so the Duplex
// handing bytes over at that moment is the one, and a shared random never gives one connection another's facts.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { HandshakeObserver, type ObservedHandshake } from './handshake-records.js';

/** The stream whose bytes are being handed to OpenSSL right now, if any (see ObservedConnection.emit). */
let feeding: ObservedConnection | undefined;

/** A TCP socket as the TLS server sees it while tracing: the same bytes, with the handshake read on the way. */
class ObservedConnection extends Duplex {
  readonly observer = new HandshakeObserver();
  /** The TCP socket's addresses, kept: node forgets them once it closes. */
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;

  /**
   * @param onClientRandom called once the ClientHello's random is read, before its bytes go on to OpenSSL: a
   * resumed TLS 1.2 handshake logs its keys while those bytes are being handed over.
   */
  constructor(
    readonly raw: Socket,
    onClientRandom: (random: string) => void,
  ) {
    super({ allowHalfOpen: true });
    this.remoteAddress = raw.remoteAddress;
    this.remotePort = raw.remotePort;
    this.remoteFamily = raw.remoteFamily;
    this.localAddress = raw.localAddress;
    this.localPort = raw.localPort;
    raw.on('data', (chunk: Buffer) => {
      if (!this.observer.done) {
        const before = this.observer.facts.clientRandom;
        this.observer.fromClient(chunk);
        const random = this.observer.facts.clientRandom;
        if (random !== undefined && before === undefined) onClientRandom(random);
      }
      if (!this.push(chunk)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    // A reset reaches the TLS socket as the end of its stream; the error itself is the TCP socket's.
    raw.on('error', () => this.destroy());
    raw.on('close', () => this.destroy());
  }

  /** Marks this stream as the one whose bytes OpenSSL is reading while its 'data' listeners (node's JSStreamSocket) run. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'data') return super.emit(event, ...args);
    const outer = feeding;
    feeding = this;
    try {
      return super.emit(event, ...args);
    } finally {
      feeding = outer;
    }
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (!this.observer.done) this.observer.fromServer(chunk);
    // A failed write is the TCP socket's error, which closes it and so this stream: not passed on as a second one.
    this.raw.write(chunk, () => done());
  }

  override _final(done: (err?: Error | null) => void): void {
    this.raw.end(() => done());
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.raw.destroy();
    done(err);
  }
}

const connections = new WeakMap<TLSSocket, ObservedConnection>();
/** Connections already paired with their TLS socket: one each. */
const paired = new WeakSet<ObservedConnection>();

/**
 * Makes `server` read each connection's handshake (observedHandshake then says what it saw). Returns false, and
 * changes nothing, when the server is not the plain node TLS server this expects (one 'connection' listener).
 */
export function observeHandshakes(server: TlsServer): boolean {
  const listeners = server.listeners('connection');
  if (listeners.length !== 1) return false;
  const startTls = listeners[0] as (this: TlsServer, socket: Duplex) => void;
  // Connections whose ClientHello was read, by client random, until the key log names their TLS socket; several
  // when clients sent the same random. An entry leaves when its connection is named or closes.
  const byRandom = new Map<string, Set<ObservedConnection>>();
  const forget = (random: string, connection: ObservedConnection): void => {
    const pending = byRandom.get(random);
    if (pending?.delete(connection) === true && pending.size === 0) byRandom.delete(random);
  };
  // What runs for a TLS socket knows its connection until the two are paired (a holder, so that whatever the
  // context spreads to, a timer created during a request say, keeps no connection alive).
  const contexts = new AsyncLocalStorage<{ connection?: ObservedConnection }>();
  const pair = (socket: TLSSocket, connection: ObservedConnection): void => {
    if (connections.has(socket) || paired.has(connection)) return;
    paired.add(connection);
    connections.set(socket, connection);
    // A TLS socket over a stream has no peer address of its own; the request log, audit and trace read these.
    for (const name of ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort'] as const) {
      Object.defineProperty(socket, name, { value: connection[name], configurable: true });
    }
  };
  const pairInContext = (socket: TLSSocket): void => {
    const context = contexts.getStore();
    if (context?.connection === undefined) return;
    pair(socket, context.connection);
    delete context.connection;
  };
  server.removeListener('connection', startTls);
  server.prependListener('connection', (raw: Socket) => {
    const connection: ObservedConnection = new ObservedConnection(raw, (random) => {
      const pending = byRandom.get(random) ?? new Set();
      pending.add(connection);
      byRandom.set(random, pending);
      connection.once('close', () => forget(random, connection));
    });
    const context: { connection?: ObservedConnection } = { connection };
    connection.once('close', () => delete context.connection);
    contexts.run(context, () => startTls.call(server, connection));
  });
  // First, before the trace and the listener read the socket's address.
  server.prependListener('secureConnection', pairInContext);
  server.prependListener('tlsClientError', (_err: Error, socket: TLSSocket) => pairInContext(socket));
  server.prependListener('keylog', (line: Buffer, socket: TLSSocket) => {
    pairInContext(socket);
    if (connections.has(socket)) return;
    // "LABEL <client random hex> <secret hex>" (NSS key log format).
    const random = line.toString('latin1').split(' ', 2)[1]?.toLowerCase();
    const pending = random === undefined ? undefined : byRandom.get(random);
    if (pending === undefined) return;
    // The connection OpenSSL is reading; failing that (never seen), the only one that sent this random.
    const connection = feeding !== undefined && pending.has(feeding) ? feeding : pending.size === 1 ? [...pending][0]! : undefined;
    if (connection === undefined) return;
    forget(random!, connection);
    pair(socket, connection);
  });
  return true;
}

/** What was read of this TLS socket's handshake, when its server observes handshakes. */
export function observedHandshake(socket: TLSSocket): ObservedHandshake | undefined {
  return connections.get(socket)?.observer.facts;
}

/** The TCP socket under an observed TLS socket (node's own _parent is not set for a socket over a stream). */
export function observedTcpSocket(socket: TLSSocket): Socket | undefined {
  return connections.get(socket)?.raw;
}
