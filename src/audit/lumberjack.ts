// The file writer kube-apiserver puts under --audit-log-path: gopkg.in/natefinch/lumberjack.v2 v2.2.1's Logger
// (lumberjack.go), which pkg/server/options/audit.go's getWriter always uses for a file (never for "-"), with
// MaxSize (--audit-log-maxsize, MB; 0 is lumberjack's default of 100 MB), MaxBackups (--audit-log-maxbackup),
// MaxAge (--audit-log-maxage, days) and Compress (--audit-log-compress); LocalTime is left false, so backup names
// carry UTC. Ported synchronously: a write, its rotation and the backups' pruning and compression happen before
// the next event is written (lumberjack mills in a goroutine; here nothing runs behind the log's back).
import { closeSync, constants as fsConstants, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** lumberjack's defaultMaxSize, in megabytes. */
export const DEFAULT_MAX_SIZE_MB = 100;
const MEGABYTE = 1024 * 1024;
const COMPRESS_SUFFIX = '.gz';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LumberjackOptions {
  /** Bytes before a rotation; 0 or absent is lumberjack's 100 MB. (The flag is in MB; tests pass bytes.) */
  maxSizeBytes?: number;
  /** Backups kept; 0 keeps all. */
  maxBackups?: number;
  /** Days a backup is kept, by the time in its name; 0 keeps them whatever their age. */
  maxAgeDays?: number;
  /** gzip rotated files to NAME.gz. */
  compress?: boolean;
  /** The clock (lumberjack's currentTime); tests may pin it. */
  now?: () => Date;
}

/** filepath.Ext: the suffix from the last dot of the base name ("" without one; ".bashrc" is all extension). */
function goExt(base: string): string {
  const i = base.lastIndexOf('.');
  return i >= 0 ? base.slice(i) : '';
}

/** backupTimeFormat "2006-01-02T15-04-05.000" in UTC. */
export function backupTimestamp(d: Date): string {
  return d.toISOString().slice(0, 23).replace(/:/g, '-');
}

const BACKUP_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})$/;

/** time.Parse(backupTimeFormat, s): the ms since the epoch (UTC), or undefined where Go's parse fails (ranges included). */
export function parseBackupTimestamp(s: string): number | undefined {
  const m = BACKUP_TIME.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, se, ms);
  // Date.UTC rolls 31 April over to 1 May; Go refuses a day past the month's end.
  if (new Date(t).getUTCDate() !== d) return undefined;
  return t;
}

interface LogInfo {
  name: string;
  timestamp: number;
}

/** One lumberjack.Logger: Write appends a whole buffer, rotating first when it would not fit. */
export class Lumberjack {
  private fd: number | undefined;
  private size = 0;
  private readonly max: number;
  private readonly maxBackups: number;
  private readonly maxAgeDays: number;
  private readonly compress: boolean;
  private readonly now: () => Date;

  constructor(
    private readonly filename: string,
    opts: LumberjackOptions = {},
  ) {
    this.max = opts.maxSizeBytes !== undefined && opts.maxSizeBytes > 0 ? opts.maxSizeBytes : DEFAULT_MAX_SIZE_MB * MEGABYTE;
    this.maxBackups = opts.maxBackups ?? 0;
    this.maxAgeDays = opts.maxAgeDays ?? 0;
    this.compress = opts.compress ?? false;
    this.now = opts.now ?? (() => new Date());
  }

  /** Logger.Write: the whole buffer in this file, or an error; the file is opened (and backups milled) on first use. */
  write(p: Uint8Array): void {
    if (p.length > this.max) throw new Error(`write length ${p.length} exceeds maximum file size ${this.max}`);
    if (this.fd === undefined) this.openExistingOrNew(p.length);
    if (this.size + p.length > this.max) this.rotate();
    const fd = this.fd!;
    // writeSync may write less than asked (a full disk); the rest follows at once, before any other event.
    let off = 0;
    try {
      while (off < p.length) off += writeSync(fd, p, off, p.length - off);
    } finally {
      this.size += off;
    }
  }

  /** Logger.Close. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }

  /** Logger.Rotate: the current file becomes a backup, a new one is started, old backups are milled. */
  rotate(): void {
    this.close();
    this.openNew();
    this.mill();
  }

  private openExistingOrNew(writeLen: number): void {
    this.mill();
    let size: number;
    try {
      size = statSync(this.filename).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.openNew();
      throw new Error(`error getting log file info: ${(err as Error).message}`);
    }
    if (size + writeLen >= this.max) return this.rotate();
    try {
      this.fd = openSync(this.filename, fsConstants.O_APPEND | fsConstants.O_WRONLY, 0o644);
    } catch {
      return this.openNew();
    }
    this.size = size;
  }

