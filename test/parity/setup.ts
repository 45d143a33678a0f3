// The fixed test set-up both servers get: a PKI generated at run time with our own src/pki (CA, serving
// certificate for 127.0.0.1/localhost, client certificates for the identities, and a second CA whose
// certificates no server trusts), a static token file, and the RBAC fixtures. The reference server is
// started on these files with flags; the mock with the options that mirror those flags (test/parity/mock.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { parseAllDocuments } from 'yaml';
import { createCa, issueClientCert, issueCustomCert, loadOrInitPki, PKI_FILE_NAMES, type IssuedCert, type StoredPki } from '../../src/pki/index.js';
import type { IdentityName, JsonValue } from './scenario.js';

/** The credential an identity presents: a client certificate, a bearer token, or nothing. */
export interface Credential {
  cert?: { certPem: string; keyPem: string };
  token?: string;
}

/**
 * The static tokens. Fixed strings, not random ones: a TokenReview's answer repeats its spec.token, and a
 * fixed value keeps that answer identical between the recording and every replay.
 */
export const PARITY_TOKENS = Object.freeze({
  alice: 'parity-alice-0123456789abcdef',
  bob: 'parity-bob-0123456789abcdef',
  unknown: 'parity-nobody-0123456789abcdef',
});

/** The token file both servers read (--token-auth-file): token,user,uid,"groups". */
export const PARITY_TOKEN_FILE = [`${PARITY_TOKENS.alice},alice,alice-uid,"parity-devs"`, `${PARITY_TOKENS.bob},bob,bob-uid`, ''].join('\n');

