// Every stored kind served the way kube-apiserver serves it: get, list, watch, create, update, patch, delete and
// deletecollection over the object store. Sources: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/{get.go,
// create.go,update.go,patch.go,delete.go,watch.go,rest.go,response.go}, endpoints/installer.go (which paths
// exist: namespaced kinds list and watch across namespaces, nothing else) and registry/rest/{create.go,update.go}
// (EnsureObjectNamespaceMatchesRequestNamespace, checkName).
import { randomInt } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { applyFieldValidation, decodeBody, readLimitedBody } from '../codec/body.js';
import { decodeStrict, goBoolPtr, goPtr, goString, goStrings, goStruct } from '../../apimachinery/go-decode.js';
import { documentOf, JsonSyntaxError, readJson } from '../../apimachinery/json-reader.js';
import { encodeJson } from '../../apimachinery/json-value.js';
import type { ResourceHandler, ServedResource } from '../registry.js';
import { writeObject } from '../respond.js';
import { badRequest, forbidden, internalError, invalidObject, notFound, pathNotFound, routeMethodNotAllowed, StatusError, notStatusError } from '../../apimachinery/status.js';
import type { UserInfo } from '../../authn/types.js';
import type { Authorizer } from '../../authz/types.js';
import type { RequestInfo } from '../../request/request-info.js';
import { fieldInvalid, fieldNotSupported, goStringSlice } from '../../apimachinery/validation.js';
import { requestInfoOf, userOf, type KubeContext } from '../../request/state.js';
import { escapeFieldValue, FieldSelectorError, parseFieldSelector, requiresExactMatch } from '../../apimachinery/fields.js';
import { encodedForm, type DeleteOptions, type ObjectStore, type WatchHandle } from '../../store/object-store.js';
import type { FieldError, KubeObject } from '../../apimachinery/object.js';
import type { ResourceType, WatchEvent } from '../../store/types.js';
import { setLongTimeout } from './long-timeout.js';
import { applyPatch, patchTypeOf, type PatchResult } from './patch.js';
import { intParam, listParams, outputTarget, queryValue, writeParams, type ListParams, type OutputTarget, type WriteParams } from './query.js';
import { DEFAULT_PRINTER, includeObjectOf, toTable, type IncludeObject, type Printer } from './table.js';
import { unresponsiveWatcherMessage, unsentBytes, WATCH_BUFFER_LIMIT_BYTES } from './watch-buffer.js';
import { isRecord } from '../../apimachinery/json-value.js';
import { groupVersionString } from '../../apimachinery/group-version.js';
import { RawRequestBody } from '../../audit/event.js';

/** What an admission step is told of a write (kube's admission.Attributes), without the request's context. */
export interface AdmissionRequest {
  operation: 'create' | 'update' | 'delete';
  user: UserInfo;
  /** The kind written. */
  type: ResourceType;
  /** The object's namespace: "" for cluster-scoped kinds, namespaces included. */
  namespace: string;
  /** The name in the URL, or on create the object's ("" when it is to be generated). */
  name: string;
  /** The object as the request makes it, decoded and defaulted; for delete, the stored object. */
  object: KubeObject;
  /** The stored object, for update and delete. */
  oldObject: KubeObject | undefined;
  /** The request as RequestInfo resolved its URL (RBAC's escalate check asks about exactly this). */
  requestInfo: RequestInfo;
}

/** An admission step: runs after a request's body is decoded and checked, before the write; a thrown StatusError refuses the request. */
export type AdmitHook = (request: AdmissionRequest) => Promise<void> | void;

/** A kind's own storage Delete, where it is not the store's (namespaces are marked Terminating first). */
export type DeleteStorage = (store: ObjectStore, type: ResourceType, namespace: string, name: string, options: DeleteOptions) => KubeObject;

/** A stored kind as the REST layer serves it: what its API group's table declares, with the group's dependencies bound. */
export interface RestKind {
  type: ResourceType;
  /** The kind's Table columns; unset, kube's default convertor (Name, Created At). */
  printer?: Printer;
  /** The kind's own checks before a create, update or delete (kube's registry wrappers: RBAC's policybased storage). */
  admit?: AdmitHook;
  /** The kind's own Delete; unset, the store's. */
  delete?: DeleteStorage;
}

