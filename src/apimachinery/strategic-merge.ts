// Strategic merge patch, the apply half, as kube-apiserver applies application/strategic-merge-patch+json:
// a port of k8s.io/apimachinery v0.33 pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch -> mergeMap,
// mergeSlice, mergePatchIntoOriginal, applyRetainKeysDirective, normalizeElementOrder, removeDirectives) with
// its errors (pkg/util/mergepatch/errors.go). The patch metadata kube reads from the Go struct tags
// (patchStrategy, patchMergeKey) comes in as a PatchStruct tree; a field it does not name has no tags, which is
// what kube finds for every untagged field: maps merge key by key, lists are replaced.
// Differences, all for input kube never stores: integers and integral floats are both int64 (JavaScript cannot
// tell 1.0 from 1); a field absent from the metadata is never "unable to find api field" (kube's decoder drops
// unknown fields before they can be stored, ours keeps them in pod and node spec and status); beyond
// MAX_MERGE_DEPTH levels the stored value counts as absent, as such a field could only be unknown to kube.
// Go's linear scans (index, findMapInSliceBasedOnKeyValue, deleteMatchingEntries, deduplicateScalars) are
// lookups by value here, with the same answers: a list of 20000 elements merges in milliseconds.
import { cloneJson } from './json-value.js';
import { goEqual, goHashKey, GoPanic, goSprint, goTypeOf, type GoType } from './go-value.js';
import { goSliceStable } from './go-sort.js';

/** The patch tags of one field of a Go struct, and the struct its value (or each element, or map value) holds. */
export interface PatchField {
  /** The patchStrategy tag: "merge", "replace", "retainKeys" or "merge,retainKeys". */
  readonly strategy?: string;
  /** The patchMergeKey tag: the field that identifies an element of a merged list of objects. */
  readonly mergeKey?: string;
  /** Go's Kind of a merged list's elements, named in "cannot merge lists without merge key for <kind>" (default "struct"). */
  readonly elemKind?: string;
  /** The tagged fields of the struct the value holds; absent when nothing below carries a tag. */
  readonly fields?: PatchStruct;
}

/** The fields of a Go struct that carry patch tags (or hold structs that do), by JSON name. */
export interface PatchStruct {
  readonly [jsonField: string]: PatchField;
}

/** How kube-apiserver answers a strategic merge error (handlers/patch.go interpretStrategicMergePatchError). */
export type StrategicMergeErrorKind = 'BadRequest' | 'Invalid' | 'Unknown';

/**
 * A strategic merge patch that kube refuses: BadRequest (400) and Invalid (422, the generic "rejected our request")
 * for the errors interpretStrategicMergePatchError names; Unknown for the rest, which kube returns as a plain
 * error and so as a 500 Status with no reason (responsewriters.ErrorToAPIStatus).
 */
export class StrategicMergeError extends Error {
  constructor(
    message: string,
    readonly kind: StrategicMergeErrorKind,
  ) {
    super(message);
  }
}

// mergepatch's sentinel errors and constructors.
const errNoListOfLists = (): StrategicMergeError => new StrategicMergeError('lists of lists are not supported', 'Invalid');
const errBadPatchFormatForPrimitiveList = (): StrategicMergeError => new StrategicMergeError('invalid patch format of primitive list', 'BadRequest');
const errBadPatchFormatForRetainKeys = (): StrategicMergeError => new StrategicMergeError('invalid patch format of retainKeys', 'BadRequest');
const errBadPatchFormatForSetElementOrderList = (): StrategicMergeError => new StrategicMergeError('invalid patch format of setElementOrder list', 'BadRequest');
const failure = (message: string): StrategicMergeError => new StrategicMergeError(message, 'Unknown');
const errNoMergeKey = (m: GoMap, k: string): StrategicMergeError => failure(`map: ${goSprint(m)} does not contain declared merge key: ${k}`);
const errBadPatchType = (t: unknown, m: GoMap): StrategicMergeError => failure(`unknown patch type: ${goSprint(t, 's')} in map: ${goSprint(m)}`);
/** ErrBadArgType(expected, actual): reflect.TypeOf's names, "%!s(<nil>)" for a nil interface. */
const errBadArgType = (expected: 'map[string]interface {}' | '[]interface {}', actual: unknown): StrategicMergeError => {
  const t = goTypeOf(actual);
  return failure(`expected a ${expected}, but received a ${t === 'nil' ? '%!s(<nil>)' : t}`);
};

