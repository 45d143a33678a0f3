// The subject fields kube's x509 authenticator reads, as Go's pkix.Name holds them.
import type { X509Certificate } from 'node:crypto';

/**
 * The subject's CN and O values, in order, unescaped as Go's pkix.Name holds them (node's `subject` text
 * escapes RFC 2253 specials: a CN "jane,doe" would read "jane\\,doe"). With several CNs, Go keeps the last.
 */
export function subjectNames(cert: X509Certificate): { commonName: string; organizations: string[] } {
  const subject = cert.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { commonName: list(subject.CN).at(-1) ?? '', organizations: list(subject.O) };
}
