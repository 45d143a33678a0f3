// Server-side printing: the meta.k8s.io Table kubectl asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).
// Sources: staging/src/k8s.io/apiserver/pkg/registry/rest/table.go (the default convertor: Name, Created At),
// pkg/printers/internalversion/printers.go (the columns kube serves for pods, nodes, namespaces, configmaps, secrets,
// serviceaccounts, rolebindings and clusterrolebindings; roles and clusterroles use the default), pkg/printers/storage
// (the server always prints wide: every column, kubectl hides priority 1 unless -o wide),
// apimachinery/pkg/util/duration (HumanDuration) and endpoints/handlers/response.go (includeObject).
import { badRequest } from '../../apimachinery/status.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { ResourceType } from '../../store/types.js';
import { recordOf } from '../../apimachinery/json-value.js';

/** metav1.TableColumnDefinition, with kube's JSON keys (none omitted). */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** metav1.TableRow: the cells and, unless includeObject=None, the object. */
export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

/** metav1.Table. */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** null on watch events after the first (NoHeaders), as Go encodes a nil slice. */
  columnDefinitions: TableColumn[] | null;
  /** null for an empty list printed by the default convertor, which never allocates the slice. */
  rows: TableRow[] | null;
}

/** TableOptions.includeObject. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Reads includeObject from the query: Metadata by default, kube's 400 for anything else it does not know. */
export function includeObjectOf(value: string | undefined): IncludeObject {
  if (value === undefined || value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw badRequest(`unrecognized includeObject value: ${JSON.stringify(value)}`);
}

// Descriptions from the swagger docs kube's printers quote.
const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const col = (name: string, type: string, description: string, priority = 0, format = ''): TableColumn => ({ name, type, format, description, priority });
const nameCol = col('Name', 'string', NAME_DOC, 0, 'name');
const ageCol = col('Age', 'string', CREATED_DOC);

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for no timestamp. */
function age(obj: KubeObject, now: number): string {
  const ts = obj.metadata.creationTimestamp;
  if (typeof ts !== 'string' || ts === '') return '<unknown>';
  return humanDuration(now - Date.parse(ts));
}

interface Printer {
  columns: TableColumn[];
  cells(obj: KubeObject, now: number): unknown[];
}

/** rest.DefaultTableConvertor: Name and Created At (RFC 3339, UTC). */
const defaultPrinter: Printer = {
  columns: [nameCol, col('Created At', 'date', CREATED_DOC)],
  cells: (obj) => [obj.metadata.name ?? '', typeof obj.metadata.creationTimestamp === 'string' ? obj.metadata.creationTimestamp : '0001-01-01T00:00:00Z'],
};

// rbac.SubjectsStrings
function subjects(obj: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of list(obj.subjects).map(recordOf)) {
    if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
    else if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string, roleRefDoc: string): Printer {
  return {
    columns: [
      nameCol,
      col('Role', 'string', roleRefDoc),
      ageCol,
      col('Users', 'string', `Users in the ${what}`, 1),
      col('Groups', 'string', `Groups in the ${what}`, 1),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    cells: (obj, now) => {
      const ref = recordOf(obj.roleRef);
      return [obj.metadata.name ?? '', `${str(ref.kind)}/${str(ref.name)}`, age(obj, now), ...subjects(obj)];
    },
  };
}

// printPod, for what a store without kubelets holds: phase or reason, container readiness and restarts.
function podCells(obj: KubeObject, now: number): unknown[] {
  const spec = recordOf(obj.spec);
  const status = recordOf(obj.status);
  const total = list(spec.containers).length;
  let ready = 0;
  let restarts = 0;
  let reason = str(status.reason) || str(status.phase);
  let hasRunning = false;
  const statuses = list(status.containerStatuses).map(recordOf);
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i]!;
    restarts += typeof c.restartCount === 'number' ? c.restartCount : 0;
    const state = recordOf(c.state);
    const waiting = recordOf(state.waiting);
    const terminated = state.terminated === undefined ? undefined : recordOf(state.terminated);
    if (str(waiting.reason) !== '') reason = str(waiting.reason);
    else if (terminated !== undefined && str(terminated.reason) !== '') reason = str(terminated.reason);
    else if (terminated !== undefined) reason = terminated.signal ? `Signal:${String(terminated.signal)}` : `ExitCode:${String(terminated.exitCode ?? 0)}`;
    else if (c.ready === true && state.running !== undefined) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = 'Running';
  const phase = str(status.phase);
  if (obj.metadata.deletionTimestamp !== undefined && status.reason === 'NodeLost') reason = 'Unknown';
  else if (obj.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const gates = list(spec.readinessGates).map(recordOf);
  let gatesCell = '<none>';
  if (gates.length > 0) {
    const conditions = list(status.conditions).map(recordOf);
    const trueGates = gates.filter((g) => conditions.some((c) => c.type === g.conditionType && c.status === 'True')).length;
    gatesCell = `${trueGates}/${gates.length}`;
  }
  return [
    obj.metadata.name ?? '',
    `${ready}/${total}`,
    reason,
    String(restarts),
    age(obj, now),
    str(status.podIP) || '<none>',
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    gatesCell,
  ];
}

function nodeCells(obj: KubeObject, now: number): unknown[] {
  const spec = recordOf(obj.spec);
  const status = recordOf(obj.status);
  const info = recordOf(status.nodeInfo);
  const conditions = list(status.conditions).map(recordOf);
  const states: string[] = [];
  const readyCond = conditions.find((c) => c.type === 'Ready');
  if (readyCond !== undefined) states.push(readyCond.status === 'True' ? 'Ready' : 'NotReady');
  if (states.length === 0) states.push('Unknown');
  if (spec.unschedulable === true) states.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  const addresses = list(status.addresses).map(recordOf);
  const address = (type: string): string => str(addresses.find((a) => a.type === type)?.address) || '<none>';
  return [
    obj.metadata.name ?? '',
    states.join(','),
    [...roles].sort().join(',') || '<none>',
    age(obj, now),
    str(info.kubeletVersion),
    address('InternalIP'),
    address('ExternalIP'),
    str(info.osImage) || '<unknown>',
    str(info.kernelVersion) || '<unknown>',
    str(info.containerRuntimeVersion) || '<unknown>',
  ];
}

const PRINTERS: Record<string, Printer> = {
  '/pods': {
    columns: [
      nameCol,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      ageCol,
      col('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col(
        'Node',
        'string',
        'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
        1,
      ),
      col(
        'Nominated Node',
        'string',
        'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
        1,
      ),
      col(
        'Readiness Gates',
        'string',
        'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
        1,
      ),
    ],
    cells: podCells,
  },
  '/nodes': {
    columns: [
      nameCol,
      col('Status', 'string', 'The status of the node'),
      col('Roles', 'string', 'The roles of the node'),
      ageCol,
      col('Version', 'string', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).', 1),
      col('External-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).', 1),
      col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
    ],
    cells: nodeCells,
  },
  '/namespaces': {
    columns: [nameCol, col('Status', 'string', 'The status of the namespace'), ageCol],
    cells: (obj, now) => [obj.metadata.name ?? '', str(recordOf(obj.status).phase), age(obj, now)],
  },
  '/configmaps': {
    columns: [
      nameCol,
      col(
        'Data',
        'string',
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
      ),
      ageCol,
    ],
    cells: (obj, now) => [obj.metadata.name ?? '', Object.keys(recordOf(obj.data)).length + Object.keys(recordOf(obj.binaryData)).length, age(obj, now)],
  },
  '/secrets': {
    columns: [
      nameCol,
      col('Type', 'string', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
      col(
        'Data',
        'string',
        "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
      ),
      ageCol,
    ],
    cells: (obj, now) => [obj.metadata.name ?? '', str(obj.type), Object.keys(recordOf(obj.data)).length, age(obj, now)],
  },
  '/serviceaccounts': {
    columns: [
      nameCol,
      col(
        'Secrets',
        'string',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
      ),
      ageCol,
    ],
    cells: (obj, now) => [obj.metadata.name ?? '', list(obj.secrets).length, age(obj, now)],
  },
  'rbac.authorization.k8s.io/rolebindings': bindingPrinter(
    'roleBinding',
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  ),
  'rbac.authorization.k8s.io/clusterrolebindings': bindingPrinter(
    'clusterRoleBinding',
    'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  ),
};

function printerFor(type: ResourceType): Printer {
  return PRINTERS[`${type.group}/${type.resource}`] ?? defaultPrinter;
}

/** The row's object as includeObject asks: PartialObjectMetadata (default), the whole object, or none. */
function rowObject(obj: KubeObject, include: IncludeObject, metaVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${metaVersion}`, metadata: obj.metadata };
}

/** Options of a Table conversion. */
export interface TableOptions {
  include: IncludeObject;
  /** meta.k8s.io version the client asked for: v1 or v1beta1. */
  version: string;
  /** Omit the column definitions (watch events after the first). */
  noHeaders?: boolean;
  /** The list's metadata, or the object's resourceVersion. */
  metadata: Table['metadata'];
  now?: number;
}

/** Converts objects (one for get, all for list) to a Table as kube's TableConvertor and response transformer do. */
export function toTable(type: ResourceType, objects: readonly KubeObject[], opts: TableOptions): Table {
  const printer = printerFor(type);
  const now = opts.now ?? Date.now();
  const rows = objects.map((obj): TableRow => {
    const object = rowObject(obj, opts.include, opts.version);
    return object === undefined ? { cells: printer.cells(obj, now) } : { cells: printer.cells(obj, now), object };
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: opts.metadata,
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows: rows.length === 0 && printer === defaultPrinter ? null : rows,
  };
}
