// YAML request bodies as kube-apiserver reads them: sigs.k8s.io/yaml's YAMLToJSON over go-yaml v2, which is YAML
// 1.1 (`yes`, `on`, `y` are booleans, `017` is octal), honours `<<` merge keys, reads only the first document of a
// stream and, where a key repeats, keeps the last value. YAMLToJSONStrict's complaint about repeated keys is
// returned apart: kube's strict decoder turns it into a strict error (a Warning, or a 400 under Strict).
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode, type Tags } from 'yaml';
import { goQuote } from '../../store/validation.js';

/** A YAML body that sigs.k8s.io/yaml could not convert; the message is what follows "error converting YAML to JSON: ". */
export class YamlError extends Error {}

/** The body as JSON would carry it, and YAMLToJSONStrict's error when a mapping repeats a key. */
export interface YamlBody {
  value: unknown;
  duplicates: string | undefined;
}

// go-yaml v2 resolves plain timestamps to strings when decoding into interface{}: drop the 1.1 timestamp tag.
const OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  customTags: (tags: Tags): Tags => tags.filter((t) => t !== 'timestamp' && (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:timestamp')),
} as const;

/** go-yaml v2's %#v of a key: strings quoted as Go quotes them, other scalars as they print. */
function keyText(key: unknown): string {
  return typeof key === 'string' ? goQuote(key) : String(key);
}

// go-yaml v2 (decode.go, d.mapping in strict mode): `line N: key "k" already set in map`, in document order.
// Iterative: nesting is bounded only by the parser.
function duplicateKeys(root: unknown, lines: LineCounter): string[] {
  const found: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isMap(node)) {
      const seen = new Set<string>();
      const here: string[] = [];
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (isScalar(key) && typeof key.value !== 'symbol') {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) here.push(`line ${lines.linePos(key.range?.[0] ?? 0).line}: key ${keyText(key.value)} already set in map`);
          seen.add(id);
        }
      }
      found.push(...here);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]!.value);
    }
  }
  return found;
}

/** sigs.k8s.io/yaml.YAMLToJSON for a request body: the first document's value, or a YamlError. */
export function yamlToJson(text: string): YamlBody {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...OPTIONS, lineCounter: lines });
  const first = Array.isArray(docs) ? docs[0] : undefined;
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
  const dups = duplicateKeys(first.contents, lines);
  return { value, duplicates: dups.length > 0 ? `error converting YAML to JSON: yaml: unmarshal errors:\n  ${dups.join('\n  ')}` : undefined };
}
