// JSON request bodies read as Go's encoding/json reads them, without recursion: the scanner is a port of
// golang/go src/encoding/json/scanner.go (its states, its error texts, maxNestingDepth 10000), so syntax errors
// and "exceeded max depth" read exactly as kube-apiserver's decoder reports them, and a body of any depth costs
// no stack. Objects that repeat a key keep every entry in document order (entriesOf), for the strict decoder's
// `duplicate field` errors (sigs.k8s.io/json) and Go's decode-into-the-same-field semantics.

/** Go's maxNestingDepth (encoding/json/scanner.go), which sigs.k8s.io/json keeps. */
export const MAX_NESTING_DEPTH = 10000;

/** A JSON document as read: the value (the last of repeated keys wins, as in JSON.parse) and every entry of objects that repeat a key. */
export interface JsonDocument {
  value: unknown;
  /** Whether some object repeats a key (or has entries kept apart for their order: array-index keys). */
  hasRepeats: boolean;
  /** The entries of an object in document order, repeated keys included. */
  entriesOf(obj: Record<string, unknown>): [string, unknown][];
  /**
   * The literal text of a number under this key (or array index) when it is not a plain integer JavaScript holds
   * exactly (1.0, 1e2, 2^53+1): Go decodes the text into an int64 field, not the float. For a repeated key, the first.
   */
  numberText(container: object, key: string): string | undefined;
}

