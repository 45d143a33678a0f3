// Warning headers as kube-apiserver writes them: staging/src/k8s.io/apimachinery/pkg/util/net/http.go
// (NewWarningHeader, makeQuotedString) behind endpoints/filters/warning.go's recorder, which drops repeats and
// keeps the headers small: past 4096 runes of warning text in all, every warning is cut to 256 runes, and past
// 4096 again the rest are dropped.
import type { KubeContext } from '../request/state.js';

const TRUNCATE_AT_TOTAL_RUNES = 4 * 1024;
const TRUNCATE_ITEM_RUNES = 256;

interface Recorder {
  recorded: Set<string>;
  ordered: string[];
  written: number;
  truncating: boolean;
}

const recorders = new WeakMap<KubeContext, Recorder>();

/** `299 - "<text>"`: the text quoted as makeQuotedString does (only `"` and `\` escaped). */
export function warningHeaderValue(text: string): string {
  // Go's header writer turns CR and LF into spaces; the header carries UTF-8 bytes, which Node sends as latin1.
  const quoted = `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
  return Buffer.from(quoted, 'utf8').toString('latin1');
}

const SURROGATE = /[\ud800-\udfff]/;

/** The text's length in runes (code points), without an array of them: a strict error may be megabytes long. */
function runeCount(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function truncated(text: string): { text: string; length: number } {
  if (!SURROGATE.test(text)) return text.length > TRUNCATE_ITEM_RUNES ? { text: text.slice(0, TRUNCATE_ITEM_RUNES), length: TRUNCATE_ITEM_RUNES } : { text, length: text.length };
  let cut = '';
  let n = 0;
  for (const ch of text) {
    if (n === TRUNCATE_ITEM_RUNES) return { text: cut, length: n };
    cut += ch;
    n++;
  }
  return { text, length: n };
}

/** The recorder's AddWarning: one Warning header per distinct text, within kube's size limits. */
export function addWarning(ctx: KubeContext, text: string): void {
  if (text === '') return;
  let r = recorders.get(ctx);
  if (r === undefined) recorders.set(ctx, (r = { recorded: new Set(), ordered: [], written: 0, truncating: false }));
  if (r.written >= TRUNCATE_AT_TOTAL_RUNES && r.truncating) return;
  if (r.recorded.has(text)) return;
  r.recorded.add(text);
  r.ordered.push(text);
  const item = r.truncating ? truncated(text) : { text, length: runeCount(text) };
  if (r.written + item.length <= TRUNCATE_AT_TOTAL_RUNES || r.truncating) {
    r.written += item.length;
    ctx.append('Warning', warningHeaderValue(item.text));
    return;
  }
  // Over the limit: from now on every warning, those already written too, is cut to 256 runes.
  r.truncating = true;
  r.written = 0;
  ctx.remove('Warning');
  for (const earlier of r.ordered) {
    const cut = truncated(earlier);
    r.written += cut.length;
    ctx.append('Warning', warningHeaderValue(cut.text));
  }
}
