// Warning headers as kube-apiserver writes them: apimachinery/pkg/util/net/http.go (NewWarningHeader,
// makeQuotedString) and apiserver/pkg/endpoints/filters/warning.go (dedupe; 4096 runes in all, then 256 each).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWarning, warningHeaderValue } from '../../../src/api/warnings.js';
import type { KubeContext } from '../../../src/request/state.js';

function fakeContext(): { ctx: KubeContext; headers: string[] } {
  const headers: string[] = [];
  const ctx = {
    append: (_name: string, value: string) => headers.push(value),
    remove: () => headers.splice(0),
  } as unknown as KubeContext;
  return { ctx, headers };
}

test('makeQuotedString: only " and \\ are escaped; line breaks become spaces as Go\'s header writer does', () => {
  assert.equal(warningHeaderValue('unknown field "a\\b"'), '299 - "unknown field \\"a\\\\b\\""');
  assert.equal(warningHeaderValue('a\n  b'), '299 - "a   b"');
});

test('non-latin-1 text is sent as its UTF-8 bytes, never refused by Node', () => {
  const value = warningHeaderValue('unknown field "日本"');
  assert.equal(Buffer.from(value, 'latin1').toString('utf8'), '299 - "unknown field \\"日本\\""');
});

test('the same text is warned once', () => {
  const { ctx, headers } = fakeContext();
  addWarning(ctx, 'a');
  addWarning(ctx, 'a');
  addWarning(ctx, 'b');
  assert.deepEqual(headers, ['299 - "a"', '299 - "b"']);
});

test('past 4096 runes every warning is cut to 256 runes; past 4096 again the rest are dropped', () => {
  const { ctx, headers } = fakeContext();
  addWarning(ctx, 'x'.repeat(4000));
  assert.equal(headers.length, 1);
  addWarning(ctx, 'y'.repeat(300));
  assert.deepEqual(headers, [`299 - "${'x'.repeat(256)}"`, `299 - "${'y'.repeat(256)}"`]);
  for (let i = 0; i < 30; i++) addWarning(ctx, `${i}`.padEnd(300, 'z'));
  assert.equal(headers.length, 16);
});
