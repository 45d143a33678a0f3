// Distinguished names as Go's crypto/x509 reads them: parser.go parseName and parseASN1String, then
// pkix.Name.FillFromRDNSequence for the CN (the last) and the O values (in order) kube's authenticator maps to a
// user and groups, and pkix.Name.Names for the user UID attributes kube 1.33+ reads (X509UID, ../apimachinery/
// asn1-oid.ts). Go refuses a name whose values are not one of its six string types or break their rules
// (the certificate then fails to parse, and the TLS handshake with it); OpenSSL converts more (UniversalString,
// VisibleString, ...) and checks less, so node's own reading of the subject is not used.
import { X509_UID_OID } from '../apimachinery/asn1-oid.js';
import { DerError, TAG, children, oidString, type Der } from './der.js';

/** A name Go's parser refuses, with Go's message. */
export class NameError extends Error {}

const SET = 0x31;
const UTF8_STRING = 0x0c;
const NUMERIC_STRING = 0x12;
const PRINTABLE_STRING = 0x13;
const T61_STRING = 0x14;
const IA5_STRING = 0x16;
const BMP_STRING = 0x1e;
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** parser.go isPrintable: PrintableString's set, and '*' and '&', which Go lets through. */
const isPrintable = (b: number): boolean =>
  (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || (b >= 0x27 && b <= 0x29) || (b >= 0x2b && b <= 0x2f) || b === 0x20 || b === 0x3a || b === 0x3d || b === 0x3f || b === 0x2a || b === 0x26;

/** parseASN1String: the value as Go holds it, or the reason it refuses it. */
function asn1String(value: Der): string {
  const bytes = value.content;
  switch (value.tag) {
    case T61_STRING:
      // Read as Latin-1, as Go (and BoringSSL) do.
      return bytes.toString('latin1');
    case PRINTABLE_STRING:
      if (!bytes.every(isPrintable)) throw new NameError('invalid PrintableString');
      return bytes.toString('latin1');
    case UTF8_STRING:
      try {
        return strictUtf8.decode(bytes);
      } catch {
        throw new NameError('invalid UTF-8 string');
      }
    case BMP_STRING: {
      if (bytes.length % 2 !== 0) throw new NameError('invalid BMPString');
      // A terminating NUL is stripped; surrogates and the permanent noncharacters are refused.
      const units = bytes.length >= 2 && bytes[bytes.length - 1] === 0 && bytes[bytes.length - 2] === 0 ? bytes.subarray(0, bytes.length - 2) : bytes;
      const points: number[] = [];
      for (let i = 0; i < units.length; i += 2) {
        const point = (units[i]! << 8) | units[i + 1]!;
        if (point === 0xfffe || point === 0xffff || (point >= 0xfdd0 && point <= 0xfdef) || (point >= 0xd800 && point <= 0xdfff)) throw new NameError('invalid BMPString');
        points.push(point);
      }
      return points.map((p) => String.fromCharCode(p)).join('');
    }
    case IA5_STRING:
      if (!bytes.every((b) => b < 0x80)) throw new NameError('invalid IA5String');
      return bytes.toString('latin1');
    case NUMERIC_STRING:
      if (!bytes.every((b) => (b >= 0x30 && b <= 0x39) || b === 0x20)) throw new NameError('invalid NumericString');
      return bytes.toString('latin1');
    default:
      throw new NameError(`unsupported string type: ${value.tag}`);
  }
}

/** The CN and O values kube reads from a name, and every user UID value (kube's authenticator judges how many). */
export interface NameFields {
  commonName: string;
  organizations: string[];
  /** The values of every UID attribute in the name, in order, in any RDN (Go's Subject.Names holds them all). */
  uids: string[];
}

/** parseName over a Name's DER (the SEQUENCE), then FillFromRDNSequence's CN and O and the UIDs; NameError with Go's message. */
export function parseName(name: Der): NameFields {
  const fields: NameFields = { commonName: '', organizations: [], uids: [] };
  const structure = (message: string, read: () => Der[]): Der[] => {
    try {
      return read();
    } catch (err) {
      if (err instanceof DerError) throw new NameError(message);
      throw err;
    }
  };
  if (name.tag !== TAG.SEQUENCE) throw new NameError('x509: invalid RDNSequence');
  for (const set of structure('x509: invalid RDNSequence', () => children(name))) {
    if (set.tag !== SET) throw new NameError('x509: invalid RDNSequence');
    for (const atv of structure('x509: invalid RDNSequence: invalid attribute', () => children(set))) {
      if (atv.tag !== TAG.SEQUENCE) throw new NameError('x509: invalid RDNSequence: invalid attribute');
      const [type, value] = structure('x509: invalid RDNSequence: invalid attribute', () => children(atv));
      if (type?.tag !== TAG.OID) throw new NameError('x509: invalid RDNSequence: invalid attribute type');
      let oid: string;
      try {
        oid = oidString(type.content);
      } catch {
        throw new NameError('x509: invalid RDNSequence: invalid attribute type');
      }
      if (value === undefined) throw new NameError('x509: invalid RDNSequence: invalid attribute value');
      let text: string;
      try {
        text = asn1String(value);
      } catch (err) {
        if (err instanceof NameError) throw new NameError(`x509: invalid RDNSequence: invalid attribute value: ${err.message}`);
        throw err;
      }
      if (oid === COMMON_NAME) fields.commonName = text;
      else if (oid === ORGANIZATION) fields.organizations.push(text);
      else if (oid === X509_UID_OID) fields.uids.push(text);
    }
  }
  return fields;
}
