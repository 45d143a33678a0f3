import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_KUBERNETES_VERSION } from '../api/version.js';
import { parseGoDuration } from '../apimachinery/go-time.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER } from '../server/service-accounts.js';
import { AUTHORIZATION_MODES, DEFAULT_AUTHORIZATION_MODE } from '../authz/config.js';
import { startServer, type KubeAuthMockServer, type StartServerOptions } from '../server/start.js';
import { createLogger, type LogFormat } from '../util/log.js';
import { ConfigError } from '../util/errors.js';
import { helpText, listFlag, parseFlags, portFlag, stringFlag, type FlagSpec } from './flags.js';
import { identityTable } from './table.js';
import { parentWatchMode, watchParent } from './parent-watch.js';

/** kube-apiserver's flag names, plus our own --pki-dir, --ready-file, --log-format and --kubernetes-version. */
export const SERVE_FLAGS: readonly FlagSpec[] = [
  { name: 'secure-port', type: 'string', default: '6443', help: 'HTTPS port; 0 picks a free one' },
  { name: 'bind-address', type: 'string', default: '127.0.0.1', help: 'address to listen on' },
  { name: 'pki-dir', type: 'string', default: 'pki', help: 'folder of the CA, certificates, keys, demo identities and kubeconfigs; created on first start' },
  { name: 'tls-san', type: 'string', multiple: true, help: 'extra DNS name or IP for the serving certificate' },
  { name: 'tls-cert-file', type: 'string', help: 'serving certificate (default: the PKI folder\'s apiserver.crt)' },
  { name: 'tls-private-key-file', type: 'string', help: 'serving key (default: the PKI folder\'s apiserver.key)' },
  { name: 'client-ca-file', type: 'string', help: 'CA bundle that client certificates must chain to (default: the PKI folder\'s ca.crt)' },
  { name: 'requestheader-client-ca-file', type: 'string', help: 'Root certificate bundle to use to verify client certificates on incoming requests before trusting usernames in headers specified by --requestheader-username-headers. WARNING: generally do not depend on authorization being already done for incoming requests. (default: the PKI folder\'s front-proxy-ca.crt, with kubeadm\'s header flags)' },
  { name: 'requestheader-allowed-names', type: 'string', multiple: true, help: 'List of client certificate common names to allow to provide usernames in headers specified by --requestheader-username-headers. If empty, any client certificate validated by the authorities in --requestheader-client-ca-file is allowed.' },
  { name: 'requestheader-username-headers', type: 'string', multiple: true, help: 'List of request headers to inspect for usernames. X-Remote-User is common.' },
  { name: 'requestheader-uid-headers', type: 'string', multiple: true, help: 'List of request headers to inspect for UIDs. X-Remote-Uid is suggested. Requires the RemoteRequestHeaderUID feature to be enabled.' },
  { name: 'requestheader-group-headers', type: 'string', multiple: true, help: 'List of request headers to inspect for groups. X-Remote-Group is suggested.' },
  { name: 'requestheader-extra-headers-prefix', type: 'string', multiple: true, help: 'List of request header prefixes to inspect. X-Remote-Extra- is suggested.' },
  { name: 'token-auth-file', type: 'string', help: 'static tokens, CSV token,user,uid,"group1,group2" (default: the PKI folder\'s token-auth-file.csv)' },
  { name: 'basic-auth-file', type: 'string', help: 'static passwords, CSV password,user,uid,"group1,group2" (default: the PKI folder\'s basic-auth-file.csv)' },
  { name: 'anonymous-auth', type: 'boolean', default: 'true', help: 'requests with no credentials are system:anonymous; false makes them 401' },
  { name: 'enable-bootstrap-token-auth', type: 'boolean', default: 'false', help: "Enable to allow secrets of type 'bootstrap.kubernetes.io/token' in the 'kube-system' namespace to be used for TLS bootstrapping authentication." },
  { name: 'authentication-token-webhook-config-file', type: 'string', help: 'File with webhook configuration for token authentication in kubeconfig format. The API server will query the remote service to determine authentication for bearer tokens.' },
  { name: 'authentication-token-webhook-version', type: 'string', default: 'v1beta1', help: 'The API version of the authentication.k8s.io TokenReview to send to and expect from the webhook.' },
  { name: 'authentication-token-webhook-cache-ttl', type: 'string', default: '2m0s', help: 'The duration to cache responses from the webhook token authenticator.' },
  { name: 'authorization-webhook-config-file', type: 'string', help: "File with webhook configuration in kubeconfig format, used with --authorization-mode=Webhook. The API server will query the remote service to determine access on the API server's secure port." },
  { name: 'authorization-webhook-version', type: 'string', default: 'v1beta1', help: 'The API version of the authorization.k8s.io SubjectAccessReview to send to and expect from the webhook.' },
  { name: 'authorization-webhook-cache-authorized-ttl', type: 'string', default: '5m0s', help: "The duration to cache 'authorized' responses from the webhook authorizer." },
  { name: 'authorization-webhook-cache-unauthorized-ttl', type: 'string', default: '30s', help: "The duration to cache 'unauthorized' responses from the webhook authorizer." },
  { name: 'authorization-mode', type: 'string', default: DEFAULT_AUTHORIZATION_MODE, help: `comma list of ${AUTHORIZATION_MODES.join(', ')}` },
  { name: 'policy-dir', type: 'string', default: 'policies', help: 'folder of RBAC objects as Kubernetes YAML (*.yaml, *.yml, *.json), watched; the default is skipped when it does not exist' },
  { name: 'rbac-file', type: 'string', multiple: true, help: 'a file of RBAC objects as Kubernetes YAML, watched' },
  { name: 'bootstrap-policy', type: 'boolean', default: 'true', help: 'load kube-apiserver\'s default ClusterRoles and ClusterRoleBindings' },
  { name: 'api-audiences', type: 'string', multiple: true, help: 'identifiers of the API: tokens must be meant for at least one (default: the service account issuers)' },
  { name: 'service-account-issuer', type: 'string', multiple: true, help: `(default: ${DEFAULT_SERVICE_ACCOUNT_ISSUER}) Identifier of the service account token issuer. The issuer will assert this identifier in "iss" claim of issued tokens. This value is a string or URI. If this option is not a valid URI per the OpenID Discovery 1.0 spec, the ServiceAccountIssuerDiscovery feature will remain disabled, even if the feature gate is set to true. It is highly recommended that this value comply with the OpenID spec: https://openid.net/specs/openid-connect-discovery-1_0.html. In practice, this means that service-account-issuer must be an https URL. It is also highly recommended that this URL be capable of serving OpenID discovery documents at {service-account-issuer}/.well-known/openid-configuration. When this flag is specified multiple times, the first is used to generate tokens and all are used to determine which issuers are accepted.` },
  { name: 'service-account-key-file', type: 'string', multiple: true, help: 'PEM public keys, private keys or certificates (RSA, ECDSA) that verify ServiceAccount tokens (default: the signing key\'s)' },
  { name: 'service-account-signing-key-file', type: 'string', help: 'PEM private key that signs ServiceAccount tokens (default: the PKI folder\'s sa.key)' },
  { name: 'service-account-lookup', type: 'boolean', default: 'true', help: 'check legacy ServiceAccount tokens against their Secret and ServiceAccount' },
  { name: 'service-account-max-token-expiration', type: 'string', help: 'longest TokenRequest, a Go duration between 1h and 2^32s (default: no limit)' },
  { name: 'service-account-extend-token-expiration', type: 'boolean', default: 'true', help: 'pod-bound tokens asked for 3607s last a year, as kubelet expects' },
  { name: 'service-account-jwks-uri', type: 'string', help: 'Overrides the URI for the JSON Web Key Set in the discovery doc served at /.well-known/openid-configuration. This flag is useful if the discovery doc and key set are served to relying parties from a URL other than the API server\'s external (as auto-detected or overridden with external-hostname).' },
  { name: 'audit-policy-file', type: 'string', help: 'Path to the file that defines the audit policy configuration.' },
  { name: 'audit-log-path', type: 'string', help: "If set, all requests coming to the apiserver will be logged to this file.  '-' means standard out." },
  { name: 'audit-log-maxage', type: 'string', default: '0', help: 'The maximum number of days to retain old audit log files based on the timestamp encoded in their filename.' },
  { name: 'audit-log-maxbackup', type: 'string', default: '0', help: "The maximum number of old audit log files to retain. Setting a value of 0 will mean there's no restriction on the number of files." },
  { name: 'audit-log-maxsize', type: 'string', default: '0', help: 'The maximum size in megabytes of the audit log file before it gets rotated. (0: lumberjack\'s 100)' },
  { name: 'audit-log-compress', type: 'boolean', default: 'false', help: 'If set, the rotated log files will be compressed using gzip.' },
  { name: 'audit-log-format', type: 'string', default: 'json', help: 'Format of saved audits. "legacy" indicates 1-line text format for each event. "json" indicates structured json format. Known formats are legacy,json.' },
  { name: 'audit-log-mode', type: 'string', default: 'blocking', help: 'Strategy for sending audit events. Blocking indicates sending events should block server responses. Batch causes the backend to buffer and write events asynchronously. Known modes are batch,blocking,blocking-strict. (batch is not built)' },
  { name: 'ui', type: 'boolean', default: 'false', help: 'serve the live view: a page showing each request (TLS, authenticators, authorization, response) on plain HTTP at 127.0.0.1 only (docs/live-view.md)' },
  { name: 'ui-port', type: 'string', help: 'port of the live view on 127.0.0.1 (default: a free one); implies --ui' },
  { name: 'tls-trace', type: 'boolean', default: 'false', help: 'log each TLS connection: version, cipher suite, key exchange group, ALPN, SNI, resumption, the client certificate chain and what the x509 authenticator makes of it; failed handshakes at trace level' },
  { name: 'tls-keylog', type: 'string', help: 'append every connection\'s TLS session secrets to this file (NSS key log format, created 0600) for Wireshark or tshark; anyone holding it can decrypt the traffic' },
  { name: 'kubernetes-version', type: 'string', default: DEFAULT_KUBERNETES_VERSION, help: 'the version /version reports' },
  { name: 'log-format', type: 'string', default: 'text', help: 'text or json (one line per request, on stderr)' },
  { name: 'ready-file', type: 'string', help: 'write the ready line (JSON) to this file instead of stdout' },
  { name: 'exit-with-parent', type: 'boolean', help: 'stop when the process that started the server exits or closes its standard input (a test fixture holds a pipe to stdin open). Without the flag, a server started through npm start or npx stops when npm exits; --exit-with-parent=false keeps it running' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const EXAMPLES = [
  'kube-auth-mock serve',
  'kube-auth-mock serve --secure-port 0 --ready-file /tmp/ready.json',
  'kube-auth-mock serve --secure-port 0 --ready-file /tmp/ready.json --exit-with-parent < some-pipe',
  'kube-auth-mock serve --anonymous-auth=false --authorization-mode RBAC,AlwaysDeny',
  'kube-auth-mock serve --policy-dir ./rbac --rbac-file extra-bindings.yaml',
  'kube-auth-mock serve --token-auth-file tokens.csv --log-format json',
  'kube-auth-mock serve --ui --ui-port 8080',
  'kube-auth-mock serve --tls-trace --tls-keylog /tmp/keys.log',
];

/** `kube-auth-mock serve`: starts the server and stays up until SIGINT or SIGTERM. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, SERVE_FLAGS, { command: 'serve' });
  if (values.help) {
    process.stdout.write(helpText('kube-auth-mock serve [flags]   (npm start -- [flags] is the same)', EXAMPLES, SERVE_FLAGS));
    return 0;
  }
  const logFormat = stringFlag(values, 'log-format', 'text');
  if (logFormat !== 'text' && logFormat !== 'json') throw new ConfigError({ file: '--log-format', reason: `${JSON.stringify(logFormat)} is not text or json`, code: 'FLAG_INVALID' });
  const log = createLogger(logFormat as LogFormat);
  const pkiDir = resolve(stringFlag(values, 'pki-dir', 'pki')!);
  const audiences = listFlag(values, 'api-audiences');
  // Stop requests are taken from the start: a parent may send SIGTERM, or die, while the PKI is still being made,
  // and a signal that arrives with no listener would kill the process half-way through writing its files.
  let stopRequested: Record<string, string> | undefined;
  let whenStopRequested: () => void = () => undefined;
  const stopRequest = new Promise<void>((resolveRequest) => {
    whenStopRequested = resolveRequest;
  });
  const stop = (why: Record<string, string>): void => {
    if (stopRequested !== undefined) {
      // kube-apiserver's SetupSignalHandler: a second signal exits at once, with code 1. Only a second signal:
      // a fixture that closed stdin and then sends SIGTERM is asking for the same clean stop.
      if ('signal' in why && 'signal' in stopRequested) process.exit(1);
      return;
    }
    stopRequested = why;
    log.info(why, 'shutting down');
    whenStopRequested();
  };
  const onSigint = (): void => stop({ signal: 'SIGINT' });
  const onSigterm = (): void => stop({ signal: 'SIGTERM' });
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const exitWithParent = values['exit-with-parent'];
  const mode = parentWatchMode(typeof exitWithParent === 'boolean' ? exitWithParent : undefined, process.env);
  // Reading a terminal from the background stops the process (SIGTTIN); the end of a terminal is not a parent leaving.
  if (mode.stdin && process.stdin.isTTY === true) {
    mode.stdin = false;
    log.info({}, 'standard input is a terminal: --exit-with-parent watches the parent process only');
  }
  const unwatch = watchParent({ ...mode, onGone: (reason) => stop({ reason }) });
  try {
    const server = await startServer({
      port: portFlag(values, 'secure-port', 6443),
      bindAddress: stringFlag(values, 'bind-address', '127.0.0.1')!,
      pkiDir,
      tlsSans: listFlag(values, 'tls-san'),
      ...optional('tlsCertFile', stringFlag(values, 'tls-cert-file')),
      ...optional('tlsPrivateKeyFile', stringFlag(values, 'tls-private-key-file')),
      ...optional('clientCaFile', stringFlag(values, 'client-ca-file')),
      ...optional('requestheaderClientCaFile', stringFlag(values, 'requestheader-client-ca-file')),
      ...requestHeaderFlags(values),
      ...optional('tokenAuthFile', stringFlag(values, 'token-auth-file')),
      ...optional('basicAuthFile', stringFlag(values, 'basic-auth-file')),
      anonymousAuth: values['anonymous-auth'] !== false,
      enableBootstrapTokenAuth: values['enable-bootstrap-token-auth'] === true,
      authorizationMode: stringFlag(values, 'authorization-mode', DEFAULT_AUTHORIZATION_MODE)!,
      policyPaths: await policyPaths(values),
      bootstrapPolicy: values['bootstrap-policy'] !== false,
      kubernetesVersion: stringFlag(values, 'kubernetes-version', DEFAULT_KUBERNETES_VERSION)!,
      ...(audiences.length > 0 ? { apiAudiences: audiences } : {}),
      ...serviceAccountFlags(values),
      ...webhookFlags(values),
      ...optional('auditPolicyFile', stringFlag(values, 'audit-policy-file')),
      ...optional('auditLogPath', stringFlag(values, 'audit-log-path')),
      ...optional('auditLogFormat', stringFlag(values, 'audit-log-format')),
      ...optional('auditLogMaxAge', intFlag(values, 'audit-log-maxage')),
      ...optional('auditLogMaxBackup', intFlag(values, 'audit-log-maxbackup')),
      ...optional('auditLogMaxSize', intFlag(values, 'audit-log-maxsize')),
      ...(values['audit-log-compress'] === true ? { auditLogCompress: true } : {}),
      ...optional('auditLogMode', stringFlag(values, 'audit-log-mode')),
      ...uiFlags(values),
      ...(values['tls-trace'] === true ? { tlsTrace: true } : {}),
      ...(stringFlag(values, 'tls-keylog') !== undefined ? { tlsKeylog: resolve(stringFlag(values, 'tls-keylog')!) } : {}),
      log,
      deferDemoKubeconfigs: true,
    });
    if (stopRequested === undefined) await announceReady(server, values, pkiDir);
    await stopRequest;
    await server.stop();
    return 0;
  } finally {
    unwatch();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

function readyFileError(file: string, err: unknown): ConfigError {
  return new ConfigError({ file, reason: `cannot write the ready file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'FILE_UNREADABLE' });
}

/** The ready line (stdout, or --ready-file) and the table of demo identities; an unwritable ready file stops the server. */
async function announceReady(server: KubeAuthMockServer, values: Record<string, unknown>, pkiDir: string): Promise<void> {
  const ready = {
    ready: true,
    url: server.url,
    // The server's own pid: started through a wrapper (npx, a shell), the pid a caller holds is the wrapper's.
    pid: process.pid,
    caFile: join(pkiDir, 'ca.crt'),
    pkiDir,
    kubeconfigs: Object.fromEntries(server.demoIdentities.map((d) => [d.user, d.kubeconfig])),
    ...(server.uiUrl !== undefined ? { uiUrl: server.uiUrl } : {}),
  };
  const line = `${JSON.stringify(ready)}\n`;
  const readyFile = stringFlag(values, 'ready-file');
  // The kubeconfigs are pointed at this server only once the ready line is sure to be written: a start-up that
  // fails before leaves them naming the server that last answered. The ready file appears whole, by a rename, so
  // a caller polling for it never reads half a line.
  const temp = readyFile === undefined ? undefined : `${readyFile}.${process.pid}.tmp`;
  try {
    if (temp !== undefined) await writeFile(temp, line).catch((err: unknown) => Promise.reject(readyFileError(readyFile!, err)));
    await server.publishDemoKubeconfigs();
    if (temp !== undefined) await rename(temp, readyFile!).catch((err: unknown) => Promise.reject(readyFileError(readyFile!, err)));
  } catch (err) {
    // The server already listens: stop it, or the process would outlive its start-up error.
    if (temp !== undefined) await rm(temp, { force: true });
    await server.stop();
    throw err;
  }
  if (readyFile === undefined) process.stdout.write(line);
  process.stdout.write(`\nkube-auth-mock listening on ${server.url}\n${server.uiUrl !== undefined ? `live view: ${server.uiUrl}\n` : ''}\n${identityTable(server.demoIdentities)}\nTry: kubectl --kubeconfig ${server.demoIdentities[0]?.kubeconfig ?? 'pki/kubeconfigs/admin.kubeconfig'} auth whoami\n`);
}

/** --policy-dir (its default only when the folder exists) and every --rbac-file. */
async function policyPaths(values: Record<string, unknown>): Promise<string[]> {
  const given = stringFlag(values, 'policy-dir');
  const dir = resolve(given ?? 'policies');
  const paths: string[] = [];
  if (given !== undefined || existsSync(dir)) paths.push(dir);
  for (const file of listFlag(values, 'rbac-file')) paths.push(resolve(file));
  return paths;
}

/** A duration flag in milliseconds, with pflag's wording for a bad one; undefined when not given. */
function durationFlagMs(values: Record<string, unknown>, name: string): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const parsed = parseGoDuration(text);
  if ('error' in parsed) throw new ConfigError({ file: `--${name}`, reason: `invalid argument ${JSON.stringify(text)} for "--${name}" flag: ${parsed.error}`, code: 'FLAG_INVALID' });
  return Number(parsed.ns) / 1e6;
}

// strconv.ParseInt(s, 0, 64), what pflag's IntVar calls: a sign, then decimal, 0x hex, 0o / 0 octal or 0b binary,
// with single underscores between digits.
const GO_INT = /^[+-]?(?:0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[oO]_?[0-7]+(?:_[0-7]+)*|0[bB]_?[01]+(?:_[01]+)*|0_?[0-7]+(?:_[0-7]+)*|0|[1-9][0-9]*(?:_[0-9]+)*)$/;

/** An int flag (the --audit-log-max* ones), with pflag's wording for a bad one; undefined when not given. */
function intFlag(values: Record<string, unknown>, name: string): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const fail = (why: string): ConfigError =>
    new ConfigError({ file: `--${name}`, reason: `invalid argument ${JSON.stringify(text)} for "--${name}" flag: strconv.ParseInt: parsing ${JSON.stringify(text)}: ${why}`, code: 'FLAG_INVALID' });
  if (!GO_INT.test(text)) throw fail('invalid syntax');
  const negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '').replace(/_/g, '');
  const prefixed = /^0[0-7]/.test(digits) ? `0o${digits.slice(1)}` : digits.replace(/^0([XOB])/, (_, b: string) => `0${b.toLowerCase()}`);
  const value = (negative ? -1n : 1n) * BigInt(prefixed);
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) throw fail('value out of range');
  return Number(value);
}

