// docs/tls-handshake.md runs here, command by command, in a fresh folder with kube-auth-mock and the newest kubectl
// on PATH: what the page shows is what these commands print today. The page's port 6443 is swapped for a free one,
// so a server a developer runs on 6443 does not collide with the test.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newestKubectl, tempDir } from '../helpers/clients.js';
import { consoleCommands, outputMatches, runCommands, type CommandResult } from '../helpers/doc-runner.js';

const DOC = fileURLToPath(new URL('../../docs/tls-handshake.md', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Section 7 captures loopback traffic with tshark, which needs root (CI runs as root) or the wireshark group's rights.
const CAPTURE_SECTION = '## 7.';
const canCapture = existsSync('/usr/bin/tshark') && process.getuid?.() === 0;

let results: CommandResult[] = [];
let folder: Awaited<ReturnType<typeof tempDir>>;

before(async () => {
  folder = await tempDir('kam-tls-doc-');
  const bin = join(folder.dir, '.bin');
  await mkdir(bin);
  // kube-auth-mock as a user would run it, from this checkout's sources.
  await writeFile(join(bin, 'kube-auth-mock'), `#!/bin/sh\nexec "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${MAIN}" "$@"\n`);
  await chmod(join(bin, 'kube-auth-mock'), 0o755);
  await symlink(newestKubectl().path, join(bin, 'kubectl'));
  const port = String(await freePort());
  const markdown = await readFile(DOC, 'utf8');
  const captureLine = markdown.split('\n').findIndex((l) => l.startsWith(CAPTURE_SECTION)) + 1;
  const commands = consoleCommands(markdown).filter((c) => canCapture || c.line < captureLine).map((c) => ({
    ...c,
    command: c.command.replaceAll('6443', port),
    expected: c.expected.map((l) => l.replaceAll('6443', port)),
  }));
  const work = join(folder.dir, 'work');
  await mkdir(work);
  results = await runCommands(commands, work, { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: folder.dir, KUBECONFIG: '' });
});

after(() => folder?.remove());

test('docs/tls-handshake.md shows commands', () => assert.ok(results.length >= 10, `only ${results.length} commands found`));

test('section 7 (a tshark capture) ran', { skip: canCapture ? false : 'tshark is missing or this user may not capture on lo: section 7 of docs/tls-handshake.md was not run' }, () => {
  assert.ok(results.some((r) => r.command.command.startsWith('tshark')));
});

test('every command of docs/tls-handshake.md prints what the page shows', () => {
  const wrong = results.filter((r) => !outputMatches(r.output, r.command.expected));
  assert.deepEqual(
    wrong.map((r) => `docs/tls-handshake.md:${r.command.line}: $ ${r.command.command}\n--- the page shows:\n${r.command.expected.join('\n')}\n--- it printed (exit ${r.exitCode}):\n${r.output}`),
    [],
  );
});
