// The ServiceAccount flags completed as kube-apiserver completes them (pkg/kubeapiserver/options/authentication.go
// Validate and ApplyTo, pkg/controlplane/apiserver/options/options.go completeServiceAccountOptions): the issuers
// checked, the verification keys and the signing key read, the API audiences defaulted to the issuers; and the
// getter the validators read the store through (kube's ServiceAccountTokenGetter over its informers).
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TokenRequestConfig } from '../api/groups/core/serviceaccount-token.js';
import type { IssuerDiscoveryConfig } from '../api/openid-metadata.js';
import type { KubeObject } from '../apimachinery/object.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER } from '../authn/config.js';
import { jwtTokenGenerator, type TokenGenerator } from '../authn/serviceaccount/generator.js';
import { parsePrivateKeyPem, parsePublicKeysPem, withKeyIds, type ServiceAccountPublicKey } from '../authn/serviceaccount/keys.js';
import type { ServiceAccountTokenGetter } from '../authn/serviceaccount/token-getter.js';
import { LEGACY_ISSUER } from '../authn/serviceaccount/legacy.js';
import type { Pki } from '../pki/index.js';
import type { ObjectStore } from '../store/object-store.js';
import { ConfigError } from '../util/errors.js';
import type { StartServerOptions } from './options.js';

export { DEFAULT_SERVICE_ACCOUNT_ISSUER };

/** kube's bounds of --service-account-max-token-expiration: 1 hour to 2^32 seconds. */
const MAX_EXPIRATION_BOUNDS = { low: 3600, high: 2 ** 32 };

/** The ServiceAccount token settings, every file read and checked. */
export interface ServiceAccountConfig {
  /** The first signs; tokens of any are accepted. */
  issuers: readonly string[];
  /** The verification keys (--service-account-key-file, or the signing key's public half). */
  publicKeys: readonly ServiceAccountPublicKey[];
  generator: TokenGenerator;
  /** Signs the legacy tokens of token Secrets, issuer kubernetes/serviceaccount, with the same key. */
  legacyGenerator: TokenGenerator;
  lookup: boolean;
  /** 0: no limit. */
  maxExpirationSeconds: number;
  extendExpiration: boolean;
  jwksUri: string | undefined;
}

