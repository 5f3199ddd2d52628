// Reading the command line's arguments, shared by its commands. A UsageError is printed with the usage of the
// command it is about.
import { parseArgs } from 'node:util';
import { FurrowError } from '../engine/errors';
import type { CommandSpec, OptionSpec } from './commands';
import { COMMON_OPTIONS } from './commands';
import { commandHelp } from './help';
import { data, output } from './output';

/** The command line was used wrongly: the message, then the usage of the command being read. */
export class UsageError extends FurrowError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

/** The command whose arguments were read last: its usage follows a UsageError. */
export const reading: { command: CommandSpec | null; group: string | null } = { command: null, group: null };

/** Whether the arguments ask for help (-h or --help as an option, not as the value of one). */
export function asksForHelp(spec: CommandSpec, args: string[]): boolean {
  const { tokens } = parseArgs({
    args,
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: { ...spec.options, ...COMMON_OPTIONS },
  });
  return tokens.some((t) => t.kind === 'option' && t.name === 'help');
}

/**
 * Read `args` as `spec` says, with -q/--quiet and -h/--help. Returns null when the help was asked for (and
 * printed); an unknown option or a missing value is a UsageError naming it.
 */
export function parseCommand<O extends Readonly<Record<string, OptionSpec>>>(
  spec: CommandSpec & { readonly options: O },
  args: string[],
) {
  reading.command = spec;
  if (asksForHelp(spec, args)) {
    data(commandHelp(spec));
    return null;
  }
  type Config = { args: string[]; allowPositionals: true; options: O & typeof COMMON_OPTIONS };
  let parsed;
  try {
    parsed = parseArgs<Config>({ args, allowPositionals: true, options: { ...spec.options, ...COMMON_OPTIONS } });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw error;
    const unknown = /^Unknown option '([^']*)'/.exec((error as Error).message);
    throw new UsageError(
      unknown ? `${spec.name}: unknown option '${unknown[1]}'` : `${spec.name}: ${(error as Error).message}`,
    );
  }
  if ((parsed.values as { quiet?: boolean }).quiet) output.quiet = true;
  return parsed;
}

export function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${text}: give a whole number ≥ 1`);
  return n;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** A size in bytes: 0, 500MB, 2.5GiB (KB, MB, GB, TB of 1000; KiB, MiB, GiB, TiB of 1024), or `all` (no limit). */
export function byteSize(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (text.trim().toLowerCase() === 'all') return Infinity;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m?.[2]!.toLowerCase() ?? '';
  const scale = m && Object.hasOwn(BYTE_UNITS, unit) ? BYTE_UNITS[unit] : undefined;
  if (!m || scale === undefined) {
    throw new UsageError(`${flag} ${text}: give a size such as 500MB or 4GiB, 0 for none, or all`);
  }
  return Math.round(Number(m[1]) * scale);
}

/** A number of seconds ≥ 0, as milliseconds. */
export function seconds(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} ${text}: give a number of seconds ≥ 0`);
  return n * 1000;
}
