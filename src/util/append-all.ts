/**
 * Appends every item to target, in order, and returns target. `target.push(...items)` passes each item as an
 * argument and throws RangeError ("Maximum call stack size exceeded") past about 120,000 of them, which a 3 MiB
 * body reaches easily (one validation error per label, one strict error per repeated key).
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
