// The request-body JSON reader against Go's encoding/json scanner (golang/go src/encoding/json/scanner.go):
// its syntax error texts, maxNestingDepth 10000, and repeated keys kept in document order for the strict decoder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonSyntaxError, MAX_NESTING_DEPTH, readJson } from '../../../src/apimachinery/json-reader.js';

const syntaxCases: { name: string; text: string | Buffer; want: string }[] = [
  { name: 'empty body', text: '', want: 'unexpected end of JSON input' },
  { name: 'truncated object', text: '{"a":1', want: 'unexpected end of JSON input' },
  { name: 'trailing comma in an object', text: '{"a":1,}', want: "invalid character '}' looking for beginning of object key string" },
  { name: 'trailing comma in an array', text: '[1,]', want: "invalid character ']' looking for beginning of value" },
  { name: 'missing comma in an array', text: '[1 2]', want: "invalid character '2' after array element" },
  { name: 'missing comma in an object', text: '{"a":1 "b":2}', want: 'invalid character \'"\' after object key:value pair' },
  { name: 'missing colon', text: '{"a" 1}', want: "invalid character '1' after object key" },
  { name: 'control character in a string', text: '"a\u0001"', want: "invalid character '\\x01' in string literal" },
  { name: 'bad escape', text: '"\\q"', want: "invalid character 'q' in string escape code" },
  { name: 'bad \\u escape', text: '"\\u00zz"', want: "invalid character 'z' in \\u hexadecimal character escape" },
  { name: 'cut literal', text: 'nul', want: "invalid character ' ' in literal null (expecting 'l')" },
  { name: 'wrong literal', text: 'trve', want: "invalid character 'v' in literal true (expecting 'u')" },
  { name: 'cut exponent', text: '1.5e', want: "invalid character ' ' in exponent of numeric literal" },
  { name: 'leading zero', text: '01', want: "invalid character '1' after top-level value" },
  { name: 'a second value', text: '{"a":1}}', want: "invalid character '}' after top-level value" },
  { name: 'a single quote', text: "'a'", want: "invalid character '\\'' looking for beginning of value" },
  { name: 'a latin-1 byte', text: Buffer.from([0xff]), want: "invalid character 'ÿ' looking for beginning of value" },
  { name: 'a C1 control byte', text: Buffer.from([0x85]), want: "invalid character '\\u0085' looking for beginning of value" },
  { name: 'depth 10001 (objects)', text: `${'{"a":'.repeat(10001)}1${'}'.repeat(10001)}`, want: "invalid character '{' exceeded max depth" },
  { name: 'depth 10001 (arrays)', text: `${'['.repeat(10001)}${']'.repeat(10001)}`, want: "invalid character '[' exceeded max depth" },
];

for (const c of syntaxCases) {
  test(`Go's scanner error: ${c.name}`, () => {
    assert.throws(() => readJson(c.text), (err: unknown) => err instanceof JsonSyntaxError && err.message === c.want);
  });
}

test(`maxNestingDepth: ${MAX_NESTING_DEPTH} levels read, with no recursion`, () => {
  const doc = readJson(`${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}`);
  let depth = 0;
  for (let v: unknown = doc.value; Array.isArray(v); v = v[0]) depth++;
  assert.equal(depth, MAX_NESTING_DEPTH);
});

test('values read as JSON.parse reads them; unpaired surrogates become U+FFFD as in Go', () => {
  const text = '{"s":"a\\u00e9\\ud800","n":-1.5e3,"t":true,"f":false,"z":null,"a":[1,"x",{}],"u":"日本"}';
  const { value, hasRepeats } = readJson(text);
  assert.deepEqual(value, { s: 'aé\ufffd', n: -1500, t: true, f: false, z: null, a: [1, 'x', {}], u: '日本' });
  assert.equal(hasRepeats, false);
});

test('a "__proto__" key is data, not a prototype', () => {
  const { value } = readJson('{"__proto__":{"polluted":true}}');
  assert.ok(Object.hasOwn(value as object, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
});

test('repeated keys: the value keeps the last, entriesOf keeps every entry in order', () => {
  const doc = readJson('{"a":1,"b":{"c":1,"c":2},"a":3}');
  assert.equal(doc.hasRepeats, true);
  const value = doc.value as { a: number; b: Record<string, unknown> };
  assert.deepEqual(value, { a: 3, b: { c: 2 } });
  assert.deepEqual(doc.entriesOf(value as unknown as Record<string, unknown>), [['a', 1], ['b', { c: 2 }], ['a', 3]]);
  assert.deepEqual(doc.entriesOf(value.b), [['c', 1], ['c', 2]]);
});

test('invalid UTF-8 in a string: one U+FFFD per byte that starts no valid sequence, as Go\'s unquote (utf8.DecodeRune) reads it', () => {
  const cases: { name: string; bytes: number[]; want: string }[] = [
    { name: 'a cut 3-byte sequence (TextDecoder would give one U+FFFD)', bytes: [0xe2, 0x82, 0x41], want: '\ufffd\ufffdA' },
    { name: 'a cut 4-byte sequence', bytes: [0xf0, 0x9f, 0x98, 0x41], want: '\ufffd\ufffd\ufffdA' },
    { name: 'an encoded surrogate', bytes: [0xed, 0xa0, 0x80], want: '\ufffd\ufffd\ufffd' },
    { name: 'an overlong NUL', bytes: [0xc0, 0x80], want: '\ufffd\ufffd' },
    { name: 'a lone continuation byte between valid text', bytes: [0x61, 0x80, 0xc3, 0xa9], want: 'a\ufffdé' },
    { name: 'past U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80], want: '\ufffd\ufffd\ufffd\ufffd' },
  ];
  for (const c of cases) {
    const { value } = readJson(Buffer.from([0x22, ...c.bytes, 0x22]));
    assert.equal(value, c.want, c.name);
  }
});

test('entriesOf keeps document order for keys JavaScript objects list first (array indices), as Go reports them', () => {
  const doc = readJson('{"b":1,"10":2,"a":3,"0":4}');
  assert.deepEqual(doc.entriesOf(doc.value as Record<string, unknown>).map(([k]) => k), ['b', '10', 'a', '0']);
});
