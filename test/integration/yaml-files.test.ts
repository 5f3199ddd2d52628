// The YAML of a study's files as PyYAML reads it (aliases, merge keys, paramspace's tags through both), and YAML
// that would exhaust a reader refused in one line naming the file and the line: real files, the real command line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPlots, specOf } from '../../electron/engine/plots/plots-file';
import { exampleStudy, furrow, tempDir } from '../helpers/furrow';

const HEAD = 'name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\n';

/** Each case's parameters as the run database recorded them, in the order of the cases. */
async function paramsRun(dir: string): Promise<Record<string, unknown>[]> {
  const run = await furrow(['run', dir, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as { _params: object }[];
  return rows.map((r) => r._params as Record<string, unknown>);
}

/** A line of stderr naming the file and the line, and exit status 2. */
function expectRefused(result: { code: number | null; stderr: string }, where: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(where);
}

describe('aliases and merge keys', () => {
  it('resolve to their values in a parameter space, also to a !pdim and inside one', async () => {
    const dir = await exampleStudy('blank', {
      studyYaml: `${HEAD}parameter_space: !pspace
  defaults: &base {dt: 0.5, n: 3}
  model: *base
  tuned: {<<: *base, n: 4}
  seed: &seed !pdim {values: [1, 2]}
  again: *seed
  list: &v [5, 6]
  b: !pdim {values: *v}
`,
    });
    const params = await paramsRun(dir);
    expect(params).toHaveLength(8);
    // (the run database keeps scalar constants: `list` is passed to the model, not recorded)
    expect(params[0]).toEqual({
      'defaults.dt': 0.5,
      'defaults.n': 3,
      'model.dt': 0.5,
      'model.n': 3,
      'tuned.dt': 0.5,
      'tuned.n': 4,
      again: 1,
      b: 5,
      seed: 1,
    });
    expect(new Set(params.map((p) => p['b']))).toEqual(new Set([5, 6]));
    expect(new Set(params.map((p) => p['again']))).toEqual(new Set([1, 2]));
  });

  it('resolve in a paramspace file and in study.yaml itself', async () => {
    const dir = await exampleStudy('blank', {
      studyYaml: `${HEAD}constants: &c {k: 2, <<: {g: 9.81}}
parameter_space: space.yml
`,
    });
    fs.writeFileSync(
      path.join(dir, 'space.yml'),
      'parameter_space: !pspace\n  x: &x !pdim {values: [1, 2]}\n  sub:\n    <<: {z: 7}\n    x2: *x\n',
    );
    const params = await paramsRun(dir);
    expect(params[0]).toEqual({ x: 1, 'sub.x2': 1, 'sub.z': 7, k: 2, g: 9.81 });
    expect(params).toHaveLength(4);
  });

  it('merge a base into a plot of plots.yaml', () => {
    const plots = path.join(tempDir(), 'plots.yaml');
    fs.writeFileSync(
      plots,
      '.base: &base {enabled: false, variable: a_out, x: c}\nby_c:\n  <<: *base\n  enabled: true\n',
    );
    expect(listPlots(plots).map((p) => [p.name, p.enabled, p.error])).toEqual([
      ['.base', false, null],
      ['by_c', true, null],
    ]);
    expect(specOf(plots, { based_on: 'by_c' })).toMatchObject({ variable: 'a_out', x: 'c', enabled: true });
  });
});

describe('YAML that would exhaust a reader', () => {
  it('refuses an alias bomb in plots.yaml (furrow export), naming the file, line and field', async () => {
    const dir = await exampleStudy('foo');
    const plots = path.join(dir, 'plots.yaml');
    const lol = (n: number, of: string) => `[${Array.from({ length: 10 }, () => `*${of}`).join(', ')}]`;
    fs.writeFileSync(
      plots,
      `.base: &a {variable: a_out}\nl1: &b ${lol(10, 'a')}\nl2: &c ${lol(10, 'b')}\nl3: &d ${lol(10, 'c')}\nl4: &e ${lol(10, 'd')}\nl5: ${lol(10, 'e')}\n`,
    );
    const result = await furrow(['export', dir]);
    expectRefused(result, /plots\.yaml:4: l3: aliases here expand to more than 1000 copies/);
  });

  it('refuses block nesting thousands deep in study.yaml, naming the file and roughly where', async () => {
    let deep = '';
    for (let i = 0; i < 3000; i++) deep += `${' '.repeat(2 + i)}a:\n`;
    const dir = await exampleStudy('blank', {
      studyYaml: `${HEAD}constants:\n${deep}${' '.repeat(3002)}1\ncombos: {x: [1]}\n`,
    });
    expectRefused(await furrow(['run', dir, '--simulate']), /study\.yaml:3005: YAML nests too deeply/);
  });

  it('refuses flow nesting thousands deep in a paramspace file, naming it and its line', async () => {
    const dir = await exampleStudy('blank', { studyYaml: `${HEAD}parameter_space: space.yml\n` });
    fs.writeFileSync(
      path.join(dir, 'space.yml'),
      `!pspace\nx: !pdim {values: [1]}\nk: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
    );
    expectRefused(await furrow(['run', dir, '--simulate']), /space\.yml:3: YAML nests too deeply/);
  });
});
