// Label selectors: kube's grammar, its error messages and its matching.
// Source: staging/src/k8s.io/apimachinery/pkg/labels/selector.go (Lexer, Parser, NewRequirement, Matches).
//
//   <selector-syntax>         ::= <requirement> | <requirement> "," <selector-syntax>
//   <requirement>             ::= [!] KEY [ <set-based-restriction> | <exact-match-restriction> ]
//   <set-based-restriction>   ::= "" | <inclusion-exclusion> <value-set>
//   <inclusion-exclusion>     ::= "in" | "notin"
//   <value-set>               ::= "(" <values> ")"
//   <exact-match-restriction> ::= ["=" | "==" | "!=" | ">" | "<"] VALUE
import { compareGoStrings, fieldInvalid, goStringSlice, isGoInt64, isQualifiedName, isValidLabelValue } from './validation.js';
import type { FieldError } from './object.js';
import { aggregateMessage } from './aggregate.js';

/** kube's selection.Operator values. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement of a parsed selector; values are sorted and unique, as kube's sets.String.List() gives them. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** A selector that does not parse; the message is kube's, word for word (the 400's message). */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const STRING_TO_TOKEN: ReadonlyMap<string, Tok> = new Map([
  [')', Tok.ClosedPar],
  [',', Tok.Comma],
  ['!', Tok.DoesNotExist],
  ['==', Tok.DoubleEquals],
  ['=', Tok.Equals],
  ['>', Tok.GreaterThan],
  ['in', Tok.In],
  ['<', Tok.LessThan],
  ['!=', Tok.NotEquals],
  ['notin', Tok.NotIn],
  ['(', Tok.OpenPar],
]);

interface Item {
  tok: Tok;
  literal: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch) && ch !== '';

// Go's lexer reads bytes and a 0 byte ends the input; '\0' plays that part here.
class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  private read(): string {
    return this.pos < this.s.length ? this.s[this.pos++]! : '\0';
  }

  private unread(): void {
    this.pos--;
  }

  private scanIDOrKeyword(): Item {
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    return { tok: STRING_TO_TOKEN.get(buffer) ?? Tok.Identifier, literal: buffer };
  }

  private scanSpecialSymbol(): Item {
    let last: Item | undefined;
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch)) {
        buffer += ch;
        const tok = STRING_TO_TOKEN.get(buffer);
        if (tok !== undefined) {
          last = { tok, literal: buffer };
        } else if (last !== undefined) {
          this.unread();
          break;
        }
      } else {
        this.unread();
        break;
      }
    }
    return last ?? { tok: Tok.Error, literal: `error expected: keyword found '${buffer}'` };
  }

  lex(): Item {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === '\0') return { tok: Tok.EndOfString, literal: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIDOrKeyword();
  }
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];


