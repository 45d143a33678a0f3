// JSON values as Go holds them after decoding into interface{} (map[string]interface{}, []interface{}, string,
// int64 or float64, bool, nil): their reflect type names, Go's == on them, and fmt's %v and %s of them, for
// error texts that read like kube-apiserver's (k8s.io/apimachinery/pkg/util/mergepatch/errors.go prints maps
// with %v). Sources: golang/go src/fmt/print.go (printValue, sorted map keys via internal/fmtsort, badVerb) and
// src/strconv/ftoa.go (%g with the shortest precision).
// Every walk is iterative: a value may nest 10000 levels, as kube's decoder allows.
import { compareGoStrings } from './validation.js';

/** The dynamic type of a decoded JSON value, as Go's reflect.TypeOf names it (`nil` for a nil interface). */
export type GoType = 'nil' | 'bool' | 'int64' | 'float64' | 'string' | 'map[string]interface {}' | '[]interface {}';

/**
 * Go's type of a JSON value decoded by kube (sigs.k8s.io/json with PreserveInts): integers are int64, other
 * numbers float64. JavaScript cannot tell 1.0 from 1, so both count as int64 here.
 */
export function goTypeOf(v: unknown): GoType {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? 'int64' : 'float64';
    case 'string':
      return 'string';
    default:
      return 'map[string]interface {}';
  }
}

/** Thrown where Go itself would panic (== on two maps, a map used as a map key): kube answers its panic 500. */
export class GoPanic extends Error {}

function comparable(t: GoType): boolean {
  return t !== 'map[string]interface {}' && t !== '[]interface {}';
}

/** Go's == on two interface{} values: equal dynamic types and values; comparing two maps or two slices panics. */
export function goEqual(a: unknown, b: unknown): boolean {
  const ta = goTypeOf(a);
  const tb = goTypeOf(b);
  if (ta !== tb) return false;
  if (!comparable(ta)) throw new GoPanic(`runtime error: comparing uncomparable type ${ta}`);
  return ta === 'nil' || a === b;
}

/** A key standing for a value in a Go map[interface{}]...: hashing a map or a slice panics, as in Go. */
export function goHashKey(v: unknown): string {
  const t = goTypeOf(v);
  if (!comparable(t)) throw new GoPanic(`runtime error: hash of unhashable type ${t}`);
  return `${t}:${String(v)}`;
}

/** strconv.FormatFloat(f, 'g', -1, 64): the shortest digits, with an exponent below 1e-4 or from 1e6 on (1e+06). */
function goFloat(f: number): string {
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  // strconv: "%e is used if the exponent from the conversion is less than -4 or greater than or equal to the
  // precision. if precision was the shortest possible, use precision 6 for this decision."
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(f);
}

function scalar(v: unknown, verb: 'v' | 's', top: boolean): string {
  const t = goTypeOf(v);
  let text: string;
  switch (t) {
    case 'nil':
      // A nil inside a map or slice prints as <nil> whatever the verb.
      return verb === 's' && top ? '%!s(<nil>)' : '<nil>';
    case 'string':
      return v as string;
    case 'bool':
      text = String(v);
      break;
    case 'int64':
      text = BigInt(v as number).toString();
      break;
    default:
      text = goFloat(v as number);
  }
  return verb === 'v' ? text : `%!s(${t}=${text})`;
}

/** fmt.Sprintf("%v") (or "%s") of a decoded JSON value: `map[k:v k2:v2]` with sorted keys, `[a b]`, `<nil>`. */
export function goSprint(value: unknown, verb: 'v' | 's' = 'v'): string {
  const out: string[] = [];
  // A stack of pending output: values to print and literal text.
  const stack: ({ text: string } | { value: unknown })[] = [{ value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const v = item.value;
    if (Array.isArray(v)) {
      const parts: ({ text: string } | { value: unknown })[] = [{ text: '[' }];
      v.forEach((e, i) => parts.push(...(i > 0 ? [{ text: ' ' }] : []), { value: e }));
      parts.push({ text: ']' });
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
    } else if (typeof v === 'object' && v !== null) {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj).sort(compareGoStrings);
      const parts: ({ text: string } | { value: unknown })[] = [{ text: 'map[' }];
      keys.forEach((k, i) => parts.push({ text: `${i > 0 ? ' ' : ''}${k}:` }, { value: obj[k] }));
      parts.push({ text: ']' });
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
    } else {
      out.push(scalar(v, verb, v === value));
    }
  }
  return out.join('');
}
