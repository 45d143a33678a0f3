// Builds the certificates, keys and kubeconfig of one broken-certificate scenario (catalog.ts says what each
// reproduces). Everything is issued fresh from the PKI a kube-auth-mock server uses, so the one thing wrong in each
// kubeconfig is the thing the scenario is about: the rest is what a working kubeconfig would hold.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import {
  createCa,
  DEFAULT_SERVING_SANS,
  issueClientCert,
  issueCustomCert,
  issueServingCert,
  loadOrInitPki,
  takeKey,
  type IssuedCert,
  type Pki,
} from '../pki/index.js';
import { SCENARIO_NAMES, scenarioInfo, type ScenarioInfo, type ScenarioName } from './catalog.js';

/** One file of a scenario: its name in the output folder and its text. Every file is written 0600. */
export interface ScenarioFile {
  name: string;
  /** What the file is, for listings. */
  description: string;
  content: string;
  /** Where it was written, when the scenario was built with a folder. */
  path?: string;
}

/** What buildScenario made. */
export interface BuiltScenario {
  name: ScenarioName;
  info: ScenarioInfo;
  /** The kubeconfig text (also among files, as NAME.kubeconfig). */
  kubeconfig: string;
  files: ScenarioFile[];
  /** The kubeconfig's path, when written. */
  kubeconfigFile?: string;
  /**
   * Flags `kube-auth-mock serve` needs for this scenario on top of --pki-dir (expired-server: the expired serving
   * pair), with the paths of the written files; undefined when any server on the PKI folder will do.
   */
  serveArgs?: string[];
  /** The facts the documented message is filled with (notAfter, the SANs, the name checked, ...). */
  facts: Record<string, string>;
  /** What kubectl prints on stderr, with the facts known at build time filled in; `<now>` stays (it is the time of the request). */
  kubectlMessage: string;
}

/** Options for buildScenario. */
export interface BuildScenarioOptions {
  /** The server's PKI: a loaded one, or its folder (created when missing, as `pki init` does). */
  pki: Pki | string;
  /** The server URL written into the kubeconfig. */
  server: string;
  /** When given, the files are written there (the folder is created) 0600. */
  dir?: string;
}

/** The name is not a scenario, or the server URL is not an https URL. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The name hostname-mismatch checks the server's certificate against (reserved by RFC 2606: never a real host). */
export const MISMATCHED_SERVER_NAME = 'kube-api.example.com';
/** Used instead when the serving certificate was made with --tls-san for the first (RFC 2606's .invalid). */
const FALLBACK_MISMATCHED_NAME = 'kube-api.kube-auth-mock.invalid';
/** Where the scenarios' other CAs get their names. */
const OTHER_CA_NAME = 'kube-auth-mock-other-ca';
const INTERMEDIATE_CA_NAME = 'kube-auth-mock-intermediate-ca';

/** The user a scenario's client certificate names; once the fault is fixed, `kubectl auth whoami` prints it. */
export function scenarioUser(name: ScenarioName): string {
  return `scenario:${name}`;
}

