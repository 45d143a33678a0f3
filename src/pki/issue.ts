// Building and signing certificates. node-forge assembles the TBSCertificate (node:crypto
// cannot create certificates); the RSA signature itself is computed by OpenSSL through
// forge's own Certificate.sign(), because forge's JavaScript RSA takes ~20-50 ms per
// signature and OpenSSL well under one.
import {
  X509Certificate,
  constants,
  createHash,
  privateEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';
import { X509_UID_OID } from '../apimachinery/asn1-oid.js';
import { takeKey, type KeyPair } from './keys.js';
import { parseSans, profileExtensions, serialFromBytes, type CertProfile, type ExtKeyUsageName } from './profiles.js';

/** A certificate with its private key, in the forms TLS options, kubeconfigs and authenticators need. */
export interface IssuedCert {
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
  key: KeyObject;
}

/** Explicit validity bounds, which win over validityDays so tests can build expired or not-yet-valid certificates. */
export interface ValidityOptions {
  validityDays?: number;
  notBefore?: Date;
  notAfter?: Date;
}

/** Options for a new self-signed CA. */
export interface CreateCaOptions extends ValidityOptions {
  commonName?: string;
  /** Defaults to a key from the pool. */
  key?: KeyPair;
}

/** Options for kube-apiserver's serving certificate. */
export interface ServingCertOptions extends ValidityOptions {
  /** DNS names and IP addresses (IPv4 or IPv6, detected) the certificate is valid for. */
  sans: readonly string[];
  commonName?: string;
  key?: KeyPair;
}

/** Options for a client certificate, which kube's x509 authenticator maps to a user (CN), groups (O) and uid. */
export interface ClientCertOptions extends ValidityOptions {
  user: string;
  groups?: readonly string[];
  /** The user's UID, written as the subject attribute kube 1.33+ reads (1.3.6.1.4.1.57683.2); non-empty when given. */
  uid?: string;
  key?: KeyPair;
  /** Defaults to clientAuth; pass another list (or []) to build a certificate the authenticator must refuse. */
  extKeyUsage?: readonly ExtKeyUsageName[];
}

/** Everything that varies between certificates, for tests that need a shape the named helpers do not make. */
export interface CustomCertOptions extends ValidityOptions {
  profile: CertProfile;
  subject: CertSubject;
  sans?: readonly string[];
  extKeyUsage?: readonly ExtKeyUsageName[];
  key?: KeyPair;
}

/** What a certificate's subject names: CN, O in order, and the user UID attribute when given. */
export interface CertSubject {
  commonName: string;
  organizations?: readonly string[];
  uid?: string;
}

/** Backdating absorbs clock skew between this process and clients in containers or VMs. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256, followed by the 32-byte digest. */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

type Attribute = forge.pki.CertificateField;

interface IssuerInfo {
  attributes: Attribute[];
  keyId: string;
}

const issuerCache = new WeakMap<X509Certificate, IssuerInfo>();

function validity(opts: ValidityOptions, defaultDays: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  const days = opts.validityDays ?? defaultDays;
  if (!(days > 0)) throw new RangeError(`validityDays must be positive, got ${days}`);
  const notBefore = opts.notBefore ?? new Date(now - CLOCK_SKEW_MS);
  const notAfter = opts.notAfter ?? new Date(now + days * DAY_MS);
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new RangeError(`notAfter (${notAfter.toISOString()}) must be after notBefore (${notBefore.toISOString()})`);
  }
  return { notBefore, notAfter };
}

function subjectAttributes(subject: CertSubject): Attribute[] {
  if (subject.commonName.length === 0) throw new RangeError('a certificate subject needs a non-empty common name');
  // kube refuses a certificate whose UID attribute is empty ("UID cannot be an empty string"): no UID is written as none.
  if (subject.uid === '') throw new RangeError('a certificate subject\'s uid must be non-empty when given (kube refuses an empty UID attribute)');
  // UTF8String throughout: forge would otherwise emit PrintableString even for '@' or '_',
  // which strict parsers (Go's crypto/x509) reject. O before CN, as Go orders pkix.Name, and the UID after
  // them, where Go's ToRDNSequence puts ExtraNames and kube's own UID test certificate has it (a UTF8String too).
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  return [
    ...(subject.organizations ?? []).map((o) => ({ shortName: 'O', value: o, valueTagClass: utf8 })),
    { shortName: 'CN', value: subject.commonName, valueTagClass: utf8 },
    ...(subject.uid === undefined ? [] : [{ type: X509_UID_OID, value: subject.uid, valueTagClass: utf8 }]),
  ];
}

