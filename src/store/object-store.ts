// The in-memory object store: kube-apiserver's generic registry (staging/src/k8s.io/apiserver/pkg/registry/
// generic/registry/store.go, rest/create.go, rest/update.go) over an etcd-like keyspace with one global revision,
// and its watch cache (apiserver/pkg/storage/cacher/watch_cache.go, cache_watcher.go). Storage and watch only:
// NamespaceLifecycle is admission (src/api/admission/namespace-lifecycle.ts) and cascade deletion the namespace
// controller (src/api/groups/core/namespace-controller.ts), on this store's change events.
//
// Every object the store hands out is deeply frozen: clone it before changing it.
import { OBJECT_META_FIELD_ORDER } from '../apimachinery/object.js';
import { cloneJson, freezeJson, stableJson } from '../apimachinery/json-value.js';
import { metaTime } from '../apimachinery/meta-time.js';
import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  badRequest,
  conflict,
  generateNameConflict,
  internalError,
  invalidObject,
  notFound,
  OPTIMISTIC_LOCK_ERROR_MSG,
  resourceExpired,
  tooLargeResourceVersion,
  type GroupResource,
} from '../apimachinery/status.js';
import { checkFieldLabels, FieldSelectorError, matchesFields, parseFieldSelector, type FieldRequirement } from '../apimachinery/fields.js';
import { LabelSelectorError, matchesLabels, parseLabelSelector, type LabelRequirement } from '../apimachinery/labels.js';
import type { FieldError, KubeObject, ObjectMeta } from '../apimachinery/object.js';
import type { ResourceType, StoreChange, WatchEvent } from './types.js';
import { fieldInvalid, validateObjectMeta, validateObjectMetaUpdate } from '../apimachinery/validation.js';
import { appendAll } from '../util/append-all.js';
import { isRecord } from '../apimachinery/json-value.js';
import { groupVersionString } from '../apimachinery/group-version.js';

/** How the store is tuned; the defaults suit a test server. */
export interface ObjectStoreOptions {
  /** How many events the watch history keeps; a watch from an older resourceVersion is 410 Expired. Default 1000. */
  historySize?: number;
  /** How often a watch with bookmarks gets a BOOKMARK event, in milliseconds. Default 10000. */
  bookmarkIntervalMs?: number;
  /** How long a watch from a resourceVersion the store has not reached waits for it (kube: 3 s). */
  futureResourceVersionWaitMs?: number;
}

/** What to list: a namespace (all when unset) and kube's selector strings. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A list: the items in key order and the store's resourceVersion when listed. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

/** What to watch and from where. */
export interface WatchOptions extends ListOptions {
  /** Unset, "" or "0": the current objects as ADDED first. A revision: the events after it. */
  resourceVersion?: string;
  /** Send BOOKMARK events: one after the initial events, then every bookmarkIntervalMs. */
  allowBookmarks?: boolean;
  /** kube's watch-list: the current objects as ADDED, then a BOOKMARK annotated k8s.io/initial-events-end. */
  sendInitialEvents?: boolean;
}

/** A running watch. */
export interface WatchHandle {
  /** Stops the watch: no event after this, and its timers are gone. Idempotent. */
  stop(): void;
}

/** Receives watch events, synchronously, in resourceVersion order. */
export type WatchListener = (event: WatchEvent) => void;

/** Options of a write. */
export interface WriteOptions {
  /** dryRun=All: everything but the write; no resourceVersion and no event. */
  dryRun?: boolean;
}

/** Options of a delete: DeleteOptions.preconditions and dryRun. */
export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
}

interface TypeState {
  type: ResourceType;
  objects: Map<string, KubeObject>;
  watchers: Set<Watcher>;
}

interface HistoryEntry {
  rv: number;
  state: TypeState;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The object after the change; for DELETED the last state, carrying the deletion's resourceVersion. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  prev: KubeObject | undefined;
}

interface Watcher {
  state: TypeState;
  namespace: string | undefined;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  listener: WatchListener;
  stopped: boolean;
  /** Waiting for the store to reach this revision before replaying. */
  waitingFor: number | undefined;
  timers: NodeJS.Timeout[];
  allowBookmarks: boolean;
}

const DEFAULT_HISTORY = 1000;
const DEFAULT_BOOKMARK_INTERVAL = 10_000;
const DEFAULT_FUTURE_WAIT = 3_000;