/** RFC 3339 in UTC without fractions, as Go's time.RFC3339 prints a certificate's bounds (they are stored in UTC). */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fills the `<fact>` placeholders of a catalog message; unknown ones (such as `<now>`) stay as they are. */
export function fillMessage(template: string, facts: Readonly<Record<string, string>>): string {
  return template.replace(/<([a-zA-Z]+)>/g, (whole, key: string) => facts[key] ?? whole);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern for a filled message: `<now>` (Go's time.Now().Format(time.RFC3339), in the client's local zone) matches
 * any RFC 3339 time, any other placeholder left matches one or more characters.
 */
export function messagePattern(message: string): RegExp {
  const parts = message.split(/(<[a-zA-Z]+>)/);
  const body = parts
    .map((p) => (p === '<now>' ? '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:Z|[+-]\\d\\d:\\d\\d)' : /^<[a-zA-Z]+>$/.test(p) ? '.+' : escapeRegExp(p)))
    .join('');
  return new RegExp(`^${body}$`);
}

/** The serving certificate's DNS SANs in certificate order, which is how Go's HostnameError lists them (crypto/x509 verify.go). */
function servingDnsNames(pki: Pki): string[] {
  return (pki.serving.cert.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
}

interface Parts {
  /** The CA the kubeconfig trusts (default: the PKI's). */
  trustedCaPem?: string;
  /** The client certificate chain and key the kubeconfig sends. */
  clientCertPem: string;
  clientKeyPem: string;
  tlsServerName?: string;
  extraFiles: Omit<ScenarioFile, 'path'>[];
  facts: Record<string, string>;
}

async function validClient(pki: Pki, name: ScenarioName): Promise<IssuedCert> {
  return issueClientCert(pki.ca, { user: scenarioUser(name) });
}

async function buildParts(name: ScenarioName, pki: Pki, server: string): Promise<Parts & { servingPair?: IssuedCert }> {
  const user = scenarioUser(name);
  const now = Date.now();
  switch (name) {
    case 'wrong-ca': {
      // Another CA's certificate in certificate-authority-data: the client cannot chain the server's certificate to it.
      const [other, client] = await Promise.all([createCa({ commonName: OTHER_CA_NAME }), validClient(pki, name)]);
      return {
        trustedCaPem: other.certPem,
        clientCertPem: client.certPem,
        clientKeyPem: client.keyPem,
        extraFiles: [{ name: `${name}-ca.crt`, description: 'the CA the kubeconfig trusts instead of the server\'s', content: other.certPem }],
        facts: {},
      };
    }
    case 'expired-client': {
      const notAfter = new Date(now - DAY_MS);
      const client = await issueClientCert(pki.ca, { user, notBefore: new Date(now - 31 * DAY_MS), notAfter });
      return { clientCertPem: client.certPem, clientKeyPem: client.keyPem, extraFiles: [], facts: { notAfter: rfc3339(new Date(client.cert.validTo)) } };
    }
    case 'not-yet-valid-client': {
      const notBefore = new Date(now + DAY_MS);
      const client = await issueClientCert(pki.ca, { user, notBefore, notAfter: new Date(now + 366 * DAY_MS) });
      return { clientCertPem: client.certPem, clientKeyPem: client.keyPem, extraFiles: [], facts: { notBefore: rfc3339(new Date(client.cert.validFrom)) } };
    }
    case 'hostname-mismatch': {
      // tls-server-name makes the client check this name instead of the URL's host, as if the server were reached
      // under a DNS name (a load balancer's, say) that is not among the serving certificate's SANs.
      const client = await validClient(pki, name);
      const host = pki.serving.cert.checkHost(MISMATCHED_SERVER_NAME) === undefined ? MISMATCHED_SERVER_NAME : FALLBACK_MISMATCHED_NAME;
      return {
        clientCertPem: client.certPem,
        clientKeyPem: client.keyPem,
        tlsServerName: host,
        extraFiles: [],
        facts: { sans: servingDnsNames(pki).join(', '), host },
      };
    }
    case 'no-client-auth-usage': {
      // An extKeyUsage extension without clientAuth (serverAuth only). A certificate with no extKeyUsage extension at
      // all would pass: Go's Verify treats a missing extension as any usage (crypto/x509 verify.go checkChainForKeyUsage).
      const client = await issueClientCert(pki.ca, { user, extKeyUsage: ['serverAuth'] });
      return { clientCertPem: client.certPem, clientKeyPem: client.keyPem, extraFiles: [], facts: {} };
    }
    case 'untrusted-intermediate': {
      // leaf <- kube-auth-mock-intermediate-ca <- kube-auth-mock-other-ca. The client sends leaf and intermediate
      // (client-certificate-data holds both, as kube's x509_test.go "multi-level" chains); the root is not sent and
      // the server does not trust it.
      const root = await createCa({ commonName: OTHER_CA_NAME });
      const intermediate = await issueCustomCert(root, { profile: 'ca', subject: { commonName: INTERMEDIATE_CA_NAME }, validityDays: 3650 });
      const leaf = await issueCustomCert(intermediate, { profile: 'client', subject: { commonName: user } });
      return {
        clientCertPem: leaf.certPem + intermediate.certPem,
        clientKeyPem: leaf.keyPem,
        extraFiles: [
          { name: `${name}-intermediate.crt`, description: 'the intermediate CA that signed the client certificate (sent with it)', content: intermediate.certPem },
          { name: `${name}-ca.crt`, description: 'the root that signed the intermediate, which the server does not trust (never sent)', content: root.certPem },
        ],
        facts: {},
      };
    }
    case 'key-mismatch': {
      // The right certificate with a key that is not its own: the client refuses the pair before it connects.
      const [client, otherKey] = await Promise.all([validClient(pki, name), takeKey()]);
      return { clientCertPem: client.certPem, clientKeyPem: otherKey.privateKeyPem, extraFiles: [], facts: {} };
    }
    case 'expired-server': {
      // A serving certificate from the right CA for the right names, expired yesterday; the client's own credentials are fine.
      const host = new URL(server).hostname.replace(/^\[|\]$/g, '');
      const sans = [...new Set([...DEFAULT_SERVING_SANS, host])];
      const [serving, client] = await Promise.all([
        issueServingCert(pki.ca, { sans, notBefore: new Date(now - 31 * DAY_MS), notAfter: new Date(now - DAY_MS) }),
        validClient(pki, name),
      ]);
      return {
        clientCertPem: client.certPem,
        clientKeyPem: client.keyPem,
        servingPair: serving,
        extraFiles: [],
        facts: { notAfter: rfc3339(new Date(serving.cert.validTo)) },
      };
    }
    case 'unknown-client-ca': {
      // A client certificate from a CA the server does not trust. client-go sends it although the server's
      // CertificateRequest lists only its own CAs: its GetClientCertificate returns the kubeconfig's certificate
      // whatever the request says (client-go transport/transport.go).
      const other = await createCa({ commonName: OTHER_CA_NAME });
      const client = await issueClientCert(other, { user });
      return {
        clientCertPem: client.certPem,
        clientKeyPem: client.keyPem,
        extraFiles: [{ name: `${name}-ca.crt`, description: 'the CA that signed the client certificate, which the server does not trust', content: other.certPem }],
        facts: {},
      };
    }
  }
}

function kubeconfigText(name: ScenarioName, server: string, parts: Parts, pki: Pki): string {
  const text = renderKubeconfig({
    server,
    caPem: parts.trustedCaPem ?? pki.ca.certPem,
    userName: scenarioUser(name),
    clusterName: `kube-auth-mock-${name}`,
    credentials: { kind: 'cert', certPem: parts.clientCertPem, keyPem: parts.clientKeyPem },
  });
  if (parts.tlsServerName === undefined) return text;
  // client-go's Cluster.TLSServerName (clientcmd/api/v1 types.go, `tls-server-name`).
  const doc = parse(text) as { clusters: { cluster: Record<string, unknown> }[] };
  doc.clusters[0]!.cluster['tls-server-name'] = parts.tlsServerName;
  return stringify(doc);
}

/** Whether a string names a scenario. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/**
 * The server URL as the kubeconfigs hold it; throws a ScenarioError unless it is an https URL (the scenarios are about
 * TLS). "HOST:PORT" without a scheme is https://HOST:PORT, as client-go reads it for a TLS cluster (rest/url_utils.go
 * DefaultServerURL); a path stays (client-go prefixes every request with it). A user:password part is refused (it
 * would be a credential in a file written for sharing, and Go's HTTP client would send it as basic auth), and so are
 * a query and a fragment, which no API server URL has.
 */
export function checkServerUrl(server: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `https://${server}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ScenarioError(`invalid server URL ${JSON.stringify(server)}: expected https://HOST:PORT`);
  }
  if (url.protocol !== 'https:') throw new ScenarioError(`invalid server URL ${JSON.stringify(server)}: the scenarios are about TLS, use https://`);
  if (url.hostname === '') throw new ScenarioError(`invalid server URL ${JSON.stringify(server)}: expected https://HOST:PORT`);
  if (url.username !== '' || url.password !== '') throw new ScenarioError('invalid server URL: it holds a user name or password; put credentials in the kubeconfig\'s user, not in the URL');
  if (url.search !== '' || url.hash !== '') throw new ScenarioError(`invalid server URL ${JSON.stringify(server)}: a server URL has no query or fragment`);
  return text;
}

/**
 * Writes a scenario file 0600 by a new file renamed over the old: a file of that name already in the folder is
 * replaced, never written through (a symlink there would otherwise carry a private key to wherever it points), and
 * no moment passes with a key in a file of a wider mode.
 */
async function writeReplacing(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Builds one scenario's files and kubeconfig against the PKI a server uses, writing them to opts.dir when given. */
export async function buildScenario(name: string, opts: BuildScenarioOptions): Promise<BuiltScenario> {
  if (!isScenarioName(name)) throw new ScenarioError(`unknown scenario ${JSON.stringify(name)}: one of ${SCENARIO_NAMES.join(', ')}`);
  const server = checkServerUrl(opts.server);
  if (opts.dir !== undefined) {
    const existing = await stat(resolve(opts.dir)).catch(() => undefined);
    if (existing !== undefined && !existing.isDirectory()) throw new ScenarioError(`${resolve(opts.dir)}: exists and is not a folder (-o names the folder to write into)`);
  }
  const pki = typeof opts.pki === 'string' ? await loadOrInitPki(opts.pki) : opts.pki;
  const info = scenarioInfo(name);
  const parts = await buildParts(name, pki, server);
  const kubeconfig = kubeconfigText(name, server, parts, pki);
  const files: ScenarioFile[] = [{ name: `${name}.kubeconfig`, description: 'the kubeconfig that fails', content: kubeconfig }];
  if (parts.servingPair) {
    files.push(
      { name: `${name}.crt`, description: 'the expired serving certificate (--tls-cert-file)', content: parts.servingPair.certPem },
      { name: `${name}.key`, description: 'its key (--tls-private-key-file)', content: parts.servingPair.keyPem },
    );
  } else {
    files.push(
      { name: `${name}.crt`, description: 'the client certificate the kubeconfig sends', content: parts.clientCertPem },
      { name: `${name}.key`, description: 'the client key the kubeconfig holds', content: parts.clientKeyPem },
    );
  }
  files.push(...parts.extraFiles);
  const built: BuiltScenario = { name, info, kubeconfig, files, facts: parts.facts, kubectlMessage: fillMessage(info.kubectl, parts.facts) };
  if (opts.dir !== undefined) {
    const dir = resolve(opts.dir);
    await mkdir(dir, { recursive: true });
    for (const file of files) {
      file.path = join(dir, file.name);
      await writeReplacing(file.path, file.content);
    }
    built.kubeconfigFile = join(dir, `${name}.kubeconfig`);
    if (parts.servingPair) built.serveArgs = ['--tls-cert-file', join(dir, `${name}.crt`), '--tls-private-key-file', join(dir, `${name}.key`)];
  } else if (parts.servingPair) {
    built.serveArgs = ['--tls-cert-file', `${name}.crt`, '--tls-private-key-file', `${name}.key`];
  }
  return built;
}