/** forge hands back UTF8String values as raw UTF-8 bytes but encodes them again on output: decode so a round trip is exact. */
function reencodableAttributes(attrs: Attribute[]): Attribute[] {
  return attrs.map((a) =>
    (a.valueTagClass as unknown as number) === forge.asn1.Type.UTF8 && typeof a.value === 'string'
      ? { ...a, value: forge.util.decodeUtf8(a.value) }
      : a,
  );
}

function issuerInfo(ca: IssuedCert): IssuerInfo {
  const cached = issuerCache.get(ca.cert);
  if (cached) return cached;
  if (ca.key.asymmetricKeyType !== 'rsa') {
    throw new Error(`cannot issue with a ${ca.key.asymmetricKeyType ?? 'non-RSA'} CA key: the built-in PKI signs with RSA only`);
  }
  const parsed = forge.pki.certificateFromPem(ca.certPem);
  const ski = parsed.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  // RFC 5280 method 1, the same value forge and Go compute: SHA-1 over the RSAPublicKey DER.
  const keyId =
    ski?.subjectKeyIdentifier ?? createHash('sha1').update(ca.cert.publicKey.export({ type: 'pkcs1', format: 'der' })).digest('hex');
  const info = { attributes: reencodableAttributes(parsed.subject.attributes), keyId };
  issuerCache.set(ca.cert, info);
  return info;
}

/** Adapts an OpenSSL key to the one method forge's Certificate.sign() calls on its key: sign(md) over the finished digest. */
function opensslSigner(key: KeyObject): forge.pki.rsa.PrivateKey {
  const signer = {
    sign(md: forge.md.MessageDigest): string {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
  return signer as unknown as forge.pki.rsa.PrivateKey;
}

function forgePublicKey(key: KeyPair): forge.pki.PublicKey {
  if (key.publicKey.asymmetricKeyType !== 'rsa') {
    throw new Error(`cannot certify a ${key.publicKey.asymmetricKeyType ?? 'non-RSA'} key: the built-in PKI issues for RSA keys only`);
  }
  return forge.pki.publicKeyFromPem(key.publicKeyPem);
}

function build(
  key: KeyPair,
  issuer: { attributes: Attribute[]; keyId: string | 'self'; signingKey: KeyObject } | 'self',
  opts: CustomCertOptions & { notBefore: Date; notAfter: Date },
): IssuedCert {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublicKey(key);
  cert.serialNumber = serialFromBytes(randomBytes(16));
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = subjectAttributes(opts.subject);
  cert.setSubject(subject);
  cert.setIssuer(issuer === 'self' ? subject : issuer.attributes);
  cert.setExtensions(
    profileExtensions(opts.profile, {
      sans: opts.sans ? parseSans(opts.sans) : undefined,
      extKeyUsage: opts.extKeyUsage,
      authorityKeyId: issuer === 'self' ? 'self' : issuer.keyId,
    }),
  );
  cert.sign(opensslSigner(issuer === 'self' ? key.privateKey : issuer.signingKey), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { certPem, keyPem: key.privateKeyPem, cert: new X509Certificate(certPem), key: key.privateKey };
}

/** Creates a self-signed CA; each call makes a new one so separate servers never trust each other's clients. */
export async function createCa(opts: CreateCaOptions = {}): Promise<IssuedCert> {
  const { notBefore, notAfter } = validity(opts, 3650);
  const key = opts.key ?? (await takeKey());
  return build(key, 'self', {
    profile: 'ca',
    subject: { commonName: opts.commonName ?? 'kube-auth-mock-ca' },
    notBefore,
    notAfter,
  });
}

/** Issues any profile from a CA, for shapes the named helpers do not cover (expired, wrong usage, odd subjects). */
export async function issueCustomCert(ca: IssuedCert, opts: CustomCertOptions): Promise<IssuedCert> {
  const { notBefore, notAfter } = validity(opts, 365);
  const issuer = issuerInfo(ca);
  const key = opts.key ?? (await takeKey());
  return build(key, { ...issuer, signingKey: ca.key }, { ...opts, notBefore, notAfter });
}

/** Issues kube-apiserver's TLS serving certificate for the given names and addresses. */
export async function issueServingCert(ca: IssuedCert, opts: ServingCertOptions): Promise<IssuedCert> {
  return issueCustomCert(ca, {
    ...opts,
    profile: 'serving',
    subject: { commonName: opts.commonName ?? 'kube-apiserver' },
  });
}

/** Issues a client certificate that kube's x509 authenticator reads as user CN in groups O (in order), with the uid when given. */
export async function issueClientCert(ca: IssuedCert, opts: ClientCertOptions): Promise<IssuedCert> {
  if (opts.user.length === 0) throw new RangeError('a client certificate needs a non-empty user name');
  return issueCustomCert(ca, {
    ...opts,
    profile: 'client',
    subject: { commonName: opts.user, organizations: opts.groups ?? [], ...(opts.uid === undefined ? {} : { uid: opts.uid }) },
  });
}