const DIRECTIVE_MARKER = '$patch';
const DELETE_DIRECTIVE = 'delete';
const REPLACE_DIRECTIVE = 'replace';
const MERGE_DIRECTIVE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const RETAIN_KEYS_DIRECTIVE = `$${RETAIN_KEYS_STRATEGY}`;
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/** Deeper than any field of the kinds served: past it a stored value can only be a field kube does not know. */
export const MAX_MERGE_DEPTH = 100;

type GoMap = Record<string, unknown>;
type Kind = 'map' | 'other';

const uncomparable = (t: GoType): boolean => t === 'map[string]interface {}' || t === '[]interface {}';
const isMap = (v: unknown): v is GoMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (m: GoMap, k: string): boolean => Object.hasOwn(m, k);

function setOwn(m: GoMap, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(m, k, { value: v, writable: true, enumerable: true, configurable: true });
  else m[k] = v;
}

/** The metadata of one field: its subschema and tags (PatchMetaFromStruct.LookupPatchMetadataForStruct/ForSlice). */
interface Lookup {
  schema: PatchStruct | undefined;
  strategies: string[];
  mergeKey: string;
  elemKind: string;
}

function lookup(schema: PatchStruct | undefined, key: string): Lookup {
  const field = schema !== undefined && Object.hasOwn(schema, key) ? schema[key] : undefined;
  return { schema: field?.fields, strategies: (field?.strategy ?? '').split(','), mergeKey: field?.mergeKey ?? '', elemKind: field?.elemKind ?? 'struct' };
}

/** extractRetainKeysPatchStrategy: the strategy besides retainKeys. */
function patchStrategyOf(strategies: string[]): string {
  if (strategies.length === 1) return strategies[0] === RETAIN_KEYS_STRATEGY ? '' : strategies[0]!;
  if (strategies.length === 2) {
    if (strategies[0] === RETAIN_KEYS_STRATEGY) return strategies[1]!;
    if (strategies[1] === RETAIN_KEYS_STRATEGY) return strategies[0]!;
  }
  throw failure(`unexpected patch strategy: ${goSprint(strategies)}`);
}

/**
 * Applies a strategic merge patch to an object (StrategicMergePatch with the kind's patch metadata). Neither
 * argument is changed. Throws StrategicMergeError for a patch kube refuses, GoPanic where kube's code panics.
 */
export function strategicMergePatch(original: GoMap, patch: GoMap, schema: PatchStruct): GoMap {
  return strategicMergeMapPatch(cloneJson(original), cloneJson(patch), schema);
}

/**
 * StrategicMergeMapPatch: as strategicMergePatch, changing both arguments as kube's does ("the original and patch
 * JSONMap objects are mutated"): its patch handler then prints the patch so changed in a 422.
 */
export function strategicMergeMapPatch(original: GoMap, patch: GoMap, schema: PatchStruct): GoMap {
  return mergeMap(original, patch, schema, 0);
}

function handleDirectiveInMergeMap(directive: unknown, patch: GoMap): GoMap {
  if (directive === REPLACE_DIRECTIVE) {
    // "$patch: replace": the patch itself, as it is, replaces the map.
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === DELETE_DIRECTIVE) return {};
  throw errBadPatchType(directive, patch);
}

