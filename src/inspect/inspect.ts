// inspectInput: what a file is (PEM, DER, a JWT or a kubeconfig), every item in it explained, and the checks asked for:
// a key against its certificate (--key), a chain against a CA (--ca), a JWT's signature (--key, --jwks, or the JWKS a
// running server publishes, which the CLI fetches and passes in). Nothing here throws for bad input: a file that is
// none of these is a report with a one-line error. Only a bad --key, --ca or JWKS (the caller's own flags) throws.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../util/errors.js';
import { parseCertificate } from '../authn/x509-parse.js';
import { kubeIdentityForLeaf, verifyToCa } from './certificate.js';
import { decodeDer, decodePem, type Decoded } from './decode.js';
import { checkSignature, jwksKeys, jwtItem, looksLikeJwt, tokenOf, verificationKey, type VerificationKey } from './jwt.js';
import { clientChainOf, isKubeconfigDocument, kubeconfigItem } from './kubeconfig.js';
import { keyMismatchError, samePublicKey } from './keys.js';
import { looksLikePem } from './pem.js';
import type { CertificateItem, CheckResult, InspectReport, Item, JwtItem } from './types.js';

/** Material for the checks, read once by the caller (each is named by its file in messages). */
export interface InspectOptions {
  /** The input's name in the report and messages; "stdin" for "-". Default "input". */
  source?: string;
  /** The folder a kubeconfig's relative paths start from (its own folder). Default the current folder. */
  baseDir?: string;
  now?: Date;
  /** --key: a private or public key, or a certificate (its public key), as PEM or DER. */
  key?: { source: string; bytes: Buffer };
  /** --ca: one or more CA certificates. */
  ca?: { source: string; bytes: Buffer };
  /** --jwks or --server: a JSON Web Key Set document, already parsed. */
  jwks?: { source: string; document: unknown };
}

const NONE = 'not a certificate, key, CSR, kubeconfig or JWT';

/** Why a file that is none of the kinds is none: a hint for the files people most often point at it by mistake. */
function noneOfThese(text: string, bytes: Buffer): string {
  if (bytes.length === 0 || text.trim() === '') return `${NONE} (it is empty)`;
  const printable = !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  const first = text.split('\n')[0]!;
  if (printable && first.includes(',') && !first.includes('{')) return `${NONE} (it looks like a CSV file: kube-apiserver reads --token-auth-file and --basic-auth-file as CSV; this tool does not explain them)`;
  return printable ? `${NONE} (text that is none of these)` : `${NONE} (binary data that is not DER)`;
}

/** A top-level key only a kubeconfig has, at the start of a line. */
const KUBECONFIG_KEYS = /^(kind:\s*Config|clusters:|users:|contexts:|current-context:)/m;

const looksLikeJwtish = (text: string): boolean => /^eyJ/.test(text.trim());

/** The material of --key, --ca: PEM or DER, certificates and keys. Throws a ConfigError naming the file. */
function material(flag: string, m: { source: string; bytes: Buffer }, now: Date): Decoded {
  const text = m.bytes.toString('utf8');
  let decoded: Decoded | undefined;
  try {
    decoded = looksLikePem(text) ? decodePem(text, now) : decodeDer(m.bytes, now);
  } catch (err) {
    throw new ConfigError({ file: m.source, reason: `${flag}: ${(err as Error).message}`, code: 'FLAG_INVALID' });
  }
  if (decoded === undefined || decoded.items.length === 0) throw new ConfigError({ file: m.source, reason: `${flag}: not a PEM or DER key or certificate`, code: 'FLAG_INVALID' });
  return decoded;
}

/** The subject of a certificate item, for messages. */
const certName = (item: CertificateItem): string => `block ${item.position} (${item.summary.subject || 'empty subject'})`;

