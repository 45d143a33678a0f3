// Legacy (Secret-based) ServiceAccount tokens: issuer kubernetes/serviceaccount, no aud, no exp, the
// kubernetes.io/serviceaccount/* claims, checked against the Secret that holds them. Source (kube v1.34):
// pkg/serviceaccount/legacy.go (LegacyClaims, legacyValidator.Validate, patchSecretWithLastUsedDate).
import { timingSafeEqual } from 'node:crypto';
import { recordOf } from '../../apimachinery/json-value.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { goStringField } from './claims-json.js';
import type { TokenValidator } from './jwt.js';
import { serviceAccountUsername, splitServiceAccountUsername } from './service-account-info.js';
import { notFoundMessage, type ServiceAccountTokenGetter } from './token-getter.js';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
export const LAST_USED_LABEL = 'kubernetes.io/legacy-token-last-used';
export const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';
/** v1.ServiceAccountTokenKey and its neighbours: the keys of a kubernetes.io/service-account-token Secret's data. */
export const SERVICE_ACCOUNT_TOKEN_KEY = 'token';
/** The warning for a token of a Secret the ServiceAccount lists in its secrets (an auto-generated one). */
export const AUTO_GENERATED_TOKEN_WARNING = 'Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.';

const NAMESPACE_CLAIM = 'kubernetes.io/serviceaccount/namespace';
const SECRET_NAME_CLAIM = 'kubernetes.io/serviceaccount/secret.name';
const SA_NAME_CLAIM = 'kubernetes.io/serviceaccount/service-account.name';
const SA_UID_CLAIM = 'kubernetes.io/serviceaccount/service-account.uid';

export interface LegacyPrivateClaims {
  namespace: string;
  secretName: string;
  serviceAccountName: string;
  serviceAccountUid: string;
}

/** LegacyClaims: the payload of a Secret's token, without iss (the signer adds it); keys in byte order, as go-jose writes them. */
export function legacyTokenClaims(serviceAccount: { namespace: string; name: string; uid: string }, secretName: string): Record<string, unknown> {
  return {
    [NAMESPACE_CLAIM]: serviceAccount.namespace,
    [SECRET_NAME_CLAIM]: secretName,
    [SA_NAME_CLAIM]: serviceAccount.name,
    [SA_UID_CLAIM]: serviceAccount.uid,
    sub: serviceAccountUsername(serviceAccount.namespace, serviceAccount.name),
  };
}

function privateClaims(payload: Record<string, unknown>): LegacyPrivateClaims {
  const struct = 'legacyPrivateClaims';
  return {
    serviceAccountName: goStringField(payload, SA_NAME_CLAIM, struct),
    serviceAccountUid: goStringField(payload, SA_UID_CLAIM, struct),
    secretName: goStringField(payload, SECRET_NAME_CLAIM, struct),
    namespace: goStringField(payload, NAMESPACE_CLAIM, struct),
  };
}

function sameToken(secret: KubeObject, token: string): boolean {
  const stored = recordOf(secret.data)[SERVICE_ACCOUNT_TOKEN_KEY];
  const a = Buffer.from(typeof stored === 'string' ? stored : '', 'base64');
  const b = Buffer.from(token, 'utf8');
  // subtle.ConstantTimeCompare: different lengths are a mismatch at once (the length is not the secret).
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The date as kube writes the last-used label: the UTC day, 2006-01-02. */
function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** legacyValidator.Validate: the claims present and consistent, then (with lookup) the Secret, its token and the ServiceAccount. */
export function legacyTokenValidator(lookup: boolean, getter: ServiceAccountTokenGetter, now: () => Date = () => new Date()): TokenValidator<LegacyPrivateClaims> {
  return {
    privateClaims,
    validate(token, claims, priv) {
      if (claims.sub === '') return { error: 'sub claim is missing' };
      const { namespace, secretName, serviceAccountName, serviceAccountUid } = priv;
      if (namespace === '') return { error: 'namespace claim is missing' };
      if (secretName === '') return { error: 'secretName claim is missing' };
      if (serviceAccountName === '') return { error: 'serviceAccountName claim is missing' };
      if (serviceAccountUid === '') return { error: 'serviceAccountUID claim is missing' };
      const subject = splitServiceAccountUsername(claims.sub);
      if (subject === undefined || subject.namespace !== namespace || subject.name !== serviceAccountName) return { error: 'sub claim is invalid' };
      if (lookup) {
        const secret = getter.getSecret(namespace, secretName);
        if (secret === undefined || secret.metadata.deletionTimestamp !== undefined) return { error: 'Token has been invalidated' };
        if (!sameToken(secret, token)) return { error: "Token does not match server's copy" };
        const sa = getter.getServiceAccount(namespace, serviceAccountName);
        if (sa === undefined) return { error: notFoundMessage('serviceaccounts', serviceAccountName) };
        if (sa.metadata.deletionTimestamp !== undefined) return { error: `ServiceAccount ${namespace}/${serviceAccountName} has been deleted` };
        if ((sa.metadata.uid ?? '') !== serviceAccountUid) return { error: `ServiceAccount UID (${sa.metadata.uid ?? ''}) does not match claim (${serviceAccountUid})` };
        const labels = recordOf(secret.metadata.labels);
        markUsed(getter, secret, labels, now());
        const invalidSince = labels[INVALID_SINCE_LABEL];
        if (typeof invalidSince === 'string' && invalidSince !== '') {
          return {
            error: `the token in secret ${namespace}/${secretName} for service account ${namespace}/${serviceAccountName} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${INVALID_SINCE_LABEL}' label from the secret to temporarily allow use of this token`,
          };
        }
        // A Secret the ServiceAccount lists in its secrets is an auto-generated token's.
        const listed = Array.isArray(sa.secrets) && sa.secrets.some((ref) => recordOf(ref).name === secret.metadata.name);
        if (listed) return { namespace, name: serviceAccountName, uid: serviceAccountUid, warnings: [AUTO_GENERATED_TOKEN_WARNING] };
      }
      return { namespace, name: serviceAccountName, uid: serviceAccountUid };
    },
  };
}

/** patchSecretWithLastUsedDate: the label set to today (UTC) unless it already says today or tomorrow. */
function markUsed(getter: ServiceAccountTokenGetter, secret: KubeObject, labels: Record<string, unknown>, now: Date): void {
  const today = utcDay(now);
  const tomorrow = utcDay(new Date(now.getTime() + 86_400_000));
  const lastUsed = labels[LAST_USED_LABEL];
  if (lastUsed === today || lastUsed === tomorrow) return;
  getter.labelSecret(secret.metadata.namespace ?? '', secret.metadata.name ?? '', secret.metadata.uid ?? '', { [LAST_USED_LABEL]: today });
}
