// The machine's processes as /proc shows them, for tests that check no server outlived its test.
import { readdirSync, readFileSync } from 'node:fs';

/** One process: its command line (arguments joined by spaces) and whether it has exited and waits to be reaped. */
export interface ProcessEntry {
  pid: number;
  cmdline: string;
  zombie: boolean;
}

/** Field 3 of /proc/PID/stat, after the parenthesised command name (which may itself hold ") "), is the state; Z is a zombie. */
function isZombie(stat: string): boolean {
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

/** Every process that could be read; one that exits while it is read is left out. */
export function processes(): ProcessEntry[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return [{ pid: Number(name), cmdline, zombie: isZombie(readFileSync(`/proc/${name}/stat`, 'utf8')) }];
      } catch {
        return [];
      }
    });
}

/** Whether a pid is gone: no such process, or one that has exited and waits only for its parent to reap it. */
export function processGone(pid: number): boolean {
  try {
    return isZombie(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
