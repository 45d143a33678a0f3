// Go's time.Parse(time.RFC3339, s), time.ParseDuration and their error texts, for the values kube reads with them
// (a bootstrap token's expiration, kubeadm's --ttl). Source: Go's src/time/format.go (parse, the generic path: every
// string the RFC 3339 fast path of format_rfc3339.go accepts, it accepts too, with the same value) and
// src/time/format.go's ParseDuration and quote.

/** A parsed RFC 3339 time: the instant, and the offset it was written with (Go keeps it for Format). */
export interface GoTime {
  /** Milliseconds since the epoch, with the fraction of a millisecond kept. */
  ms: number;
  offsetSeconds: number;
}

/** Go's time.quote, used in its parse errors: every byte outside printable ASCII as \xNN. Strings here hold bytes as latin1 code units. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0x80 || c < 0x20) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** Go's time.ParseError.Error(). */
function parseError(value: string, layoutElem: string, valueElem: string, message = ''): { error: string } {
  if (message !== '') return { error: `parsing time ${goTimeQuote(value)}${message}` };
  return { error: `parsing time ${goTimeQuote(value)} as ${goTimeQuote(RFC3339)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}` };
}

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or two digits (two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil), valid for years 0 to 9999. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** time.Parse(time.RFC3339, value): the time, or Go's error text. `value` holds bytes as latin1 code units. */
export function parseGoRfc3339(value: string): GoTime | { error: string } {
  let v = value;
  // The layout's elements in order: [prefix, element]; each prefix must match byte for byte.
  const expect = (prefix: string): boolean => {
    if (!v.startsWith(prefix)) return false;
    v = v.slice(prefix.length);
    return true;
  };
  // 2006
  // (Go's atoi after a leading digit: four digits, or an error.)
  if (!/^[0-9]{4}/.test(v)) return parseError(value, '2006', v);
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  const fields: number[] = [];
  for (const [prefix, elem, fixed, range] of [
    ['-', '01', true, 'month'],
    ['-', '02', true, ''],
    ['T', '15', false, 'hour'],
    [':', '04', true, 'minute'],
    [':', '05', true, 'second'],
  ] as const) {
    if (!expect(prefix)) return parseError(value, prefix, v);
    const got = getnum(v, fixed);
    if (got === undefined) return parseError(value, elem, v);
    const [n, rest] = got;
    v = rest;
    if ((range === 'month' && (n <= 0 || n > 12)) || (range === 'hour' && n >= 24) || ((range === 'minute' || range === 'second') && n >= 60)) {
      return parseError(value, elem, v, `: ${range} out of range`);
    }
    fields.push(n);
  }
  const [month, day, hour, minute, second] = fields as [number, number, number, number, number];
  // A fraction after the seconds, though the layout has none: a comma or period and every digit after it (nine count).
  let nanos = 0;
  if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigit(v, 1)) {
    let n = 2;
    while (isDigit(v, n)) n++;
    nanos = Number(v.slice(1, Math.min(n, 10)).padEnd(9, '0'));
    v = v.slice(n);
  }
  // Z07:00
  let offsetSeconds = 0;
  if (v.startsWith('Z')) v = v.slice(1);
  else {
    const hold = v;
    if (v.length < 6 || v[3] !== ':') return parseError(value, 'Z07:00', hold);
    const hr = getnum(v.slice(1, 3), true);
    const mm = getnum(v.slice(4, 6), true);
    if (hr === undefined || mm === undefined || hr[1] !== '' || mm[1] !== '') return parseError(value, 'Z07:00', hold);
    const sign = v[0];
    v = v.slice(6);
    // Go's range test uses > rather than >=: an offset of 24 hours or 60 minutes is accepted.
    if (hr[0] > 24) return parseError(value, 'Z07:00', v, ': time zone offset hour out of range');
    if (mm[0] > 60) return parseError(value, 'Z07:00', v, ': time zone offset minute out of range');
    if (sign !== '+' && sign !== '-') return parseError(value, 'Z07:00', hold);
    offsetSeconds = (hr[0] * 60 + mm[0]) * 60 * (sign === '-' ? -1 : 1);
  }
  if (v !== '') return parseError(value, '', v, `: extra text: ${goTimeQuote(v)}`);
  if (day < 1 || day > daysIn(month, year)) return parseError(value, '', v, ': day out of range');
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  return { ms: seconds * 1000 + nanos / 1e6, offsetSeconds };
}

/** time.Time.Format(time.RFC3339) in the offset the time was written with. */
export function formatGoRfc3339(t: GoTime): string {
  const local = new Date(Math.floor(t.ms / 1000) * 1000 + t.offsetSeconds * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (t.offsetSeconds === 0) return `${date}Z`;
  const abs = Math.abs(t.offsetSeconds) / 60;
  return `${date}${t.offsetSeconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  '\u00b5s': 1000n, // U+00B5 micro sign
  '\u03bcs': 1000n, // U+03BC Greek letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX = 1n << 63n;

/** time.ParseDuration: nanoseconds, or Go's error text ("time: invalid duration \"x\""). */
export function parseGoDuration(input: string): { ns: bigint } | { error: string } {
  const bytes = (t: string): string => Buffer.from(t, 'utf8').toString('latin1');
  const invalid = { error: `time: invalid duration ${goTimeQuote(bytes(input))}` };
  let s = input;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ns: 0n };
  if (s === '') return invalid;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s, 0))) return invalid;
    const int = /^[0-9]*/.exec(s)![0];
    s = s.slice(int.length);
    let v = int === '' ? 0n : BigInt(int);
    if (v > MAX) return invalid;
    let frac = '';
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      frac = /^[0-9]*/.exec(s)![0];
      s = s.slice(frac.length);
      post = frac !== '';
    }
    if (int === '' && !post) return invalid;
    const unitText = /^[^.0-9]*/.exec(s)![0];
    if (unitText === '') return { error: `time: missing unit in duration ${goTimeQuote(bytes(input))}` };
    s = s.slice(unitText.length);
    const unit = UNITS[unitText];
    if (unit === undefined) {
      return { error: `time: unknown unit ${goTimeQuote(bytes(unitText))} in duration ${goTimeQuote(bytes(input))}` };
    }
    if (v > MAX / unit) return invalid;
    v *= unit;
    // Go scales the fraction in float64, to the nanosecond for fractions of an hour.
    if (frac !== '' && /[1-9]/.test(frac)) v += BigInt(Math.floor(Number(`0.${frac}`) * Number(unit)));
    if (v > MAX) return invalid;
    d += v;
    if (d > MAX) return invalid;
  }
  if (neg) return { ns: -d };
  if (d > MAX - 1n) return invalid;
  return { ns: d };
}
