import { test } from 'node:test';
import assert from 'node:assert/strict';

import { RequestInfoError, resolveRequestInfo, type RequestInfo } from '../../../src/request/request-info.js';

// Rows ported from kubernetes/kubernetes
// staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go, then rows for what kube
// inherits from Go's net/url and apimachinery's selector parsing. Every row asserts the whole
// RequestInfo, which is stricter than kube: kube's TestGetAPIRequestInfo never checks APIPrefix or
// APIGroup (its table says "api" even for /apis/... paths), nor Path.

interface Row {
  name: string;
  method: string;
  url: string;
  want?: RequestInfo;
  throws?: { code: RequestInfoError['code']; message?: string };
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

/** A resource request; the columns follow kube's successCases table. */
function resource(
  url: string,
  verb: string,
  apiPrefix: string,
  apiGroup: string,
  apiVersion: string,
  namespace: string,
  resourceName: string,
  subresource: string,
  name: string,
  parts: string[],
  path: string = pathOf(url),
): RequestInfo {
  return {
    isResourceRequest: true,
    path,
    verb,
    apiPrefix,
    apiGroup,
    apiVersion,
    namespace,
    resource: resourceName,
    subresource,
    name,
    parts,
  };
}

function nonResource(path: string, verb: string, apiPrefix = ''): RequestInfo {
  return {
    isResourceRequest: false,
    path,
    verb,
    apiPrefix,
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
}

function describe(info: RequestInfo): string {
  if (!info.isResourceRequest) return `non-resource ${info.verb}`;
  const target = [info.resource, info.subresource].filter((s) => s !== '').join('/');
  return `${info.verb} ${target}${info.name !== '' ? ` ${info.name}` : ''}`;
}

/** Control characters would end up raw in the TAP output. */
function printable(url: string): string {
  return url.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A row named `<kube test>: METHOD url -> verb resource[/subresource] [name]`. */
/** kube's expectedFieldSelector / expectedLabelSelector columns (RequestInfo.FieldSelector, LabelSelector). */
function selectors(info: RequestInfo, fieldSelector: string, labelSelector = ''): RequestInfo {
  return { ...info, ...(fieldSelector !== '' ? { fieldSelector } : {}), ...(labelSelector !== '' ? { labelSelector } : {}) };
}

function row(source: string, method: string, url: string, want: RequestInfo, note = ''): Row {
  return { name: `${source}: ${method} ${url} -> ${describe(want)}${note}`, method, url, want };
}

function throwsRow(source: string, method: string, url: string, code: RequestInfoError['code'], message?: string): Row {
  return { name: `${source}: ${method} ${printable(url)} -> ${code}`, method, url, throws: { code, ...(message === undefined ? {} : { message }) } };
}

const API = 'TestGetAPIRequestInfo';
const NON = 'TestGetNonAPIRequestInfo';
const SEL = 'TestSelectorParsing';
const EXTRA = 'Extra';

const rows: Row[] = [
  // ----- TestGetAPIRequestInfo: successCases -----
  // resource paths
  row(API, 'GET', '/api/v1/namespaces', resource('/api/v1/namespaces', 'list', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces'])),
  row(API, 'GET', '/api/v1/namespaces/other', resource('/api/v1/namespaces/other', 'get', 'api', '', 'v1', 'other', 'namespaces', '', 'other', ['namespaces', 'other'])),
  row(API, 'GET', '/api/v1/namespaces/other/pods', resource('/api/v1/namespaces/other/pods', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods'])),
  row(API, 'GET', '/api/v1/namespaces/other/pods/foo', resource('/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo'])),
  row(API, 'HEAD', '/api/v1/namespaces/other/pods/foo', resource('/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo'])),
  row(API, 'GET', '/api/v1/pods', resource('/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(API, 'HEAD', '/api/v1/pods', resource('/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(API, 'GET', '/api/v1/namespaces/other/pods/foo', resource('/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']), ' (kube repeats this row)'),
  row(API, 'GET', '/api/v1/namespaces/other/pods', resource('/api/v1/namespaces/other/pods', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']), ' (kube repeats this row)'),
  row(API, 'PATCH', '/api/v1/namespaces/new-namespace', resource('/api/v1/namespaces/new-namespace', 'patch', 'api', '', 'v1', 'new-namespace', 'namespaces', '', 'new-namespace', ['namespaces', 'new-namespace'])),
  // special verbs
  row(API, 'GET', '/api/v1/proxy/namespaces/other/pods/foo', resource('/api/v1/proxy/namespaces/other/pods/foo', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo'])),
  row(API, 'GET', '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', resource('/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo', 'subpath', 'not', 'a', 'subresource'])),
  row(API, 'GET', '/api/v1/watch/pods', resource('/api/v1/watch/pods', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(API, 'GET', '/api/v1/pods?watch=true', resource('/api/v1/pods?watch=true', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(API, 'GET', '/api/v1/pods?watch=false', resource('/api/v1/pods?watch=false', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(API, 'GET', '/api/v1/watch/namespaces/other/pods', resource('/api/v1/watch/namespaces/other/pods', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods'])),
  row(API, 'GET', '/api/v1/namespaces/other/pods?watch=1', resource('/api/v1/namespaces/other/pods?watch=1', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods'])),
  row(API, 'GET', '/api/v1/namespaces/other/pods?watch=0', resource('/api/v1/namespaces/other/pods?watch=0', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods'])),
  // subresource identification
  row(API, 'GET', '/api/v1/namespaces/other/pods/foo/status', resource('/api/v1/namespaces/other/pods/foo/status', 'get', 'api', '', 'v1', 'other', 'pods', 'status', 'foo', ['pods', 'foo', 'status'])),
  row(API, 'GET', '/api/v1/namespaces/other/pods/foo/proxy/subpath', resource('/api/v1/namespaces/other/pods/foo/proxy/subpath', 'get', 'api', '', 'v1', 'other', 'pods', 'proxy', 'foo', ['pods', 'foo', 'proxy', 'subpath'])),
  row(API, 'PUT', '/api/v1/namespaces/other/finalize', resource('/api/v1/namespaces/other/finalize', 'update', 'api', '', 'v1', 'other', 'namespaces', 'finalize', 'other', ['namespaces', 'other', 'finalize'])),
  row(API, 'PUT', '/api/v1/namespaces/other/status', resource('/api/v1/namespaces/other/status', 'update', 'api', '', 'v1', 'other', 'namespaces', 'status', 'other', ['namespaces', 'other', 'status'])),
  // verb identification
  row(API, 'PATCH', '/api/v1/namespaces/other/pods/foo', resource('/api/v1/namespaces/other/pods/foo', 'patch', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo'])),
  row(API, 'DELETE', '/api/v1/namespaces/other/pods/foo', resource('/api/v1/namespaces/other/pods/foo', 'delete', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo'])),
  row(API, 'POST', '/api/v1/namespaces/other/pods', resource('/api/v1/namespaces/other/pods', 'create', 'api', '', 'v1', 'other', 'pods', '', '', ['pods'])),
  // deletecollection verb identification
  row(API, 'DELETE', '/api/v1/nodes', resource('/api/v1/nodes', 'deletecollection', 'api', '', 'v1', '', 'nodes', '', '', ['nodes'])),
  row(API, 'DELETE', '/api/v1/namespaces', resource('/api/v1/namespaces', 'deletecollection', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces'])),
  row(API, 'DELETE', '/api/v1/namespaces/other/pods', resource('/api/v1/namespaces/other/pods', 'deletecollection', 'api', '', 'v1', 'other', 'pods', '', '', ['pods'])),
  // kube's table says APIPrefix "api" for the /apis rows below; kube never asserts it, and it is "apis".
  row(API, 'DELETE', '/apis/extensions/v1/namespaces/other/pods', resource('/apis/extensions/v1/namespaces/other/pods', 'deletecollection', 'apis', 'extensions', 'v1', 'other', 'pods', '', '', ['pods'])),
  // api group identification
  row(API, 'POST', '/apis/extensions/v1/namespaces/other/pods', resource('/apis/extensions/v1/namespaces/other/pods', 'create', 'apis', 'extensions', 'v1', 'other', 'pods', '', '', ['pods'])),
  // api version identification
  row(API, 'POST', '/apis/extensions/v1beta3/namespaces/other/pods', resource('/apis/extensions/v1beta3/namespaces/other/pods', 'create', 'apis', 'extensions', 'v1beta3', 'other', 'pods', '', '', ['pods'])),

  // ----- TestGetAPIRequestInfo: errorCases (all non-resource; the prefix is recorded before the group check) -----
  row(API, 'GET', '/', nonResource('/', 'get'), ' (no resource path)'),
  row(API, 'GET', '/api/version/', nonResource('/api/version/', 'get'), ' (just apiversion)'),
  row(API, 'GET', '/apis/group/version/', nonResource('/apis/group/version/', 'get', 'apis'), ' (just prefix, group, version)'),
  row(API, 'GET', '/api/version/', nonResource('/api/version/', 'get'), ' (apiversion with no resource)'),
  row(API, 'GET', '/badprefix/version/resource', nonResource('/badprefix/version/resource', 'get'), ' (bad prefix)'),
  row(API, 'GET', '/apis/version/resource', nonResource('/apis/version/resource', 'get', 'apis'), ' (missing api group)'),

  // ----- TestGetNonAPIRequestInfo -----
  row(NON, 'GET', '/api/version/resource', resource('/api/version/resource', 'list', 'api', '', 'version', '', 'resource', '', '', ['resource']), ' (simple groupless)'),
  row(NON, 'GET', '/apis/group/version/resource/name/subresource', resource('/apis/group/version/resource/name/subresource', 'get', 'apis', 'group', 'version', '', 'resource', 'subresource', 'name', ['resource', 'name', 'subresource']), ' (simple group)'),
  row(NON, 'GET', '/api/version/resource/name/subresource', resource('/api/version/resource/name/subresource', 'get', 'api', '', 'version', '', 'resource', 'subresource', 'name', ['resource', 'name', 'subresource']), ' (more steps)'),
  row(NON, 'GET', '/apis/batch/v1/job', resource('/apis/batch/v1/job', 'list', 'apis', 'batch', 'v1', '', 'job', '', '', ['job']), ' (group list)'),
  row(NON, 'GET', '/apis/batch/v1/job/foo', resource('/apis/batch/v1/job/foo', 'get', 'apis', 'batch', 'v1', '', 'job', '', 'foo', ['job', 'foo']), ' (group get)'),
  row(NON, 'GET', '/apis/batch/v1/job/foo/scale', resource('/apis/batch/v1/job/foo/scale', 'get', 'apis', 'batch', 'v1', '', 'job', 'scale', 'foo', ['job', 'foo', 'scale']), ' (group subresource)'),
  row(NON, 'GET', '/not-api/version/resource', nonResource('/not-api/version/resource', 'get'), ' (bad root)'),
  row(NON, 'GET', '/apis/extensions/v1beta1', nonResource('/apis/extensions/v1beta1', 'get', 'apis'), ' (group without enough steps)'),
  row(NON, 'GET', '/apis/extensions/v1beta1/', nonResource('/apis/extensions/v1beta1/', 'get', 'apis'), ' (group without enough steps 2)'),
  row(NON, 'GET', '/api/version', nonResource('/api/version', 'get'), ' (not enough steps)'),
  row(NON, 'GET', '/api', nonResource('/api', 'get'), ' (one step)'),
  row(NON, 'GET', '/', nonResource('/', 'get'), ' (zero step)'),
  row(NON, 'GET', '', nonResource('', 'get'), ' (empty)'),

  // ----- TestSelectorParsing (called TestFieldSelectorParsing before kube 1.31) -----
  // With kube's RequestInfo.FieldSelector/LabelSelector columns (AuthorizeWithSelectors).
  row(SEL, 'GET', '/apis/group/version/resource', resource('/apis/group/version/resource', 'list', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), ' (no selector)'),
  row(SEL, 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1', selectors(resource('/apis/group/version/resource?fieldSelector=metadata.name=name1', 'list', 'apis', 'group', 'version', '', 'resource', '', 'name1', ['resource']), 'metadata.name=name1'), ' (metadata.name selector)'),
  row(SEL, 'GET', '/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1', selectors(resource('/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1', 'watch', 'apis', 'group', 'version', '', 'resource', '', 'name1', ['resource']), 'metadata.name=name1'), ' (metadata.name selector with watch)'),
  row(SEL, 'GET', '/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux', selectors(resource('/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux', 'list', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), 'foo=bar', 'baz=qux'), ' (random selector)'),
  row(SEL, 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo', selectors(resource('/apis/group/version/resource?fieldSelector=metadata.name=name1,foo', 'list', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), 'metadata.name=name1,foo'), ' (invalid selector with metadata.name)'),
  row(SEL, 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true', selectors(resource('/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true', 'watch', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), 'metadata.name=name1,foo'), ' (invalid selector with metadata.name with watch)'),
  row(SEL, 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false', selectors(resource('/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false', 'list', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), 'metadata.name=name1,foo'), ' (invalid selector with metadata.name with watch false)'),
  row(SEL, 'DELETE', '/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux', selectors(resource('/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux', 'deletecollection', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), 'foo=bar', 'baz=qux'), ' (selector on deletecollection is honored)'),
  row(SEL, 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=foo&fieldSelector=metadata.name=bar&labelSelector=foo=bar&labelSelector=foo=baz', selectors(resource('/apis/group/version/resource?fieldSelector=metadata.name=foo&fieldSelector=metadata.name=bar&labelSelector=foo=bar&labelSelector=foo=baz', 'list', 'apis', 'group', 'version', '', 'resource', '', 'foo', ['resource']), 'metadata.name=foo', 'foo=bar'), ' (selector on repeated param matches parsed param)'),
  row(SEL, 'GET', '/apis/group/version/resource/name?fieldSelector=foo=bar&labelSelector=foo=bar', resource('/apis/group/version/resource/name?fieldSelector=foo=bar&labelSelector=foo=bar', 'get', 'apis', 'group', 'version', '', 'resource', '', 'name', ['resource', 'name']), ' (selector on other verb is ignored)'),
  row(SEL, 'GET', '/apis/group/version/watch/resource?fieldSelector=metadata.name=foo&labelSelector=foo=bar', resource('/apis/group/version/watch/resource?fieldSelector=metadata.name=foo&labelSelector=foo=bar', 'watch', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), ' (selector on deprecated root type watch is not parsed)'),
  row(SEL, 'GET', '/apis/group/version/watch/resource/name?fieldSelector=metadata.name=foo&labelSelector=foo=bar', resource('/apis/group/version/watch/resource/name?fieldSelector=metadata.name=foo&labelSelector=foo=bar', 'watch', 'apis', 'group', 'version', '', 'resource', '', 'name', ['resource', 'name']), ' (selector on deprecated root item watch is not parsed)'),
  // The pre-1.31 TestFieldSelectorParsing had this "random selector" row without a labelSelector.
  row('TestFieldSelectorParsing', 'GET', '/apis/group/version/resource?fieldSelector=foo=bar', selectors(resource('/apis/group/version/resource?fieldSelector=foo=bar', 'list', 'apis', 'group', 'version', '', 'resource', '', '', ['resource']), 'foo=bar'), ' (random selector)'),

  // ----- Extra: legacy path verbs -----
  row(EXTRA, 'GET', '/api/v1/watch/namespaces/other/pods/foo', resource('/api/v1/watch/namespaces/other/pods/foo', 'watch', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo'])),
  row(EXTRA, 'GET', '/apis/apps/v1/watch/deployments', resource('/apis/apps/v1/watch/deployments', 'watch', 'apis', 'apps', 'v1', '', 'deployments', '', '', ['deployments'])),
  row(EXTRA, 'GET', '/api/v1/watch/namespaces/other/pods/foo/status', resource('/api/v1/watch/namespaces/other/pods/foo/status', 'watch', 'api', '', 'v1', 'other', 'pods', 'status', 'foo', ['pods', 'foo', 'status']), ' (watch keeps subresources, proxy does not)'),
  row(EXTRA, 'GET', '/api/v1/watch/namespaces', resource('/api/v1/watch/namespaces', 'watch', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces'])),
  row(EXTRA, 'DELETE', '/api/v1/watch/pods', resource('/api/v1/watch/pods', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (the path verb wins over the method)'),
  row(EXTRA, 'GET', '/api/v1/proxy/nodes/n1/metrics', resource('/api/v1/proxy/nodes/n1/metrics', 'proxy', 'api', '', 'v1', '', 'nodes', '', 'n1', ['nodes', 'n1', 'metrics'])),
  throwsRow(EXTRA, 'GET', '/api/v1/watch', 'UNRESOLVABLE', 'unable to determine kind and namespace from url, /api/v1/watch'),
  throwsRow(EXTRA, 'GET', '/apis/apps/v1/proxy/?x=1', 'UNRESOLVABLE', 'unable to determine kind and namespace from url, /apis/apps/v1/proxy/?x=1'),

  // ----- Extra: HEAD and the verb mapping -----
  row(EXTRA, 'HEAD', '/api/v1/pods?watch=true', resource('/api/v1/pods?watch=true', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(EXTRA, 'HEAD', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dfoo', selectors(resource('/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dfoo', 'list', 'api', '', 'v1', 'ns', 'pods', '', 'foo', ['pods']), 'metadata.name=foo')),
  row(EXTRA, 'HEAD', '/healthz', nonResource('/healthz', 'head')),
  row(EXTRA, 'PUT', '/api/v1/namespaces/ns/pods', resource('/api/v1/namespaces/ns/pods', 'update', 'api', '', 'v1', 'ns', 'pods', '', '', ['pods']), ' (only get and delete change on a collection)'),
  row(EXTRA, 'PATCH', '/apis/apps/v1/namespaces/ns/deployments/d/scale', resource('/apis/apps/v1/namespaces/ns/deployments/d/scale', 'patch', 'apis', 'apps', 'v1', 'ns', 'deployments', 'scale', 'd', ['deployments', 'd', 'scale'])),
  row(EXTRA, 'POST', '/api/v1/namespaces/ns/pods/p/eviction', resource('/api/v1/namespaces/ns/pods/p/eviction', 'create', 'api', '', 'v1', 'ns', 'pods', 'eviction', 'p', ['pods', 'p', 'eviction'])),
  row(EXTRA, 'POST', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo', resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo', 'create', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (fieldSelector only names gets)'),
  row(EXTRA, 'DELETE', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dfoo', selectors(resource('/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dfoo', 'deletecollection', 'api', '', 'v1', 'ns', 'pods', '', '', ['pods']), 'metadata.name=foo'), ' (fieldSelector only names gets)'),
  row(EXTRA, 'OPTIONS', '/api/v1/pods', resource('/api/v1/pods', '', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (unmapped method: empty verb)'),
  row(EXTRA, 'get', '/api/v1/pods', resource('/api/v1/pods', '', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (methods are case-sensitive)'),
  row(EXTRA, 'DELETE', '/api/v1/namespaces/ns', resource('/api/v1/namespaces/ns', 'delete', 'api', '', 'v1', 'ns', 'namespaces', '', 'ns', ['namespaces', 'ns'])),
  row(EXTRA, 'GET', '/api/v1/namespaces/ns/finalize/extra', resource('/api/v1/namespaces/ns/finalize/extra', 'get', 'api', '', 'v1', 'ns', 'namespaces', 'finalize', 'ns', ['namespaces', 'ns', 'finalize', 'extra'])),
  row(EXTRA, 'GET', '/api/v1/namespaces/ns/configmaps/cm/status', resource('/api/v1/namespaces/ns/configmaps/cm/status', 'get', 'api', '', 'v1', 'ns', 'configmaps', 'status', 'cm', ['configmaps', 'cm', 'status'])),

  // ----- Extra: non-resource requests -----
  row(EXTRA, 'GET', '/healthz', nonResource('/healthz', 'get')),
  row(EXTRA, 'POST', '/apis', nonResource('/apis', 'post')),
  row(EXTRA, 'GET', '/apis/apps', nonResource('/apis/apps', 'get')),
  row(EXTRA, 'GET', '/apis/apps/v1', nonResource('/apis/apps/v1', 'get', 'apis')),
  row(EXTRA, 'GET', '/api/v1', nonResource('/api/v1', 'get')),
  row(EXTRA, 'GET', '/openapi/v3/apis/apps/v1', nonResource('/openapi/v3/apis/apps/v1', 'get')),
  row(EXTRA, 'OPTIONS', '*', nonResource('*', 'options')),

  // ----- Extra: trailing slashes and empty segments -----
  row(EXTRA, 'GET', '/api/v1/namespaces/other/pods/', resource('/api/v1/namespaces/other/pods/', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods'])),
  row(EXTRA, 'GET', '/api/v1/namespaces/other/pods/foo//', resource('/api/v1/namespaces/other/pods/foo//', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo'])),
  row(EXTRA, 'GET', '//api/v1/pods', resource('//api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (a leading "//" is a path, not an authority)'),
  row(EXTRA, 'GET', '/api/v1//pods', resource('/api/v1//pods', 'get', 'api', '', 'v1', '', '', '', 'pods', ['', 'pods']), ' (an inner empty segment is kept)'),
  row(EXTRA, 'GET', '/api/v1/namespaces//pods', resource('/api/v1/namespaces//pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),

  // ----- Extra: percent-encoding and ".." (Go's URL.Path is decoded; nothing is cleaned) -----
  row(EXTRA, 'GET', '/api/v1/namespaces/a%2Fb/pods', resource('/api/v1/namespaces/a%2Fb/pods', 'get', 'api', '', 'v1', 'a', 'b', '', 'pods', ['b', 'pods'], '/api/v1/namespaces/a/b/pods'), ' (%2F splits segments)'),
  row(EXTRA, 'GET', '/api/v1/namespaces/ns/pods/a%2fb', resource('/api/v1/namespaces/ns/pods/a%2fb', 'get', 'api', '', 'v1', 'ns', 'pods', 'b', 'a', ['pods', 'a', 'b'], '/api/v1/namespaces/ns/pods/a/b')),
  row(EXTRA, 'GET', '/api/v1/namespaces/../pods', resource('/api/v1/namespaces/../pods', 'list', 'api', '', 'v1', '..', 'pods', '', '', ['pods'])),
  row(EXTRA, 'DELETE', '/api/v1/namespaces/ns/pods/..', resource('/api/v1/namespaces/ns/pods/..', 'delete', 'api', '', 'v1', 'ns', 'pods', '', '..', ['pods', '..'])),
  row(EXTRA, 'GET', '/api/v1/namespaces/%2E%2E/pods', resource('/api/v1/namespaces/%2E%2E/pods', 'list', 'api', '', 'v1', '..', 'pods', '', '', ['pods'], '/api/v1/namespaces/../pods')),
  row(EXTRA, 'GET', '/api/v1/../../healthz', resource('/api/v1/../../healthz', 'get', 'api', '', 'v1', '', '..', 'healthz', '..', ['..', '..', 'healthz'])),
  row(EXTRA, 'GET', '/api/v1/namespaces/my%2Dns/pods', resource('/api/v1/namespaces/my%2Dns/pods', 'list', 'api', '', 'v1', 'my-ns', 'pods', '', '', ['pods'], '/api/v1/namespaces/my-ns/pods')),
  row(EXTRA, 'GET', '/api/v1/namespaces/a+b/pods', resource('/api/v1/namespaces/a+b/pods', 'list', 'api', '', 'v1', 'a+b', 'pods', '', '', ['pods']), ' ("+" is not a space in a path)'),
  row(EXTRA, 'GET', '/api/v1/namespaces/caf%C3%A9/pods', resource('/api/v1/namespaces/caf%C3%A9/pods', 'list', 'api', '', 'v1', 'café', 'pods', '', '', ['pods'], '/api/v1/namespaces/café/pods')),
  row(EXTRA, 'GET', '/api/v1/namespaces/%FF/pods', resource('/api/v1/namespaces/%FF/pods', 'list', 'api', '', 'v1', '\uFFFD', 'pods', '', '', ['pods'], '/api/v1/namespaces/\uFFFD/pods'), ' (invalid UTF-8 becomes U+FFFD)'),
  row(EXTRA, 'GET', '/api/v1/pods#frag', resource('/api/v1/pods#frag', 'list', 'api', '', 'v1', '', 'pods#frag', '', '', ['pods#frag']), ' (a request URI keeps "#")'),
  throwsRow(EXTRA, 'GET', '/api/v1/namespaces/%zz/pods', 'INVALID_REQUEST_URI'),
  throwsRow(EXTRA, 'GET', '/api/v1/pods%2', 'INVALID_REQUEST_URI'),
  throwsRow(EXTRA, 'GET', 'api/v1/pods', 'INVALID_REQUEST_URI'),
  throwsRow(EXTRA, 'GET', '/api/v1/pods\u0000', 'INVALID_REQUEST_URI'),

  // ----- Extra: absolute-form targets -----
  row(EXTRA, 'GET', 'http://example.com:6443/api/v1/pods?watch=1', resource('http://example.com:6443/api/v1/pods?watch=1', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'], '/api/v1/pods')),
  row(EXTRA, 'GET', 'https://example.com', nonResource('', 'get')),

  // ----- Extra: the query, read as Go's url.ParseQuery reads it -----
  row(EXTRA, 'GET', '/api/v1/pods?watch=', resource('/api/v1/pods?watch=', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (an empty value is true)'),
  row(EXTRA, 'GET', '/api/v1/pods?watch', resource('/api/v1/pods?watch', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(EXTRA, 'GET', '/api/v1/pods?watch=FALSE', resource('/api/v1/pods?watch=FALSE', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(EXTRA, 'GET', '/api/v1/pods?watch=no', resource('/api/v1/pods?watch=no', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(EXTRA, 'GET', '/api/v1/pods?watch=false&watch=true', resource('/api/v1/pods?watch=false&watch=true', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (first value wins)'),
  row(EXTRA, 'GET', '/api/v1/pods?watch=tru%65', resource('/api/v1/pods?watch=tru%65', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  row(EXTRA, 'GET', '/api/v1/pods?w%61tch=1', resource('/api/v1/pods?w%61tch=1', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (keys are decoded too)'),
  row(EXTRA, 'GET', '/api/v1/pods?watch=%zz&watch=1', resource('/api/v1/pods?watch=%zz&watch=1', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (a bad escape drops only its pair)'),
  row(EXTRA, 'GET', '/api/v1/pods?watch=1;x=y', resource('/api/v1/pods?watch=1;x=y', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (a pair with ";" is dropped)'),
  row(EXTRA, 'GET', '/api/v1/pods?watch=false#x', resource('/api/v1/pods?watch=false#x', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' ("#x" is part of the value)'),
  row(EXTRA, 'GET', '/api/v1/pods?watch=+', resource('/api/v1/pods?watch=+', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods'])),
  {
    name: `${EXTRA}: GET /api/v1/pods?watch=1 + 9999 "&" -> watch pods (10000 parameters)`,
    method: 'GET',
    url: `/api/v1/pods?watch=1${'&'.repeat(9999)}`,
    want: resource(`/api/v1/pods?watch=1${'&'.repeat(9999)}`, 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']),
  },
  {
    name: `${EXTRA}: GET /api/v1/pods?watch=1 + 10000 "&" -> list pods (10001 parameters: Go drops the whole query)`,
    method: 'GET',
    url: `/api/v1/pods?watch=1${'&'.repeat(10000)}`,
    want: resource(`/api/v1/pods?watch=1${'&'.repeat(10000)}`, 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']),
  },

  // ----- Extra: fieldSelector metadata.name -----
  row(EXTRA, 'GET', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3D%3Dfoo', selectors(resource('/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3D%3Dfoo', 'list', 'api', '', 'v1', 'ns', 'pods', '', 'foo', ['pods']), 'metadata.name==foo')),
  row(EXTRA, 'GET', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name!%3Dfoo', selectors(resource('/api/v1/namespaces/ns/pods?fieldSelector=metadata.name!%3Dfoo', 'list', 'api', '', 'v1', 'ns', 'pods', '', '', ['pods']), 'metadata.name!=foo')),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Db,metadata.name%3Da', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Db,metadata.name%3Da', 'list', 'api', '', 'v1', '', 'pods', '', 'a', ['pods']), 'metadata.name=b,metadata.name=a'), ' (terms are sorted first)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,metadata.name%3Dfoo', selectors(resource('/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,metadata.name%3Dfoo', 'list', 'api', '', 'v1', '', 'pods', '', 'foo', ['pods']), 'spec.nodeName=n1,metadata.name=foo')),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Da%5C%2Cb', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Da%5C%2Cb', 'list', 'api', '', 'v1', '', 'pods', '', 'a,b', ['pods']), 'metadata.name=a\\,b'), ' (escaped comma)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Da%5Cb', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Da%5Cb', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=a\\b'), ' (bad escape)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Da%252Fb', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Da%252Fb', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=a%2Fb'), ' (not a valid path segment name)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3D..', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3D..', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=..'), ' (not a valid path segment name)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name+%3Dfoo', selectors(resource('/api/v1/pods?fieldSelector=metadata.name+%3Dfoo', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name =foo'), ' (field names are not trimmed)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&limit=10&timeoutSeconds=-5&resourceVersion=0', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&limit=10&timeoutSeconds=-5&resourceVersion=0', 'list', 'api', '', 'v1', '', 'pods', '', 'foo', ['pods']), 'metadata.name=foo')),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&limit=ten&watch=1', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&limit=ten&watch=1', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=foo'), ' (a bad limit drops the name, not the watch)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&limit=', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&limit=', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=foo'), ' (an empty limit is not an integer)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&timeoutSeconds=9223372036854775808', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&timeoutSeconds=9223372036854775808', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=foo'), ' (int64 overflow)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=env+in+(prod,dev),!canary,tier%3E2', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=env+in+(prod,dev),!canary,tier%3E2', 'list', 'api', '', 'v1', '', 'pods', '', 'foo', ['pods']), 'metadata.name=foo', 'env in (prod,dev),!canary,tier>2'), ' (valid labelSelector)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=env+in', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=env+in', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=foo', 'env in'), ' (a bad labelSelector drops the name)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=-bad', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=-bad', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=foo', '-bad'), ' (an invalid label key drops the name)'),
  row(EXTRA, 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=a%3E-1', selectors(resource('/api/v1/pods?fieldSelector=metadata.name%3Dfoo&labelSelector=a%3E-1', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), 'metadata.name=foo', 'a>-1'), ' (a negative Gt value is not a label value)'),
  row(EXTRA, 'GET', '/api/v1/pods?watch=fal%C5%BFe', resource('/api/v1/pods?watch=fal%C5%BFe', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (EqualFold folds U+017F to "s")'),
  // ----- Extra: CONNECT (Go's readRequest reads a target without a leading slash as an authority) -----
  row(EXTRA, 'CONNECT', 'example.com:443', nonResource('', 'connect'), ' (authority: the path is empty)'),
  row(EXTRA, 'CONNECT', '10.0.0.1:443', nonResource('', 'connect'), ' (an IP authority is no scheme)'),
  row(EXTRA, 'CONNECT', '[::1]:443', nonResource('', 'connect'), ' (an IPv6 authority)'),
  row(EXTRA, 'CONNECT', '/api/v1/namespaces', resource('/api/v1/namespaces', '', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']), ' (a path: resource request, no verb for the method)'),
  row(EXTRA, 'CONNECT', '/healthz', nonResource('/healthz', 'connect')),
  row(EXTRA, 'GET', '/api/v1/pods?watch=fal%C5%BFe&limit=x', resource('/api/v1/pods?watch=fal%C5%BFe&limit=x', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']), ' (the fallback uses ToLower, which does not)'),
];

for (const r of rows) {
  test(r.name, () => {
    if (r.throws !== undefined) {
      assert.throws(
        () => resolveRequestInfo(r.method, r.url),
        (err: unknown) => {
          assert.ok(err instanceof RequestInfoError);
          assert.equal(err.code, r.throws!.code);
          if (r.throws!.message !== undefined) assert.equal(err.message, r.throws!.message);
          return true;
        },
      );
      return;
    }
    assert.deepEqual(resolveRequestInfo(r.method, r.url), r.want);
  });
}

test('Extra: an unresolvable legacy verb carries the info kube had so far', () => {
  try {
    resolveRequestInfo('GET', '/apis/apps/v1/watch');
    assert.fail('expected a RequestInfoError');
  } catch (err) {
    assert.ok(err instanceof RequestInfoError);
    assert.deepEqual(err.info, { ...nonResource('/apis/apps/v1/watch', 'get', 'apis'), isResourceRequest: true, apiGroup: 'apps', apiVersion: 'v1' });
  }
});
