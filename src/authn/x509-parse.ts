// What Go's crypto/x509 ParseCertificate reads from a certificate and its Verify then uses, read here from
// the DER node:crypto hands over. Source: Go's src/crypto/x509/parser.go (parseCertificate, processExtensions,
// parseBasicConstraintsExtension, parseKeyUsageExtension, parseNameConstraintsExtension) and x509.go
// (signatureAlgorithmDetails, getSignatureAlgorithmFromAI).
import type { KeyObject, X509Certificate } from 'node:crypto';
import { goQuote } from '../apimachinery/validation.js';
import { DerError, TAG, children, contextTag, derBitString, derBoolean, derInt64, oidString, parseDer, readDer, smallInteger, type Der } from './der.js';
import { certTime, TimeError, type CertTime } from './x509-time.js';
import { NameError, parseName } from './x509-name.js';

/** Go's crypto.Hash names for the digests a certificate signature may use. */
export type HashName = 'MD5' | 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512';

/** Go's PublicKeyAlgorithm, as far as verification tells them apart. */
export type PublicKeyAlgorithm = 'RSA' | 'DSA' | 'ECDSA' | 'Ed25519' | 'unknown';

/** A row of Go's signatureAlgorithmDetails; an algorithm Go does not know has no row. */
export interface SignatureAlgorithm {
  /** SignatureAlgorithm.String(), as InsecureAlgorithmError prints it. */
  name: string;
  publicKey: PublicKeyAlgorithm;
  /** null for Ed25519, which signs the message itself. */
  hash: HashName | null;
}

/** The fields of Go's x509.Certificate that chain building and its checks read. */
export interface ParsedCertificate {
  cert: X509Certificate;
  version: number;
  serial: bigint;
  rawSubject: Buffer;
  rawIssuer: Buffer;
  /** The subject's CN (the last) and O values as Go's pkix.Name holds them. */
  commonName: string;
  organizations: string[];
  /** The subject's user UID values (OID 1.3.6.1.4.1.57683.2), as many as it carries. */
  uids: string[];
  rawSubjectPublicKeyInfo: Buffer;
  /** The validity bounds as Go parsed them (not node's validFrom and validTo strings). */
  notBefore: CertTime;
  notAfter: CertTime;
  signatureAlgorithm: SignatureAlgorithm | undefined;
  publicKeyAlgorithm: PublicKeyAlgorithm;
  /** The subject's key, undefined when Go would not know its algorithm (Go then leaves PublicKey nil). */
  publicKey: KeyObject | undefined;
  /** The RSA modulus size, for crypto/rsa's minimum. */
  rsaBits: number | undefined;
  basicConstraintsValid: boolean;
  isCA: boolean;
  /** -1 when basicConstraints carries no pathLenConstraint. */
  maxPathLen: number;
  /** Go's KeyUsage bit set (digitalSignature = 1, ..., certSign = 1 << 5); 0 when absent. */
  keyUsage: number;
  /** Extended key usage OIDs, known or not. */
  extKeyUsage: string[];
  subjectKeyId: Buffer;
  authorityKeyId: Buffer;
  /** The subjectAltName extension's value, compared byte for byte by alreadyInChain. */
  subjectAltName: Buffer | undefined;
  /** Whether the SAN names something name constraints apply to (a DNS name, email address, IP address or URI). */
  hasConstrainableNames: boolean;
  /** Whether the certificate carries a nameConstraints extension. */
  hasNameConstraints: boolean;
  /** Whether it carries policyMappings or policyConstraints: the extensions by which Go's policiesValid can refuse a chain. */
  hasPolicyConstraints: boolean;
  unhandledCriticalExtensions: string[];
}

/** Go's x509.KeyUsageCertSign. */
export const KEY_USAGE_CERT_SIGN = 1 << 5;

const RSA_PSS = '1.2.840.113549.1.1.10';
const ED25519 = '1.3.101.112';
const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', publicKey: 'RSA', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', publicKey: 'RSA', hash: 'SHA1' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', publicKey: 'RSA', hash: 'SHA1' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', publicKey: 'RSA', hash: 'SHA256' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', publicKey: 'RSA', hash: 'SHA384' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', publicKey: 'RSA', hash: 'SHA512' },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', publicKey: 'DSA', hash: 'SHA1' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', publicKey: 'DSA', hash: 'SHA256' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', publicKey: 'ECDSA', hash: 'SHA1' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', publicKey: 'ECDSA', hash: 'SHA256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', publicKey: 'ECDSA', hash: 'SHA384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', publicKey: 'ECDSA', hash: 'SHA512' },
  [ED25519]: { name: 'Ed25519', publicKey: 'Ed25519', hash: null },
};

