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
 * Parses argv in kube's flag style: --flag=value and --flag value, repeatable flags, and booleans that
 * also take =true / =false (--anonymous-auth=false), which node's parseArgs alone does not.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] } {
  const booleans = new Set(specs.filter((s) => s.type === 'boolean').map((s) => s.name));
  const normalized: string[] = [];
  for (const arg of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(arg);
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
  try {
    const { values, positionals } = parseArgs({ args: normalized, options, allowPositionals: true, allowNegative: true, strict: true });
    return { values: values as Record<string, string | string[] | boolean | undefined>, positionals };
  } catch (err) {
    throw new ConfigError({ file: 'command line', reason: (err as Error).message, code: 'FLAG_INVALID' });
  }
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
