// YAML bodies as sigs.k8s.io/yaml converts them over go-yaml v2: YAML 1.1 scalars, merge keys, the first
// document only, the last of repeated keys (and YAMLToJSONStrict's `key "a" already set in map`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { yamlToJson, YamlError } from '../../../src/api/codec/yaml.js';

const scalarCases: { text: string; want: unknown }[] = [
  { text: 'yes', want: true },
  { text: 'On', want: true },
  { text: 'n', want: false },
  { text: 'off', want: false },
  { text: '017', want: 15 },
  { text: '0o17', want: '0o17' },
  { text: '~', want: null },
  { text: '2001-12-14', want: '2001-12-14' },
];
for (const c of scalarCases) {
  test(`YAML 1.1 (go-yaml v2): a: ${c.text} -> ${JSON.stringify(c.want)}`, () => assert.deepEqual(yamlToJson(`a: ${c.text}\n`).value, { a: c.want }));
}

test('<< merge keys merge, explicit keys win', () => {
  assert.deepEqual(yamlToJson('base: &b {p: 1, q: 1}\nm:\n  <<: *b\n  q: 2\n').value, { base: { p: 1, q: 1 }, m: { p: 1, q: 2 } });
});

test('a key that YAML 1.1 reads as a bool (y, on) becomes "true", as sigs.k8s.io/yaml stringifies bool keys', () => {
  assert.deepEqual(yamlToJson('y: 1\noff: 2\n').value, { true: 1, false: 2 });
});

test('only the first document of a stream counts, whatever follows it', () => {
  assert.deepEqual(yamlToJson('a: 1\n---\n[: broken\n').value, { a: 1 });
});

test('a repeated key keeps the last value and is YAMLToJSONStrict\'s error, with go-yaml\'s line', () => {
  const { value, duplicates } = yamlToJson('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n');
  assert.deepEqual(value, { a: 3, b: { c: 2 } });
  assert.equal(duplicates, 'error converting YAML to JSON: yaml: unmarshal errors:\n  line 5: key "a" already set in map\n  line 4: key "c" already set in map');
});

test('nesting beyond what the parser takes is a YamlError (a 400), never a crash', () => {
  assert.throws(() => yamlToJson(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`), YamlError);
});