/** --key against a file of certificates, or a file of private keys against a --key certificate. */
function keyMatch(input: Decoded, key: Decoded, keySource: string): CheckResult | undefined {
  const certItems = input.items.filter((i): i is CertificateItem => i.kind === 'certificate');
  if (input.certs.length > 0 && key.privateKeys.length > 0) {
    const k = key.privateKeys[0]!.key;
    const i = input.certs.findIndex((c) => samePublicKey(c.publicKey, k));
    if (i >= 0) return { check: 'key-matches-certificate', ok: true, message: `the private key in ${keySource} belongs to certificate ${certName(certItems[i]!)}` };
    return { check: 'key-matches-certificate', ok: false, message: `the private key in ${keySource} belongs to none of these certificates (kubectl would fail: ${keyMismatchError(input.certs[0]!.publicKey, k)})` };
  }
  if (input.privateKeys.length > 0 && key.certs.length > 0) {
    const cert = key.certs[0]!;
    const match = input.privateKeys.find((p) => samePublicKey(cert.publicKey, p.key));
    const subject = key.items.find((i): i is CertificateItem => i.kind === 'certificate')?.summary.subject ?? '';
    if (match) return { check: 'key-matches-certificate', ok: true, message: `the private key (block ${match.position}) belongs to the certificate in ${keySource} (${subject})` };
    return { check: 'key-matches-certificate', ok: false, message: `the private key does not belong to the certificate in ${keySource} (${subject}) (kubectl would fail: ${keyMismatchError(cert.publicKey, input.privateKeys[0]!.key)})` };
  }
  return undefined;
}

/** A file holding both a certificate and a private key (a combined PEM): does the key belong to the first certificate? */
function bundledKeyMatch(input: Decoded): CheckResult | undefined {
  if (input.certs.length === 0 || input.privateKeys.length === 0) return undefined;
  const leaf = input.items.find((i): i is CertificateItem => i.kind === 'certificate')!;
  const ok = samePublicKey(input.certs[0]!.publicKey, input.privateKeys[0]!.key);
  return { check: 'key-matches-certificate', ok, message: ok ? `the private key (block ${input.privateKeys[0]!.position}) belongs to certificate ${certName(leaf)}` : `the private key (block ${input.privateKeys[0]!.position}) does not belong to certificate ${certName(leaf)} (kubectl would fail: ${keyMismatchError(input.certs[0]!.publicKey, input.privateKeys[0]!.key)})` };
}

/** After a --ca verdict, the leaf's kube identity says it without the "when trusted" condition, or is refused with the reason. */
function settleIdentity(leaf: CertificateItem, cert: X509Certificate, check: CheckResult): void {
  if (leaf.kube === undefined) return;
  if (!check.ok) {
    leaf.kube = { outcome: 'refused', authenticator: leaf.kube.authenticator, reason: check.message.replace(/^does not verify to [^:]*: /, '') };
    return;
  }
  const settled = kubeIdentityForLeaf(cert, parseCertificate(cert), undefined);
  leaf.kube = settled.outcome === 'user' ? { ...settled, condition: 'its chain verifies to the --ca given (kube-apiserver: when that CA is its --client-ca-file)' } : settled;
}

/** The JWT items of a report, top level and inside kubeconfig users. */
function jwtsOf(items: readonly Item[]): { item: JwtItem; token: string }[] {
  return items.flatMap((i) => {
    if (i.kind === 'jwt') return [{ item: i, token: tokenOf(i) }];
    if (i.kind === 'kubeconfig') return i.users.flatMap((u) => (u.token?.jwt ? [{ item: u.token.jwt, token: tokenOf(u.token.jwt) }] : []));
    return [];
  });
}

