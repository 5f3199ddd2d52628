// What an xyzpy user types first (issue 24): the examples of xyzpy's "Generating Data" page (generate.rst /
// generate.ipynb) and its farming example, in Furrow's terms, each asserting the values and shapes those pages
// show; and xyzpy's habits around them: a labelled function stays callable, reprs that say what an object holds,
// overwrite as true/false/null, options checked by name, '...' for the stored values.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseRunner, comboRunner, Harvester, label, Runner, RunnerError, Sampler } from '../../electron/lib';
import type { Params } from '../../electron/lib';
import { tempDir } from '../helpers/furrow';

// generate.ipynb's foo: def foo(a, b, c): return f"{a}-{b}-{c}", np.sin(a)
const foo = ({ a, b, c }: Params) => [`${a}-${b}-${c}`, Math.sin(a as number)];
const combos: [string, (number | string | boolean)[]][] = [
  ['a', [1, 2, 3]],
  ['b', ['x', 'y', 'z']],
  ['c', [true, false]],
];
const floats = (data: unknown) => Array.from(data as Float64Array);
/** What a RunnerError says, or a failure naming what was thrown instead. */
const refusal = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(RunnerError);
    return (error as Error).message;
  }
  throw new Error('expected a RunnerError');
};
const refusalOf = async (work: Promise<unknown>): Promise<string> => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunnerError);
  return (error as Error).message;
};

describe("xyzpy's Generating Data page", () => {
  it('combo_runner: a nested array of the 3 * 3 * 2 = 18 results, the last combo fastest', () => {
    const out = comboRunner(foo, combos) as [string, number][][][];
    expect([out.length, out[0]!.length, out[0]![0]!.length]).toEqual([3, 3, 2]);
    expect(out[0]![0]).toEqual([
      ['1-x-true', 0.8414709848078965],
      ['1-x-false', 0.8414709848078965],
    ]);
    expect(out[1]![2]![1]).toEqual(['2-z-false', 0.9092974268256817]);
    expect(out[2]![1]![0]).toEqual(['3-y-true', 0.1411200080598672]);
  });

  it('case_runner: one result per case, in order', () => {
    expect(
      caseRunner(
        foo,
        ['a', 'b', 'c'],
        [
          [4, 'z', false],
          [5, 'y', true],
        ],
      ),
    ).toEqual([
      ['4-z-false', Math.sin(4)],
      ['5-y-true', -0.9589242746631385],
    ]);
  });

  it('cases and combos mixed: every sub-combination per case, NaN for each output where no case ran', () => {
    const out = comboRunner(
      foo,
      { b: ['x', 'y', 'z'] },
      {
        cases: [
          { a: 1, c: true },
          { a: 2, c: false },
          { a: 3, c: true },
        ],
      },
    );
    // As the page prints it: a = 1, 2, 3; c = False, True (the case dims sorted); b; then the two outputs.
    const none = [
      [NaN, NaN],
      [NaN, NaN],
      [NaN, NaN],
    ];
    const row = (a: number, c: boolean) => ['x', 'y', 'z'].map((b) => [`${a}-${b}-${c}`, Math.sin(a)]);
    expect(out).toEqual([
      [none, row(1, true)],
      [row(2, false), none],
      [none, row(3, true)],
    ]);
    // Each missing cell is its own array: changing one changes no other.
    const cells = out as number[][][][];
    cells[0]![0]![0]![0] = 7;
    expect(cells[0]![0]![1]![0]).toBeNaN();
    expect(cells[2]![0]![0]![0]).toBeNaN();
    // One output stays one value per cell: NaN beside numbers.
    expect(
      comboRunner(
        ({ a }: Params) => a,
        {},
        {
          cases: [
            { a: 1, c: true },
            { a: 2, c: false },
          ],
        },
      ),
    ).toEqual([
      [NaN, 1],
      [2, NaN],
    ]);
  });

  // generate.rst's foo returns its arguments: def foo(a, b, c): return a, b, c
  const echo = ({ a, b, c }: Params) => [a, b, c];

  it('Runner: the labelled dataset the page prints, also kept as runner.lastDs', async () => {
    const runner = new Runner(echo, { varNames: ['a_out', 'b_out', 'c_out'] });
    expect(runner.lastDs).toBe(null);
    const ds = await runner.runCombos(combos);
    expect(ds.dims).toEqual({ a: 3, b: 3, c: 2 });
    expect(ds.coords).toEqual({ a: [1, 2, 3], b: ['x', 'y', 'z'], c: [true, false] });
    expect(floats(ds.variables['a_out']!.data)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3]);
    // b_out (a, b, c) <U1 'x' 'x' 'y' 'y' 'z' 'z' 'x' 'x' 'y' 'y' 'z' 'z' ...
    expect(ds.variables['b_out']!.data.slice(0, 12).join(' ')).toBe('x x y y z z x x y y z z');
    // Booleans as 1/0 (xarray's bool, as Furrow stores it).
    expect(Array.from(ds.variables['c_out']!.data as Int8Array).slice(0, 4)).toEqual([1, 0, 1, 0]);
    expect(runner.lastDs).toBe(ds);
    expect(runner.lastDataset).toBe(ds);
  });

  it('Harvester: two disjoint rounds merged on disk, b kept sorted and the cells no round ran missing', async () => {
    const dir = tempDir();
    const harvester = new Harvester(new Runner(echo, { varNames: ['a_out', 'b_out', 'c_out'] }), {
      dataName: path.join(dir, 'foo.nc'),
    });
    await harvester.harvestCombos(combos);
    expect(fs.existsSync(path.join(dir, 'foo.nc'))).toBe(true);
    await harvester.harvestCombos({ a: [4, 5, 6], b: ['w', 'v'], c: [true, false] });
    expect(harvester.lastDs!.dims).toEqual({ a: 3, b: 2, c: 2 });
    const full = (await harvester.fullDataset)!;
    // The page's full_ds: Dimensions (a: 6, b: 5, c: 2), b 'v' 'w' 'x' 'y' 'z'.
    expect(full.dims).toEqual({ a: 6, b: 5, c: 2 });
    expect(full.coords['a']).toEqual([1, 2, 3, 4, 5, 6]);
    expect(full.coords['b']).toEqual(['v', 'w', 'x', 'y', 'z']);
    // a_out (a, b, c) float64 nan nan nan nan 1.0 1.0 1.0 1.0 1.0 1.0 nan ...
    expect(floats(full.variables['a_out']!.data).slice(0, 11)).toEqual([NaN, NaN, NaN, NaN, 1, 1, 1, 1, 1, 1, NaN]);
    // b_out (a, b, c) object nan nan nan nan 'x' 'x' 'y' 'y' 'z' 'z' nan ... ("" is a missing string here)
    expect(full.variables['b_out']!.data.slice(0, 11)).toEqual(['', '', '', '', 'x', 'x', 'y', 'y', 'z', 'z', '']);
    // c_out (a, b, c) float64 nan nan nan nan 1.0 0.0 1.0 0.0 1.0 0.0 nan ... (-1 is a missing boolean)
    expect(Array.from(full.variables['c_out']!.data as Int8Array).slice(0, 11)).toEqual([
      -1, -1, -1, -1, 1, 0, 1, 0, 1, 0, -1,
    ]);
    // a = 4's second round: w and v ran, x, y and z did not.
    expect(floats(full.sel({ a: 4, c: true }).variables['a_out']!.data)).toEqual([4, 4, NaN, NaN, NaN]);
  });
});

