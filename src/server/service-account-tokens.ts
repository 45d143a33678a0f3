// The programmatic side of TokenRequest: tokens, kubeconfigs and in-cluster files for a ServiceAccount, issued in
// process by the same code as POST .../serviceaccounts/NAME/token, so they are what a client of the API would get.
import { writeSecretFile } from '../util/secret-file.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTokenRequest, type TokenRequestConfig } from '../api/groups/core/serviceaccount-token.js';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import type { ObjectStore } from '../store/object-store.js';
import { ConfigError } from '../util/errors.js';

/** What to ask TokenRequest for. */
export interface ServiceAccountTokenOptions {
  /** spec.audiences; default the API audiences. */
  audiences?: readonly string[];
  /** spec.expirationSeconds; default 3600, at least 600. */
  expirationSeconds?: number;
  /** spec.boundObjectRef: the token dies with this Pod, Secret or Node. */
  boundObjectRef?: { kind: 'Pod' | 'Secret' | 'Node'; name: string; uid?: string };
  /** Create the ServiceAccount first when it does not exist (its namespace must). Default false: a missing one is kube's 404. */
  create?: boolean;
}

/** The files the kubelet projects into a pod, and the environment that points in-cluster clients at the server. */
export interface InClusterFiles {
  dir: string;
  tokenFile: string;
  caFile: string;
  namespaceFile: string;
  /** KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, as the kubelet sets them. */
  env: { KUBERNETES_SERVICE_HOST: string; KUBERNETES_SERVICE_PORT: string };
}

/** "namespace/name", as the CLI's --serviceaccount takes it. */
export function parseServiceAccountRef(ref: string): { namespace: string; name: string } {
  const parts = ref.split('/');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new ConfigError({ file: '--serviceaccount', reason: `${JSON.stringify(ref)} is not NAMESPACE/NAME`, code: 'FLAG_INVALID' });
  }
  return { namespace: parts[0]!, name: parts[1]! };
}

/** Tokens, kubeconfigs and in-cluster files for ServiceAccounts of a running server. */
export interface ServiceAccountAccess {
  token(serviceAccount: string, options?: ServiceAccountTokenOptions): Promise<string>;
  kubeconfig(serviceAccount: string, options?: ServiceAccountTokenOptions): Promise<string>;
  inCluster(serviceAccount: string, dir: string, options?: ServiceAccountTokenOptions): Promise<InClusterFiles>;
}

export function serviceAccountAccess(store: ObjectStore, config: TokenRequestConfig, server: { url: string; caPem: string }): ServiceAccountAccess {
  const issue = async (serviceAccount: string, options: ServiceAccountTokenOptions = {}): Promise<{ token: string; namespace: string; name: string }> => {
    const { namespace, name } = parseServiceAccountRef(serviceAccount);
    const saType = store.typeFor('', 'serviceaccounts')!;
    if (options.create && store.find(saType, namespace, name) === undefined) {
      const nsType = store.typeFor('', 'namespaces')!;
      if (store.find(nsType, '', namespace) === undefined) store.create(nsType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      // The ServiceAccounts controller gave the new namespace its "default" already.
      if (store.find(saType, namespace, name) === undefined) store.create(saType, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
    }
    const spec: Record<string, unknown> = {};
    if (options.audiences) spec.audiences = [...options.audiences];
    if (options.expirationSeconds !== undefined) spec.expirationSeconds = options.expirationSeconds;
    if (options.boundObjectRef) spec.boundObjectRef = { apiVersion: 'v1', ...options.boundObjectRef };
    const out = createTokenRequest(store, config, { namespace, name, request: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec }, warn: () => undefined });
    return { token: String((out.status as { token: string }).token), namespace, name };
  };
  return {
    async token(serviceAccount, options) {
      return (await issue(serviceAccount, options)).token;
    },
    async kubeconfig(serviceAccount, options) {
      const { token, namespace, name } = await issue(serviceAccount, options);
      return renderKubeconfig({ server: server.url, caPem: server.caPem, userName: `system:serviceaccount:${namespace}:${name}`, credentials: { kind: 'token', token }, namespace });
    },
    async inCluster(serviceAccount, dir, options) {
      const { token, namespace } = await issue(serviceAccount, options);
      await mkdir(dir, { recursive: true });
      const files = { tokenFile: join(dir, 'token'), caFile: join(dir, 'ca.crt'), namespaceFile: join(dir, 'namespace') };
      await writeSecretFile(files.tokenFile, token);
      await writeFile(files.caFile, server.caPem);
      await writeFile(files.namespaceFile, namespace);
      const url = new URL(server.url);
      return { dir, ...files, env: { KUBERNETES_SERVICE_HOST: url.hostname.replace(/^\[|\]$/g, ''), KUBERNETES_SERVICE_PORT: url.port || '443' } };
    },
  };
}
