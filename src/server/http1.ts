// The HTTP/1 connection behaviour of Go's net/http server (src/net/http/server.go), which kube-apiserver's
// clients meet, where node's defaults differ: when to send 100 Continue, what to do with a request body
// the handler left unread, how to close without resetting a response away, CONNECT and unsupported
// protocol versions.
import { ServerResponse, type IncomingMessage, type RequestListener } from 'node:http';
import type { Server } from 'node:https';
import type { Socket } from 'node:net';

/**
 * Go's maxPostHandlerReadBytes: the most of an unread request body the server reads to keep the
 * connection alive; a longer rest closes it instead.
 */
export const MAX_POST_HANDLER_READ_BYTES = 256 << 10;

/** Go's rstAvoidanceDelay: how long a connection stays half-closed so the client reads the response before any reset. */
export const RST_AVOIDANCE_DELAY_MS = 500;

const lingering = new WeakSet<Socket>();

/**
 * Closes a connection the way Go's closeWriteAndWait does, so a client still sending its body reads the
 * response instead of a reset: the write side is ended (TLS close_notify, then FIN) after everything written
 * so far, and the socket is destroyed once that is all out and either the client has closed its side or the
 * delay has passed. The delay starts when the last byte is out, as Go's starts after its final flush: a large
 * response to a slow reader is never cut short. Unlike Go, what the client sends meanwhile is read and dropped,
 * so the close is a clean one whenever the client finishes.
 */
export function lingeringClose(socket: Socket, delayMs = RST_AVOIDANCE_DELAY_MS): void {
  if (socket.destroyed || lingering.has(socket)) return;
  lingering.add(socket);
  let flushed = false;
  let clientDone = false;
  let timer: NodeJS.Timeout | undefined;
  socket.once('finish', () => {
    flushed = true;
    if (clientDone) return void socket.destroy();
    timer = setTimeout(() => socket.destroy(), delayMs);
    timer.unref();
  });
  socket.once('end', () => {
    clientDone = true;
    if (flushed) socket.destroy();
  });
  socket.once('close', () => clearTimeout(timer));
  socket.end();
  socket.resume();
}

/** True once lingeringClose took the connection over: nothing else may end it. */
export function isLingering(socket: Socket): boolean {
  return lingering.has(socket);
}

/** Serves requests on an HTTPS server with Go's HTTP/1 connection behaviour around the handler. */
export function serveHttp1(server: Server, handle: RequestListener): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => serve(handle, req, res, false));
  // With a listener, node no longer answers 100 Continue before the handler runs: Go sends it on the
  // body's first read (expectContinueReader), so a request refused before its body is read never gets it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => serve(handle, req, res, true));
  // Go answers any other expectation with 417 and closes the connection (sendExpectationFailed); node keeps it open.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    trackBody(req, res, false);
    // Nothing is written, so Go's chunkWriter says Content-Length: 0 (node would send an empty chunked body).
    res.writeHead(417, { Connection: 'close', 'Content-Length': '0' });
    res.end();
  });
  server.on('connect', (req: IncomingMessage, socket: Socket) => serveConnect(handle, req, socket));
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer; bytesParsed?: number }, socket: Socket) => {
    const version = err.code === 'HPE_INVALID_VERSION' ? requestLineVersion(err.rawPacket, err.bytesParsed) : undefined;
    if (version !== undefined && version.major !== 1) return unsupportedVersion(socket);
    defaultClientError(err, socket);
  });
}

