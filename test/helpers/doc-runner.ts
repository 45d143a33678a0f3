// Runs the shell sessions a doc shows, so the doc cannot rot: every ```console block's `$ ` lines are run in order in
// one bash session (background jobs and variables carry over, as in a terminal), and what each printed is matched
// against the lines the doc shows under it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestKubectl, tempDir } from './clients.js';

/** One command of a doc and the output the doc shows for it. */
export interface DocCommand {
  /** The command as bash runs it (continuation lines joined with their backslashes kept). */
  command: string;
  /** The lines shown under it; `...` inside a line matches any text, a line of only `...` any number of lines. */
  expected: string[];
  /** 1-based line of the doc where the command starts, for failure messages. */
  line: number;
}

/** The commands of every ```console block of a markdown text, in order. */
export function consoleCommands(markdown: string): DocCommand[] {
  const lines = markdown.split('\n');
  const commands: DocCommand[] = [];
  let inBlock = false;
  let current: DocCommand | undefined;
  let continuing = false;
  lines.forEach((text, i) => {
    if (!inBlock) {
      if (text.trim() === '```console') inBlock = true;
      return;
    }
    if (text.trim() === '```') {
      inBlock = false;
      current = undefined;
      continuing = false;
      return;
    }
    if (continuing && current !== undefined) {
      current.command += `\n${text}`;
      continuing = text.endsWith('\\');
      return;
    }
    if (text.startsWith('$ ')) {
      current = { command: text.slice(2), expected: [], line: i + 1 };
      commands.push(current);
      continuing = text.endsWith('\\');
      return;
    }
    if (current === undefined) throw new Error(`line ${i + 1}: output before any command in a console block`);
    current.expected.push(text);
  });
  return commands;
}

function lineMatches(actual: string, pattern: string): boolean {
  const parts = pattern.split('...').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(actual);
}

/** Whether output matches the doc's expected lines (trailing empty lines ignored on both sides). */
export function outputMatches(output: string, expected: readonly string[]): boolean {
  const trim = (l: string[]): string[] => {
    const copy = [...l];
    while (copy.length > 0 && copy[copy.length - 1]!.trim() === '') copy.pop();
    return copy;
  };
  const actual = trim(output.split('\n').map((l) => l.replace(/\s+$/, '')));
  const wanted = trim(expected.map((l) => l.replace(/\s+$/, '')));
  const match = (a: number, w: number): boolean => {
    if (w === wanted.length) return a === actual.length;
    if (wanted[w] === '...') {
      for (let k = a; k <= actual.length; k++) if (match(k, w + 1)) return true;
      return false;
    }
    return a < actual.length && lineMatches(actual[a]!, wanted[w]!) && match(a + 1, w + 1);
  };
  return match(0, 0);
}

/** What one command printed (stdout and stderr together, as a terminal shows them) and its exit code. */
export interface CommandResult {
  command: DocCommand;
  output: string;
  exitCode: number;
}

const MARK = '@@kam-doc@@';

/**
 * Runs the commands in one bash session in `cwd` with `env`; background jobs still running at the end are killed
 * with the session's process group. Each command's output is read between markers the session prints.
 */
export async function runCommands(commands: readonly DocCommand[], cwd: string, env: NodeJS.ProcessEnv, limitMs = 300_000): Promise<CommandResult[]> {
  const script = [
    ...commands.flatMap((c) => [`printf '\\n${MARK}start\\n'`, `{ ${c.command}\n} 2>&1`, `printf '\\n${MARK}exit %s\\n' "$?"`]),
    // Background jobs of the doc (a server, a capture) end with the session.
    'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; true',
  ].join('\n');
  const bash = spawn('bash', ['--noprofile', '--norc', '-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  bash.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  bash.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A command that waits for something that never comes (a server that did not start) must not hang the test run.
  const limit = setTimeout(() => process.kill(-bash.pid!, 'SIGKILL'), limitMs);
  try {
    await once(bash, 'close');
  } finally {
    clearTimeout(limit);
    try {
      process.kill(-bash.pid!, 'SIGKILL');
    } catch {
      // The group is gone already: every job ended.
    }
  }
  const sections = stdout.split(`\n${MARK}start\n`).slice(1);
  if (sections.length !== commands.length) throw new Error(`the session ran ${sections.length} of ${commands.length} commands; stderr: ${stderr}`);
  return sections.map((section, i) => {
    const exit = new RegExp(`\\n${MARK}exit (\\d+)\\n`).exec(section);
    return { command: commands[i]!, output: exit ? section.slice(0, exit.index) : section, exitCode: exit ? Number(exit[1]) : -1 };
  });
}

/** The port the docs show; each run swaps it for a free one, so a server a developer runs on 6443 does not collide. */
export const DOC_PORT = '6443';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How one doc page ran: each command with what it printed, and the commands left out. */
export interface DocPageRun {
  results: CommandResult[];
  /** Commands not run because they sit at or after `skipFrom`. */
  skipped: DocCommand[];
}

/**
 * Runs every console command of a markdown page as a reader would: in a fresh empty folder, one bash session, with
 * `kube-auth-mock` (this checkout's src/cli/main.ts) and the newest kubectl on PATH, HOME in the temporary folder and
 * no KUBECONFIG. The page's port 6443 becomes a free port. Commands from the first line starting with `skipFrom`
 * (a heading) on are left out, for sections the machine cannot run (a capture that needs root).
 */
export async function runDocPage(markdownPath: string, opts: { skipFrom?: string } = {}): Promise<DocPageRun> {
  const folder = await tempDir('kam-doc-');
  try {
    const bin = join(folder.dir, '.bin');
    await mkdir(bin);
    // kube-auth-mock as a user would run it, from this checkout's sources.
    await writeFile(join(bin, 'kube-auth-mock'), `#!/bin/sh\nexec "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${MAIN}" "$@"\n`);
    await chmod(join(bin, 'kube-auth-mock'), 0o755);
    await symlink(newestKubectl().path, join(bin, 'kubectl'));
    const port = String(await freePort());
    const markdown = await readFile(markdownPath, 'utf8');
    const skipLine = opts.skipFrom === undefined ? 0 : markdown.split('\n').findIndex((l) => l.startsWith(opts.skipFrom!)) + 1;
    const all = consoleCommands(markdown);
    const runs = (c: DocCommand): boolean => skipLine === 0 || c.line < skipLine;
    const commands = all.filter(runs).map((c) => ({
      ...c,
      command: c.command.replaceAll(DOC_PORT, port),
      expected: c.expected.map((l) => l.replaceAll(DOC_PORT, port)),
    }));
    const work = join(folder.dir, 'work');
    await mkdir(work);
    const results = await runCommands(commands, work, { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: folder.dir, KUBECONFIG: '' });
    return { results, skipped: all.filter((c) => !runs(c)) };
  } finally {
    await folder.remove();
  }
}

/** One failure message per command whose output is not what the page shows; empty when the page holds. */
export function docMismatches(page: string, results: readonly CommandResult[]): string[] {
  return results
    .filter((r) => !outputMatches(r.output, r.command.expected))
    .map((r) => `${page}:${r.command.line}: $ ${r.command.command}\n--- the page shows:\n${r.command.expected.join('\n')}\n--- it printed (exit ${r.exitCode}):\n${r.output}`);
}
