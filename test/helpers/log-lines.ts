// A server's JSON log caught in memory, for tests that wait for a line instead of sleeping.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';

/** One logged line, parsed. */
export type LogLine = Record<string, unknown>;

/** A Writable for createLogger('json', sink), every line it received, and a wait for the first line that matches. */
export function jsonLogLines(): { sink: Writable; lines: LogLine[]; logged: EventEmitter; lineWhere(match: (l: LogLine) => boolean): Promise<LogLine> } {
  const lines: LogLine[] = [];
  const logged = new EventEmitter();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        logged.emit('line', line);
      }
      done();
    },
  });
  const lineWhere = (match: (l: LogLine) => boolean): Promise<LogLine> => {
    const found = lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const listener = (l: LogLine): void => {
        if (!match(l)) return;
        logged.off('line', listener);
        resolve(l);
      };
      logged.on('line', listener);
    });
  };
  return { sink, lines, logged, lineWhere };
}