/** RSA-PSS is only known with MGF1 over the same hash, a salt as long as the hash and the default trailer. */
const PSS_HASHES: Readonly<Record<string, { hash: HashName; salt: number }>> = {
  '2.16.840.1.101.3.4.2.1': { hash: 'SHA256', salt: 32 },
  '2.16.840.1.101.3.4.2.2': { hash: 'SHA384', salt: 48 },
  '2.16.840.1.101.3.4.2.3': { hash: 'SHA512', salt: 64 },
};
const MGF1 = '1.2.840.113549.1.1.8';

/** Go's PublicKeyAlgorithm for node's key type; RSA-PSS, X25519 and Ed448 keys are unknown to Go. */
const PUBLIC_KEY_ALGORITHMS: Readonly<Record<string, PublicKeyAlgorithm>> = { rsa: 'RSA', dsa: 'DSA', ec: 'ECDSA', ed25519: 'Ed25519' };
/** The curves Go's parser accepts for ECDSA keys (parsePublicKey: P-224, P-256, P-384, P-521). */
const GO_CURVES = new Set(['secp224r1', 'prime256v1', 'secp384r1', 'secp521r1']);

/** The subject's key as Go would read it, or a parse error; node throws for key types OpenSSL cannot load. */
function subjectKey(cert: X509Certificate): { publicKeyAlgorithm: PublicKeyAlgorithm; publicKey: KeyObject | undefined; rsaBits: number | undefined } {
  let key: KeyObject;
  try {
    key = cert.publicKey;
  } catch {
    return { publicKeyAlgorithm: 'unknown', publicKey: undefined, rsaBits: undefined };
  }
  const algorithm = PUBLIC_KEY_ALGORITHMS[key.asymmetricKeyType ?? ''] ?? 'unknown';
  if (algorithm === 'ECDSA' && !GO_CURVES.has(key.asymmetricKeyDetails?.namedCurve ?? '')) throw new ParseError('x509: unsupported elliptic curve');
  return {
    publicKeyAlgorithm: algorithm,
    publicKey: algorithm === 'unknown' ? undefined : key,
    rsaBits: algorithm === 'RSA' ? key.asymmetricKeyDetails?.modulusLength : undefined,
  };
}

/** An AlgorithmIdentifier's OID and its parameters (undefined when absent). */
function algorithm(ai: Der): { oid: string; params: Der | undefined } {
  const [oid, params] = children(ai);
  if (oid?.tag !== TAG.OID) throw new DerError('malformed algorithm identifier');
  return { oid: oidString(oid.content), params };
}

/** A hash AlgorithmIdentifier inside PSS parameters: its parameters must be absent or NULL. */
function pssHash(ai: Der): string | undefined {
  const { oid, params } = algorithm(ai);
  return params === undefined || (params.tag === 0x05 && params.content.length === 0) ? oid : undefined;
}

function signatureAlgorithm(ai: Der): SignatureAlgorithm | undefined {
  const { oid, params } = algorithm(ai);
  if (oid === ED25519 && params !== undefined) return undefined;
  if (oid !== RSA_PSS) return SIGNATURE_ALGORITHMS[oid];
  try {
    if (params?.tag !== TAG.SEQUENCE) return undefined;
    let hash: string | undefined;
    let mgfHash: string | undefined;
    let salt = 20;
    let trailer = 1;
    for (const field of children(params)) {
      const inner = readDer(field.content);
      if (field.tag === contextTag(0, true)) hash = pssHash(inner);
      else if (field.tag === contextTag(1, true)) {
        const mgf = algorithm(inner);
        if (mgf.oid === MGF1 && mgf.params !== undefined) mgfHash = pssHash(mgf.params);
      } else if (field.tag === contextTag(2, true)) salt = smallInteger(inner.content);
      else if (field.tag === contextTag(3, true)) trailer = smallInteger(inner.content);
    }
    const known = hash === undefined ? undefined : PSS_HASHES[hash];
    if (known === undefined || mgfHash !== hash || salt !== known.salt || trailer !== 1) return undefined;
    return { name: `${known.hash}-RSAPSS`, publicKey: 'RSA', hash: known.hash };
  } catch {
    return undefined;
  }
}

