// The NamespaceLifecycle admission plugin on plain requests, case by case as
// staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go decides them. Rows named after
// a test of its admission_test.go are that test's checks; the rest pin the exact Status kube's code builds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { namespaceLifecycle } from '../../../src/api/admission/namespace-lifecycle.js';
import { configMapType } from '../../../src/api/groups/core/configmaps.js';
import { namespaceType } from '../../../src/api/groups/core/namespaces.js';
import { clusterRoleType } from '../../../src/api/groups/rbac.js';
import type { AdmissionRequest } from '../../../src/api/rest/resource.js';
import type { KubeObject } from '../../../src/apimachinery/object.js';
import { StatusError, type StatusBody } from '../../../src/apimachinery/status.js';
import type { ResourceType } from '../../../src/store/types.js';

const namespaces: Record<string, KubeObject> = {
  active: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'active' }, status: { phase: 'Active' } },
  terminating: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'terminating', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Terminating' } },
};
const admit = namespaceLifecycle((name) => namespaces[name]);

function request(operation: AdmissionRequest['operation'], type: ResourceType, namespace: string, name: string, metadata: KubeObject['metadata'] = { name }): AdmissionRequest {
  const object: KubeObject = { apiVersion: 'v1', kind: type.kind, metadata };
  return {
    operation,
    user: { name: 'jane', uid: '', groups: [], extra: {} },
    type,
    namespace,
    name,
    object,
    oldObject: operation === 'create' ? undefined : object,
    requestInfo: { isResourceRequest: true, path: '', verb: operation, apiPrefix: 'api', apiGroup: type.group, apiVersion: type.version, namespace, resource: type.resource, subresource: '', name, parts: [type.resource] },
  };
}

async function outcome(req: AdmissionRequest): Promise<StatusBody | 'admitted'> {
  try {
    await admit(req);
    return 'admitted';
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
}

const status = (code: number, reason: string, message: string, details: StatusBody['details']): StatusBody => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });
const terminating = (name: string): StatusBody =>
  status(403, 'Forbidden', `configmaps ${JSON.stringify(name)} is forbidden: unable to create new content in namespace terminating because it is being terminated`, {
    name,
    kind: 'configmaps',
    causes: [{ reason: 'NamespaceTerminating', message: 'namespace terminating is being terminated', field: 'metadata.namespace' }],
  });

const cases: { name: string; req: AdmissionRequest; want: StatusBody | 'admitted' }[] = [
  { name: 'TestAdmissionNamespaceActive: create in an active namespace', req: request('create', configMapType, 'active', 'a'), want: 'admitted' },
  { name: 'TestAdmissionNamespaceDoesNotExist: create in a namespace that does not exist is 404 for the namespace', req: request('create', configMapType, 'missing', 'a'), want: status(404, 'NotFound', 'namespaces "missing" not found', { name: 'missing', kind: 'namespaces' }) },
  { name: 'TestAdmissionNamespaceDoesNotExist: update in a namespace that does not exist is 404 too', req: request('update', configMapType, 'missing', 'a'), want: status(404, 'NotFound', 'namespaces "missing" not found', { name: 'missing', kind: 'namespaces' }) },
  { name: 'TestAdmissionNamespaceTerminating: create in a terminating namespace is 403 with the NamespaceTerminating cause', req: request('create', configMapType, 'terminating', 'a'), want: terminating('a') },
  { name: 'a refused generateName create is named by its generateName', req: request('create', configMapType, 'terminating', '', { generateName: 'gen-' }), want: terminating('gen-') },
  { name: 'a refused create with no name at all is named Unknown', req: request('create', configMapType, 'terminating', '', {}), want: terminating('Unknown') },
  { name: 'TestAdmissionNamespaceTerminating: update in a terminating namespace is admitted', req: request('update', configMapType, 'terminating', 'a'), want: 'admitted' },
  { name: 'TestAdmissionNamespaceDoesNotExist: delete in a namespace that does not exist is admitted', req: request('delete', configMapType, 'missing', 'a'), want: 'admitted' },
  { name: 'cluster-scoped kinds are admitted', req: request('create', clusterRoleType, '', 'admin'), want: 'admitted' },
  { name: 'creating a namespace is admitted', req: request('create', namespaceType, '', 'new'), want: 'admitted' },
  { name: 'TestAdmissionNamespaceTerminating: deleting a namespace other than default is admitted', req: request('delete', namespaceType, '', 'active'), want: 'admitted' },
  ...['default', 'kube-system', 'kube-public'].map((name) => ({
    name: `${name === 'default' ? 'TestAdmissionNamespaceTerminating: ' : ''}deleting ${name} is 403: this namespace may not be deleted`,
    req: request('delete', namespaceType, '', name),
    want: status(403, 'Forbidden', `namespaces ${JSON.stringify(name)} is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' }),
  })),
  { name: 'kube-node-lease is not immortal', req: request('delete', namespaceType, '', 'kube-node-lease'), want: 'admitted' },
];

describe('NamespaceLifecycle', () => {
  for (const c of cases) test(c.name, async () => assert.deepEqual(await outcome(c.req), c.want));
});
