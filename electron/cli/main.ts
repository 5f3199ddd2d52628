// The `furrow` command line: the same engine the app uses, for scripts, terminals and cluster jobs. This module
// reads the command and loads only the module of that command, so help, --version and the shell's completion
// start fast.
import fs from 'node:fs';
import path from 'node:path';
import { asDiskError } from '../engine/dataset/disk';
import { FurrowError, StudyFileError } from '../engine/errors';
import { excerptOf } from '../engine/run/model-error';
import { appRoot } from '../host/paths';
import { asksForHelp, parseCommand, reading, UsageError } from './args';
import { COMMANDS, commandSpec, GROUPS } from './commands';
import { commandUsage, groupHelp, helpOf, overview, VERSION_TEXT } from './help';
import { data, exitQuietlyOnClosedPipe, output, problem } from './output';

type Command = (args: string[]) => number | Promise<number>;

/** Each command's module, loaded when the command is asked for. */
const COMMAND_MODULES: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./study-commands')).init,
  run: async () => (await import('./study-commands')).run,
  sample: async () => (await import('./study-commands')).sample,
  sensitivity: async () => (await import('./sensitivity')).sensitivityCommand,
  adapt: async () => (await import('./adapt')).adaptCommand,
  inspect: async () => (await import('./study-commands')).inspect,
  dataset: async () => (await import('./study-commands')).datasetCommand,
  serve: async () => (await import('./study-commands')).serveCommand,
  combine: async () => (await import('./combine')).combineCommand,
  db: async () => (await import('./db')).dbCommand,
  export: async () => (await import('./export')).exportCommand,
  crop: async () => (await import('./crop')).cropCommand,
  'grow-batch': async () => (await import('./crop')).growBatchCommand,
  doctor: async () => (await import('./doctor')).doctorCommand,
  completion: async () => (await import('./completion')).completionCommand,
  // What the completion scripts call: the words typed so far, the last one being completed.
  __complete: async () => async (words) => {
    for (const word of await (await import('./completion')).completeWords(words)) data(word);
    return 0;
  },
};

function showHelp(words: string[]): number {
  const help = helpOf(words);
  if (help === null) throw new UsageError(`help: no command '${words.join(' ')}'; furrow --help lists them`);
  data(help);
  return 0;
}

function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The options that may come before the command: -q, -h, -V. */
const LEADING: Record<string, 'quiet' | 'help' | 'version'> = {
  '-q': 'quiet',
  '--quiet': 'quiet',
  '-h': 'help',
  '--help': 'help',
  '-V': 'version',
  '--version': 'version',
};

export async function main(argv: string[]): Promise<number> {
  let at = 0;
  for (; at < argv.length && Object.hasOwn(LEADING, argv[at]!); at++) {
    const option = LEADING[argv[at]!];
    if (option === 'quiet') output.quiet = true;
    else if (option === 'version') {
      data(VERSION_TEXT(version()));
      return 0;
    } else return showHelp([]);
  }
  const [command, ...rest] = argv.slice(at);
  if (command !== undefined && Object.hasOwn(COMMAND_MODULES, command)) {
    // The help needs only the table: given without loading the command's module.
    const group = Object.hasOwn(GROUPS, command);
    const spec = commandSpec(group ? `${command} ${rest[0]}` : command);
    if (spec && asksForHelp(spec, group ? rest.slice(1) : rest)) return showHelp(spec.name.split(' '));
    return (await COMMAND_MODULES[command]!())(rest);
  }
  switch (command) {
    case 'help': {
      const parsed = parseCommand(COMMANDS.help, rest);
      return parsed ? showHelp(parsed.positionals) : 0;
    }
    case undefined:
      return showHelp([]);
    default:
      throw new UsageError(
        command.startsWith('-')
          ? `unknown option '${command}'`
          : `unknown command '${command}'; furrow --help lists them`,
      );
  }
}

/** What to do about an error, as the command line says it. */
function adviceOf(error: FurrowError): string {
  if (!(error instanceof StudyFileError)) return '';
  if (error.details.reason === 'no-folder') return `; create one with \`furrow init ${error.file}\``;
  if (error.details.reason === 'no-study-file') return `; create one with \`furrow init ${path.dirname(error.file)}\``;
  return '';
}

exitQuietlyOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (raw: unknown) => {
    // A write that failed for the disk's sake wherever it happened: what a person can act on, not a stack.
    const where = (raw as NodeJS.ErrnoException | null)?.path;
    const error = asDiskError(raw, where ?? process.cwd(), 'Free some space and try again');
    if (error instanceof FurrowError && error.code === 'cancelled') {
      problem(`furrow: ${error.message}`);
      process.exitCode = 130;
    } else if (error instanceof FurrowError && error.code === 'io') {
      // A write failed for the disk's sake (nothing of it was kept): the run's cases are recorded failed.
      problem(`furrow: ${error.message}`);
      process.exitCode = 1;
    } else if (error instanceof UsageError) {
      // The command's own usage when one was being read; else the list of commands.
      const usage = reading.command
        ? `${commandUsage(reading.command)}\n\nfurrow ${reading.command.name} --help says more.`
        : reading.group
          ? groupHelp(reading.group)
          : overview();
      problem(`furrow: ${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (error instanceof FurrowError && error.code !== 'internal') {
      problem(
        `furrow: ${error.message}${adviceOf(error)}${error.details.at ? `\n${excerptOf(error.details.at)}` : ''}`,
      );
      process.exitCode = 2;
    } else {
      problem(`furrow: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 3;
    }
  },
);