/** names.SimpleNameGenerator: base cut to 58 characters, then 5 of utilrand's consonants and digits. */
const RAND_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
function generateName(base: string): string {
  const cut = base.length > 58 ? base.slice(0, 58) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += RAND_ALPHABET[Math.floor(Math.random() * RAND_ALPHABET.length)];
  return cut + suffix;
}

// Stored objects may hold free-form values as deep as a body may nest (10000): these walks never recurse.
const deepFreeze = freezeJson;

function sortedMap(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]));
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

/** Parses a resourceVersion as kube's APIObjectVersioner does ("" and "0" are 0), or undefined with Go's error text. */
function parseResourceVersion(rv: string): { value: number } | { error: string } {
  if (rv === '' || rv === '0') return { value: 0 };
  if (!/^[0-9]+$/.test(rv)) return { error: `strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax` };
  const n = BigInt(rv);
  if (n > 2n ** 64n - 1n) return { error: `strconv.ParseUint: parsing ${JSON.stringify(rv)}: value out of range` };
  return { value: Number(n) };
}

function groupResource(type: ResourceType): GroupResource {
  return { group: type.group, resource: type.resource };
}

/** A copy of obj with the string map at the path sorted by key (copying along the path: stored objects are frozen). */
function sortMapAtPath(obj: Record<string, unknown>, parts: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = parts;
  if (head === undefined) return obj;
  const v = obj[head];
  if (!isRecord(v)) return obj;
  return { ...obj, [head]: rest.length === 0 ? sortedMap(v) : sortMapAtPath(v, rest) };
}

/**
 * The object as kube's JSON encoder writes it: kind, apiVersion, metadata in ObjectMeta's order without empty
 * fields, the kind's fields in its order, Go maps with sorted keys, and the zero values of absent fields.
 */
export function encodedForm(type: ResourceType, obj: KubeObject): KubeObject {
  const meta: Record<string, unknown> = {};
  const source = obj.metadata as Record<string, unknown>;
  for (const key of [...OBJECT_META_FIELD_ORDER, ...Object.keys(source).filter((k) => !OBJECT_META_FIELD_ORDER.includes(k))]) {
    const v = source[key];
    if (isEmpty(v) || v === null) continue;
    meta[key] = key === 'labels' || key === 'annotations' ? sortedMap(v) : v;
  }
  const out: Record<string, unknown> = { kind: type.kind, apiVersion: groupVersionString(type), metadata: meta };
  const order = type.fieldOrder ?? [];
  for (const key of order) {
    if (key in obj) out[key] = obj[key];
    else if (type.emptyFields && key in type.emptyFields) out[key] = cloneJson(type.emptyFields[key]);
  }
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'kind' || key === 'apiVersion' || key === 'metadata' || order.includes(key)) continue;
    out[key] = value;
  }
  for (const [key, value] of Object.entries(type.emptyFields ?? {})) if (!(key in out)) out[key] = cloneJson(value);
  let sorted = out;
  for (const path of type.sortedMaps ?? []) sorted = sortMapAtPath(sorted, path.split('.'));
  return sorted as KubeObject;
}

/** A 400 for a selector that does not parse, or the 422/400 the store raises itself. */
function selectorError(err: unknown): never {
  if (err instanceof LabelSelectorError || err instanceof FieldSelectorError) throw badRequest(err.message);
  throw err;
}