function serve(handle: RequestListener, req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void {
  // Go's http1ServerSupportsRequest: node's parser reads HTTP/0.9 and HTTP/2.0 request lines, Go answers 505.
  // In turn: a response pipelined behind others gets the socket (node's 'socket' event) once they are answered.
  if (req.httpVersionMajor !== 1) {
    if (res.socket) return unsupportedVersion(res.socket);
    res.once('socket', (socket: Socket) => unsupportedVersion(socket));
    return;
  }
  trackBody(req, res, expectsContinue);
  handle(req, res);
}

/** Go's answer to a request line whose protocol it does not serve, byte for byte (server.go, statusError). */
function unsupportedVersion(socket: Socket): void {
  const text = '505 HTTP Version Not Supported: unsupported protocol version';
  if (socket.writable) socket.write(`HTTP/1.1 ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${text}`);
  lingeringClose(socket);
}

/** The version of the request line node's parser refused, when it has Go's HTTP/d.d shape. */
function requestLineVersion(raw: Buffer | undefined, parsed: number | undefined): { major: number; minor: number } | undefined {
  if (raw === undefined) return undefined;
  const upTo = Math.min(parsed ?? raw.length, raw.length);
  const start = raw.lastIndexOf('\n', upTo - 1) + 1;
  let end = raw.indexOf('\n', start);
  if (end < 0) end = raw.length;
  const line = raw.subarray(start, end).toString('latin1').replace(/\r$/, '');
  const m = /^([^ ]+) [^ ]+ HTTP\/(\d)\.(\d)$/.exec(line);
  // Go hands "PRI * HTTP/2.0" (the HTTP/2 preface) to the handler; node cannot, and keeps its 400.
  if (m === null || m[1] === 'PRI') return undefined;
  return { major: Number(m[2]), minor: Number(m[3]) };
}

// node's own clientError answer (lib/_http_server.js socketOnError), which a clientError listener replaces.
const NODE_CLIENT_ERROR_RESPONSES: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

function defaultClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // A connection closing the lingering way ends by itself once its response is out; a parse error on what the
  // client sends meanwhile (a body cut short by its FIN) must not reset the response away.
  if (isLingering(socket)) return;
  const inFlight = busyWith(socket);
  if (inFlight !== undefined) {
    const own = (inFlight as ServerResponse & { req?: IncomingMessage }).req;
    if (own !== undefined && !own.complete) {
      // The error is in the body of the request being answered: an answer already under way is finished, then
      // the connection closes; before that, node's 400 (Go's handler would see the body's read error instead).
      if (inFlight.headersSent) {
        inFlight.once('close', () => lingeringClose(socket));
        return;
      }
    } else {
      // The error is in a request pipelined behind complete ones: Go reads it only once they are answered, so
      // they are, then it gets its 400. After a request that closed the connection (node's HPE_CLOSED_CONNECTION)
      // that answer never comes: Go reads nothing more.
      inTurn(socket, () => answerClientError(err, socket));
      return;
    }
  }
  answerClientError(err, socket);
}

