// Certificates OpenSSL (so node:crypto) reads but Go's crypto/x509 parser refuses or reads differently, each
// re-signed by a trusted CA after an edit of its DER. Sources: Go's src/crypto/x509/parser.go (parseCertificate,
// parseValidity, parseExtension, processExtensions, parseBasicConstraintsExtension, parseKeyUsageExtension,
// parseExtKeyUsageExtension) over golang.org/x/crypto/cryptobyte/asn1.go (ReadASN1, ReadASN1Boolean,
// ReadASN1Integer, ReadASN1BitString, ReadASN1ObjectIdentifier, ReadASN1UTCTime, ReadASN1GeneralizedTime).
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { x509Authenticator } from '../../../src/authn/x509.js';
import { createCa, type IssuedCert } from '../../../src/pki/index.js';
import { extension, extensionOid, extensionsOf, resign, tlv, VALIDITY, withExtensions, type TbsFields } from '../../helpers/der-edit.js';
import { issueOddCert } from '../../helpers/odd-certs.js';

let ca: IssuedCert;
let intermediate: IssuedCert;
let leafOfIntermediate: IssuedCert;
let leaf: IssuedCert;
/** Two CAs below the intermediate: a pathLenConstraint of 0 or 1 on it would refuse this chain. */
let sub: IssuedCert;
let subSub: IssuedCert;
let leafOfSubSub: IssuedCert;
before(async () => {
  ca = await createCa({ commonName: 'der-ca' });
  intermediate = await issueOddCert({ issuer: ca, commonName: 'der-intermediate', ca: {} });
  leafOfIntermediate = await issueOddCert({ issuer: intermediate, commonName: 'jane', organizations: ['system:masters'] });
  leaf = await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['system:masters'] });
  sub = await issueOddCert({ issuer: intermediate, commonName: 'der-sub', ca: {} });
  subSub = await issueOddCert({ issuer: sub, commonName: 'der-sub-sub', ca: {} });
  leafOfSubSub = await issueOddCert({ issuer: subSub, commonName: 'jane', organizations: ['system:masters'] });
});

const BASIC_CONSTRAINTS = '551d13';
const KEY_USAGE = '551d0f';
const EXT_KEY_USAGE = '551d25';
const SAN = '551d11';
const CLIENT_AUTH_OID = '2b06010505070302';
const MINUTE = 60_000;

/** GeneralizedTime and UTCTime elements. */
const generalized = (text: string) => tlv(0x18, Buffer.from(text, 'latin1'));
const utc = (text: string) => tlv(0x17, Buffer.from(text, 'latin1'));
/** A UTCTime for a moment, written in a zone `offset` minutes east of UTC. */
function utcAt(ms: number, offset: number): Buffer {
  const d = new Date(ms + offset * MINUTE);
  const p = (n: number) => String(n).padStart(2, '0');
  const zone = `${offset < 0 ? '-' : '+'}${p(Math.floor(Math.abs(offset) / 60))}${p(Math.abs(offset) % 60)}`;
  return utc(`${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${zone}`);
}
const validity = (notBefore: Buffer, notAfter: Buffer) => (f: TbsFields): TbsFields => f.map((x, i) => (i === VALIDITY ? tlv(0x30, notBefore, notAfter) : x));
const aLongTimeAgo = utc('200101000000Z');
const farAhead = generalized('20991231235959Z');
/** The TBS fields with the extension of this OID replaced (or added). */
const replaceExtension = (oid: string, ext: Buffer) => (f: TbsFields): TbsFields => withExtensions(f, [...extensionsOf(f).filter((e) => extensionOid(e) !== oid), ext]);

