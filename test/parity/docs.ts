// docs/fidelity.md's section of the known differences the parity scenarios found, generated from
// known-differences.yaml between two markers, so that the page cannot drift from the file the replay obeys.
// `npm run parity:docs` writes it; the replay and `npm run parity` check it.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { KnownDifferences } from './known-differences.js';

export const FIDELITY_DOC = fileURLToPath(new URL('../../docs/fidelity.md', import.meta.url));
export const DOC_START = '<!-- parity-known-differences:start (npm run parity:docs writes this from test/parity/known-differences.yaml) -->';
export const DOC_END = '<!-- parity-known-differences:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The section's body: one table row per entry of known-differences.yaml, in the file's order. */
export function renderKnownDifferences(known: KnownDifferences): string {
  const rows = known.entries.map((k) => `| ${k.scenarios.map((id) => `\`${id}\``).join(', ')}${k.kubectl ? ` (kubectl ${k.kubectl.join(', ')})` : ''} | ${cell(k.reason)} | ${k.differs.map((d) => `\`${d}\``).join(', ')} |`);
  const table = rows.length === 0 ? 'None: every recorded scenario answers as kube-apiserver does.' : ['| scenarios | why the mock differs | what differs |', '| --- | --- | --- |', ...rows].join('\n');
  return `${DOC_START}\n${table}\n${DOC_END}`;
}

/** The doc with its section replaced, or undefined when the markers are missing. */
function withSection(doc: string, section: string): string | undefined {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) return undefined;
  return doc.slice(0, start) + section + doc.slice(end + DOC_END.length);
}

/**
 * undefined when docs/fidelity.md is up to date, else what is wrong. With no known difference there is
 * nothing to document and the section may be absent; once there is one, the section must exist and match.
 */
export async function checkFidelityDoc(known: KnownDifferences, file = FIDELITY_DOC): Promise<string | undefined> {
  const doc = await readFile(file, 'utf8');
  const section = renderKnownDifferences(known);
  const updated = withSection(doc, section);
  if (updated === undefined) {
    return known.entries.length === 0 ? undefined : `docs/fidelity.md has no section between ${DOC_START} and ${DOC_END}: add the two markers, then run \`npm run parity:docs\``;
  }
  return updated === doc ? undefined : 'docs/fidelity.md is out of date with test/parity/known-differences.yaml: run `npm run parity:docs`';
}

/** Writes the section into docs/fidelity.md (the markers must be there). */
export async function writeFidelityDoc(known: KnownDifferences, file = FIDELITY_DOC): Promise<void> {
  const doc = await readFile(file, 'utf8');
  const updated = withSection(doc, renderKnownDifferences(known));
  if (updated === undefined) throw new Error(`docs/fidelity.md has no section between ${DOC_START} and ${DOC_END}: add the two markers where the section belongs`);
  if (updated !== doc) await writeFile(file, updated);
}
