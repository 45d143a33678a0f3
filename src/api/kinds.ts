// The kinds the object store serves: core/v1 namespaces, pods, configmaps, secrets, serviceaccounts and nodes, and
// rbac.authorization.k8s.io/v1 roles, clusterroles, rolebindings and clusterrolebindings, each with what kube's
// registry knows of it. Sources (kube v1.33): pkg/registry/core/<kind>/{strategy.go,storage/storage.go},
// pkg/registry/rbac/<kind>/{strategy.go,storage/storage.go}, pkg/apis/core/v1/{defaults.go,conversion.go},
// pkg/apis/core/validation/validation.go, and the discovery documents kube-apiserver serves for them.
import type { ApiRegistry, ServedResource } from './registry.js';
import { restResource, type AdmitHook, type WatchLog } from './rest/resource.js';
import type { Authorizer } from '../authz/types.js';
import { applyRbacDefaults, RBAC_SCHEMAS, validateRbacObject, validateRbacUpdate } from '../authz/rbac/validation.js';
import type { RbacKind as RbacKindName } from '../authz/rbac/types.js';
import { equalJson } from '../apimachinery/json-value.js';
import { goBoolPtr, goSlice, goString, goStringMap, goStruct, kindSchema, type Schema } from '../apimachinery/go-decode.js';
import { namespaceType } from '../store/namespaces.js';
import type { ObjectStore } from '../store/object-store.js';
import type { FieldError, KubeObject } from '../apimachinery/object.js';
import type { ResourceType } from '../store/types.js';
import {
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isConfigMapKey,
  isDNS1123Label,
} from '../apimachinery/validation.js';
import { appendAll } from '../util/append-all.js';
import { recordOf } from '../apimachinery/json-value.js';
import { RBAC_GROUP } from '../apimachinery/group-version.js';
import { CONFIG_MAP_PATCH_META, NAMESPACE_PATCH_META, NODE_PATCH_META, POD_PATCH_META, RBAC_PATCH_META, SECRET_PATCH_META, SERVICE_ACCOUNT_PATCH_META } from './codec/patch-meta.js';

export type { AdmitHook } from './rest/resource.js';
export { namespaceType } from '../store/namespaces.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// The Go types of the core kinds (k8s.io/api/core/v1/types.go) as far as the strict decoder needs them.
const BYTES_MAP: Schema = { t: 'map', of: { t: 'bytes' }, go: 'map[string][]uint8' };
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
// Pods and nodes keep their spec and status free-form: their Go types are large, and kube's would be needed to
// tell unknown fields there (a documented difference).
const FREE_FORM: Schema = { t: 'any' };

const MAX_SECRET_SIZE = 1024 * 1024;

/** Data keys (ValidateConfigMap and ValidateSecret): each a config key, no key in both maps. */
function validateDataKeys(data: Record<string, unknown>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(data)) for (const m of isConfigMapKey(key)) errs.push(fieldInvalid(`${field}[${key}]`, key, m));
  return errs;
}

