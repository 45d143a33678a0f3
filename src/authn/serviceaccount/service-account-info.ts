// The identity a ServiceAccount token proves. Sources (kube v1.34): staging/src/k8s.io/apiserver/pkg/authentication/
// serviceaccount/util.go (MakeUsername, MakeGroupNames, ServiceAccountInfo.UserInfo, the extra keys) and
// staging/src/k8s.io/apiserver/pkg/authentication/token/jwt/jwt.go (CredentialIDForJTI).
import { isDNS1123Label, isDNS1123Subdomain } from '../../apimachinery/validation.js';
import type { UserInfo } from '../types.js';

export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
export const SERVICE_ACCOUNT_GROUP_PREFIX = 'system:serviceaccounts:';
export const POD_NAME_KEY = 'authentication.kubernetes.io/pod-name';
export const POD_UID_KEY = 'authentication.kubernetes.io/pod-uid';
export const NODE_NAME_KEY = 'authentication.kubernetes.io/node-name';
export const NODE_UID_KEY = 'authentication.kubernetes.io/node-uid';
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';

/** apiserverserviceaccount.ServiceAccountInfo. */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUid?: string;
  nodeName?: string;
  nodeUid?: string;
  credentialId?: string;
}

/** MakeUsername: system:serviceaccount:NS:NAME. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/**
 * SplitUsername: the namespace and name of a ServiceAccount user name, or undefined when it is not one: exactly two
 * parts after the prefix, a valid namespace name (DNS-1123 label) and a valid ServiceAccount name (DNS-1123 subdomain).
 */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2 || isDNS1123Label(parts[0]!).length > 0 || isDNS1123Subdomain(parts[1]!).length > 0) return undefined;
  return { namespace: parts[0]!, name: parts[1]! };
}

/** CredentialIDForJTI: "JTI=<jti>", nothing for a token without one. */
export function credentialIdForJti(jti: string): string {
  return jti === '' ? '' : `JTI=${jti}`;
}

/** ServiceAccountInfo.UserInfo: the user, its two ServiceAccount groups, and the extra fields it has values for. */
export function serviceAccountUser(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.podName && sa.podUid) {
    extra[POD_NAME_KEY] = [sa.podName];
    extra[POD_UID_KEY] = [sa.podUid];
  }
  if (sa.credentialId) extra[CREDENTIAL_ID_KEY] = [sa.credentialId];
  if (sa.nodeName) {
    extra[NODE_NAME_KEY] = [sa.nodeName];
    if (sa.nodeUid) extra[NODE_UID_KEY] = [sa.nodeUid];
  }
  return {
    name: serviceAccountUsername(sa.namespace, sa.name),
    uid: sa.uid,
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNT_GROUP_PREFIX}${sa.namespace}`],
    extra,
  };
}
