// Source: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (summarizeData).

/** kube's summarizeData: a JSON-looking body as text, anything else as hex, cut at 30 bytes. */
export function summarizeData(data: Buffer, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  const cut = data.length > maxLength;
  const head = data.subarray(0, maxLength);
  const text = data[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return cut ? `${text} ...` : text;
}
