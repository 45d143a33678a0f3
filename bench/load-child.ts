// The load generator process: autocannon (keep-alive requests) and a TLS new-connection loop.
// It runs alone in its own process so that it never shares an event loop with a server.
import { connect } from 'node:tls';
import autocannon from 'autocannon';
import { serve } from './ipc.js';

export interface LoadParams {
  url: string;
  path: string;
  headers: Record<string, string>;
  tls: { ca: string; cert?: string; key?: string };
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  seconds: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyP50: number;
  latencyP99: number;
}

function once(p: LoadParams, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${p.url}${p.path}`,
    method: 'GET',
    headers: p.headers,
    connections: p.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    // Passed to tls.connect by autocannon's client (lib/httpClient.js); it forces rejectUnauthorized: false.
    tlsOptions: { ca: p.tls.ca, cert: p.tls.cert, key: p.tls.key },
  });
}

export interface HandshakeParams {
  host: string;
  port: number;
  path: string;
  ca: string;
  cert: string;
  key: string;
  /** Connections in flight at once. */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Stops early after this many measured connections. */
  maxConnections: number;
}

export interface HandshakeResult {
  connectionsPerSecond: number;
  completed: number;
  failed: number;
  nonOk: number;
  reused: number;
  seconds: number;
  firstError?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** One full TLS handshake (no session given, so none can be resumed), one GET, then close; resolves to the status code. */
function oneConnection(p: HandshakeParams, request: Buffer): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let reused = false;
    const socket = connect({ host: p.host, port: p.port, ca: p.ca, cert: p.cert, key: p.key, rejectUnauthorized: true }, () => {
      reused = socket.isSessionReused();
      socket.write(request);
    });
    const timer = setTimeout(() => socket.destroy(new Error('connection timed out')), REQUEST_TIMEOUT_MS);
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) return reject(err);
      const head = Buffer.concat(chunks).toString('latin1', 0, 32);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : 0, reused });
    };
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish(null));
    socket.on('close', () => finish(null));
    socket.on('error', (err) => finish(err));
  });
}

async function handshakes(p: HandshakeParams): Promise<HandshakeResult> {
  const request = Buffer.from(`GET ${p.path} HTTP/1.1\r\nHost: ${p.host}:${p.port}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`, 'latin1');
  let completed = 0;
  let failed = 0;
  let nonOk = 0;
  let reused = 0;
  let firstError: string | undefined;
  let measuring = false;

  const warmupEnd = performance.now() + p.warmupMs;
  let start = 0;
  let end = Infinity;
  const loop = async (): Promise<void> => {
    for (;;) {
      const now = performance.now();
      if (!measuring && now >= warmupEnd) {
        // The first lane to cross the line starts the clock for all of them.
        measuring = true;
        start = now;
        end = now + p.durationMs;
      }
      if (measuring && (now >= end || completed + failed >= p.maxConnections)) return;
      const counted = measuring;
      try {
        const r = await oneConnection(p, request);
        if (!counted) continue;
        completed++;
        if (r.status !== 200) nonOk++;
        if (r.reused) reused++;
      } catch (err) {
        firstError ??= (err as Error).message;
        if (counted) failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: p.concurrency }, loop));
  const seconds = (performance.now() - start) / 1000;
  return { connectionsPerSecond: completed / seconds, completed, failed, nonOk, reused, seconds, firstError };
}

serve({
  async load(p: LoadParams): Promise<LoadResult> {
    const r = await once(p, p.seconds);
    return {
      requestsPerSecond: r.requests.total / r.duration,
      total: r.requests.total,
      seconds: r.duration,
      ok2xx: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      latencyP50: r.latency.p50,
      latencyP99: r.latency.p99,
    };
  },
  handshakes,
});