function containsDirectiveMarker(item: unknown): boolean {
  return isMap(item) && has(item, DIRECTIVE_MARKER);
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return goEqual(left, right);
  if (!isMap(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isMap(right)) throw errBadArgType('map[string]interface {}', right);
  if (!has(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

/** extractKey: the field a "$prefix/field" directive names. */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX ? errBadPatchFormatForPrimitiveList() : errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

/** The relative order of the patch list's items must be that of the $setElementOrder list. */
function validatePatchWithSetOrderList(patchList: unknown[], setOrderList: unknown[], mergeKey: string): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDeleteList = mergeKey !== '' ? extractToDeleteItems(patchList).nonDelete : patchList;
  let patchIndex = 0;
  let setOrderIndex = 0;
  while (patchIndex < nonDeleteList.length && setOrderIndex < setOrderList.length) {
    if (containsDirectiveMarker(nonDeleteList[patchIndex])) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(nonDeleteList[patchIndex], setOrderList[setOrderIndex], mergeKey)) patchIndex++;
    setOrderIndex++;
  }
  if (patchIndex < nonDeleteList.length && setOrderIndex >= setOrderList.length) {
    throw failure(`The order in patch list:\n${goSprint(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goSprint(setOrderList)}\n`);
  }
}

/** $retainKeys: clears the fields of the original it does not list; the patch may only set fields it lists. */
function applyRetainKeysDirective(original: GoMap, patch: GoMap): void {
  if (!has(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(retainKeys.map(goHashKey));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!keep.has(goHashKey(k))) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(goHashKey(k))) delete original[k];
}

/** The patch's "$setElementOrder/<list>" directives, each merged with its list and applied in its order. */
function mergePatchIntoOriginal(original: GoMap, patch: GoMap, schema: PatchStruct | undefined, depth: number): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX) || !has(patch, key)) continue;
    const setElementOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setElementOrder)) throw errBadArgType('[]interface {}', setElementOrder);
    const originalKey = extractKey(key, SET_ELEMENT_ORDER_PREFIX);
    const foundOriginal = has(original, originalKey);
    const foundPatch = has(patch, originalKey);
    let originalFieldValue: unknown[] = [];
    let patchFieldValue: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(original[originalKey])) throw errBadArgType('[]interface {}', original[originalKey]);
      originalFieldValue = original[originalKey] as unknown[];
    }
    if (foundPatch) {
      if (!Array.isArray(patch[originalKey])) throw errBadArgType('[]interface {}', patch[originalKey]);
      patchFieldValue = patch[originalKey] as unknown[];
    }
    const meta = lookup(schema, originalKey);
    const patchStrategy = patchStrategyOf(meta.strategies);
    validatePatchWithSetOrderList(patchFieldValue, setElementOrder, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalFieldValue;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchFieldValue).value as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalFieldValue, patchFieldValue, meta, patchStrategy, false, depth);
    else continue;

    const { patchItems, serverOnly } =
      meta.mergeKey === '' ? partitionPrimitivesByPresentInList(merged, setElementOrder) : partitionMapsByPresentInList(merged, setElementOrder, meta.mergeKey);
    const kind = sliceElementKind(originalFieldValue, patchFieldValue);
    setOwn(original, originalKey, normalizeElementOrder(patchItems, serverOnly, setElementOrder, originalFieldValue, meta.mergeKey, kind));
    delete patch[originalKey];
  }
}

function partitionPrimitivesByPresentInList(original: unknown[], partitionBy: unknown[]): { patchItems: unknown[]; serverOnly: unknown[] } {
  const inPatch = new Set(partitionBy.map(goHashKey));
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) (inPatch.has(goHashKey(v)) ? patchItems : serverOnly).push(v);
  return { patchItems, serverOnly };
}

function partitionMapsByPresentInList(original: unknown[], partitionBy: unknown[], mergeKey: string): { patchItems: unknown[]; serverOnly: unknown[] } {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  const byKey = new MapsByKey(partitionBy, mergeKey);
  for (const v of original) {
    if (!isMap(v)) throw errBadArgType('map[string]interface {}', v);
    if (!has(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (byKey.find(v[mergeKey]) !== undefined ? patchItems : serverOnly).push(v);
  }
  return { patchItems, serverOnly };
}

/**
 * removeDirectives: the value without the maps that carry "$patch" (dropped from their map or list), and
 * whether the value itself is kept. Changes maps in place, rebuilds lists; iterative.
 */
function removeDirectives(value: unknown): { value: unknown; keep: boolean } {
  const dropped = (v: unknown): boolean => isMap(v) && has(v, DIRECTIVE_MARKER);
  if (dropped(value)) return { value: null, keep: false };
  const filtered = (list: unknown[]): unknown[] => list.filter((e) => !dropped(e));
  const root = Array.isArray(value) ? filtered(value) : value;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child = node[i];
        if (Array.isArray(child)) node[i] = filtered(child);
        stack.push(node[i]);
      }
    } else if (isMap(node)) {
      for (const [k, child] of Object.entries(node)) {
        if (dropped(child)) delete node[k];
        else {
          if (Array.isArray(child)) setOwn(node, k, filtered(child));
          stack.push(node[k]);
        }
      }
    }
  }
  return { value: root, keep: true };
}