/** A Go SyntaxError: its message and the byte offset it was found after. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

// scanner.go's opcodes.
const enum Op {
  Continue,
  BeginLiteral,
  BeginObject,
  ObjectKey,
  ObjectValue,
  EndObject,
  BeginArray,
  ArrayValue,
  EndArray,
  SkipSpace,
  End,
  Error,
}

const enum Parse {
  ObjectKey,
  ObjectValue,
  ArrayValue,
}

type Step = (s: Scanner, c: number) => Op;

interface Scanner {
  step: Step;
  endTop: boolean;
  parseState: Parse[];
  err: JsonSyntaxError | undefined;
  bytes: number;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

// quoteChar: a byte as Go's %q of string(c) prints it between single quotes.
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const ch = String.fromCharCode(c);
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  if (named[c] !== undefined) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // string(byte) in Go is the rune U+00XX; strconv.Quote prints the printable ones as they are.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${ch}'`;
}

function fail(s: Scanner, c: number, context: string): Op {
  s.step = stateError;
  s.err = new JsonSyntaxError(`invalid character ${quoteChar(c)} ${context}`, s.bytes);
  return Op.Error;
}

function pushParseState(s: Scanner, c: number, state: Parse, success: Op): Op {
  s.parseState.push(state);
  if (s.parseState.length <= MAX_NESTING_DEPTH) return success;
  return fail(s, c, 'exceeded max depth');
}

function popParseState(s: Scanner): void {
  s.parseState.pop();
  if (s.parseState.length === 0) {
    s.step = stateEndTop;
    s.endTop = true;
  } else {
    s.step = stateEndValue;
  }
}

const stateError: Step = () => Op.Error;

function stateBeginValueOrEmpty(s: Scanner, c: number): Op {
  if (isSpace(c)) return Op.SkipSpace;
  if (c === 0x5d) return stateEndValue(s, c);
  return stateBeginValue(s, c);
}

function stateBeginValue(s: Scanner, c: number): Op {
  if (isSpace(c)) return Op.SkipSpace;
  switch (c) {
    case 0x7b:
      s.step = stateBeginStringOrEmpty;
      return pushParseState(s, c, Parse.ObjectKey, Op.BeginObject);
    case 0x5b:
      s.step = stateBeginValueOrEmpty;
      return pushParseState(s, c, Parse.ArrayValue, Op.BeginArray);
    case 0x22:
      s.step = stateInString;
      return Op.BeginLiteral;
    case 0x2d:
      s.step = stateNeg;
      return Op.BeginLiteral;
    case 0x30:
      s.step = state0;
      return Op.BeginLiteral;
    case 0x74:
      s.step = literalState('true', 1);
      return Op.BeginLiteral;
    case 0x66:
      s.step = literalState('false', 1);
      return Op.BeginLiteral;
    case 0x6e:
      s.step = literalState('null', 1);
      return Op.BeginLiteral;
  }
  if (c >= 0x31 && c <= 0x39) {
    s.step = state1;
    return Op.BeginLiteral;
  }
  return fail(s, c, 'looking for beginning of value');
}

function stateBeginStringOrEmpty(s: Scanner, c: number): Op {
  if (isSpace(c)) return Op.SkipSpace;
  if (c === 0x7d) {
    s.parseState[s.parseState.length - 1] = Parse.ObjectValue;
    return stateEndValue(s, c);
  }
  return stateBeginString(s, c);
}

function stateBeginString(s: Scanner, c: number): Op {
  if (isSpace(c)) return Op.SkipSpace;
  if (c === 0x22) {
    s.step = stateInString;
    return Op.BeginLiteral;
  }
  return fail(s, c, 'looking for beginning of object key string');
}

function stateEndValue(s: Scanner, c: number): Op {
  const n = s.parseState.length;
  if (n === 0) {
    s.step = stateEndTop;
    s.endTop = true;
    return stateEndTop(s, c);
  }
  if (isSpace(c)) {
    s.step = stateEndValue;
    return Op.SkipSpace;
  }
  switch (s.parseState[n - 1]) {
    case Parse.ObjectKey:
      if (c === 0x3a) {
        s.parseState[n - 1] = Parse.ObjectValue;
        s.step = stateBeginValue;
        return Op.ObjectKey;
      }
      return fail(s, c, 'after object key');
    case Parse.ObjectValue:
      if (c === 0x2c) {
        s.parseState[n - 1] = Parse.ObjectKey;
        s.step = stateBeginString;
        return Op.ObjectValue;
      }
      if (c === 0x7d) {
        popParseState(s);
        return Op.EndObject;
      }
      return fail(s, c, 'after object key:value pair');
    default:
      if (c === 0x2c) {
        s.step = stateBeginValue;
        return Op.ArrayValue;
      }
      if (c === 0x5d) {
        popParseState(s);
        return Op.EndArray;
      }
      return fail(s, c, 'after array element');
  }
}

function stateEndTop(s: Scanner, c: number): Op {
  if (!isSpace(c)) fail(s, c, 'after top-level value');
  return Op.End;
}

function stateInString(s: Scanner, c: number): Op {
  if (c === 0x22) {
    s.step = stateEndValue;
    return Op.Continue;
  }
  if (c === 0x5c) {
    s.step = stateInStringEsc;
    return Op.Continue;
  }
  if (c < 0x20) return fail(s, c, 'in string literal');
  return Op.Continue;
}

function stateInStringEsc(s: Scanner, c: number): Op {
  if ([0x62, 0x66, 0x6e, 0x72, 0x74, 0x5c, 0x2f, 0x22].includes(c)) {
    s.step = stateInString;
    return Op.Continue;
  }
  if (c === 0x75) {
    s.step = hexState(4);
    return Op.Continue;
  }
  return fail(s, c, 'in string escape code');
}

const HEX_STATES: Step[] = [];
function hexState(remaining: number): Step {
  return (HEX_STATES[remaining] ??= (s, c) => {
    if (!isHex(c)) return fail(s, c, 'in \\u hexadecimal character escape');
    s.step = remaining === 1 ? stateInString : hexState(remaining - 1);
    return Op.Continue;
  });
}

function stateNeg(s: Scanner, c: number): Op {
  if (c === 0x30) {
    s.step = state0;
    return Op.Continue;
  }
  if (c >= 0x31 && c <= 0x39) {
    s.step = state1;
    return Op.Continue;
  }
  return fail(s, c, 'in numeric literal');
}

function state1(s: Scanner, c: number): Op {
  if (isDigit(c)) {
    s.step = state1;
    return Op.Continue;
  }
  return state0(s, c);
}

function state0(s: Scanner, c: number): Op {
  if (c === 0x2e) {
    s.step = stateDot;
    return Op.Continue;
  }
  if (c === 0x65 || c === 0x45) {
    s.step = stateE;
    return Op.Continue;
  }
  return stateEndValue(s, c);
}

function stateDot(s: Scanner, c: number): Op {
  if (isDigit(c)) {
    s.step = stateDot0;
    return Op.Continue;
  }
  return fail(s, c, 'after decimal point in numeric literal');
}

function stateDot0(s: Scanner, c: number): Op {
  if (isDigit(c)) return Op.Continue;
  if (c === 0x65 || c === 0x45) {
    s.step = stateE;
    return Op.Continue;
  }
  return stateEndValue(s, c);
}

function stateE(s: Scanner, c: number): Op {
  if (c === 0x2b || c === 0x2d) {
    s.step = stateESign;
    return Op.Continue;
  }
  return stateESign(s, c);
}

function stateESign(s: Scanner, c: number): Op {
  if (isDigit(c)) {
    s.step = stateE0;
    return Op.Continue;
  }
  return fail(s, c, 'in exponent of numeric literal');
}

function stateE0(s: Scanner, c: number): Op {
  if (isDigit(c)) return Op.Continue;
  return stateEndValue(s, c);
}

// stateT, stateTr, ... stateNul: one state per remaining letter of the literal.
const LITERAL_STATES = new Map<string, Step>();
function literalState(word: string, at: number): Step {
  const key = `${word}${at}`;
  let step = LITERAL_STATES.get(key);
  if (step === undefined) {
    step = (s, c) => {
      if (c === word.charCodeAt(at)) {
        s.step = at === word.length - 1 ? stateEndValue : literalState(word, at + 1);
        return Op.Continue;
      }
      return fail(s, c, `in literal ${word} (expecting '${word[at]}')`);
    };
    LITERAL_STATES.set(key, step);
  }
  return step;
}

function eof(s: Scanner): Op {
  if (s.err !== undefined) return Op.Error;
  if (s.endTop) return Op.End;
  s.step(s, 0x20);
  if (s.endTop) return Op.End;
  s.err ??= new JsonSyntaxError('unexpected end of JSON input', s.bytes);
  return Op.Error;
}

// ----- values -----

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// The length of the valid UTF-8 sequence at i, or 0: utf8.DecodeRune's acceptRanges (no overlongs, surrogates or
// code points past U+10FFFF).
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * UTF-8 text as Go's unquote reads it: each byte that does not start a valid sequence is one U+FFFD
 * (utf8.DecodeRune returns RuneError, 1), where TextDecoder replaces a whole maximal subpart with one.
 */
