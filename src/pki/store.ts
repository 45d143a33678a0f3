// The on-disk PKI, in kubeadm's file names so the folder reads like /etc/kubernetes/pki and
// tools that know that layout (and people) find their way around it. Everything is read and
// validated before anything is written: a start-up either fails with a PkiError naming the
// file and the fix, or leaves a complete, consistent folder behind.
import { X509Certificate, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PkiError, type PkiErrorCode } from '../util/errors.js';
import { createCa, issueClientCert, issueServingCert, type IssuedCert } from './issue.js';
import { DEFAULT_KEY_BITS, keyPairFromPrivateKeyPem, takeKey, type KeyPair } from './keys.js';
import { DEFAULT_SERVING_SANS, parseSans, type SanEntry } from './profiles.js';

/** kubeadm's names for the files of the PKI folder, plus the demo admin client pair. */
export const PKI_FILE_NAMES = Object.freeze({
  caCert: 'ca.crt',
  caKey: 'ca.key',
  servingCert: 'apiserver.crt',
  servingKey: 'apiserver.key',
  serviceAccountKey: 'sa.key',
  serviceAccountPub: 'sa.pub',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  // kubeadm's front proxy: the CA kube-apiserver's --requestheader-client-ca-file names, and the client certificate
  // its aggregator (--proxy-client-cert-file) proxies with (cmd/kubeadm/app/constants/constants.go).
  frontProxyCaCert: 'front-proxy-ca.crt',
  frontProxyCaKey: 'front-proxy-ca.key',
  frontProxyClientCert: 'front-proxy-client.crt',
  frontProxyClientKey: 'front-proxy-client.key',
});

/** kubeadm's front-proxy names: the CA's CommonName and the client certificate's (FrontProxyCACertCommonName, FrontProxyClientCertCommonName). */
export const FRONT_PROXY_CA_COMMON_NAME = 'front-proxy-ca';
export const FRONT_PROXY_CLIENT_COMMON_NAME = 'front-proxy-client';

/** The demo admin identity: system:masters is the group kube-apiserver's RBAC lets do anything. */
export const ADMIN_IDENTITY: Readonly<{ user: string; groups: readonly string[] }> = Object.freeze({
  user: 'admin',
  groups: Object.freeze(['system:masters']),
});

/** A ready PKI, whether it lives on disk or only in memory, so servers need not care which. */
export interface Pki {
  ca: IssuedCert;
  serving: IssuedCert;
  /** Signs and verifies ServiceAccount tokens (kube's sa.key / sa.pub). */
  serviceAccountKey: KeyPair;
  dir?: string;
  /** Absolute paths of the files this call wrote, in order; empty when everything was reused. */
  created: string[];
  /** True when an existing serving certificate lacked a requested SAN and was replaced. */
  servingReissued: boolean;
}

/** A PKI loaded from or written to a folder, which also holds the demo admin's client certificate. */
export interface StoredPki extends Pki {
  dir: string;
  admin: IssuedCert;
  /** kubeadm's front-proxy-ca.crt/.key: the authenticating proxy's CA (--requestheader-client-ca-file). */
  frontProxyCa: IssuedCert;
  /** kubeadm's front-proxy-client.crt/.key: CN front-proxy-client, clientAuth, issued by the front-proxy CA. */
  frontProxyClient: IssuedCert;
}

/** Options for loadOrInitPki; validity and key size only apply to what gets created. */
export interface LoadOrInitPkiOptions {
  /** Extra SANs for the serving certificate, on top of DEFAULT_SERVING_SANS. */
  sans?: readonly string[];
  keyBits?: number;
  caValidityDays?: number;
  certValidityDays?: number;
}

const F = PKI_FILE_NAMES;
const KEY_MODE = 0o600;
const CERT_MODE = 0o644;
const DIR_MODE = 0o755;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PkiError(file, 'PKI_UNREADABLE', `cannot be read: ${message(err)}`);
  }
}

function parseCert(file: string, pem: string, fix: string): X509Certificate {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new PkiError(file, 'PKI_CORRUPT', `is not a PEM certificate (no BEGIN CERTIFICATE block); ${fix}`);
  }
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new PkiError(file, 'PKI_CORRUPT', `is not a valid PEM certificate (${message(err)}); ${fix}`);
  }
}

