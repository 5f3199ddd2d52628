// `furrow completion bash|zsh|fish`: a small script per shell that asks `furrow __complete <words>` what the
// word being typed may become. The answers come from the table (commands.ts) and from the study on disk: study
// folders, plot names from plots.yaml, crop names. `:files` or `:dirs` alone tells the shell to complete paths.
import fs from 'node:fs';
import path from 'node:path';
import { examplesDir } from '../host/paths';
import { parseCommand, UsageError } from './args';
import type { CommandSpec, Completion, OptionSpec } from './commands';
import { COMMANDS, COMMON_OPTIONS, GROUPS, commandSpec, subcommandsOf, topLevel } from './commands';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

// What reads the study is loaded only when a study's names are asked for: a Tab on a command or an option stays quick.

/** Folders under the typed prefix: a study folder as itself, any other folder with a `/` to go into it. */
async function studyFolders(typed: string): Promise<string[]> {
  const { STUDY_FILE } = await import('../engine/study/study');
  const base = typed.endsWith('/') ? typed : path.dirname(typed);
  const start = typed.endsWith('/') ? '' : path.basename(typed);
  const shown = base === '.' && !typed.startsWith('./') ? '' : base.endsWith('/') ? base : `${base}/`;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(base || '.', { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && e.name.startsWith(start) && (start.startsWith('.') || !e.name.startsWith('.')))
    .filter((e) => !['node_modules'].includes(e.name))
    .map((e) => {
      const dir = path.join(base, e.name);
      return fs.existsSync(path.join(dir, STUDY_FILE)) ? `${shown}${e.name}` : `${shown}${e.name}/`;
    })
    .sort();
}

async function plotNames(study: string | undefined): Promise<string[]> {
  if (!study) return [];
  const { PLOTS_FILE, readPlotsFile } = await import('../engine/plots/plots-file');
  try {
    return Object.keys(readPlotsFile(path.join(study, PLOTS_FILE)));
  } catch {
    return [];
  }
}

async function crops(study: string | undefined): Promise<string[]> {
  if (!study) return [];
  const { listCrops } = await import('../engine/crop/crop');
  try {
    return listCrops(path.resolve(study));
  } catch {
    return [];
  }
}

async function candidates(kind: Completion | undefined, typed: string, study: string | undefined): Promise<string[]> {
  switch (kind?.kind) {
    case 'choices':
      return [...kind.choices];
    case 'files':
      return [':files'];
    case 'dirs':
      return [':dirs'];
    case 'studies':
      return studyFolders(typed);
    case 'plots':
      return plotNames(study);
    case 'crops':
      return crops(study);
    case 'examples':
      return (await import('../engine/study/study-create')).listExamples(examplesDir);
    case 'commands':
      return topLevel();
    default:
      return [];
  }
}

function optionsOf(spec: CommandSpec): Record<string, OptionSpec> {
  return { ...spec.options, ...COMMON_OPTIONS };
}

/** The option a word names (`--name`, `-n`), if any. */
function optionNamed(spec: CommandSpec, word: string): OptionSpec | undefined {
  const options = optionsOf(spec);
  if (word.startsWith('--')) return options[word.slice(2)];
  if (/^-[A-Za-z]$/.test(word)) return Object.values(options).find((o) => o.short === word.slice(1));
  return undefined;
}

/** What the last of `words` (the words after `furrow`, the last one being typed) may become. */
export async function completeWords(words: string[]): Promise<string[]> {
  const typed = words.at(-1) ?? '';
  const before = words.slice(0, -1).filter((w, i, all) => !(i < all.findIndex((x) => !x.startsWith('-'))));
  const matching = (list: string[]) =>
    list.length === 1 && list[0]!.startsWith(':') ? list : list.filter((c) => c.startsWith(typed));
  if (before.length === 0) {
    return matching(typed.startsWith('-') ? ['--help', '--version', '--quiet'] : topLevel());
  }
  const [command, ...rest] = before;
  if (command === 'help') {
    if (rest.length === 0) return matching(topLevel());
    return rest.length === 1 && Object.hasOwn(GROUPS, rest[0]!) ? matching(subcommandsOf(rest[0]!)) : [];
  }
  let spec: CommandSpec | undefined;
  let args = rest;
  if (Object.hasOwn(GROUPS, command!)) {
    if (rest.length === 0) return matching(typed.startsWith('-') ? ['--help'] : subcommandsOf(command!));
    spec = commandSpec(`${command} ${rest[0]}`);
    args = rest.slice(1);
  } else spec = commandSpec(command!);
  if (!spec) return [];

  // The positionals typed so far (an option's value is not one), and the study among them.
  const positionals: string[] = [];
  let pending: OptionSpec | undefined;
  for (const word of args) {
    if (pending) {
      pending = undefined;
      continue;
    }
    const option = optionNamed(spec, word);
    if (option) {
      if (option.type === 'string') pending = option;
    } else if (!word.startsWith('-')) positionals.push(word);
  }
  const studyAt = spec.args.findIndex((a) => a.complete?.kind === 'studies');
  const study = studyAt >= 0 ? positionals[studyAt] : undefined;
  if (pending) return matching(await candidates(pending.complete, typed, study));
  if (typed.startsWith('-')) {
    return matching(Object.keys(optionsOf(spec)).map((name) => (name.length === 1 ? `-${name}` : `--${name}`)));
  }
  return matching(await candidates(spec.args[positionals.length]?.complete, typed, study));
}

const BASH = `# furrow's completion for bash (furrow completion bash). Install:
#   furrow completion bash > ~/.local/share/bash-completion/completions/furrow
# or add to ~/.bashrc:  source <(furrow completion bash)
_furrow() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\\n'
  local answers=($(furrow __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  case "\${answers[0]}" in
    :files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    :dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    *)
      COMPREPLY=("\${answers[@]}")
      if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == */ ]]; then compopt -o nospace 2>/dev/null; fi
      ;;
  esac
}
complete -F _furrow furrow
`;

const ZSH = `#compdef furrow
# furrow's completion for zsh (furrow completion zsh). Install:
#   furrow completion zsh > "\${fpath[1]}/_furrow"    (then start a new shell)
# or add to ~/.zshrc, after compinit:  source <(furrow completion zsh)
_furrow() {
  local -a answers folders others
  answers=("\${(@f)$(furrow __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case "$answers[1]" in
    :files) _files ;;
    :dirs) _files -/ ;;
    *)
      for a in $answers; do
        if [[ $a == */ ]]; then folders+=("$a"); elif [[ -n $a ]]; then others+=("$a"); fi
      done
      (( $#folders )) && compadd -Q -S '' -a folders
      (( $#others )) && compadd -Q -a others
      ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _furrow "$@"
else
  compdef _furrow furrow
fi
`;

const FISH = `# furrow's completion for fish (furrow completion fish). Install:
#   furrow completion fish > ~/.config/fish/completions/furrow.fish
function __furrow_complete
    set -l before (commandline -opc)
    set -l typed (commandline -ct)
    set -l answers (furrow __complete $before[2..-1] "$typed" 2>/dev/null)
    switch "$answers[1]"
        case :files
            __fish_complete_path "$typed"
        case :dirs
            __fish_complete_directories "$typed"
        case '*'
            printf '%s\\n' $answers
    end
end
complete -c furrow -f -a '(__furrow_complete)'
`;

export const COMPLETION_SCRIPTS: Record<(typeof SHELLS)[number], string> = { bash: BASH, zsh: ZSH, fish: FISH };

export function completionCommand(args: string[]): number {
  const parsed = parseCommand(COMMANDS.completion, args);
  if (!parsed) return 0;
  const shell = parsed.positionals[0];
  if (!shell || !(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`completion ${shell ?? ''}: choose ${SHELLS.join(', ')}`);
  }
  process.stdout.write(COMPLETION_SCRIPTS[shell as (typeof SHELLS)[number]]);
  return 0;
}