/** Options of a served kind. */
export interface RestOptions {
  /** The admission plugins every kind goes through, in order, before its own checks (NamespaceLifecycle). */
  admission?: readonly AdmitHook[];
  /** The server's authorizer: a PUT that creates is authorized for `create` too. Without one such a PUT is a 500, as in kube. */
  authorizer?: Authorizer;
  /** Open watches register their close here, so a stopping server ends them cleanly instead of cutting sockets. */
  openWatches?: Set<() => void>;
  /** Where a watch closed for not reading is reported. */
  log?: WatchLog;
}

/** Where the watch handler reports a watcher it closed. */
export interface WatchLog {
  warn(msg: string): void;
}

const isNamespacesKind = (type: ResourceType): boolean => type.group === '' && type.resource === 'namespaces';

type Route = 'item' | 'collection-read' | 'collection-write';

/**
 * The namespace and name of a request, or the 404/405 kube's routes give: cluster-scoped kinds have no
 * namespaced paths; namespaced kinds serve items and writes only inside a namespace.
 */
function scopeOf(ctx: KubeContext, type: ResourceType, route: Route): { namespace: string; name: string } {
  const info = requestInfoOf(ctx);
  // The name in the path (RequestInfo's name may come from a metadata.name field selector instead).
  const pathName = info.parts.length >= 2 ? info.parts[1]! : '';
  if (!type.namespaced) {
    // /api/v1/namespaces/{name} puts the name in RequestInfo's namespace too.
    if (isNamespacesKind(type) ? info.namespace !== '' && info.namespace !== pathName : info.namespace !== '') throw pathNotFound();
    return { namespace: '', name: pathName };
  }
  if (info.namespace === '') {
    if (route === 'item') throw pathNotFound();
    if (route === 'collection-write') throw routeMethodNotAllowed();
  }
  return { namespace: info.namespace, name: pathName };
}

/** A list item as kube encodes typed lists: without kind and apiVersion. */
function listItem(obj: KubeObject): Record<string, unknown> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = obj;
  return rest;
}

function partial(obj: KubeObject, version: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** transformResponseObject for one object: the object, a Table or PartialObjectMetadata. */
function respondObject(ctx: KubeContext, printer: Printer, status: number, obj: KubeObject): void {
  const target = outputTarget(ctx.get('Accept'), 'object');
  if (target.as === 'Table') {
    const include = includeObjectOf(queryValue(ctx, 'includeObject'));
    return writeObject(ctx, status, toTable(printer, [obj], { include, version: target.version, metadata: { resourceVersion: obj.metadata.resourceVersion } }));
  }
  if (target.as === 'PartialObjectMetadata') return writeObject(ctx, status, partial(obj, target.version));
  writeObject(ctx, status, obj);
}

/**
 * The patched object decoded into the kind's Go type, as handlers/patch.go's applyPatchToCurrentObject does: a
 * type error, or strict errors under Strict, are a 422 against the field "patch" (valued as PatchResult.rejectedValue);
 * under Warn the strict errors (the patch's own first) are Warning headers. Unknown fields are dropped.
 */
function decodePatched(ctx: KubeContext, type: ResourceType, patched: PatchResult, validation: WriteParams['fieldValidation']): Record<string, unknown> {
  const decoded = type.schema === undefined ? { value: patched.object, typeError: undefined, strict: [] } : decodeStrict(documentOf(patched.object), type.schema);
  const rejected = (message: string): StatusError => invalidObject('', '', '', [fieldInvalid('patch', patched.rejectedValue(), message)]);
  if (decoded.typeError !== undefined) throw rejected(decoded.typeError);
  applyFieldValidation(ctx, validation, [...patched.strict, ...decoded.strict], rejected);
  return decoded.value;
}

/**
 * handlers/update.go withAuthorization: a PUT that would create the object is authorized for `create` as well
 * as `update` (createAuthorizerAttributes), and refused with NewForbidden(groupResource, name, reason).
 */
async function authorizeCreateOnUpdate(ctx: KubeContext, authorizer: Authorizer | undefined, type: ResourceType, namespace: string, name: string): Promise<void> {
  if (authorizer === undefined) throw internalError(new Error('no authorizer provided, unable to authorize a create on update'));
  const result = await authorizer.authorize({
    user: userOf(ctx),
    verb: 'create',
    isResourceRequest: true,
    path: requestInfoOf(ctx).path,
    namespace,
    apiGroup: type.group,
    apiVersion: type.version,
    resource: type.resource,
    subresource: '',
    name,
  });
  if (result.decision !== 'allow') throw forbidden({ group: type.group, resource: type.resource }, name, result.reason);
}

/** rest.EnsureObjectNamespaceMatchesRequestNamespace (with ExpectedNamespaceForResource for namespaces). */
function ensureNamespace(type: ResourceType, obj: KubeObject, requestNamespace: string): void {
  const expected = type.namespaced ? requestNamespace : '';
  const actual = typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : '';
  if (actual === expected) return;
  if (actual === '') obj.metadata.namespace = expected;
  else if (expected === '') delete obj.metadata.namespace;
  else throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
}

/** checkName: the object's name must be the one in the URL. */
function checkName(obj: KubeObject, name: string): void {
  const objName = typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
  if (objName === '') throw badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  if (objName !== name) throw badRequest(`the name of the object (${objName}) does not match the name on the URL (${name})`);
}

function asObject(body: Record<string, unknown>): KubeObject {
  const obj = body as KubeObject;
  if (!isRecord(obj.metadata)) obj.metadata = {};
  return obj;
}

/** kube's list continue token: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}. */
function encodeContinue(rv: string, startKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: `${startKey}\u0000` })).toString('base64url');
}

