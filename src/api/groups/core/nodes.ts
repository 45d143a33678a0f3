// core/v1 nodes. Sources (kube v1.33): pkg/registry/core/node/strategy.go, pkg/apis/core/v1/conversion.go
// (field labels) and pkg/printers/internalversion/printers.go (printNode).
import { recordOf } from '../../../apimachinery/json-value.js';
import { kindSchema, type Schema } from '../../../apimachinery/go-decode.js';
import type { KubeObject } from '../../../apimachinery/object.js';
import type { ResourceType } from '../../../store/types.js';
import { AGE_COLUMN, age, column, NAME_COLUMN, type Printer } from '../../rest/table.js';
import { NODE_PATCH_META } from '../../codec/patch-meta.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

// The node's spec and status stay free-form, as the pod's do.
const FREE_FORM: Schema = { t: 'any' };

/** core/v1 nodes: cluster-scoped; the status is kept on update (it belongs to the kubelet, through /status). */
export const nodeType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  singular: 'node',
  kind: 'Node',
  patchMeta: NODE_PATCH_META,
  listKind: 'NodeList',
  namespaced: false,
  shortNames: ['no'],
  fieldOrder: ['spec', 'status'],
  fieldLabels: ['metadata.name', 'spec.unschedulable'],
  schema: kindSchema('Node', { spec: FREE_FORM, status: FREE_FORM }),
  fieldSelectors: { 'spec.unschedulable': (o) => String(recordOf(o.spec).unschedulable === true) },
  emptyFields: {
    spec: {},
    status: {
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '',
        osImage: '',
        containerRuntimeVersion: '',
        kubeletVersion: '',
        kubeProxyVersion: '',
        operatingSystem: '',
        architecture: '',
      },
    },
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
  },
};

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

/** kubectl's columns for nodes: Name, Status, Roles, Age, Version, and with -o wide addresses, OS, kernel and runtime. */
export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).', 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  cells: nodeCells,
};
