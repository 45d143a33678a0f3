// Reading a kubeconfig as client-go's clientcmd does for kube-apiserver's webhooks (k8s.io/apiserver v0.34.4
// pkg/util/webhook/webhook.go LoadKubeconfig: ExplicitPath loading rules, NewNonInteractiveDeferredLoadingClientConfig
// with empty overrides, ClientConfig()) and for our own CLI. Sources, k8s.io/client-go v0.34.4 tools/clientcmd:
//   loader.go          Load (a missing explicit file: the os.Stat error; others "error loading config file"),
//                      ResolveLocalPaths (relative paths are relative to the kubeconfig's folder)
//   api/v1/conversion.go  the named lists become maps ("duplicate name"); api/v1/defaults.go exec interactiveMode
//   client_config.go   DirectClientConfig.ClientConfig, getContext/getAuthInfo/getCluster (with empty overrides no
//                      entry is "required": a missing context, user or cluster is an empty one), ConfirmUsable,
//                      getUserIdentificationPartialConfig (read only when the server is https),
//                      getServerIdentificationPartialConfig
//   validation.go      validateAuthInfo, validateClusterInfo, errConfigurationInvalid ("invalid configuration: ...")
//   merged_client_builder.go  an empty config falls back to in-cluster config, never possible here
// exec plugins and auth-providers are refused (kube-auth-mock runs neither); everything else kube reads is returned.
import { open, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { goFileError, type WebhookClientConfig } from '../authn/webhook/client.js';
import { aggregateMessage } from '../apimachinery/aggregate.js';
import { goQuote } from '../apimachinery/validation.js';
import { readFileBounded } from '../util/bounded-read.js';
import { ConfigError } from '../util/errors.js';

/**
 * What a client needs from a kubeconfig to reach a server: the webhook client's own input (authn cannot import this
 * layer, so the shape is defined there and named here).
 */
export type ClientConfig = WebhookClientConfig;

/** clientcmdapi.Cluster, the fields client-go reads. */
interface Cluster {
  server: string;
  tlsServerName: string;
  insecureSkipTlsVerify: boolean;
  certificateAuthority: string;
  certificateAuthorityData: Buffer;
  proxyUrl: string;
}

/** clientcmdapi.ExecConfig, the fields validateAuthInfo reads. */
interface ExecConfig {
  command: string;
  apiVersion: string;
  env: { name: string }[];
  interactiveMode: string;
}

/** clientcmdapi.AuthInfo. */
interface AuthInfo {
  clientCertificate: string;
  clientCertificateData: Buffer;
  clientKey: string;
  clientKeyData: Buffer;
  token: string;
  tokenFile: string;
  impersonate: string;
  impersonateUid: string;
  impersonateGroups: string[];
  impersonateUserExtra: Record<string, string[]>;
  username: string;
  password: string;
  authProvider: { name: string } | undefined;
  exec: ExecConfig | undefined;
}

interface Context {
  cluster: string;
  user: string;
}

interface Config {
  currentContext: string;
  clusters: Map<string, Cluster>;
  users: Map<string, AuthInfo>;
  contexts: Map<string, Context>;
}

/** A decoding problem, in the words of Go's encoding/json where we can. */
class DecodeError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON type name Go's UnmarshalTypeError uses for a value. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** Reads one field of one struct as Go's json decoder fills it: absent or null leaves the zero value. */
class Fields {
  constructor(private readonly doc: Obj, private readonly struct: string, private readonly path: string) {}
  private bad(key: string, v: unknown, type: string): never {
    throw new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${this.struct}.${this.path}${key} of type ${type}`);
  }
  str(key: string): string {
    const v = this.doc[key];
    if (v === undefined || v === null) return '';
    return typeof v === 'string' ? v : this.bad(key, v, 'string');
  }
  bool(key: string): boolean {
    const v = this.doc[key];
    if (v === undefined || v === null) return false;
    return typeof v === 'boolean' ? v : this.bad(key, v, 'bool');
  }
  strings(key: string): string[] {
    const v = this.doc[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.bad(key, v, '[]string');
    // A null element is left the zero value, "" (encoding/json).
    return v.map((x) => (typeof x === 'string' ? x : x === null ? '' : this.bad(key, x, 'string')));
  }
  /** A []byte field: standard base64, line breaks ignored (encoding/json and base64.StdEncoding). */
  bytes(key: string): Buffer {
    const text = this.str(key).replace(/[\r\n]/g, '');
    const bad = text.search(/[^A-Za-z0-9+/=]|=[^=]|=.{2,}$/);
    if (bad >= 0 || text.length % 4 !== 0) throw new DecodeError(`illegal base64 data at input byte ${bad >= 0 ? bad : text.length - (text.length % 4)}`);
    return Buffer.from(text, 'base64');
  }
  obj(key: string, type: string): Obj | undefined {
    const v = this.doc[key];
    if (v === undefined || v === null) return undefined;
    return isObj(v) ? v : this.bad(key, v, type);
  }
}

/** v1.Config's named lists as conversion.go turns them into maps: a missing name is "", a repeated one an error. */
function namedMap<T>(doc: Obj, key: string, itemKey: string, goName: string, goType: string, read: (item: Obj) => T): Map<string, T> {
  const list = doc[key];
  const out = new Map<string, T>();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(list)} into Go struct field Config.${key} of type []v1.${goName}`);
  for (const listed of list) {
    // encoding/json leaves a null element the zero value: an entry named "" with an empty cluster, user or context.
    const entry = listed === null ? {} : listed;
    if (!isObj(entry)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(entry)} into Go struct field Config.${key} of type v1.${goName}`);
    const name = new Fields(entry, goName, `${key}.`).str('name');
    const value = read(new Fields(entry, goName, `${key}.`).obj(itemKey, `v1.${goType}`) ?? {});
    // conversion.go's text goes on with the list printed as Go values ("in list: [...]"), which we cannot reproduce.
    if (out.has(name)) throw new DecodeError(`error converting *[]${goName} into *map[string]*api.${goType}: duplicate name ${goQuote(name)} in list`);
    out.set(name, value);
  }
  return out;
}

function readCluster(o: Obj): Cluster {
  const f = new Fields(o, 'Cluster', 'clusters.cluster.');
  return {
    server: f.str('server'),
    tlsServerName: f.str('tls-server-name'),
    insecureSkipTlsVerify: f.bool('insecure-skip-tls-verify'),
    certificateAuthority: f.str('certificate-authority'),
    certificateAuthorityData: f.bytes('certificate-authority-data'),
    proxyUrl: f.str('proxy-url'),
  };
}

function readAuthInfo(o: Obj): AuthInfo {
  const f = new Fields(o, 'AuthInfo', 'users.user.');
  const provider = f.obj('auth-provider', 'v1.AuthProviderConfig');
  const execObj = f.obj('exec', 'v1.ExecConfig');
  let exec: ExecConfig | undefined;
  if (execObj !== undefined) {
    const e = new Fields(execObj, 'ExecConfig', 'users.user.exec.');
    const apiVersion = e.str('apiVersion');
    const env = execObj.env === undefined || execObj.env === null ? [] : Array.isArray(execObj.env) ? execObj.env : [];
    let interactiveMode = e.str('interactiveMode');
    // SetDefaults_ExecConfig: the two older exec API versions default to IfAvailable; v1 must say.
    if (interactiveMode === '' && (apiVersion === 'client.authentication.k8s.io/v1beta1' || apiVersion === 'client.authentication.k8s.io/v1alpha1')) interactiveMode = 'IfAvailable';
    exec = { command: e.str('command'), apiVersion, env: env.map((v) => ({ name: isObj(v) && typeof v.name === 'string' ? v.name : '' })), interactiveMode };
  }
  return {
    clientCertificate: f.str('client-certificate'),
    clientCertificateData: f.bytes('client-certificate-data'),
    clientKey: f.str('client-key'),
    clientKeyData: f.bytes('client-key-data'),
    token: f.str('token'),
    tokenFile: f.str('tokenFile'),
    impersonate: f.str('as'),
    impersonateUid: f.str('as-uid'),
    impersonateGroups: f.strings('as-groups'),
    impersonateUserExtra: userExtra(f.obj('as-user-extra', 'map[string][]string') ?? {}),
    username: f.str('username'),
    password: f.str('password'),
    authProvider: provider === undefined ? undefined : { name: new Fields(provider, 'AuthProviderConfig', 'users.user.auth-provider.').str('name') },
    exec,
  };
}

/** as-user-extra, a map[string][]string. */
function userExtra(o: Obj): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(o)) out[key] = new Fields(o, 'AuthInfo', 'users.user.as-user-extra.').strings(key);
  return out;
}

function readContext(o: Obj): Context {
  const f = new Fields(o, 'Context', 'contexts.context.');
  return { cluster: f.str('cluster'), user: f.str('user') };
}

/** loader.go Load with an ExplicitPath, then ResolveLocalPaths. Errors are clientcmd's texts. */
async function loadConfig(file: string): Promise<Config> {
  try {
    await stat(file);
  } catch (err) {
    // Only a missing file stops here (os.IsNotExist); any other problem shows when the file is read.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new DecodeError(goFileError('stat', file, err as NodeJS.ErrnoException));
  }
  const loading = (reason: string): DecodeError => new DecodeError(`error loading config file ${JSON.stringify(file)}: ${reason}`);
  let text: string;
  try {
    text = (await readFileBounded(file)).toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw loading(goFileError(e.code === 'EISDIR' || e.syscall === 'read' ? 'read' : 'open', file, e));
  }
  let doc: unknown;
  try {
    // sigs.k8s.io/yaml's non-strict YAMLToJSON, as clientcmd's codec uses it: a repeated key is the last one, and
    // go-yaml v2 applies YAML 1.1 merge keys ("<<: *anchor").
    doc = text.trim() === '' ? {} : parse(text, { uniqueKeys: false, merge: true });
  } catch (err) {
    throw loading(`yaml: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isObj(doc)) throw loading(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(doc)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  // clientcmdlatest.Codec: the document's apiVersion and kind, defaulted to v1 and Config, must be v1 Config; the
  // scheme is named after the line that made it (latest.go:50).
  const meta = new Fields(doc, 'Config', '');
  let apiVersion: string;
  let kind: string;
  try {
    apiVersion = meta.str('apiVersion') || 'v1';
    kind = meta.str('kind') || 'Config';
  } catch (err) {
    throw loading(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
  if (apiVersion !== 'v1' || kind !== 'Config') throw loading(`no kind ${goQuote(kind)} is registered for version ${goQuote(apiVersion)} in scheme "k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50"`);
  let config: Config;
  try {
    config = {
      currentContext: new Fields(doc, 'Config', '').str('current-context'),
      clusters: namedMap(doc, 'clusters', 'cluster', 'NamedCluster', 'Cluster', readCluster),
      users: namedMap(doc, 'users', 'user', 'NamedAuthInfo', 'AuthInfo', readAuthInfo),
      contexts: namedMap(doc, 'contexts', 'context', 'NamedContext', 'Context', readContext),
    };
  } catch (err) {
    if (err instanceof DecodeError) throw loading(err.message);
    throw err;
  }
  // ResolveLocalPaths: certificate-authority, client-certificate, client-key, tokenFile, and an exec command with a slash.
  const base = dirname(resolve(file));
  const abs = (p: string): string => (p === '' || isAbsolute(p) ? p : join(base, p));
  for (const c of config.clusters.values()) c.certificateAuthority = abs(c.certificateAuthority);
  for (const u of config.users.values()) {
    u.clientCertificate = abs(u.clientCertificate);
    u.clientKey = abs(u.clientKey);
    u.tokenFile = abs(u.tokenFile);
    if (u.exec?.command.includes('/')) u.exec.command = abs(u.exec.command);
  }
  return config;
}

/** ErrEmptyCluster: the one error that, alone, means "no configuration". */
const EMPTY_CLUSTER = 'cluster has no server defined';
const EMPTY_CONFIG = 'no configuration has been provided, try setting KUBERNETES_MASTER environment variable';

/** os.Open as validation.go uses it: the error text, or undefined when the file opens. */
async function openError(path: string): Promise<string | undefined> {
  try {
    // Opened and closed, not read: the file is read later, and a device such as /dev/zero never ends.
    await (await open(path, 'r')).close();
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // os.Open of a folder succeeds; reading it fails later (LoadTLSFiles).
    return e.code === 'EISDIR' ? undefined : goFileError('open', path, e);
  }
}

/**
 * Go's url.Parse refuses a "%" not followed by two hex digits in the user info, host, path and fragment; only the
 * query is kept raw (net/url url.go: parse, unescape; setFragment).
 */
function badUrlEscape(raw: string): boolean {
  const [beforeFragment = '', ...fragment] = raw.split('#');
  const query = beforeFragment.indexOf('?');
  const checked = `${query < 0 ? beforeFragment : beforeFragment.slice(0, query)}#${fragment.join('#')}`;
  return /%(?![0-9A-Fa-f]{2})/.test(checked);
}

/** helpers.go parseProxyURL: url.Parse must take it ("could not parse: ..."), and its scheme be http, https or socks5. */
function proxyUrlProblem(proxyUrl: string): string | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(proxyUrl)?.[1] ?? '';
  // Go's url.Parse refuses control characters, which WHATWG's parser would drop silently.
  if (badUrlEscape(proxyUrl) || /[\x00-\x1f\x7f]/.test(proxyUrl)) return `could not parse: ${proxyUrl}`;
  if (scheme !== '') {
    try {
      new URL(proxyUrl);
    } catch {
      return `could not parse: ${proxyUrl}`;
    }
  }
  return ['http', 'https', 'socks5'].includes(scheme) ? undefined : `unsupported scheme ${goQuote(scheme)}, must be http, https, or socks5`;
}

/** validation.go validateClusterInfo. A cluster the kubeconfig does not have is the empty one. */
async function validateClusterInfo(name: string, cluster: Cluster | undefined): Promise<string[]> {
  if (cluster === undefined) return [EMPTY_CLUSTER];
  const errors: string[] = [];
  if (cluster.server === '') errors.push(name === '' ? 'default cluster has no server defined' : `no server found for cluster ${goQuote(name)}`);
  if (cluster.proxyUrl !== '') {
    const problem = proxyUrlProblem(cluster.proxyUrl);
    if (problem !== undefined) errors.push(`invalid 'proxy-url' ${goQuote(cluster.proxyUrl)} for cluster ${goQuote(name)}: ${problem}`);
  }
  if (cluster.certificateAuthority !== '' && cluster.certificateAuthorityData.length > 0) errors.push(`certificate-authority-data and certificate-authority are both specified for ${name}. certificate-authority-data will override.`);
  if (cluster.certificateAuthority !== '') {
    const problem = await openError(cluster.certificateAuthority);
    if (problem !== undefined) errors.push(`unable to read certificate-authority ${cluster.certificateAuthority} for ${name} due to ${problem}`);
  }
  return errors;
}

/** validation.go validateAuthInfo. */
async function validateAuthInfo(name: string, a: AuthInfo): Promise<string[]> {
  const errors: string[] = [];
  const methods: string[] = [];
  if (a.token !== '') methods.push('token');
  if (a.username !== '' || a.password !== '') methods.push('basicAuth');
  if (a.clientCertificate !== '' || a.clientCertificateData.length > 0) {
    if (a.clientCertificate !== '' && a.clientCertificateData.length > 0) errors.push(`client-cert-data and client-cert are both specified for ${name}. client-cert-data will override.`);
    if (a.clientKey !== '' && a.clientKeyData.length > 0) errors.push(`client-key-data and client-key are both specified for ${name}; client-key-data will override`);
    if (a.clientKey === '' && a.clientKeyData.length === 0) errors.push(`client-key-data or client-key must be specified for ${name} to use the clientCert authentication method.`);
    if (a.clientCertificate !== '') {
      const problem = await openError(a.clientCertificate);
      if (problem !== undefined) errors.push(`unable to read client-cert ${a.clientCertificate} for ${name} due to ${problem}`);
    }
    if (a.clientKey !== '') {
      const problem = await openError(a.clientKey);
      if (problem !== undefined) errors.push(`unable to read client-key ${a.clientKey} for ${name} due to ${problem}`);
    }
  }
  if (a.exec !== undefined) {
    if (a.authProvider !== undefined) errors.push(`authProvider cannot be provided in combination with an exec plugin for ${name}`);
    if (a.exec.command === '') errors.push(`command must be specified for ${name} to use exec authentication plugin`);
    if (a.exec.apiVersion === '') errors.push(`apiVersion must be specified for ${name} to use exec authentication plugin`);
    for (const v of a.exec.env) if (v.name === '') errors.push(`env variable name must be specified for ${name} to use exec authentication plugin`);
    if (a.exec.interactiveMode === '') errors.push(`interactiveMode must be specified for ${name} to use exec authentication plugin`);
    else if (!['Never', 'IfAvailable', 'Always'].includes(a.exec.interactiveMode)) errors.push(`invalid interactiveMode for ${name}: ${goQuote(a.exec.interactiveMode)}`);
  }
  if (methods.length > 1) errors.push(`more than one authentication method found for ${name}; found [${methods.join(' ')}], only one is allowed`);
  if ((a.impersonateUid !== '' || a.impersonateGroups.length > 0 || Object.keys(a.impersonateUserExtra).length > 0) && a.impersonate === '') errors.push(`requesting uid, groups or user-extra for ${name} without impersonating a user`);
  return errors;
}

const EMPTY_AUTH_INFO: AuthInfo = {
  clientCertificate: '', clientCertificateData: Buffer.alloc(0), clientKey: '', clientKeyData: Buffer.alloc(0), token: '', tokenFile: '',
  impersonate: '', impersonateUid: '', impersonateGroups: [], impersonateUserExtra: {}, username: '', password: '', authProvider: undefined, exec: undefined,
};

/**
 * rest.IsConfigTransportTLS on the config as ClientConfig() has it at that point (the host alone): DefaultServerURL
 * takes a host without a scheme as http, so only an https:// server reads the user's credentials and the CA.
 */
function isTransportTls(host: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/[^/]/.exec(host)?.[1];
  return scheme?.toLowerCase() === 'https';
}

/**
 * Reads the kubeconfig's current context as kube-apiserver reads a webhook's: errors are client-go's texts (one
 * ConfigError naming the file), and what clientcmd accepts is accepted.
 */
export async function readClientConfig(file: string): Promise<ClientConfig> {
  return (await readKubeconfigClient(file, { plugins: 'refuse' })).config;
}

/** A user's exec plugin or auth-provider, which client-go would run to get a credential and kube-auth-mock never runs. */
export interface CredentialPlugin {
  kind: 'exec' | 'auth-provider';
  /** The exec command, or the auth-provider's name. */
  name: string;
  user: string;
}

/** What readKubeconfigClient found: the client config, the names it was read under and a plugin it did not run. */
export interface KubeconfigClient {
  config: ClientConfig;
  context: string;
  cluster: string;
  user: string;
  plugin?: CredentialPlugin;
}

/**
 * readClientConfig for a tool that describes a kubeconfig rather than refusing what it cannot run: `context` is
 * clientcmd's CurrentContext override (kubectl --context: the named context must exist), and an exec plugin or
 * auth-provider is reported (the config then carries no credential from it) instead of failing.
 */
export async function readKubeconfigClient(file: string, options: { context?: string; plugins?: 'refuse' | 'report' } = {}): Promise<KubeconfigClient> {
  const fail = (reason: string): never => {
    throw new ConfigError({ file, reason, code: 'KUBECONFIG_INVALID' });
  };
  let config: Config;
  try {
    config = await loadConfig(file);
  } catch (err) {
    if (err instanceof DecodeError) return fail(err.message);
    throw err;
  }
  // getContext/getAuthInfo/getCluster with empty overrides: the current context's entries, empty ones when absent
  // (an empty current-context selects the entries named "", not a lone cluster or user).
  // client_config.go getContextName: the override wins over current-context.
  const contextName = options.context !== undefined && options.context !== '' ? options.context : config.currentContext;
  // DirectClientConfig.ClientConfig: an overridden context is "required", so getContext fails first when it is missing.
  if (contextName === options.context && !config.contexts.has(contextName)) return fail(`context ${goQuote(contextName)} does not exist`);
  const context = config.contexts.get(contextName) ?? { cluster: '', user: '' };
  const user = config.users.get(context.user) ?? EMPTY_AUTH_INFO;
  const cluster = config.clusters.get(context.cluster);
  // DirectClientConfig.ConfirmUsable: the named context must exist, then the user's and the cluster's checks.
  const errors: string[] = [];
  if (contextName !== '' && !config.contexts.has(contextName)) errors.push(`context was not found for specified context: ${contextName}`);
  errors.push(...(await validateAuthInfo(context.user, user)));
  errors.push(...(await validateClusterInfo(context.cluster, cluster)));
  if (errors.length === 1 && errors[0] === EMPTY_CLUSTER) return fail(`invalid configuration: ${EMPTY_CONFIG}`);
  if (errors.length > 0) return fail(`invalid configuration: ${aggregateMessage(errors)}`);
  const c = cluster!;
  const out: ClientConfig = { server: c.server };
  // clientConfig.Proxy = http.ProxyURL(u), whatever the scheme.
  if (c.proxyUrl !== '') out.proxyUrl = c.proxyUrl;
  // ClientConfig() sets the impersonation whatever the scheme (before its IsConfigTransportTLS check).
  if (user.impersonate !== '') {
    out.impersonate = {
      user: user.impersonate,
      ...(user.impersonateUid !== '' ? { uid: user.impersonateUid } : {}),
      ...(user.impersonateGroups.length > 0 ? { groups: user.impersonateGroups } : {}),
      ...(Object.keys(user.impersonateUserExtra).length > 0 ? { extra: user.impersonateUserExtra } : {}),
    };
  }
  const names = { context: contextName, cluster: context.cluster, user: context.user };
  if (!isTransportTls(c.server)) return { config: out, ...names };
  // getUserIdentificationPartialConfig.
  let plugin: CredentialPlugin | undefined;
  if (user.exec !== undefined) plugin = { kind: 'exec', name: user.exec.command, user: context.user };
  else if (user.authProvider !== undefined) plugin = { kind: 'auth-provider', name: user.authProvider.name, user: context.user };
  if (plugin !== undefined && options.plugins === 'refuse') {
    return fail(plugin.kind === 'exec' ? `user ${goQuote(plugin.user)} uses an exec credential plugin (${goQuote(plugin.name)}), which kube-auth-mock does not support` : `user ${goQuote(plugin.user)} uses auth-provider ${goQuote(plugin.name)}, which kube-auth-mock does not support`);
  }
  if (user.token !== '') {
    out.token = user.token;
    if (user.tokenFile !== '') out.tokenFile = user.tokenFile;
  } else if (user.tokenFile !== '') {
    let content: string;
    try {
      content = (await readFileBounded(user.tokenFile)).toString('utf8');
    } catch (err) {
      return fail(goFileError('open', user.tokenFile, err as NodeJS.ErrnoException));
    }
    // The transport's file token source trims what it reads, and it is what requests carry.
    if (content.trim() !== '') out.token = content.trim();
    out.tokenFile = user.tokenFile;
  }
  const fileOr = async (data: Buffer, path: string): Promise<string | undefined> => {
    if (data.length > 0) return data.toString('utf8');
    if (path === '') return undefined;
    try {
      return (await readFileBounded(path)).toString('utf8');
    } catch (err) {
      // rest.LoadTLSFiles: os.ReadFile's error.
      const e = err as NodeJS.ErrnoException;
      return fail(goFileError(e.code === 'EISDIR' || e.syscall === 'read' ? 'read' : 'open', path, e));
    }
  };
  if (user.clientCertificate !== '' || user.clientCertificateData.length > 0) {
    const cert = await fileOr(user.clientCertificateData, user.clientCertificate);
    const key = await fileOr(user.clientKeyData, user.clientKey);
    if (cert !== undefined) out.certPem = cert;
    if (key !== undefined) out.keyPem = key;
  }
  if (user.username !== '' || user.password !== '') {
    out.username = user.username;
    out.password = user.password;
  }
  // getServerIdentificationPartialConfig.
  const ca = await fileOr(c.certificateAuthorityData, c.certificateAuthority);
  if (ca !== undefined) out.caPem = ca;
  if (c.insecureSkipTlsVerify) out.insecureSkipTlsVerify = true;
  if (c.tlsServerName !== '') out.tlsServerName = c.tlsServerName;
  return { config: out, ...names, ...(plugin !== undefined ? { plugin } : {}) };
}
