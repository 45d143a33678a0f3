import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consoleCommands, outputMatches, runCommands } from '../../helpers/doc-runner.js';

const DOC = [
  'Intro',
  '```console',
  '$ echo one',
  'one',
  '$ printf "a\\nb\\nc\\n" \\',
  '  | cat',
  'a',
  '...',
  '$ echo "serial 0A:1B"',
  'serial ...',
  '```',
  '```sh',
  '$ not-a-console-block',
  '```',
].join('\n');

test('console blocks give each command with its continuation lines and expected output', () => {
  const commands = consoleCommands(DOC);
  assert.deepEqual(commands.map((c) => [c.command, c.expected, c.line]), [
    ['echo one', ['one'], 3],
    ['printf "a\\nb\\nc\\n" \\\n  | cat', ['a', '...'], 5],
    ['echo "serial 0A:1B"', ['serial ...'], 9],
  ]);
});

const MATCHES: [string, string, string[], boolean][] = [
  ['exact', 'one\n', ['one'], true],
  ['trailing blank lines ignored', 'one\n\n', ['one', ''], true],
  ['a line differs', 'two\n', ['one'], false],
  ['... in a line matches any text', 'serial 0A:1B', ['serial ...'], true],
  ['... alone matches several lines', 'a\nb\nc', ['a', '...', 'c'], true],
  ['... alone matches no line', 'a\nc', ['a', '...', 'c'], true],
  ['missing line', 'a', ['a', 'b'], false],
  ['extra line', 'a\nb', ['a'], false],
  ['regex characters are literal', 'a+b', ['a.b'], false],
];

for (const [name, output, expected, want] of MATCHES) {
  test(`output matching: ${name}`, () => assert.equal(outputMatches(output, expected), want));
}

test('commands run in one session: variables and background jobs carry over, each output is its own', async () => {
  const results = await runCommands(consoleCommands(['```console', '$ x=41; echo set', 'set', '$ echo $((x + 1)); false', '42', '$ sleep 30 &', '```'].join('\n')), process.cwd(), process.env);
  assert.deepEqual(results.map((r) => [r.output.trim(), r.exitCode]), [['set', 0], ['42', 1], ['', 0]]);
});
