// `furrow init` and `furrow run` as a person runs them: real processes, real files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow, tempDir } from '../helpers/furrow';

interface Summary {
  run_id: string;
  cases: number;
  done: number;
  failed: number;
  skipped: number;
  dataset: string;
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Summary;

describe('furrow run', () => {
  it('runs the foo example and prints the JSON summary', async () => {
    const dir = path.join(tempDir(), 'demo');
    const init = await furrow(['init', dir, '--example', 'foo']);
    expect(init.code).toBe(0);
    const run = await furrow(['run', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = lastJson(run.stdout);
    expect(summary).toMatchObject({
      cases: 36,
      done: 36,
      failed: 0,
      skipped: 0,
      dataset: path.join(dir, 'data', 'foo.nc'),
    });
    expect(summary.run_id).toMatch(/^[0-9a-f-]{36}$/);
    const inspect = await furrow(['inspect', summary.dataset, '--json']);
    const info = JSON.parse(inspect.stdout) as {
      dims: { name: string; values: unknown[] }[];
      variables: { name: string; dims: string[] }[];
    };
    expect(info.dims.map((d) => [d.name, d.values])).toEqual([
      ['a', [1, 2, 3]],
      ['b', [10, 20, 30]],
      ['c', [100, 200, 300, 400]],
    ]);
    expect(info.variables.map((v) => `${v.name}(${v.dims.join(',')})`)).toEqual(['a_out(a,b,c)', 'b_out(a,b,c)']);
  });

  it('replaces the combos with --combo, values read as YAML scalars', async () => {
    const dir = await exampleStudy('foo');
    const run = await furrow(['run', dir, '--combo', 'a=5', '--combo', 'b=1,2', '--combo', 'c=0.5', '--json']);
    expect(run.code).toBe(0);
    expect(lastJson(run.stdout)).toMatchObject({ cases: 2, done: 2 });
    const info = JSON.parse((await furrow(['inspect', path.join(dir, 'data', 'foo.nc'), '--json'])).stdout) as {
      dims: { name: string; values: unknown[] }[];
    };
    expect(info.dims.map((d) => d.values)).toEqual([[5], [1, 2], [0.5]]);
  });

  it('merges a second run into the dataset, after backing up the database (the dataset grows in place)', async () => {
    const dir = await exampleStudy('foo');
    expect((await furrow(['run', dir, '--combo', 'a=1', '--json'])).code).toBe(0);
    expect((await furrow(['run', dir, '--combo', 'a=2', '--json'])).code).toBe(0);
    // The first run kept a copy of the model's own file; the second backed up the database before adding to it.
    const backups = fs.readdirSync(path.join(dir, 'backups')).sort();
    expect(backups.map((b) => fs.readdirSync(path.join(dir, 'backups', b)).sort())).toEqual([
      ['model.mjs'],
      ['runs.sqlite'],
    ]);
    // Both runs' results are in the dataset: a=1 from the first, a=2 appended by the second.
    const a1 = await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { a: 0, b: 0 });
    const a2 = await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { a: 1, b: 0 });
    expect(a1.values).toEqual([111, 211, 311, 411]);
    expect(a2.values).toEqual([112, 212, 312, 412]);
  });

  it('fails only the cases whose model throws, and says why', async () => {
    const dir = await exampleStudy('foo', {
      model: `export default function foo({ a, b, c }) {
  if (a === 2 && b === 20) throw new Error('diverged at a=2, b=20');
  return [a + b + c, a * b * c];
}
`,
    });
    const run = await furrow(['run', dir, '--json', '--workers', '2']);
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toMatchObject({ cases: 36, done: 32, failed: 4 });
    expect(run.stderr).toMatch(/case a=2 b=20 c=100 failed: Error: diverged at a=2, b=20/);
    // The failed cells are missing (NaN, read as null), the others hold the model's values.
    const failed = await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { a: 1, b: 1 });
    expect(failed.values).toEqual([null, null, null, null]);
    const fine = await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { a: 1, b: 0 });
    expect(fine.values).toEqual([112, 212, 312, 412]);
  });

