// test/parity/known-differences.yaml: the scenarios allowed to differ, with their reason and the parts that
// differ. Read by the replay, `npm run parity` and the docs generator.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Difference } from './compare.js';

/** One entry of known-differences.yaml. */
export interface KnownDifference {
  scenario: string;
  reason: string;
  differs: string[];
}

export const KNOWN_DIFFERENCES_FILE = fileURLToPath(new URL('./known-differences.yaml', import.meta.url));

/** Reads and checks the file: a list of {scenario, reason, differs}, each scenario once. */
export async function loadKnownDifferences(file = KNOWN_DIFFERENCES_FILE): Promise<Map<string, KnownDifference>> {
  const doc: unknown = parse(await readFile(file, 'utf8'));
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a list of {scenario, reason, differs}`);
  const out = new Map<string, KnownDifference>();
  doc.forEach((entry: unknown, i) => {
    const where = `${file}: entry ${i + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where}: expected {scenario, reason, differs}`);
    const { scenario, reason, differs, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new Error(`${where}: unknown field(s) ${Object.keys(rest).join(', ')}`);
    if (typeof scenario !== 'string' || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(scenario)) throw new Error(`${where}: scenario must be "<group>/<name>"`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${where} (${scenario}): a reason is required`);
    if (!Array.isArray(differs) || differs.length === 0 || !differs.every((d) => typeof d === 'string' && /^requests\[\d+\]/.test(d))) {
      throw new Error(`${where} (${scenario}): differs must list the paths that differ, each starting with requests[N]`);
    }
    if (out.has(scenario)) throw new Error(`${where}: ${scenario} is listed twice`);
    out.set(scenario, { scenario, reason: reason.trim(), differs: differs as string[] });
  });
  return out;
}

/** True when `path` is `prefix` or under it. */
export function covers(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/** What the replay concludes about one scenario. */
export type Verdict =
  | { kind: 'identical' }
  | { kind: 'known'; entry: KnownDifference }
  | { kind: 'unexplained'; differences: Difference[]; entry?: KnownDifference }
  /** listed in known-differences.yaml, but (part of it) no longer differs */
  | { kind: 'stale'; entry: KnownDifference; unused: string[] };

/** Judges a scenario's differences against its known-differences entry, if it has one. */
export function judge(differences: Difference[], entry: KnownDifference | undefined): Verdict {
  if (entry === undefined) return differences.length === 0 ? { kind: 'identical' } : { kind: 'unexplained', differences };
  // A scenario edited since its recording is never a known difference: its snapshot must be recorded again.
  const unexplained = differences.filter((d) => d.kind === 'scenario-changed' || !entry.differs.some((p) => covers(p, d.path)));
  if (unexplained.length > 0) return { kind: 'unexplained', differences: unexplained, entry };
  const unused = entry.differs.filter((p) => !differences.some((d) => covers(p, d.path)));
  if (unused.length > 0) return { kind: 'stale', entry, unused };
  return { kind: 'known', entry };
}
