// options -> config: the flags checked and defaulted, the PKI, the serving pair and the client CA loaded, as
// kube-apiserver's Complete and Validate do before anything listens (cmd/kube-apiserver/app/server.go).
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { jwksUriProblem } from '../api/openid-metadata.js';
import { DEFAULT_KUBERNETES_VERSION } from '../api/version.js';
import type { FileReloadLog } from '../util/watched-file.js';
import { DEFAULT_AUTHORIZATION_MODE, parseAuthorizationModes, type AuthorizationMode } from '../authz/config.js';
import { loadBootstrapPolicy } from '../authz/rbac/bootstrap.js';
import { createInMemoryPki, loadOrInitPki, type Pki, type StoredPki } from '../pki/index.js';
import { ConfigError } from '../util/errors.js';
import { createLogger, type Logger } from '../util/log.js';
import { completeAudit, type AuditSettings } from './audit.js';
import { defaultAuthFiles } from './demo-identities.js';
import type { ListenConfig } from './listen.js';
import type { StartServerOptions } from './options.js';
import { checkServingPair, checkTlsAccepts } from './serving-cert.js';
import { completeServiceAccounts, type ServiceAccountConfig } from './service-accounts.js';
import { parseCaBundle, readPem } from './tls.js';
import { completeRequestHeader, type RequestHeaderConfig } from './front-proxy.js';
import { completeAuthorizationWebhook, type AuthorizationWebhookConfig } from './authorization-webhook.js';
import { completeTokenWebhook, type TokenWebhookConfig } from './token-webhook.js';
import { openKeyLog } from './tls-keylog.js';

/** Every option with its default applied, and every file startServer reads before it listens, read and checked. */
export interface CompletedConfig {
  log: Logger;
  /** The log the file reloaders (token, password and policy files) write to. */
  fileLog: FileReloadLog;
  listen: ListenConfig;
  pki: Pki;
  /** The PKI folder's contents, when the server has a folder (its demo identities are written there). */
  storedPki: StoredPki | undefined;
  pkiDir: string | undefined;
  /** The roots client certificates must chain to (--client-ca-file, or the PKI's CA). */
  clientRoots: X509Certificate[];
  /** The client CA bundle as read, for the extension-apiserver-authentication ConfigMap. */
  clientCaPem: string;
  /** The authenticating proxy (--requestheader-*), when it is on. */
  requestHeader: RequestHeaderConfig | undefined;
  tokenFile: string | undefined;
  passwordFile: string | undefined;
  anonymousAuth: boolean;
  /** --enable-bootstrap-token-auth. */
  enableBootstrapTokenAuth: boolean;
  apiAudiences: readonly string[];
  serviceAccounts: ServiceAccountConfig;
  /** --authentication-token-webhook-*: the webhook's kubeconfig, read and checked at start. */
  tokenWebhook: TokenWebhookConfig | undefined;
  authorizationWebhook: AuthorizationWebhookConfig | undefined;
  authorizationModes: AuthorizationMode[];
  policyPaths: readonly string[];
  bootstrapPolicy: boolean;
  kubernetesVersion: string;
  watchFiles: boolean;
  /** --audit-policy-file and --audit-log-path, checked; undefined when nothing is audited. */
  audit: AuditSettings | undefined;
}

