// PATCH bodies as kube-apiserver's patch handler applies them.
// Sources: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (PatchResource's supported patch types,
// jsonPatcher.applyJSPatch, strategicPatchObject, applyPatchToObject, interpretStrategicMergePatchError,
// maxJSONPatchOperations), gopkg.in/evanphx/json-patch.v4 (Apply, MergePatch) for RFC 6902 and RFC 7386,
// src/apimachinery/strategic-merge.ts for strategic merge, and handlers/rest.go (fieldValidation: Warn when
// unset, which decodes strictly first).
import { decodeValue, goString, goStruct, type Schema } from '../../apimachinery/go-decode.js';
import { goJsonTypeName } from '../../apimachinery/go-json.js';
import { JsonSyntaxError, readJson, type JsonDocument } from '../../apimachinery/json-reader.js';
import { cloneJson, equalJson, stableJson } from '../../apimachinery/json-value.js';
import { badRequest, notStatusError, StatusError, unprocessableEntity, unsupportedMediaTypes } from '../../apimachinery/status.js';
import { strategicMergeMapPatch, StrategicMergeError, type PatchStruct } from '../../apimachinery/strategic-merge.js';
import { GoPanic, goSprint } from '../../apimachinery/go-value.js';

/** The patch types kube serves for built-in kinds, in the order its 415 lists them. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const MEDIA_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/**
 * The media types this server accepts for PATCH. Server-side apply (application/apply-patch+yaml) is not
 * supported: it needs managed fields and the structured-merge schemas, so it gets the 415 too.
 */
export const ACCEPTED_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'] as const;

/**
 * The patch type of a Content-Type (parameters such as charset ignored), or kube's 415 listing the types the
 * resource accepts: without strategic merge metadata (as for custom resources), strategic merge is not one of them.
 */
export function patchTypeOf(contentType: string | undefined, strategic = true): Exclude<PatchType, 'apply'> {
  const raw = contentType ?? '';
  const semi = raw.indexOf(';');
  const mediaType = (semi > 0 ? raw.slice(0, semi) : raw).trim();
  const type = MEDIA_TYPES[mediaType];
  const accepted = strategic ? ACCEPTED_PATCH_TYPES : ACCEPTED_PATCH_TYPES.filter((t) => MEDIA_TYPES[t] !== 'strategic');
  if (type === undefined || type === 'apply' || (type === 'strategic' && !strategic)) throw unsupportedMediaTypes(accepted);
  return type;
}

/** kube's limit on the number of operations of a JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(body: Buffer): { doc: JsonDocument } | { error: string } {
  try {
    return { doc: readJson(body) };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { error: err.message };
    throw err;
  }
}

// handlers.jsonPatchOp, which kube decodes a JSON patch into to find its strict errors.
const JSON_PATCH_OPS: Schema = {
  t: 'slice',
  go: '[]handlers.jsonPatchOp',
  of: goStruct('jsonPatchOp', 'handlers', { op: goString(), path: goString(), from: goString(), value: { t: 'any' } }),
};

// ----- RFC 6902 (evanphx/json-patch v4) -----

class PatchFailed extends Error {}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function splitPointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchFailed(`invalid path: ${path}`);
  return path.slice(1).split('/').map(unescapeToken);
}

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchFailed(`invalid array index: ${token}`);
  const i = Number(token);
  if (forAdd ? i > length : i >= length) throw new PatchFailed(`index out of range: ${token}`);
  return i;
}

/** The container of the pointer's last token, and that token. */
function parentOf(doc: Json, tokens: string[]): { parent: Json; key: string } {
  let node: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(t, node.length, false)]!;
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, t)) node = node[t]!;
    else throw new PatchFailed(`doc is missing path: ${tokens.join('/')}`);
  }
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  const tokens = splitPointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) return parent[arrayIndex(key, parent.length, false)]!;
  if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, key)) return parent[key]!;
  throw new PatchFailed(`missing value at ${path}`);
}

function addAt(doc: Json, path: string, value: Json): Json {
  const tokens = splitPointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new PatchFailed(`cannot add to ${path}`);
  return doc;
}

