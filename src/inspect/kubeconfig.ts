// A kubeconfig, all of it: every cluster, user and context, which context is current, and for each entry what it
// holds (certificates decoded, keys matched to their certificates, the kind of token). Paths are relative to the
// kubeconfig's folder, as client-go's ResolveLocalPaths makes them (tools/clientcmd/loader.go); embedded *-data
// fields win over files, as client-go's validation warns (tools/clientcmd/validation.go). This reads leniently, for
// explaining: a field of the wrong type is a problem listed beside the entry, not a failure of the whole file.
import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isRecord } from '../apimachinery/json-value.js';
import { decodePem, type Decoded } from './decode.js';
import { JwtError, jwtItem, looksLikeJwt } from './jwt.js';
import { samePublicKey } from './keys.js';
import type { JwtItem, KubeconfigCluster, KubeconfigContext, KubeconfigItem, KubeconfigUser } from './types.js';

type Obj = Record<string, unknown>;

/** Each user's client certificate chain, for a --ca check (the report holds only their descriptions). */
const CLIENT_CHAINS = new WeakMap<KubeconfigUser, X509Certificate[]>();

/** The client certificates a kubeconfig user entry holds, leaf first. */
export function clientChainOf(user: KubeconfigUser): X509Certificate[] {
  return CLIENT_CHAINS.get(user) ?? [];
}

/** Whether a parsed YAML/JSON document is a kubeconfig: kind Config, or the named lists only a kubeconfig has. */
export function isKubeconfigDocument(doc: unknown): doc is Obj {
  if (!isRecord(doc)) return false;
  if (doc.kind === 'Config') return true;
  return ['clusters', 'users', 'contexts'].some((k) => Array.isArray(doc[k])) || typeof doc['current-context'] === 'string';
}