function decodeContinue(token: string): { rv: string; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'string' || typeof parsed.rv !== 'number') throw new Error('bad token');
    return { rv: String(parsed.rv), start: parsed.start.replace(/\u0000$/, '') };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function itemKey(type: ResourceType, obj: KubeObject): string {
  return type.namespaced ? `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/** The page of a list that limit and continue select, with kube's list metadata. */
function paginate(type: ResourceType, items: KubeObject[], rv: string, params: ListParams): { items: KubeObject[]; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } } {
  let listRv = rv;
  let from = 0;
  if (params.continueToken !== '') {
    const token = decodeContinue(params.continueToken);
    listRv = token.rv;
    from = items.findIndex((o) => itemKey(type, o) > token.start);
    if (from < 0) from = items.length;
  }
  const limit = params.limit ?? 0;
  if (limit <= 0 || from + limit >= items.length) return { items: items.slice(from), metadata: { resourceVersion: listRv } };
  const page = items.slice(from, from + limit);
  const remaining = items.length - from - limit;
  const selectors = params.labelSelector === '' && params.fieldSelector === '';
  return {
    items: page,
    metadata: { resourceVersion: listRv, continue: encodeContinue(listRv, itemKey(type, page[page.length - 1]!)), ...(selectors ? { remainingItemCount: remaining } : {}) },
  };
}

/** kube's metav1.Status for a successful delete of a kind that does not return the object. */
function deleteStatus(type: ResourceType, obj: KubeObject): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name ?? '', ...(type.group ? { group: type.group } : {}), kind: type.resource, ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}) },
  };
}

/** metav1.DeleteOptions as handlers/delete.go decodes a DELETE's body into it. */
const DELETE_OPTIONS_SCHEMA = goStruct('DeleteOptions', 'v1', {
  kind: goString(),
  apiVersion: goString(),
  gracePeriodSeconds: { t: 'int', go: 'int64', ptr: true },
  preconditions: goPtr(goStruct('Preconditions', 'v1', { uid: { t: 'string', go: 'types.UID', ptr: true }, resourceVersion: { t: 'string', go: 'string', ptr: true } })),
  orphanDependents: goBoolPtr,
  propagationPolicy: { t: 'string', go: 'v1.DeletionPropagation', ptr: true },
  dryRun: goStrings(),
  ignoreStoreReadErrorWithClusterBreakingPotential: goBoolPtr,
});

/** apimachinery/pkg/apis/meta/v1/validation ValidateDeleteOptions: kube's 422 `DeleteOptions.meta.k8s.io "" is invalid`. */
function validateDeleteOptions(options: Record<string, unknown>): void {
  const errs: FieldError[] = [];
  const policy = options.propagationPolicy;
  const orphan = options.orphanDependents;
  if (typeof policy === 'string' && typeof orphan === 'boolean') errs.push(fieldInvalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
  if (typeof policy === 'string' && !['Foreground', 'Background', 'Orphan'].includes(policy)) errs.push(fieldNotSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan', 'nil']));
  const dryRun = Array.isArray(options.dryRun) ? (options.dryRun as string[]) : [];
  if (!dryRun.every((v) => v === 'All')) errs.push(fieldNotSupported('dryRun', goStringSlice(dryRun), ['All']));
  if (errs.length > 0) throw invalidObject('meta.k8s.io', 'DeleteOptions', '', errs);
}

/**
 * DeleteOptions from the body (JSON or YAML-free JSON only), as kubectl sends it: decoded into the Go type (a type
 * error is handlers/delete.go's scope.err of the decoder's error, a 500) and validated (422) before anything is deleted.
 */
async function deleteOptionsOf(ctx: KubeContext): Promise<{ preconditions?: { uid?: string; resourceVersion?: string }; dryRun: boolean }> {
  const body = await readLimitedBody(ctx);
  if (body.length === 0) return { dryRun: false };
  let parsed: unknown;
  try {
    parsed = readJson(body).value;
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw badRequest(`couldn't get version/kind; json parse error: ${err.message}`);
    throw err;
  }
  if (!isRecord(parsed)) return { dryRun: false };
  const decoded = decodeStrict(documentOf(parsed), DELETE_OPTIONS_SCHEMA);
  if (decoded.typeError !== undefined) throw notStatusError(decoded.typeError);
  const options = decoded.value;
  validateDeleteOptions(options);
  const pre = isRecord(options.preconditions) ? options.preconditions : undefined;
  const dryRun = Array.isArray(options.dryRun) && options.dryRun.length > 0;
  if (pre === undefined) return { dryRun };
  return {
    dryRun,
    preconditions: {
      ...(typeof pre.uid === 'string' ? { uid: pre.uid } : {}),
      ...(typeof pre.resourceVersion === 'string' ? { resourceVersion: pre.resourceVersion } : {}),
    },
  };
}