function parseKey(file: string, pem: string, fix: string): KeyPair {
  try {
    return keyPairFromPrivateKeyPem(pem);
  } catch (err) {
    throw new PkiError(file, 'PKI_CORRUPT', `is not a valid unencrypted PEM private key (${message(err)}); ${fix}`);
  }
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function notAfter(cert: X509Certificate): Date {
  return new Date(cert.validTo);
}

interface PairSpec {
  certName: string;
  keyName: string;
  /** How to recover when this pair is unusable. */
  fix: string;
}

/** Loads a cert/key pair that must be both present or both absent, and checks they belong together. */
function loadPair(dir: string, spec: PairSpec, certPem: string | undefined, keyPem: string | undefined): IssuedCert | undefined {
  const certFile = path.join(dir, spec.certName);
  const keyFile = path.join(dir, spec.keyName);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (keyPem === undefined) {
    throw new PkiError(keyFile, 'PKI_INCOMPLETE', `is missing but ${spec.certName} exists; restore ${spec.keyName}, or ${spec.fix}`);
  }
  if (certPem === undefined) {
    throw new PkiError(certFile, 'PKI_INCOMPLETE', `is missing but ${spec.keyName} exists; restore ${spec.certName}, or ${spec.fix}`);
  }
  const cert = parseCert(certFile, certPem, spec.fix);
  const key = parseKey(keyFile, keyPem, spec.fix);
  if (!spki(cert.publicKey).equals(spki(key.publicKey))) {
    throw new PkiError(keyFile, 'PKI_KEY_MISMATCH', `does not match the public key in ${spec.certName}; ${spec.fix}`);
  }
  return { certPem, keyPem, cert, key: key.privateKey };
}

function checkNotExpired(file: string, cert: X509Certificate, fix: string, now: number): void {
  const end = notAfter(cert);
  if (end.getTime() <= now) {
    throw new PkiError(file, 'PKI_EXPIRED', `expired on ${end.toISOString()}; ${fix}`);
  }
}

function checkIssuedBy(file: string, cert: X509Certificate, ca: IssuedCert, fix: string): void {
  if (!cert.checkIssued(ca.cert) || !cert.verify(ca.cert.publicKey)) {
    throw new PkiError(file, 'PKI_WRONG_ISSUER', `was not issued by ${F.caCert} in the same folder; ${fix}`);
  }
}

function coversSans(cert: X509Certificate, sans: readonly SanEntry[]): boolean {
  return sans.every((san) =>
    san.kind === 'ip'
      ? cert.checkIP(san.address) !== undefined
      : cert.checkHost(san.name, { subject: 'never', wildcards: false }) !== undefined,
  );
}

function fail(file: string, code: PkiErrorCode, reason: string): never {
  throw new PkiError(file, code, reason);
}

async function ensureDir(dir: string): Promise<void> {
  try {
    const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
    // mkdir's mode is filtered by the umask; a folder we created gets exactly 0755.
    if (first !== undefined) await chmod(dir, DIR_MODE);
  } catch (err) {
    throw new PkiError(dir, 'PKI_UNREADABLE', `cannot create the PKI folder: ${message(err)}`);
  }
}

/** Writes a file that must not exist yet; the chmod afterwards is what makes the mode independent of the umask. */
async function writeNew(file: string, data: string, mode: number): Promise<void> {
  try {
    await writeFile(file, data, { mode, flag: 'wx' });
    await chmod(file, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new PkiError(file, 'PKI_INCOMPLETE', 'appeared while this process was creating it (another process initializing the same folder?); start again to load it');
    }
    throw new PkiError(file, 'PKI_UNREADABLE', `cannot be written: ${message(err)}`);
  }
}

/** Replaces a file atomically, so a crash never leaves a half-written certificate behind. */
async function replaceFile(file: string, data: string, mode: number): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new PkiError(file, 'PKI_UNREADABLE', `cannot be written: ${message(err)}`);
  }
}

