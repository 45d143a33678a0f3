// YAML bodies as sigs.k8s.io/yaml converts them over go-yaml v2: YAML 1.1 scalars, merge keys, the first
// document only, the last of repeated keys (and YAMLToJSONStrict's `key "a" already set in map`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { yamlToJson, YamlError } from '../../../src/apimachinery/yaml.js';

const scalarCases: { text: string; want: unknown }[] = [
  { text: 'yes', want: true },
  { text: 'On', want: true },
  { text: 'n', want: false },
  { text: 'off', want: false },
  { text: '017', want: 15 },
  // go-yaml v2 resolve.go: strconv.ParseInt(plain, 0, 64), which reads Go's 0o, 0X and 0B prefixes.
  { text: '0o17', want: 15 },
  { text: '0X1F', want: 31 },
  { text: '0B11', want: 3 },
  // Base-60 numbers are YAML 1.1 but "purposefully unsupported" by go-yaml: a time in a ConfigMap stays a string.
  { text: '12:30', want: '12:30' },
  { text: '190:20:30.15', want: '190:20:30.15' },
  // Underscores are dropped before the number is read, and yamlStyleFloat takes an exponent without a dot.
  { text: '1_0e1_0', want: 1e11 },
  { text: '1e3', want: 1000 },
  { text: '.', want: '.' },
  { text: '-.', want: '-.' },
  { text: '._5', want: '._5' },
  { text: '09', want: 9 },
  { text: '+inf', want: '+inf' },
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

test('.inf and .nan are floats json.Marshal refuses: sigs.k8s.io/yaml cannot convert them', () => {
  assert.throws(() => yamlToJson('a: .inf\n'), (err: unknown) => err instanceof YamlError && err.message === 'json: unsupported value: +Inf');
  assert.throws(() => yamlToJson('a: [-.Inf]\n'), (err: unknown) => err instanceof YamlError && err.message === 'json: unsupported value: -Inf');
  assert.throws(() => yamlToJson('a: {b: .NaN}\n'), (err: unknown) => err instanceof YamlError && err.message === 'json: unsupported value: NaN');
});
