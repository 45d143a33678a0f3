// Go's time.Parse(time.RFC3339, s) and time.ParseDuration (src/time/format.go): every expected value and error text
// below was printed by Go 1.26 for the same input (kube v1.34 reads a bootstrap token's expiration with the first;
// kubeadm's --ttl is a pflag Duration, the second).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoRfc3339, parseGoDuration, parseGoRfc3339 } from '../../../src/apimachinery/go-time.js';

// Inputs are UTF-8 strings; the parser reads bytes (held as latin1), as Go's string does.
const bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const times: { input: string; ns?: string; offset?: number; format?: string; error?: string }[] = [
  {"input": "2009-11-10T23:00:00Z", "offset": 0, "format": "2009-11-10T23:00:00Z", "ns": "1257894000000000000"},
  {"input": "2109-11-10T23:00:00Z", "offset": 0, "format": "2109-11-10T23:00:00Z", "ns": "4413567600000000000"},
  {"input": "2009-11-10T23:00:00+02:00", "offset": 7200, "format": "2009-11-10T23:00:00+02:00", "ns": "1257886800000000000"},
  {"input": "2009-11-10T23:00:00-07:30", "offset": -27000, "format": "2009-11-10T23:00:00-07:30", "ns": "1257921000000000000"},
  {"input": "2009-11-10T3:00:00Z", "offset": 0, "format": "2009-11-10T03:00:00Z", "ns": "1257822000000000000"},
  {"input": "2009-11-10T23:00:00.123456789123Z", "offset": 0, "format": "2009-11-10T23:00:00Z", "ns": "1257894000123456789"},
  {"input": "2009-11-10T23:00:00,5Z", "offset": 0, "format": "2009-11-10T23:00:00Z", "ns": "1257894000500000000"},
  {"input": "2009-11-10T23:00:00+24:00", "offset": 86400, "format": "2009-11-10T23:00:00+24:00", "ns": "1257807600000000000"},
  {"input": "2009-11-10T23:00:00+25:00", "error": "parsing time \"2009-11-10T23:00:00+25:00\": time zone offset hour out of range"},
  {"input": "2009-11-10T23:00:00+01:61", "error": "parsing time \"2009-11-10T23:00:00+01:61\": time zone offset minute out of range"},
  {"input": "2009-11-10 23:00:00Z", "error": "parsing time \"2009-11-10 23:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 23:00:00Z\" as \"T\""},
  {"input": "2009-11-10t23:00:00Z", "error": "parsing time \"2009-11-10t23:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"t23:00:00Z\" as \"T\""},
  {"input": "2009-11-10T23:00:00z", "error": "parsing time \"2009-11-10T23:00:00z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"z\" as \"Z07:00\""},
  {"input": "2009-11-10T23:00:00", "error": "parsing time \"2009-11-10T23:00:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\""},
  {"input": "2009-13-10T23:00:00Z", "error": "parsing time \"2009-13-10T23:00:00Z\": month out of range"},
  {"input": "2009-02-29T23:00:00Z", "error": "parsing time \"2009-02-29T23:00:00Z\": day out of range"},
  {"input": "2008-02-29T23:00:00Z", "offset": 0, "format": "2008-02-29T23:00:00Z", "ns": "1204326000000000000"},
  {"input": "2009-11-10T24:00:00Z", "error": "parsing time \"2009-11-10T24:00:00Z\": hour out of range"},
  {"input": "2009-11-10T23:60:00Z", "error": "parsing time \"2009-11-10T23:60:00Z\": minute out of range"},
  {"input": "2009-11-10T23:00:60Z", "error": "parsing time \"2009-11-10T23:00:60Z\": second out of range"},
  {"input": "2009-11-10T23:00:00Zjunk", "error": "parsing time \"2009-11-10T23:00:00Zjunk\": extra text: \"junk\""},
  {"input": "", "error": "parsing time \"\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"2006\""},
  {"input": "tomorrow", "error": "parsing time \"tomorrow\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"tomorrow\" as \"2006\""},
  {"input": "209-11-10T23:00:00Z", "error": "parsing time \"209-11-10T23:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"209-11-10T23:00:00Z\" as \"2006\""},
  {"input": "2009-1-10T23:00:00Z", "error": "parsing time \"2009-1-10T23:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"1-10T23:00:00Z\" as \"01\""},
  {"input": "2009-11-1T23:00:00Z", "error": "parsing time \"2009-11-1T23:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"1T23:00:00Z\" as \"02\""},
  {"input": "2009-11-10T23:00:00*01:00", "error": "parsing time \"2009-11-10T23:00:00*01:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"*01:00\" as \"Z07:00\""},
  {"input": "2009-11-10T23:00:00+0100", "error": "parsing time \"2009-11-10T23:00:00+0100\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"+0100\" as \"Z07:00\""},
  {"input": "2009-11-00T23:00:00Z", "error": "parsing time \"2009-11-00T23:00:00Z\": day out of range"},
  {"input": "0000-01-01T00:00:00Z", "offset": 0, "format": "0000-01-01T00:00:00Z"},
  {"input": "9999-12-31T23:59:59Z", "offset": 0, "format": "9999-12-31T23:59:59Z"},
  {"input": "2009-11-10T23:00:00.Z", "error": "parsing time \"2009-11-10T23:00:00.Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \".Z\" as \"Z07:00\""},
  {"input": "café", "error": "parsing time \"caf\\xc3\\xa9\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"caf\\xc3\\xa9\" as \"2006\""},
];