/** Loads the PKI in dir, creating whatever is missing and never overwriting what exists (except a serving cert that lacks a requested SAN). */
export async function loadOrInitPki(dir: string, opts: LoadOrInitPkiOptions = {}): Promise<StoredPki> {
  const root = path.resolve(dir);
  const file = (name: string): string => path.join(root, name);
  const keyBits = opts.keyBits ?? DEFAULT_KEY_BITS;
  const sanList = [...DEFAULT_SERVING_SANS, ...(opts.sans ?? [])];
  const requestedSans = parseSans(sanList);
  const now = Date.now();

  await ensureDir(root);
  const names = Object.values(F);
  const texts = await Promise.all(names.map((n) => readOptional(file(n))));
  const text = new Map<string, string | undefined>(names.map((n, i) => [n, texts[i]]));

  // --- validate everything that exists ------------------------------------------------------
  const caFix = `delete the folder ${root} to start over with a new CA (every certificate issued by the old one must then be replaced)`;
  const ca = loadPair(root, { certName: F.caCert, keyName: F.caKey, fix: caFix }, text.get(F.caCert), text.get(F.caKey));
  if (ca) {
    if (!ca.cert.ca) fail(file(F.caCert), 'PKI_NOT_CA', `is not a CA certificate (basicConstraints CA:TRUE missing); ${caFix}`);
    checkNotExpired(file(F.caCert), ca.cert, caFix, now);
  } else {
    const orphan = [F.servingCert, F.servingKey, F.adminCert, F.adminKey].find((n) => text.get(n) !== undefined);
    if (orphan !== undefined) {
      fail(file(F.caCert), 'PKI_INCOMPLETE', `is missing but ${orphan} exists, which a new CA could not vouch for; restore ${F.caCert} and ${F.caKey}, or ${caFix}`);
    }
  }

  const leaf = (certName: string, keyName: string): IssuedCert | undefined => {
    const fix = `delete ${file(certName)} and ${file(keyName)} to have them issued again`;
    const pair = loadPair(root, { certName, keyName, fix }, text.get(certName), text.get(keyName));
    if (pair && ca) {
      checkIssuedBy(file(certName), pair.cert, ca, fix);
      checkNotExpired(file(certName), pair.cert, fix, now);
    }
    return pair;
  };
  const existingServing = leaf(F.servingCert, F.servingKey);
  const existingAdmin = leaf(F.adminCert, F.adminKey);
  // The front proxy has a CA of its own (kubeadm's), so its client certificate never passes as a user's.
  const frontFix = `delete ${file(F.frontProxyCaCert)}, ${file(F.frontProxyCaKey)}, ${file(F.frontProxyClientCert)} and ${file(F.frontProxyClientKey)} to have them made again`;
  const existingFrontCa = loadPair(root, { certName: F.frontProxyCaCert, keyName: F.frontProxyCaKey, fix: frontFix }, text.get(F.frontProxyCaCert), text.get(F.frontProxyCaKey));
  if (existingFrontCa) {
    if (!existingFrontCa.cert.ca) fail(file(F.frontProxyCaCert), 'PKI_NOT_CA', `is not a CA certificate (basicConstraints CA:TRUE missing); ${frontFix}`);
    checkNotExpired(file(F.frontProxyCaCert), existingFrontCa.cert, frontFix, now);
  }
  const existingFrontClient = loadPair(root, { certName: F.frontProxyClientCert, keyName: F.frontProxyClientKey, fix: frontFix }, text.get(F.frontProxyClientCert), text.get(F.frontProxyClientKey));
  if (existingFrontClient) {
    if (!existingFrontCa) fail(file(F.frontProxyCaCert), 'PKI_INCOMPLETE', `is missing but ${F.frontProxyClientCert} exists; ${frontFix}`);
    if (!existingFrontClient.cert.checkIssued(existingFrontCa.cert) || !existingFrontClient.cert.verify(existingFrontCa.cert.publicKey)) {
      fail(file(F.frontProxyClientCert), 'PKI_WRONG_ISSUER', `was not issued by ${F.frontProxyCaCert} in the same folder; ${frontFix}`);
    }
    checkNotExpired(file(F.frontProxyClientCert), existingFrontClient.cert, frontFix, now);
  }

  const saPub = text.get(F.serviceAccountPub);
  const saKeyPem = text.get(F.serviceAccountKey);
  let existingSa: KeyPair | undefined;
  if (saKeyPem !== undefined) {
    const saFix = `delete ${file(F.serviceAccountKey)} and ${file(F.serviceAccountPub)} to have a new pair made (tokens signed with the old key stop verifying)`;
    existingSa = parseKey(file(F.serviceAccountKey), saKeyPem, saFix);
    if (saPub !== undefined) {
      let pub: KeyObject;
      try {
        pub = createPublicKey(saPub);
      } catch (err) {
        throw new PkiError(file(F.serviceAccountPub), 'PKI_CORRUPT', `is not a valid PEM public key (${message(err)}); ${saFix}`);
      }
      if (!spki(pub).equals(spki(existingSa.publicKey))) {
        fail(file(F.serviceAccountKey), 'PKI_KEY_MISMATCH', `does not match the public key in ${F.serviceAccountPub}; ${saFix}`);
      }
      existingSa = { ...existingSa, publicKey: pub, publicKeyPem: saPub };
    }
  } else if (saPub !== undefined) {
    fail(file(F.serviceAccountKey), 'PKI_INCOMPLETE', `is missing but ${F.serviceAccountPub} exists; restore ${F.serviceAccountKey}, or delete ${file(F.serviceAccountPub)} to have a new pair made`);
  }

  const reissueServing = existingServing !== undefined && !coversSans(existingServing.cert, requestedSans);
  if (ca && ca.key.asymmetricKeyType !== 'rsa' && (!existingServing || reissueServing || !existingAdmin)) {
    fail(file(F.caKey), 'PKI_UNSUPPORTED', `is a ${ca.key.asymmetricKeyType ?? 'non-RSA'} key; the built-in PKI can only issue with RSA CAs, so provide every certificate yourself or ${caFix}`);
  }
  if (existingServing && reissueServing && existingServing.key.asymmetricKeyType !== 'rsa') {
    fail(file(F.servingKey), 'PKI_UNSUPPORTED', `is a ${existingServing.key.asymmetricKeyType ?? 'non-RSA'} key and the serving certificate needs new SANs; delete ${file(F.servingCert)} and ${file(F.servingKey)} to have an RSA pair issued`);
  }

  // --- create what is missing -----------------------------------------------------------------
  const [caKey, servingKey, adminKey, saKey, frontCaKey, frontClientKey] = await Promise.all([
    ca ? undefined : takeKey(keyBits),
    existingServing ? undefined : takeKey(keyBits),
    existingAdmin ? undefined : takeKey(keyBits),
    existingSa ? undefined : takeKey(keyBits),
    existingFrontCa ? undefined : takeKey(keyBits),
    existingFrontClient ? undefined : takeKey(keyBits),
  ]);
  const frontProxyCa = existingFrontCa ?? (await createCa({ key: frontCaKey, commonName: FRONT_PROXY_CA_COMMON_NAME, validityDays: opts.caValidityDays }));
  const frontProxyClient =
    existingFrontClient ?? (await issueClientCert(frontProxyCa, { user: FRONT_PROXY_CLIENT_COMMON_NAME, key: frontClientKey, validityDays: opts.certValidityDays }));
  const finalCa = ca ?? (await createCa({ key: caKey, validityDays: opts.caValidityDays }));
  const leafDays = opts.certValidityDays;
  const servingKeyPair: KeyPair | undefined =
    servingKey ?? (reissueServing && existingServing ? keyPairFromPrivateKeyPem(existingServing.keyPem) : undefined);
  const [newServing, newAdmin] = await Promise.all([
    servingKeyPair ? issueServingCert(finalCa, { sans: sanList, key: servingKeyPair, validityDays: leafDays }) : undefined,
    adminKey
      ? issueClientCert(finalCa, { ...ADMIN_IDENTITY, groups: [...ADMIN_IDENTITY.groups], key: adminKey, validityDays: leafDays })
      : undefined,
  ]);
  const serving = newServing ?? existingServing!;
  const admin = newAdmin ?? existingAdmin!;
  const serviceAccountKey = existingSa ?? saKey!;

  // --- write, keys before certificates so a certificate never points at a key not yet there ---
  const created: string[] = [];
  const add = async (name: string, data: string, mode: number): Promise<void> => {
    await writeNew(file(name), data, mode);
    created.push(file(name));
  };
  if (!ca) {
    await add(F.caKey, finalCa.keyPem, KEY_MODE);
    await add(F.caCert, finalCa.certPem, CERT_MODE);
  }
  if (saKey) await add(F.serviceAccountKey, saKey.privateKeyPem, KEY_MODE);
  if (saPub === undefined) await add(F.serviceAccountPub, serviceAccountKey.publicKeyPem, CERT_MODE);
  if (servingKey) {
    await add(F.servingKey, serving.keyPem, KEY_MODE);
    await add(F.servingCert, serving.certPem, CERT_MODE);
  } else if (reissueServing) {
    await replaceFile(file(F.servingCert), serving.certPem, CERT_MODE);
    created.push(file(F.servingCert));
  }
  if (adminKey) {
    await add(F.adminKey, admin.keyPem, KEY_MODE);
    await add(F.adminCert, admin.certPem, CERT_MODE);
  }
  if (!existingFrontCa) {
    await add(F.frontProxyCaKey, frontProxyCa.keyPem, KEY_MODE);
    await add(F.frontProxyCaCert, frontProxyCa.certPem, CERT_MODE);
  }
  if (!existingFrontClient) {
    await add(F.frontProxyClientKey, frontProxyClient.keyPem, KEY_MODE);
    await add(F.frontProxyClientCert, frontProxyClient.certPem, CERT_MODE);
  }

  return { ca: finalCa, serving, admin, serviceAccountKey, frontProxyCa, frontProxyClient, dir: root, created, servingReissued: reissueServing };
}

/** Issues a client certificate from a PKI's CA (nothing is written), for kubeconfigs and tests. */
export function issueClient(pki: Pki, opts: { user: string; groups?: readonly string[]; uid?: string; validityDays?: number }): Promise<IssuedCert> {
  return issueClientCert(pki.ca, opts);
}
