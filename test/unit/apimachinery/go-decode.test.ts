// The strict decoder against sigs.k8s.io/json's decode.go and kubernetes_patch.go: UnmarshalTypeError texts (the
// innermost struct, the JSON field stack), strict errors with their full path (`unknown field "a.b"`,
// `duplicate field "a[0].b"`), each once and at most 100, and Go's decoding into the same field for repeats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStrict, decodeValue, goInt, goPtr, goSlice, goString, goStringMap, goStrings, goStruct, kindSchema } from '../../../src/apimachinery/go-decode.js';
import { readJson } from '../../../src/apimachinery/json-reader.js';

const ITEM = goStruct('Item', 'v1', { name: goString(), tags: goStringMap, count: goInt('int32') });
const THING = kindSchema('Thing', { spec: goStruct('ThingSpec', 'v1', { items: goSlice(ITEM), names: goStrings(), free: { t: 'any' }, data: { t: 'map', of: { t: 'bytes' }, go: 'map[string][]uint8' } }) });

const decode = (text: string) => decodeStrict(readJson(text), THING);

const typeCases = [
  { name: 'a number for a string in a slice of structs', body: '{"spec":{"items":[{"name":5}]}}', want: 'json: cannot unmarshal number into Go struct field Item.spec.items.name of type string' },
  { name: 'a string for a slice', body: '{"spec":{"names":"a"}}', want: 'json: cannot unmarshal string into Go struct field ThingSpec.spec.names of type []string' },
  { name: 'an array for a struct', body: '{"spec":[]}', want: 'json: cannot unmarshal array into Go struct field Thing.spec of type v1.ThingSpec' },
  { name: 'a bool for a map value', body: '{"spec":{"items":[{"tags":{"a":true}}]}}', want: 'json: cannot unmarshal bool into Go struct field Item.spec.items.tags of type string' },
  { name: 'a fraction for an int', body: '{"spec":{"items":[{"count":1.5}]}}', want: 'json: cannot unmarshal number 1.5 into Go struct field Item.spec.items.count of type int32' },
  { name: 'bad base64 in a []byte', body: '{"spec":{"data":{"k":"a$"}}}', want: 'illegal base64 data at input byte 1' },
  { name: 'the first error wins', body: '{"spec":{"names":[1],"items":[{"name":2}]}}', want: 'json: cannot unmarshal number into Go struct field ThingSpec.spec.names of type string' },
];
for (const c of typeCases) {
  test(`type error: ${c.name}`, () => assert.equal(decode(c.body).typeError, c.want));
}

test('null leaves strings alone and clears the rest, as Go does', () => {
  const { value, typeError } = decode('{"spec":{"items":[{"name":"a","name":null}],"names":null,"free":null}}');
  assert.equal(typeError, undefined);
  assert.deepEqual(value, { spec: { items: [{ name: 'a' }] } });
});

test('strict errors carry the full path: keys joined by dots, indices in brackets', () => {
  const { strict, value } = decode('{"kind":"Thing","x":1,"spec":{"y":{"deep":1},"items":[{"name":"a"},{"name":"b","z":2,"name":"c"}],"free":{"q":{"r":1,"r":2}}}}');
  assert.deepEqual(strict, ['unknown field "x"', 'unknown field "spec.y"', 'unknown field "spec.items[1].z"', 'duplicate field "spec.items[1].name"', 'duplicate field "spec.free.q.r"']);
  assert.deepEqual(value, { kind: 'Thing', spec: { items: [{ name: 'a' }, { name: 'c' }], free: { q: { r: 2 } } } });
});

test('a repeated struct or map field decodes into the same value (merging); anything else is replaced', () => {
  const { value, strict } = decode('{"metadata":{"name":"a"},"metadata":{"labels":{"x":"1"}},"metadata":{"labels":{"y":"2"}},"spec":{"names":["a"],"names":["b"]}}');
  assert.deepEqual(value, { metadata: { name: 'a', labels: { x: '1', y: '2' } }, spec: { names: ['b'] } });
  assert.deepEqual(strict, ['duplicate field "metadata"', 'duplicate field "spec.names"']);
});

test('unknown fields are skipped unread: repeats inside them are not reported', () => {
  assert.deepEqual(decode('{"nope":{"a":1,"a":2}}').strict, ['unknown field "nope"']);
});

test('each strict error once, at most 100', () => {
  const fields = Array.from({ length: 150 }, (_, i) => `"f${i}":1,"f${i}":1`).join(',');
  const { strict } = decode(`{${fields},"f0":2}`);
  assert.equal(strict.length, 100);
  assert.equal(new Set(strict).size, 100);
  assert.equal(strict[0], 'unknown field "f0"');
});

test('struct fields come out in the Go type\'s order, as kube encodes them', () => {
  assert.deepEqual(Object.keys(decode('{"spec":{"names":[]},"metadata":{},"apiVersion":"v1","kind":"Thing"}').value), ['kind', 'apiVersion', 'metadata', 'spec']);
});