/** Everything a server and the scenario client need: the files on disk and each identity's credential. */
export interface ParitySetup {
  /** kubeadm's file names (src/pki/store.ts PKI_FILE_NAMES): ca.crt, ca.key, apiserver.crt, apiserver.key, sa.key, sa.pub, admin.crt, admin.key */
  pkiDir: string;
  pki: StoredPki;
  /** the cluster CA, which both servers trust for clients (--client-ca-file) and clients trust for serving */
  caFile: string;
  caPem: string;
  tokenFile: string;
  identities: Readonly<Record<IdentityName, Credential>>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An intermediate CA under `ca` with basicConstraints pathLenConstraint 0: it may sign leaves only, so a CA
 * below it breaks the path length. src/pki's CA profile sets no path length, so it is built with node-forge here.
 */
function pathLenZeroIntermediate(ca: IssuedCert, commonName: string): IssuedCert {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const issuer = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY_MS);
  cert.setSubject([{ shortName: 'CN', value: commonName }]);
  cert.setIssuer(issuer.subject.attributes);
  const ski = issuer.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  cert.setExtensions([
    { name: 'basicConstraints', critical: true, cA: true, pathLenConstraint: 0 },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyCertSign: true, cRLSign: true },
    { name: 'subjectKeyIdentifier' },
    ...(ski?.subjectKeyIdentifier ? [{ name: 'authorityKeyIdentifier', keyIdentifier: forge.util.hexToBytes(ski.subjectKeyIdentifier) }] : []),
  ]);
  cert.sign(forge.pki.privateKeyFromPem(createPrivateKey(ca.keyPem).export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const keyPem = forge.pki.privateKeyToPem(keys.privateKey);
  return { certPem, keyPem, cert: new X509Certificate(certPem), key: createPrivateKey(keyPem) };
}

/** Writes the PKI and the token file into `dir` (an empty folder) and issues every identity's credential. */
export async function createParitySetup(dir: string): Promise<ParitySetup> {
  const pki = await loadOrInitPki(dir);
  const tokenFile = join(dir, 'token-auth-file.csv');
  await writeFile(tokenFile, PARITY_TOKEN_FILE, { mode: 0o600 });
  const otherCa = await createCa({ commonName: 'parity-other-ca' });
  const now = Date.now();
  const [jane, mallory, expired, serverUsage] = await Promise.all([
    issueClientCert(pki.ca, { user: 'jane', groups: ['parity-readers'] }),
    issueClientCert(otherCa, { user: 'mallory', groups: ['system:masters'] }),
    issueClientCert(pki.ca, { user: 'jane', groups: ['parity-readers'], notBefore: new Date(now - 3 * DAY_MS), notAfter: new Date(now - DAY_MS) }),
    issueCustomCert(pki.ca, { profile: 'client', subject: { commonName: 'jane', organizations: ['parity-readers'] }, extKeyUsage: ['serverAuth'] }),
  ]);
  // Chains: a leaf under an intermediate CA of the cluster CA; and a leaf two CAs down from an intermediate that
  // may sign leaves only (pathLenConstraint 0).
  const intermediate = await issueCustomCert(pki.ca, { profile: 'ca', subject: { commonName: 'parity-intermediate-ca' } });
  const limited = pathLenZeroIntermediate(pki.ca, 'parity-pathlen0-ca');
  const tooDeep = await issueCustomCert(limited, { profile: 'ca', subject: { commonName: 'parity-too-deep-ca' } });
  const [ivan, pat, carol, dave] = await Promise.all([
    issueClientCert(intermediate, { user: 'ivan', groups: ['parity-readers'] }),
    issueClientCert(tooDeep, { user: 'pat', groups: ['parity-readers'] }),
    issueClientCert(pki.ca, { user: 'carol' }),
    issueClientCert(pki.ca, { user: 'dave', groups: ['parity-readers', 'parity-extra-1', 'parity-extra-2'] }),
  ]);
  const [otherProxy, proxyNameFromClusterCa] = await Promise.all([
    issueClientCert(pki.frontProxyCa, { user: 'other-proxy' }),
    issueClientCert(pki.ca, { user: 'front-proxy-client' }),
  ]);
  const pair = (c: { certPem: string; keyPem: string }, ...chain: IssuedCert[]) => ({ cert: { certPem: [c.certPem, ...chain.map((i) => i.certPem)].join(''), keyPem: c.keyPem } });
  return {
    pkiDir: dir,
    pki,
    caFile: join(dir, PKI_FILE_NAMES.caCert),
    caPem: pki.ca.certPem,
    tokenFile,
    identities: {
      admin: pair(pki.admin),
      jane: pair(jane),
      alice: { token: PARITY_TOKENS.alice },
      bob: { token: PARITY_TOKENS.bob },
      'other-ca': pair(mallory),
      'expired-cert': pair(expired),
      'server-usage-cert': pair(serverUsage),
      'bad-token': { token: PARITY_TOKENS.unknown },
      anonymous: {},
      'intermediate-leaf': pair(ivan),
      'intermediate-chain': pair(ivan, intermediate),
      'path-length-chain': pair(pat, tooDeep, limited),
      'cn-only': pair(carol),
      'many-groups': pair(dave),
      'front-proxy': pair(pki.frontProxyClient),
      'front-proxy-unlisted': pair(otherProxy),
      'front-proxy-cluster-ca': pair(proxyNameFromClusterCa),
    },
  };
}

/** One RBAC fixture object and the collection it is POSTed to. */
export interface Fixture {
  path: string;
  object: { [key: string]: JsonValue };
}

const PLURALS: Readonly<Record<string, string>> = { Namespace: 'namespaces', ConfigMap: 'configmaps', Role: 'roles', RoleBinding: 'rolebindings', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings' };

/** The fixtures of test/parity/fixtures/rbac.yaml, in order, with the collection each is created in. */
export async function loadFixtures(): Promise<Fixture[]> {
  const file = fileURLToPath(new URL('./fixtures/rbac.yaml', import.meta.url));
  const docs = parseAllDocuments(await readFile(file, 'utf8'));
  return docs.map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${file}: document ${i + 1}: ${doc.errors[0]!.message}`);
    const object = doc.toJSON() as { [key: string]: JsonValue };
    const kind = String(object.kind);
    const apiVersion = String(object.apiVersion);
    const metadata = object.metadata as { namespace?: string };
    const plural = PLURALS[kind];
    if (plural === undefined) throw new Error(`${file}: document ${i + 1}: kind ${kind} has no collection in PLURALS`);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return { path: `${prefix}${metadata.namespace ? `/namespaces/${metadata.namespace}` : ''}/${plural}`, object };
  });
}
