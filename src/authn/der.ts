// A minimal DER reader: enough to walk an X.509 certificate and keep the exact bytes of each element,
// which Go compares byte for byte (raw subject and issuer names, extension values).

/** One DER element: its tag, its content and the exact bytes it was read from. */
export interface Der {
  /** The identifier octet as written (class, constructed bit and tag number below 31). */
  tag: number;
  /** The contents octets. */
  content: Buffer;
  /** The whole element: identifier, length and contents. */
  raw: Buffer;
}

/** DER that does not parse: a malformed certificate. */
export class DerError extends Error {}

/** Identifier octets of the universal types a certificate uses. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** Context-specific tag [n], constructed (EXPLICIT, or IMPLICIT over a constructed type) or primitive. */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

/** Reads the element at `offset`; throws DerError on anything DER forbids that matters here. */
export function readDer(buf: Buffer, offset = 0): Der {
  if (offset + 2 > buf.length) throw new DerError('truncated element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in certificates');
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported length');
    if (offset + 2 + n > buf.length) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[offset + 2 + i]!;
    // cryptobyte's readASN1: DER lengths are minimal (X.690 10.1): short form below 128, no leading zero octet.
    if (length < 0x80 || buf[offset + 2] === 0) throw new DerError('non-minimal length');
    header += n;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new DerError('truncated content');
  return { tag, content: buf.subarray(offset + header, end), raw: buf.subarray(offset, end) };
}

/** The elements inside a constructed element, in order. */
export function children(der: Der): Der[] {
  const out: Der[] = [];
  for (let offset = 0; offset < der.content.length; ) {
    const child = readDer(der.content, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

/** Reads a whole buffer as exactly one element of the expected tag. */
export function parseDer(buf: Buffer, tag: number): Der {
  const der = readDer(buf);
  if (der.raw.length !== buf.length) throw new DerError('trailing data');
  if (der.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, got 0x${der.tag.toString(16)}`);
  return der;
}

/**
 * An OBJECT IDENTIFIER's dotted form, read as cryptobyte's ReadASN1ObjectIdentifier (readBase128Int) reads it:
 * each arc in the fewest octets (no leading 0x80), at most 5 octets and under 2^31.
 */
export function oidString(content: Buffer): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  let octets = 0;
  for (const byte of content) {
    if (octets === 5 || value >= 1 << 24 || (octets === 0 && byte === 0x80)) throw new DerError('malformed OID');
    value = value * 128 + (byte & 0x7f);
    octets++;
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
      octets = 0;
    }
  }
  if (content[content.length - 1]! & 0x80) throw new DerError('truncated OID');
  return arcs.join('.');
}

/** cryptobyte ReadASN1Boolean: DER's 0x00 or 0xff only (OpenSSL takes any non-zero octet as true). */
export function derBoolean(der: Der): boolean {
  if (der.tag !== TAG.BOOLEAN || der.content.length !== 1 || (der.content[0] !== 0 && der.content[0] !== 0xff)) throw new DerError('malformed BOOLEAN');
  return der.content[0] === 0xff;
}

/** cryptobyte ReadASN1Integer into an int64: minimally encoded, signed, at most 8 octets (beyond 2^53 it is only large). */
export function derInt64(der: Der): number {
  const c = der.content;
  if (der.tag !== TAG.INTEGER || c.length === 0 || c.length > 8) throw new DerError('malformed INTEGER');
  if (c.length > 1 && ((c[0] === 0 && !(c[1]! & 0x80)) || (c[0] === 0xff && c[1]! & 0x80))) throw new DerError('non-minimal INTEGER');
  const unsigned = BigInt(`0x${c.toString('hex')}`);
  return Number(c[0]! & 0x80 ? unsigned - (1n << BigInt(8 * c.length)) : unsigned);
}

/** cryptobyte ReadASN1BitString: the bytes and bit length; padding bits must be zero. */
export function derBitString(der: Der): { bytes: Buffer; bitLength: number } {
  const c = der.content;
  if (der.tag !== TAG.BIT_STRING || c.length === 0) throw new DerError('malformed BIT STRING');
  const padding = c[0]!;
  const bytes = c.subarray(1);
  if (padding > 7 || (bytes.length === 0 && padding !== 0) || (bytes.length > 0 && bytes[bytes.length - 1]! & ((1 << padding) - 1))) {
    throw new DerError('malformed BIT STRING');
  }
  return { bytes, bitLength: bytes.length * 8 - padding };
}

/** A small non-negative INTEGER (path lengths, versions); throws past 2^31. */
export function smallInteger(content: Buffer): number {
  if (content.length === 0 || content.length > 4 || content[0]! & 0x80) throw new DerError('integer out of range');
  return content.reduce((n, b) => n * 256 + b, 0);
}