/** The watch event's object as the client asked for it: the object, a Table (headers on the first only) or metadata. */
function watchTransformer(printer: Printer, target: OutputTarget, include: IncludeObject): (event: WatchEvent) => unknown {
  let headers = true;
  return (event) => {
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return event.object;
    if (target.as === 'Table') {
      const table = toTable(printer, [event.object], { include, version: target.version, noHeaders: !headers, metadata: { resourceVersion: event.object.metadata.resourceVersion } });
      headers = false;
      return table;
    }
    if (target.as === 'PartialObjectMetadata') return partial(event.object, target.version);
    return event.object;
  };
}

/** kube's minRequestTimeout (1800 s) times a random factor in [1, 2): the watch timeout when none is asked for. */
function defaultWatchTimeoutSeconds(): number {
  return 1800 + randomInt(1800);
}

/**
 * The watch handler: JSON lines `{"type":...,"object":...}` over a chunked 200, until timeoutSeconds, an ERROR
 * event, or the client going away (which stops the store's watch and every timer).
 */
function serveWatch(ctx: KubeContext, store: ObjectStore, type: ResourceType, printer: Printer, namespace: string, name: string, params: ListParams, opts: RestOptions): void {
  const { openWatches } = opts;
  const target = outputTarget(ctx.get('Accept'), 'object');
  const include: IncludeObject = target.as === 'Table' ? includeObjectOf(queryValue(ctx, 'includeObject')) : 'Metadata';
  let fieldSelector = params.fieldSelector;
  if (name !== '') {
    // A watch on one object's path: any field selector must select that name.
    if (fieldSelector !== '') {
      let selected: string | undefined;
      try {
        selected = requiresExactMatch(parseFieldSelector(fieldSelector), 'metadata.name');
      } catch (err) {
        if (err instanceof FieldSelectorError) throw badRequest(err.message);
        throw err;
      }
      if (selected !== name) throw badRequest("fieldSelector metadata.name doesn't match requested name");
    } else {
      fieldSelector = `metadata.name=${escapeFieldValue(name)}`;
    }
  }

  const stream = new PassThrough();
  const transform = watchTransformer(printer, target, include);
  let closed = false;
  let handle: WatchHandle | undefined;
  let cancelTimeout: (() => void) | undefined;
  const close = (): void => {
    if (closed) return;
    closed = true;
    openWatches?.delete(close);
    handle?.stop();
    cancelTimeout?.();
    ctx.res.off('close', close);
    stream.end();
  };
  // The initial events (a list, as kube's cacher sends it before any change) are not counted against the
  // buffer limit: like a list response, they are bounded by the store, not by how long the client stalls.
  let live = false;
  let initialBytes = 0;
  const write = (event: WatchEvent): void => {
    if (closed) return;
    const line = `${encodeJson({ type: event.type, object: transform(event) })}\n`;
    stream.write(line);
    if (!live) initialBytes += Buffer.byteLength(line);
    if (event.type === 'ERROR') return close();
    const buffered = unsentBytes(stream, ctx.res) - initialBytes;
    if (live && buffered > WATCH_BUFFER_LIMIT_BYTES) {
      opts.log?.warn(unresponsiveWatcherMessage({ group: type.group, resource: type.resource, namespace, labelSelector: params.labelSelector, fieldSelector, buffered, limit: WATCH_BUFFER_LIMIT_BYTES }));
      // kube's cacher forgets the watcher and ends its response; here the buffered bytes are dropped with
      // the connection, since a client that does not read would never take them.
      close();
      stream.destroy();
      ctx.res.destroy();
    }
  };
  // Selector and resourceVersion errors throw here, before any header is written: kube's 400 and 422.
  handle = store.watch(
    type,
    {
      ...(namespace !== '' ? { namespace } : {}),
      labelSelector: params.labelSelector,
      fieldSelector,
      resourceVersion: params.resourceVersion,
      allowBookmarks: params.allowWatchBookmarks,
      sendInitialEvents: params.sendInitialEvents,
    },
    write,
  );
  live = true;
  if (closed) handle.stop();

  ctx.status = 200;
  ctx.set('Cache-Control', 'no-cache, private');
  ctx.set('Content-Type', 'application/json');
  ctx.set('Transfer-Encoding', 'chunked');
  ctx.body = stream;
  if (closed) return;
  // kube flushes the 200 at once (cache_watcher / watch.go serveWatch): clients such as client-node's
  // informer wait for the response headers before they count the watch as started.
  ctx.res.flushHeaders();
  ctx.res.on('close', close);
  openWatches?.add(close);
  const seconds = params.timeoutSeconds !== undefined && params.timeoutSeconds > 0 ? params.timeoutSeconds : defaultWatchTimeoutSeconds();
  cancelTimeout = setLongTimeout(close, seconds * 1000);
}