/** The subject field (after [0] version, serial, signature, issuer, validity) replaced. */
const SUBJECT = 5;
const subject = (name: Buffer) => (f: TbsFields): TbsFields => f.map((x, i) => (i === SUBJECT ? name : x));
/** UniversalString's UCS-4, big-endian. */
const ucs4 = (text: string): Buffer => Buffer.concat([...text].map((ch) => { const b = Buffer.alloc(4); b.writeUInt32BE(ch.codePointAt(0)!); return b; }));
/** A Name with one O of this string type and CN jane. */
const orgName = (tag: number, value: Buffer): Buffer =>
  tlv(0x30, tlv(0x31, tlv(0x30, tlv(0x06, Buffer.from('55040a', 'hex')), tlv(tag, value))), tlv(0x31, tlv(0x30, tlv(0x06, Buffer.from('550403', 'hex')), tlv(0x0c, Buffer.from('jane')))));

const cases: { name: string; chain: () => X509Certificate[]; want: 'jane' | string | RegExp; groups?: string[]; openSsl35Refuses?: true }[] = [
  {
    name: 'parseTime: a UTCTime without its Z is malformed (OpenSSL prints "Bad time value", which Date.parse read as NaN: never expired)',
    chain: () => [resign(leaf.cert, ca.key, validity(aLongTimeAgo, utc('991231235959')))],
    want: 'tls: failed to parse client certificate: x509: malformed UTCTime',
    openSsl35Refuses: true,
  },
  {
    name: 'parseTime: a notAfter in the year 49 is long past (node prints "49", which Date.parse read as 2049)',
    chain: () => [resign(leaf.cert, ca.key, validity(aLongTimeAgo, generalized('00490101000000Z')))],
    want: /x509: certificate has expired or is not yet valid: current time \S+ is after 0049-01-01T00:00:00Z$/,
  },
  {
    name: 'ReadASN1GeneralizedTime: fractional seconds do not format back, so they are malformed',
    chain: () => [resign(leaf.cert, ca.key, validity(generalized('20200101000000.5Z'), farAhead))],
    want: 'tls: failed to parse client certificate: x509: malformed GeneralizedTime',
  },
  {
    name: 'ReadASN1GeneralizedTime: no minute-precision fallback (UTCTime has one)',
    chain: () => [resign(leaf.cert, ca.key, validity(aLongTimeAgo, generalized('209912312359Z')))],
    want: 'tls: failed to parse client certificate: x509: malformed GeneralizedTime',
    openSsl35Refuses: true,
  },
  {
    name: 'ReadASN1UTCTime: the minute-precision form is read',
    chain: () => [resign(leaf.cert, ca.key, validity(utc('2001010000Z'), utc('4912312359Z')))],
    want: 'jane',
    openSsl35Refuses: true,
  },
  {
    name: 'ReadASN1UTCTime: +0000 does not format back (Go writes Z)',
    chain: () => [resign(leaf.cert, ca.key, validity(utc('200101000000+0000'), farAhead))],
    want: 'tls: failed to parse client certificate: x509: malformed UTCTime',
  },
  {
    name: 'ReadASN1UTCTime: a zone offset counts, and Go prints the bound in that zone',
    chain: () => [resign(leaf.cert, ca.key, validity(aLongTimeAgo, utcAt(Math.floor(Date.now() / 1000) * 1000 - 30 * MINUTE, 60)))],
    want: /is after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00$/,
  },
  {
    name: 'parseCertificate: a v1 certificate\'s extensions are never read, so a v1 intermediate with cA is not authorized to sign',
    chain: () => [leafOfIntermediate.cert, resign(intermediate.cert, ca.key, (f) => f.slice(1))],
    want: 'x509: certificate is not authorized to sign other certificates',
  },
  {
    name: 'parseCertificate: a v1 leaf\'s unknown critical extension is never read, so it is accepted',
    chain: () => [resign(leaf.cert, ca.key, (f) => withExtensions(f.slice(1), [extension('2b0601040186 8d1f01'.replace(' ', ''), 0xff, Buffer.from('0500', 'hex'))]))],
    want: 'jane',
  },
  {
    name: 'parseExtension: a critical flag of 0x01 (BER true) is malformed',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension(BASIC_CONSTRAINTS, extension(BASIC_CONSTRAINTS, 0x01, Buffer.from('3000', 'hex'))))],
    want: 'tls: failed to parse client certificate: x509: malformed extension critical field',
  },
  {
    name: 'parseBasicConstraintsExtension: cA as 0x01 is invalid',
    chain: () => [leafOfIntermediate.cert, resign(intermediate.cert, ca.key, replaceExtension(BASIC_CONSTRAINTS, extension(BASIC_CONSTRAINTS, 0xff, Buffer.from('3003010101', 'hex'))))],
    want: 'tls: failed to parse client certificate: x509: invalid basic constraints',
  },
  {
    name: 'parseBasicConstraintsExtension: a long-form length under 128 is not DER',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension(BASIC_CONSTRAINTS, extension(BASIC_CONSTRAINTS, 0xff, Buffer.from('308100', 'hex'))))],
    want: 'tls: failed to parse client certificate: x509: invalid basic constraints',
  },
  {
    name: 'parseBasicConstraintsExtension: a pathLenConstraint with a leading zero octet is not minimal',
    chain: () => [leafOfIntermediate.cert, resign(intermediate.cert, ca.key, replaceExtension(BASIC_CONSTRAINTS, extension(BASIC_CONSTRAINTS, 0xff, Buffer.from('30070101ff02020000', 'hex'))))],
    want: 'tls: failed to parse client certificate: x509: invalid basic constraints',
  },
  {
    name: 'parseBasicConstraintsExtension: a negative pathLenConstraint constrains nothing (MaxPathLen < 0)',
    chain: () => {
      const top = resign(intermediate.cert, ca.key, replaceExtension(BASIC_CONSTRAINTS, extension(BASIC_CONSTRAINTS, 0xff, Buffer.from('30060101ff0201ff', 'hex'))));
      return [leafOfSubSub.cert, subSub.cert, sub.cert, top];
    },
    want: 'jane',
  },
  {
    name: 'parseKeyUsageExtension: keyCertSign set in the padding bits is invalid, not a usage',
    chain: () => [leafOfIntermediate.cert, resign(intermediate.cert, ca.key, replaceExtension(KEY_USAGE, extension(KEY_USAGE, 0xff, Buffer.from('03020784', 'hex'))))],
    want: 'tls: failed to parse client certificate: x509: invalid key usage',
  },
  {
    name: 'parseExtKeyUsageExtension: clientAuth in an OCTET STRING is not an OID',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension(EXT_KEY_USAGE, extension(EXT_KEY_USAGE, undefined, tlv(0x30, tlv(0x04, Buffer.from(CLIENT_AUTH_OID, 'hex'))))))],
    want: 'tls: failed to parse client certificate: x509: invalid extended key usages',
  },
  {
    name: 'ReadASN1ObjectIdentifier: clientAuth with a non-minimal last arc (0x80 0x02) is invalid',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension(EXT_KEY_USAGE, extension(EXT_KEY_USAGE, undefined, tlv(0x30, tlv(0x06, Buffer.from('2b0601050507038002', 'hex'))))))],
    want: 'tls: failed to parse client certificate: x509: invalid extended key usages',
  },
  {
    name: 'parseSANExtension: a dNSName that is not IA5 (ASCII) is malformed',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension(SAN, extension(SAN, undefined, tlv(0x30, tlv(0x82, Buffer.from('é.example', 'utf8'))))))],
    want: 'tls: failed to parse client certificate: x509: SAN dNSName is malformed',
  },
  {
    name: 'parseSANExtension: an iPAddress of 5 octets cannot be parsed',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension(SAN, extension(SAN, undefined, tlv(0x30, tlv(0x87, Buffer.from([10, 0, 0, 1, 0]))))))],
    want: 'tls: failed to parse client certificate: x509: cannot parse IP address of length 5',
  },
  {
    name: 'processExtensions: a critical SAN whose only name is a constructed [2] (not a dNSName to Go) is unhandled',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension(SAN, extension(SAN, 0xff, tlv(0x30, tlv(0xa2, tlv(0x16, Buffer.from('a.example')))))))],
    want: 'x509: unhandled critical extension',
  },
  {
    name: 'parseName: an O in a UniversalString (OpenSSL converts it) is a string type Go does not take',
    chain: () => [resign(leaf.cert, ca.key, subject(orgName(0x1c, ucs4('system:masters'))))],
    want: 'tls: failed to parse client certificate: x509: invalid RDNSequence: invalid attribute value: unsupported string type: 28',
  },
  {
    name: 'parseASN1String: a PrintableString with "@" is invalid',
    chain: () => [resign(leaf.cert, ca.key, subject(orgName(0x13, Buffer.from('dev@example'))))],
    want: 'tls: failed to parse client certificate: x509: invalid RDNSequence: invalid attribute value: invalid PrintableString',
  },
  {
    name: 'parseASN1String: a BMPString\'s terminating NUL is stripped, so O is system:masters exactly',
    chain: () => [resign(leaf.cert, ca.key, subject(orgName(0x1e, Buffer.concat([Buffer.from('system:masters', 'utf16le').swap16(), Buffer.from([0, 0])]))))],
    want: 'jane',
    groups: ['system:masters'],
  },
  {
    name: 'parseCertificatePoliciesExtension: a policy named twice is invalid',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension('551d20', extension('551d20', undefined, tlv(0x30, tlv(0x30, tlv(0x06, Buffer.from('2a0304', 'hex'))), tlv(0x30, tlv(0x06, Buffer.from('2a0304', 'hex')))))))],
    want: 'tls: failed to parse client certificate: x509: invalid certificate policies',
  },
  {
    name: 'processExtensions: an inhibitAnyPolicy INTEGER with a leading zero octet is invalid',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension('551d36', extension('551d36', undefined, Buffer.from('02020001', 'hex'))))],
    want: 'tls: failed to parse client certificate: x509: invalid inhibit any policy',
  },
  {
    name: 'processExtensions: an authority info access whose method is not an OID is invalid',
    chain: () => [resign(leaf.cert, ca.key, replaceExtension('2b06010505070101', extension('2b06010505070101', undefined, tlv(0x30, tlv(0x30, tlv(0x04, Buffer.from('2b06010505073001', 'hex')), tlv(0x86, Buffer.from('http://ocsp.example')))))))],
    want: 'tls: failed to parse client certificate: x509: invalid authority info access',
  },
  {
    name: 'the re-signing itself changes nothing Go looks at',
    chain: () => [resign(leaf.cert, ca.key, (f) => f)],
    want: 'jane',
  },
];


