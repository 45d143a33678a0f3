// The --requestheader-* flags completed into the authenticating proxy's config. Sources:
// staging/src/k8s.io/apiserver/pkg/server/options/authentication.go (RequestHeaderAuthenticationOptions: Validate,
// ToAuthenticationRequestHeaderConfig: no CA file, no proxy) and kubeadm's defaults
// (cmd/kubeadm/app/phases/controlplane/manifests.go: X-Remote-User, X-Remote-Group, X-Remote-Extra-, front-proxy-ca.crt,
// allowed name front-proxy-client; kubeadm 1.34 sets no uid headers).
import type { X509Certificate } from 'node:crypto';
import type { RequestHeaderNames } from '../authn/request-header.js';
import { FRONT_PROXY_CLIENT_COMMON_NAME, PKI_FILE_NAMES, type StoredPki } from '../pki/index.js';
import { ConfigError } from '../util/errors.js';
import type { StartServerOptions } from './options.js';
import { parseCaBundle, readPem } from './tls.js';
import { join } from 'node:path';

/** The proxy's completed config: its roots (also offered in the TLS handshake), the allowed names and the header names. */
export interface RequestHeaderConfig extends RequestHeaderNames {
  caFile: string;
  caPem: string;
  roots: X509Certificate[];
  allowedNames: string[];
}

/** checkForWhiteSpaceOnly: kube's Validate refuses a blank entry in any of the lists. */
function checkNotBlank(flag: string, values: readonly string[] | undefined): void {
  if (values?.some((v) => v.trim() === '')) throw new ConfigError({ file: `--${flag}`, reason: `empty value in "${flag}"`, code: 'FLAG_INVALID' });
}

/**
 * The proxy's config, or undefined when it is off: --requestheader-client-ca-file turns it on with the lists as given;
 * without it, a server with a PKI folder turns it on as kubeadm does (its front-proxy-ca.crt and header flags).
 */
export async function completeRequestHeader(options: StartServerOptions, storedPki: StoredPki | undefined): Promise<RequestHeaderConfig | undefined> {
  checkNotBlank('requestheader-username-headers', options.requestheaderUsernameHeaders);
  checkNotBlank('requestheader-group-headers', options.requestheaderGroupHeaders);
  checkNotBlank('requestheader-extra-headers-prefix', options.requestheaderExtraHeadersPrefix);
  checkNotBlank('requestheader-allowed-names', options.requestheaderAllowedNames);
  checkNotBlank('requestheader-uid-headers', options.requestheaderUidHeaders);
  const uids = options.requestheaderUidHeaders ?? [];
  // RemoteRequestHeaderUID is beta and on in 1.34; this check "was added later and so we are able to error out".
  if (uids.length > 0 && !uids.some((h) => h.toLowerCase() === 'x-remote-uid')) {
    throw new ConfigError({ file: '--requestheader-uid-headers', reason: '--requestheader-uid-headers is set without specifying the standard X-Remote-Uid header - API aggregation will not work', code: 'FLAG_INVALID' });
  }
  const explicit = options.requestheaderClientCaFile;
  const kubeadm = explicit === undefined && storedPki !== undefined;
  if (explicit === undefined && !kubeadm) return undefined;
  const caFile = explicit ?? join(storedPki!.dir, PKI_FILE_NAMES.frontProxyCaCert);
  const caPem = explicit === undefined ? storedPki!.frontProxyCa.certPem : await readPem(explicit, 'the requestheader CA bundle');
  const roots = parseCaBundle(caFile, caPem);
  const list = (given: string[] | undefined, kubeadmDefault: string[]): string[] => given ?? (kubeadm ? kubeadmDefault : []);
  return {
    caFile,
    caPem,
    roots,
    allowedNames: list(options.requestheaderAllowedNames, [FRONT_PROXY_CLIENT_COMMON_NAME]),
    usernameHeaders: list(options.requestheaderUsernameHeaders, ['X-Remote-User']),
    uidHeaders: list(options.requestheaderUidHeaders, []),
    groupHeaders: list(options.requestheaderGroupHeaders, ['X-Remote-Group']),
    extraHeaderPrefixes: list(options.requestheaderExtraHeadersPrefix, ['X-Remote-Extra-']),
  };
}