/** The --authentication-token-webhook-* and --authorization-webhook-* flags, as startServer's options. */
function webhookFlags(values: Record<string, unknown>): Partial<StartServerOptions> {
  const tokenTtl = durationFlagMs(values, 'authentication-token-webhook-cache-ttl');
  const authorizedTtl = durationFlagMs(values, 'authorization-webhook-cache-authorized-ttl');
  const unauthorizedTtl = durationFlagMs(values, 'authorization-webhook-cache-unauthorized-ttl');
  const tokenFile = stringFlag(values, 'authentication-token-webhook-config-file');
  const authzFile = stringFlag(values, 'authorization-webhook-config-file');
  return {
    ...(tokenFile !== undefined ? { authenticationTokenWebhookConfigFile: resolve(tokenFile) } : {}),
    ...optional('authenticationTokenWebhookVersion', stringFlag(values, 'authentication-token-webhook-version')),
    ...(tokenTtl !== undefined ? { authenticationTokenWebhookCacheTtlMs: tokenTtl } : {}),
    ...(authzFile !== undefined ? { authorizationWebhookConfigFile: resolve(authzFile) } : {}),
    ...optional('authorizationWebhookVersion', stringFlag(values, 'authorization-webhook-version')),
    ...(authorizedTtl !== undefined ? { authorizationWebhookCacheAuthorizedTtlMs: authorizedTtl } : {}),
    ...(unauthorizedTtl !== undefined ? { authorizationWebhookCacheUnauthorizedTtlMs: unauthorizedTtl } : {}),
  };
}

