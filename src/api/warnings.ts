// Warning headers as kube-apiserver writes them: staging/src/k8s.io/apimachinery/pkg/util/net/http.go
// (NewWarningHeader, makeQuotedString) behind endpoints/filters/warning.go's recorder, which drops repeats.
import type { KubeContext } from '../request/state.js';

const recorded = new WeakMap<KubeContext, Set<string>>();

/** `299 - "<text>"`: the text quoted as makeQuotedString does (only `"` and `\` escaped). */
export function warningHeaderValue(text: string): string {
  // Go's header writer turns CR and LF into spaces; the header carries UTF-8 bytes, which Node sends as latin1.
  const quoted = `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
  return Buffer.from(quoted, 'utf8').toString('latin1');
}

/** Adds one Warning header per distinct text, as kube's warning recorder does. */
export function addWarning(ctx: KubeContext, text: string): void {
  let seen = recorded.get(ctx);
  if (seen === undefined) recorded.set(ctx, (seen = new Set()));
  if (seen.has(text)) return;
  seen.add(text);
  ctx.append('Warning', warningHeaderValue(text));
}