test('free-form values 10000 levels deep are walked without recursion', () => {
  const deep = `${'{"a":'.repeat(9990)}{"b":1,"b":2}${'}'.repeat(9990)}`;
  const { strict } = decode(`{"spec":{"free":${deep}}}`);
  assert.equal(strict.length, 1);
  assert.ok(strict[0]!.startsWith('duplicate field "spec.free.a.a.'));
  assert.ok(strict[0]!.endsWith('.a.b"'));
});

test('a top-level slice reports element type errors without a struct (handlers.jsonPatchOp)', () => {
  const ops = { t: 'slice', of: goStruct('jsonPatchOp', 'handlers', { op: goString() }), go: '[]handlers.jsonPatchOp' } as const;
  assert.equal(decodeValue(readJson('[1]'), ops).typeError, 'json: cannot unmarshal number into Go value of type handlers.jsonPatchOp');
  assert.equal(decodeValue(readJson('[{"op":1}]'), ops).typeError, 'json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string');
  assert.deepEqual(decodeValue(readJson('[{"op":"add","x":1}]'), ops).strict, ['unknown field "[0].x"']);
});

test('decode.go array(): a repeated slice decodes into the elements already there, then truncates', () => {
  const cases: { name: string; body: string; want: unknown }[] = [
    { name: 'a struct element merges (a rule keeps its resourceNames)', body: '{"spec":{"items":[{"name":"a","tags":{"x":"1"}}],"items":[{"tags":{"y":"2"}}]}}', want: { items: [{ name: 'a', tags: { x: '1', y: '2' } }] } },
    { name: 'a null element leaves a string as it is; the slice is cut to the new length', body: '{"spec":{"names":["a","b"],"names":[null]}}', want: { names: ['a'] } },
    { name: 'elements past the length stay in the backing array and are decoded into again', body: '{"spec":{"names":["a","b","c"],"names":["x"],"names":[null,null,null]}}', want: { names: ['x', 'b', 'c'] } },
    { name: 'an empty array is a new, empty slice', body: '{"spec":{"names":["a"],"names":[],"names":[null]}}', want: { names: [''] } },
    { name: 'a null struct element leaves the element as it is', body: '{"spec":{"items":[{"name":"a"}],"items":[null]}}', want: { items: [{ name: 'a' }] } },
  ];
  for (const c of cases) {
    const { value, typeError } = decode(c.body);
    assert.equal(typeError, undefined, c.name);
    assert.deepEqual(value.spec, c.want, c.name);
  }
});

test('literalStore: null leaves a struct value as it is and makes a pointer nil', () => {
  const schema = kindSchema('Holder', { value: goStruct('Inner', 'v1', { name: goString() }), pointer: goPtr(goStruct('Inner', 'v1', { name: goString() })) });
  const { value } = decodeStrict(readJson('{"value":{"name":"a"},"value":null,"pointer":{"name":"b"},"pointer":null}'), schema);
  assert.deepEqual(value, { value: { name: 'a' } });
});

test('literalStore: an int field takes the literal as strconv.ParseInt does, not its float value', () => {
  const cases: { text: string; want: string | undefined }[] = [
    { text: '1.0', want: 'json: cannot unmarshal number 1.0 into Go struct field Item.spec.items.count of type int32' },
    { text: '1e2', want: 'json: cannot unmarshal number 1e2 into Go struct field Item.spec.items.count of type int32' },
    { text: '-0', want: undefined },
    { text: '2147483647', want: undefined },
    { text: '2147483648', want: 'json: cannot unmarshal number 2147483648 into Go struct field Item.spec.items.count of type int32' },
  ];
  for (const c of cases) assert.equal(decode(`{"spec":{"items":[{"count":${c.text}}]}}`).typeError, c.want, c.text);
  const meta = (text: string) => decodeStrict(readJson(`{"metadata":{"generation":${text}}}`), THING).typeError;
  assert.equal(meta('9007199254740993'), undefined, 'int64 past 2^53');
  assert.equal(meta('9223372036854775808'), 'json: cannot unmarshal number 9223372036854775808 into Go struct field ObjectMeta.metadata.generation of type int64');
});

test('strict errors in document order, array-index keys included (JavaScript would list "0" first)', () => {
  assert.deepEqual(decode('{"b":1,"0":1}').strict, ['unknown field "b"', 'unknown field "0"']);
});

test('metav1.FieldsV1 keeps its JSON unread (its UnmarshalJSON copies the bytes): no strict errors inside fieldsV1', () => {
  const { strict, value } = decode('{"metadata":{"managedFields":[{"manager":"m","fieldsV1":{"f:data":{"f:a":{},"f:a":{}}}}]}}');
  assert.deepEqual(strict, []);
  assert.deepEqual(value.metadata, { managedFields: [{ manager: 'm', fieldsV1: { 'f:data': { 'f:a': {} } } }] });
});
