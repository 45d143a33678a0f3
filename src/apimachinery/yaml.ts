// YAML request bodies as kube-apiserver reads them: sigs.k8s.io/yaml's YAMLToJSON over go-yaml v2, which is YAML
// 1.1 (`yes`, `on`, `y` are booleans, `017` is octal), honours `<<` merge keys, reads only the first document of a
// stream and, where a key repeats, keeps the last value. YAMLToJSONStrict's complaint about repeated keys is
// returned apart: kube's strict decoder turns it into a strict error (a Warning, or a 400 under Strict).
import { Composer, LineCounter, Parser, type Document, type Tags } from 'yaml';
import { goQuote } from './validation.js';
import { repeatedKeys } from './yaml-keys.js';

/** A YAML body that sigs.k8s.io/yaml could not convert; the message is what follows "error converting YAML to JSON: ". */
export class YamlError extends Error {}

/** The body as JSON would carry it, and YAMLToJSONStrict's error when a mapping repeats a key. */
export interface YamlBody {
  value: unknown;
  duplicates: string | undefined;
}

/** go-yaml v2 resolve.go yamlStyleFloat. */
const GO_YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOATS: Readonly<Record<string, number>> = Object.fromEntries([
  ...['.nan', '.NaN', '.NAN'].map((k) => [k, NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((k) => [k, Infinity]),
  ...['-.inf', '-.Inf', '-.INF'].map((k) => [k, -Infinity]),
]);
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt(s, 0, 64), then ParseUint: Go's base prefixes (0x, 0o, 0b in either case, and a leading 0). */
function goParseInt(s: string): number | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([1-9][0-9]*|0))$/.exec(s);
  if (m === null) return undefined;
  const [, sign, hex, oct, bin, legacyOct, dec] = m;
  const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : oct !== undefined ? BigInt(`0o${oct}`) : bin !== undefined ? BigInt(`0b${bin}`) : legacyOct !== undefined ? BigInt(`0o${legacyOct}`) : BigInt(dec!);
  const value = sign === '-' ? -magnitude : magnitude;
  // ParseInt takes int64 with a sign; ParseUint takes what is left up to 2^64-1, without one.
  if (value < INT64_MIN || value > UINT64_MAX || (value > 2n ** 63n - 1n && sign === '+')) return undefined;
  return Number(value);
}

/**
 * go-yaml v2's resolve() for a plain scalar starting with a digit, a sign or a dot (its resolveTable hints 'D',
 * 'S' and '.'): .inf and .nan, then, underscores dropped, strconv.ParseInt/ParseUint with base 0 and floats of
 * yamlStyleFloat's shape; anything else stays a string. YAML 1.1's base-60 numbers ("12:30") are not numbers to
 * go-yaml ("purposefully unsupported"), and 0o17 is 15 to Go's ParseInt: the yaml package's 1.1 int and float
 * tags are replaced by this one.
 */
const GO_YAML_NUMBER = {
  identify: (value: unknown): boolean => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: /^[-+.0-9]/,
  resolve(text: string): number | string {
    if (Object.hasOwn(SPECIAL_FLOATS, text)) return SPECIAL_FLOATS[text]!;
    if (text.startsWith('.')) return GO_YAML_FLOAT.test(text) ? Number(text) : text;
    const plain = text.replaceAll('_', '');
    const int = goParseInt(plain);
    if (int !== undefined) return int;
    return GO_YAML_FLOAT.test(plain) ? Number(plain) : text;
  },
};

const isNumberTag = (t: Tags[number]): boolean => typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:int' || t.tag === 'tag:yaml.org,2002:float');

// go-yaml v2 resolves plain timestamps to strings when decoding into interface{}: drop the 1.1 timestamp tag.
const OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  customTags: (tags: Tags): Tags => [
    ...tags.filter((t) => t !== 'timestamp' && (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:timestamp') && !isNumberTag(t)),
    GO_YAML_NUMBER,
  ],
} as const;

/** json.Marshal's UnsupportedValueError for the first NaN or infinity in the converted value (iterative). */
function unsupportedFloat(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
    if (typeof v === 'object' && v !== null) for (const item of Object.values(v)) stack.push(item);
  }
  return undefined;
}

/** go-yaml v2's %#v of a key: strings quoted as Go quotes them, other scalars as they print. */
function keyText(key: unknown): string {
  return typeof key === 'string' ? goQuote(key) : String(key);
}

// go-yaml v2 (decode.go, d.mapping in strict mode): `line N: key "k" already set in map`, in document order.
function duplicateKeys(root: unknown, lines: LineCounter): string[] {
  return [...repeatedKeys(root)].map((key) => `line ${lines.linePos(key.range?.[0] ?? 0).line}: key ${keyText(key.value)} already set in map`);
}

/** sigs.k8s.io/yaml.YAMLToJSON for a request body: the first document's value, or a YamlError. */
export function yamlToJson(text: string): YamlBody {
  const lines = new LineCounter();
  // go-yaml's Unmarshal reads the first document and stops: here too the rest of the stream is never parsed
  // (the lexer and parser are lazy; the parser hands over a document token once it has seen its end).
  const composer = new Composer(OPTIONS);
  let first: Document.Parsed | undefined;
  for (const token of new Parser(lines.addNewLine).parse(text)) {
    for (const doc of composer.next(token)) first ??= doc;
    if (token.type === 'document') break;
  }
  for (const doc of composer.end()) first ??= doc;
  if (first === undefined) return { value: null, duplicates: undefined };
  const error = first.errors[0];
  if (error !== undefined) throw new YamlError(`yaml: ${error.message.split('\n')[0]}`);
  let value: unknown;
  try {
    value = first.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof ReferenceError) throw new YamlError('yaml: document contains excessive aliasing');
    throw new YamlError(`yaml: ${(err as Error).message.split('\n')[0]}`);
  }
  // sigs.k8s.io/yaml's yamlToJSONTarget ends with json.Marshal, which refuses NaN and infinities.
  const unsupported = unsupportedFloat(value);
  if (unsupported !== undefined) throw new YamlError(`json: unsupported value: ${unsupported}`);
  const dups = duplicateKeys(first.contents, lines);
  return { value, duplicates: dups.length > 0 ? `error converting YAML to JSON: yaml: unmarshal errors:\n  ${dups.join('\n  ')}` : undefined };
}
