// Field selectors: kube's grammar, escaping, error messages and matching.
// Sources: staging/src/k8s.io/apimachinery/pkg/fields/selector.go (ParseSelector, splitTerms, splitTerm,
// UnescapeValue, InvalidEscapeSequence, UnescapedRune) and runtime/scheme.go with
// apis/meta/v1/conversion.go (DefaultMetaV1FieldSelectorConversion) for the field labels a kind accepts.
import { compareGoStrings } from './validation.js';

/** One term: field=value, field==value or field!=value. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

/** A selector that does not parse, or names a field the kind does not support; kube's message. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

// splitTerms: commas split terms unless escaped by a backslash; the backslashes stay for UnescapeValue.
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

// splitTerm: the first position where "!=", "==" or "=" starts splits the term, tried in that order.
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue, with kube's errors (an unescaped rune is printed as its number, as %v prints a rune). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue. */
export function escapeFieldValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

/** fields.ParseSelector: the terms in sorted order, or a FieldSelectorError with kube's message. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const parts = splitTerms(selector).sort(compareGoStrings);
  const terms: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (term === undefined) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ ...term, value: unescapeFieldValue(term.value) });
  }
  return terms;
}

/** The field labels kube accepts for a kind with no conversion function of its own. */
export const DEFAULT_FIELD_LABELS: readonly string[] = ['metadata.name', 'metadata.namespace'];

/**
 * The field label conversion the list and watch handlers run on every term (Selector.Transform with
 * ConvertFieldLabel): a kind with its own conversion function rejects others with "field label not supported",
 * the rest with DefaultMetaV1FieldSelectorConversion's message.
 */
export function checkFieldLabels(terms: readonly FieldRequirement[], registered: readonly string[] | undefined): void {
  for (const t of terms) {
    if (registered !== undefined) {
      if (!registered.includes(t.field)) throw new FieldSelectorError(`field label not supported: ${t.field}`);
    } else if (!DEFAULT_FIELD_LABELS.includes(t.field)) {
      throw new FieldSelectorError(`${JSON.stringify(t.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
  }
}

/** hasTerm and notHasTerm: a missing field reads as "". */
export function matchesFields(terms: readonly FieldRequirement[], fields: Readonly<Record<string, string>>): boolean {
  for (const t of terms) {
    const value = Object.prototype.hasOwnProperty.call(fields, t.field) ? fields[t.field]! : '';
    if (t.operator === '!=' ? value === t.value : value !== t.value) return false;
  }
  return true;
}

/** Selector.RequiresExactMatch: the value of the first "=" or "==" term on the field. */
export function requiresExactMatch(terms: readonly FieldRequirement[], field: string): string | undefined {
  for (const t of terms) if (t.field === field && t.operator !== '!=') return t.value;
  return undefined;
}
