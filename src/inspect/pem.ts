// Splitting an input into PEM blocks, as Go's encoding/pem.Decode reads them (RFC 7468 text between BEGIN and END
// lines, optional RFC 1421 headers such as OpenSSL's "Proc-Type: 4,ENCRYPTED"), or into DER elements laid end to end.
import { readDer, DerError } from '../authn/der.js';

/** One PEM block. */
export interface PemBlock {
  label: string;
  headers: Record<string, string>;
  der: Buffer;
}

/** Input that looks like PEM but is not well formed: a BEGIN without END, or a body that is not base64. */
export class PemError extends Error {}

/**
 * The most PEM blocks or DER elements read from one input. A system CA bundle holds some 150 certificates; every
 * certificate is parsed and its issuer looked for, so ten thousand identical-looking ones are refused, not ground through.
 */
export const MAX_BLOCKS = 1000;
const TOO_MANY = `more than ${MAX_BLOCKS} PEM blocks or DER elements: not a file of certificates or keys this tool reads`;

/** Whether the input holds a PEM BEGIN line at all. */
export function looksLikePem(text: string): boolean {
  return /-----BEGIN [^-\r\n]*-----/.test(text);
}

/** Every PEM block in the text, in order; text around and between blocks is ignored, as openssl and Go ignore it. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const begin = /-----BEGIN ([^-\r\n]*)-----/g;
  let m: RegExpExecArray | null;
  while ((m = begin.exec(text)) !== null) {
    if (blocks.length === MAX_BLOCKS) throw new PemError(TOO_MANY);
    const label = m[1]!;
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, m.index + m[0].length);
    if (end < 0) throw new PemError(`truncated PEM: "BEGIN ${label}" has no "END ${label}" line`);
    const body = text.slice(m.index + m[0].length, end);
    const headers: Record<string, string> = {};
    const lines = body.split(/\r?\n/);
    const base64: string[] = [];
    for (const line of lines) {
      const header = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (header && base64.length === 0) headers[header[1]!] = header[2]!;
      else if (line.trim() !== '') base64.push(line.trim());
    }
    const joined = base64.join('');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(joined) || joined.length % 4 !== 0) throw new PemError(`the "${label}" PEM block is not valid base64 (damaged or truncated)`);
    const der = Buffer.from(joined, 'base64');
    if (der.length === 0) throw new PemError(`the "${label}" PEM block is empty`);
    blocks.push({ label, headers, der });
    begin.lastIndex = end + endLine.length;
  }
  return blocks;
}

/** DER elements laid end to end (a DER chain is several certificates one after the other); undefined if it is not DER. */
export function derElements(bytes: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  try {
    for (let offset = 0; offset < bytes.length; ) {
      if (out.length === MAX_BLOCKS) throw new PemError(TOO_MANY);
      const der = readDer(bytes, offset);
      // Every top-level structure the inspector reads is a SEQUENCE.
      if (der.tag !== 0x30) return undefined;
      out.push(der.raw);
      offset += der.raw.length;
    }
  } catch (err) {
    if (err instanceof DerError) return undefined;
    throw err;
  }
  return out.length > 0 ? out : undefined;
}