const str = (o: Obj, k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');

/** The named list's entries: [name, inner object]. */
function named(doc: Obj, list: string, inner: string): [string, Obj][] {
  const v = doc[list];
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((e) => [str(e, 'name'), isRecord(e[inner]) ? e[inner] : {}]);
}

/** The PEM text of a *-data field or a file field, and where it came from; undefined when neither is set. */
function material(entry: Obj, dataKey: string, fileKey: string, baseDir: string, problems: string[]): { text: string; source: string } | undefined {
  const data = str(entry, dataKey);
  if (data !== '') {
    const clean = data.replace(/\s/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
      problems.push(`${dataKey} is not base64 (kubectl: illegal base64 data)`);
      return undefined;
    }
    return { text: Buffer.from(clean, 'base64').toString('utf8'), source: `${dataKey} (embedded)` };
  }
  const file = str(entry, fileKey);
  if (file === '') return undefined;
  const path = isAbsolute(file) ? file : join(baseDir, file);
  try {
    return { text: readFileSync(path, 'utf8'), source: path };
  } catch (err) {
    problems.push(`${fileKey} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return undefined;
  }
}

function decodeOrProblem(text: string, what: string, now: Date, problems: string[]): Decoded | undefined {
  try {
    const decoded = decodePem(text, now);
    if (decoded.items.length === 0) problems.push(`${what} holds no PEM block`);
    return decoded;
  } catch (err) {
    problems.push(`${what}: ${(err as Error).message}`);
    return undefined;
  }
}

function cluster(name: string, c: Obj, baseDir: string, now: Date, problems: string[]): KubeconfigCluster {
  const ca = material(c, 'certificate-authority-data', 'certificate-authority', baseDir, problems);
  const decoded = ca === undefined ? undefined : decodeOrProblem(ca.text, `cluster ${JSON.stringify(name)}'s CA`, now, problems);
  const out: KubeconfigCluster = {
    name,
    server: str(c, 'server'),
    caSource: ca?.source ?? '',
    ca: decoded?.items ?? [],
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c, 'tls-server-name'),
    proxyUrl: str(c, 'proxy-url'),
  };
  if (out.server === '') problems.push(`cluster ${JSON.stringify(name)} has no server`);
  return out;
}

/** A bearer token's kind, and the JWT decoded when it is one. */
function tokenKind(token: string, now: Date): { kind: string; jwt?: JwtItem } {
  if (/^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token)) {
    const id = token.slice(0, 6);
    // plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go: user system:bootstrap:<id>, group system:bootstrappers (plus the Secret's extra groups).
    return { kind: `bootstrap token ${id}: user system:bootstrap:${id}, group system:bootstrappers, when kube-system holds Secret bootstrap-token-${id} and --enable-bootstrap-token-auth is on` };
  }
  if (looksLikeJwt(token)) {
    try {
      const jwt = jwtItem(1, token, now);
      return { kind: jwt.serviceAccount ? `ServiceAccount token (${jwt.serviceAccount.generation}) for ${jwt.serviceAccount.namespace}/${jwt.serviceAccount.serviceAccount}, ${jwt.validity.words}` : `JWT from ${JSON.stringify(jwt.issuer)}, ${jwt.validity.words}`, jwt };
    } catch (err) {
      if (!(err instanceof JwtError)) throw err;
      return { kind: `looks like a JWT but is ${err.message.replace(/^not a valid JWT: /, 'not one: ')}` };
    }
  }
  return { kind: 'opaque bearer token: kube-apiserver looks it up in --token-auth-file, or asks a token webhook' };
}

function user(name: string, u: Obj, baseDir: string, now: Date): KubeconfigUser {
  const problems: string[] = [];
  const methods: string[] = [];
  const out: KubeconfigUser = { name, methods, clientCertificate: [], clientCertificateSource: '', clientKey: [], clientKeySource: '', problems };
  const cert = material(u, 'client-certificate-data', 'client-certificate', baseDir, problems);
  const key = material(u, 'client-key-data', 'client-key', baseDir, problems);
  if (cert !== undefined) {
    methods.push('client certificate');
    out.clientCertificateSource = cert.source;
    const decodedCert = decodeOrProblem(cert.text, 'client certificate', now, problems);
    out.clientCertificate = decodedCert?.items ?? [];
    if (decodedCert) CLIENT_CHAINS.set(out, decodedCert.certs);
    if (key === undefined) problems.push('a client certificate without a client key: kubectl refuses it (client-key-data or client-key must be specified)');
    else {
      out.clientKeySource = key.source;
      const decodedKey = decodeOrProblem(key.text, 'client key', now, problems);
      out.clientKey = decodedKey?.items ?? [];
      const leaf = decodedCert?.certs[0];
      const privateKey = decodedKey?.privateKeys[0]?.key;
      if (leaf !== undefined && privateKey !== undefined) {
        out.keyMatchesCertificate = samePublicKey(leaf.publicKey, privateKey);
        if (!out.keyMatchesCertificate) problems.push('the client key does not belong to the client certificate: kubectl fails with "tls: private key does not match public key"');
      }
    }
  }
  let token = str(u, 'token');
  let tokenSource = 'token';
  const tokenFile = str(u, 'tokenFile');
  if (token === '' && tokenFile !== '') {
    const path = isAbsolute(tokenFile) ? tokenFile : join(baseDir, tokenFile);
    tokenSource = path;
    try {
      token = readFileSync(path, 'utf8').trim();
    } catch (err) {
      problems.push(`tokenFile ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (token !== '') {
    const kind = tokenKind(token, now);
    methods.push(`bearer token (${kind.jwt?.serviceAccount ? 'ServiceAccount token' : kind.jwt ? 'JWT' : kind.kind.startsWith('bootstrap') ? 'bootstrap token' : 'opaque'})`);
    out.token = { source: tokenSource, kind: kind.kind, ...(kind.jwt ? { jwt: kind.jwt } : {}) };
  }
  if (str(u, 'username') !== '' || str(u, 'password') !== '') {
    methods.push('basic auth');
    out.basicAuth = { username: str(u, 'username'), passwordLength: str(u, 'password').length };
  }
  if (isRecord(u.exec)) {
    const args = Array.isArray(u.exec.args) ? u.exec.args.filter((a): a is string => typeof a === 'string') : [];
    out.exec = { command: str(u.exec, 'command'), args, apiVersion: str(u.exec, 'apiVersion') };
    methods.push(`exec plugin ${JSON.stringify(out.exec.command)} (kubectl runs it for a credential)`);
  }
  if (isRecord(u['auth-provider'])) {
    out.authProvider = str(u['auth-provider'], 'name');
    methods.push(`auth-provider ${JSON.stringify(out.authProvider)} (since client-go 1.26 only oidc is built in)`);
  }
  if (str(u, 'as') !== '') {
    const groups = Array.isArray(u['as-groups']) ? u['as-groups'].filter((g): g is string => typeof g === 'string') : [];
    out.impersonate = { user: str(u, 'as'), groups, uid: str(u, 'as-uid') };
  }
  // validation.go validateAuthInfo: token and basic auth together is an error; a certificate may go with either.
  if (out.token && out.basicAuth) problems.push(`more than one authentication method found for ${name}; found [token basicAuth], only one is allowed`);
  if (methods.length === 0) problems.push('no credentials: requests go as system:anonymous (if the server allows anonymous requests)');
  return out;
}

/** Explains a kubeconfig document read from `baseDir` (its folder, for relative paths). */
export function kubeconfigItem(doc: Obj, baseDir: string, now: Date): KubeconfigItem {
  const problems: string[] = [];
  const currentContext = str(doc, 'current-context');
  const clusters = named(doc, 'clusters', 'cluster').map(([n, c]) => cluster(n, c, baseDir, now, problems));
  const users = named(doc, 'users', 'user').map(([n, u]) => user(n, u, baseDir, now));
  const contexts: KubeconfigContext[] = named(doc, 'contexts', 'context').map(([n, c]) => {
    const ctxProblems: string[] = [];
    if (!clusters.some((cl) => cl.name === str(c, 'cluster'))) ctxProblems.push(`cluster ${JSON.stringify(str(c, 'cluster'))} is not in this kubeconfig`);
    if (!users.some((us) => us.name === str(c, 'user'))) ctxProblems.push(`user ${JSON.stringify(str(c, 'user'))} is not in this kubeconfig`);
    return { name: n, cluster: str(c, 'cluster'), user: str(c, 'user'), namespace: str(c, 'namespace'), current: n === currentContext, problems: ctxProblems };
  });
  if (currentContext === '') problems.push('no current-context: kubectl needs --context');
  else if (!contexts.some((c) => c.current)) problems.push(`current-context ${JSON.stringify(currentContext)} is not in this kubeconfig (kubectl: context was not found for specified context: ${currentContext})`);
  return { kind: 'kubeconfig', position: 1, currentContext, clusters, users, contexts, problems };
}