/** The --service-account-* flags, as startServer's options. */
function serviceAccountFlags(values: Record<string, unknown>): Partial<StartServerOptions> {
  // kube's StringArray: repeated, never split on commas.
  const issuers = Array.isArray(values['service-account-issuer']) ? (values['service-account-issuer'] as string[]) : [];
  const keyFiles = listFlag(values, 'service-account-key-file');
  // Fractions kept: 0.5s is not "no limit" but under kube's 1 hour minimum.
  const maxMs = durationFlagMs(values, 'service-account-max-token-expiration');
  const maxSeconds = maxMs === undefined ? undefined : maxMs / 1000;
  return {
    ...(issuers.length > 0 ? { serviceAccountIssuers: issuers } : {}),
    ...(keyFiles.length > 0 ? { serviceAccountKeyFiles: keyFiles.map((f) => resolve(f)) } : {}),
    ...optional('serviceAccountSigningKeyFile', stringFlag(values, 'service-account-signing-key-file')),
    ...optional('serviceAccountJwksUri', stringFlag(values, 'service-account-jwks-uri')),
    serviceAccountLookup: values['service-account-lookup'] !== false,
    serviceAccountExtendTokenExpiration: values['service-account-extend-token-expiration'] !== false,
    ...(maxSeconds !== undefined ? { serviceAccountMaxTokenExpirationSeconds: maxSeconds } : {}),
  };
}

