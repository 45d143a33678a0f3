// Start-up probe, run in a fresh process so the key pool starts empty, as in a user's test process.
// Times the import of the package, the first startServer() (in-memory PKI), then the next ones
// (each started and stopped in turn).
import { serve } from './ipc.js';

export interface StartupResult {
  importMs: number;
  firstMs: number;
  nextMs: number[];
}

serve({
  async measure(p: { next: number; budgetMs: number }): Promise<StartupResult> {
    const t0 = performance.now();
    const { startServer } = await import('../src/index.js');
    const importMs = performance.now() - t0;

    const t1 = performance.now();
    const first = await startServer({ port: 0 });
    const firstMs = performance.now() - t1;
    await first.stop();

    const nextMs: number[] = [];
    const deadline = performance.now() + p.budgetMs;
    while (nextMs.length < p.next && performance.now() < deadline) {
      const t = performance.now();
      const s = await startServer({ port: 0 });
      nextMs.push(performance.now() - t);
      await s.stop();
    }
    return { importMs, firstMs, nextMs };
  },
});
