// PKCS#10 certificate signing requests (RFC 2986), which node:crypto cannot parse: read with the project's DER reader.
// The request's signature is checked with its own key (it proves the requester holds the private key), and the
// identity is what kube's kubernetes.io/kube-apiserver-client signer would certify: the subject as it stands
// (pkg/controller/certificates/authority/authority.go: the certificate's Subject is the request's), CN the user and O the groups.
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { X509_UID_OID } from '../apimachinery/asn1-oid.js';
import { children, contextTag, derBitString, oidString, parseDer, TAG, type Der } from '../authn/der.js';
import { keyAlgorithm, publicKeySha256 } from './keys.js';
import type { CsrItem } from './types.js';

/** Attribute types by the short names Go's pkix.Name.String() and openssl print. */
const NAME_TYPES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.9': 'STREET', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER', '2.5.4.17': 'POSTALCODE', '1.2.840.113549.1.9.1': 'emailAddress', [X509_UID_OID]: 'UID',
};

/** Signature algorithms a CSR may carry, with node's digest name (null for Ed25519). */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, { name: string; hash: string | null }>> = {
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', hash: 'sha512' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', hash: 'sha512' },
  '1.3.101.112': { name: 'Ed25519', hash: null },
};

const EKU_NAMES: Readonly<Record<string, string>> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '2.5.29.37.0': 'any' };
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const SAN = '2.5.29.17';
const EXT_KEY_USAGE = '2.5.29.37';

/** A string attribute value as text (the six string types certificates use, read leniently: this is for display). */
function stringValue(value: Der): string {
  if (value.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < value.content.length; i += 2) s += String.fromCharCode((value.content[i]! << 8) | value.content[i + 1]!);
    return s;
  }
  return value.tag === 0x0c ? value.content.toString('utf8') : value.content.toString('latin1');
}

/** A Name as Go's pkix.Name.String() orders it (last RDN first), with its CN, O values and UIDs. */
export function readName(name: Der): { text: string; commonName: string; organizations: string[]; uids: string[] } {
  const parts: string[] = [];
  let commonName = '';
  const organizations: string[] = [];
  const uids: string[] = [];
  for (const set of children(name)) {
    const rdn: string[] = [];
    for (const atv of children(set)) {
      const [type, value] = children(atv);
      if (type === undefined || value === undefined) continue;
      const oid = oidString(type.content);
      const text = stringValue(value);
      if (oid === '2.5.4.3') commonName = text;
      if (oid === '2.5.4.10') organizations.push(text);
      if (oid === X509_UID_OID) uids.push(text);
      rdn.push(`${NAME_TYPES[oid] ?? oid}=${text}`);
    }
    parts.push(rdn.join('+'));
  }
  return { text: parts.reverse().join(','), commonName, organizations, uids };
}

/** GeneralNames as "DNS:name", "IP Address:1.2.3.4", "email:...", "URI:..." (node's spelling for certificates). */
function generalNames(value: Buffer): string[] {
  return children(parseDer(value, TAG.SEQUENCE)).flatMap((name) => {
    if (name.tag === 0x82) return [`DNS:${name.content.toString('latin1')}`];
    if (name.tag === 0x81) return [`email:${name.content.toString('latin1')}`];
    if (name.tag === 0x86) return [`URI:${name.content.toString('latin1')}`];
    if (name.tag === 0x87) {
      const c = name.content;
      if (c.length === 4) return [`IP Address:${[...c].join('.')}`];
      if (c.length === 16) return [`IP Address:${(c.toString('hex').match(/.{4}/g) ?? []).map((g) => g.replace(/^0+(?=.)/, '')).join(':').toUpperCase()}`];
    }
    return [];
  });
}

/** Reads a DER CertificationRequest; throws (a DerError or Error) when the bytes are not one. */
export function csrFromDer(position: number, der: Buffer): CsrItem {
  const [info, sigAlg, sig] = children(parseDer(der, TAG.SEQUENCE));
  if (info?.tag !== TAG.SEQUENCE || sigAlg?.tag !== TAG.SEQUENCE || sig?.tag !== TAG.BIT_STRING) throw new Error('not a certificate signing request');
  const [version, subject, spki, attributes] = children(info);
  if (version?.tag !== TAG.INTEGER || subject?.tag !== TAG.SEQUENCE || spki?.tag !== TAG.SEQUENCE) throw new Error('not a certificate signing request');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki.raw, format: 'der', type: 'spki' });
  } catch (err) {
    throw new Error(`a certificate signing request with an unreadable public key (${(err as Error).message})`);
  }
  const name = readName(subject);
  let subjectAltNames: string[] = [];
  let extKeyUsage: string[] = [];
  if (attributes !== undefined && attributes.tag === contextTag(0, true)) {
    for (const attribute of children(attributes)) {
      const [type, values] = children(attribute);
      if (type === undefined || oidString(type.content) !== EXTENSION_REQUEST || values === undefined) continue;
      for (const extensions of children(values)) {
        for (const extension of children(extensions)) {
          const parts = children(extension);
          const id = oidString(parts[0]!.content);
          const value = parts[parts.length - 1]!.content;
          if (id === SAN) subjectAltNames = generalNames(value);
          if (id === EXT_KEY_USAGE) extKeyUsage = children(parseDer(value, TAG.SEQUENCE)).map((o) => EKU_NAMES[oidString(o.content)] ?? oidString(o.content));
        }
      }
    }
  }
  const algorithmOid = oidString(children(sigAlg)[0]!.content);
  const algorithm = SIGNATURE_ALGORITHMS[algorithmOid];
  let signatureValid: boolean | undefined;
  if (algorithm !== undefined) {
    try {
      signatureValid = cryptoVerify(algorithm.hash, info.raw, key, derBitString(sig).bytes);
    } catch {
      signatureValid = false;
    }
  }
  const authenticator = 'x509 (a certificate signed for this request by the kubernetes.io/kube-apiserver-client signer)';
  // authority.go copies the request's Subject as a pkix.Name, and Go marshals a Name from its named fields
  // (pkix.go ToRDNSequence: C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER) and ExtraNames, which parsing
  // leaves empty: a UID attribute in the request does not reach the certificate, so the user has no uid.
  const kube: CsrItem['kube'] =
    name.commonName === ''
      ? { outcome: 'ignored', authenticator, reason: 'its subject has no CN: the certificate would not authenticate anyone' }
      : { outcome: 'user', authenticator, user: name.commonName, uid: '', groups: name.organizations, extra: {}, condition: `once a CertificateSigningRequest for it is approved and signed${name.uids.length > 0 ? ' (the UID attribute it asks for is dropped by kube\'s signer: Go copies only the named subject fields)' : ''}` };
  return {
    kind: 'csr',
    position,
    subject: name.text,
    commonName: name.commonName,
    organizations: name.organizations,
    subjectAltNames,
    extKeyUsage,
    publicKey: keyAlgorithm(key),
    publicKeySha256: publicKeySha256(key),
    signatureAlgorithm: algorithm?.name ?? algorithmOid,
    signatureValid,
    kube,
  };
}

