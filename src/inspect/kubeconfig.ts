// A kubeconfig, all of it: every cluster, user and context, which context is current, and for each entry what it
// holds (certificates decoded, keys matched to their certificates, the kind of token). Paths are relative to the
// kubeconfig's folder, as client-go's ResolveLocalPaths makes them (tools/clientcmd/loader.go); embedded *-data
// fields win over files, as client-go's validation warns (tools/clientcmd/validation.go). This reads leniently, for
// explaining: a field of the wrong type is a problem listed beside the entry, not a failure of the whole file.
import type { X509Certificate } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { isRecord } from '../apimachinery/json-value.js';
import { decodePem, type Decoded } from './decode.js';
import { JwtError, jwtItem, looksLikeJwt } from './jwt.js';
import { keyMismatchError, samePublicKey } from './keys.js';
import { readFailure, readFileLimited } from './read-limited.js';
import type { CertificateItem, JwtItem, KubeconfigCluster, KubeconfigContext, KubeconfigItem, KubeconfigUser } from './types.js';

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

/** A URL with its password (https://user:secret@host, common in proxy-url) replaced: a report never holds a secret. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password === '') return text;
    // Replace in the text as written (URL.toString() would add a trailing slash the kubeconfig does not have).
    return text.replace(/^([^:/]+:\/\/[^:/@]*:)[^/]*@/, '$1REDACTED@');
  } catch {
    return text;
  }
}

/** The named list's entries: [name, inner object]. */
function named(doc: Obj, list: string, inner: string): [string, Obj][] {
  const v = doc[list];
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((e) => [str(e, 'name'), isRecord(e[inner]) ? e[inner] : {}]);
}

/** A flag whose value is a secret: --token, --password, --client-secret, --api-key and the like. */
const SECRET_FLAG = /^--?[\w-]*(token|password|passwd|secret|api-?key)[\w-]*$/i;

/**
 * An exec plugin's args with the values of secret-looking flags (--token X, --password=X) replaced: plugins are
 * sometimes given a credential on their command line, and a report never holds one.
 */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const eq = /^(--?[\w-]+)=/.exec(arg);
    if (eq && SECRET_FLAG.test(eq[1]!)) return `${eq[1]}=REDACTED`;
    const previous = args[i - 1];
    if (previous !== undefined && !previous.includes('=') && SECRET_FLAG.test(previous) && !arg.startsWith('-')) return 'REDACTED';
    return arg;
  });
}

/** A field's expected JSON type in client-go's v1.Config (tools/clientcmd/api/v1/types.go). */
type Shape = 'string' | 'bool' | 'strings' | { list: Readonly<Record<string, Shape>> } | { map: Readonly<Record<string, Shape>> } | 'object';

const CLUSTER: Readonly<Record<string, Shape>> = {
  server: 'string', 'tls-server-name': 'string', 'certificate-authority': 'string', 'certificate-authority-data': 'string',
  'proxy-url': 'string', 'insecure-skip-tls-verify': 'bool', 'disable-compression': 'bool', extensions: 'object',
};
const EXEC: Readonly<Record<string, Shape>> = {
  command: 'string', apiVersion: 'string', installHint: 'string', interactiveMode: 'string', args: 'strings',
  env: { list: { name: 'string', value: 'string' } }, provideClusterInfo: 'bool',
};
const USER: Readonly<Record<string, Shape>> = {
  'client-certificate': 'string', 'client-certificate-data': 'string', 'client-key': 'string', 'client-key-data': 'string',
  token: 'string', tokenFile: 'string', as: 'string', 'as-uid': 'string', 'as-groups': 'strings', 'as-user-extra': 'object',
  username: 'string', password: 'string', exec: { map: EXEC }, 'auth-provider': 'object', extensions: 'object',
};
const CONTEXT: Readonly<Record<string, Shape>> = { cluster: 'string', user: 'string', namespace: 'string', extensions: 'object' };
const CONFIG: Readonly<Record<string, Shape>> = {
  kind: 'string', apiVersion: 'string', 'current-context': 'string', preferences: 'object', extensions: 'object',
  clusters: { list: { name: 'string', cluster: { map: CLUSTER } } },
  users: { list: { name: 'string', user: { map: USER } } },
  contexts: { list: { name: 'string', context: { map: CONTEXT } } },
};

const jsonType = (v: unknown): string => (Array.isArray(v) ? 'a list' : isRecord(v) ? 'a map' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : `a ${typeof v}`);

/**
 * Where the document's types differ from v1.Config's. client-go decodes a kubeconfig as JSON into typed structs
 * (clientcmd.Load, runtime.Decode), so one number where a string belongs ("json: cannot unmarshal number into Go
 * struct field ... of type string") makes kubectl refuse the whole file; null is Go's zero value and is fine.
 */
