// kube-system/extension-apiserver-authentication, the ConfigMap aggregated API servers read to trust kube-apiserver's
// client CA and its front proxy. Source: pkg/controlplane/controller/clusterauthenticationtrust/
// cluster_authentication_trust_controller.go (syncConfigMap, getConfigMapDataFor, combinedClusterAuthenticationInfo,
// combineCertLists, encodeCertificates, jsonSerializeStringSlice). The mock writes it once at start, into a fresh
// store, so the combination with an existing ConfigMap is the server's own data alone.
import { X509Certificate } from 'node:crypto';
import type { ObjectStore } from '../../../store/object-store.js';

export const AUTHENTICATION_TRUST_NAMESPACE = 'kube-system';
export const AUTHENTICATION_TRUST_NAME = 'extension-apiserver-authentication';

/** What kube's ClusterAuthenticationInfo carries: the client CA, and the front proxy's CA and lists when it is on. */
export interface ClusterAuthenticationInfo {
  clientCaPem: string;
  requestHeader?: {
    caPem: string;
    usernameHeaders: readonly string[];
    uidHeaders: readonly string[];
    groupHeaders: readonly string[];
    extraHeaderPrefixes: readonly string[];
    allowedNames: readonly string[];
  };
}

/**
 * combineCertLists then encodeCertificates: the bundle's certificates re-encoded as Go's pem.Encode writes them
 * (64-column base64, "CERTIFICATE" blocks), duplicates and certificates expired more than five minutes ago left out.
 */
function encodeBundle(pem: string, now: Date): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const seen = new Set<string>();
  let out = '';
  for (const block of blocks) {
    const cert = new X509Certificate(block);
    if (new Date(cert.validTo).getTime() <= now.getTime() - 5 * 60_000) continue;
    const b64 = cert.raw.toString('base64');
    if (seen.has(b64)) continue;
    seen.add(b64);
    out += `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  }
  return out;
}

/** combineUniqueStringSlices (never nil, so "[]" when empty) then json.Marshal. */
function jsonList(values: readonly string[]): string {
  return JSON.stringify([...new Set(values)]);
}

/** getConfigMapDataFor over the combined info: the keys kube writes, in its conditions. */
export function authenticationTrustData(info: ClusterAuthenticationInfo, now = new Date()): Record<string, string> {
  const data: Record<string, string> = {};
  const clientCa = encodeBundle(info.clientCaPem, now);
  if (clientCa.length > 0) data['client-ca-file'] = clientCa;
  const rh = info.requestHeader;
  if (rh === undefined) return data;
  const caBytes = encodeBundle(rh.caPem, now);
  if (caBytes.length === 0) return data;
  data['requestheader-username-headers'] = jsonList(rh.usernameHeaders);
  // RemoteRequestHeaderUID is on in 1.34: the key is written when uid headers are configured.
  if (rh.uidHeaders.length > 0) data['requestheader-uid-headers'] = jsonList(rh.uidHeaders);
  data['requestheader-group-headers'] = jsonList(rh.groupHeaders);
  data['requestheader-extra-headers-prefix'] = jsonList(rh.extraHeaderPrefixes);
  data['requestheader-client-ca-file'] = caBytes;
  data['requestheader-allowed-names'] = jsonList(rh.allowedNames);
  return data;
}

/** Writes the ConfigMap into the store (kube's controller syncs it on start; kube-system exists from the start here). */
export function publishAuthenticationTrust(store: ObjectStore, info: ClusterAuthenticationInfo): void {
  const type = store.typeFor('', 'configmaps');
  if (type === undefined) throw new Error('the store holds no core configmaps');
  const data = authenticationTrustData(info);
  store.create(type, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: AUTHENTICATION_TRUST_NAME, namespace: AUTHENTICATION_TRUST_NAMESPACE }, data });
}
