// A tiny request/response protocol over a forked child's IPC channel. The parent runs every
// measurement in child processes (servers, the load generator, the start-up and memory probes)
// so that no two of them share an event loop, and kills every child it started when it ends.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Call {
  id: number;
  method: string;
  params: unknown;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Every child still running, so that the parent can kill them whatever way it ends. */
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const proc of running) {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
  running.clear();
}

let guarded = false;
/** Installs the parent's last-resort cleanup: no child outlives it, on exit, on a signal or on a crash. */
export function guardChildren(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.stderr.write(`\nbench: interrupted by ${signal}\n`);
      process.exit(130);
    });
  }
}

/** A child process that answers calls. */
export class Child {
  readonly name: string;
  private readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private exited = false;
  private readonly exitedPromise: Promise<void>;
  private stderrTail = '';

  constructor(name: string, script: string, opts: { execArgv?: string[]; args?: string[] } = {}) {
    this.name = name;
    const path = fileURLToPath(new URL(script, import.meta.url));
    this.proc = fork(path, opts.args ?? [], {
      // tsx so the children run the TypeScript sources; nothing else of the parent's flags.
      execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    running.add(this.proc);
    this.proc.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    this.proc.on('message', (msg: Reply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`${this.name}: ${msg.error}`));
    });
    this.exitedPromise = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        this.exited = true;
        running.delete(this.proc);
        const why = `${this.name} exited (code ${code}, signal ${signal})${this.stderrTail ? `:\n${this.stderrTail.trimEnd()}` : ''}`;
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error(why));
        }
        this.pending.clear();
        resolve();
      });
    });
    this.proc.on('error', () => {
      /* reported through exit */
    });
  }

  /** Calls a method of the child; rejects if it does not answer within timeoutMs or dies. */
  call<T>(method: string, params: unknown, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running${this.stderrTail ? `:\n${this.stderrTail.trimEnd()}` : ''}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      const call: Call = { id, method, params };
      this.proc.send(call, (err) => {
        if (err) {
          this.pending.delete(id);
          clearTimeout(timer);
          reject(new Error(`${this.name}: cannot send ${method}: ${err.message}`));
        }
      });
    });
  }

  /** Asks the child to shut down cleanly, then kills it if it has not exited after graceMs. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    try {
      await this.call('shutdown', null, graceMs);
    } catch {
      /* killed below */
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exitedPromise;
    clearTimeout(timer);
  }
}

/** CPU time a child has used so far (process.cpuUsage(), user + system, all threads), and when. */
export interface CpuSample {
  cpuMicros: number;
  wallMs: number;
}

/** In a child: answers the parent's calls with these handlers, plus "cpu" (a CpuSample); "shutdown" runs onShutdown and exits. */
export function serve(handlers: Record<string, (params: never) => Promise<unknown>>, onShutdown: () => Promise<void> = async () => {}): void {
  if (!process.send) throw new Error('this script is run by bench/run.ts, not on its own');
  let shuttingDown = false;
  const shutdown = async (): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Never hang on the way out.
    setTimeout(() => process.exit(0), 2000).unref();
    try {
      await onShutdown();
    } catch {
      /* exiting anyway */
    }
  };
  process.on('message', async (msg: Call) => {
    const reply = (r: Reply): void => {
      if (process.connected) process.send!(r);
    };
    if (msg.method === 'shutdown') {
      await shutdown();
      const done = (): never => process.exit(0);
      if (process.connected) process.send!({ id: msg.id, ok: true, result: null } satisfies Reply, () => done());
      else done();
      return;
    }
    if (msg.method === 'cpu') {
      const u = process.cpuUsage();
      reply({ id: msg.id, ok: true, result: { cpuMicros: u.user + u.system, wallMs: performance.now() } satisfies CpuSample });
      return;
    }
    const handler = handlers[msg.method];
    if (!handler) {
      reply({ id: msg.id, ok: false, error: `no method ${msg.method}` });
      return;
    }
    try {
      reply({ id: msg.id, ok: true, result: await handler(msg.params as never) });
    } catch (err) {
      reply({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
  // The parent is gone (crashed or killed): do not linger.
  process.on('disconnect', () => {
    void shutdown().then(() => process.exit(0));
  });
}