describe("xyzpy's farming example", () => {
  // def trig(f, x, amp, phi): return amp * trig_fn(x - phi), 0.2 + 0.1 * np.random.randn()
  const fns = { sin: Math.sin, cos: Math.cos };
  const trig = ({ f, x, amp, phi }: Params) => [
    (amp as number) * fns[f as keyof typeof fns]((x as number) - (phi as number)),
    0.2 + 0.1 * (Math.random() - 0.5),
  ];
  const x = { linspace: [-5, 5, 101] as [number, number, number] };

  it('harvests combos_1 (1212 runs) into trig.nc, then rounds that add phases, kept in order', async () => {
    const dir = tempDir();
    const h = new Harvester(new Runner(trig, { varNames: ['f(x)', 'ef(x)'] }), { dataName: path.join(dir, 'trig.nc') });
    await h.harvestCombos({ f: ['sin', 'cos'], x, amp: [1, 2, 3], phi: [0.4, 0.8] });
    let full = (await h.fullDataset)!;
    expect(full.dims).toEqual({ f: 2, x: 101, amp: 3, phi: 2 });
    expect(full.variables['f(x)']!.shape).toEqual([2, 101, 3, 2]);
    const at = (ds: typeof full, sel: Record<string, number | string>) => floats(ds.sel(sel).variables['f(x)']!.data);
    expect(at(full, { f: 'sin', x: 0, amp: 2, phi: 0.4 })).toEqual([2 * Math.sin(-0.4)]);
    // Our further rounds: phases past the stored ones, then one between them; the phases stay sorted.
    await h.harvestCombos({ f: ['sin', 'cos'], x, amp: [1, 2, 3], phi: [1.2, 1.6] });
    await h.harvestCombos({ f: ['sin'], x, amp: [3], phi: [0.6] });
    full = (await h.fullDataset)!;
    expect(full.coords['phi']).toEqual([0.4, 0.6, 0.8, 1.2, 1.6]);
    expect(full.coords['f']).toEqual(['sin', 'cos']); // stored in no order: as given
    expect(at(full, { f: 'sin', x: 0, amp: 2, phi: 0.4 })).toEqual([2 * Math.sin(-0.4)]);
    expect(at(full, { f: 'cos', x: 5, amp: 1, phi: 1.6 })).toEqual([Math.cos(5 - 1.6)]);
    expect(at(full, { f: 'sin', x: 5, amp: 3, phi: 0.6 })).toEqual([3 * Math.sin(5 - 0.6)]);
    expect(at(full, { f: 'cos', x: 5, amp: 3, phi: 0.6 })).toEqual([NaN]);
    const errors = floats(full.sel({ phi: 0.4 }).variables['ef(x)']!.data);
    expect(errors.every((e) => e >= 0.15 && e <= 0.25)).toBe(true);
  });
});

