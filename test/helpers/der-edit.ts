// Certificates re-signed after an edit of their DER: encodings that OpenSSL (and so node:crypto) reads but Go's
// crypto/x509 parser refuses or reads differently, for tests of x509-parse.ts.
import { X509Certificate, sign, type KeyObject } from 'node:crypto';
import { children, readDer } from '../../src/authn/der.js';

/** A DER element: the tag, a minimal length and the contents. */
export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else if (n < 0x100) length = Buffer.from([0x81, n]);
  else if (n < 0x10000) length = Buffer.from([0x82, n >> 8, n & 0xff]);
  else length = Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

/** An extension: extnID, critical (the BOOLEAN's raw content byte when given) and extnValue. */
export function extension(oidHex: string, critical: number | undefined, value: Buffer): Buffer {
  return tlv(0x30, tlv(0x06, Buffer.from(oidHex, 'hex')), ...(critical === undefined ? [] : [tlv(0x01, Buffer.from([critical]))]), tlv(0x04, value));
}

/** The TBSCertificate's fields (raw DER), to edit. */
export type TbsFields = Buffer[];

/**
 * The certificate with its TBSCertificate fields replaced by `edit`'s, signed again (SHA-256, PKCS#1 v1.5) with
 * the issuer's RSA key, the outer algorithm identifier kept.
 */
export function resign(cert: X509Certificate, issuerKey: KeyObject, edit: (fields: TbsFields) => TbsFields): X509Certificate {
  const [tbs, algorithm] = children(readDer(cert.raw));
  const tbsDer = tlv(0x30, ...edit(children(tbs!).map((f) => Buffer.from(f.raw))));
  const signature = sign('sha256', tbsDer, issuerKey);
  return new X509Certificate(tlv(0x30, tbsDer, algorithm!.raw, tlv(0x03, Buffer.from([0]), signature)));
}

/** Index of the validity field in a v3 TBSCertificate ([0] version, serial, signature, issuer, validity, ...). */
export const VALIDITY = 4;

/** The fields with the extensions ([3]) replaced by these. */
export function withExtensions(fields: TbsFields, extensions: Buffer[]): TbsFields {
  return [...fields.filter((f) => f[0] !== 0xa3), tlv(0xa3, tlv(0x30, ...extensions))];
}

/** The extensions of a TBSCertificate, raw, to keep some. */
export function extensionsOf(fields: TbsFields): Buffer[] {
  const wrapper = fields.find((f) => f[0] === 0xa3);
  return wrapper === undefined ? [] : children(readDer(readDer(wrapper).content)).map((e) => Buffer.from(e.raw));
}

/** An extension's OID in hex (to find one by its id). */
export function extensionOid(ext: Buffer): string {
  return children(readDer(ext))[0]!.content.toString('hex');
}