/** discardNullValuesFromPatch: drops null map entries at every level (null list elements stay); iterative. */
function discardNullValues(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) for (const v of node) stack.push(v);
    else if (isMap(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (v === null) delete node[k];
        else stack.push(v);
      }
    }
  }
}

/** The patch value where the original has none (or one of another type): nulls and "$patch" maps dropped. */
function takePatchValue(original: GoMap, k: string, patchV: unknown): void {
  discardNullValues(patchV);
  const { value, keep } = removeDirectives(patchV);
  if (keep) setOwn(original, k, value);
  else delete original[k];
}

function mergeMap(original: GoMap, patch: GoMap, schema: PatchStruct | undefined, depth: number): GoMap {
  if (has(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, schema, depth);

  for (const [patchKey, patchV] of Object.entries(patch)) {
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      // preprocessDeletionListForMerging: the list the parallel deletion list names (an empty name keeps the key).
      const noPrefixKey = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
      if (noPrefixKey !== '') k = noPrefixKey;
    }
    if (patchV === null) {
      delete original[k];
      continue;
    }
    if (!has(original, k) || goTypeOf(original[k]) !== goTypeOf(patchV) || depth >= MAX_MERGE_DEPTH) {
      if (!isDeleteList) takePatchValue(original, k, patchV);
      continue;
    }
    if (isMap(patchV)) {
      const meta = lookup(schema, k);
      const strategy = patchStrategyOf(meta.strategies);
      setOwn(original, k, strategy !== REPLACE_DIRECTIVE ? mergeMap(original[k] as GoMap, patchV, meta.schema, depth + 1) : patchV);
    } else if (Array.isArray(patchV)) {
      const meta = lookup(schema, k);
      const strategy = patchStrategyOf(meta.strategies);
      setOwn(original, k, mergeSliceHandler(original[k] as unknown[], patchV, meta, strategy, isDeleteList, depth + 1));
    } else {
      setOwn(original, k, patchV);
    }
  }
  return original;
}

function mergeSliceHandler(original: unknown[], patch: unknown[], meta: Lookup, strategy: string, isDeleteList: boolean, depth: number): unknown[] {
  // A parallel deletion list applies whatever the field's strategy; otherwise only "merge" merges.
  if (strategy === MERGE_DIRECTIVE || isDeleteList) return mergeSlice(original, patch, meta, isDeleteList, depth);
  return patch;
}

/**
 * A Go slice over a shared array: kube's mergeSlice deletes and appends in place (append(original[:i],
 * original[i+1:]...), append(original, v)), and $setElementOrder then orders by the caller's view of that same
 * array, so the writes show through it. The array's length is the capacity: a stored list's, as the unstructured
 * converter makes them, is its length.
 */
interface GoSlice {
  array: unknown[];
  len: number;
  /** The capacity: the shared array's length, or unbounded once an append has moved to an array of its own. */
  cap: number;
}

const sliceOf = (array: unknown[]): GoSlice => ({ array, len: array.length, cap: array.length });
const elements = (s: GoSlice): unknown[] => (s.len === s.array.length ? s.array : s.array.slice(0, s.len));

/** Go's append of one element: in place while capacity lasts, else onto a copy nobody else sees. */
function goAppend(s: GoSlice, v: unknown): GoSlice {
  if (s.len < s.cap) {
    s.array[s.len] = v;
    return { array: s.array, len: s.len + 1, cap: s.cap };
  }
  return { array: [...elements(s), v], len: s.len + 1, cap: Infinity };
}

