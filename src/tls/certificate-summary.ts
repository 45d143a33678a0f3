// One certificate in the words a person debugging a handshake needs: who it names, who signed it, what it may be
// used for, when it is valid and its fingerprint. Shared by the connection trace, `inspect`, `handshake` and the
// live view, so the same certificate reads the same everywhere.
import { createHash, type X509Certificate } from 'node:crypto';

/** A certificate's identifying facts, as strings ready to print or send as JSON. */
export interface CertificateSummary {
  /** The subject in RFC 2253 order, as Go's pkix.Name.String() prints it (CN first): "CN=jane,O=dev". */
  subject: string;
  issuer: string;
  /** The serial number in upper-case hex, colon-separated bytes as openssl and browsers show it. */
  serialNumber: string;
  /** RFC 3339 bounds. */
  notBefore: string;
  notAfter: string;
  /** The SHA-256 fingerprint of the DER, upper-case hex, colon-separated (what kube's X509SHA256 credential id holds, without colons and lower-cased). */
  sha256: string;
  /** DNS names, IP addresses, URIs and emails of the subjectAltName extension, as "DNS:name", "IP Address:1.2.3.4". */
  subjectAltNames: string[];
  isCA: boolean;
  /** Whether the subject and issuer are the same name (a root, or a self-signed leaf). */
  selfIssued: boolean;
  /** Extended key usages by name (serverAuth, clientAuth, ...) or OID; empty when the extension is absent. */
  extKeyUsage: string[];
  /** The public key: "RSA 2048", "EC prime256v1", "Ed25519". */
  publicKey: string;
}

const EXT_KEY_USAGE_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'any',
};

/** node's multi-line distinguished name ("O=dev\nCN=jane", in DER order) in Go's one-line RFC 2253 order. */
export function distinguishedName(nodeName: string): string {
  return nodeName
    .split('\n')
    .filter((part) => part !== '')
    .reverse()
    .join(',');
}

/** Colon-separated upper-case hex, as openssl prints serials and fingerprints. */
export function colonHex(hex: string): string {
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return (even.toUpperCase().match(/../g) ?? []).join(':');
}

/** The SHA-256 fingerprint of a certificate's DER as lower-case hex without separators (kube's X509SHA256 credential id). */
export function sha256Hex(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** Summarises a certificate; never throws for a certificate node could parse. */
export function summarizeCertificate(cert: X509Certificate): CertificateSummary {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'unknown';
  const publicKey = type === 'rsa' || type === 'rsa-pss' ? `RSA ${details.modulusLength ?? '?'}` : type === 'ec' ? `EC ${details.namedCurve ?? '?'}` : type === 'ed25519' ? 'Ed25519' : type;
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    serialNumber: colonHex(cert.serialNumber),
    notBefore: new Date(cert.validFrom).toISOString().replace('.000Z', 'Z'),
    notAfter: new Date(cert.validTo).toISOString().replace('.000Z', 'Z'),
    sha256: cert.fingerprint256,
    subjectAltNames: cert.subjectAltName === undefined ? [] : cert.subjectAltName.split(', '),
    isCA: cert.ca,
    selfIssued: cert.subject === cert.issuer,
    extKeyUsage: (cert.keyUsage ?? []).map((oid) => EXT_KEY_USAGE_NAMES[oid] ?? oid),
    publicKey,
  };
}