function decodeUtf8AsGo(b: Uint8Array): string {
  try {
    return strictUtf8.decode(b);
  } catch {
    const parts: string[] = [];
    let run = 0;
    for (let i = 0; i < b.length; ) {
      const n = sequenceLength(b, i);
      if (n > 0) {
        i += n;
        continue;
      }
      parts.push(utf8.decode(b.subarray(run, i)), '\ufffd');
      run = ++i;
    }
    parts.push(utf8.decode(b.subarray(run)));
    return parts.join('');
  }
}

function literalValue(bytes: Uint8Array, start: number, end: number): unknown {
  switch (bytes[start]) {
    case 0x22: {
      // Go replaces invalid UTF-8 (byte by byte) and unpaired surrogates with U+FFFD.
      const s = JSON.parse(decodeUtf8AsGo(bytes.subarray(start, end))) as string;
      return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
    }
    case 0x74:
      return true;
    case 0x66:
      return false;
    case 0x6e:
      return null;
    default:
      return Number(utf8.decode(bytes.subarray(start, end)));
  }
}

/** A short integer literal (no fraction, no exponent, under 16 digits): its Number is exact, no text needed. */
function plainInteger(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start > 15) return false;
  for (let i = start; i < end; i++) if (bytes[i] === 0x2e || bytes[i] === 0x65 || bytes[i] === 0x45) return false;
  return true;
}

