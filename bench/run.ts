// `npm run bench`: kube-auth-mock's throughput, TLS handshake rate, start-up time and memory, each
// next to its baseline and goal. Every figure is measured in child processes (see bench/README.md);
// this process only orchestrates and prints. A MISS is reported, never an error: the exit code is
// non-zero only when the benchmark itself could not run or its measurements are invalid.
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { Child, guardChildren } from './ipc.js';
import type { HandshakeParams, HandshakeResult, LoadParams, LoadResult } from './load-child.js';
import type { MemoryResult } from './memory-child.js';
import type { CpuSample, OursInfo } from './server-child.js';
import type { StartupResult } from './startup-child.js';

// --- settings (all bounded; BENCH_QUICK=1 shortens every timed phase for a smoke run) ---------------
const QUICK = process.env.BENCH_QUICK === '1';
const CONNECTIONS = 10;
const WARMUP_SECONDS = QUICK ? 0.5 : 1;
const LOAD_SECONDS = QUICK ? 1 : 5;
const HANDSHAKE_CONCURRENCY = 4;
const HANDSHAKE_WARMUP_MS = QUICK ? 300 : 1000;
const HANDSHAKE_MS = QUICK ? 1000 : 5000;
const HANDSHAKE_MAX = 50_000;
const NEXT_STARTS = 20;
const MORE_SERVERS = 10;
/** The whole run is killed after this, whatever happens. */
const WATCHDOG_MS = 170_000;

// --- results -----------------------------------------------------------------------------------------
type Goal = { kind: 'ratio-min'; value: number } | { kind: 'max'; value: number; unit: string };

interface Row {
  metric: string;
  ours: number;
  baseline?: number;
  /** Digits for the figures. */
  digits: number;
  unit?: string;
  goal: Goal;
}

const rows: Row[] = [];
const notes: string[] = [];
const problems: string[] = [];

function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function verdict(r: Row): { ratio: string; goal: string; pass: boolean } {
  if (r.goal.kind === 'ratio-min') {
    const ratio = r.baseline && r.baseline > 0 ? r.ours / r.baseline : NaN;
    return { ratio: Number.isFinite(ratio) ? ratio.toFixed(2) : '-', goal: `>=${r.goal.value.toFixed(2)}`, pass: ratio >= r.goal.value };
  }
  return { ratio: '-', goal: `<${r.goal.value} ${r.goal.unit}`, pass: r.ours < r.goal.value };
}

