// Times in the words a person reads at a glance: "expires in 59 minutes", "expired 3 days ago". Rounded down, so a
// token minted for an hour reads "expires in 59 minutes" a moment later, never "in 1 hour" when it has less left.

const UNITS: readonly [ms: number, name: string][] = [
  [365 * 24 * 3600_000, 'year'],
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** A positive duration as "59 minutes", "3 days", "1 year": the largest unit of which at least two fit, else one. */
export function durationWords(ms: number): string {
  const abs = Math.abs(ms);
  for (const [size, name] of UNITS) {
    // Two of a unit before using it ("90 minutes", not "1 hour"), except seconds, the last resort.
    if (abs >= 2 * size || size === 1000) {
      const n = Math.floor(abs / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}

/** "in 59 minutes" or "3 days ago", relative to now. */
export function relativeWords(at: Date, now: Date): string {
  const diff = at.getTime() - now.getTime();
  return diff >= 0 ? `in ${durationWords(diff)}` : `${durationWords(-diff)} ago`;
}

/** Where now stands in a validity window. */
export type ValidityState = 'valid' | 'expired' | 'not-yet-valid';

/** A validity window read against now, and said in words. */
export interface Validity {
  state: ValidityState;
  notBefore: string;
  notAfter: string;
  /** "valid, expires in 364 days", "expired 3 days ago (2026-01-01T00:00:00Z)", "not valid until 2026-...Z (in 2 hours)". */
  words: string;
}

/** RFC 3339 in UTC, without milliseconds when there are none. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/** A [notBefore, notAfter] window (either may be absent: a JWT without nbf or exp) against now. */
export function validity(notBefore: Date | undefined, notAfter: Date | undefined, now: Date): Validity {
  const nb = notBefore === undefined ? '' : rfc3339(notBefore);
  const na = notAfter === undefined ? '' : rfc3339(notAfter);
  if (notBefore !== undefined && now.getTime() < notBefore.getTime()) {
    return { state: 'not-yet-valid', notBefore: nb, notAfter: na, words: `not valid until ${nb} (${relativeWords(notBefore, now)})` };
  }
  if (notAfter !== undefined && now.getTime() > notAfter.getTime()) {
    return { state: 'expired', notBefore: nb, notAfter: na, words: `expired ${relativeWords(notAfter, now)} (${na})` };
  }
  return { state: 'valid', notBefore: nb, notAfter: na, words: notAfter === undefined ? 'valid, never expires' : `valid, expires ${relativeWords(notAfter, now)} (${na})` };
}
