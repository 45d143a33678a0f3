// PATCH bodies as kube-apiserver's patch handler applies them.
// Sources: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (jsonPatcher.applyJSPatch,
// strategicPatchObject, maxJSONPatchOperations), gopkg.in/evanphx/json-patch.v4 (Apply, MergePatch) for
// RFC 6902 and RFC 7386, and handlers/rest.go (fieldValidation: Warn when unset, which decodes strictly first).
import { goJsonSyntaxError, goJsonTypeName } from '../codec/go-json.js';
import { badRequest, StatusError, unprocessableEntity, unsupportedMediaTypes } from '../status.js';

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

/** The patch type of a Content-Type (parameters such as charset ignored), or kube's 415. */
export function patchTypeOf(contentType: string | undefined): Exclude<PatchType, 'apply'> {
  const raw = contentType ?? '';
  const semi = raw.indexOf(';');
  const mediaType = (semi > 0 ? raw.slice(0, semi) : raw).trim();
  const type = MEDIA_TYPES[mediaType];
  if (type === undefined || type === 'apply') throw unsupportedMediaTypes(ACCEPTED_PATCH_TYPES);
  return type;
}

/** kube's limit on the number of operations of a JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(body: Buffer): { value: Json } | { error: string } {
  const text = body.toString('utf8');
  try {
    return { value: JSON.parse(text) as Json };
  } catch (err) {
    return { error: goJsonSyntaxError(err, text) };
  }
}

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

function deepEqual(a: Json, b: Json): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]!));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k]!, b[k]!));
  }
  return a === b;
}

function applyJsonPatch(doc: Json, ops: Record<string, Json>[]): Json {
  let out = doc;
  for (const op of ops) {
    const path = typeof op.path === 'string' ? op.path : undefined;
    if (path === undefined) throw new PatchFailed('missing path');
    switch (op.op) {
      case 'add':
        if (!('value' in op)) throw new PatchFailed('missing value');
        out = addAt(out, path, structuredClone(op.value!));
        break;
      case 'remove':
        out = removeAt(out, path).doc;
        break;
      case 'replace': {
        if (!('value' in op)) throw new PatchFailed('missing value');
        const tokens = splitPointer(path);
        if (tokens.length === 0) {
          out = structuredClone(op.value!);
          break;
        }
        getAt(out, path);
        const { parent, key } = parentOf(out, tokens);
        if (Array.isArray(parent)) parent[arrayIndex(key, parent.length, false)] = structuredClone(op.value!);
        else (parent as { [key: string]: Json })[key] = structuredClone(op.value!);
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
        out = addAt(out, path, structuredClone(getAt(out, from)));
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
        if (current === undefined ? expected !== null : !deepEqual(current, expected)) throw new PatchFailed(`testing value ${path} failed`);
        break;
      }
      default:
        throw new PatchFailed(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return out;
}

// ----- RFC 7386 -----

function pruneNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (isObject(value)) {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = pruneNulls(v);
    return out;
  }
  return value;
}

/** RFC 7386 merge: objects merge key by key, null deletes, anything else (arrays too) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return pruneNulls(patch);
  const out: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = isObject(v) ? mergePatch(out[k] ?? null, v) : pruneNulls(v);
  }
  return out;
}

/**
 * Strategic merge patch directives ($patch, $retainKeys, $setElementOrder/..., $deleteFromPrimitiveList/...)
 * are dropped. For RBAC kinds this makes SMP exactly a merge patch: PolicyRule lists and subjects have no patch
 * merge key, so SMP replaces them as RFC 7386 does. For core kinds (containers merged by name, ...) it is an
 * approximation: lists are replaced, not merged.
 */
function dropDirectives(patch: Json): Json {
  if (Array.isArray(patch)) return patch.map(dropDirectives);
  if (!isObject(patch)) return patch;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    out[k] = dropDirectives(v);
  }
  return out;
}

/**
 * Applies a patch body to the current object's JSON, with kube's errors: 400 for a body that does not decode,
 * 413 beyond 10000 JSON patch operations, 422 (kube's generic "rejected our request") when a JSON patch does
 * not apply.
 */
export function applyPatch(type: Exclude<PatchType, 'apply'>, current: Record<string, unknown>, body: Buffer): Record<string, unknown> {
  const parsed = parse(body);
  const doc = structuredClone(current) as Json;
  let result: Json;
  switch (type) {
    case 'json': {
      if ('error' in parsed) throw badRequest(`error decoding patch: ${parsed.error}`);
      const ops = parsed.value;
      if (!Array.isArray(ops)) throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonTypeName(ops)} into Go value of type []handlers.jsonPatchOp`);
      const bad = ops.find((o) => !isObject(o) && o !== null);
      if (bad !== undefined) throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonTypeName(bad)} into Go value of type handlers.jsonPatchOp`);
      if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
        throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
      }
      try {
        result = applyJsonPatch(doc, ops.map((o) => (isObject(o) ? o : {})));
      } catch (err) {
        if (err instanceof PatchFailed) throw unprocessableEntity();
        throw err;
      }
      break;
    }
    case 'merge': {
      if ('error' in parsed) throw badRequest(`error decoding patch: ${parsed.error}`);
      if (parsed.value === null) throw badRequest('Invalid JSON Patch');
      if (!isObject(parsed.value)) throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonTypeName(parsed.value)} into Go value of type map[string]interface {}`);
      result = mergePatch(doc, parsed.value);
      break;
    }
    case 'strategic': {
      if ('error' in parsed) throw badRequest(parsed.error);
      if (!isObject(parsed.value)) throw badRequest(`json: cannot unmarshal ${goJsonTypeName(parsed.value)} into Go value of type map[string]interface {}`);
      result = mergePatch(doc, dropDirectives(parsed.value));
      break;
    }
  }
  if (!isObject(result)) throw badRequest('the patched object is not a JSON object');
  return result;
}

