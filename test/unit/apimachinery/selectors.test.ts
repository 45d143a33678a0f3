// Label and field selectors: kube's case tables (staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go and
// fields/selector_test.go) and kube's error messages, word for word, as the list handler's 400 carries them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkFieldLabels, escapeFieldValue, FieldSelectorError, matchesFields, parseFieldSelector, requiresExactMatch, unescapeFieldValue, type FieldRequirement } from '../../../src/apimachinery/fields.js';
import { LabelSelectorError, matchesLabels, parseLabelSelector, type LabelRequirement } from '../../../src/apimachinery/labels.js';

/** One parsed requirement: key, kube's selection.Operator, and its values (sorted, unique). */
const req = (key: string, operator: LabelRequirement['operator'], ...values: string[]): LabelRequirement => ({ key, operator, values });
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('labels.Parse', () => {
  // TestSelectorParse's good strings: the requirements each parses to, sorted by key.
  const good: [string, LabelRequirement[]][] = [
    ['x=a,y=b,z=c', [req('x', '=', 'a'), req('y', '=', 'b'), req('z', '=', 'c')]],
    ['', []],
    ['x!=a,y=b', [req('x', '!=', 'a'), req('y', '=', 'b')]],
    ['x=', [req('x', '=', '')]],
    ['x= ', [req('x', '=', '')]],
    ['x=,z= ', [req('x', '=', ''), req('z', '=', '')]],
    ['x= ,z= ', [req('x', '=', ''), req('z', '=', '')]],
    ['!x', [req('x', '!')]],
    ['x>1', [req('x', 'gt', '1')]],
    ['x>1,z<5', [req('x', 'gt', '1'), req('z', 'lt', '5')]],
  ];
  for (const [s, requirements] of good) {
    test(`parses ${JSON.stringify(s)}`, () => assert.deepEqual(parseLabelSelector(s), requirements));
  }
  // TestSelectorParse's bad strings, with the message kube answers each with.
  const bad: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_MESSAGE}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ];
  for (const [s, message] of bad) {
    test(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseLabelSelector(s), (err: Error) => err instanceof LabelSelectorError && err.message === message));
  }

  test('is deterministic (sorted by key)', () => {
    assert.deepEqual(parseLabelSelector('x=a,a=x'), [req('a', '=', 'x'), req('x', '=', 'a')]);
    assert.deepEqual(parseLabelSelector('a=x,x=a'), [req('a', '=', 'x'), req('x', '=', 'a')]);
  });

  // TestSetSelectorParser: what each string parses to, or kube's message for it.
  const sets: { in: string; out?: LabelRequirement[]; error?: string }[] = [
    { in: '', out: [] },
    { in: '\rx', out: [req('x', 'exists')] },
    { in: 'this-is-a-dns.domain.com/key-with-dash', out: [req('this-is-a-dns.domain.com/key-with-dash', 'exists')] },
    { in: 'this-is-another-dns.domain.com/key-with-dash in (so,what)', out: [req('this-is-another-dns.domain.com/key-with-dash', 'in', 'so', 'what')] },
    { in: '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', out: [req('0.1.2.domain/99', 'notin', '10.10.100.1', 'tick.tack.clock')] },
    { in: 'foo  in\t (abc)', out: [req('foo', 'in', 'abc')] },
    { in: 'x notin\n (abc)', out: [req('x', 'notin', 'abc')] },
    { in: 'x  notin\t\t\t(abc,def)', out: [req('x', 'notin', 'abc', 'def')] },
    { in: 'x in (abc,def)', out: [req('x', 'in', 'abc', 'def')] },
    { in: 'x in (abc,)', out: [req('x', 'in', '', 'abc')] },
    { in: 'x in ()', out: [req('x', 'in', '')] },
    { in: 'x notin (abc,def),bar,z in (),w', out: [req('bar', 'exists'), req('w', 'exists'), req('x', 'notin', 'abc', 'def'), req('z', 'in', '')] },
    { in: 'x,y in (a)', out: [req('x', 'exists'), req('y', 'in', 'a')] },
    { in: 'x=a', out: [req('x', '=', 'a')] },
    { in: 'x>1', out: [req('x', 'gt', '1')] },
    { in: 'x<7', out: [req('x', 'lt', '7')] },
    { in: 'x=a,y!=b', out: [req('x', '=', 'a'), req('y', '!=', 'b')] },
    { in: 'x=a,y!=b,z in (h,i,j)', out: [req('x', '=', 'a'), req('y', '!=', 'b'), req('z', 'in', 'h', 'i', 'j')] },
    { in: 'x=a||y=b', error: `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_MESSAGE}` },
    { in: 'x,y', out: [req('x', 'exists'), req('y', 'exists')] },
    { in: ',x,y', error: "found ',', expected: !, identifier, or 'end of string'" },
    { in: 'x nott in (y)', error: "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt" },
    { in: 'x notin ( )', out: [req('x', 'notin', '')] },
    { in: 'x notin (, a)', out: [req('x', 'notin', '', 'a')] },
    { in: 'a in (xyz),', error: "found '', expected: identifier after ','" },
    { in: 'a in (xyz)b notin ()', error: "found 'b', expected: ',' or 'end of string'" },
    { in: 'a ', out: [req('a', 'exists')] },
    { in: 'a in (x,y,notin, z,in)', out: [req('a', 'in', 'in', 'notin', 'x', 'y', 'z')] },
    { in: 'a in (xyz abc)', error: "unable to parse requirement: found 'abc', expected: ',' or ')'" },
    { in: 'a notin(', error: "unable to parse requirement: found '', expected: ',', ')' or identifier" },
    { in: 'a (', error: "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt" },
    { in: '(', error: "found '(', expected: !, identifier, or 'end of string'" },
  ];
  for (const c of sets) {
    test(`set-based ${JSON.stringify(c.in)}`, () => {
      if (c.error !== undefined) return assert.throws(() => parseLabelSelector(c.in), (err: Error) => err instanceof LabelSelectorError && err.message === c.error);
      assert.deepEqual(parseLabelSelector(c.in), c.out);
    });
  }

  // The 400 messages kube-apiserver answers with.
  const messages: [string, string][] = [
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['x,', "found '', expected: identifier after ','"],
    ['a in (xyz)b', "found 'b', expected: ',' or 'end of string'"],
    ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['x<a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      '-a=b',
      "unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
    [
      'a=-b',
      "unable to parse requirement: values[0][a]: Invalid value: \"-b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
    ['x=a==b', "found '==', expected: ',' or 'end of string'"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
  ];
  for (const [selector, message] of messages) {
    test(`message for ${JSON.stringify(selector)}`, () => {
      assert.throws(() => parseLabelSelector(selector), (err: Error) => err instanceof LabelSelectorError && err.message === message);
    });
  }
});

describe('labels: Matches', () => {
  // TestSelectorMatches and TestRequirementSelectorMatching
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true],
    ['!x,y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['z>1', { z: '2' }, true],
    ['z>1', { z: 'v2' }, false],
    ['x==y', { x: 'y' }, true],
  ];
  for (const [selector, labels, want] of cases) {
    test(`${JSON.stringify(selector)} on ${JSON.stringify(labels)} is ${want}`, () => {
      assert.equal(matchesLabels(parseLabelSelector(selector), labels), want);
    });
  }
});