/** The verbs kube serves for every stored kind, in discovery's order; namespaces have no deletecollection. */
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

const storeDelete: DeleteStorage = (store, type, namespace, name, options) => store.delete(type, namespace, name, options);

/** Serves a stored kind, which the store must hold already: the handlers by verb, and discovery's description of it. */
export function restResource(store: ObjectStore, kind: RestKind, opts: RestOptions = {}): ServedResource {
  const { type } = kind;
  if (store.typeFor(type.group, type.resource) !== type) throw new Error(`object store: kind ${type.resource}.${type.group} is not registered`);
  const printer = kind.printer ?? DEFAULT_PRINTER;
  const deleteStorage = kind.delete ?? storeDelete;
  const gr = { group: type.group, resource: type.resource };
  const expected = { group: type.group, version: type.version, kind: type.kind };
  const request = (ctx: KubeContext, operation: AdmissionRequest['operation'], namespace: string, obj: KubeObject, old: KubeObject | undefined): AdmissionRequest => {
    const requestInfo = requestInfoOf(ctx);
    const name = requestInfo.name !== '' ? requestInfo.name : typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
    return { operation, user: userOf(ctx), type, namespace: type.namespaced ? namespace : '', name, object: obj, oldObject: old, requestInfo };
  };
  /** The admission plugins (NamespaceLifecycle), ahead of anything else the registry does. */
  const admitPlugins = async (ctx: KubeContext, operation: AdmissionRequest['operation'], namespace: string, obj: KubeObject, old: KubeObject | undefined): Promise<void> => {
    for (const plugin of opts.admission ?? []) await plugin(request(ctx, operation, namespace, obj, old));
  };
  // The kind's own checks see the object as kube's registry does: decoded and defaulted (roleRef.apiGroup, ...).
  // On update, RBAC's escalation checks run in the registry's UpdatedObject (rest.WrapUpdatedObjectInfo in the
  // policybased storages), on the object as the request made it: before the resourceVersion check (409) and
  // rest.BeforeUpdate (system fields from the stored object, validation 422). IsOnlyMutatingGCFields must see
  // the request's uid and creationTimestamp, not the stored ones, or a change to them would pass as GC-only.
  const admitKind = async (ctx: KubeContext, operation: AdmissionRequest['operation'], namespace: string, obj: KubeObject, old: KubeObject | undefined): Promise<void> => {
    if (operation !== 'delete') type.defaults?.(obj);
    await kind.admit?.(request(ctx, operation, namespace, obj, old));
  };
  const get: ResourceHandler = async (ctx) => {
    const { namespace, name } = scopeOf(ctx, type, 'item');
    respondObject(ctx, printer, 200, store.get(type, namespace, name));
  };

  const list: ResourceHandler = async (ctx) => {
    const { namespace } = scopeOf(ctx, type, 'collection-read');
    const params = listParams(ctx);
    if (params.watch) return serveWatch(ctx, store, type, printer, namespace, '', params, opts);
    const result = store.list(type, { ...(namespace !== '' ? { namespace } : {}), labelSelector: params.labelSelector, fieldSelector: params.fieldSelector });
    const page = paginate(type, result.items, result.resourceVersion, params);
    const target = outputTarget(ctx.get('Accept'), 'list');
    if (target.as === 'Table') {
      const include = includeObjectOf(queryValue(ctx, 'includeObject'));
      return writeObject(ctx, 200, toTable(printer, page.items, { include, version: target.version, metadata: page.metadata }));
    }
    if (target.as === 'PartialObjectMetadataList') {
      return writeObject(ctx, 200, { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${target.version}`, metadata: page.metadata, items: page.items.map((o) => partial(o, target.version)) });
    }
    writeObject(ctx, 200, { kind: type.listKind, apiVersion: groupVersionString(type), metadata: page.metadata, items: page.items.map(listItem) });
  };

  const watch: ResourceHandler = async (ctx) => {
    const info = requestInfoOf(ctx);
    const { namespace, name } = scopeOf(ctx, type, info.parts.length >= 2 ? 'item' : 'collection-read');
    serveWatch(ctx, store, type, printer, namespace, name, listParams(ctx), opts);
  };

  // A body may come without metadata (validation refuses it later); Go's ObjectMeta, never omitted, encodes as {}.
  const encodedShape = (obj: Record<string, unknown>): Record<string, unknown> => encodedForm(type, { ...obj, metadata: isRecord(obj.metadata) ? obj.metadata : {} } as KubeObject);

  const create: ResourceHandler = async (ctx) => {
    const { namespace } = scopeOf(ctx, type, 'collection-write');
    const params = writeParams(ctx, 'CreateOptions');
    const obj = asObject(await decodeBody(ctx, expected, { schema: type.schema, fieldValidation: params.fieldValidation, encodedShape }));
    ensureNamespace(type, obj, namespace);
    // Admission (NamespaceLifecycle) runs before the registry, and so before escalation checks and validation.
    await admitPlugins(ctx, 'create', namespace, obj, undefined);
    await admitKind(ctx, 'create', namespace, obj, undefined);
    respondObject(ctx, printer, 201, store.create(type, obj, { dryRun: params.dryRun }));
  };

  const update: ResourceHandler = async (ctx) => {
    const { namespace, name } = scopeOf(ctx, type, 'item');
    const params = writeParams(ctx, 'UpdateOptions');
    const obj = asObject(await decodeBody(ctx, expected, { schema: type.schema, fieldValidation: params.fieldValidation, encodedShape }));
    ensureNamespace(type, obj, namespace);
    checkName(obj, name);
    const old = store.find(type, namespace, name);
    if (old === undefined) {
      if (!type.allowCreateOnUpdate) throw notFound(gr, name);
      // AllowCreateOnUpdate: the create path, whatever resourceVersion the object carries, in the order of the
      // registry's Update: NamespaceLifecycle, BeforeCreate's validation (422), then the create authorization
      // and validating admission (createValidation).
      await admitPlugins(ctx, 'create', namespace, obj, undefined);
      delete obj.metadata.resourceVersion;
      store.create(type, obj, { dryRun: true });
      await authorizeCreateOnUpdate(ctx, opts.authorizer, type, namespace, name);
      await admitKind(ctx, 'create', namespace, obj, undefined);
      return respondObject(ctx, printer, 201, store.create(type, obj, { dryRun: params.dryRun }));
    }
    await admitPlugins(ctx, 'update', namespace, obj, old);
    await admitKind(ctx, 'update', namespace, obj, old);
    respondObject(ctx, printer, 200, store.update(type, obj, { dryRun: params.dryRun }));
  };

  const patch: ResourceHandler = async (ctx) => {
    const { namespace, name } = scopeOf(ctx, type, 'item');
    const patchType = patchTypeOf(ctx.get('Content-Type'), type.patchMeta !== undefined);
    const params = writeParams(ctx, 'PatchOptions');
    const body = await readLimitedBody(ctx);
    // audit.LogRequestPatch (endpoints/handlers/patch.go): the patch as sent, once read and its options checked.
    if (ctx.state.auditWantsRequestObject === true) ctx.state.auditRequestObject = new RawRequestBody(body);
    const old = store.get(type, namespace, name);
    const patched = applyPatch(patchType, old as unknown as Record<string, unknown>, body, params.fieldValidation, type.patchMeta);
    const obj = asObject(decodePatched(ctx, type, patched, params.fieldValidation));
    obj.apiVersion = groupVersionString(type);
    obj.kind = type.kind;
    checkName(obj, name);
    // rest.BeforeUpdate: a patch may not move the object to another namespace.
    ensureNamespace(type, obj, namespace);
    await admitPlugins(ctx, 'update', namespace, obj, old);
    await admitKind(ctx, 'update', namespace, obj, old);
    respondObject(ctx, printer, 200, store.update(type, obj, { dryRun: params.dryRun }));
  };

  const del: ResourceHandler = async (ctx) => {
    const { namespace, name } = scopeOf(ctx, type, 'item');
    const params = writeParams(ctx, 'DeleteOptions');
    intParam(ctx, 'gracePeriodSeconds');
    const options = await deleteOptionsOf(ctx);
    const old = store.get(type, namespace, name);
    await admitPlugins(ctx, 'delete', namespace, old, old);
    await admitKind(ctx, 'delete', namespace, old, old);
    const deleted = deleteStorage(store, type, namespace, name, { dryRun: params.dryRun || options.dryRun, ...(options.preconditions ? { preconditions: options.preconditions } : {}) });
    // Kinds with ReturnDeletedObject (pods, serviceaccounts, namespaces) answer with the object; the rest with a
    // Success Status naming it.
    if (type.returnDeletedObject) return respondObject(ctx, printer, 200, deleted);
    writeObject(ctx, 200, deleteStatus(type, deleted));
  };

  const deleteCollection: ResourceHandler = async (ctx) => {
    const { namespace } = scopeOf(ctx, type, 'collection-write');
    const params = writeParams(ctx, 'DeleteOptions');
    const query = listParams(ctx);
    const options = await deleteOptionsOf(ctx);
    const listed = store.list(type, { ...(namespace !== '' ? { namespace } : {}), labelSelector: query.labelSelector, fieldSelector: query.fieldSelector });
    const deleted: KubeObject[] = [];
    for (const obj of listed.items) {
      const objNamespace = obj.metadata.namespace ?? '';
      await admitPlugins(ctx, 'delete', objNamespace, obj, obj);
      await admitKind(ctx, 'delete', objNamespace, obj, obj);
      try {
        deleted.push(deleteStorage(store, type, objNamespace, obj.metadata.name ?? '', { dryRun: params.dryRun || options.dryRun }));
      } catch (err) {
        // Deleted meanwhile: kube's DeleteCollection ignores NotFound.
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
    writeObject(ctx, 200, { kind: type.listKind, apiVersion: groupVersionString(type), metadata: { resourceVersion: listed.resourceVersion }, items: deleted.map(listItem) });
  };

  const all: Record<(typeof VERBS)[number], ResourceHandler> = {
    create,
    delete: del,
    deletecollection: deleteCollection,
    get,
    list,
    patch,
    update,
    watch,
  };
  const handlers: Partial<Record<string, ResourceHandler>> = {};
  for (const verb of VERBS) {
    if (verb === 'deletecollection' && isNamespacesKind(type)) continue;
    handlers[verb] = all[verb];
  }
  return {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    ...(type.categories ? { categories: type.categories } : {}),
    handlers,
  };
}
