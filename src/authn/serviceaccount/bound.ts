// Bound ServiceAccount tokens (the TokenRequest API's): the claims TokenRequest signs and the validator that checks
// them. Source (kube v1.34): pkg/serviceaccount/claims.go (privateClaims, Claims, validator.Validate).
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../apimachinery/object.js';
import { ClaimsError, DEFAULT_LEEWAY_SECONDS, goField, goStringField, timeValidation, type PublicClaims } from './claims-json.js';
import type { TokenValidator } from './jwt.js';
import { credentialIdForJti, serviceAccountUsername, type ServiceAccountInfo } from './service-account-info.js';
import { notFoundMessage, type ServiceAccountTokenGetter } from './token-getter.js';

interface Ref {
  name: string;
  uid: string;
}

/** The `kubernetes.io` claim. */
export interface BoundPrivateClaims {
  namespace: string;
  serviceaccount: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
  warnafter?: number;
}

/** A name and uid of an object a token is issued for or bound to. */
export interface ObjectRef {
  name: string;
  uid: string;
}

/** What TokenRequest asks to be signed (kube's Claims arguments). */
export interface BoundTokenRequest {
  namespace: string;
  serviceAccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  expirationSeconds: number;
  warnAfterSeconds?: number;
  audiences: readonly string[];
}

function refJson(ref: ObjectRef): Record<string, string> {
  // ref's fields are omitempty.
  return { ...(ref.name !== '' ? { name: ref.name } : {}), ...(ref.uid !== '' ? { uid: ref.uid } : {}) };
}

/**
 * kube's Claims: the payload of a bound token, without iss (the signer adds it). go-jose merges the public and
 * private claims into one map, so the payload's keys are in byte order; so are the `kubernetes.io` claim's.
 */
export function boundTokenClaims(req: BoundTokenRequest, now: Date): { payload: Record<string, unknown>; jti: string } {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const jti = randomUUID();
  const kubernetes: Record<string, unknown> = { namespace: req.namespace };
  // A pod-bound token carries the pod's node too (ServiceAccountTokenPodNodeInfo); a secret binds alone.
  if (req.pod) {
    if (req.node) kubernetes.node = refJson(req.node);
    kubernetes.pod = refJson(req.pod);
  } else if (req.secret) {
    kubernetes.secret = refJson(req.secret);
  } else if (req.node) {
    kubernetes.node = refJson(req.node);
  }
  kubernetes.serviceaccount = refJson(req.serviceAccount);
  if (req.warnAfterSeconds) kubernetes.warnafter = nowSeconds + req.warnAfterSeconds;
  const payload: Record<string, unknown> = {
    // go-jose v2 writes Audience as an array, even of one.
    ...(req.audiences.length > 0 ? { aud: [...req.audiences] } : {}),
    exp: nowSeconds + req.expirationSeconds,
    iat: nowSeconds,
    jti,
    'kubernetes.io': kubernetes,
    nbf: nowSeconds,
    sub: serviceAccountUsername(req.namespace, req.serviceAccount.name),
  };
  return { payload, jti };
}