function printTable(): void {
  const header = ['metric', 'ours', 'baseline', 'ratio', 'goal', ''];
  const lines = rows.map((r) => {
    const v = verdict(r);
    const unit = r.unit ? ` ${r.unit}` : '';
    return [r.metric, `${fmt(r.ours, r.digits)}${unit}`, r.baseline === undefined ? '-' : `${fmt(r.baseline, r.digits)}${unit}`, v.ratio, v.goal, v.pass ? 'PASS' : 'MISS'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('   ')
      .trimEnd();
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('   '));
  for (const l of lines) console.log(render(l));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function progress(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

// --- phases ------------------------------------------------------------------------------------------

async function startup(): Promise<void> {
  progress(`start-up: first startServer() in a fresh process, then ${NEXT_STARTS} more`);
  const child = new Child('startup probe', './startup-child.ts');
  try {
    const r = await child.call<StartupResult>('measure', { next: NEXT_STARTS, budgetMs: 40_000 }, 60_000);
    if (r.nextMs.length < NEXT_STARTS) problems.push(`start-up: only ${r.nextMs.length} of ${NEXT_STARTS} starts fit in the time budget`);
    rows.push({ metric: 'first startServer(), fresh process', ours: r.firstMs, digits: 0, unit: 'ms', goal: { kind: 'max', value: 400, unit: 'ms' } });
    rows.push({ metric: `median of next ${r.nextMs.length} startServer()`, ours: median(r.nextMs), digits: 1, unit: 'ms', goal: { kind: 'max', value: 50, unit: 'ms' } });
    const sorted = [...r.nextMs].sort((a, b) => a - b);
    notes.push(`start-up: import of src/index.ts (via tsx) ${fmt(r.importMs, 0)} ms, not included; next starts min ${fmt(sorted[0]!, 1)} / max ${fmt(sorted.at(-1)!, 1)} ms: ${r.nextMs.map((x) => x.toFixed(0)).join(' ')}`);
  } finally {
    await child.stop();
  }
}

async function memory(): Promise<void> {
  progress(`memory: 1 server, then ${MORE_SERVERS} more, in a fresh process with --expose-gc`);
  const child = new Child('memory probe', './memory-child.ts', { execArgv: ['--expose-gc'] });
  try {
    const r = await child.call<MemoryResult>('measure', { more: MORE_SERVERS, budgetMs: 40_000 }, 60_000);
    if (r.servers < MORE_SERVERS) problems.push(`memory: only ${r.servers} of ${MORE_SERVERS} servers started in the time budget`);
    const mb = (bytes: number): number => bytes / r.servers / (1024 * 1024);
    rows.push({ metric: 'memory per extra server, RSS', ours: mb(r.after.rss - r.before.rss), digits: 2, unit: 'MB', goal: { kind: 'max', value: 30, unit: 'MB' } });
    rows.push({ metric: 'memory per extra server, heapUsed', ours: mb(r.after.heapUsed - r.before.heapUsed), digits: 2, unit: 'MB', goal: { kind: 'max', value: 30, unit: 'MB' } });
    const m = (b: number): string => `${fmt(b / (1024 * 1024), 1)} MB`;
    notes.push(
      `memory: with 1 server rss ${m(r.before.rss)}, heapUsed ${m(r.before.heapUsed)}, external ${m(r.before.external)}; ` +
        `with ${1 + r.servers}: rss ${m(r.after.rss)}, heapUsed ${m(r.after.heapUsed)}, external ${m(r.after.external)}`,
    );
  } finally {
    await child.stop();
  }
}

async function cpuDelta<T>(server: Child, run: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const a = await server.call<CpuSample>('cpu', null, 5000);
  const result = await run();
  const b = await server.call<CpuSample>('cpu', null, 5000);
  return { result, cpuMs: (b.cpuMicros - a.cpuMicros) / 1000 };
}

function checkLoad(label: string, r: LoadResult): void {
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.total === 0) {
    problems.push(`${label}: ${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  }
}

function checkHandshakes(label: string, r: HandshakeResult): void {
  if (r.failed > 0 || r.nonOk > 0 || r.completed === 0) {
    problems.push(`${label}: ${r.completed} connections, ${r.failed} failed, ${r.nonOk} not 200${r.firstError ? ` (first error: ${r.firstError})` : ''}`);
  }
  if (r.reused > 0) problems.push(`${label}: ${r.reused} TLS sessions were resumed; the figure is not for full handshakes`);
}

async function servers(): Promise<void> {
  progress('servers: starting kube-auth-mock and the bare node:https baseline, each in its own process');
  const oursChild = new Child('kube-auth-mock server', './server-child.ts');
  const bareChild = new Child('bare https server', './server-child.ts');
  const loader = new Child('load generator', './load-child.ts');
  try {
    const info = await oursChild.call<OursInfo>('startOurs', null, 60_000);
    const bare = await bareChild.call<{ url: string }>('startBare', { servingCertPem: info.servingCertPem, servingKeyPem: info.servingKeyPem, caPem: info.caPem, response: info.version }, 30_000);
    const headerBytes = info.version.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    notes.push(`GET /version: ${info.version.status}, ${Buffer.byteLength(info.version.body)} body bytes, ${headerBytes} header bytes (+ Date, Connection, Keep-Alive from node), replayed by the bare server`);

    const targets = [
      { name: 'bare', url: bare.url, child: bareChild },
      { name: 'ours', url: info.url, child: oursChild },
    ];

    // 1. Keep-alive throughput, token and client certificate.
    const cases = [
      { label: 'token auth', headers: { authorization: `Bearer ${info.token}`, accept: 'application/json' }, tls: { ca: info.caPem } },
      { label: 'client cert', headers: { accept: 'application/json' }, tls: { ca: info.caPem, cert: info.clientCertPem, key: info.clientKeyPem } },
    ];
    for (const c of cases) {
      const got: Record<string, { r: LoadResult; cpuMs: number }> = {};
      for (const t of targets) {
        progress(`requests/s, ${c.label}, ${t.name}: ${WARMUP_SECONDS} s warm-up + ${LOAD_SECONDS} s, ${CONNECTIONS} connections`);
        const params: LoadParams = { url: t.url, path: '/version', headers: c.headers, tls: c.tls, connections: CONNECTIONS, seconds: WARMUP_SECONDS };
        checkLoad(`warm-up, ${c.label}, ${t.name}`, await loader.call<LoadResult>('load', params, (WARMUP_SECONDS + 30) * 1000));
        const { result, cpuMs } = await cpuDelta(t.child, () => loader.call<LoadResult>('load', { ...params, seconds: LOAD_SECONDS }, (LOAD_SECONDS + 30) * 1000));
        checkLoad(`${c.label}, ${t.name}`, result);
        got[t.name] = { r: result, cpuMs };
      }
      const o = got.ours!;
      const b = got.bare!;
      rows.push({ metric: `requests/s, ${c.label}, keep-alive`, ours: o.r.requestsPerSecond, baseline: b.r.requestsPerSecond, digits: 0, goal: { kind: 'ratio-min', value: 0.7 } });
      const us = (x: { r: LoadResult; cpuMs: number }): string => fmt((x.cpuMs * 1000) / Math.max(1, x.r.total), 1);
      notes.push(
        `requests, ${c.label}: server CPU per request ours ${us(o)} µs vs bare ${us(b)} µs; ` +
          `latency p50/p99 ours ${o.r.latencyP50}/${o.r.latencyP99} ms, bare ${b.r.latencyP50}/${b.r.latencyP99} ms; ` +
          `requests ours ${o.r.total}, bare ${b.r.total}`,
      );
    }

    // 2. New TLS connections with a client certificate: full handshake, one GET, close.
    const hs: Record<string, { r: HandshakeResult; cpuMs: number }> = {};
    for (const t of targets) {
      progress(`new TLS connections/s, client cert, ${t.name}: ${HANDSHAKE_WARMUP_MS / 1000} s warm-up + ${HANDSHAKE_MS / 1000} s, ${HANDSHAKE_CONCURRENCY} in flight`);
      const u = new URL(t.url);
      const params: HandshakeParams = {
        host: u.hostname,
        port: Number(u.port),
        path: '/version',
        ca: info.caPem,
        cert: info.clientCertPem,
        key: info.clientKeyPem,
        concurrency: HANDSHAKE_CONCURRENCY,
        warmupMs: 0,
        durationMs: HANDSHAKE_WARMUP_MS,
        maxConnections: HANDSHAKE_MAX,
      };
      checkHandshakes(`warm-up, TLS connections, ${t.name}`, await loader.call<HandshakeResult>('handshakes', params, HANDSHAKE_WARMUP_MS + 30_000));
      const { result, cpuMs } = await cpuDelta(t.child, () => loader.call<HandshakeResult>('handshakes', { ...params, durationMs: HANDSHAKE_MS }, HANDSHAKE_MS + 30_000));
      checkHandshakes(`TLS connections, ${t.name}`, result);
      hs[t.name] = { r: result, cpuMs };
    }
    rows.push({ metric: 'new TLS connections/s, client cert', ours: hs.ours!.r.connectionsPerSecond, baseline: hs.bare!.r.connectionsPerSecond, digits: 0, goal: { kind: 'ratio-min', value: 0.9 } });
    const perConn = (x: { r: HandshakeResult; cpuMs: number }): string => fmt(x.cpuMs / Math.max(1, x.r.completed), 2);
    notes.push(`TLS connections: server CPU per connection ours ${perConn(hs.ours!)} ms vs bare ${perConn(hs.bare!)} ms; connections ours ${hs.ours!.r.completed}, bare ${hs.bare!.r.completed}`);
  } finally {
    await Promise.all([loader.stop(), oursChild.stop(), bareChild.stop()]);
  }
}

// --- main --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  guardChildren();
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${WATCHDOG_MS / 1000} s, giving up\n`);
    process.exit(1); // the exit handler kills every child
  }, WATCHDOG_MS);
  watchdog.unref();

  const started = performance.now();
  const cpu = cpus();
  const machine =
    `machine: ${cpu.length} cpus (${cpu[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform}/${process.arch}, ` +
    `${fmt(totalmem() / 2 ** 30, 1)} GiB RAM (${fmt(freemem() / 2 ** 30, 1)} free), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  progress(machine);

  for (const phase of [startup, memory, servers]) {
    try {
      await phase();
    } catch (err) {
      problems.push(`${phase.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  console.log('');
  console.log(machine);
  console.log(`settings: ${CONNECTIONS} connections, pipelining 1, ${WARMUP_SECONDS} s warm-up + ${LOAD_SECONDS} s per request run; ${HANDSHAKE_CONCURRENCY} TLS connections in flight for ${HANDSHAKE_MS / 1000} s${QUICK ? ' (BENCH_QUICK)' : ''}`);
  console.log('');
  if (rows.length > 0) printTable();
  if (notes.length > 0) {
    console.log('');
    for (const n of notes) console.log(`  ${n}`);
  }
  console.log('');
  console.log(`total ${fmt((performance.now() - started) / 1000, 1)} s`);
  if (problems.length > 0) {
    console.error('');
    console.error('bench: the run had errors; the figures above may be incomplete or invalid:');
    for (const p of problems) console.error(`  - ${p}`);
    process.exitCode = 1;
  }
  clearTimeout(watchdog);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
