import { Writable } from 'node:stream';
import { pino, type Logger as PinoLogger } from 'pino';

/** The logger every module takes: pino's. */
export type Logger = PinoLogger;

/** --log-format: json for machines, text for people, silent for in-process test servers. */
export type LogFormat = 'text' | 'json' | 'silent';

/** A pino logger writing to a stream (stderr by default) in the chosen format. */
export function createLogger(format: LogFormat, out: NodeJS.WritableStream = process.stderr): Logger {
  if (format === 'silent') return pino({ level: 'silent' });
  if (format === 'json') return pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, out);
  return pino({ base: undefined }, textLines(out));
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Reformats pino's JSON lines as one readable line each: time, level, message, then key=value pairs. */
function textLines(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const { time, level, msg, err, ...fields } = JSON.parse(chunk.toString('utf8')) as Record<string, unknown>;
        const when = new Date(typeof time === 'number' ? time : Date.now()).toISOString().slice(11, 23);
        const pairs = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
        const error = err && typeof err === 'object' && 'stack' in err ? `\n${String((err as { stack: unknown }).stack)}` : '';
        out.write(`${when} ${LEVELS[level as number] ?? level} ${msg ?? ''}${pairs.length ? ` ${pairs.join(' ')}` : ''}${error}\n`);
      } catch {
        out.write(chunk);
      }
      done();
    },
  });
}
