import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationWords, relativeWords, validity } from '../../../src/inspect/index.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const at = (ms: number): Date => new Date(NOW.getTime() + ms);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('durations read in the largest unit of which two fit, rounded down', () => {
  const cases: [number, string][] = [
    [0, '0 seconds'],
    [1 * S, '1 second'],
    [59 * S, '59 seconds'],
    [119 * S, '119 seconds'],
    [2 * M, '2 minutes'],
    [59 * M + 59 * S, '59 minutes'],
    [90 * M, '90 minutes'],
    [2 * H, '2 hours'],
    [47 * H, '47 hours'],
    [3 * D + 5 * H, '3 days'],
    [364 * D, '364 days'],
    [2 * 365 * D + D, '2 years'],
  ];
  for (const [ms, words] of cases) assert.equal(durationWords(ms), words, String(ms));
});

test('relative words say in or ago', () => {
  assert.equal(relativeWords(at(59 * M + 59 * S), NOW), 'in 59 minutes');
  assert.equal(relativeWords(at(-3 * D), NOW), '3 days ago');
});

test('a validity window against now: valid, expired, not yet valid, never expiring', () => {
  assert.deepEqual(validity(at(-H), at(59 * M + 30 * S), NOW), { state: 'valid', notBefore: '2026-06-01T11:00:00Z', notAfter: '2026-06-01T12:59:30Z', words: 'valid, expires in 59 minutes (2026-06-01T12:59:30Z)' });
  assert.equal(validity(at(-10 * D), at(-3 * D), NOW).words, 'expired 3 days ago (2026-05-29T12:00:00Z)');
  assert.equal(validity(at(2 * H), at(10 * D), NOW).words, 'not valid until 2026-06-01T14:00:00Z (in 2 hours)');
  assert.equal(validity(undefined, undefined, NOW).words, 'valid, never expires');
});
