// Keys a YAML mapping repeats, found with a Set per mapping: the yaml package's own unique-key check compares
// every key with every other, which is quadratic in a mapping's size (minutes for one 3 MiB mapping).
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';

/**
 * Every scalar key that repeats one before it in the same mapping, mappings in document order, depth first.
 * Iterative: nesting is bounded only by the parser.
 */
export function* repeatedKeys(root: unknown): Generator<Scalar> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && typeof key.value !== 'symbol') {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) yield key;
          seen.add(id);
        }
      }
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]!.value);
    }
  }
}