describe('fields.ParseSelector', () => {
  // TestSelectorParse (fields/selector_test.go): what each good string parses to, sorted by term.
  const good: [string, FieldRequirement[]][] = [
    ['x=a,y=b,z=c', [{ field: 'x', operator: '=', value: 'a' }, { field: 'y', operator: '=', value: 'b' }, { field: 'z', operator: '=', value: 'c' }]],
    ['', []],
    ['x!=a,y=b', [{ field: 'x', operator: '!=', value: 'a' }, { field: 'y', operator: '=', value: 'b' }]],
    ['x=a||y\\=b', [{ field: 'x', operator: '=', value: 'a||y=b' }]],
    ['x=a\\=\\=b', [{ field: 'x', operator: '=', value: 'a==b' }]],
  ];
  for (const [s, terms] of good) {
    test(`parses ${JSON.stringify(s)}`, () => assert.deepEqual(parseFieldSelector(s), terms));
  }
  // Its bad strings, with kube's message for each.
  const bad: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x in (a,b,c)', "invalid selector: 'x in (a,b,c)'; can't understand 'b'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
  ];
  for (const [s, message] of bad) {
    test(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseFieldSelector(s), (err: Error) => err instanceof FieldSelectorError && err.message === message));
  }

  test('escaping round-trips (TestEscapeValue)', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['a', 'a'],
      ['=', '\\='],
      [',', '\\,'],
      ['\\', '\\\\'],
      ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
    ];
    for (const [raw, escaped] of cases) {
      assert.equal(escapeFieldValue(raw), escaped);
      assert.equal(unescapeFieldValue(escaped), raw);
    }
    for (const bad of ['\\', '\\\\\\', '\\a']) assert.throws(() => unescapeFieldValue(bad), /invalid escape sequence/);
  });

  const messages: [string, string][] = [
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['b=1,a', "invalid selector: 'b=1,a'; can't understand 'a'"],
    ['x=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
  ];
  for (const [selector, message] of messages) {
    test(`message for ${JSON.stringify(selector)}`, () => {
      assert.throws(() => parseFieldSelector(selector), (err: Error) => err instanceof FieldSelectorError && err.message === message);
    });
  }

  test('field labels: a kind without a conversion function, and one with', () => {
    assert.throws(() => checkFieldLabels(parseFieldSelector('spec.x=1'), undefined), { message: '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"' });
    assert.throws(() => checkFieldLabels(parseFieldSelector('metadata.namespace=a'), ['status.phase', 'metadata.name']), { message: 'field label not supported: metadata.namespace' });
    assert.doesNotThrow(() => checkFieldLabels(parseFieldSelector('metadata.name=a,metadata.namespace=b'), undefined));
  });

  test('RequiresExactMatch', () => {
    assert.equal(requiresExactMatch(parseFieldSelector('a=b,test=c'), 'test'), 'c');
    assert.equal(requiresExactMatch(parseFieldSelector('test!=c'), 'test'), undefined);
    assert.equal(requiresExactMatch(parseFieldSelector('test='), 'test'), '');
  });
});

describe('fields: Matches', () => {
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    ['missing=', fieldset, true],
    ['missing!=', fieldset, false],
  ];
  for (const [selector, fields, want] of cases) {
    test(`${JSON.stringify(selector)} is ${want}`, () => assert.equal(matchesFields(parseFieldSelector(selector), fields), want));
  }
});