function immutableData(obj: KubeObject, old: KubeObject | undefined, fields: string[]): FieldError[] {
  if (old === undefined || old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldForbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!equalJson(obj[f] ?? null, old[f] ?? null)) errs.push(fieldForbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

/** core/v1 configmaps. */
export const configMapType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  namespaced: true,
  shortNames: ['cm'],
  fieldOrder: ['immutable', 'data', 'binaryData'],
  sortedMaps: ['data', 'binaryData'],
  schema: kindSchema('ConfigMap', { immutable: goBoolPtr, data: goStringMap, binaryData: BYTES_MAP }),
  patchMeta: CONFIG_MAP_PATCH_META,
  validate(obj, old) {
    const data = recordOf(obj.data);
    const binary = recordOf(obj.binaryData);
    const errs = immutableData(obj, old, ['data', 'binaryData']);
    appendAll(errs, validateDataKeys(data, 'data'));
    let size = 0;
    for (const [k, v] of Object.entries(data)) size += k.length + Buffer.byteLength(str(v));
    for (const [k, v] of Object.entries(binary)) {
      for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(`binaryData[${k}]`, k, m));
      if (k in data) errs.push(fieldInvalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
      size += k.length + Math.floor((str(v).length * 3) / 4);
    }
    if (size > MAX_SECRET_SIZE) errs.push(fieldTooLong('[]', MAX_SECRET_SIZE));
    return errs;
  },
};

/** core/v1 secrets: stringData folded into data on decode, type defaulted to Opaque and immutable. */
export const secretType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  singular: 'secret',
  kind: 'Secret',
  listKind: 'SecretList',
  namespaced: true,
  fieldOrder: ['immutable', 'data', 'type'],
  sortedMaps: ['data'],
  fieldLabels: ['type', 'metadata.namespace', 'metadata.name'],
  fieldSelectors: { type: (obj) => str(obj.type) },
  schema: kindSchema('Secret', { immutable: goBoolPtr, data: BYTES_MAP, stringData: goStringMap, type: goString('v1.SecretType') }),
  patchMeta: SECRET_PATCH_META,
  defaults(obj) {
    // Convert_v1_Secret_To_core_Secret: stringData wins over data, and is never stored.
    const stringData = recordOf(obj.stringData);
    if (Object.keys(stringData).length > 0) {
      const data = { ...recordOf(obj.data) };
      for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(str(v), 'utf8').toString('base64');
      obj.data = data;
    }
    delete obj.stringData;
    if (str(obj.type) === '') obj.type = 'Opaque';
  },
  validate(obj, old) {
    const data = recordOf(obj.data);
    const errs: FieldError[] = [];
    if (old !== undefined && str(obj.type) !== str(old.type)) errs.push(fieldInvalid('type', str(obj.type), 'field is immutable'));
    appendAll(errs, immutableData(obj, old, ['data']));
    appendAll(errs, validateDataKeys(data, 'data'));
    let size = 0;
    for (const [k, v] of Object.entries(data)) size += k.length + Math.floor((str(v).length * 3) / 4);
    switch (str(obj.type)) {
      case 'kubernetes.io/service-account-token':
        if (str(recordOf(obj.metadata.annotations)['kubernetes.io/service-account.name']) === '') {
          errs.push(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'));
        }
        break;
      case 'kubernetes.io/dockercfg':
        if (!('.dockercfg' in data)) errs.push(fieldRequired('data[.dockercfg]'));
        break;
      case 'kubernetes.io/dockerconfigjson':
        if (!('.dockerconfigjson' in data)) errs.push(fieldRequired('data[.dockerconfigjson]'));
        break;
      case 'kubernetes.io/basic-auth':
        if (!('username' in data) && !('password' in data)) errs.push(fieldRequired('data[username]'), fieldRequired('data[password]'));
        break;
      case 'kubernetes.io/ssh-auth':
        if (!('ssh-privatekey' in data)) errs.push(fieldRequired('data[ssh-privatekey]'));
        break;
      case 'kubernetes.io/tls':
        if (!('tls.crt' in data)) errs.push(fieldRequired('data[tls.crt]'));
        if (!('tls.key' in data)) errs.push(fieldRequired('data[tls.key]'));
        break;
    }
    if (size > MAX_SECRET_SIZE) errs.push(fieldTooLong('data', MAX_SECRET_SIZE));
    return errs;
  },
};

/** core/v1 serviceaccounts: the registry returns the deleted object. */
export const serviceAccountType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  namespaced: true,
  shortNames: ['sa'],
  returnDeletedObject: true,
  fieldOrder: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  schema: kindSchema('ServiceAccount', { secrets: goSlice(OBJECT_REFERENCE), imagePullSecrets: goSlice(LOCAL_OBJECT_REFERENCE), automountServiceAccountToken: goBoolPtr }),
  patchMeta: SERVICE_ACCOUNT_PATCH_META,
};

// ----- pods -----

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
  listKind: 'PodList',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  generation: true,
  returnDeletedObject: true,
  fieldOrder: ['spec', 'status'],
  sortedMaps: ['spec.nodeSelector'],
  schema: kindSchema('Pod', { spec: FREE_FORM, status: FREE_FORM }),
  patchMeta: POD_PATCH_META,
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

/** core/v1 nodes: cluster-scoped; the status is kept on update (it belongs to the kubelet, through /status). */
export const nodeType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  singular: 'node',
  kind: 'Node',
  listKind: 'NodeList',
  namespaced: false,
  shortNames: ['no'],
  fieldOrder: ['spec', 'status'],
  fieldLabels: ['metadata.name', 'spec.unschedulable'],
  schema: kindSchema('Node', { spec: FREE_FORM, status: FREE_FORM }),
  patchMeta: NODE_PATCH_META,
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

