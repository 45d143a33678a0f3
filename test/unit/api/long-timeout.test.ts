// A watch's timeoutSeconds is a Go time.Duration: any size. Node's setTimeout fires at once past 2^31-1 ms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TIMER_MS, setLongTimeout, type TimerApi } from '../../../src/api/rest/long-timeout.js';

/** Timers that only record what was asked; run() fires the pending one. */
function fakeTimers(): TimerApi & { delays: number[]; run(): void; pending(): boolean } {
  let next: (() => void) | undefined;
  const delays: number[] = [];
  const handle = { unref: () => handle } as unknown as NodeJS.Timeout;
  return {
    delays,
    setTimeout(fn, ms) {
      delays.push(ms);
      next = fn;
      return handle;
    },
    clearTimeout() {
      next = undefined;
    },
    run() {
      const fn = next;
      next = undefined;
      fn?.();
    },
    pending: () => next !== undefined,
  };
}

const cases: { name: string; ms: number; delays: number[] }[] = [
  { name: 'a short delay is one timer', ms: 2000, delays: [2000] },
  { name: 'exactly 2^31-1 ms is one timer', ms: MAX_TIMER_MS, delays: [MAX_TIMER_MS] },
  { name: 'timeoutSeconds=2147484 is chained, never one overflowing timer', ms: 2147484 * 1000, delays: [MAX_TIMER_MS, 2147484000 - MAX_TIMER_MS] },
  { name: 'three steps for over twice the limit', ms: 2 * MAX_TIMER_MS + 5, delays: [MAX_TIMER_MS, MAX_TIMER_MS, 5] },
];

for (const c of cases) {
  test(`setLongTimeout: ${c.name}`, () => {
    const timers = fakeTimers();
    let fired = 0;
    setLongTimeout(() => fired++, c.ms, timers);
    for (let i = 0; i < c.delays.length - 1; i++) {
      timers.run();
      assert.equal(fired, 0, `fired after step ${i + 1} of ${c.delays.length}`);
    }
    timers.run();
    assert.equal(fired, 1);
    assert.deepEqual(timers.delays, c.delays);
    assert.ok(timers.delays.every((d) => d <= MAX_TIMER_MS));
  });
}

test('setLongTimeout: cancelled between steps, it never fires', () => {
  const timers = fakeTimers();
  let fired = 0;
  const cancel = setLongTimeout(() => fired++, 3 * MAX_TIMER_MS, timers);
  timers.run();
  cancel();
  assert.equal(timers.pending(), false);
  assert.equal(fired, 0);
});