for (const c of times) {
  test(`time.Parse(time.RFC3339, ${JSON.stringify(c.input)})`, () => {
    const got = parseGoRfc3339(bytes(c.input));
    if (c.error !== undefined) {
      assert.deepEqual(got, { error: c.error });
      return;
    }
    assert.ok(!('error' in got), JSON.stringify(got));
    assert.equal(got.offsetSeconds, c.offset);
    assert.equal(formatGoRfc3339(got), c.format);
    // Milliseconds as a double: within a microsecond of Go's nanoseconds.
    if (c.ns !== undefined) assert.ok(Math.abs(got.ms - Number(BigInt(c.ns) / 1000n) / 1000) < 0.001, `${got.ms} vs ${c.ns} ns`);
  });
}

const durations: { input: string; ns?: string; error?: string }[] = [
  {"input": "24h0m0s", "ns": "86400000000000"},
  {"input": "0", "ns": "0"},
  {"input": "-1h", "ns": "-3600000000000"},
  {"input": "+5m", "ns": "300000000000"},
  {"input": "1.5h", "ns": "5400000000000"},
  {"input": "1h30m", "ns": "5400000000000"},
  {"input": "300ms", "ns": "300000000"},
  {"input": "1us", "ns": "1000"},
  {"input": "1µs", "ns": "1000"},
  {"input": "2d", "error": "time: unknown unit \"d\" in duration \"2d\""},
  {"input": "1", "error": "time: missing unit in duration \"1\""},
  {"input": "", "error": "time: invalid duration \"\""},
  {"input": "-", "error": "time: invalid duration \"-\""},
  {"input": ".s", "error": "time: invalid duration \".s\""},
  {"input": "1.s", "ns": "1000000000"},
  {"input": ".5s", "ns": "500000000"},
  {"input": "h", "error": "time: invalid duration \"h\""},
  {"input": "9223372036854775807ns", "ns": "9223372036854775807"},
  {"input": "9223372036854775808ns", "error": "time: invalid duration \"9223372036854775808ns\""},
  {"input": "-9223372036854775808ns", "ns": "-9223372036854775808"},
  {"input": "1e3s", "error": "time: unknown unit \"e\" in duration \"1e3s\""},
  {"input": "1h 2m", "error": "time: unknown unit \"h \" in duration \"1h 2m\""},
];

for (const c of durations) {
  test(`time.ParseDuration(${JSON.stringify(c.input)})`, () => {
    assert.deepEqual(parseGoDuration(c.input), c.error !== undefined ? { error: c.error } : { ns: BigInt(c.ns!) });
  });
}
