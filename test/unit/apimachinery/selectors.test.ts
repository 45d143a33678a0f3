// Label and field selectors: kube's case tables (staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go and
// fields/selector_test.go) and kube's error messages, word for word, as the list handler's 400 carries them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkFieldLabels, escapeFieldValue, FieldSelectorError, matchesFields, parseFieldSelector, requiresExactMatch, unescapeFieldValue } from '../../../src/apimachinery/fields.js';
import { labelSelectorString, LabelSelectorError, matchesLabels, parseLabelSelector } from '../../../src/apimachinery/labels.js';

describe('labels.Parse', () => {
  // TestSelectorParse: good strings restring to themselves without spaces.
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    test(`parses ${JSON.stringify(s)}`, () => {
      assert.equal(labelSelectorString(parseLabelSelector(s)), s.replace(/ /g, ''));
    });
  }
  for (const s of ['x=a||y=b', 'x==a==b', '!x=a', 'x<a']) {
    test(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseLabelSelector(s), LabelSelectorError));
  }

  test('is deterministic (sorted by key)', () => {
    assert.equal(labelSelectorString(parseLabelSelector('x=a,a=x')), labelSelectorString(parseLabelSelector('a=x,x=a')));
  });

  // TestSetSelectorParser
  const sets: { in: string; out?: string; valid: boolean }[] = [
    { in: '', out: '', valid: true },
    { in: '\rx', out: 'x', valid: true },
    { in: 'this-is-a-dns.domain.com/key-with-dash', out: 'this-is-a-dns.domain.com/key-with-dash', valid: true },
    { in: 'this-is-another-dns.domain.com/key-with-dash in (so,what)', out: 'this-is-another-dns.domain.com/key-with-dash in (so,what)', valid: true },
    { in: '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', out: '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)', valid: true },
    { in: 'foo  in\t (abc)', out: 'foo in (abc)', valid: true },
    { in: 'x notin\n (abc)', out: 'x notin (abc)', valid: true },
    { in: 'x  notin\t\t\t(abc,def)', out: 'x notin (abc,def)', valid: true },
    { in: 'x in (abc,def)', out: 'x in (abc,def)', valid: true },
    { in: 'x in (abc,)', out: 'x in (,abc)', valid: true },
    { in: 'x in ()', out: 'x in ()', valid: true },
    { in: 'x notin (abc,def),bar,z in (),w', out: 'bar,w,x notin (abc,def),z in ()', valid: true },
    { in: 'x,y in (a)', out: 'x,y in (a)', valid: true },
    { in: 'x=a', out: 'x=a', valid: true },
    { in: 'x>1', out: 'x>1', valid: true },
    { in: 'x<7', out: 'x<7', valid: true },
    { in: 'x=a,y!=b', out: 'x=a,y!=b', valid: true },
    { in: 'x=a,y!=b,z in (h,i,j)', out: 'x=a,y!=b,z in (h,i,j)', valid: true },
    { in: 'x=a||y=b', valid: false },
    { in: 'x,y', out: 'x,y', valid: true },
    { in: ',x,y', valid: false },
    { in: 'x nott in (y)', valid: false },
    { in: 'x notin ( )', out: 'x notin ()', valid: true },
    { in: 'x notin (, a)', out: 'x notin (,a)', valid: true },
    { in: 'a in (xyz),', valid: false },
    { in: 'a in (xyz)b notin ()', valid: false },
    { in: 'a ', out: 'a', valid: true },
    { in: 'a in (x,y,notin, z,in)', out: 'a in (in,notin,x,y,z)', valid: true },
    { in: 'a in (xyz abc)', valid: false },
    { in: 'a notin(', valid: false },
    { in: 'a (', valid: false },
    { in: '(', valid: false },
  ];
  for (const c of sets) {
    test(`set-based ${JSON.stringify(c.in)}`, () => {
      if (!c.valid) return assert.throws(() => parseLabelSelector(c.in), LabelSelectorError);
      assert.equal(labelSelectorString(parseLabelSelector(c.in)), c.out);
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
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
    test(`parses ${JSON.stringify(s)}`, () => assert.doesNotThrow(() => parseFieldSelector(s)));
  }
  for (const s of ['x=a||y=b', 'x==a==b', 'x=a,b', 'x in (a)', 'x in (a,b,c)', 'x']) {
    test(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseFieldSelector(s), FieldSelectorError));
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