  it('fails only the case whose outputs cannot be stored, even among many reported together', async () => {
    const dir = await exampleStudy('foo', {
      model: 'export default ({ a, b, c }) => (a === 3 && c === 400 ? [() => 1, 0] : [a + b + c, a * b * c]);\n',
    });
    const run = await furrow(['run', dir, '--json', '--workers', '1']);
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toMatchObject({ done: 33, failed: 3 });
    expect(run.stderr).toMatch(
      /case a=3 b=10 c=400 failed: (the model returned something that cannot be stored|output 'a_out' holds a function)/,
    );
  });

  it('survives a model that kills its worker process or hangs', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: fs
        .readFileSync(path.resolve('assets/examples/foo/study.yaml'), 'utf8')
        .replace('timeout: 60', 'timeout: 1')
        .replace('a: [1, 2, 3]', 'a: [1, 2, 3, 4]'),
      model: `export default function foo({ a, b, c }) {
  if (a === 2 && b === 10 && c === 100) process.exit(3);
  if (a === 3 && b === 10 && c === 100) for (;;) {}
  if (a === 4 && b === 20 && c === 200) process.kill(process.pid, 'SIGKILL');
  return [a + b + c, a * b * c];
}
`,
    });
    const run = await furrow(['run', dir, '--json', '--workers', '2']);
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toMatchObject({ cases: 48, done: 45, failed: 3 });
    expect(run.stderr).toMatch(/case a=4 b=20 c=200 failed: the worker process died \(SIGKILL\)/);
    expect(run.stderr).toMatch(/case a=2 b=10 c=100 failed: the worker process died \(exit code 3\)/);
    expect(run.stderr).toMatch(/case a=3 b=10 c=100 failed: timed out after 1 s/);
  });

  it('fails a case whose output has the wrong shape, naming the output and both shapes', async () => {
    const dir = await exampleStudy('bar', {
      model: `export default function bar({ i, j, k, t }) {
  const n = i === 6 && j === 8 && k === 10 ? 2 : 3;
  return { A: i, B: Array(n).fill(j), C: Array(3).fill(t.map(() => k)) };
}
`,
    });
    const run = await furrow(['run', dir, '--json']);
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toMatchObject({ cases: 8, done: 7, failed: 1 });
    expect(run.stderr).toMatch(/case i=6 j=8 k=10 failed: output 'B' has shape \[2\] but its dims are \[x=3\]/);
  });
});

