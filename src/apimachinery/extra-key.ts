// kube's unescapeExtraKey, the same function in staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go
// and pkg/authentication/request/headerrequest/requestheader.go: an extra key from a header name is %-decoded.
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/**
 * kube's unescapeExtraKey: url.PathUnescape, or the key as given when it is not valid %-encoding ("%zz", a
 * trailing "%"). Go decodes to bytes; they are read as UTF-8 here (invalid sequences become U+FFFD, as Go's
 * JSON encoder writes them).
 */
export function unescapeExtraKey(encodedKey: string): string {
  if (!encodedKey.includes('%')) return encodedKey;
  const chunks: Buffer[] = [];
  let literal = 0;
  for (let i = 0; i < encodedKey.length; i++) {
    if (encodedKey.charCodeAt(i) !== 0x25) continue;
    if (i + 2 >= encodedKey.length || !isHex(encodedKey.charCodeAt(i + 1)) || !isHex(encodedKey.charCodeAt(i + 2))) return encodedKey;
    chunks.push(Buffer.from(encodedKey.slice(literal, i), 'utf8'), Buffer.of(Number.parseInt(encodedKey.slice(i + 1, i + 3), 16)));
    i += 2;
    literal = i + 1;
  }
  chunks.push(Buffer.from(encodedKey.slice(literal), 'utf8'));
  return Buffer.concat(chunks).toString('utf8');
}
