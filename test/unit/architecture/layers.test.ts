import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/import-graph.mjs', import.meta.url));

test('no module of src/ imports a layer above its own, and docs/architecture.md shows the current import graph', async () => {
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [script, '--check'], { encoding: 'utf8' }, (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
  });
  assert.equal(stderr, '', 'dependency-cruiser found (run npm run graph to redraw the graph)');
  assert.equal(code, 0);
});