function emit<T>(listener: (arg: T) => void, arg: T): void {
  try {
    listener(arg);
  } catch (err) {
    // A listener's bug must not leave the store half-written; report it and carry on.
    process.emitWarning(`object store listener threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

/** The in-memory store of every served kind, with one global resourceVersion counter and a watch history. */
export class ObjectStore {
  private readonly states = new Map<string, TypeState>();
  private readonly changeListeners = new Set<(c: StoreChange) => void>();
  private readonly history: HistoryEntry[] = [];
  /** Every event after this revision is in the history. */
  private historyFloor = 0;
  private revision = 0;
  private readonly historySize: number;
  private readonly bookmarkIntervalMs: number;
  private readonly futureWaitMs: number;
  /** Watches waiting for a future revision. */
  private readonly waiting = new Set<Watcher>();
  /** Changes not yet told to the change listeners: a listener that writes (a controller) is told of its own writes after the change it is handling, so every listener sees the changes in resourceVersion order. */
  private readonly untold: StoreChange[] = [];
  private telling = false;

  constructor(options: ObjectStoreOptions = {}) {
    this.historySize = options.historySize ?? DEFAULT_HISTORY;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL;
    this.futureWaitMs = options.futureResourceVersionWaitMs ?? DEFAULT_FUTURE_WAIT;
  }

  /** Adds a kind; each group and resource is registered once (a second registration is a programming error). */
  register(type: ResourceType): void {
    const key = `${type.group}/${type.resource}`;
    if (this.states.has(key)) throw new Error(`object store: kind ${type.resource}.${type.group} is registered twice`);
    this.states.set(key, { type, objects: new Map(), watchers: new Set() });
  }

  /** The registered kind for a group and resource. */
  typeFor(group: string, resource: string): ResourceType | undefined {
    return this.states.get(`${group}/${resource}`)?.type;
  }

  /** The store's current resourceVersion. */
  resourceVersion(): string {
    return String(this.revision);
  }

  /** Calls the listener synchronously after every write of every kind; returns the function that removes it. */
  onChange(listener: (c: StoreChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  /** The object, or undefined. */
  find(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const state = this.state(type);
    return state.objects.get(this.key(type, namespace, name));
  }

  /** The object, or kube's 404 `<resource> "<name>" not found`. */
  get(type: ResourceType, namespace: string, name: string): KubeObject {
    const obj = this.find(type, namespace, name);
    if (obj === undefined) throw notFound(groupResource(type), name);
    return obj;
  }

  /** The objects matching the options, in key order; a bad selector is kube's 400. */
  list(type: ResourceType, options: ListOptions = {}): ListResult {
    const state = this.state(type);
    const { labels, fields } = this.selectors(type, options);
    const items = [...state.objects.entries()]
      .filter(([, obj]) => this.matches(type, obj, options.namespace, labels, fields))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, obj]) => obj);
    return { items, resourceVersion: this.resourceVersion() };
  }

  /**
   * Creates an object as kube's generic registry does: system fields filled in, generateName applied,
   * validation (422), then AlreadyExists (409). Whether its namespace exists is admission's business
   * (NamespaceLifecycle), not storage's.
   */
  create(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const state = this.state(type);
    const obj = this.prepareInput(type, input);
    const meta = obj.metadata;
    if (!type.namespaced) delete meta.namespace;
    // rest.FillObjectMetaSystemFields, and what WipeObjectMetaSystemFields leaves to it.
    meta.creationTimestamp = metaTime();
    meta.uid = randomUUID();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    const generated = (meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '';
    if (generated) meta.name = generateName(meta.generateName!);
    const rv = typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '';
    delete meta.resourceVersion;
    type.prepareForCreate?.(obj);
    if (type.generation) meta.generation = 1;

    const name = typeof meta.name === 'string' ? meta.name : '';
    this.validate(type, obj, undefined, []);
    type.canonicalize?.(obj);
    // The etcd3 storage's check, which kube-apiserver reports as an internal error.
    if (rv !== '' && rv !== '0') throw internalError(new Error('resourceVersion should not be set on objects to be created'));
    const key = this.key(type, meta.namespace ?? '', name);
    if (state.objects.has(key)) throw generated ? generateNameConflict(groupResource(type), name) : alreadyExists(groupResource(type), name);

    const stored = encodedForm(type, obj);
    if (options.dryRun) return deepFreeze(stored);
    return this.write(state, 'ADDED', stored, undefined);
  }

  /**
   * Replaces an object as kube's Update does: 404 when missing, a resourceVersion precondition when the object
   * carries one (409 Conflict), system fields kept from the stored object, validation (422). An update that
   * changes nothing writes nothing: same resourceVersion, no event.
   */
  update(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const state = this.state(type);
    const obj = this.prepareInput(type, input);
    const meta = obj.metadata;
    if (!type.namespaced) delete meta.namespace;
    const name = typeof meta.name === 'string' ? meta.name : '';
    const old = state.objects.get(this.key(type, meta.namespace ?? '', name));
    if (old === undefined) throw notFound(groupResource(type), name);
    this.checkPrecondition(type, name, meta.resourceVersion, old);
    meta.resourceVersion = old.metadata.resourceVersion;

    // rest.BeforeUpdate: generation, uid, creation and deletion timestamps come from the stored object.
    if (old.metadata.generation === undefined) delete meta.generation;
    else meta.generation = old.metadata.generation;
    type.prepareForUpdate?.(obj, old);
    if (meta.uid === undefined || meta.uid === '') meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    else meta.deletionTimestamp = old.metadata.deletionTimestamp;
    if (type.generation && stableJson(obj.spec) !== stableJson(old.spec)) meta.generation = (old.metadata.generation ?? 0) + 1;

    this.validate(type, obj, old, validateObjectMetaUpdate(obj, old));
    type.canonicalize?.(obj);
    const stored = encodedForm(type, obj);
    if (stableJson(stored) === stableJson(old)) return old;
    if (options.dryRun) return deepFreeze(stored);
    return this.write(state, 'MODIFIED', stored, old);
  }

  /**
   * kube's storage GuaranteedUpdate: the stored object changed by `change` (given a mutable copy) and written
   * as it is, without the kind's strategy or validation; for what the system changes itself (a namespace
   * marked Terminating). Preconditions that do not hold are kube's 409; a change that changes nothing writes nothing.
   */
  guaranteedUpdate(type: ResourceType, namespace: string, name: string, change: (obj: KubeObject) => void, options: DeleteOptions = {}): KubeObject {
    const state = this.state(type);
    const old = state.objects.get(this.key(type, namespace, name));
    if (old === undefined) throw notFound(groupResource(type), name);
    this.checkDeletePreconditions(type, name, old, options.preconditions);
    const next = cloneJson(old) as KubeObject;
    change(next);
    const stored = encodedForm(type, next);
    if (stableJson(stored) === stableJson(old)) return old;
    if (options.dryRun) return deepFreeze(stored);
    return this.write(state, 'MODIFIED', stored, old);
  }

  /**
   * Deletes an object and returns its last state (with the deletion's resourceVersion). Preconditions that do
   * not hold are kube's 409.
   */
  delete(type: ResourceType, namespace: string, name: string, options: DeleteOptions = {}): KubeObject {
    const state = this.state(type);
    const key = this.key(type, namespace, name);
    const old = state.objects.get(key);
    if (old === undefined) throw notFound(groupResource(type), name);
    this.checkDeletePreconditions(type, name, old, options.preconditions);
    if (options.dryRun) return old;
    return this.remove(state, key, old);
  }

  /**
   * Watches a kind. Events go to the listener synchronously, the initial ones before watch() returns. A
   * resourceVersion older than the history gets one ERROR event (410 Expired, as kube's watch cache sends it)
   * and the watch ends; an invalid one is kube's 422; a bad selector kube's 400.
   */
  watch(type: ResourceType, options: WatchOptions, listener: WatchListener): WatchHandle {
    const state = this.state(type);
    const { labels, fields } = this.selectors(type, options);
    let from: number | undefined;
    const rvText = options.resourceVersion ?? '';
    const parsed = parseResourceVersion(rvText);
    if ('error' in parsed) {
      throw invalidObject(type.group, type.resource, '', [fieldInvalid('resourceVersion', rvText, parsed.error)]);
    }
    if (!options.sendInitialEvents && rvText !== '' && rvText !== '0') from = parsed.value;

    const watcher: Watcher = {
      state,
      namespace: options.namespace,
      labels,
      fields,
      listener,
      stopped: false,
      waitingFor: undefined,
      timers: [],
      allowBookmarks: options.allowBookmarks === true,
    };
    const handle: WatchHandle = { stop: () => this.stopWatcher(watcher) };

    if (from === undefined) {
      // The current state as ADDED events (kube's watch cache does this for "" and "0").
      const { items } = this.list(type, options);
      for (const obj of items) {
        if (watcher.stopped) return handle;
        emit(listener, { type: 'ADDED', object: obj } satisfies WatchEvent);
      }
      if (watcher.stopped) return handle;
      state.watchers.add(watcher);
      this.startBookmarks(watcher, options.sendInitialEvents === true);
      return handle;
    }
    if (from < this.historyFloor) {
      emit(listener, { type: 'ERROR', object: resourceExpired(`too old resource version: ${from} (${this.historyFloor})`).status as unknown as KubeObject });
      watcher.stopped = true;
      return handle;
    }
    if (from > this.revision) {
      // kube's cacher waits up to 3 s for the revision, then sends an ERROR event: 504 Too large resource version.
      watcher.waitingFor = from;
      this.waiting.add(watcher);
      const timer = setTimeout(() => {
        if (watcher.stopped || watcher.waitingFor === undefined) return;
        this.waiting.delete(watcher);
        emit(listener, { type: 'ERROR', object: tooLargeResourceVersion(from, this.revision).status as unknown as KubeObject });
        this.stopWatcher(watcher);
      }, this.futureWaitMs);
      timer.unref();
      watcher.timers.push(timer);
      return handle;
    }
    this.replay(watcher, from);
    return handle;
  }

  // ----- internals -----

  private state(type: ResourceType): TypeState {
    const state = this.states.get(`${type.group}/${type.resource}`);
    if (state === undefined) throw new Error(`object store: kind ${type.resource}.${type.group} is not registered`);
    return state;
  }

  private key(type: ResourceType, namespace: string, name: string): string {
    return type.namespaced ? `${namespace}/${name}` : name;
  }

  /** A mutable copy of the caller's object with the kind's apiVersion and kind, defaulted as the decoder would. */
  private prepareInput(type: ResourceType, input: KubeObject): KubeObject {
    const obj = cloneJson(input) as KubeObject;
    if (!isRecord(obj.metadata)) obj.metadata = {};
    obj.apiVersion = groupVersionString(type);
    obj.kind = type.kind;
    type.defaults?.(obj);
    return obj;
  }

  /** DeleteOptions.preconditions: kube's 409 naming the UID or resourceVersion that does not match. */
  private checkDeletePreconditions(type: ResourceType, name: string, old: KubeObject, pre: DeleteOptions['preconditions'] = {}): void {
    if (pre.uid !== undefined && pre.uid !== old.metadata.uid) {
      throw conflict(groupResource(type), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid ?? ''}`);
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(groupResource(type), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion ?? ''}`);
    }
  }

  private checkPrecondition(type: ResourceType, name: string, rv: unknown, old: KubeObject): void {
    if (typeof rv !== 'string' || rv === '') return;
    const parsed = parseResourceVersion(rv);
    if ('error' in parsed) {
      // storeerr.InterpretUpdateError: the versioner's error, reported against the resource.
      throw invalidObject(type.group, type.resource, name, [fieldInvalid('resourceVersion', rv, parsed.error)]);
    }
    if (String(parsed.value) !== old.metadata.resourceVersion) throw conflict(groupResource(type), name, OPTIMISTIC_LOCK_ERROR_MSG);
  }

  /** ValidateObjectMeta with the kind's name rule, then the kind's own validation: kube's 422 if anything fails. */
  private validate(type: ResourceType, obj: KubeObject, old: KubeObject | undefined, extra: FieldError[]): void {
    const errs = [...validateObjectMeta(obj.metadata as ObjectMeta, type.namespaced, type.nameValidation ?? 'DNS1123Subdomain'), ...extra];
    appendAll(errs, (type.validate?.(obj, old) ?? []));
    if (errs.length > 0) throw invalidObject(type.group, type.kind, typeof obj.metadata.name === 'string' ? obj.metadata.name : '', errs);
  }

  private selectors(type: ResourceType, options: ListOptions): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
    try {
      const labels = parseLabelSelector(options.labelSelector ?? '');
      const fields = parseFieldSelector(options.fieldSelector ?? '');
      checkFieldLabels(fields, type.fieldLabels);
      return { labels, fields };
    } catch (err) {
      return selectorError(err);
    }
  }

  private fieldsOf(type: ResourceType, obj: KubeObject): Record<string, string> {
    const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
    if (type.namespaced) fields['metadata.namespace'] = obj.metadata.namespace ?? '';
    for (const [field, read] of Object.entries(type.fieldSelectors ?? {})) fields[field] = read(obj);
    return fields;
  }

  private matches(type: ResourceType, obj: KubeObject, namespace: string | undefined, labels: LabelRequirement[], fields: FieldRequirement[]): boolean {
    if (type.namespaced && namespace !== undefined && namespace !== '' && obj.metadata.namespace !== namespace) return false;
    return matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, this.fieldsOf(type, obj));
  }

  private write(state: TypeState, kind: 'ADDED' | 'MODIFIED', next: KubeObject, prev: KubeObject | undefined): KubeObject {
    const stored = encodedForm(state.type, { ...next, metadata: { ...next.metadata, resourceVersion: String(++this.revision) } });
    deepFreeze(stored);
    state.objects.set(this.key(state.type, stored.metadata.namespace ?? '', stored.metadata.name ?? ''), stored);
    this.record(state, kind, stored, prev);
    return stored;
  }

  private remove(state: TypeState, key: string, last: KubeObject): KubeObject {
    const deleted = encodedForm(state.type, { ...last, metadata: { ...last.metadata, resourceVersion: String(++this.revision) } });
    deepFreeze(deleted);
    state.objects.delete(key);
    this.record(state, 'DELETED', deleted, last);
    return deleted;
  }

  private record(state: TypeState, type: HistoryEntry['type'], object: KubeObject, prev: KubeObject | undefined): void {
    const entry: HistoryEntry = { rv: this.revision, state, type, object, prev };
    this.history.push(entry);
    while (this.history.length > this.historySize) this.historyFloor = this.history.shift()!.rv;
    for (const watcher of [...state.watchers]) this.deliver(watcher, entry);
    this.tell({ type: state.type, event: { type, object } });
    for (const watcher of [...this.waiting]) {
      if (watcher.waitingFor !== undefined && this.revision >= watcher.waitingFor) {
        this.waiting.delete(watcher);
        const from = watcher.waitingFor;
        watcher.waitingFor = undefined;
        for (const t of watcher.timers.splice(0)) clearTimeout(t);
        this.replay(watcher, from);
      }
    }
  }

  /** Tells the change listeners, in order; a change made while they are being told waits its turn. */
  private tell(change: StoreChange): void {
    this.untold.push(change);
    if (this.telling) return;
    this.telling = true;
    try {
      for (let next = this.untold.shift(); next !== undefined; next = this.untold.shift()) {
        for (const listener of [...this.changeListeners]) emit(listener, next);
      }
    } finally {
      this.telling = false;
    }
  }

  /** The history after `from` for this watcher's kind, then live events. */
  private replay(watcher: Watcher, from: number): void {
    for (const entry of this.history) {
      if (watcher.stopped) return;
      if (entry.rv > from && entry.state === watcher.state) this.deliver(watcher, entry);
    }
    if (watcher.stopped) return;
    watcher.state.watchers.add(watcher);
    this.startBookmarks(watcher, false);
  }

  /** cacheWatcher.convertToWatchEvent: an object that starts or stops matching is ADDED or DELETED for this watcher. */
  private deliver(watcher: Watcher, entry: HistoryEntry): void {
    if (watcher.stopped) return;
    const type = watcher.state.type;
    const cur = entry.type !== 'DELETED' && this.matches(type, entry.object, watcher.namespace, watcher.labels, watcher.fields);
    const old = entry.prev !== undefined && this.matches(type, entry.prev, watcher.namespace, watcher.labels, watcher.fields);
    let event: WatchEvent | undefined;
    if (cur && !old) event = { type: 'ADDED', object: entry.object };
    else if (cur && old) event = { type: 'MODIFIED', object: entry.object };
    else if (!cur && old) {
      // The previous content with the event's resourceVersion.
      let object = entry.prev!;
      if (object.metadata.resourceVersion !== String(entry.rv)) {
        object = deepFreeze(encodedForm(type, { ...object, metadata: { ...object.metadata, resourceVersion: String(entry.rv) } }));
      }
      event = { type: 'DELETED', object: entry.type === 'DELETED' ? entry.object : object };
    }
    if (event !== undefined) emit(watcher.listener, event);
  }

  private bookmark(watcher: Watcher, initialEventsEnd: boolean): WatchEvent {
    const type = watcher.state.type;
    const metadata: ObjectMeta = { resourceVersion: this.resourceVersion(), creationTimestamp: null };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const object = { kind: type.kind, apiVersion: groupVersionString(type), metadata, ...cloneJson(type.emptyFields ?? {}) } as KubeObject;
    return { type: 'BOOKMARK', object: deepFreeze(object) };
  }

  private startBookmarks(watcher: Watcher, initialEventsEnd: boolean): void {
    if (initialEventsEnd) emit(watcher.listener, this.bookmark(watcher, true));
    if (!watcher.allowBookmarks) return;
    if (!initialEventsEnd) emit(watcher.listener, this.bookmark(watcher, false));
    if (watcher.stopped) return;
    const timer = setInterval(() => {
      if (!watcher.stopped) emit(watcher.listener, this.bookmark(watcher, false));
    }, this.bookmarkIntervalMs);
    timer.unref();
    watcher.timers.push(timer);
  }

  private stopWatcher(watcher: Watcher): void {
    watcher.stopped = true;
    watcher.state.watchers.delete(watcher);
    this.waiting.delete(watcher);
    for (const t of watcher.timers.splice(0)) clearTimeout(t);
  }

  /** For tests: how many watches are live and how many of them hold timers. */
  debugCounts(): { watchers: number; timers: number; waiting: number } {
    let watchers = 0;
    let timers = 0;
    for (const s of this.states.values()) {
      watchers += s.watchers.size;
      for (const w of s.watchers) timers += w.timers.length;
    }
    return { watchers, timers, waiting: this.waiting.size };
  }
}

