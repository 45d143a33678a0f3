// parseFlags in pflag's manner (spf13/pflag flag.go): --flag=value and --flag value, booleans with =true/=false,
// "--" ends the flags; and usage mistakes as UsageErrors in our words, never node parseArgs' text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFlags, UsageError, type FlagSpec } from '../../../src/cli/flags.js';

const SPECS: readonly FlagSpec[] = [
  { name: 'user', type: 'string', help: '' },
  { name: 'group', type: 'string', multiple: true, help: '' },
  { name: 'out', type: 'string', short: 'o', help: '' },
  { name: 'anonymous-auth', type: 'boolean', help: '' },
];

const ok: { name: string; argv: string[]; positionals?: boolean; values: Record<string, unknown>; rest?: string[] }[] = [
  { name: 'space and = forms', argv: ['--user', 'jane', '--group=a', '--group', 'b', '-o', 'f'], values: { user: 'jane', group: ['a', 'b'], out: 'f' } },
  { name: 'boolean =false', argv: ['--anonymous-auth=false'], values: { 'anonymous-auth': false } },
  { name: 'boolean =true', argv: ['--anonymous-auth=true'], values: { 'anonymous-auth': true } },
  { name: 'a string flag takes a dashed next word, as pflag does', argv: ['--user', '--group'], values: { user: '--group' } },
  { name: 'positionals where the command takes them', argv: ['a', '--user', 'x', 'b'], positionals: true, values: { user: 'x' }, rest: ['a', 'b'] },
  { name: 'after --, a dashed word is a positional', argv: ['--', '--bogus'], positionals: true, values: {}, rest: ['--bogus'] },
];
for (const c of ok) {
  test(`parseFlags: ${c.name}`, () => {
    const { values, positionals } = parseFlags(c.argv, SPECS, { command: 'x', positionals: c.positionals ?? false });
    assert.deepEqual({ ...values }, c.values);
    assert.deepEqual(positionals, c.rest ?? []);
  });
}

const bad: { name: string; argv: string[]; message: string }[] = [
  { name: 'unknown long flag', argv: ['--bogus'], message: 'unknown flag --bogus' },
  { name: 'unknown shorthand', argv: ['-z'], message: 'unknown flag -z' },
  { name: 'negated string flag', argv: ['--no-user'], message: 'unknown flag --no-user' },
  { name: 'string flag without value', argv: ['--user'], message: 'flag needs an argument: --user' },
  { name: 'shorthand without value', argv: ['-o'], message: 'flag needs an argument: -o' },
  { name: 'boolean then a separate false', argv: ['--anonymous-auth', 'false'], message: 'unexpected argument "false" after --anonymous-auth: a boolean flag takes its value after "=", as in --anonymous-auth=false' },
  { name: 'stray word', argv: ['--user', 'jane', 'dev'], message: 'unexpected argument "dev": x takes flags only' },
  { name: 'stray words', argv: ['a', 'b'], message: 'unexpected arguments "a" "b": x takes flags only' },
  { name: 'stray after --', argv: ['--', '--user'], message: 'unexpected argument "--user": x takes flags only' },
];
for (const c of bad) {
  test(`parseFlags refuses: ${c.name}`, () => {
    assert.throws(
      () => parseFlags(c.argv, SPECS, { command: 'x' }),
      (err: unknown) => err instanceof UsageError && err.command === 'x' && err.message === c.message,
    );
  });
}
