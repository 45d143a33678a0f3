import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ConfigError } from '../util/errors.js';

/** Parsed contents that carry warnings to log each time they are read (duplicate or empty entries). */
export interface WithWarnings {
  warnings: string[];
}

/** Where a reloading file reports what it kept or changed. */
export interface FileReloadLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/**
 * A file whose parsed contents are re-read when it changes, so identities minted while the server runs
 * work at once (kube-apiserver reads its auth files only at start-up; this is ours). A bad edit keeps
 * the last good contents and logs file:line and why.
 */
export class WatchedFile<T> {
  private value: T;
  private version: string;
  private watcher: FSWatcher | undefined;
  private reloading: Promise<boolean> | undefined;
  private again = false;

  private constructor(
    readonly path: string,
    private readonly parse: (text: string, path: string) => T,
    private readonly log: FileReloadLog,
    initial: { value: T; version: string },
  ) {
    this.value = initial.value;
    this.version = initial.version;
  }

  /** Reads and parses the file once; a missing file or a bad line is a ConfigError for start-up to report. */
  static async open<T>(path: string, parse: (text: string, path: string) => T, log: FileReloadLog, opts: { watch?: boolean } = {}): Promise<WatchedFile<T>> {
    const initial = await readVersioned(path, parse);
    const file = new WatchedFile(path, parse, log, initial);
    if (opts.watch !== false) file.startWatching();
    return file;
  }

  /** The contents as last read successfully. */
  get current(): T {
    return this.value;
  }

  /** Re-reads the file if it changed since the last read; true when the contents changed. Concurrent callers share one read. */
  refreshIfChanged(): Promise<boolean> {
    // A change while a read is under way gets one more read after it, so no edit is missed.
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      let changed = false;
      do {
        this.again = false;
        changed = (await this.reload()) || changed;
      } while (this.again);
      return changed;
    })().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /** Stops watching; the last contents stay readable. */
  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private startWatching(): void {
    // Watch the folder, not the file: editors and `mv` replace the file, which ends a watch on it.
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name) void this.refreshIfChanged();
      });
      this.watcher.on('error', () => this.close());
    } catch {
      // No watch (e.g. a platform without inotify): lookups that miss still re-read a changed file.
      this.watcher = undefined;
    }
  }

  private async reload(): Promise<boolean> {
    let version: string;
    try {
      version = await fileVersion(this.path);
    } catch (err) {
      this.log.warn(`${this.path}: cannot read (${(err as Error).message}); keeping the last good contents`);
      return false;
    }
    if (version === this.version) return false;
    try {
      const next = await readVersioned(this.path, this.parse);
      this.value = next.value;
      this.version = next.version;
      this.log.info(`${this.path}: reloaded`);
      return true;
    } catch (err) {
      // Remember the bad version so one bad edit is logged once, not on every lookup.
      this.version = version;
      const why = err instanceof ConfigError ? err.message : `${this.path}: ${(err as Error).message}`;
      this.log.warn(`${why}; keeping the last good contents`);
      return false;
    }
  }
}

/** Opens a watched auth file whose parser reports warnings, logging them at every (re)load. */
export function openWarningFile<T extends WithWarnings>(
  path: string,
  parse: (text: string, path: string) => T,
  log: FileReloadLog,
  opts: { watch?: boolean } = {},
): Promise<WatchedFile<T>> {
  const parseAndWarn = (text: string, p: string): T => {
    const value = parse(text, p);
    for (const warning of value.warnings) log.warn(warning);
    return value;
  };
  return WatchedFile.open(path, parseAndWarn, log, opts);
}

async function fileVersion(path: string): Promise<string> {
  const s = await stat(path, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
}

async function readVersioned<T>(path: string, parse: (text: string, path: string) => T): Promise<{ value: T; version: string }> {
  let text: string;
  let version: string;
  try {
    version = await fileVersion(path);
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError({ file: path, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'FILE_UNREADABLE' });
  }
  return { value: parse(text, path), version };
}