/** What the input is, explained, with the checks the options ask for. */
export function inspectInput(bytes: Buffer, options: InspectOptions = {}): InspectReport {
  const now = options.now ?? new Date();
  const source = options.source ?? 'input';
  // The caller's own flags first: a bad --key, --ca or JWKS fails whatever the input is.
  const keyMaterial = options.key ? material('--key', options.key, now) : undefined;
  const caMaterial = options.ca ? material('--ca', options.ca, now) : undefined;
  if (options.ca && caMaterial!.certs.length === 0) throw new ConfigError({ file: options.ca.source, reason: '--ca: holds no certificate', code: 'FLAG_INVALID' });
  let jwksKeyList: VerificationKey[] = [];
  if (options.jwks) {
    try {
      jwksKeyList = jwksKeys(options.jwks.document, options.jwks.source);
    } catch {
      throw new ConfigError({ file: options.jwks.source, reason: '--jwks: not a JSON Web Key Set (no "keys" list)', code: 'FLAG_INVALID' });
    }
  }
  const report: InspectReport = { source, encoding: '', items: [], checks: [] };
  const text = bytes.toString('utf8');
  let decoded: Decoded | undefined;
  try {
    if (looksLikePem(text)) {
      report.encoding = 'PEM';
      decoded = decodePem(text, now);
    } else if (looksLikeJwt(text) || (looksLikeJwtish(text) && text.trim().includes('.'))) {
      report.encoding = 'JWT';
      const item = jwtItem(1, text.trim(), now);
      decoded = { items: [item], certs: [], privateKeys: [], publicKeys: [] };
    } else {
      decoded = decodeDer(bytes, now);
      if (decoded !== undefined) report.encoding = 'DER';
      else {
        let doc: unknown;
        try {
          // The yaml package stops alias bombs (maxAliasCount 100) and duplicate keys with an error of its own.
          doc = parseYaml(text);
        } catch (err) {
          doc = undefined;
          // Text that names a kubeconfig's fields but is not YAML: say the YAML error, not "none of these".
          if (KUBECONFIG_KEYS.test(text) && err instanceof Error) throw new Error(`a kubeconfig that is not valid YAML: ${err.message.split('\n')[0]}`);
        }
        if (isKubeconfigDocument(doc)) {
          report.encoding = 'kubeconfig';
          const item = kubeconfigItem(doc, options.baseDir ?? process.cwd(), now);
          decoded = { items: [item], certs: [], privateKeys: [], publicKeys: [] };
        }
      }
    }
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    report.error = err.message;
    return report;
  }
  if (decoded === undefined) {
    report.encoding = '';
    report.error = noneOfThese(text, bytes);
    return report;
  }
  report.items = decoded.items;
  if (decoded.items.length === 0) {
    report.error = `${NONE} (PEM without any block)`;
    return report;
  }
  const bundled = bundledKeyMatch(decoded);
  if (bundled) report.checks.push(bundled);

  // Keys to check JWT signatures with: --key (whatever its kid) and the JWKS (by kid, as kube picks them).
  const fileKeys: VerificationKey[] = [];
  if (options.key && keyMaterial) {
    const key = keyMaterial;
    const match = keyMatch(decoded, key, options.key.source);
    if (match) report.checks.push(match);
    const keys: KeyObject[] = [...key.privateKeys.map((k) => k.key), ...key.publicKeys.map((k) => k.key), ...key.certs.map((c) => c.publicKey)];
    for (const k of keys) fileKeys.push(verificationKey(k, options.key.source));
    if (!match && jwtsOf(decoded.items).length === 0) report.checks.push({ check: 'key-matches-certificate', ok: false, message: `nothing in ${source} to check the key in ${options.key.source} against (a certificate, a private key or a JWT)` });
  }
  for (const { item, token } of jwtsOf(decoded.items)) {
    const checks: CheckResult[] = [];
    if (fileKeys.length > 0) checks.push(checkSignature(token, item.header, fileKeys, true));
    if (options.jwks) checks.push(jwksKeyList.length === 0 ? { check: 'signature', ok: false, message: `${options.jwks.source} holds no usable key` } : checkSignature(token, item.header, jwksKeyList, false));
    if (checks.length === 0) continue;
    const ok = checks.find((c) => c.ok);
    item.signature = ok ?? checks[checks.length - 1]!;
    report.checks.push(item.signature);
    if (!item.signature.ok && item.kube.outcome === 'user') item.kube = { outcome: 'refused', authenticator: item.kube.authenticator, reason: item.signature.message.replace(/^.*\(kube says: (.*)\)$/, '$1') };
  }

  if (options.ca && caMaterial) {
    const ca = caMaterial;
    const caSubject = ca.items.find((i): i is CertificateItem => i.kind === 'certificate')!.summary.subject;
    const caName = `the CA in ${options.ca.source} (${caSubject})`;
    if (decoded.certs.length > 0) {
      const check = verifyToCa(decoded.certs, ca.certs, caName, now);
      report.checks.push(check);
      settleIdentity(decoded.items.find((i): i is CertificateItem => i.kind === 'certificate')!, decoded.certs[0]!, check);
    }
    for (const item of decoded.items) {
      if (item.kind !== 'kubeconfig') continue;
      for (const u of item.users) {
        const certs = clientChainOf(u);
        const leaf = u.clientCertificate.find((i): i is CertificateItem => i.kind === 'certificate');
        if (certs.length === 0 || !leaf) continue;
        const check = verifyToCa(certs, ca.certs, caName, now);
        report.checks.push({ ...check, message: `user ${JSON.stringify(u.name)}'s client certificate ${check.message}` });
        // A pair kubectl cannot load stays refused (kubeconfig.ts said why), however well its chain verifies.
        const loadable = u.clientKeySource !== '' && u.keyMatchesCertificate !== false;
        if (loadable || !check.ok) settleIdentity(leaf, certs[0]!, check);
      }
    }
    if (decoded.certs.length === 0 && !decoded.items.some((i) => i.kind === 'kubeconfig')) {
      report.checks.push({ check: 'chain-verifies', ok: false, message: `no certificate in ${source} to verify against ${caName}` });
    }
  }
  return report;
}
