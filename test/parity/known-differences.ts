// test/parity/known-differences.yaml: the scenarios allowed to differ, with their reason and the parts that
// differ. Read by the replay, `npm run parity` and the docs generator.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Difference } from './compare.js';

/** One entry of known-differences.yaml: one reason, the scenarios it explains, and the paths that differ in each. */
export interface KnownDifference {
  scenarios: string[];
  reason: string;
  differs: string[];
  /** kubectl scenarios only: the kubectl versions ("1.33") the entry is about; absent, every version */
  kubectl?: string[];
  /** The entry excuses only the order of keys at its paths, never a value under them. */
  keyOrderOnly?: boolean;
}

export const KNOWN_DIFFERENCES_FILE = fileURLToPath(new URL('./known-differences.yaml', import.meta.url));

// HTTP scenarios' paths start with requests[N], kubectl scenarios' (test/parity/kubectl-run.ts) with commands[N].
const PATH = /^(requests|commands)\[(\d+|\*)\]/;

/** The file's entries, in order, and the entries of each scenario (a scenario may be in several, one per reason). */
export interface KnownDifferences {
  entries: KnownDifference[];
  byScenario: Map<string, KnownDifference[]>;
}

/** Reads and checks the file. */
export async function loadKnownDifferences(file = KNOWN_DIFFERENCES_FILE): Promise<KnownDifferences> {
  const doc: unknown = parse(await readFile(file, 'utf8'));
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a list of {scenarios, reason, differs}`);
  const entries: KnownDifference[] = [];
  const byScenario = new Map<string, KnownDifference[]>();
  doc.forEach((entry: unknown, i) => {
    const where = `${file}: entry ${i + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where}: expected {scenarios, reason, differs}`);
    const { scenarios, reason, differs, kubectl, keyOrderOnly, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new Error(`${where}: unknown field(s) ${Object.keys(rest).join(', ')}`);
    if (!Array.isArray(scenarios) || scenarios.length === 0 || !scenarios.every((s) => typeof s === 'string' && /^[a-z0-9-]+\/[a-z0-9-]+$/.test(s))) {
      throw new Error(`${where}: scenarios must list "<group>/<name>" ids`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${where} (${scenarios.join(', ')}): a reason is required`);
    if (!Array.isArray(differs) || differs.length === 0 || !differs.every((d) => typeof d === 'string' && PATH.test(d))) {
      throw new Error(`${where} (${scenarios.join(', ')}): differs must list the paths that differ, each starting with requests[N] or requests[*] (commands[N] or commands[*] for kubectl scenarios)`);
    }
    if (kubectl !== undefined && (!Array.isArray(kubectl) || kubectl.length === 0 || !kubectl.every((v) => typeof v === 'string' && /^1\.\d+$/.test(v)))) {
      throw new Error(`${where} (${scenarios.join(', ')}): kubectl must list kubectl versions such as "1.33"`);
    }
    const known: KnownDifference = { scenarios: scenarios as string[], reason: reason.trim().replace(/\s+/g, ' '), differs: differs as string[] };
    if (kubectl !== undefined) known.kubectl = kubectl as string[];
    if (keyOrderOnly !== undefined && typeof keyOrderOnly !== 'boolean') throw new Error(`${where} (${scenarios.join(', ')}): keyOrderOnly must be true or false`);
    if (keyOrderOnly === true) known.keyOrderOnly = true;
    if (new Set(known.scenarios).size !== known.scenarios.length) throw new Error(`${where}: a scenario is listed twice`);
    entries.push(known);
    for (const id of known.scenarios) byScenario.set(id, [...(byScenario.get(id) ?? []), known]);
  });
  return { entries, byScenario };
}

/** True when `path` is `prefix` or under it; `[*]` in the prefix matches any index or name. */
export function covers(prefix: string, path: string): boolean {
  const pattern = prefix
    .split('[*]')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\[[^\\]]+\\]');
  return new RegExp(`^${pattern}(?:$|[.[])`).test(path);
}

/** What the replay concludes about one scenario. */
export type Verdict =
  | { kind: 'identical' }
  | { kind: 'known'; entries: KnownDifference[] }
  | { kind: 'unexplained'; differences: Difference[]; listed: boolean }
  /** listed in known-differences.yaml, but a listed path no longer differs */
  | { kind: 'stale'; unused: string[] };

/**
 * Judges a scenario's differences against its known-differences entries: every difference must be covered by
 * a path of one of them, and every path of each of them must still cover a difference of this scenario.
 */
export function judge(differences: Difference[], entries: readonly KnownDifference[] = []): Verdict {
  if (entries.length === 0) return differences.length === 0 ? { kind: 'identical' } : { kind: 'unexplained', differences, listed: false };
  // A scenario edited since its recording is never a known difference: its snapshot must be recorded again.
  const excuses = (e: KnownDifference, p: string, d: Difference): boolean => covers(p, d.path) && (e.keyOrderOnly !== true || d.kind === 'key-order');
  const unexplained = differences.filter((d) => d.kind === 'scenario-changed' || !entries.some((e) => e.differs.some((p) => excuses(e, p, d))));
  if (unexplained.length > 0) return { kind: 'unexplained', differences: unexplained, listed: true };
  const unused = entries.flatMap((e) => e.differs.filter((p) => !differences.some((d) => excuses(e, p, d))));
  if (unused.length > 0) return { kind: 'stale', unused };
  return { kind: 'known', entries: [...entries] };
}