/** labels.NewRequirement's checks; the field paths are relative to a nil path, as labels.Parse leaves them. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: FieldError[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(fieldInvalid('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldInvalid('values', goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldInvalid('values', goStringSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldInvalid('values', goStringSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldInvalid('values', goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!isGoInt64(v)) errs.push(fieldInvalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(fieldInvalid(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length > 0) throw new LabelSelectorError(aggregateMessage(errs.map((e) => e.message)));
  return { key, operator, values };
}

class Parser {
  private readonly items: Item[] = [];
  private position = 0;

  constructor(selector: string) {
    const lexer = new Lexer(selector);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item.tok === Tok.EndOfString) break;
    }
  }

  // In the values context "in" and "notin" are identifiers ("x in (in)").
  private at(index: number, values: boolean): Item {
    const item = this.items[index] ?? { tok: Tok.EndOfString, literal: '' };
    if (values && (item.tok === Tok.In || item.tok === Tok.NotIn)) return { tok: Tok.Identifier, literal: item.literal };
    return item;
  }

  private lookahead(values: boolean): Item {
    return this.at(this.position, values);
  }

  private consume(values: boolean): Item {
    this.position++;
    return this.at(this.position - 1, values);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead(true);
      if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
        try {
          requirements.push(this.parseRequirement());
        } catch (err) {
          if (err instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${err.message}`);
          throw err;
        }
        const next = this.consume(true);
        if (next.tok === Tok.EndOfString) return requirements;
        if (next.tok === Tok.Comma) {
          const after = this.lookahead(true);
          if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist) {
            throw new LabelSelectorError(`found '${after.literal}', expected: identifier after ','`);
          }
        } else {
          throw new LabelSelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
        }
      } else if (tok === Tok.EndOfString) {
        return requirements;
      } else {
        throw new LabelSelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    let operator: LabelOperator | undefined;
    let { tok, literal } = this.consume(true);
    if (tok === Tok.DoesNotExist) {
      operator = '!';
      ({ tok, literal } = this.consume(true));
    }
    if (tok !== Tok.Identifier) throw new LabelSelectorError(`found '${literal}', expected: identifier`);
    const keyErrs = isQualifiedName(literal);
    // validateLabelKey(literal, p.path) with a nil path: the field prints as "<nil>".
    if (keyErrs.length > 0) throw new LabelSelectorError(fieldInvalid('<nil>', literal, keyErrs.join('; ')).message);
    const key = literal;
    const next = this.lookahead(true).tok;
    if (next === Tok.EndOfString || next === Tok.Comma) {
      if (operator !== '!') operator = 'exists';
    }
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);

    const op = this.consume(false);
    let parsed: LabelOperator;
    switch (op.tok) {
      case Tok.In:
        parsed = 'in';
        break;
      case Tok.Equals:
        parsed = '=';
        break;
      case Tok.DoubleEquals:
        parsed = '==';
        break;
      case Tok.GreaterThan:
        parsed = 'gt';
        break;
      case Tok.LessThan:
        parsed = 'lt';
        break;
      case Tok.NotIn:
        parsed = 'notin';
        break;
      case Tok.NotEquals:
        parsed = '!=';
        break;
      default:
        throw new LabelSelectorError(`found '${op.literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
    const values = parsed === 'in' || parsed === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, parsed, [...values].sort(compareGoStrings));
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== Tok.OpenPar) throw new LabelSelectorError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead(true);
    if (tok === Tok.Identifier || tok === Tok.Comma) {
      const values = this.parseIdentifiersList();
      if (this.consume(true).tok !== Tok.ClosedPar) throw new LabelSelectorError(`found '${literal}', expected: ')'`);
      return values;
    }
    if (tok === Tok.ClosedPar) {
      this.consume(true);
      return new Set(['']);
    }
    throw new LabelSelectorError(`found '${literal}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume(true);
      if (tok === Tok.Identifier) {
        values.add(literal);
        const next = this.lookahead(true);
        if (next.tok === Tok.Comma) continue;
        if (next.tok === Tok.ClosedPar) return values;
        throw new LabelSelectorError(`found '${next.literal}', expected: ',' or ')'`);
      } else if (tok === Tok.Comma) {
        if (values.size === 0) values.add('');
        const next = this.lookahead(true).tok;
        if (next === Tok.ClosedPar) {
          values.add('');
          return values;
        }
        if (next === Tok.Comma) values.add('');
      } else {
        throw new LabelSelectorError(`found '${literal}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(true).tok;
    if (next === Tok.EndOfString || next === Tok.Comma) return new Set(['']);
    const { tok, literal } = this.consume(true);
    if (tok === Tok.Identifier) return new Set([literal]);
    throw new LabelSelectorError(`found '${literal}', expected: identifier`);
  }
}

/**
 * labels.Parse: the requirements sorted by key, or a LabelSelectorError carrying kube's message.
 * The empty selector selects everything.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements = new Parser(selector).parse();
  // sort.Sort(ByKey(items)): not stable, but equal keys keep any order without changing the meaning.
  return requirements.sort((a, b) => compareGoStrings(a.key, b.key));
}

/** Requirement.Matches, for every requirement. */
export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const set = labels ?? {};
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(set, k);
  for (const r of requirements) {
    const present = has(r.key);
    const value = present ? set[r.key]! : '';
    let ok: boolean;
    switch (r.operator) {
      case 'in':
      case '=':
      case '==':
        ok = present && r.values.includes(value);
        break;
      case 'notin':
      case '!=':
        ok = !present || !r.values.includes(value);
        break;
      case 'exists':
        ok = present;
        break;
      case '!':
        ok = !present;
        break;
      case 'gt':
      case 'lt': {
        if (!present || !isGoInt64(value) || r.values.length !== 1 || !isGoInt64(r.values[0]!)) {
          ok = false;
          break;
        }
        const have = BigInt(value);
        const want = BigInt(r.values[0]!);
        ok = r.operator === 'gt' ? have > want : have < want;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}
