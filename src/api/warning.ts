// kube's warning recorder (staging/src/k8s.io/apiserver/pkg/endpoints/filters/warning.go) and its header
// format (staging/src/k8s.io/apimachinery/pkg/util/net/http.go, NewWarningHeader).
import type { ServerResponse } from 'node:http';

/** `299 - "<text>"`: code 299, agent "-", the text quoted with only `"` and `\` escaped, as kube's makeQuotedString does. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Adds a Warning header once per distinct text, as kube's recorder does; too late once the headers are out. */
export function addWarning(res: ServerResponse, text: string): void {
  if (res.headersSent) return;
  const header = warningHeader(text);
  const current = res.getHeader('Warning');
  const values = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  if (values.includes(header)) return;
  res.setHeader('Warning', [...values, header]);
}
