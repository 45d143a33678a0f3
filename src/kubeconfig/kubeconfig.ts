// Kubeconfig files in kubectl's own spelling (k8s.io/client-go/tools/clientcmd/api/v1/types.go).
import { stringify } from 'yaml';

/** How a kubeconfig user authenticates: a client certificate, a bearer token or a user name and password. */
export type KubeconfigCredentials =
  | { kind: 'cert'; certPem: string; keyPem: string }
  | { kind: 'token'; token: string }
  | { kind: 'basic'; username: string; password: string };

/** One cluster, one user, one context: what a minted identity needs. */
export interface KubeconfigSpec {
  server: string;
  caPem: string;
  userName: string;
  credentials: KubeconfigCredentials;
  clusterName?: string;
  /** The context's namespace (a ServiceAccount's own); unset, kubectl's default. */
  namespace?: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Renders a ready-to-use kubeconfig with the CA and credentials embedded (no file references). */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const cluster = spec.clusterName ?? 'kube-auth-mock';
  const context = `${spec.userName}@${cluster}`;
  const c = spec.credentials;
  const user =
    c.kind === 'cert'
      ? { 'client-certificate-data': b64(c.certPem), 'client-key-data': b64(c.keyPem) }
      : c.kind === 'token'
        ? { token: c.token }
        : { username: c.username, password: c.password };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: spec.server, 'certificate-authority-data': b64(spec.caPem) } }],
    users: [{ name: spec.userName, user }],
    contexts: [{ name: context, context: { cluster, user: spec.userName, ...(spec.namespace !== undefined ? { namespace: spec.namespace } : {}) } }],
    'current-context': context,
    preferences: {},
  });
}