function mergeSlice(originalArray: unknown[], patchIn: unknown[], meta: Lookup, isDeleteList: boolean, depth: number): unknown[] {
  let original = sliceOf(originalArray);
  let patch = patchIn;
  if (original.len === 0 && patch.length === 0) return originalArray;
  const kind = sliceElementKind(originalArray, patch);
  const { mergeKey } = meta;
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(originalArray, patch);
    // append(original, patch...) is the original's own array when the patch is empty.
    merged = patch.length === 0 ? deduplicateScalars(originalArray, true) : deduplicateScalars([...originalArray, ...patch], false);
  } else {
    if (mergeKey === '') throw failure(`cannot merge lists without merge key for ${meta.elemKind}`);
    ({ original, patch } = mergeSliceWithSpecialElements(original, patch, mergeKey));
    merged = elements(mergeSliceWithoutSpecialElements(original, patch, mergeKey, meta.schema, depth));
  }
  const { patchItems, serverOnly } = mergeKey === '' ? partitionPrimitivesByPresentInList(merged, patch) : partitionMapsByPresentInList(merged, patch, mergeKey);
  // The live order is the original's, as Go's slice sees it: deletions and in-place merges show, appends do not.
  return normalizeElementOrder(patchItems, serverOnly, patch, elements(original), mergeKey, kind);
}

/** The list's elements with "$patch: delete" applied to the original and "$patch: replace" replacing it. */
function mergeSliceWithSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string): { original: GoSlice; patch: unknown[] } {
  const deletions = new Deletions(original, mergeKey);
  const withoutSpecial: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const typedV = v as GoMap;
    if (!has(typedV, DIRECTIVE_MARKER)) {
      withoutSpecial.push(v);
      continue;
    }
    const patchType = typedV[DIRECTIVE_MARKER];
    if (patchType === DELETE_DIRECTIVE) {
      if (!has(typedV, mergeKey)) throw errNoMergeKey(typedV, mergeKey);
      deletions.deleteMatchingEntries(typedV[mergeKey]);
    } else if (patchType === REPLACE_DIRECTIVE) {
      replace = true;
    } else if (patchType === MERGE_DIRECTIVE) {
      throw failure('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(patchType, typedV);
    }
  }
  return replace ? { original: sliceOf(withoutSpecial), patch: [] } : { original: deletions.result(), patch: withoutSpecial };
}

/**
 * kube's deleteMatchingEntries, for every "$patch: delete" of one list, in one pass: Go deletes each match with
 * append(original[:i], original[i+1:]...), which shifts the rest down in the shared array and leaves, past the
 * new length, the element that was last at each deletion; the caller's view of the array sees those too. Every
 * element is a map here (sliceElementType said so), so the only failure is Go's panic on comparing two maps.
 */
class Deletions {
  private readonly alive: boolean[];
  private readonly byValue = new Map<string, number[]>();
  private readonly uncomparableTypes = new Set<GoType>();
  private readonly leftBehind = new Map<number, unknown>();
  private len: number;
  private last: number;

  constructor(
    private readonly original: GoSlice,
    mergeKey: string,
  ) {
    this.len = original.len;
    this.last = original.len - 1;
    this.alive = new Array<boolean>(original.len).fill(true);
    for (let i = 0; i < original.len; i++) {
      const v = original.array[i] as GoMap;
      if (!has(v, mergeKey)) continue;
      const t = goTypeOf(v[mergeKey]);
      if (uncomparable(t)) this.uncomparableTypes.add(t);
      else {
        const k = goHashKey(v[mergeKey]);
        const at = this.byValue.get(k);
        if (at === undefined) this.byValue.set(k, [i]);
        else at.push(i);
      }
    }
  }