export function typeProblems(doc: Obj, shape: Readonly<Record<string, Shape>> = CONFIG, path = ''): string[] {
  const out: string[] = [];
  for (const [key, want] of Object.entries(shape)) {
    const v = doc[key];
    if (v === undefined || v === null) continue;
    const where = path === '' ? key : `${path}.${key}`;
    const bad = (expected: string): void => {
      out.push(`${where} is ${jsonType(v)}, not ${expected}: kubectl cannot load this kubeconfig`);
    };
    if (want === 'string') { if (typeof v !== 'string') bad('a string'); }
    else if (want === 'bool') { if (typeof v !== 'boolean') bad('true or false'); }
    else if (want === 'object') { if (!isRecord(v) && !Array.isArray(v)) bad('a map or list'); }
    else if (want === 'strings') {
      if (!Array.isArray(v)) bad('a list of strings');
      else if (!v.every((e) => typeof e === 'string' || e === null)) out.push(`${where} holds ${jsonType(v.find((e) => typeof e !== 'string' && e !== null))}, not only strings: kubectl cannot load this kubeconfig`);
    } else if ('list' in want) {
      if (!Array.isArray(v)) bad('a list');
      else v.forEach((e, i) => {
        if (e === null) return;
        if (!isRecord(e)) out.push(`${where}[${i}] is ${jsonType(e)}, not a map: kubectl cannot load this kubeconfig`);
        else out.push(...typeProblems(e, want.list, `${where}[${i}]`));
      });
    } else if (!isRecord(v)) bad('a map');
    else out.push(...typeProblems(v, want.map, where));
  }
  return out;
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
    return { text: readFileLimited(path, { regularOnly: true }).toString('utf8'), source: path };
  } catch (err) {
    problems.push(`${fileKey} ${path} cannot be read: ${readFailure(err)}`);
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
    server: redactUrl(str(c, 'server')),
    caSource: ca?.source ?? '',
    ca: decoded?.items ?? [],
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c, 'tls-server-name'),
    proxyUrl: redactUrl(str(c, 'proxy-url')),
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
        if (!out.keyMatchesCertificate) problems.push(`the client key does not belong to the client certificate: kubectl fails with "${keyMismatchError(leaf.publicKey, privateKey)}"`);
      } else if (decodedKey !== undefined && decodedKey.items.some((i) => i.kind === 'private-key' && i.encrypted)) {
        out.keyMatchesCertificate = false;
        problems.push('the client key is encrypted: kubectl cannot use it (Go\'s tls.X509KeyPair: tls: failed to parse private key)');
      }
    }
    // A pair kubectl cannot load (tls.X509KeyPair fails) never reaches the server: the certificate's user is nobody.
    if (out.keyMatchesCertificate === false || key === undefined) {
      const leafItem = out.clientCertificate.find((i): i is CertificateItem => i.kind === 'certificate');
      if (leafItem?.kube !== undefined) leafItem.kube = { outcome: 'refused', authenticator: leafItem.kube.authenticator, reason: 'kubectl never sends this certificate: its key is missing, unreadable or not its own (see the problems below)' };
    }
  } else if (str(u, 'client-certificate') !== '' || str(u, 'client-key') !== '' || str(u, 'client-key-data') !== '') {
    // Named but unreadable: client-go fails to load it (validation.go: unable to read client-cert ...), it is no anonymous request.
    methods.push('client certificate (unreadable: kubectl stops here)');
  }
  let token = str(u, 'token');
  let tokenSource = 'token';
  const tokenFile = str(u, 'tokenFile');
  if (token === '' && tokenFile !== '') {
    const path = isAbsolute(tokenFile) ? tokenFile : join(baseDir, tokenFile);
    tokenSource = path;
    try {
      token = readFileLimited(path, { regularOnly: true }).toString('utf8').trim();
    } catch (err) {
      problems.push(`tokenFile ${path} cannot be read: ${readFailure(err)}`);
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
    const args = redactArgs(Array.isArray(u.exec.args) ? u.exec.args.filter((a): a is string => typeof a === 'string') : []);
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
  const problems: string[] = typeProblems(doc);
  const currentContext = str(doc, 'current-context');
  const clusters = named(doc, 'clusters', 'cluster').map(([n, c]) => cluster(n, c, baseDir, now, problems));
  const users = named(doc, 'users', 'user').map(([n, u]) => user(n, u, baseDir, now));
  const contexts: KubeconfigContext[] = named(doc, 'contexts', 'context').map(([n, c]) => {
    const ctxProblems: string[] = [];
    if (!clusters.some((cl) => cl.name === str(c, 'cluster'))) ctxProblems.push(`cluster ${JSON.stringify(str(c, 'cluster'))} is not in this kubeconfig`);
    if (!users.some((us) => us.name === str(c, 'user'))) ctxProblems.push(`user ${JSON.stringify(str(c, 'user'))} is not in this kubeconfig`);
    return { name: n, cluster: str(c, 'cluster'), user: str(c, 'user'), namespace: str(c, 'namespace'), current: currentContext !== '' && n === currentContext, problems: ctxProblems };
  });
  if (currentContext === '') problems.push('no current-context: kubectl needs --context');
  else if (!contexts.some((c) => c.current)) problems.push(`current-context ${JSON.stringify(currentContext)} is not in this kubeconfig (kubectl: context was not found for specified context: ${currentContext})`);
  return { kind: 'kubeconfig', position: 1, currentContext, clusters, users, contexts, problems };
}
