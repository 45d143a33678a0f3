import { parse } from 'csv-parse/sync';
import { ConfigError } from '../util/errors.js';

/** One CSV record and the line it starts on (1-based), so errors can name it. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses a CSV file the way kube's encoding/csv reader is set up for its auth files: any number of
 * fields per record, leading spaces trimmed, blank lines skipped, quotes as RFC 4180. Throws a
 * ConfigError naming file and line for syntax kube's reader would refuse too.
 */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  try {
    const rows = parse(text, {
      relax_column_count: true,
      ltrim: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    // info.lines is the line a record ends on; a record that spans lines starts earlier.
    return rows.map((row) => ({ line: row.info.lines - countNewlines(row.record), fields: row.record }));
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : undefined;
    const message = err instanceof Error ? err.message.replace(/^Invalid [^:]*: /, '') : String(err);
    throw new ConfigError({ file, ...(line === undefined ? {} : { line }), reason: `invalid CSV: ${message}`, code: 'CSV_SYNTAX' });
  }
}

function countNewlines(fields: string[]): number {
  let n = 0;
  for (const field of fields) for (const ch of field) if (ch === '\n') n++;
  return n;
}
