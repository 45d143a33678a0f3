// Go's encoding/json wording, for 400 and decode messages that read like kube-apiserver's.

/** Go's name for a JSON value's type, as its UnmarshalTypeError prints it ("bool", not "boolean"). */
export function goJsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}