/** Checks and defaults the options and loads the PKI, the serving pair and the client CA; throws naming the flag or file that is wrong. */
export async function completeConfig(options: StartServerOptions): Promise<CompletedConfig> {
  const log = typeof options.log === 'object' ? options.log : createLogger(options.log ?? 'silent');
  const authorizationModes = parseAuthorizationModes(options.authorizationMode ?? DEFAULT_AUTHORIZATION_MODE, { ...(options.authorizationWebhookConfigFile !== undefined ? { webhookConfigFile: options.authorizationWebhookConfigFile } : {}) });
  const jwksProblem = options.serviceAccountJwksUri ? jwksUriProblem(options.serviceAccountJwksUri) : undefined;
  if (jwksProblem !== undefined) throw new ConfigError({ file: '--service-account-jwks-uri', reason: jwksProblem, code: 'FLAG_INVALID' });
  // Parse the bootstrap policy while the PKI's keys are generated on other threads (it is cached per process).
  if (options.bootstrapPolicy !== false) loadBootstrapPolicy().catch(() => undefined);
  const storedPki: StoredPki | undefined = options.pkiDir && !options.pki ? await loadOrInitPki(options.pkiDir, { sans: options.tlsSans ?? [] }) : undefined;
  const pki: Pki = options.pki ?? storedPki ?? (await createInMemoryPki({ sans: options.tlsSans ?? [] }));
  const servingCertPem = options.tlsCertFile ? await readPem(options.tlsCertFile, 'the serving certificate') : pki.serving.certPem;
  const servingKeyPem = options.tlsPrivateKeyFile ? await readPem(options.tlsPrivateKeyFile, 'the serving key') : pki.serving.keyPem;
  const clientCaPem = options.clientCaFile ? await readPem(options.clientCaFile, 'the client CA bundle') : pki.ca.certPem;
  const pkiFile = (name: string): string => (options.pkiDir ? join(options.pkiDir, name) : `the PKI's ${name}`);
  const servingCert = { file: options.tlsCertFile ?? pkiFile('apiserver.crt'), pem: servingCertPem };
  const servingKey = { file: options.tlsPrivateKeyFile ?? pkiFile('apiserver.key'), pem: servingKeyPem };
  if (options.tlsCertFile || options.tlsPrivateKeyFile) checkServingPair(servingCert, servingKey);
  const clientRoots = parseCaBundle(options.clientCaFile ?? 'ca.crt', clientCaPem);
  checkTlsAccepts(servingCert, servingKey, { file: options.clientCaFile ?? pkiFile('ca.crt'), pem: clientCaPem });

  const requestHeader = await completeRequestHeader(options, storedPki);
  if (requestHeader) checkTlsAccepts(servingCert, servingKey, { file: requestHeader.caFile, pem: requestHeader.caPem });
  const serviceAccounts = await completeServiceAccounts(options, pki);
  const tokenWebhook = await completeTokenWebhook(options);
  const authorizationWebhook = await completeAuthorizationWebhook(options);
  const audit = await completeAudit(options, log);
  const defaults = options.pkiDir ? defaultAuthFiles(options.pkiDir) : undefined;
  // Opened last: nothing after it can fail, and listen closes it.
  const keyLog = options.tlsKeylog !== undefined ? openKeyLog(options.tlsKeylog, log) : undefined;
  return {
    log,
    fileLog: { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m) },
    listen: {
      bindAddress: options.bindAddress ?? '127.0.0.1',
      port: options.port ?? 0,
      certPem: servingCertPem,
      keyPem: servingKeyPem,
      clientCaPem: clientCaPem + (requestHeader ? `\n${requestHeader.caPem}` : ''),
      log,
      ...(options.tlsTrace === true ? { tlsTrace: { clientRoots: () => clientRoots, ...(requestHeader ? { frontProxy: { roots: requestHeader.roots, allowedNames: requestHeader.allowedNames } } : {}) } } : {}),
      ...(keyLog ? { keyLog } : {}),
      // The live view shows the key exchange group too, which only an observed handshake gives.
      ...(options.ui !== undefined && options.ui !== false ? { observeHandshakes: true } : {}),
    },
    pki,
    storedPki,
    pkiDir: options.pkiDir,
    clientRoots,
    clientCaPem,
    requestHeader,
    tokenFile: options.tokenAuthFile ?? defaults?.tokenFile,
    passwordFile: options.basicAuthFile ?? defaults?.passwordFile,
    anonymousAuth: options.anonymousAuth !== false,
    // kube: "defaults to a single element list containing the issuer URL" (in fact every issuer), also when empty.
    apiAudiences: options.apiAudiences !== undefined && options.apiAudiences.length > 0 ? options.apiAudiences : serviceAccounts.issuers,
    serviceAccounts,
    tokenWebhook,
    authorizationWebhook,
    enableBootstrapTokenAuth: options.enableBootstrapTokenAuth === true,
    authorizationModes,
    policyPaths: options.policyPaths ?? [],
    bootstrapPolicy: options.bootstrapPolicy !== false,
    kubernetesVersion: options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    watchFiles: options.watchFiles !== false,
    audit,
  };
}