async function readKeyFile(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError({ file, reason: `cannot read the ${flag}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'FILE_UNREADABLE' });
  }
}

/** The issuers as kube's Validate checks them: none empty, none twice, one with ':' a URL. */
function checkIssuers(issuers: readonly string[]): void {
  const seen = new Set<string>();
  for (const issuer of issuers) {
    const fail = (reason: string): never => {
      throw new ConfigError({ file: '--service-account-issuer', reason, code: 'FLAG_INVALID' });
    };
    if (issuer === '') fail('service-account-issuer should not be an empty string');
    if (issuer.includes(':') && !URL.canParse(issuer)) fail(`service-account-issuer ${JSON.stringify(issuer)} contained a ':' but was not a valid URL`);
    if (seen.has(issuer)) fail(`service-account-issuer ${JSON.stringify(issuer)} is already specified`);
    seen.add(issuer);
  }
}

/** Completes the ServiceAccount options; throws a one-line ConfigError naming the flag or file that is wrong. */
export async function completeServiceAccounts(options: StartServerOptions, pki: Pki): Promise<ServiceAccountConfig> {
  const issuers = options.serviceAccountIssuers ?? [DEFAULT_SERVICE_ACCOUNT_ISSUER];
  if (issuers.length === 0) throw new ConfigError({ file: '--service-account-issuer', reason: 'service-account-issuer is a required flag', code: 'FLAG_INVALID' });
  checkIssuers(issuers);
  const max = options.serviceAccountMaxTokenExpirationSeconds ?? 0;
  if (max !== 0 && (!Number.isFinite(max) || max < MAX_EXPIRATION_BOUNDS.low || max > MAX_EXPIRATION_BOUNDS.high)) {
    throw new ConfigError({ file: '--service-account-max-token-expiration', reason: 'the service-account-max-token-expiration must be between 1 hour and 2^32 seconds', code: 'FLAG_INVALID' });
  }
  let signingKey = pki.serviceAccountKey.privateKey;
  const signingFile = options.serviceAccountSigningKeyFile;
  if (signingFile !== undefined) {
    try {
      signingKey = parsePrivateKeyPem(await readKeyFile(signingFile, '--service-account-signing-key-file'));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError({ file: signingFile, reason: `failed to parse service-account-issuer-key-file: ${(err as Error).message}`, code: 'FLAG_INVALID' });
    }
  }
  let generator: TokenGenerator;
  try {
    generator = jwtTokenGenerator(issuers[0]!, signingKey);
  } catch (err) {
    throw new ConfigError({ file: signingFile ?? 'sa.key', reason: `failed to build token generator: ${(err as Error).message}`, code: 'FLAG_INVALID' });
  }
  const keyFiles = options.serviceAccountKeyFiles ?? [];
  const keys = [];
  for (const file of keyFiles) {
    try {
      keys.push(...parsePublicKeysPem(await readKeyFile(file, '--service-account-key-file')));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError({ file, reason: `failed to parse key file: ${(err as Error).message}`, code: 'FLAG_INVALID' });
    }
  }
  if (keyFiles.length === 0) keys.push(createPublicKey(signingKey));
  return {
    issuers,
    publicKeys: withKeyIds(keys),
    generator,
    legacyGenerator: jwtTokenGenerator(LEGACY_ISSUER, signingKey),
    lookup: options.serviceAccountLookup !== false,
    // int64(maxExpiration.Seconds()), as TokenREST holds it.
    maxExpirationSeconds: Math.trunc(max),
    extendExpiration: options.serviceAccountExtendTokenExpiration !== false,
    jwksUri: options.serviceAccountJwksUri,
  };
}

/** Whether a version such as v1.34.2 is 1.<minor> or later: the features that turned on in that release. */
function minorVersionAtLeast(version: string, minor: number): boolean {
  const m = /^v?1\.(\d+)/.exec(version);
  return m !== null && Number(m[1]) >= minor;
}

/** What TokenRequest signs with and checks; the uid check is on from 1.34 (TokenRequestServiceAccountUIDValidation, beta). */
export function tokenRequestConfig(sa: ServiceAccountConfig, apiAudiences: readonly string[], kubernetesVersion: string): TokenRequestConfig {
  return {
    generator: sa.generator,
    apiAudiences,
    maxExpirationSeconds: sa.maxExpirationSeconds,
    extendExpiration: sa.extendExpiration,
    uidValidation: minorVersionAtLeast(kubernetesVersion, 34),
  };
}

/** What issuer discovery publishes: the first issuer and the verification keys. */
export function issuerDiscoveryConfig(sa: ServiceAccountConfig): IssuerDiscoveryConfig {
  return { issuer: sa.issuers[0]!, ...(sa.jwksUri !== undefined ? { jwksUri: sa.jwksUri } : {}), publicKeys: sa.publicKeys.map((k) => k.key) };
}

/** kube's ServiceAccountTokenGetter over the store: a missing kind reads as a missing object. */
export function storeTokenGetter(store: ObjectStore): ServiceAccountTokenGetter {
  const find = (resource: string, namespace: string, name: string): KubeObject | undefined => {
    const type = store.typeFor('', resource);
    return type === undefined ? undefined : store.find(type, namespace, name);
  };
  return {
    getServiceAccount: (namespace, name) => find('serviceaccounts', namespace, name),
    getSecret: (namespace, name) => find('secrets', namespace, name),
    getPod: (namespace, name) => find('pods', namespace, name),
    getNode: (name) => find('nodes', '', name),
    labelSecret(namespace, name, uid, labels) {
      const type = store.typeFor('', 'secrets');
      if (type === undefined) return;
      try {
        // kube's merge patch carries the uid: a Secret recreated meanwhile is left alone (a 409, only logged).
        store.guaranteedUpdate(type, namespace, name, (obj) => {
          obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...labels };
        }, { preconditions: { uid } });
      } catch {
        // kube logs a failed label patch and authenticates anyway.
      }
    },
  };
}
