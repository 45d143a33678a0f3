// core/v1 pods. Sources (kube v1.33): pkg/registry/core/pod/strategy.go, pkg/apis/core/v1/defaults.go,
// pkg/apis/core/v1/conversion.go (field labels), pkg/apis/core/validation/validation.go, pkg/apis/core/helper/qos
// and pkg/printers/internalversion/printers.go (printPod).
import { recordOf } from '../../../apimachinery/json-value.js';
import { kindSchema, type Schema } from '../../../apimachinery/go-decode.js';
import type { FieldError, KubeObject } from '../../../apimachinery/object.js';
import { fieldDuplicate, fieldInvalid, fieldNotSupported, fieldRequired, isDNS1123Label } from '../../../apimachinery/validation.js';
import type { ResourceType } from '../../../store/types.js';
import { AGE_COLUMN, age, column, NAME_COLUMN, type Printer } from '../../rest/table.js';
import { POD_PATCH_META } from '../../codec/patch-meta.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

// The pod's spec and status stay free-form: their Go types are large, and kube's would be needed to tell
// unknown fields there (a documented difference).
const FREE_FORM: Schema = { t: 'any' };

interface Container {
  name?: unknown;
  image?: unknown;
  resources?: unknown;
  [field: string]: unknown;
}

function containersOf(spec: Record<string, unknown>, field: string): Container[] {
  return Array.isArray(spec[field]) ? (spec[field] as unknown[]).map((c) => recordOf(c) as Container) : [];
}

/** SetDefaults_Container and the pull policy rule: Always for :latest or no tag, else IfNotPresent. */
function defaultContainer(c: Container): void {
  if (c.terminationMessagePath === undefined) c.terminationMessagePath = '/dev/termination-log';
  if (c.terminationMessagePolicy === undefined) c.terminationMessagePolicy = 'File';
  if (c.resources === undefined) c.resources = {};
  if (c.imagePullPolicy === undefined) {
    const image = str(c.image);
    const lastPart = image.slice(image.lastIndexOf('/') + 1);
    const tagged = !image.includes('@') && lastPart.includes(':');
    c.imagePullPolicy = !image.includes('@') && (!tagged || lastPart.endsWith(':latest')) ? 'Always' : 'IfNotPresent';
  }
}

/** qos.GetPodQOS, for requests and limits of cpu and memory. */
function podQos(spec: Record<string, unknown>): string {
  const containers = [...containersOf(spec, 'initContainers'), ...containersOf(spec, 'containers')];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = recordOf(c.resources);
    const requests = recordOf(res.requests);
    const limits = recordOf(res.limits);
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined || limits[r] !== undefined) anySet = true;
      if (limits[r] === undefined || (requests[r] !== undefined && String(requests[r]) !== String(limits[r]))) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function validateContainers(spec: Record<string, unknown>, field: string, required: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const list = containersOf(spec, field);
  if (required && list.length === 0) errs.push(fieldRequired(`spec.${field}`));
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const path = `spec.${field}[${i}]`;
    const name = str(c.name);
    if (name === '') errs.push(fieldRequired(`${path}.name`));
    else {
      for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${path}.name`, name, m));
      if (seen.has(name)) errs.push(fieldDuplicate(`${path}.name`, name));
      seen.add(name);
    }
    if (str(c.image).trim() === '') errs.push(fieldRequired(`${path}.image`));
  });
  return errs;
}

/**
 * core/v1 pods. Defaulting covers the common fields only; the status is reset on create (Pending, with the QoS
 * class) and kept on update, as the pod strategy does; generation is tracked as kube 1.33 does.
 */
export const podType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'pods',
  singular: 'pod',
  kind: 'Pod',
  patchMeta: POD_PATCH_META,
  listKind: 'PodList',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  generation: true,
  returnDeletedObject: true,
  fieldOrder: ['spec', 'status'],
  sortedMaps: ['spec.nodeSelector'],
  schema: kindSchema('Pod', { spec: FREE_FORM, status: FREE_FORM }),
  emptyFields: { spec: { containers: null }, status: {} },
  fieldLabels: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  fieldSelectors: {
    'spec.nodeName': (o) => str(recordOf(o.spec).nodeName),
    'spec.restartPolicy': (o) => str(recordOf(o.spec).restartPolicy),
    'spec.schedulerName': (o) => str(recordOf(o.spec).schedulerName),
    'spec.serviceAccountName': (o) => str(recordOf(o.spec).serviceAccountName),
    'spec.hostNetwork': (o) => String(recordOf(o.spec).hostNetwork === true),
    'status.phase': (o) => str(recordOf(o.status).phase),
    'status.podIP': (o) => str(recordOf(o.status).podIP),
    'status.nominatedNodeName': (o) => str(recordOf(o.status).nominatedNodeName),
  },
  defaults(obj) {
    const spec = recordOf(obj.spec);
    if (obj.spec === undefined) return;
    spec.restartPolicy ??= 'Always';
    spec.terminationGracePeriodSeconds ??= 30;
    spec.dnsPolicy ??= 'ClusterFirst';
    spec.securityContext ??= {};
    spec.schedulerName ??= 'default-scheduler';
    spec.enableServiceLinks ??= true;
    if (typeof spec.serviceAccountName === 'string' && spec.serviceAccount === undefined) spec.serviceAccount = spec.serviceAccountName;
    for (const c of [...containersOf(spec, 'containers'), ...containersOf(spec, 'initContainers')]) defaultContainer(c);
    if (Array.isArray(spec.containers)) spec.containers = containersOf(spec, 'containers');
    if (Array.isArray(spec.initContainers)) spec.initContainers = containersOf(spec, 'initContainers');
    obj.spec = spec;
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: podQos(recordOf(obj.spec)) };
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
  },
  validate(obj) {
    const spec = recordOf(obj.spec);
    const errs = [...validateContainers(spec, 'containers', true), ...validateContainers(spec, 'initContainers', false)];
    const restart = spec.restartPolicy;
    if (restart !== undefined && !['Always', 'OnFailure', 'Never'].includes(str(restart))) {
      errs.push(fieldNotSupported('spec.restartPolicy', str(restart), ['Always', 'OnFailure', 'Never']));
    }
    return errs;
  },
};

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


/** kubectl's columns for pods: Name, Ready, Status, Restarts, Age, and with -o wide IP, Node, Nominated Node, Readiness Gates. */
export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COLUMN,
    column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    column(
      'Node',
      'string',
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
      1,
    ),
    column(
      'Nominated Node',
      'string',
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
      1,
    ),
    column(
      'Readiness Gates',
      'string',
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
      1,
    ),
  ],
  cells: podCells,
};