  deleteMatchingEntries(value: unknown): void {
    const t = goTypeOf(value);
    if (uncomparable(t)) {
      if (this.uncomparableTypes.has(t)) throw new GoPanic(`runtime error: comparing uncomparable type ${t}`);
      return;
    }
    const k = goHashKey(value);
    for (const q of this.byValue.get(k) ?? []) {
      this.leftBehind.set(this.len - 1, this.original.array[this.last]);
      this.alive[q] = false;
      this.len--;
      if (q === this.last) while (this.last >= 0 && !this.alive[this.last]) this.last--;
    }
    this.byValue.delete(k);
  }

  /** The slice after the deletions, its array changed in place as Go leaves it. */
  result(): GoSlice {
    if (this.len === this.original.len) return this.original;
    const { array } = this.original;
    const kept = array.slice(0, this.original.len).filter((_, i) => this.alive[i]);
    kept.forEach((v, i) => (array[i] = v));
    for (const [p, v] of this.leftBehind) array[p] = v;
    return { array, len: this.len, cap: this.original.cap };
  }
}

function mergeSliceWithoutSpecialElements(originalIn: GoSlice, patch: unknown[], mergeKey: string, schema: PatchStruct | undefined, depth: number): GoSlice {
  let original = originalIn;
  let byKey = new MapsByKey(elements(original), mergeKey);
  for (const v of patch) {
    const typedV = v as GoMap;
    if (!has(typedV, mergeKey)) throw errNoMergeKey(typedV, mergeKey);
    const found = byKey.find(typedV[mergeKey]);
    if (found !== undefined) {
      const merged = mergeMap(found.map, typedV, schema, depth + 1);
      original.array[found.index] = merged;
      // A merge keeps the element's key unless it deletes it (a null key): then look afresh.
      if (!has(merged, mergeKey) || !goEqual(merged[mergeKey], typedV[mergeKey])) byKey = new MapsByKey(elements(original), mergeKey);
    } else {
      const array = original.array;
      original = goAppend(original, v);
      if (original.array === array) byKey.appended(v, original.len - 1);
      else byKey = new MapsByKey(original.array, mergeKey);
    }
  }
  return original;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const doomed = new Set(toDelete.map(goHashKey));
  return current.filter((v) => !doomed.has(goHashKey(v)));
}

/**
 * Go's findMapInSliceBasedOnKeyValue over one list, in constant time per lookup: the first map whose key equals
 * the value, unless an element before it is not a map ("value for key i is not a map") or holds a value Go cannot
 * compare with it (a panic). Appends keep it current.
 */
class MapsByKey {
  private firstNonMap = Infinity;
  private readonly byValue = new Map<string, number>();
  private readonly byUncomparableType = new Map<GoType, number>();

  constructor(
    private readonly list: unknown[],
    private readonly key: string,
  ) {
    list.forEach((v, i) => this.appended(v, i));
  }

  /** Records the element at position i, the list's last. */
  appended(v: unknown, i: number): void {
    if (!isMap(v)) {
      if (i < this.firstNonMap) this.firstNonMap = i;
      return;
    }
    if (!has(v, this.key)) return;
    const value = v[this.key];
    const t = goTypeOf(value);
    if (uncomparable(t)) {
      if (!this.byUncomparableType.has(t)) this.byUncomparableType.set(t, i);
    } else if (!this.byValue.has(goHashKey(value))) {
      this.byValue.set(goHashKey(value), i);
    }
  }

  find(value: unknown): { map: GoMap; index: number } | undefined {
    const t = goTypeOf(value);
    const at = (uncomparable(t) ? this.byUncomparableType.get(t) : this.byValue.get(goHashKey(value))) ?? Infinity;
    if (this.firstNonMap < at) throw failure(`value for key ${this.firstNonMap} is not a map`);
    if (at === Infinity) return undefined;
    if (uncomparable(t)) throw new GoPanic(`runtime error: comparing uncomparable type ${t}`);
    return { map: this.list[at] as GoMap, index: at };
  }
}

