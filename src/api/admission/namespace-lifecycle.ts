// The NamespaceLifecycle admission plugin (staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/
// admission.go): the immortal namespaces cannot be deleted, and namespaced objects are created and changed only in
// a namespace that exists and, for a create, is not being terminated. Deletes of namespaced objects always pass.
import type { KubeObject } from '../../apimachinery/object.js';
import { recordOf } from '../../apimachinery/json-value.js';
import { forbidden, notFound, type StatusError } from '../../apimachinery/status.js';
import type { AdmissionRequest, AdmitHook } from '../rest/resource.js';

/** The namespaces the plugin never lets go: metav1.NamespaceDefault, NamespaceSystem and NamespacePublic. */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

/** v1.NamespaceTerminatingCause: the cause kube attaches to a create refused in a terminating namespace. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

const NAMESPACES = { group: '', resource: 'namespaces' } as const;

const isNamespaceKind = (request: AdmissionRequest): boolean => request.type.group === '' && request.type.kind === 'Namespace';

/** admission.NewForbidden's name (extractResourceName): the request's name, else the object's generateName, else "Unknown". */
function nameForError(request: AdmissionRequest): string {
  if (request.name !== '') return request.name;
  const generateName = request.object.metadata.generateName;
  return typeof generateName === 'string' && generateName !== '' ? generateName : 'Unknown';
}

function terminatingError(request: AdmissionRequest): StatusError {
  const err = forbidden({ group: request.type.group, resource: request.type.resource }, nameForError(request), `unable to create new content in namespace ${request.namespace} because it is being terminated`);
  err.status.details = {
    ...err.status.details,
    causes: [{ reason: NAMESPACE_TERMINATING_CAUSE, message: `namespace ${request.namespace} is being terminated`, field: 'metadata.namespace' }],
  };
  return err;
}

/**
 * The plugin, reading namespaces through `namespaceNamed` (the stored Namespace, or undefined). Throws kube's 403
 * `namespaces "default" is forbidden: this namespace may not be deleted`, 404 `namespaces "x" not found`, or 403
 * `... unable to create new content in namespace x because it is being terminated`.
 */
export function namespaceLifecycle(namespaceNamed: (name: string) => KubeObject | undefined, immortal: readonly string[] = IMMORTAL_NAMESPACES): AdmitHook {
  return (request) => {
    if (request.operation === 'delete' && isNamespaceKind(request) && immortal.includes(request.name)) {
      throw forbidden(NAMESPACES, request.name, 'this namespace may not be deleted');
    }
    // Cluster-scoped kinds, namespaces themselves and deletes of namespaced objects always pass.
    if (request.namespace === '' || isNamespaceKind(request) || request.operation === 'delete') return;
    const namespace = namespaceNamed(request.namespace);
    if (namespace === undefined) throw notFound(NAMESPACES, request.namespace);
    if (request.operation === 'create' && recordOf(namespace.status).phase === 'Terminating') throw terminatingError(request);
  };
}
