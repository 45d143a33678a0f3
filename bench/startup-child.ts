// Start-up probe, run in a fresh process so the key pool starts empty, as in a user's test process.
// Times the import of the package, the first startServer() (in-memory PKI), then the next ones
// (each started and stopped in turn).
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from './ipc.js';

const generateRsa = promisify(generateKeyPair);

export interface StartupResult {
  importMs: number;
  firstMs: number;
  nextMs: number[];
  /** One 2048-bit RSA key generated at a time, after the rest: what the key pool is up against. */
  keygenMs: number[];
}

serve({
  async measure(p: { next: number; budgetMs: number; keygens: number }): Promise<StartupResult> {
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

    // Let the pool finish its refill, then time plain keygen on this machine.
    await sleep(1000);
    const keygenMs: number[] = [];
    const keygenDeadline = performance.now() + 5000;
    while (keygenMs.length < p.keygens && performance.now() < keygenDeadline) {
      const t = performance.now();
      await generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
      keygenMs.push(performance.now() - t);
    }
    return { importMs, firstMs, nextMs, keygenMs };
  },
});