describe('label', () => {
  it('leaves the function callable, as the Runner it describes (xyzpy: foo(1, 2) gives (3, -1))', async () => {
    const sumDiff = label({ varNames: ['sum', 'diff'] })(function sumDiff({ x, y }: Params) {
      return [(x as number) + (y as number), (x as number) - (y as number)];
    });
    expect(sumDiff({ x: 1, y: 2 })).toEqual([3, -1]);
    expect(sumDiff).toBeInstanceOf(Runner);
    expect(sumDiff.name).toBe('sumDiff');
    expect(sumDiff.call(null, { x: 5, y: 3 })).toEqual([8, 2]);
    const ds = await sumDiff.runCombos({ x: [1, 5], y: [2] });
    expect(floats(ds.variables['diff']!.data)).toEqual([-1, 3]);
    expect(String(sumDiff)).toBe(
      "<furrow.Runner>\n    fn: sumDiff\n    varNames: [ 'sum', 'diff' ]\n    lastDataset: (x: 2, y: 1)",
    );
  });

  it('takes harvester and sampler, a data file each, and gives a Harvester or Sampler that is still the function', async () => {
    const dir = tempDir();
    const square = label({ varNames: 'y', harvester: path.join(dir, 'sq.nc') })(({ x }: Params) => (x as number) ** 2);
    expect(square).toBeInstanceOf(Harvester);
    expect(square({ x: 3 })).toBe(9);
    await square.harvestCombos({ x: [1, 2] });
    expect(floats((await square.fullDataset)!.variables['y']!.data)).toEqual([1, 4]);

    const draw = label({ varNames: 'y', sampler: path.join(dir, 'sq.sqlite') })(({ x }: Params) => (x as number) * 2);
    expect(draw).toBeInstanceOf(Sampler);
    expect(draw({ x: 4 })).toBe(8);
    expect(await draw.sampleCombos(3, { x: [5] }, { seed: 1 })).toEqual([
      { x: 5, y: 10 },
      { x: 5, y: 10 },
      { x: 5, y: 10 },
    ]);

    expect(refusal(() => label({ varNames: 'y', harvester: 'a.nc', sampler: 'b.sqlite' }))).toMatch(
      /give harvester or sampler, not both/,
    );
    // xyzpy's harvester=True harvests in memory; here every round goes to a file, so its name is asked for.
    expect(refusal(() => label({ varNames: 'y', harvester: true } as never))).toMatch(
      /option 'harvester' is true; give the name of its data file, e.g. 'foo.nc'/,
    );
  });
});