function ref(obj: Record<string, unknown>, field: string): Ref | undefined {
  const v = goField(obj, field);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ClaimsError(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go struct field kubernetes.kubernetes.io.${field} of type serviceaccount.ref`);
  const r = v as Record<string, unknown>;
  return { name: goStringField(r, 'name', `ref.kubernetes.io.${field}`), uid: goStringField(r, 'uid', `ref.kubernetes.io.${field}`) };
}

function privateClaims(payload: Record<string, unknown>): BoundPrivateClaims {
  const k = goField(payload, 'kubernetes.io');
  const obj = k !== null && typeof k === 'object' && !Array.isArray(k) ? (k as Record<string, unknown>) : {};
  if (k !== undefined && k !== null && obj !== k) throw new ClaimsError(`json: cannot unmarshal ${Array.isArray(k) ? 'array' : typeof k} into Go struct field privateClaims.kubernetes.io of type serviceaccount.kubernetes`);
  const claims: BoundPrivateClaims = {
    namespace: goStringField(obj, 'namespace', 'kubernetes.kubernetes.io.namespace'),
    serviceaccount: ref(obj, 'serviceaccount') ?? { name: '', uid: '' },
  };
  const pod = ref(obj, 'pod');
  const secret = ref(obj, 'secret');
  const node = ref(obj, 'node');
  if (pod) claims.pod = pod;
  if (secret) claims.secret = secret;
  if (node) claims.node = node;
  return claims;
}

function uidOf(obj: KubeObject): string {
  return obj.metadata.uid ?? '';
}

/** Deleted before now minus the leeway (kube's invalidIfDeletedBefore): a store that deletes at once never has these. */
function deletedBefore(obj: KubeObject, nowSeconds: number): boolean {
  const ts = obj.metadata.deletionTimestamp;
  return typeof ts === 'string' && Date.parse(ts) / 1000 < nowSeconds - DEFAULT_LEEWAY_SECONDS;
}

const INVALIDATED = 'service account token has been invalidated';

/** kube's validator.Validate: the times, then the ServiceAccount, the bound secret, pod and node, each by name and uid. */
export function boundTokenValidator(getter: ServiceAccountTokenGetter, now: () => Date = () => new Date()): TokenValidator<BoundPrivateClaims> {
  return {
    privateClaims,
    validate(_token, claims: PublicClaims, priv) {
      const nowSeconds = now().getTime() / 1000;
      switch (timeValidation(claims, nowSeconds)) {
        case 'expired':
          return { error: 'service account token has expired' };
        case 'notValidYet':
          return { error: 'service account token is not valid yet' };
        case 'issuedInTheFuture':
          return { error: 'service account token is issued in the future' };
      }
      const { namespace, serviceaccount: saref, pod: podref, secret: secref, node: noderef } = priv;
      // kube's getter falls back to a live GET, which refuses an empty name before it looks.
      if (saref.name === '') return { error: 'resource name may not be empty' };
      const sa = getter.getServiceAccount(namespace, saref.name);
      if (sa === undefined) return { error: notFoundMessage('serviceaccounts', saref.name) };
      if (uidOf(sa) !== saref.uid) return { error: `service account UID (${uidOf(sa)}) does not match claim (${saref.uid})` };
      if (deletedBefore(sa, nowSeconds)) return { error: `service account ${namespace}/${saref.name} has been deleted` };
      if (secref) {
        const secret = getter.getSecret(namespace, secref.name);
        if (secret === undefined) return { error: INVALIDATED };
        if (secref.uid !== uidOf(secret)) return { error: `secret UID (${uidOf(secret)}) does not match service account secret ref claim (${secref.uid})` };
        if (deletedBefore(secret, nowSeconds)) return { error: INVALIDATED };
      }
      const info: ServiceAccountInfo = { namespace, name: saref.name, uid: saref.uid };
      if (podref) {
        const pod = getter.getPod(namespace, podref.name);
        if (pod === undefined) return { error: INVALIDATED };
        if (podref.uid !== uidOf(pod)) return { error: `pod UID (${uidOf(pod)}) does not match service account pod ref claim (${podref.uid})` };
        if (deletedBefore(pod, nowSeconds)) return { error: INVALIDATED };
        info.podName = podref.name;
        info.podUid = podref.uid;
      }
      if (noderef) {
        if (podref) {
          // A pod-bound token's node is information only.
          info.nodeName = noderef.name;
          info.nodeUid = noderef.uid;
        } else {
          const node = getter.getNode(noderef.name);
          if (node === undefined) return { error: INVALIDATED };
          if (noderef.uid !== uidOf(node)) return { error: `node UID (${uidOf(node)}) does not match service account node ref claim (${noderef.uid})` };
          if (deletedBefore(node, nowSeconds)) return { error: INVALIDATED };
          info.nodeName = noderef.name;
          info.nodeUid = noderef.uid;
        }
      }
      const credentialId = credentialIdForJti(claims.jti);
      if (credentialId !== '') info.credentialId = credentialId;
      return info;
    },
  };
}