function optional<K extends string, V extends string | number>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The --requestheader-* lists, each only when given (absent lists take kubeadm's defaults with the PKI folder's CA). */
function requestHeaderFlags(values: Record<string, unknown>): Partial<StartServerOptions> {
  const given = (name: string): string[] | undefined => (values[name] === undefined ? undefined : listFlag(values, name));
  const pairs: [keyof StartServerOptions, string][] = [
    ['requestheaderAllowedNames', 'requestheader-allowed-names'],
    ['requestheaderUsernameHeaders', 'requestheader-username-headers'],
    ['requestheaderUidHeaders', 'requestheader-uid-headers'],
    ['requestheaderGroupHeaders', 'requestheader-group-headers'],
    ['requestheaderExtraHeadersPrefix', 'requestheader-extra-headers-prefix'],
  ];
  return Object.fromEntries(pairs.flatMap(([key, flag]) => { const v = given(flag); return v === undefined ? [] : [[key, v]]; }));
}

/** --ui and --ui-port (which implies --ui): the live view on 127.0.0.1. */
function uiFlags(values: Record<string, unknown>): Pick<StartServerOptions, 'ui'> {
  const port = stringFlag(values, 'ui-port');
  if (port !== undefined) return { ui: { port: portFlag(values, 'ui-port', 0) } };
  return values.ui === true ? { ui: true } : {};
}