describe('what String() of a Runner, a Harvester and a Sampler says, as xyzpy reprs', () => {
  it('names the function, its outputs and constants, and the file it keeps', async () => {
    const dir = tempDir();
    const runner = new Runner(
      function bar({ i }: Params) {
        return [i, [1, 2]];
      },
      {
        varNames: ['A', 'B'],
        varDims: { B: ['x'] },
        constants: { t: 1, model: 'bar' },
        resources: { cache: {} },
      },
    );
    expect(String(runner)).toBe(
      [
        '<furrow.Runner>',
        '    fn: bar',
        "    varNames: [ 'A', 'B' ]",
        "    varDims: { B: [ 'x' ] }",
        "    constants: [ 't', 'model' ]",
        "    resources: [ 'cache' ]",
      ].join('\n'),
    );
    const file = path.join(dir, 'bar.nc');
    const harvester = new Harvester(runner, { dataName: file });
    expect(String(harvester)).toBe(
      `<furrow.Harvester>\nRunner: ${String(runner)}\nSync file -->\n    ${file}    [NetCDF4, not written yet]`,
    );
    await harvester.harvestCombos({ i: [1] });
    expect(String(harvester).endsWith(`${file}    [NetCDF4]`)).toBe(true);

    const trig = new Runner(({ amp }: Params) => amp, { varNames: 'out' });
    const table = path.join(dir, 'trig.sqlite');
    const sampler = new Sampler(trig, { dataName: table, defaultCombos: { amp: [1, 2], fn: ['sin'] } });
    expect(String(sampler)).toBe(
      [
        '<furrow.Sampler>',
        `Runner: <furrow.Runner>\n    fn: (anonymous)\n    varNames: 'out'`,
        'Default combos: amp, fn',
        'Sync file -->',
        `    ${table}    [SQLite run database, not written yet]`,
      ].join('\n'),
    );
  });
});

describe("overwrite as xyzpy's true, false and null", () => {
  it('true: the new values win; false: the stored ones stay; null: the round is refused, naming the cell', async () => {
    const dir = tempDir();
    let k = 1;
    const h = new Harvester(new Runner(({ x }: Params) => (x as number) * k, { varNames: 'y' }), {
      dataName: path.join(dir, 'o.nc'),
    });
    await h.harvestCombos({ x: [1, 2] });
    k = 10;
    const stored = async () => floats((await h.fullDataset)!.variables['y']!.data);
    expect(await refusalOf(h.harvestCombos({ x: [2, 3] }, { overwrite: null }))).toMatch(
      /'y' at x=2: the dataset holds 2 but this run gave 20; nothing was written/,
    );
    expect(await stored()).toEqual([1, 2]);
    await h.harvestCombos({ x: [2, 3] }, { overwrite: false });
    expect(await stored()).toEqual([1, 2, 30]);
    await h.harvestCombos({ x: [1, 2] }, { overwrite: true });
    expect(await stored()).toEqual([10, 20, 30]);
  });
});

