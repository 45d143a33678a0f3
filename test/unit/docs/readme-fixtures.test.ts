// The README's "From Go" and "From Python" tests are copies of the ones the fixtures' own tests run
// (go/README.md's is go/kamtest/readme_test.go, python/README.md's runs under pytest): they must not drift apart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const block = (text: string, fence: RegExp, where: string): string => {
  const found = fence.exec(text);
  assert.ok(found, `${where} has no such block`);
  return found[0];
};
const section = (text: string, heading: string): string => {
  const start = text.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `README.md has no "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
};

const readme = read('README.md');
const cases = [
  { name: 'the Go test', copy: block(section(readme, '### From Go'), /```go\npackage rbac_test\n[\s\S]*?```\n/, 'README.md From Go'), original: block(read('go/README.md'), /```go\npackage rbac_test\n[\s\S]*?```\n/, 'go/README.md') },
  { name: 'the Python test file', copy: block(section(readme, '### From Python'), /```python\n[\s\S]*?```\n/, 'README.md From Python'), original: block(read('python/README.md'), /```python\n[\s\S]*?```\n/, 'python/README.md') },
  { name: 'the kamtest and envtest table', copy: block(section(readme, '### kamtest and envtest'), /\| \| kamtest \|[\s\S]*?\n\n/, 'README.md'), original: block(read('go/README.md'), /\| \| kamtest \|[\s\S]*?\n\n/, 'go/README.md') },
];
for (const c of cases) {
  test(`README.md shows ${c.name} as the fixture's own README has it`, () => {
    assert.equal(c.copy, c.original);
  });
}
