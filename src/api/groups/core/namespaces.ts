// core/v1 namespaces. Sources (kube v1.33): pkg/registry/core/namespace/strategy.go (PrepareForCreate,
// PrepareForUpdate, Canonicalize), pkg/registry/core/namespace/storage/storage.go (Delete: Terminating first),
// pkg/apis/core/validation/validation.go (ValidateNamespace), pkg/apis/core/v1/conversion.go
// (AddFieldLabelConversionsForNamespace), pkg/controlplane/controller/systemnamespaces (the initial namespaces)
// and pkg/printers/internalversion/printers.go (printNamespace).
import { goSlice, goString, goStruct, kindSchema } from '../../../apimachinery/go-decode.js';
import { metaTime } from '../../../apimachinery/meta-time.js';
import type { KubeObject } from '../../../apimachinery/object.js';
import { conflict } from '../../../apimachinery/status.js';
import { fieldInvalid, isQualifiedName } from '../../../apimachinery/validation.js';
import { recordOf } from '../../../apimachinery/json-value.js';
import type { ObjectStore } from '../../../store/object-store.js';
import type { ResourceType } from '../../../store/types.js';
import type { DeleteStorage } from '../../rest/resource.js';
import { AGE_COLUMN, age, column, NAME_COLUMN, type Printer } from '../../rest/table.js';
import { NAMESPACE_PATCH_META } from '../../codec/patch-meta.js';

/** The namespaces kube-apiserver creates at start (the system namespaces controller and kubeadm's default). */
export const INITIAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** v1.LabelMetadataName: every namespace carries its own name under this label. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/** v1.FinalizerKubernetes: the namespace controller's finalizer. */
export const FINALIZER_KUBERNETES = 'kubernetes';

/** v1.NamespaceTerminating: the phase of a namespace being deleted. */
export const NAMESPACE_TERMINATING = 'Terminating';

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
  patchMeta: NAMESPACE_PATCH_META,
  listKind: 'NamespaceList',
  namespaced: false,
  shortNames: ['ns'],
  returnDeletedObject: true,
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

/** kubectl's columns for namespaces: Name, Status (the phase), Age. */
export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells: (obj, now) => [obj.metadata.name ?? '', phaseOf(obj), age(obj, now)],
};

/**
 * The namespace storage's Delete: the first delete marks the namespace Terminating (deletionTimestamp and
 * status.phase) and answers with it; the namespace controller then deletes its content and the namespace.
 * A delete while the kubernetes finalizer is still there is kube's 409.
 */
export const deleteNamespace: DeleteStorage = (store, type, _namespace, name, options) => {
  const current = store.get(type, '', name);
  if (current.metadata.deletionTimestamp === undefined) {
    return store.guaranteedUpdate(
      type,
      '',
      name,
      (ns) => {
        ns.metadata.deletionTimestamp = metaTime();
        ns.status = { ...recordOf(ns.status), phase: NAMESPACE_TERMINATING };
      },
      options,
    );
  }
  const finalizers = recordOf(current.spec).finalizers;
  if (Array.isArray(finalizers) && finalizers.length > 0) {
    throw conflict({ group: '', resource: 'namespaces' }, name, 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
  }
  return store.delete(type, '', name, options);
};

/** The system namespaces controller's work at start: the initial namespaces, created in order. */
export function createInitialNamespaces(store: ObjectStore): void {
  for (const name of INITIAL_NAMESPACES) store.create(namespaceType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