function setEntry(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** Keys a JavaScript object orders before all others (array indices, below 2^32 - 1). */
const ARRAY_INDEX = /^(0|[1-9][0-9]{0,9})$/;

interface Frame {
  container: Record<string, unknown> | unknown[];
  key: string | undefined;
  expectKey: boolean;
  entries: [string, unknown][] | undefined;
}

/**
 * Reads one JSON value as Go's json.Unmarshal checks it (checkValid): the first syntax error, with Go's
 * message, throws a JsonSyntaxError; so does nesting deeper than 10000.
 */
export function readJson(input: Uint8Array | string): JsonDocument {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const s: Scanner = { step: stateBeginValue, endTop: false, parseState: [], err: undefined, bytes: 0 };
  const stack: Frame[] = [];
  const repeated = new WeakMap<object, [string, unknown][]>();
  let root: unknown;
  let literalStart = -1;
  let hasRepeats = false;
  const numberTexts = new WeakMap<object, Map<string, string>>();
  const noteNumber = (text: string, value: number): void => {
    if (/^-?(0|[1-9][0-9]*)$/.test(text) && Number.isSafeInteger(value)) return;
    const top = stack[stack.length - 1];
    if (top === undefined) return;
    const key = Array.isArray(top.container) ? String(top.container.length) : top.key!;
    let texts = numberTexts.get(top.container);
    if (texts === undefined) numberTexts.set(top.container, (texts = new Map()));
    if (!texts.has(key)) texts.set(key, text);
  };

  const put = (value: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      root = value;
      return;
    }
    if (Array.isArray(top.container)) {
      top.container.push(value);
      return;
    }
    if (top.expectKey) {
      const key = value as string;
      top.key = key;
      // Entries are kept in document order where the object's own order differs: a repeated key, or an
      // array-index key, which JavaScript objects list first.
      if (top.entries === undefined && (Object.hasOwn(top.container, key) || ARRAY_INDEX.test(key))) top.entries = Object.entries(top.container);
      return;
    }
    top.entries?.push([top.key!, value]);
    setEntry(top.container, top.key!, value);
  };
  const endLiteral = (at: number): void => {
    if (literalStart < 0) return;
    const value = literalValue(bytes, literalStart, at);
    if (typeof value === 'number' && !plainInteger(bytes, literalStart, at)) noteNumber(utf8.decode(bytes.subarray(literalStart, at)), value);
    put(value);
    literalStart = -1;
  };
  const close = (): void => {
    const frame = stack.pop()!;
    if (frame.entries !== undefined) {
      repeated.set(frame.container, frame.entries);
      hasRepeats = true;
    }
    put(frame.container);
  };

  for (let i = 0; i < bytes.length; i++) {
    s.bytes++;
    const op = s.step(s, bytes[i]!);
    if (op === Op.Continue) continue;
    if (op === Op.Error) throw s.err!;
    endLiteral(i);
    switch (op) {
      case Op.BeginLiteral:
        literalStart = i;
        if (bytes[i] === 0x22) {
          // The plain run of a string needs no state machine: skip to its quote, escape or control byte.
          let j = i + 1;
          for (let b = bytes[j]; j < bytes.length && b !== 0x22 && b !== 0x5c && b! >= 0x20; b = bytes[++j]);
          s.bytes += j - i - 1;
          i = j - 1;
        }
        break;
      case Op.BeginObject:
        stack.push({ container: {}, key: undefined, expectKey: true, entries: undefined });
        break;
      case Op.BeginArray:
        stack.push({ container: [], key: undefined, expectKey: false, entries: undefined });
        break;
      case Op.ObjectKey:
        stack[stack.length - 1]!.expectKey = false;
        break;
      case Op.ObjectValue:
        stack[stack.length - 1]!.expectKey = true;
        break;
      case Op.EndObject:
      case Op.EndArray:
        close();
        break;
      default:
        break;
    }
  }
  if (eof(s) === Op.Error) throw s.err!;
  endLiteral(bytes.length);
  return {
    value: root,
    hasRepeats,
    entriesOf: (obj) => repeated.get(obj) ?? Object.entries(obj),
    numberText: (container, key) => numberTexts.get(container)?.get(key),
  };
}

/** A value that was not read from JSON text (protobuf, YAML) as a document: its objects repeat no key. */
export function documentOf(value: unknown): JsonDocument {
  return { value, hasRepeats: false, entriesOf: (obj) => Object.entries(obj), numberText: () => undefined };
}
