// core/v1 serviceaccounts. Sources (kube v1.33): pkg/registry/core/serviceaccount/storage/storage.go
// (ReturnDeletedObject) and pkg/printers/internalversion/printers.go (printServiceAccount).
import { goBoolPtr, goSlice, goString, goStruct, kindSchema } from '../../../apimachinery/go-decode.js';
import type { ResourceType } from '../../../store/types.js';
import { AGE_COLUMN, age, column, NAME_COLUMN, type Printer } from '../../rest/table.js';
import { SERVICE_ACCOUNT_PATCH_META } from '../../codec/patch-meta.js';

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

// The Go types of the fields (k8s.io/api/core/v1/types.go) as far as the strict decoder needs them.
const OBJECT_REFERENCE = goStruct('ObjectReference', 'v1', {
  kind: goString(),
  namespace: goString(),
  name: goString(),
  uid: goString('types.UID'),
  apiVersion: goString(),
  resourceVersion: goString(),
  fieldPath: goString(),
});
const LOCAL_OBJECT_REFERENCE = goStruct('LocalObjectReference', 'v1', { name: goString() });

/** core/v1 serviceaccounts: the registry returns the deleted object. */
export const serviceAccountType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  kind: 'ServiceAccount',
  patchMeta: SERVICE_ACCOUNT_PATCH_META,
  listKind: 'ServiceAccountList',
  namespaced: true,
  shortNames: ['sa'],
  returnDeletedObject: true,
  fieldOrder: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  schema: kindSchema('ServiceAccount', { secrets: goSlice(OBJECT_REFERENCE), imagePullSecrets: goSlice(LOCAL_OBJECT_REFERENCE), automountServiceAccountToken: goBoolPtr }),
};

/** kubectl's columns for serviceaccounts: Name, Secrets (how many), Age. */
export const serviceAccountPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
    ),
    AGE_COLUMN,
  ],
  cells: (obj, now) => [obj.metadata.name ?? '', list(obj.secrets).length, age(obj, now)],
};
