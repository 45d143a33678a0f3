// metav1.ObjectMeta, a Kubernetes object in its JSON shape, and field.Error: the words every layer above speaks.

/** metav1.ObjectMeta as stored: the fields the store owns are always set on stored objects. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** kube's ObjectMeta field order, as its JSON encoder writes it. */
export const OBJECT_META_FIELD_ORDER: readonly string[] = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Any Kubernetes object in its JSON shape. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** One field error of a 422 Invalid, as kube's field.Error prints: `metadata.name: Required value`. */
export interface FieldError {
  /** The field path, e.g. "rules[0].verbs". */
  field: string;
  /** kube's field.ErrorType string: "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported", ... */
  reason: string;
  /** The whole message, as kube prints it: `rules[0].verbs: Required value: verbs must contain at least one value`. */
  message: string;
}
