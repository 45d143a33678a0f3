// Walks over JSON values that never recurse: request bodies may nest 10000 levels (Go's limit, which kube keeps),
// deeper than V8's stack lets JSON.stringify, structuredClone or a recursive walk go (about 4000 levels).

type Json = unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** A deep copy of a JSON value (plain objects, arrays and primitives), of any depth, without the object entries `omit` names. */
export function cloneJson<T>(value: T, omit?: (key: string, value: unknown) => boolean): T {
  if (typeof value !== 'object' || value === null) return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: [unknown, unknown][] = [[value, root]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    if (Array.isArray(from)) {
      const out = to as unknown[];
      for (const item of from) {
        if (typeof item === 'object' && item !== null) {
          const copy = Array.isArray(item) ? [] : {};
          out.push(copy);
          stack.push([item, copy]);
        } else {
          out.push(item);
        }
      }
    } else {
      const out = to as Record<string, unknown>;
      for (const [k, item] of Object.entries(from as Record<string, unknown>)) {
        if (omit?.(k, item)) continue;
        if (typeof item === 'object' && item !== null) {
          const copy = Array.isArray(item) ? [] : {};
          setOwn(out, k, copy);
          stack.push([item, copy]);
        } else {
          setOwn(out, k, item);
        }
      }
    }
  }
  return root as T;
}

/** Whether two JSON values are equal (objects by keys, in any order), of any depth. */
export function equalJson(a: Json, b: Json): boolean {
  const stack: [Json, Json][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], y[i]]);
    } else if (isObject(x)) {
      if (!isObject(y)) return false;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      for (const k of keys) {
        if (!Object.hasOwn(y, k)) return false;
        stack.push([x[k], y[k]]);
      }
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}

/** Freezes a JSON value and everything in it, of any depth. */
export function freezeJson<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const item of Object.values(v)) stack.push(item);
  }
  return value;
}

type Token = { open: string; close: string; items: [string | undefined, unknown][]; at: number; depth: number };

// JSON.stringify's output for plain data (undefined and functions dropped from objects, null in arrays),
// with an explicit stack.
function encodeIteratively(value: unknown, indent: string, sortKeys: boolean): string {
  const parts: string[] = [];
  const scalar = (v: unknown): string | undefined => {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    return JSON.stringify(v);
  };
  const open = (v: object, depth: number): Token => {
    if (Array.isArray(v)) return { open: '[', close: ']', items: v.map((item) => [undefined, item]), at: 0, depth };
    const keys = Object.keys(v);
    if (sortKeys) keys.sort();
    const items: [string, unknown][] = [];
    for (const k of keys) {
      const item = (v as Record<string, unknown>)[k];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      items.push([k, item]);
    }
    return { open: '{', close: '}', items, at: 0, depth };
  };
  const newline = (depth: number): string => (indent === '' ? '' : `\n${indent.repeat(depth)}`);
  const emit = (v: unknown, depth: number, stack: Token[]): void => {
    if (typeof v === 'object' && v !== null) {
      const token = open(v, depth);
      parts.push(token.open);
      stack.push(token);
    } else {
      parts.push(scalar(v) ?? 'null');
    }
  };
  const stack: Token[] = [];
  if (typeof value !== 'object' || value === null) return scalar(value) ?? 'null';
  emit(value, 0, stack);
  while (stack.length > 0) {
    const token = stack[stack.length - 1]!;
    if (token.at >= token.items.length) {
      stack.pop();
      if (token.items.length > 0) parts.push(newline(token.depth));
      parts.push(token.close);
      continue;
    }
    const [key, item] = token.items[token.at]!;
    if (token.at > 0) parts.push(',');
    token.at++;
    parts.push(newline(token.depth + 1));
    if (key !== undefined) parts.push(JSON.stringify(key), indent === '' ? ':' : ': ');
    emit(item, token.depth + 1, stack);
  }
  return parts.join('');
}

/** JSON.stringify(value, null, indent) for JSON data of any depth: the native encoder, or a walk where it gives up. */
export function encodeJson(value: unknown, indent = ''): string {
  try {
    return indent === '' ? JSON.stringify(value) : JSON.stringify(value, null, indent);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return encodeIteratively(value, indent, false);
  }
}

/** JSON with object keys sorted at every level: equality of two objects as kube compares their encodings. */
export function stableJson(value: unknown): string {
  return encodeIteratively(value, '', true);
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is a JSON object, else an empty one: for reading optional nested fields. */
export function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