describe('options, checked by name and type where they are given', () => {
  it('refuses an unknown option, pointing xyzpy spellings to Furrow names', async () => {
    const dir = tempDir();
    const fn = ({ x }: Params) => x;
    expect(refusal(() => new Runner(fn, { var_names: ['y'] } as never))).toBe(
      "new Runner(fn, options): unknown option 'var_names': did you mean varNames? (its options: varNames, varDims, varCoords, constants, resources, attrs)",
    );
    expect(refusal(() => new Runner(fn, {} as never))).toMatch(/new Runner\(fn, options\): give varNames/);
    expect(refusal(() => new Runner('fn' as never, { varNames: 'y' }))).toMatch(/fn is "fn"; give the function to run/);
    const runner = new Runner(fn, { varNames: 'y' });
    // The Sampler's engine was silently ignored: now it says why there is none to choose.
    expect(
      refusal(() => new Sampler(runner, { dataName: path.join(dir, 's.sqlite'), engine: 'pickle' } as never)),
    ).toMatch(
      /new Sampler\(runner, options\): unknown option 'engine': Furrow has no engine to choose: .* a Sampler's table a run database \(SQLite\)/,
    );
    expect(refusal(() => new Harvester(runner, { data_name: 'h.nc' } as never))).toMatch(
      /unknown option 'data_name': did you mean dataName\?/,
    );
    expect(refusal(() => new Harvester(fn as never, { dataName: 'h.nc' }))).toMatch(
      /runner is a function; give a Runner \(new Runner\(fn, \{ varNames \}\)/,
    );
    expect(await refusalOf(runner.runCombos({ x: [1] }, { num_workers: 2 } as never))).toMatch(
      /runCombos\(combos, options\): unknown option 'num_workers': give workers: N/,
    );
    expect(refusal(() => comboRunner(fn, { x: [1] }, { parallel: true } as never))).toMatch(
      /unknown option 'parallel'/,
    );
    expect(refusal(() => caseRunner(fn, ['x'], [[1]], { cases: [] } as never))).toMatch(/unknown option 'cases'/);
    expect(refusal(() => runner.crop({ name: 'c', batchsize: 2 } as never))).toMatch(/did you mean batchSize\?/);
  });

  it('refuses a value of the wrong type, saying what to give', async () => {
    const dir = tempDir();
    const runner = new Runner(({ x }: Params) => x, { varNames: 'y' });
    const h = new Harvester(runner, { dataName: path.join(dir, 'h.nc') });
    expect(await refusalOf(h.harvestCombos({ x: [1] }, { overwrite: 'yes' } as never))).toBe(
      `harvestCombos(combos, options): option 'overwrite' is "yes"; give 'error' (or null), 'new' (or true) or 'old' (or false)`,
    );
    expect(await refusalOf(h.harvestCases([{ x: 1 }], { missingOnly: 'no' } as never))).toMatch(
      /option 'missingOnly' is "no"; give true or false/,
    );
    expect(await refusalOf(runner.runCombos({ x: [1] }, { workers: 0 }))).toMatch(
      /option 'workers' is 0; give a whole number ≥ 1/,
    );
    expect(refusal(() => new Runner(({ x }: Params) => x, { varNames: 3 } as never))).toMatch(
      /option 'varNames' is 3; give a name, a list of names, or null/,
    );
    expect(refusal(() => new Runner(({ x }: Params) => x, { varNames: 'y', varDims: { y: 't' } } as never))).toMatch(
      /option 'varDims' is \{"y":"t"\}/,
    );
    const sampler = new Sampler(runner, { dataName: path.join(dir, 's.sqlite') });
    expect(await refusalOf(sampler.sampleCombos(2, { x: [1] }, { seed: 1.5 }))).toMatch(
      /option 'seed' is 1.5; give a whole number/,
    );
    // Nothing was run or written by any of these.
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses combos that are neither values nor a generator, naming the parameter', async () => {
    const fn = ({ x }: Params) => x;
    expect(refusal(() => comboRunner(fn, { x: 5 } as never))).toBe(
      "comboRunner: 'x' is 5; give a list of values (e.g. [5]), or a generator such as { range: [0, 10] } or { linspace: [0, 1, 11] }",
    );
    expect(await refusalOf(new Runner(fn, { varNames: 'y' }).runCombos({ x: [{}] } as never))).toMatch(
      /'x' has the value \{\}; a parameter's values are numbers, strings or booleans/,
    );
  });
});

describe("'...': the values a dim has in the file, as --combo name=...", () => {
  it('runs a Harvester over the stored values of a dim, given as a string or a one-item list', async () => {
    const dir = tempDir();
    const seen: string[] = [];
    const h = new Harvester(
      new Runner(
        ({ a, b }: Params) => {
          seen.push(`${a}${b}`);
          return (a as number) * 10 + (b as number);
        },
        { varNames: 'y' },
      ),
      { dataName: path.join(dir, 'h.nc') },
    );
    expect(await refusalOf(h.harvestCombos({ a: '...', b: [1] } as never))).toMatch(
      /harvestCombos: 'a' is '...': .*h\.nc does not exist yet, so there are no stored values; harvest some values first/,
    );
    await h.harvestCombos({ a: [1, 2], b: [1] });
    seen.length = 0;
    await h.harvestCombos({ a: '...', b: [2] } as never);
    await h.harvestCombos([
      ['a', ['...']],
      ['b', [3]],
    ]);
    expect(seen).toEqual(['12', '22', '13', '23']);
    const full = (await h.fullDataset)!;
    expect(full.dims).toEqual({ a: 2, b: 3 });
    expect(floats(full.variables['y']!.data)).toEqual([11, 12, 13, 21, 22, 23]);
    expect(await refusalOf(h.harvestCombos({ c: '...' } as never))).toMatch(
      /harvestCombos: 'c' is '...': .*h\.nc has no dim 'c' with coordinates \(its dims: a, b\)/,
    );
  });

  it('is refused, saying why, where there is no file of stored values', async () => {
    const fn = ({ a }: Params) => a;
    expect(refusal(() => comboRunner(fn, { a: '...' } as never))).toMatch(
      /comboRunner: 'a' is '...', the values a dataset file holds for it: comboRunner keeps no file/,
    );
    expect(await refusalOf(new Runner(fn, { varNames: 'y' }).runCombos({ a: ['...'] }))).toMatch(
      /runCombos: 'a' is '...', .*a Runner has no file of stored values; harvest with a Harvester instead/,
    );
  });
});
