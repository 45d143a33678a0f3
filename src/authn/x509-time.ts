// A certificate's validity as Go reads it: golang.org/x/crypto/cryptobyte (asn1.go ReadASN1UTCTime,
// ReadASN1GeneralizedTime) behind crypto/x509's parser.go parseValidity/parseTime. Go parses with a fixed layout
// and refuses any text that does not format back to itself, so only the canonical forms pass: no fractional
// seconds, no +0000 for Z, UTCTime with or without seconds, GeneralizedTime with them. node:crypto's validFrom and
// validTo strings are not used: OpenSSL reads forms Go refuses, prints "Bad time value" (NaN to Date.parse) for some,
// and prints years below 100 in a way Date.parse reads as 19xx or 20xx.
import { formatGoRfc3339 } from '../apimachinery/go-time.js';
import type { Der } from './der.js';

/** A point in time as Go's time.Time holds it after parsing: the instant and the zone offset it was written in. */
export interface CertTime {
  /** Milliseconds since the epoch. */
  ms: number;
  /** The written zone offset, in minutes east of UTC (0 for Z). */
  offsetMinutes: number;
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** A parse error with Go's message. */
export class TimeError extends Error {}

const daysIn = (year: number, month: number): number => {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
};

// The zone Z0700 formats back to itself: Z for UTC, else ±hhmm with the minutes under 60 and not all zero.
function zoneOffset(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const m = /^([+-])(\d\d)(\d\d)$/.exec(zone);
  if (m === null) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 24 || minutes > 59 || hours + minutes === 0) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function instant(year: number, month: number, day: number, hour: number, minute: number, second: number, offsetMinutes: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() - offsetMinutes * 60_000;
}

function utcTime(text: string): CertTime | undefined {
  // "060102150405Z0700", then the minute-precision fallback "0601021504Z0700".
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?([Z+-].*)$/.exec(text);
  if (m === null) return undefined;
  const offsetMinutes = zoneOffset(m[7]!);
  if (offsetMinutes === undefined) return undefined;
  const yy = Number(m[1]);
  // time.Parse reads 69-99 as 19xx and 00-68 as 20xx; cryptobyte then moves 2050 and later back a century.
  const year = yy >= 50 ? 1900 + yy : 2000 + yy;
  const ms = instant(year, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0'), offsetMinutes);
  return ms === undefined ? undefined : { ms, offsetMinutes };
}

function generalizedTime(text: string): CertTime | undefined {
  // "20060102150405Z0700"; a fraction parses but does not format back.
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([Z+-].*)$/.exec(text);
  if (m === null) return undefined;
  const offsetMinutes = zoneOffset(m[7]!);
  if (offsetMinutes === undefined) return undefined;
  const ms = instant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), offsetMinutes);
  return ms === undefined ? undefined : { ms, offsetMinutes };
}

/** parseTime: a UTCTime or GeneralizedTime element; TimeError with Go's message otherwise. */
export function certTime(der: Der | undefined): CertTime {
  if (der?.tag === UTC_TIME) {
    const t = utcTime(der.content.toString('latin1'));
    if (t === undefined) throw new TimeError('x509: malformed UTCTime');
    return t;
  }
  if (der?.tag === GENERALIZED_TIME) {
    const t = generalizedTime(der.content.toString('latin1'));
    if (t === undefined) throw new TimeError('x509: malformed GeneralizedTime');
    return t;
  }
  throw new TimeError('x509: unsupported time format');
}

/** time.Time.Format(time.RFC3339) of a parsed time, in the zone it was written in, as Go's validity errors print it. */
export function rfc3339(t: CertTime): string {
  return formatGoRfc3339({ ms: t.ms, offsetSeconds: t.offsetMinutes * 60 });
}

