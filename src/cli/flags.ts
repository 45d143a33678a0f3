import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../util/errors.js';

/** One flag of a subcommand, as its --help lists it. */
export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  default?: string;
  help: string;
}

/**
 * A mistake in how a command was called (an unknown flag, a flag without its value, a stray argument): main prints it
 * as one line naming the command, points at its --help, and exits 2, as cobra does for usage errors.
 */
export class UsageError extends Error {
  /** The command as typed, e.g. "serve" or "pki cert", for the --help pointer. */
  readonly command: string;

  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** How a command takes arguments besides its flags. */
export interface ParseOptions {
  /** The command as typed ("serve", "pki cert"): usage errors name it. */
  command: string;
  /** Whether the command reads positional arguments (FILE..., a scenario NAME); if not, any is a usage error. */
  positionals?: boolean;
}

/**
 * Parses argv in kube's flag style (spf13/pflag): --flag=value and --flag value, repeatable flags, and booleans that
 * also take =true / =false (--anonymous-auth=false), which node's parseArgs alone does not. Usage mistakes are
 * UsageErrors in pflag's words (flag.go: "unknown flag: --x", "flag needs an argument: --x"), never parseArgs' text.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], opts: ParseOptions): { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] } {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const booleans = new Set(specs.filter((s) => s.type === 'boolean').map((s) => s.name));
  const normalized: string[] = [];
  let terminated = false;
  for (const arg of argv) {
    if (arg === '--') terminated = true;
    const m = terminated ? null : /^--([^=]+)=(.*)$/.exec(arg);
    if (m && booleans.has(m[1]!)) {
      if (m[2] === 'true') normalized.push(`--${m[1]}`);
      else if (m[2] === 'false') normalized.push(`--no-${m[1]}`);
      else throw new ConfigError({ file: `--${m[1]}`, reason: `invalid boolean value ${JSON.stringify(m[2])}: use true or false`, code: 'FLAG_INVALID' });
    } else normalized.push(arg);
  }
  const options: ParseArgsConfig['options'] = {};
  for (const spec of specs) {
    options[spec.name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) };
  }
  // Not strict: the tokens are checked here instead, so each mistake is reported in our words. Like pflag, a string
  // flag takes the next word as its value even when it starts with a dash.
  const { values, positionals, tokens } = parseArgs({ args: normalized, options, allowPositionals: true, allowNegative: true, strict: false, tokens: true });
  const shorts = new Map(specs.filter((s) => s.short !== undefined).map((s) => [s.short!, s]));
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    // A shorthand's token carries the long name (-o is "out"); an unknown one carries the letter.
    const spec = token.rawName.startsWith('--') ? byName.get(token.name) : shorts.get(token.rawName.slice(1));
    const negated = token.rawName.startsWith('--no-');
    if (spec === undefined || (negated && spec.type !== 'boolean')) throw new UsageError(opts.command, `unknown flag ${token.rawName}`);
    if (spec.type === 'string' && token.value === undefined) throw new UsageError(opts.command, `flag needs an argument: ${token.rawName}`);
  }
  if (!opts.positionals && positionals.length > 0) {
    // "--anonymous-auth false": pflag reads a boolean flag's value only after "=", so the word is a stray argument.
    for (const token of tokens) {
      if (token.kind !== 'positional' || (token.value !== 'true' && token.value !== 'false')) continue;
      const before = tokens.find((t) => t.index === token.index - 1);
      if (before?.kind === 'option' && booleans.has(before.name) && before.rawName.startsWith('--')) {
        throw new UsageError(opts.command, `unexpected argument ${JSON.stringify(token.value)} after ${before.rawName}: a boolean flag takes its value after "=", as in --${before.name}=${token.value}`);
      }
    }
    throw new UsageError(opts.command, `unexpected argument${positionals.length > 1 ? 's' : ''} ${positionals.map((p) => JSON.stringify(p)).join(' ')}: ${opts.command} takes flags only`);
  }
  return { values: values as Record<string, string | string[] | boolean | undefined>, positionals };
}

/**
 * Cobra's required-flag check, in our words: one UsageError naming every required flag not given, each with its
 * placeholder ("required flags --user NAME, --verb VERB not set"), so a script calling us sees what is missing.
 * Returns their values, in the order asked for.
 */
export function requiredFlags<const R extends readonly (readonly [name: string, placeholder: string])[]>(command: string, values: Record<string, unknown>, required: R, alternative?: string): { [K in keyof R]: string } {
  const missing = required.filter(([name]) => stringFlag(values, name) === undefined).map(([name, placeholder]) => `--${name} ${placeholder}`);
  if (missing.length > 0) throw new UsageError(command, `required flag${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not set${alternative === undefined ? '' : ` (${alternative})`}`);
  return required.map(([name]) => stringFlag(values, name)!) as { [K in keyof R]: string };
}

/** The --help text: usage and examples first, then every flag with its default. */
export function helpText(usage: string, examples: readonly string[], specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const name = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'string' ? ' VALUE' : ''}`;
    const def = s.default !== undefined ? ` (default ${s.default})` : '';
    return `  ${name.padEnd(34)} ${s.help}${def}${s.multiple ? ' (repeatable)' : ''}`;
  });
  return `Usage: ${usage}\n\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n\nFlags:\n${rows.join('\n')}\n`;
}

/** A string flag's value, or its default. */
export function stringFlag(values: Record<string, unknown>, name: string, fallback?: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

/** A repeatable flag's values; each may also be a comma list, as kube's string-slice flags allow. */
export function listFlag(values: Record<string, unknown>, name: string): string[] {
  const v = values[name];
  const list = Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
  return list.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
}

/** A port flag: a whole number from 0 to 65535. */
export function portFlag(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = stringFlag(values, name);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError({ file: `--${name}`, reason: `${JSON.stringify(raw)} is not a port number (0 to 65535)`, code: 'FLAG_INVALID' });
  }
  return port;
}
