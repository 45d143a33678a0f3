// The tokens controller of kube-controller-manager (pkg/controller/serviceaccount/tokens_controller.go): a Secret
// of type kubernetes.io/service-account-token that names a ServiceAccount gets a legacy token signed for it, the
// root CA and its namespace, and the ServiceAccount's uid in its annotations; one naming a ServiceAccount that does
// not exist (or no longer has that uid) is deleted, and so are all of a ServiceAccount's token Secrets when it is
// deleted; a deleted token Secret is removed from its ServiceAccount's secrets. It runs on the store's change events, within the write that caused them, so a Secret answered as
// created is already filled in.
import type { KubeObject } from '../../../apimachinery/object.js';
import { recordOf } from '../../../apimachinery/json-value.js';
import type { TokenGenerator } from '../../../authn/serviceaccount/generator.js';
import { legacyTokenClaims } from '../../../authn/serviceaccount/legacy.js';
import type { ObjectStore } from '../../../store/object-store.js';
import type { ResourceType } from '../../../store/types.js';

export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
export const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_UID_KEY = 'kubernetes.io/service-account.uid';

export interface TokensControllerConfig {
  secrets: ResourceType;
  serviceAccounts: ResourceType;
  /** Signs legacy tokens: issuer kubernetes/serviceaccount (kube-controller-manager's --service-account-private-key-file). */
  legacyGenerator: TokenGenerator;
  /** --root-ca-file: what clients in the cluster trust, written as ca.crt. */
  rootCaPem: string;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function annotation(obj: KubeObject, key: string): string {
  const v = recordOf(obj.metadata.annotations)[key];
  return typeof v === 'string' ? v : '';
}

/** Starts the controller over the Secrets already stored and every change after; returns its stop. */
export function startTokensController(store: ObjectStore, config: TokensControllerConfig): () => void {
  const { secrets, serviceAccounts } = config;
  const rootCa = b64(config.rootCaPem);

  /** getServiceAccount(ns, name, uid): the ServiceAccount when it exists with that uid (any, when none is given). */
  const serviceAccountFor = (secret: KubeObject): KubeObject | undefined => {
    const sa = store.find(serviceAccounts, secret.metadata.namespace ?? '', annotation(secret, SERVICE_ACCOUNT_NAME_KEY));
    const uid = annotation(secret, SERVICE_ACCOUNT_UID_KEY);
    return sa !== undefined && (uid === '' || uid === sa.metadata.uid) ? sa : undefined;
  };

  const syncSecret = (secret: KubeObject): void => {
    if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return;
    const namespace = secret.metadata.namespace ?? '';
    const name = secret.metadata.name ?? '';
    const sa = serviceAccountFor(secret);
    if (sa === undefined) {
      store.delete(secrets, namespace, name, { preconditions: { uid: secret.metadata.uid ?? '' } });
      return;
    }
    const data = recordOf(secret.data);
    const needsCa = data['ca.crt'] !== rootCa;
    const needsNamespace = typeof data.namespace !== 'string' || data.namespace === '';
    const needsToken = typeof data.token !== 'string' || data.token === '';
    if (!needsCa && !needsNamespace && !needsToken) return;
    // kube's controller writes through Update, whose ValidateSecretUpdate forbids any change to an immutable
    // Secret's data (pkg/apis/core/validation/validation.go): such a Secret never gets a token, nor the annotations.
    if (secret.immutable === true) return;
    store.guaranteedUpdate(secrets, namespace, name, (live) => {
      const next = { ...recordOf(live.data) };
      if (needsCa) next['ca.crt'] = rootCa;
      if (needsNamespace) next.namespace = b64(namespace);
      if (needsToken) {
        const claims = legacyTokenClaims({ namespace, name: sa.metadata.name ?? '', uid: sa.metadata.uid ?? '' }, name);
        next.token = b64(config.legacyGenerator.generateToken(claims));
      }
      live.data = Object.fromEntries(Object.keys(next).sort().map((k) => [k, next[k]]));
      live.metadata.annotations = { ...(live.metadata.annotations ?? {}), [SERVICE_ACCOUNT_NAME_KEY]: sa.metadata.name ?? '', [SERVICE_ACCOUNT_UID_KEY]: sa.metadata.uid ?? '' };
    });
  };

  /** A deleted ServiceAccount's token Secrets go with it. */
  const deleteTokensOf = (sa: KubeObject): void => {
    const namespace = sa.metadata.namespace ?? '';
    for (const secret of store.list(secrets, { namespace }).items) {
      if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE || annotation(secret, SERVICE_ACCOUNT_NAME_KEY) !== sa.metadata.name) continue;
      const uid = annotation(secret, SERVICE_ACCOUNT_UID_KEY);
      if (uid !== '' && uid !== sa.metadata.uid) continue;
      store.delete(secrets, namespace, secret.metadata.name ?? '');
    }
  };

  /** removeSecretReference: a deleted token Secret leaves its ServiceAccount's secrets (an empty list is omitted). */
  const removeReference = (secret: KubeObject): void => {
    if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return;
    const namespace = secret.metadata.namespace ?? '';
    const sa = serviceAccountFor(secret);
    const name = secret.metadata.name;
    if (sa === undefined || !Array.isArray(sa.secrets) || !sa.secrets.some((ref) => recordOf(ref).name === name)) return;
    store.guaranteedUpdate(serviceAccounts, namespace, sa.metadata.name ?? '', (live) => {
      const kept = (Array.isArray(live.secrets) ? live.secrets : []).filter((ref) => recordOf(ref).name !== name);
      if (kept.length > 0) live.secrets = kept;
      else delete live.secrets;
    });
  };

  for (const secret of store.list(secrets).items) syncSecret(secret);
  return store.onChange(({ type, event }) => {
    if (type === secrets && (event.type === 'ADDED' || event.type === 'MODIFIED')) {
      // Another change may have removed it already (a namespace emptied): sync what is stored now.
      const live = store.find(secrets, event.object.metadata.namespace ?? '', event.object.metadata.name ?? '');
      if (live !== undefined && live.metadata.uid === event.object.metadata.uid) syncSecret(live);
    } else if (type === secrets && event.type === 'DELETED') {
      removeReference(event.object);
    } else if (type === serviceAccounts && event.type === 'DELETED') {
      deleteTokensOf(event.object);
    }
  });
}