  private openNew(): void {
    try {
      mkdirSync(dirname(this.filename), { recursive: true, mode: 0o755 });
    } catch (err) {
      throw new Error(`can't make directories for new logfile: ${(err as Error).message}`);
    }
    let mode = 0o600;
    let existing: number | undefined;
    try {
      existing = statSync(this.filename).mode;
    } catch {
      existing = undefined;
    }
    if (existing !== undefined) {
      // The new file keeps the old one's mode (lumberjack also chowns it to the old owner: the same user here).
      mode = existing & 0o7777;
      try {
        renameSync(this.filename, this.backupName());
      } catch (err) {
        throw new Error(`can't rename log file: ${(err as Error).message}`);
      }
    }
    try {
      this.fd = openSync(this.filename, 'w', mode);
    } catch (err) {
      throw new Error(`can't open new logfile: ${(err as Error).message}`);
    }
    this.size = 0;
  }

  /**
   * backupName: NAME-<UTC time>.EXT beside the log. One deliberate difference: lumberjack renames over a backup of
   * the same millisecond (losing it); here the time moves on a millisecond until the name is free.
   */
  private backupName(): string {
    const dir = dirname(this.filename);
    const base = basename(this.filename);
    const ext = goExt(base);
    const prefix = base.slice(0, base.length - ext.length);
    for (let t = this.now().getTime(); ; t++) {
      const name = join(dir, `${prefix}-${backupTimestamp(new Date(t))}${ext}`);
      if (!existsSync(name) && !existsSync(name + COMPRESS_SUFFIX)) return name;
    }
  }

  /** oldLogFiles: the backups beside the log (NAME-<time>.EXT, or .EXT.gz), newest first. */
  private oldLogFiles(): LogInfo[] {
    const dir = dirname(this.filename);
    const base = basename(this.filename);
    const ext = goExt(base);
    const prefix = `${base.slice(0, base.length - ext.length)}-`;
    const files: LogInfo[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) continue;
      const timestamp = timeFromName(entry.name, prefix, ext) ?? timeFromName(entry.name, prefix, ext + COMPRESS_SUFFIX);
      if (timestamp !== undefined) files.push({ name: entry.name, timestamp });
    }
    return files.sort((a, b) => b.timestamp - a.timestamp);
  }

  /**
   * millRunOnce: beyond MaxBackups (a backup and its .gz count once) and older than MaxAge the backups are
   * removed, the rest compressed when asked. Its errors are dropped, as lumberjack's millRun drops them.
   */
  private mill(): void {
    if (this.maxBackups === 0 && this.maxAgeDays === 0 && !this.compress) return;
    try {
      this.millRunOnce();
    } catch {
      // lumberjack: `_ = l.millRunOnce()`.
    }
  }

  private millRunOnce(): void {
    const dir = dirname(this.filename);
    let files = this.oldLogFiles();
    const remove: LogInfo[] = [];
    if (this.maxBackups > 0 && this.maxBackups < files.length) {
      const preserved = new Set<string>();
      const remaining: LogInfo[] = [];
      for (const f of files) {
        preserved.add(f.name.endsWith(COMPRESS_SUFFIX) ? f.name.slice(0, -COMPRESS_SUFFIX.length) : f.name);
        if (preserved.size > this.maxBackups) remove.push(f);
        else remaining.push(f);
      }
      files = remaining;
    }
    if (this.maxAgeDays > 0) {
      const cutoff = this.now().getTime() - this.maxAgeDays * DAY_MS;
      const remaining: LogInfo[] = [];
      for (const f of files) {
        if (f.timestamp < cutoff) remove.push(f);
        else remaining.push(f);
      }
      files = remaining;
    }
    const compress = this.compress ? files.filter((f) => !f.name.endsWith(COMPRESS_SUFFIX)) : [];
    let firstError: unknown;
    for (const f of remove) {
      try {
        unlinkSync(join(dir, f.name));
      } catch (err) {
        firstError ??= err;
      }
    }
    for (const f of compress) {
      try {
        compressLogFile(join(dir, f.name), join(dir, f.name + COMPRESS_SUFFIX));
      } catch (err) {
        firstError ??= err;
      }
    }
    if (firstError !== undefined) throw firstError;
  }
}

/** timeFromName: the time in NAME-<time>EXT, or undefined when the name is not a backup's. */
function timeFromName(filename: string, prefix: string, ext: string): number | undefined {
  if (!filename.startsWith(prefix) || !filename.endsWith(ext) || filename.length < prefix.length + ext.length) return undefined;
  return parseBackupTimestamp(filename.slice(prefix.length, filename.length - ext.length));
}

/** compressLogFile: SRC gzipped to DST with SRC's mode, then SRC removed; a DST left half-written is removed. */
function compressLogFile(src: string, dst: string): void {
  const fd = openSync(src, 'r');
  let data: Buffer;
  let mode: number;
  try {
    mode = fstatSync(fd).mode & 0o7777;
    data = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    writeFileSync(dst, gzipSync(data), { mode });
  } catch (err) {
    try {
      unlinkSync(dst);
    } catch {
      // nothing was written
    }
    throw new Error(`failed to compress log file: ${(err as Error).message}`);
  }
  unlinkSync(src);
}
