// Writes the folder-level import graph of src/ into docs/architecture.md, from dependency-cruiser's answer
// under the layer rules of .dependency-cruiser.cjs. `--check`: change nothing, exit 1 if a module imports a
// layer above its own or the graph in the doc is out of date (test/unit/architecture.test.ts runs this).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { LAYERS } = require(join(root, 'scripts/layers.cjs'));
const DOC = join(root, 'docs/architecture.md');
const START = '<!-- import-graph:start (npm run graph writes this) -->';
const END = '<!-- import-graph:end -->';

function cruise() {
  const bin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  let out;
  try {
    out = execFileSync(process.execPath, [bin, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    // The CLI exits non-zero when rules are broken; its JSON is still on stdout.
    if (typeof err.stdout !== 'string' || err.stdout === '') {
      // dependency-cruiser could not read the sources (a syntax error): its own message says where.
      process.stderr.write(typeof err.stderr === 'string' ? err.stderr : String(err));
      process.exit(1);
    }
    out = err.stdout;
  }
  return JSON.parse(out);
}

const folderOf = (path) => {
  const parts = path.split('/');
  return parts.length > 2 ? parts[1] : parts[1].replace(/\.ts$/, '');
};

function graphMarkdown(result) {
  const edges = new Map();
  for (const mod of result.modules) {
    const from = folderOf(mod.source);
    for (const dep of mod.dependencies) {
      if (!dep.resolved.startsWith('src/')) continue;
      const to = folderOf(dep.resolved);
      if (to === from) continue;
      edges.set(`${from} --> ${to}`, [from, to]);
    }
  }
  const lines = ['```mermaid', 'flowchart TD'];
  LAYERS.forEach((layer, i) => {
    lines.push(`  subgraph L${i}[" "]`, '    direction LR', ...layer.map((f) => `    ${f}`), '  end');
  });
  lines.push(...[...edges.keys()].sort().map((e) => `  ${e}`), '```', '');
  lines.push('| folder | imports |', '| --- | --- |');
  for (const folder of ['index', ...LAYERS.flat()]) {
    const to = [...edges.values()].filter(([f]) => f === folder).map(([, t]) => t).sort();
    lines.push(`| ${folder === 'index' ? 'index.ts' : `${folder}/`} | ${to.length === 0 ? 'nothing in src/' : to.join(', ')} |`);
  }
  return lines.join('\n');
}

const result = cruise();
const violations = result.summary.violations.map((v) => `${v.from} -> ${v.to} (${v.rule.name})`);
const doc = readFileSync(DOC, 'utf8');
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < start) throw new Error(`${DOC}: the markers ${START} and ${END} are missing`);
const next = `${doc.slice(0, start + START.length)}\n${graphMarkdown(result)}\n${doc.slice(end)}`;
if (process.argv.includes('--check')) {
  for (const v of violations) console.error(`upward import: ${v}`);
  if (next !== doc) console.error('docs/architecture.md: the import graph is out of date (run npm run graph)');
  process.exit(violations.length > 0 || next !== doc ? 1 : 0);
}
writeFileSync(DOC, next);
for (const v of violations) console.error(`upward import: ${v}`);
console.log(`docs/architecture.md: import graph of ${result.summary.totalCruised} modules written`);
process.exit(violations.length > 0 ? 1 : 0);