// ----- RBAC -----


function rbacKind(resource: string, singular: string, kind: string, namespaced: boolean): ResourceType {
  const binding = kind.endsWith('Binding');
  return {
    group: RBAC_GROUP,
    version: 'v1',
    resource,
    singular,
    kind,
    listKind: `${kind}List`,
    namespaced,
    nameValidation: 'PathSegmentName',
    allowCreateOnUpdate: true,
    fieldOrder: binding ? ['subjects', 'roleRef'] : kind === 'ClusterRole' ? ['rules', 'aggregationRule'] : ['rules'],
    emptyFields: binding ? { roleRef: { apiGroup: '', kind: '', name: '' } } : { rules: null },
    schema: RBAC_SCHEMAS[kind as RbacKindName],
    patchMeta: RBAC_PATCH_META[kind as RbacKindName],
    defaults(obj) {
      // v1 defaulting: roleRef.apiGroup, and the apiGroup of User and Group subjects.
      Object.assign(obj, applyRbacDefaults(obj));
    },
    validate: (obj, old) => (old === undefined ? validateRbacObject(obj) : validateRbacUpdate(obj, old)),
  };
}

/** rbac.authorization.k8s.io/v1 roles. */
export const roleType = rbacKind('roles', 'role', 'Role', true);
/** rbac.authorization.k8s.io/v1 clusterroles. */
export const clusterRoleType = rbacKind('clusterroles', 'clusterrole', 'ClusterRole', false);
/** rbac.authorization.k8s.io/v1 rolebindings. */
export const roleBindingType = rbacKind('rolebindings', 'rolebinding', 'RoleBinding', true);
/** rbac.authorization.k8s.io/v1 clusterrolebindings. */
export const clusterRoleBindingType = rbacKind('clusterrolebindings', 'clusterrolebinding', 'ClusterRoleBinding', false);

// namespaceType lives in store/, which may not import api/: its patch metadata is attached here.
namespaceType.patchMeta = NAMESPACE_PATCH_META;

/** The core/v1 kinds, in the order kube's discovery lists them (by name). */
export const CORE_KINDS: readonly ResourceType[] = [configMapType, namespaceType, nodeType, podType, secretType, serviceAccountType];

/** The rbac.authorization.k8s.io/v1 kinds, in discovery order. */
export const RBAC_KINDS: readonly ResourceType[] = [clusterRoleBindingType, clusterRoleType, roleBindingType, roleType];

/** Options for serving the kinds. */
export interface KindsOptions {
  /** Runs after decoding and before every create, update and delete (RBAC escalation checks). */
  admit?: AdmitHook;
  /** Where open watches register their close, for a clean stop. */
  openWatches?: Set<() => void>;
  /** The server's authorizer, for the create check of a PUT that creates. */
  authorizer?: Authorizer;
  /** Where a watch closed for not reading is reported. */
  log?: WatchLog;
}

function addResources(registry: ApiRegistry, group: string, version: string, resources: ServedResource[]): void {
  const existing = registry.groupVersion(group, version);
  if (existing === undefined) {
    registry.add({ group, version, resources });
    return;
  }
  for (const r of resources) {
    const at = existing.resources.findIndex((x) => x.name === r.name);
    if (at >= 0) existing.resources[at] = r;
    else existing.resources.push(r);
  }
  existing.resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Registers the core and RBAC kinds in the store and serves them: core "" v1 (joining a core v1 group version
 * already in the registry) and rbac.authorization.k8s.io v1, with kube's discovery fields and verbs.
 */
export function registerCoreAndRbacKinds(registry: ApiRegistry, store: ObjectStore, opts: KindsOptions = {}): void {
  for (const type of [...CORE_KINDS, ...RBAC_KINDS]) store.register(type);
  const serve = (t: ResourceType): ServedResource => restResource(store, t, opts);
  addResources(registry, '', 'v1', CORE_KINDS.map(serve));
  addResources(registry, RBAC_GROUP, 'v1', RBAC_KINDS.map(serve));
}

