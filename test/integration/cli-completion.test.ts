// `furrow completion bash|zsh|fish`: the script bash really loads and calls (with `furrow` on the PATH as `npm link`
// puts it), completing commands, subcommands, options, option values, study folders, plot names from plots.yaml
// and crop names; zsh and fish scripts are checked by their shells where those are installed.
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

  it('prints scripts zsh and fish accept', () => {
    for (const shell of ['zsh', 'fish']) {
      const script = spawnSync(process.execPath, [CLI, 'completion', shell], { encoding: 'utf8' });
      expect(script.status).toBe(0);
      expect(script.stdout).toContain('furrow __complete');
      const probe = spawnSync(shell, ['--version'], { encoding: 'utf8' });
      if (probe.error) {
        console.warn(`${shell} is not installed here: its completion script is not checked by ${shell}`);
        continue;
      }
      const file = path.join(tempDir(), `furrow.${shell}`);
      fs.writeFileSync(file, script.stdout);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
  });

  it('refuses a shell it has no script for', async () => {
    const r = await furrow(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/completion tcsh: choose bash, zsh, fish/);
  });
});
