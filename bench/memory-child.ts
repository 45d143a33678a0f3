// Memory probe, run in a fresh process with --expose-gc: what one more running server costs.
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from './ipc.js';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface MemoryResult {
  servers: number;
  before: MemorySample;
  after: MemorySample;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Lets background work (the key pool's refills) settle, then collects garbage before reading the figures. */
async function settledSample(): Promise<MemorySample> {
  await sleep(500);
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

type Running = { stop(): Promise<void> };
const running: Running[] = [];

serve(
  {
    async measure(p: { more: number; budgetMs: number }): Promise<MemoryResult> {
      if (typeof gc !== 'function') throw new Error('run with --expose-gc');
      const { startServer } = await import('../src/index.js');
      running.push(await startServer({ port: 0 }));
      const before = await settledSample();
      const deadline = performance.now() + p.budgetMs;
      let started = 0;
      while (started < p.more && performance.now() < deadline) {
        running.push(await startServer({ port: 0 }));
        started++;
      }
      const after = await settledSample();
      return { servers: started, before, after };
    },
  },
  async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  },
);