function removeAt(doc: Json, path: string): { doc: Json; removed: Json } {
  const tokens = splitPointer(path);
  if (tokens.length === 0) throw new PatchFailed('cannot remove the whole document');
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false);
    return { doc, removed: parent.splice(i, 1)[0]! };
  }
  if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, key)) {
    const removed = parent[key]!;
    delete parent[key];
    return { doc, removed };
  }
  throw new PatchFailed(`remove operation does not apply: doc is missing path: ${path}`);
}

function applyJsonPatch(doc: Json, ops: Record<string, Json>[]): Json {
  let out = doc;
  for (const op of ops) {
    const path = typeof op.path === 'string' ? op.path : undefined;
    if (path === undefined) throw new PatchFailed('missing path');
    switch (op.op) {
      case 'add':
        if (!('value' in op)) throw new PatchFailed('missing value');
        out = addAt(out, path, cloneJson(op.value!));
        break;
      case 'remove':
        out = removeAt(out, path).doc;
        break;
      case 'replace': {
        if (!('value' in op)) throw new PatchFailed('missing value');
        const tokens = splitPointer(path);
        if (tokens.length === 0) {
          out = cloneJson(op.value!);
          break;
        }
        getAt(out, path);
        const { parent, key } = parentOf(out, tokens);
        if (Array.isArray(parent)) parent[arrayIndex(key, parent.length, false)] = cloneJson(op.value!);
        else (parent as { [key: string]: Json })[key] = cloneJson(op.value!);
        break;
      }
      case 'move': {
        const from = typeof op.from === 'string' ? op.from : undefined;
        if (from === undefined) throw new PatchFailed('missing from');
        if (path.startsWith(`${from}/`)) throw new PatchFailed('cannot move into a child of itself');
        const { doc: d, removed } = removeAt(out, from);
        out = addAt(d, path, removed);
        break;
      }
      case 'copy': {
        const from = typeof op.from === 'string' ? op.from : undefined;
        if (from === undefined) throw new PatchFailed('missing from');
        out = addAt(out, path, cloneJson(getAt(out, from)));
        break;
      }
      case 'test': {
        let current: Json | undefined;
        try {
          current = getAt(out, path);
        } catch {
          current = undefined;
        }
        const expected = 'value' in op ? op.value! : null;
        if (current === undefined ? expected !== null : !equalJson(current, expected)) throw new PatchFailed(`testing value ${path} failed`);
        break;
      }
      default:
        throw new PatchFailed(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return out;
}

// ----- RFC 7386 -----

/** A copy without null object entries, as a merge patch inserts a value (iterative: patches may be 10000 deep). */
function pruneNulls(value: Json): Json {
  return cloneJson(value, (_key, v) => v === null);
}

function setOwn(obj: { [key: string]: Json }, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** RFC 7386 merge: objects merge key by key, null deletes, anything else (arrays too) replaces. Iterative. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return pruneNulls(patch);
  const root: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  const stack: [{ [key: string]: Json }, { [key: string]: Json }][] = [[root, patch]];
  while (stack.length > 0) {
    const [out, p] = stack.pop()!;
    for (const [k, v] of Object.entries(p)) {
      if (v === null) {
        delete out[k];
      } else if (isObject(v)) {
        const existing = Object.hasOwn(out, k) ? out[k] : undefined;
        const next: { [key: string]: Json } = isObject(existing) ? { ...existing } : {};
        setOwn(out, k, next);
        stack.push([next, v]);
      } else {
        setOwn(out, k, pruneNulls(v));
      }
    }
  }
  return root;
}

/** The strategic merge of a patch (which it changes), with kube's answers to its errors (interpretStrategicMergePatchError). */
function applyStrategic(doc: { [key: string]: Json }, patch: { [key: string]: Json }, meta: PatchStruct): Json {
  try {
    return strategicMergeMapPatch(doc, patch, meta) as Json;
  } catch (err) {
    if (err instanceof StrategicMergeError) {
      if (err.kind === 'BadRequest') throw badRequest(err.message);
      if (err.kind === 'Invalid') throw unprocessableEntity();
      // Any other error kube returns as it is, which ErrorToAPIStatus makes a 500 with no reason.
      throw notStatusError(err.message);
    }
    // Where kube's strategicpatch panics, WithPanicRecovery answers a 500.
    if (err instanceof GoPanic) throw notStatusError('This request caused apiserver to panic. Look in the logs for details.');
    throw err;
  }
}

/** The patched object and the strict errors kube found in the patch itself (repeated keys; unknown jsonPatchOp fields). */
export interface PatchResult {
  object: Record<string, unknown>;
  strict: string[];
  /**
   * The value of the field "patch" in kube's 422 when the patched object does not decode: the patched JSON, or
   * for a strategic merge patch the patch map as the merge left it, printed with %+v (applyPatchToObject).
   */
  rejectedValue: () => string;
}

/**
 * Applies a patch body to the current object's JSON, with kube's errors (handlers/patch.go): 400 for a body that
 * does not decode, 413 beyond 10000 JSON patch operations, 422 (kube's generic "rejected our request") when a JSON
 * patch does not apply. Under Warn and Strict the patch is first decoded strictly, as kube does, for its own strict
 * errors: repeated keys, and (prefixed "json patch") unknown or repeated fields of a JSON patch's operations.
 */
export function applyPatch(
  type: Exclude<PatchType, 'apply'>,
  current: Record<string, unknown>,
  body: Buffer,
  validation: 'Ignore' | 'Warn' | 'Strict' = 'Warn',
  patchMeta: PatchStruct = {},
): PatchResult {
  const parsed = parse(body);
  const doc = cloneJson(current) as Json;
  const strictly = validation !== 'Ignore';
  let result: Json;
  let strict: string[] = [];
  let rejectedValue: (() => string) | undefined;
  switch (type) {
    case 'json': {
      if ('error' in parsed) throw badRequest(`error decoding patch: ${parsed.error}`);
      const decoded = decodeValue(parsed.doc, JSON_PATCH_OPS);
      if (decoded.typeError !== undefined) throw badRequest(`error decoding patch: ${decoded.typeError}`);
      if (strictly) strict = decoded.strict.map((e) => `json patch ${e}`);
      // The operations applied are the patch as evanphx/json-patch reads it (map[string]*json.RawMessage), not
      // the jsonPatchOp decode above, which only finds errors and would drop a "value": null.
      const raw = parsed.doc.value;
      const ops = Array.isArray(raw) ? raw.map((o) => (isObject(o) ? o : {})) : [];
      if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
        throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
      }
      try {
        result = applyJsonPatch(doc, ops);
      } catch (err) {
        if (err instanceof PatchFailed) throw unprocessableEntity();
        throw err;
      }
      break;
    }
    case 'merge': {
      if ('error' in parsed) throw badRequest(`error decoding patch: ${parsed.error}`);
      const value = parsed.doc.value as Json;
      if (value === null) throw badRequest('Invalid JSON Patch');
      if (!isObject(value)) throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type map[string]interface {}`);
      if (strictly) strict = decodeValue(parsed.doc, { t: 'any' }).strict;
      result = mergePatch(doc, value);
      break;
    }
    case 'strategic': {
      if ('error' in parsed) throw badRequest(parsed.error);
      // A null body unmarshals into the patch map as a nil map, without error: nothing to merge.
      const value = (parsed.doc.value ?? {}) as Json;
      if (!isObject(value)) throw badRequest(`json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type map[string]interface {}`);
      if (strictly) strict = decodeValue(parsed.doc, { t: 'any' }).strict;
      const patchMap = cloneJson(value);
      result = applyStrategic(doc as { [key: string]: Json }, patchMap, patchMeta);
      rejectedValue = () => goSprint(patchMap);
      break;
    }
  }
  if (!isObject(result)) throw badRequest('the patched object is not a JSON object');
  const patched = result;
  return { object: patched, strict, rejectedValue: rejectedValue ?? (() => stableJson(patched)) };
}
