// Files the server re-reads when they change: the token and password files (authn) and the RBAC policy files
// and folders (authz) share this one mechanism. kube-apiserver reads these files only at start-up; re-reading
// them is ours, so that identities and policy written while the server runs take effect at once.
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ConfigError } from './errors.js';

/** Where a reloading file reports what it kept or changed. */
export interface FileReloadLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/**
 * Reload-plus-watch: runs a reload one at a time, when asked or when a watched path changes. A change while a
 * reload runs gets one more run after it, so no edit is missed, and every caller meanwhile shares that run.
 */
export class Reloader {
  private running: Promise<boolean> | undefined;
  private again = false;
  private readonly watchers = new Set<FSWatcher>();
  private settling: NodeJS.Timeout | undefined;

  /** `run` reads and applies the files once; it resolves true when it changed what the server holds. */
  constructor(private readonly run: () => Promise<boolean>) {}

  /** Reloads now, or joins the reload under way; true when any run it waited for changed something. */
  reload(): Promise<boolean> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let changed = false;
      do {
        this.again = false;
        changed = (await this.run()) || changed;
      } while (this.again);
      return changed;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Reloads when any of the paths changes. A file is watched through its folder, for events naming it (editors
   * and `mv` replace files, which ends a watch on the file itself); a folder is watched itself. With settleMs,
   * a burst of events (an editor's writes) is one reload, settleMs after the last. Where watching is not
   * possible (no inotify, a path gone), nothing is watched and reload() still works.
   */
  async watch(paths: readonly string[], opts: { settleMs?: number } = {}): Promise<void> {
    const changed = (): void => {
      if (opts.settleMs === undefined) {
        void this.reload();
        return;
      }
      clearTimeout(this.settling);
      this.settling = setTimeout(() => void this.reload(), opts.settleMs);
      this.settling.unref();
    };
    for (const path of paths) {
      const isFolder = (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
      const only = isFolder ? undefined : basename(path);
      try {
        const watcher = watch(isFolder ? path : dirname(path), { persistent: false }, (_event, name) => {
          if (only === undefined || name === null || name === only) changed();
        });
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(watcher);
        });
        this.watchers.add(watcher);
      } catch {
        // Not watched: the contents read at start stay, and reload() re-reads on demand.
      }
    }
  }

  /** Stops watching; a reload asked for afterwards still runs. */
  close(): void {
    clearTimeout(this.settling);
    for (const watcher of this.watchers) watcher.close();
    this.watchers.clear();
  }
}

/** Parsed contents that carry warnings to log each time they are read (duplicate or empty entries). */
export interface WithWarnings {
  warnings: string[];
}

/**
 * One file whose parsed contents are re-read when it changes. A bad edit keeps the last good contents and
 * logs file:line and why, once per bad version of the file.
 */
export class WatchedFile<T> {
  private value: T;
  private version: string;
  private readonly reloader = new Reloader(() => this.reloadIfChanged());

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
    if (opts.watch !== false) await file.reloader.watch([path]);
    return file;
  }

  /** The contents as last read successfully. */
  get current(): T {
    return this.value;
  }

  /** Re-reads the file if it changed since the last read; true when the contents changed. Concurrent callers share one read. */
  refreshIfChanged(): Promise<boolean> {
    return this.reloader.reload();
  }

  /** Stops watching; the last contents stay readable, and refreshIfChanged still re-reads. */
  close(): void {
    this.reloader.close();
  }

  private async reloadIfChanged(): Promise<boolean> {
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

/** Opens a watched file whose parser reports warnings, logging them at every (re)load. */
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

/** What tells one version of a file from the next: inode (a replaced file), size and modification time. */
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