function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // Already closing after an answer that said Connection: close: a destroy now could reset that answer away.
  if (!socket.writable) return;
  if (!(busyWith(socket)?.headersSent ?? false)) {
    // Headers too large: Go's own answer (server.go, errTooLarge), the status again as a plain-text body, as the
    // parity snapshot serviceaccounts/oversized-tokens recorded. The rest keep node's answer: Go would have parsed
    // those requests (any method token, any HTTP/1.x) or answered them with texts of its own.
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      const status = '431 Request Header Fields Too Large';
      socket.write(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status}`);
    } else {
      socket.write(`HTTP/1.1 ${NODE_CLIENT_ERROR_RESPONSES[err.code ?? ''] ?? '400 Bad Request'}\r\nConnection: close\r\n\r\n`);
    }
  }
  // Go's closeWriteAndWait after its own 431 and 400 answers (server.go): a destroy while the client is still sending
  // (the rest of a 1 MiB header) resets the connection, and the client can lose the answer with it.
  lingeringClose(socket);
}

/** The response node is writing on this connection, if any (more may be queued behind it). */
function busyWith(socket: Socket): ServerResponse | undefined {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}

/**
 * Runs fn once every response already on the connection is answered, as Go serves a connection's requests one at a
 * time (node parses pipelined requests ahead and queues their responses); never if the connection ends first.
 */
function inTurn(socket: Socket, fn: () => void): void {
  const current = busyWith(socket);
  if (current === undefined) {
    if (!socket.destroyed) fn();
    return;
  }
  // A response's 'close' comes after node's own 'finish' handler has handed the socket to the next one queued.
  const next = (): void => {
    socket.off('close', abandon);
    inTurn(socket, fn);
  };
  const abandon = (): void => {
    current.off('close', next);
  };
  current.once('close', next);
  socket.once('close', abandon);
}

/**
 * CONNECT is an ordinary request to Go's server, so kube's handler chain answers it (403 for most users,
 * then the router's 404 or 405). node hands CONNECT over as a bare socket and closes it when nobody
 * listens; here it gets a response object and the chain, and the connection ends after the answer.
 * Requests pipelined before it may still be answering (node hands the CONNECT over as soon as it is parsed, and
 * assigning the busy socket would throw, uncaught): it is answered after them, in order.
 */
function serveConnect(handle: RequestListener, req: IncomingMessage, socket: Socket): void {
  inTurn(socket, () => answerConnect(handle, req, socket));
}

function answerConnect(handle: RequestListener, req: IncomingMessage, socket: Socket): void {
  // An earlier response that closed the connection (Connection: close) ends it before the CONNECT is read, as in Go.
  if (socket.destroyed || !socket.writable) return;
  if (req.httpVersionMajor !== 1) return unsupportedVersion(socket);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once('finish', () => {
    res.detachSocket(socket);
    lingeringClose(socket);
  });
  socket.once('close', () => res.destroy());
  handle(req, res);
}

/**
 * What Go's server does with a body the handler did not read to the end (server.go, chunkWriter.writeHeader
 * and body.Close), decided as the response header goes out:
 * - a body sent after Expect: 100-continue and not read to its end closes the connection;
 * - 256 KiB or more still to come (by Content-Length) closes it: the response says Connection: close and
 *   the connection is closed with lingeringClose, never reset while the client is still sending;
 * - otherwise the rest is read and dropped, up to 256 KiB, to keep the connection alive. Go reads it before
 *   the header and says Connection: close when it is longer; node's response cannot wait there, so a longer
 *   chunked rest ends the connection after a response that said keep-alive.
 */
function trackBody(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void {
  const declared = contentLength(req);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  // Go wraps the body for 100 Continue only when there is one (req.ContentLength != 0).
  if (!chunked && (declared === undefined || declared === 0)) return;
  const socket = req.socket;

  let received = 0;
  const push = req.push;
  req.push = function countedPush(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null && chunk !== undefined) received += (chunk as Buffer).length;
    return push.call(this, chunk, encoding);
  };

  if (expectsContinue) {
    const read = req.read;
    req.read = function readAfterContinue(this: IncomingMessage, size?: number): unknown {
      if (!res.headersSent && !res.writableEnded && !(res as ServerResponse & { _sent100?: boolean })._sent100) res.writeContinue();
      return read.call(this, size);
    };
  }

  // Go reads the rest before the header, up to 256 KiB; here it starts as the header goes out (node cannot
  // hold the header back) and the connection is closed once more than that arrives.
  let draining = false;
  const drain = (): void => {
    if (draining) return;
    draining = true;
    let drained = 0;
    const drop = (chunk: Buffer): void => {
      drained += chunk.length;
      if (drained <= MAX_POST_HANDLER_READ_BYTES) return;
      // Too long to drain: read no more of it (backpressure holds the client), and close once the response
      // is out. Closing now would cut off a response still being written (a large list, a watch).
      req.off('data', drop);
      req.pause();
      if (res.writableFinished) lingeringClose(socket);
      else res.once('finish', () => lingeringClose(socket));
    };
    req.on('data', drop);
    req.once('end', () => req.off('data', drop));
    req.resume();
  };

  const writeHead = res.writeHead;
  res.writeHead = function writeHeadAfterBodyCheck(this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>): ServerResponse {
    if (!req.complete && !res.headersSent) {
      const tooBig = declared !== undefined && declared - received >= MAX_POST_HANDLER_READ_BYTES;
      if (expectsContinue || tooBig) res.setHeader('Connection', 'close');
      else drain();
    }
    return writeHead.apply(this, args) as ServerResponse;
  } as ServerResponse['writeHead'];

  // node ends a Connection: close response with destroySoon, which resets a connection the client is still
  // writing its body to; while the body is unfinished, the connection lingers instead.
  const destroySoon = socket.destroySoon;
  socket.destroySoon = function lingerInstead(this: Socket): void {
    if (req.complete) destroySoon.call(this);
    else lingeringClose(this);
  };
  res.once('close', () => {
    socket.destroySoon = destroySoon;
  });
}

/** The declared body length, as Go reads Content-Length (a bad one never reaches a handler in either server). */
function contentLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
