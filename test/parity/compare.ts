// Compares a recorded snapshot with what the mock answered now: every difference with its path
// (`requests[0].json.status.user.groups[1]`), including the key order of objects, which kube's clients
// never rely on but which is part of what we claim to match (Status bodies, for one).
import { canonicalJson } from './normalize.js';
import type { Snapshot } from './run.js';
import type { JsonValue } from './scenario.js';

/** One difference between the snapshot (expected, kube-apiserver) and the mock (actual). */
export interface Difference {
  path: string;
  expected: JsonValue | undefined;
  actual: JsonValue | undefined;
  /** What kind: a value, a key order, the order of a named list, or a scenario edited since its snapshot was recorded (never excusable). */
  kind: 'value' | 'key-order' | 'order' | 'scenario-changed';
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The names of a list whose elements are all objects with a distinct string `name`, else undefined. */
function namesOf(list: JsonValue[]): string[] | undefined {
  const names = list.map((i) => (isObject(i) && typeof i.name === 'string' ? i.name : undefined));
  if (names.length === 0 || names.some((n) => n === undefined)) return undefined;
  return new Set(names).size === names.length ? (names as string[]) : undefined;
}

function diffJson(expected: JsonValue | undefined, actual: JsonValue | undefined, path: string, out: Difference[]): void {
  if (isObject(expected) && isObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) diffJson(expected[k], actual[k], `${path}.${k}`, out);
    const common = (o: { [key: string]: JsonValue }, other: { [key: string]: JsonValue }) => Object.keys(o).filter((k) => k in other);
    const e = common(expected, actual);
    const a = common(actual, expected);
    if (e.join('\u0000') !== a.join('\u0000')) out.push({ path, expected: e, actual: a, kind: 'key-order' });
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const e = namesOf(expected);
    const a = namesOf(actual);
    if (e !== undefined && a !== undefined) {
      // Lists of named things (discovery's resources and groups): matched by name, so that one missing entry is
      // one difference, not a shift of every entry after it; their order is compared on its own.
      for (const name of new Set([...e, ...a])) diffJson(expected[e.indexOf(name)], actual[a.indexOf(name)], `${path}[name=${name}]`, out);
      const ce = e.filter((n) => a.includes(n));
      const ca = a.filter((n) => e.includes(n));
      if (ce.join('\u0000') !== ca.join('\u0000')) out.push({ path, expected: ce, actual: ca, kind: 'order' });
      return;
    }
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) diffJson(expected[i], actual[i], `${path}[${i}]`, out);
    return;
  }
  if (expected === undefined && actual === undefined) return;
  if (expected === undefined || actual === undefined || canonicalJson(expected) !== canonicalJson(actual)) {
    out.push({ path, expected, actual, kind: 'value' });
  }
}

/** Every difference between the snapshot and the mock's run of the same scenario. */
export function compareSnapshots(expected: Snapshot, actual: Snapshot): Difference[] {
  const out: Difference[] = [];
  // A scenario moved to another set-up variant must be recorded again, like an edited request.
  if ((expected.variant ?? 'default') !== (actual.variant ?? 'default')) {
    out.push({ path: 'variant', expected: expected.variant ?? 'default', actual: actual.variant ?? 'default', kind: 'scenario-changed' });
  }
  const n = Math.max(expected.requests.length, actual.requests.length);
  for (let i = 0; i < n; i++) {
    const e = expected.requests[i];
    const a = actual.requests[i];
    const at = `requests[${i}]`;
    if (e === undefined || a === undefined || canonicalJson(e.request as unknown as JsonValue) !== canonicalJson(a.request as unknown as JsonValue)) {
      out.push({ path: `${at}.request`, expected: (e?.request as unknown as JsonValue) ?? undefined, actual: (a?.request as unknown as JsonValue) ?? undefined, kind: 'scenario-changed' });
      continue;
    }
    diffJson(e.response as unknown as JsonValue, a.response as unknown as JsonValue, at, out);
  }
  return out;
}

/** A difference in one line, for test failures and the parity report. */
export function describeDifference(d: Difference): string {
  const show = (v: JsonValue | undefined) => {
    const s = v === undefined ? '(absent)' : JSON.stringify(v);
    return s.length > 300 ? `${s.slice(0, 300)}...` : s;
  };
  if (d.kind === 'scenario-changed') return `${d.path}: the scenario's request changed since the snapshot was recorded (re-record it): snapshot ${show(d.expected)}, scenario ${show(d.actual)}`;
  if (d.kind === 'order') return `${d.path}: order: kube ${show(d.expected)}, mock ${show(d.actual)}`;
  if (d.kind === 'key-order') return `${d.path}: key order: kube ${show(d.expected)}, mock ${show(d.actual)}`;
  return `${d.path}: kube ${show(d.expected)}, mock ${show(d.actual)}`;
}