/** sliceElementType's Kind: all elements of the lists must have one Go type, and not be lists. */
function sliceElementKind(...slices: unknown[][]): Kind {
  let prev: ReturnType<typeof goTypeOf> | undefined;
  for (const s of slices) {
    for (const v of s) {
      const current = goTypeOf(v);
      if (prev === undefined) {
        // reflect.TypeOf(nil).Kind() is a nil pointer dereference in kube.
        if (current === 'nil') throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
        if (current === '[]interface {}') throw errNoListOfLists();
        prev = current;
      } else if (prev !== current) {
        throw failure(`list element types are not identical: ${goSprint(slices)}`);
      }
    }
  }
  if (prev === undefined) throw failure('no elements in any of the given slices');
  return prev === 'map[string]interface {}' ? 'map' : 'other';
}

/**
 * deduplicateScalars: Go's swap-with-last deduplication in the array itself. Its order shows only where it
 * rearranges the original's own array (inPlace: the patch list is empty); elsewhere the result is sorted by first
 * positions after, so the first occurrences in order do, without Go's quadratic scan.
 */
function deduplicateScalars(s: unknown[], inPlace: boolean): unknown[] {
  if (!inPlace || new Set(s.map(goHashKey)).size === s.length) {
    const seen = new Set<string>();
    return s.filter((v) => !seen.has(goHashKey(v)) && seen.add(goHashKey(v)) !== undefined);
  }
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEqual(s[i], s[j])) {
        s[j] = s[length];
        length--;
        j--;
      }
    }
  }
  return s.slice(0, length + 1);
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) throw errBadArgType('map[string]interface {}', item);
      if (!has(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function extractToDeleteItems(l: unknown[]): { nonDelete: unknown[]; toDelete: unknown[] } {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of l) {
    if (!isMap(v)) throw errBadArgType('map[string]interface {}', v);
    (has(v, DIRECTIVE_MARKER) && v[DIRECTIVE_MARKER] === DELETE_DIRECTIVE ? toDelete : nonDelete).push(v);
  }
  return { nonDelete, toDelete };
}

/**
 * Go's index(l, item, mergeKey, kind) over one list, in constant time per lookup: the first position whose value
 * (the merge key's for maps, nil where absent) equals the item's, or -1; comparing two maps or two lists panics.
 */
class Positions {
  private readonly byValue = new Map<string, number>();
  private readonly uncomparableTypes = new Set<GoType>();

  constructor(
    l: unknown[],
    private readonly mergeKey: string,
    private readonly kind: Kind,
  ) {
    l.forEach((item, i) => {
      const value = this.valueOf(item);
      const t = goTypeOf(value);
      if (uncomparable(t)) this.uncomparableTypes.add(t);
      else if (!this.byValue.has(goHashKey(value))) this.byValue.set(goHashKey(value), i);
    });
  }

  private valueOf(item: unknown): unknown {
    if (this.kind !== 'map') return item;
    return isMap(item) && has(item, this.mergeKey) ? item[this.mergeKey] : null;
  }

  of(item: unknown): number {
    const value = this.valueOf(item);
    const t = goTypeOf(value);
    if (uncomparable(t)) {
      if (this.uncomparableTypes.has(t)) throw new GoPanic(`runtime error: comparing uncomparable type ${t}`);
      return -1;
    }
    return this.byValue.get(goHashKey(value)) ?? -1;
  }
}

function normalizeSliceOrder(toSortIn: unknown[], order: unknown[], mergeKey: string, kind: Kind): unknown[] {
  let toSort = toSortIn;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    ({ nonDelete: toSort, toDelete } = extractToDeleteItems(toSort));
  } else {
    toSort = [...toSort];
  }
  const positions = new Positions(order, mergeKey, kind);
  goSliceStable(toSort, (a, b) => {
    const ia = positions.of(a);
    if (ia >= 0) {
      const ib = positions.of(b);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...toSort, ...toDelete];
}

/** Sorts the patch's items by the patch order and the server-only items by the live order, then interleaves them. */
function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServerOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServerOnly, sortedPatch, serverOrder, mergeKey, kind);
}

function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const positions = new Positions(serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  const size = left.length + right.length;
  for (let k = 0; k < size; k++) {
    if (i >= left.length && j < right.length) out.push(right[j++]);
    else if (j >= right.length && i < left.length) out.push(left[i++]);
    else {
      const li = positions.of(left[i]);
      const ri = positions.of(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