const [opensslMajor = 0, opensslMinor = 0] = process.versions.openssl.split('.').map(Number);
const openSsl35 = opensslMajor > 3 || (opensslMajor === 3 && opensslMinor >= 5);

for (const c of cases) {
  test(`x509 DER as Go reads it: ${c.name}`, async () => {
    let chain: X509Certificate[];
    try {
      chain = c.chain();
    } catch (err) {
      // OpenSSL 3.5 (node 24) refuses these times when it parses the DER, so node cannot hold such a certificate:
      // a client presenting one fails the TLS handshake instead of getting what kube answers.
      if (c.openSsl35Refuses === true && openSsl35) {
        assert.match(String(err), /ERR_OSSL|routines/);
        return;
      }
      throw err;
    }
    const result = await x509Authenticator({ roots: () => [ca.cert] }).authenticate({ headers: {}, peerCertificates: chain });
    if (c.want === 'jane') {
      assert.equal(result?.ok, true, JSON.stringify(result));
      if (c.groups !== undefined && result?.ok) assert.deepEqual(result.user.groups, c.groups);
      return;
    }
    assert.equal(result?.ok, false, `must be refused, got ${JSON.stringify(result)}`);
    if (result === null || result.ok) return;
    if (typeof c.want === 'string') assert.ok(result.reason.endsWith(` failed: ${c.want}`), result.reason);
    else assert.match(result.reason, c.want);
  });
}
