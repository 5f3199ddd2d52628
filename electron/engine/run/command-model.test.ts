import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLine, parseModelJson } from './command-model';

describe("a command model's JSON", () => {
  it("reads NaN, Infinity and -Infinity as Python's json.dumps writes them, and leaves them alone inside strings", () => {
    expect(parseModelJson('{"z": NaN, "w": -Infinity, "v": Infinity, "s": "NaN \\" Infinity", "a": [1, NaN]}')).toEqual(
      { z: NaN, w: -Infinity, v: Infinity, s: 'NaN " Infinity', a: [1, NaN] },
    );
  });

  it('still refuses what is not JSON', () => {
    expect(() => parseModelJson('{"z": NaNa}')).toThrow();
    expect(() => parseModelJson('{"z": nan}')).toThrow();
  });
});

const c = { psetId: 'p1', dir: '/s/cases/p1', studyDir: '/s', runId: 'r1' };

describe("a command's argv", () => {
  it('fills each placeholder, strings as they are and other values as JSON', () => {
    const argv = ['{node}', 'sim.py', '--seed={seed}', '{flag}', '{name}', '{{literal}}', '{study_dir}', '{case_dir}'];
    expect(commandLine(argv, { seed: 7, flag: true, name: 'a b' }, c)).toEqual([
      process.execPath,
      'sim.py',
      '--seed=7',
      'true',
      'a b',
      '{literal}',
      '/s',
      '/s/cases/p1',
    ]);
  });

  it('passes a hostile value byte for byte as one entry', () => {
    const value = `x; rm -rf / $(id) \`id\` '"\n../../etc`;
    expect(commandLine(['run', '{v}', '--v={v}'], { v: value }, c)).toEqual(['run', value, `--v=${value}`]);
  });

  it('makes ./ and ../ arguments absolute against the study folder, and leaves other paths alone', () => {
    const argv = ['./sim.sh', '../shared/tool', './out/{name}.h5', 'data/./x', '.hidden', '/abs/./p', '--in=./x'];
    expect(commandLine(argv, { name: 'a' }, c)).toEqual([
      path.resolve('/s', './sim.sh'),
      path.resolve('/s', '../shared/tool'),
      '/s/out/a.h5',
      'data/./x',
      '.hidden',
      '/abs/./p',
      '--in=./x',
    ]);
    // A value that looks like a path is a value: only what the study file wrote is made absolute.
    expect(commandLine(['{p}'], { p: './x' }, c)).toEqual(['./x']);
  });

  it('lets a parameter not shadow the study and case folders', () => {
    expect(commandLine(['{study_dir}', '{case_dir}'], { study_dir: '/elsewhere', case_dir: '/x' }, c)).toEqual([
      '/s',
      '/s/cases/p1',
    ]);
  });
});
