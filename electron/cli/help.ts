// The help of each command, from the table in commands.ts: `furrow <command> --help`, `furrow help <command>`,
// and the overview `furrow --help` prints.
import type { CommandSpec, OptionSpec } from './commands';
import { COMMANDS, COMMON_OPTIONS, GROUPS, commandSpec, subcommandsOf, topLevel } from './commands';

/** `--name VALUE`, `-n, --n N`. */
export function optionLabel(name: string, option: OptionSpec): string {
  const long = name.length === 1 && option.short === name ? `-${name}` : `--${name}`;
  const flags = option.short && option.short !== name ? `-${option.short}, ${long}` : long;
  return option.type === 'string' ? `${flags} ${option.value ?? 'VALUE'}` : flags;
}

/** The help's lines are at most this wide. */
const WIDTH = 100;

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current];
}

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)));
  const pad = `${indent}${' '.repeat(width + 2)}`;
  return rows
    .map(([left, right]) => {
      const [first, ...more] = wrap(right, WIDTH - pad.length);
      const head =
        left.length > width ? `${indent}${left}\n${pad}${first}` : `${indent}${left.padEnd(width)}  ${first}`;
      return [head, ...more.map((m) => `${pad}${m}`)].join('\n');
    })
    .join('\n');
}

export function usageLine(spec: CommandSpec): string {
  const args = spec.args.map((a) => (a.optional ? `[${a.name}]` : a.name));
  return `furrow ${[spec.name, ...args].join(' ')}${Object.keys(spec.options).length ? ' [options]' : ''}`;
}

/** The usage and the options: what an unknown option or a missing argument is answered with. */
export function commandUsage(spec: CommandSpec): string {
  const options = { ...spec.options, ...COMMON_OPTIONS } as Record<string, OptionSpec>;
  const rows = Object.entries(options).map(([name, o]): [string, string] => [
    optionLabel(name, o),
    `${o.help}${o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : ''}`,
  ]);
  return `usage: ${usageLine(spec)}\n\noptions:\n${table(rows)}`;
}

export function commandHelp(spec: CommandSpec): string {
  return [
    `furrow ${spec.name} — ${spec.summary}`,
    '',
    commandUsage(spec),
    ...(spec.details ? ['', spec.details] : []),
    ...(spec.schemas?.length
      ? ['', `JSON (snake_case keys): ${spec.schemas.map((s) => `docs/schemas/${s}.json`).join(', ')}`]
      : []),
    '',
    'example:',
    `  ${spec.example}`,
  ].join('\n');
}

export function groupHelp(group: string): string {
  const verbs = subcommandsOf(group);
  return [
    `furrow ${group} — ${GROUPS[group]}`,
    '',
    'usage:',
    ...verbs.map((verb) => `  ${usageLine(commandSpec(`${group} ${verb}`)!)}`),
    '',
    'commands:',
    table(verbs.map((verb) => [verb, commandSpec(`${group} ${verb}`)!.summary])),
    '',
    `furrow ${group} <command> --help says more of each.`,
    '',
    'example:',
    `  ${commandSpec(`${group} ${verbs[0]}`)!.example}`,
  ].join('\n');
}

export const VERSION_TEXT = (version: string) => `furrow ${version}`;

export function overview(): string {
  const rows = topLevel().map((word): [string, string] => [word, GROUPS[word] ?? commandSpec(word)!.summary]);
  return [
    'furrow — parameter studies into one labelled dataset',
    '',
    'usage: furrow <command> [arguments] [options]',
    '',
    'commands:',
    table(rows),
    '',
    'options of every command:',
    table([
      ['-h, --help', 'the help of the command'],
      ['-q, --quiet', COMMON_OPTIONS.quiet.help],
      ['-V, --version', 'the version of Furrow (alone)'],
    ]),
    '',
    'furrow help <command> (or furrow <command> --help) says more of each; docs/cli.md has them all.',
    'NO_COLOR (or output that is not a terminal) turns colours and the progress bar off.',
    '',
    'example:',
    `  ${COMMANDS.init.example} && furrow run my-study`,
  ].join('\n');
}

/** The help of `words` (`run`, `crop`, `crop sow`), or null when they name no command. */
export function helpOf(words: string[]): string | null {
  if (words.length === 0) return overview();
  const spec = commandSpec(words.join(' '));
  if (spec) return commandHelp(spec);
  if (words.length === 1 && Object.hasOwn(GROUPS, words[0]!)) return groupHelp(words[0]!);
  return null;
}
