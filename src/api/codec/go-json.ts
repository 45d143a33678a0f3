// Go's encoding/json wording, for 400 and decode messages that read like kube-apiserver's.

/** The syntax error Go's decoder would report for text that JSON.parse refused (the common cases). */
export function goJsonSyntaxError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  if (text.trim() === '' || /Unexpected end|Unterminated/.test(message) || (at !== null && Number(at[1]) >= text.length)) return 'unexpected end of JSON input';
  const ch = at !== null ? text[Number(at[1])] : /token '?(.)'?/.exec(message)?.[1];
  return ch === undefined ? message : `invalid character '${ch}' looking for beginning of value`;
}

/** Go's name for a JSON value's type, as its UnmarshalTypeError prints it ("bool", not "boolean"). */
export function goJsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}
