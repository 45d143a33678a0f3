// The Namespace kind, which the store itself needs for namespace lifecycle.
// Sources: pkg/registry/core/namespace/strategy.go (PrepareForCreate, PrepareForUpdate, Canonicalize),
// pkg/apis/core/validation/validation.go (ValidateNamespace), pkg/apis/core/v1/conversion.go
// (AddFieldLabelConversionsForNamespace) and plugin/pkg/admission/namespace/lifecycle (immortal namespaces).
import { goSlice, goString, goStruct, kindSchema } from '../apimachinery/go-decode.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { ResourceType } from './types.js';
import { fieldInvalid, isQualifiedName } from '../apimachinery/validation.js';
import { recordOf } from '../apimachinery/json-value.js';

/** The namespaces kube-apiserver creates at start (the system namespaces controller and kubeadm's default). */
export const INITIAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** NamespaceLifecycle's immortal namespaces: deleting them is 403 "this namespace may not be deleted". */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

/** v1.LabelMetadataName: every namespace carries its own name under this label. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/** v1.FinalizerKubernetes: the namespace controller's finalizer. */
export const FINALIZER_KUBERNETES = 'kubernetes';

function phaseOf(obj: KubeObject): string {
  const phase = recordOf(obj.status).phase;
  return typeof phase === 'string' ? phase : '';
}

/** core/v1 namespaces: cluster-scoped, DNS-1123 label names, short name ns. */
export const namespaceType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  namespaced: false,
  shortNames: ['ns'],
  nameValidation: 'DNS1123Label',
  fieldLabels: ['status.phase', 'metadata.name'],
  fieldSelectors: { 'status.phase': phaseOf },
  fieldOrder: ['spec', 'status'],
  schema: kindSchema('Namespace', {
    spec: goStruct('NamespaceSpec', 'v1', { finalizers: { t: 'slice', of: goString('v1.FinalizerName'), go: '[]v1.FinalizerName' } }),
    status: goStruct('NamespaceStatus', 'v1', {
      phase: goString('v1.NamespacePhase'),
      conditions: goSlice(
        goStruct('NamespaceCondition', 'v1', {
          type: goString('v1.NamespaceConditionType'),
          status: goString('v1.ConditionStatus'),
          lastTransitionTime: { t: 'time' },
          reason: goString(),
          message: goString(),
        }),
      ),
    }),
  }),
  emptyFields: { spec: {}, status: {} },
  prepareForCreate(obj) {
    // The finalizer is ensured and the status reset: a new namespace is always Active.
    const spec = recordOf(obj.spec);
    const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as unknown[]).map(String) : [];
    if (!finalizers.includes(FINALIZER_KUBERNETES)) finalizers.push(FINALIZER_KUBERNETES);
    obj.spec = { ...spec, finalizers };
    obj.status = { phase: 'Active' };
  },
  prepareForUpdate(obj, old) {
    // Finalizers change only through /finalize and status only through /status.
    obj.spec = { ...recordOf(obj.spec), finalizers: recordOf(old.spec).finalizers };
    obj.status = old.status;
  },
  canonicalize(obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [LABEL_METADATA_NAME]: obj.metadata.name ?? '' };
  },
  validate(obj) {
    const finalizers = recordOf(obj.spec).finalizers;
    if (!Array.isArray(finalizers)) return [];
    // validateFinalizerName: the standard "kubernetes" or a qualified name with a domain prefix.
    return finalizers.flatMap((f) => {
      const name = String(f);
      if (name === FINALIZER_KUBERNETES) return [];
      const errs = isQualifiedName(name).map((m) => fieldInvalid('spec.finalizers', name, m));
      if (errs.length === 0 && !name.includes('/')) {
        errs.push(fieldInvalid('spec.finalizers', name, 'name is neither a standard finalizer name nor is it fully qualified'));
      }
      return errs;
    });
  },
};
