// `furrow completion bash|zsh|fish`: the script bash really loads and calls (with `furrow` on the PATH as `npm link`
// puts it), completing commands, subcommands, options, option values, study folders, plot names from plots.yaml
// and crop names; zsh and fish load their scripts and complete the same, where those shells are installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, exampleStudy, furrow, tempDir } from '../helpers/furrow';

/** A folder holding a `furrow` that runs the built command line, as npm link makes one. */
function furrowOnPath(): string {
  const bin = tempDir('furrow-bin-');
  fs.writeFileSync(path.join(bin, 'furrow'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  return bin;
}

describe('furrow completion', () => {
  let bin: string;
  let root: string;
  beforeAll(async () => {
    bin = furrowOnPath();
    // A folder with two studies and a folder that is none; one study has plots and a crop.
    const study = await exampleStudy('foo');
    root = path.dirname(study);
    fs.renameSync(study, path.join(root, 'alpha'));
    fs.mkdirSync(path.join(root, 'notes'));
    fs.cpSync(path.join(root, 'alpha'), path.join(root, 'another'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'alpha', 'plots.yaml'),
      'energy:\n  kind: line\n  x: a\n  y: a_out\nspread:\n  kind: line\n  x: b\n  y: b_out\n',
    );
    const sow = await furrow(['crop', 'sow', path.join(root, 'alpha'), '--name', 'night', '--batches', '2']);
    expect(sow.code, sow.stderr).toBe(0);
  }, 60_000);

  /** What bash offers for `line` (the cursor at its end), through the script `furrow completion bash` prints. */
  function bash(line: string): string[] {
    const script = `
      source <(furrow completion bash)
      COMP_LINE=${JSON.stringify(line)}
      read -ra COMP_WORDS <<< "$COMP_LINE"
      [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
      COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
      _furrow
      printf '%s\\n' "\${COMPREPLY[@]}"
    `;
    const r = spawnSync('bash', ['-c', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` },
    });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it('completes commands, subcommands, options and their values in bash', () => {
    expect(bash('furrow ')).toEqual(expect.arrayContaining(['init', 'run', 'crop', 'doctor', 'completion', 'help']));
    expect(bash('furrow co')).toEqual(['combine', 'completion']);
    expect(bash('furrow crop ')).toEqual(['sow', 'grow', 'submit', 'status', 'reap', 'cancel']);
    expect(bash('furrow run alpha --mi')).toEqual(['--missing-only']);
    expect(bash('furrow db alpha --format ')).toEqual(['table', 'csv', 'json']);
    expect(bash('furrow crop submit alpha --scheduler s')).toEqual(['slurm', 'sge']);
    expect(bash('furrow init x --example ')).toEqual(expect.arrayContaining(['foo', 'blank', 'random-walk']));
    expect(bash('furrow completion ')).toEqual(['bash', 'zsh', 'fish']);
    expect(bash('furrow help cr')).toEqual(['crop']);
  });

  it('completes study folders, plot names from plots.yaml and crop names', () => {
    // Studies as themselves, other folders to go into (no space after them).
    expect(bash('furrow run ')).toEqual(['alpha', 'another', 'notes/']);
    expect(bash('furrow run al')).toEqual(['alpha']);
    expect(bash('furrow export alpha --only ')).toEqual(['energy', 'spread']);
    expect(bash('furrow export another --only ')).toEqual([]);
    expect(bash('furrow crop status alpha --name ')).toEqual(['night']);
    // A file where a file is asked for: the shell's own file names.
    expect(bash('furrow inspect alp')).toEqual(['alpha']);
    expect(bash('furrow run alpha --cases al')).toEqual(['alpha']);
  });

  /** What `shell` offers, through the script `furrow completion <shell>` prints; null when the shell is not here. */
  function offered(shell: 'zsh' | 'fish', words: string[]): string[] | null {
    if (spawnSync(shell, ['--version']).error) {
      console.warn(`${shell} is not installed here: its completion script is not tried`);
      return null;
    }
    const file = path.join(tempDir(), `furrow.${shell}`);
    const printed = spawnSync(process.execPath, [CLI, 'completion', shell], { encoding: 'utf8' });
    fs.writeFileSync(file, printed.stdout);
    expect(spawnSync(shell, ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    const script =
      shell === 'fish'
        ? `source ${file}; complete -C ${JSON.stringify(words.join(' '))}`
        : // zsh outside its completion system: compadd and _files stand in, printing what they are given.
          `compdef() { : }; compadd() { local arr=\${@[-1]}; print -l -- \${(P)arr} }; _files() { print -- ':files' }
           source ${file}; words=(${words.map((w) => JSON.stringify(w)).join(' ')}); CURRENT=${words.length}; _furrow`;
    const r = spawnSync(shell, ['-c', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` },
    });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it('completes in zsh and fish too', () => {
    const zsh = (...words: string[]) => offered('zsh', words);
    if (zsh('furrow', '') !== null) {
      expect(zsh('furrow', 'crop', '')).toEqual(['sow', 'grow', 'submit', 'status', 'reap', 'cancel']);
      expect(zsh('furrow', 'export', 'alpha', '--only', '')).toEqual(['energy', 'spread']);
      expect(zsh('furrow', 'run', '')).toEqual(['notes/', 'alpha', 'another']);
      expect(zsh('furrow', 'inspect', 'a')).toEqual([':files']);
    }
    const fish = (...words: string[]) => offered('fish', words);
    if (fish('furrow', '') !== null) {
      expect(fish('furrow', 'crop', '')?.sort()).toEqual(['cancel', 'grow', 'reap', 'sow', 'status', 'submit']);
      expect(fish('furrow', 'crop', 'status', 'alpha', '--name', '')).toEqual(['night']);
      expect(fish('furrow', 'db', 'alpha', '--format', '')).toEqual(['csv', 'json', 'table']);
      expect(fish('furrow', 'inspect', 'alpha/stu')).toEqual(['alpha/study.yaml']);
    }
  });

  it('refuses a shell it has no script for', async () => {
    const r = await furrow(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/completion tcsh: choose bash, zsh, fish/);
  });
});