describe('bad input', () => {
  it('a folder without study.yaml: exit 2 and one message naming the file', async () => {
    const dir = tempDir();
    const run = await furrow(['run', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(path.join(dir, 'study.yaml'));
  });

  it('YAML that does not parse: exit 2 and one message naming the file and line', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: foo\nmodel:\n  module: ./model.mjs\n  timeout: [60\noutputs: {}\n',
    });
    const run = await furrow(['run', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      new RegExp(`${path.join(dir, 'study.yaml').replace(/[.]/g, '\\.')}:\\d+: YAML does not parse`),
    );
  });

  it('an empty combo, on the command line or beside cases in the file: exit 2 naming it, nothing stored', async () => {
    const dir = await exampleStudy('foo');
    const empty = await furrow(['run', dir, '--combo', 'a=']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^furrow: --combo a=: no values after '='; give them as --combo a=v1,v2,\.\.\./m);
    // An empty list with cases: the empty combo is said, not "case 2 repeats case 1".
    const file = path.join(dir, 'study.yaml');
    fs.writeFileSync(
      file,
      'name: foo\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  a: []\ncases:\n  - {b: 1}\n  - {b: 2}\n',
    );
    const run = await furrow(['run', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`furrow: ${file}:5: combos.a: 'a' has no values; give at least one`);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.mjs', 'study.yaml']);
  });

  it('a model module that does not load: exit 2 naming the module', async () => {
    const dir = await exampleStudy('foo', { model: 'export default function foo( {\n' });
    const run = await furrow(['run', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/model\.mjs could not be loaded: SyntaxError/);
  });

  it('init refuses to overwrite a folder that has files', async () => {
    const dir = await exampleStudy('foo');
    const again = await furrow(['init', dir, '--example', 'bar']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists and is not empty; choose a new folder, nothing was changed/);
    expect(fs.readFileSync(path.join(dir, 'study.yaml'), 'utf8')).toMatch(/name: foo/);
  });

  it('init makes a blank study that runs, or one whose parameters come from a paramspace file', async () => {
    const blank = path.join(tempDir(), 'blank');
    expect((await furrow(['init', blank, '--example', 'blank'])).code).toBe(0);
    const run = await furrow(['run', blank, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ cases: 3, done: 3 });

    const config = path.join(tempDir(), 'run_cfg.yml');
    fs.writeFileSync(
      config,
      '# a dantro run config\nparameter_space: !pspace\n  seed: !pdim {default: 0, range: [4]}\n  model:\n    dt: !pdim {default: 0.1, values: [0.1, 0.01]}\n    steps: 100\n',
    );
    const imported = path.join(tempDir(), 'imported');
    const init = await furrow(['init', imported, '--paramspace', config]);
    expect(init.code, init.stderr).toBe(0);
    expect(fs.readFileSync(path.join(imported, 'study.yaml'), 'utf8')).toMatch(/parameter_space: parameter_space\.yml/);
    expect(fs.readFileSync(path.join(imported, 'study.yaml'), 'utf8')).not.toMatch(/combos/);
    const plan = await furrow(['run', imported, '--simulate', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ cases: 8, would_run: 8 });
    const missing = await furrow(['init', path.join(tempDir(), 'm'), '--paramspace', '/no/such.yml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist: give the paramspace YAML file to import/);
  });

  it('init refuses a file that is no parameter space, naming its line, and makes nothing, so a retry works', async () => {
    const target = path.join(tempDir(), 'study');
    for (const [text, said] of [
      ['- a\n- b\n', /list\.yml:1: a parameter space is a mapping/],
      ['a: 1\nb: {c: 2}\n', /list\.yml:1: no !pdim in this parameter space, so nothing varies/],
      ['x: !pdim {values: [1, 2]}\ny: !pdim {values: [1]}\n', /list\.yml:2: y: 'y' is also the name of an output/],
    ] as const) {
      const file = path.join(tempDir(), 'list.yml');
      fs.writeFileSync(file, text);
      const init = await furrow(['init', target, '--paramspace', file]);
      expect(init.code).toBe(2);
      expect(init.stderr.trim().split('\n')).toHaveLength(1);
      expect(init.stderr).toMatch(said);
      expect(fs.existsSync(target)).toBe(false);
    }
    const good = path.join(tempDir(), 'space.yml');
    fs.writeFileSync(good, 'x: !pdim {values: [1, 2]}\n');
    expect((await furrow(['init', target, '--paramspace', good])).code).toBe(0);
    expect(JSON.parse((await furrow(['run', target, '--simulate', '--json'])).stdout)).toMatchObject({ cases: 2 });
  });

  it("runs the cases of a CSV file in place of the study's cases (--cases), and refuses a repeated row", async () => {
    const dir = await exampleStudy('blank', {
      studyYaml: 'name: c\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncases: [{a: 1, b: 1}]\n',
    });
    const csv = path.join(tempDir(), 'cases.csv');
    fs.writeFileSync(csv, 'a,b\n1,0.5\n2,0.5\n2,1.5\n');
    const plan = await furrow(['run', dir, '--cases', csv, '--simulate', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ cases: 3, would_run: 3 });
    const run = await furrow(['run', dir, '--cases', csv, '--json']);
    expect(lastJson(run.stdout)).toMatchObject({ cases: 3, done: 3 });
    const y = await readSlice(path.join(dir, 'data', 'c.nc'), 'y', {});
    expect(y.values).toEqual([1.5, null, 2.5, 3.5]); // a × b laid out on the case dims, the cell no case gave NaN
    fs.writeFileSync(csv, 'a,b\n1,0.5\n1,0.5\n');
    const repeated = await furrow(['run', dir, '--cases', csv, '--simulate']);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toMatch(/^furrow: --cases: case 2 repeats case 1\n$/);
  });

  it('an unknown command or example prints what exists', async () => {
    const unknown = await furrow(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const example = await furrow(['init', path.join(tempDir(), 'x'), '--example', 'nope']);
    expect(example.code).toBe(2);
    expect(example.stderr).toMatch(/the examples are: .*bar.*foo|the examples are: .*foo.*bar/);
  });

  it('inspect on a truncated file says so instead of crashing', async () => {
    const dir = await exampleStudy('foo');
    await furrow(['run', dir]);
    const file = path.join(dir, 'data', 'foo.nc');
    const cut = path.join(dir, 'cut.nc');
    fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, 2000));
    const run = await furrow(['inspect', cut]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cut\.nc: not a readable HDF5\/NetCDF4 file/);
  });
});