/** An extension value's element: Go's cryptobyte ReadASN1 reads the first one and ignores what follows. */
function leading(value: Buffer, tag: number): Der {
  const der = readDer(value);
  if (der.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, got 0x${der.tag.toString(16)}`);
  return der;
}

/** Runs a DER read of an extension, turning its failure into Go's error for that extension. */
function strictly<T>(message: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof DerError) throw new ParseError(message);
    throw err;
  }
}

/**
 * parseBasicConstraintsExtension: cA defaults to false, a missing pathLenConstraint is -1, and a negative one
 * (an int, as Go reads it) constrains nothing. Whatever follows the two fields is ignored.
 */
function basicConstraints(value: Buffer): { isCA: boolean; maxPathLen: number } {
  return strictly('x509: invalid basic constraints', () => {
    const fields = children(leading(value, TAG.SEQUENCE));
    let i = 0;
    let isCA = false;
    if (fields[i]?.tag === TAG.BOOLEAN) isCA = derBoolean(fields[i++]!);
    let maxPathLen = -1;
    if (fields[i]?.tag === TAG.INTEGER) maxPathLen = derInt64(fields[i]!);
    return { isCA, maxPathLen };
  });
}

/** parseKeyUsageExtension: bit i of the BIT STRING (most significant first) is Go's 1 << i; padding bits must be zero. */
function keyUsage(value: Buffer): number {
  const { bytes, bitLength } = strictly('x509: invalid key usage', () => derBitString(leading(value, TAG.BIT_STRING)));
  let usage = 0;
  for (let i = 0; i < 9 && i < bitLength; i++) if (bytes[i >> 3]! & (0x80 >> (i & 7))) usage |= 1 << i;
  return usage;
}

/** parseExtKeyUsageExtension: every element an OBJECT IDENTIFIER. */
function extKeyUsage(value: Buffer): string[] {
  return strictly('x509: invalid extended key usages', () =>
    children(leading(value, TAG.SEQUENCE)).map((oid) => {
      if (oid.tag !== TAG.OID) throw new DerError('not an OID');
      return oidString(oid.content);
    }),
  );
}

/** parseExtension: extnID, an optional critical BOOLEAN, extnValue; anything after the value is ignored. */
function extensionFields(extension: Der): { id: string; critical: boolean; value: Buffer } {
  const parts = children(extension);
  let i = 0;
  const id = strictly('x509: malformed extension OID field', () => {
    if (parts[i]?.tag !== TAG.OID) throw new DerError('missing OID');
    return oidString(parts[i++]!.content);
  });
  let critical = false;
  if (parts[i]?.tag === TAG.BOOLEAN) critical = strictly('x509: malformed extension critical field', () => derBoolean(parts[i++]!));
  if (parts[i]?.tag !== TAG.OCTET_STRING) throw new ParseError('x509: malformed extension value field');
  return { id, critical, value: parts[i]!.content };
}

/** GeneralName tags Go reads from SANs and name constraints: rfc822Name, dNSName, URI, iPAddress. */
const HANDLED_NAME_TAGS = new Set([1, 2, 6, 7]);

/** Primitive context-specific GeneralName tags: rfc822Name [1], dNSName [2], URI [6], iPAddress [7]. */
const SAN_EMAIL = 0x81;
const SAN_DNS = 0x82;
const SAN_URI = 0x86;
const SAN_IP = 0x87;
const isIA5 = (data: Buffer): boolean => data.every((b) => b < 0x80);

/**
 * parseSANExtension (forEachSAN): whether Go read any name from the SAN (if none, a critical SAN is unhandled),
 * with Go's errors for names it refuses. Only the primitive tags count: Go compares the whole identifier octet
 * (tag ^ 0x80), so a constructed [2] is not a dNSName. URIs are not parsed further (Go's url.Parse is not ported).
 */
function sanNames(value: Buffer): boolean {
  const names = strictly('x509: invalid subject alternative names', () => leading(value, TAG.SEQUENCE));
  const list = strictly('x509: invalid subject alternative name', () => children(names));
  let any = false;
  for (const name of list) {
    switch (name.tag) {
      case SAN_EMAIL:
        if (!isIA5(name.content)) throw new ParseError('x509: SAN rfc822Name is malformed');
        any = true;
        break;
      case SAN_DNS:
        if (!isIA5(name.content)) throw new ParseError('x509: SAN dNSName is malformed');
        any = true;
        break;
      case SAN_URI:
        if (!isIA5(name.content)) throw new ParseError('x509: SAN uniformResourceIdentifier is malformed');
        any = true;
        break;
      case SAN_IP:
        if (name.content.length !== 4 && name.content.length !== 16) throw new ParseError(`x509: cannot parse IP address of length ${name.content.length}`);
        any = true;
        break;
    }
  }
  return any;
}

/** parseNameConstraintsExtension (which, unlike the others, refuses trailing data): a constraint on a name type Go does not check is unhandled. */
function nameConstraintsHandled(value: Buffer): boolean {
  for (const subtrees of children(parseDer(value, TAG.SEQUENCE))) {
    for (const subtree of children(subtrees)) {
      const [base] = children(subtree);
      if (base === undefined || !HANDLED_NAME_TAGS.has(base.tag & 0x1f)) return false;
    }
  }
  return true;
}

/** parseCertificatePoliciesExtension: a SEQUENCE of PolicyInformation, each policy OID well formed (any size) and named once. */
function certificatePolicies(value: Buffer): void {
  strictly('x509: invalid certificate policies', () => {
    const seen = new Set<string>();
    for (const info of children(leading(value, TAG.SEQUENCE))) {
      if (info.tag !== TAG.SEQUENCE) throw new DerError('not a PolicyInformation');
      const [oid] = children(info);
      const c = oid?.content;
      // newOIDFromDER: base-128 arcs of any size, none starting 0x80, the last one ended.
      if (oid?.tag !== TAG.OID || c!.length === 0 || c![c!.length - 1]! & 0x80 || c!.some((b, i) => b === 0x80 && (i === 0 || !(c![i - 1]! & 0x80)))) throw new DerError('bad policy OID');
      const key = c!.toString('hex');
      if (seen.has(key)) throw new DerError('repeated policy');
      seen.add(key);
    }
  });
}

/** processExtensions' authority info access: AccessDescriptions, each an OID and, when [6], a readable URI. */
function authorityInfoAccess(value: Buffer): void {
  strictly('x509: invalid authority info access', () => {
    for (const description of children(leading(value, TAG.SEQUENCE))) {
      if (description.tag !== TAG.SEQUENCE) throw new DerError('not an AccessDescription');
      const [method] = children(description);
      if (method?.tag !== TAG.OID) throw new DerError('no access method');
      oidString(method.content);
    }
  });
}

/** Extensions parser.go processExtensions understands (2.5.29.x); every other critical one is unhandled. */
const HANDLED_CE = new Set(['15', '19', '17', '30', '31', '35', '36', '37', '14', '32', '33', '54']);
const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';

/**
 * Reads what Go's verifier needs; returns Go's parse error (which in Go fails the TLS handshake) for the
 * malformed shapes Go refuses that OpenSSL lets through.
 */
export function parseCertificate(cert: X509Certificate): ParsedCertificate | string {
  let parsed = parsedCache.get(cert);
  if (parsed === undefined) {
    try {
      parsed = parse(cert);
    } catch (err) {
      if (err instanceof ParseError || err instanceof TimeError || err instanceof NameError) parsed = err.message;
      else if (err instanceof DerError) parsed = 'x509: malformed certificate';
      else throw err;
    }
    parsedCache.set(cert, parsed);
  }
  return parsed;
}

/** Roots are parsed once, and a connection's certificates once for all its requests. */
const parsedCache = new WeakMap<X509Certificate, ParsedCertificate | string>();

class ParseError extends Error {}

function parse(cert: X509Certificate): ParsedCertificate {
  const [tbs, outerAlgorithm] = children(parseDer(cert.raw, TAG.SEQUENCE));
  if (tbs?.tag !== TAG.SEQUENCE || outerAlgorithm?.tag !== TAG.SEQUENCE) throw new DerError('malformed certificate');
  const fields = children(tbs);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === contextTag(0, true)) {
    version = strictly('x509: malformed version', () => derInt64(parseDer(fields[i++]!.content, TAG.INTEGER))) + 1;
    if (version < 1) throw new ParseError('x509: malformed version');
  }
  if (version > 3) throw new ParseError('x509: invalid version');
  const serialField = fields[i++];
  if (serialField?.tag !== TAG.INTEGER) throw new DerError('malformed serial number');
  if (serialField.content[0]! & 0x80) throw new ParseError('x509: negative serial number');
  const innerAlgorithm = fields[i++]!;
  if (!innerAlgorithm.raw.equals(outerAlgorithm.raw)) throw new ParseError("x509: inner and outer signature algorithm identifiers don't match");
  const issuer = fields[i++];
  const validity = fields[i++];
  if (validity?.tag !== TAG.SEQUENCE) throw new ParseError('x509: malformed validity');
  const [notBefore, notAfter] = children(validity);
  const times = { notBefore: certTime(notBefore), notAfter: certTime(notAfter) };
  const subject = fields[i++];
  const spki = fields[i++];
  if (issuer?.tag !== TAG.SEQUENCE || subject?.tag !== TAG.SEQUENCE || spki?.tag !== TAG.SEQUENCE) throw new DerError('malformed tbs certificate');
  parseName(issuer);
  const { commonName, organizations, uids } = parseName(subject);

  const parsed: ParsedCertificate = {
    cert,
    version,
    serial: BigInt(`0x${serialField.content.toString('hex') || '0'}`),
    rawSubject: subject.raw,
    rawIssuer: issuer.raw,
    commonName,
    organizations,
    uids,
    rawSubjectPublicKeyInfo: spki.raw,
    ...times,
    signatureAlgorithm: signatureAlgorithm(outerAlgorithm),
    ...subjectKey(cert),
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: -1,
    keyUsage: 0,
    extKeyUsage: [],
    subjectKeyId: Buffer.alloc(0),
    authorityKeyId: Buffer.alloc(0),
    subjectAltName: undefined,
    hasConstrainableNames: false,
    hasNameConstraints: false,
    hasPolicyConstraints: false,
    unhandledCriticalExtensions: [],
  };

  // Only a v3 certificate's extensions are read (after the v2 unique IDs, [1] and [2]): Go ignores any in v1 and v2.
  let extensions: Der | undefined;
  if (version > 1) {
    if (fields[i]?.tag === contextTag(1, false)) i++;
    if (fields[i]?.tag === contextTag(2, false)) i++;
    if (version === 3 && fields[i]?.tag === contextTag(3, true)) extensions = fields[i];
  }
  const seen = new Set<string>();
  const extensionList = extensions === undefined ? undefined : readDer(extensions.content);
  if (extensionList !== undefined && extensionList.tag !== TAG.SEQUENCE) throw new ParseError('x509: malformed extensions');
  for (const extension of extensionList === undefined ? [] : children(extensionList)) {
    if (extension.tag !== TAG.SEQUENCE) throw new ParseError('x509: malformed extension');
    const { id, critical, value } = extensionFields(extension);
    if (seen.has(id)) throw new ParseError(`x509: certificate contains duplicate extension with OID ${goQuote(id)}`);
    seen.add(id);
    let handled = true;
    const ce = id.startsWith('2.5.29.') ? id.slice('2.5.29.'.length) : undefined;
    if (ce !== undefined && HANDLED_CE.has(ce)) {
      switch (ce) {
        case '15':
          parsed.keyUsage = keyUsage(value);
          break;
        case '19':
          Object.assign(parsed, basicConstraints(value), { basicConstraintsValid: true });
          break;
        case '17':
          parsed.subjectAltName = value;
          handled = parsed.hasConstrainableNames = sanNames(value);
          break;
        case '30':
          handled = nameConstraintsHandled(value);
          parsed.hasNameConstraints = true;
          break;
        case '33':
        case '36':
          parsed.hasPolicyConstraints = true;
          break;
        case '32':
          certificatePolicies(value);
          break;
        case '54':
          strictly('x509: invalid inhibit any policy', () => derInt64(leading(value, TAG.INTEGER)));
          break;
        case '35': {
          if (critical) throw new ParseError('x509: authority key identifier incorrectly marked critical');
          const keyId = children(leading(value, TAG.SEQUENCE)).find((f) => f.tag === contextTag(0, false));
          if (keyId !== undefined) parsed.authorityKeyId = keyId.content;
          break;
        }
        case '37':
          parsed.extKeyUsage = extKeyUsage(value);
          break;
        case '14':
          if (critical) throw new ParseError('x509: subject key identifier incorrectly marked critical');
          parsed.subjectKeyId = leading(value, TAG.OCTET_STRING).content;
          break;
      }
    } else if (id === AUTHORITY_INFO_ACCESS) {
      if (critical) throw new ParseError('x509: authority info access incorrectly marked critical');
      authorityInfoAccess(value);
    } else {
      handled = false;
    }
    if (critical && !handled) parsed.unhandledCriticalExtensions.push(id);
  }
  return parsed;
}
