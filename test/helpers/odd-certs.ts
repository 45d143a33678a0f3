// Certificates the built-in PKI deliberately never makes (path-length constraints, SHA-1 and MD5
// signatures, unknown critical extensions, tiny keys), for tests that hold the x509 authenticator to
// Go's crypto/x509. node-forge assembles the TBSCertificate; OpenSSL signs the digest forge computed.
import { X509Certificate, constants, generateKeyPairSync, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { keyPairFromPrivateKeyPem, serialFromBytes, takeKey, type IssuedCert, type KeyPair } from '../../src/pki/index.js';

/** Digests forge can put in a certificate's signatureAlgorithm, with the DigestInfo prefix PKCS#1 v1.5 signs. */
const DIGESTS = {
  sha256: { md: () => forge.md.sha256.create(), prefix: '3031300d060960864801650304020105000420' },
  sha1: { md: () => forge.md.sha1.create(), prefix: '3021300906052b0e03021a05000414' },
  md5: { md: () => forge.md.md5.create(), prefix: '3020300c06082a864886f70d020505000410' },
} as const;

/** What an odd certificate looks like; everything left out is what the built-in PKI would give. */
export interface OddCertOptions {
  /** The issuing CA, or 'self' for a self-signed root. */
  issuer: IssuedCert | 'self';
  commonName: string;
  organizations?: readonly string[];
  /** A CA certificate (basicConstraints cA), with a pathLenConstraint when a number is given; keyCertSign unless false. */
  ca?: { pathLen?: number; keyCertSign?: boolean };
  /** The signature's digest: sha1 and md5 make certificates Go refuses. Default sha256. */
  hash?: keyof typeof DIGESTS;
  /** An RSA modulus size for a fresh key (512 is allowed here, never in the built-in PKI); default a pooled 2048-bit key. */
  keyBits?: number;
  /** A key to certify instead of a fresh one (two certificates for one CA key). */
  key?: KeyPair;
  /** A public key of any type (EC, Ed25519, ...) to certify instead; forge itself only writes RSA keys. Leaves only. */
  subjectPublicKey?: KeyObject;
  /** Validity bounds; default from five minutes ago for a day. */
  notBefore?: Date;
  notAfter?: Date;
  /** Extra extensions, the value as DER bytes (the content of extnValue). */
  extensions?: readonly { id: string; critical: boolean; value: Buffer }[];
}

const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

function newKey(bits: number): KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  return keyPairFromPrivateKeyPem(privateKey);
}

/** The issuer's subject as forge re-encodes it byte for byte: forge reads UTF8String values as raw UTF-8 and encodes them again. */
function subjectOf(certPem: string): forge.pki.CertificateField[] {
  return forge.pki.certificateFromPem(certPem).subject.attributes.map((a) =>
    (a.valueTagClass as unknown as number) === forge.asn1.Type.UTF8 && typeof a.value === 'string' ? { ...a, value: forge.util.decodeUtf8(a.value) } : a,
  );
}

function skidOf(certPem: string): string {
  const ext = forge.pki.certificateFromPem(certPem).getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  if (ext?.subjectKeyIdentifier === undefined) throw new Error('the issuer has no subjectKeyIdentifier');
  return ext.subjectKeyIdentifier;
}

/** Issues one odd certificate. */
export async function issueOddCert(opts: OddCertOptions): Promise<IssuedCert> {
  const key = opts.key ?? (opts.keyBits === undefined ? await takeKey() : newKey(opts.keyBits));
  const digest = DIGESTS[opts.hash ?? 'sha256'];
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  cert.serialNumber = serialFromBytes(randomBytes(16));
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 5 * 60 * 1000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 24 * 60 * 60 * 1000);
  const subject = [
    ...(opts.organizations ?? []).map((o) => ({ shortName: 'O', value: o, valueTagClass: UTF8 })),
    { shortName: 'CN', value: opts.commonName, valueTagClass: UTF8 },
  ];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer === 'self' ? subject : subjectOf(opts.issuer.certPem));
  const isCa = opts.ca !== undefined;
  cert.setExtensions([
    { name: 'basicConstraints', critical: true, cA: isCa, ...(opts.ca?.pathLen === undefined ? {} : { pathLenConstraint: opts.ca.pathLen }) },
    isCa
      ? { name: 'keyUsage', critical: true, digitalSignature: true, ...(opts.ca?.keyCertSign === false ? {} : { keyCertSign: true, cRLSign: true }) }
      : { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    ...(isCa ? [] : [{ name: 'extKeyUsage', clientAuth: true }]),
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: opts.issuer === 'self' ? true : forge.util.hexToBytes(skidOf(opts.issuer.certPem)) },
    ...(opts.extensions ?? []).map((e) => ({ id: e.id, critical: e.critical, value: e.value.toString('binary') })),
  ]);
  const signingKey = opts.issuer === 'self' ? key.privateKey : opts.issuer.key;
  const signer = {
    sign(md: forge.md.MessageDigest): string {
      const digestInfo = Buffer.concat([Buffer.from(digest.prefix, 'hex'), Buffer.from(md.digest().getBytes(), 'binary')]);
      return privateEncrypt({ key: signingKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, digest.md() as forge.md.MessageDigest);
  const certPem = opts.subjectPublicKey === undefined ? forge.pki.certificateToPem(cert) : withSubjectPublicKey(cert, opts.subjectPublicKey, signer.sign, digest.md);
  return { certPem, keyPem: key.privateKeyPem, cert: new X509Certificate(certPem), key: key.privateKey };
}

/** Re-assembles a signed forge certificate around another SubjectPublicKeyInfo and signs the new TBSCertificate. */
function withSubjectPublicKey(cert: forge.pki.Certificate, key: KeyObject, sign: (md: forge.md.MessageDigest) => string, md: () => forge.md.MessageDigest): string {
  // getTBSCertificate is in forge's JavaScript API but missing from its type declarations.
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
  fields[6] = forge.asn1.fromDer(key.export({ type: 'spki', format: 'der' }).toString('binary'));
  const tbsDer = forge.asn1.toDer(tbs).getBytes();
  const digest = md();
  digest.update(tbsDer);
  const signature = sign(digest);
  const whole = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [
    forge.asn1.fromDer(tbsDer),
    (forge.pki.certificateToAsn1(cert).value as forge.asn1.Asn1[])[1]!,
    forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.BITSTRING, false, String.fromCharCode(0) + signature),
  ]);
  return forge.pem.encode({ type: 'CERTIFICATE', body: forge.asn1.toDer(whole).getBytes() });
}
