// The one reload-plus-watch mechanism behind the token and password files and the RBAC policy files: reloads
// run one at a time and none is lost, watched files and folders trigger them, and a watched file keeps its
// last good contents through a bad edit. Watch tests wait for the reload itself, never for time.
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConfigError } from '../../../src/util/errors.js';
import { openWarningFile, Reloader, WatchedFile } from '../../../src/util/watched-file.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kam-watched-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/**
 * Runs a test step that waits for a file watch. Watchers do not keep a process alive (the server's socket
 * does); here a timer does, for as long as the step waits.
 */
async function keepingAlive<T>(step: () => Promise<T>): Promise<T> {
  const alive = setInterval(() => undefined, 60_000);
  try {
    return await step();
  } finally {
    clearInterval(alive);
  }
}

/** A log that keeps its lines and lets a test wait for one matching a pattern. */
function recordingLog() {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const add = (line: string): void => {
    lines.push(line);
    for (const w of waiters.splice(0)) if (w.pattern.test(line)) w.resolve();
    else waiters.push(w);
  };
  return {
    lines,
    info: (m: string) => add(m),
    warn: (m: string) => add(`WARN ${m}`),
    next: (pattern: RegExp) => new Promise<void>((resolve) => waiters.push({ pattern, resolve })),
  };
}

/** A reload whose runs the test lets finish one by one; the first run reports a change, later ones none. */
function gatedRun() {
  let runs = 0;
  const gates: (() => void)[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const run = (): Promise<boolean> => {
    const n = ++runs;
    for (const w of waiting.splice(0)) if (runs >= w.n) w.resolve();
    else waiting.push(w);
    return new Promise((resolve) => gates.push(() => resolve(n === 1)));
  };
  return {
    run,
    get runs() {
      return runs;
    },
    release: () => gates.shift()?.(),
    /** Resolves once the n-th run has started. */
    started: (n: number) => new Promise<void>((resolve) => (runs >= n ? resolve() : waiting.push({ n, resolve }))),
  };
}

test('Reloader: a reload asked for while one runs shares it and gets one more run after it, never two', async () => {
  const gated = gatedRun();
  const reloader = new Reloader(gated.run);
  const first = reloader.reload();
  await gated.started(1);
  const second = reloader.reload();
  const third = reloader.reload();
  assert.equal(second, first);
  assert.equal(third, first);
  gated.release();
  await gated.started(2);
  gated.release();
  assert.equal(await first, true, 'true when any run changed something (the first did, the second not)');
  assert.equal(gated.runs, 2);
});

test('Reloader: a reload after the last one ended runs again', async () => {
  let runs = 0;
  const reloader = new Reloader(async () => ++runs > 1);
  assert.equal(await reloader.reload(), false);
  assert.equal(await reloader.reload(), true);
  assert.equal(runs, 2);
});

test('Reloader.watch: a new file in a watched folder reloads', async () => {
  const folder = await mkdtemp(join(dir, 'folder-'));
  let reloaded!: () => void;
  const done = new Promise<void>((resolve) => (reloaded = resolve));
  const reloader = new Reloader(async () => {
    reloaded();
    return true;
  });
  await reloader.watch([folder], { settleMs: 10 });
  try {
    await writeFile(join(folder, 'roles.yaml'), 'kind: Role\n');
    await keepingAlive(() => done);
  } finally {
    reloader.close();
  }
});

test('Reloader.watch: a path that does not exist is not watched, and reload() still works', async () => {
  let runs = 0;
  const reloader = new Reloader(async () => ++runs > 0);
  await reloader.watch([join(dir, 'no-such-folder', 'file.csv')]);
  assert.equal(await reloader.reload(), true);
  reloader.close();
});

const parseLines = (text: string, path: string): string[] => {
  const lines = text.split('\n').filter(Boolean);
  lines.forEach((line, i) => {
    if (line.startsWith('!')) throw new ConfigError({ file: path, line: i + 1, reason: 'a line may not start with "!"', code: 'CSV_SYNTAX' });
  });
  return lines;
};

test('WatchedFile: a bad edit keeps the last good contents and is logged once; a good edit is read', async () => {
  const path = join(dir, 'lines.txt');
  await writeFile(path, 'a\nb\n');
  const log = recordingLog();
  const file = await WatchedFile.open(path, parseLines, log, { watch: false });
  assert.deepEqual(file.current, ['a', 'b']);
  assert.equal(await file.refreshIfChanged(), false, 'unchanged file: nothing read');

  await writeFile(path, 'a\n!b\n');
  assert.equal(await file.refreshIfChanged(), false);
  assert.deepEqual(file.current, ['a', 'b']);
  assert.deepEqual(log.lines, [`WARN ${path}:2: a line may not start with "!"; keeping the last good contents`]);
  assert.equal(await file.refreshIfChanged(), false);
  assert.equal(log.lines.length, 1, 'the same bad version is not logged again');

  await writeFile(path, 'a\nb\nc\n');
  assert.equal(await file.refreshIfChanged(), true);
  assert.deepEqual(file.current, ['a', 'b', 'c']);
  assert.equal(log.lines.at(-1), `${path}: reloaded`);

  await unlink(path);
  assert.equal(await file.refreshIfChanged(), false);
  assert.deepEqual(file.current, ['a', 'b', 'c']);
  assert.match(log.lines.at(-1)!, new RegExp(`^WARN ${path}: cannot read \\(ENOENT.*\\); keeping the last good contents$`));
  file.close();
});

test('WatchedFile: a file missing at start is a ConfigError naming it', async () => {
  const path = join(dir, 'missing.txt');
  await assert.rejects(WatchedFile.open(path, parseLines, recordingLog(), { watch: false }), (err: unknown) => err instanceof ConfigError && err.file === path && err.reason === 'cannot read: ENOENT');
});

test('WatchedFile: a file replaced by `mv` (as editors save) is read again by its watch', async () => {
  const path = join(dir, 'replaced.txt');
  await writeFile(path, 'old\n');
  const log = recordingLog();
  const file = await WatchedFile.open(path, parseLines, log);
  try {
    const reloaded = log.next(/reloaded$/);
    await writeFile(`${path}.tmp`, 'new\n');
    await rename(`${path}.tmp`, path);
    await keepingAlive(() => reloaded);
    assert.deepEqual(file.current, ['new']);
  } finally {
    file.close();
  }
});

test('openWarningFile: the parser\'s warnings are logged at every read', async () => {
  const path = join(dir, 'warnings.txt');
  await writeFile(path, 'x\n');
  const log = recordingLog();
  const parse = (text: string) => ({ warnings: text.split('\n').filter(Boolean).map((l) => `saw ${l}`) });
  const file = await openWarningFile(path, parse, log, { watch: false });
  assert.deepEqual(log.lines, ['WARN saw x']);
  await writeFile(path, 'x\ny\n');
  await file.refreshIfChanged();
  assert.deepEqual(log.lines, ['WARN saw x', 'WARN saw x', 'WARN saw y', `${path}: reloaded`]);
});
