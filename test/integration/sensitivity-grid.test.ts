// A full grid's output with dims of its own (issue 25): a run of the grid keeps its values in the study's dataset, not
// the run database; `furrow sensitivity` and the library's sensitivity() read them from there, a box of cells at a
// time, and give exact ANOVA indices and main effects at each coordinate, checked against the closed form.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadH5 } from '../../electron/engine/dataset/h5';
import { gridAlongFromDataset } from '../../electron/engine/sensitivity/grid-dataset';
import { sensitivity } from '../../electron/lib';
import { exampleStudy, furrow } from '../helpers/furrow';

const T = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
const X1 = [0, 0.25, 0.5, 0.75, 1];
const X2 = [0, 1];
/** The levels' variances, each level weighted equally: Var(x1) = 1/8, Var(x2) = 1/4. */
const V1 = 1 / 8;
const V2 = 1 / 4;
/** y(t) = t·x1 + (1 − t)·x2 over the grid, z not used: S1(x1) = t²V1 / (t²V1 + (1 − t)²V2), S1(x2) the rest. */
const s1OfX1 = (t: number) => (t * t * V1) / (t * t * V1 + (1 - t) ** 2 * V2);

const STUDY = `name: over_time
model: {module: ./model.mjs}
outputs:
  y: {dims: [t]}
  end: {}
coords:
  t: ${JSON.stringify(T)}
combos:
  x1: ${JSON.stringify(X1)}
  x2: ${JSON.stringify(X2)}
  z: [a, b, c]
`;
const MODEL = `const T = ${JSON.stringify(T)};
export default ({ x1, x2 }) => ({ y: T.map((t) => t * x1 + (1 - t) * x2), end: x1 });
`;

type List = (number | null)[];
interface Along {
  dims: { name: string; values: unknown[] }[];
  params: Record<string, { s1: List; main_effect: { levels: unknown[]; mean: List[]; std: List[] } }>;
}
interface Report {
  method: string;
  evaluations: number;
  outputs: Record<string, Record<string, { s1: number; main_effect: { mean: number[] } }>>;
  along: Record<string, Along>;
}

async function gridStudy(): Promise<string> {
  const dir = await exampleStudy('foo', { studyYaml: STUDY, model: MODEL });
  const run = await furrow(['run', dir]);
  expect(run.code, run.stderr).toBe(0);
  return dir;
}

async function json(dir: string, ...args: string[]): Promise<Report> {
  const r = await furrow(['sensitivity', dir, '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('furrow sensitivity of a full grid with an output over time', () => {
  it('gives exact S1 and main effects at each time from the dataset, and of the reduction asked for', async () => {
    const dir = await gridStudy();
    const got = await json(dir);
    expect(got.method).toBe('grid');
    expect(got.evaluations).toBe(5 * 2 * 3);
    expect(Object.keys(got.outputs)).toEqual(['end']);
    const y = got.along['y']!;
    expect(y.dims).toEqual([{ name: 't', values: T }]);
    T.forEach((t, i) => {
      expect(y.params['x1']!.s1[i], `S1(x1) at t = ${t}`).toBeCloseTo(s1OfX1(t), 12);
      expect(y.params['x2']!.s1[i], `S1(x2) at t = ${t}`).toBeCloseTo(1 - s1OfX1(t), 12);
      expect(y.params['z']!.s1[i], `S1(z) at t = ${t}`).toBeCloseTo(0, 12);
      // The mean of y at x1's level l, over x2 and z: t·l + (1 − t)·1/2.
      X1.forEach((l, at) => expect(y.params['x1']!.main_effect.mean[at]![i]).toBeCloseTo(t * l + (1 - t) / 2, 12));
    });
    expect(y.params['z']!.main_effect.levels).toEqual(['a', 'b', 'c']);

    // The mean over t is (x1 + x2)/2 · … : S1 = V1 / (V1 + V2) = 1/3 for x1, exactly.
    const mean = await json(dir, '--output', 'y', '--reduce', 't=mean');
    expect(mean.along).toEqual({});
    const tMean = T.reduce((a, t) => a + t, 0) / T.length;
    const exact = (tMean ** 2 * V1) / (tMean ** 2 * V1 + (1 - tMean) ** 2 * V2);
    expect(mean.outputs['y']!['x1']!.s1).toBeCloseTo(exact, 12);
    expect(mean.outputs['y']!['x1']!.main_effect.mean[4]).toBeCloseTo(tMean + (1 - tMean) / 2, 12);

    // The table names each time; the library's sensitivity() of the study answers the same.
    const table = await furrow(['sensitivity', dir]);
    expect(table.stdout).toContain('y, over t');
    expect(table.stdout).not.toMatch(/e-\d/);
    expect(table.stdout).toMatch(/\n\s+t=0\.5\s+0\.3333\s+0\.6667\s+0\.0000\n/);
    const library = await sensitivity(dir, { outputs: ['y'] });
    expect(library.along['y']!.params['x1']!.S1).toEqual(y.params['x1']!.s1);
    expect(library.along['y']!.params['x1']!.main_effect!.std).toEqual(y.params['x1']!.main_effect.std);
  }, 90_000);

  it('reads the dataset a box at a time: one cell per read gives what one read of the whole grid gives', async () => {
    const dir = await gridStudy();
    const h5 = await loadH5();
    const file = path.join(dir, 'data', 'over_time.nc');
    const grid = [
      { name: 'x1', values: X1 },
      { name: 'x2', values: X2 },
      { name: 'z', values: ['a', 'b', 'c'] },
    ];
    const output = { name: 'y', dims: ['t'] };
    const whole = gridAlongFromDataset(h5, file, dir, output, grid, {});
    const byCell = gridAlongFromDataset(h5, file, dir, output, grid, {}, T.length);
    const byRow = gridAlongFromDataset(h5, file, dir, output, grid, {}, T.length * 3 * 2);
    expect(byCell).toEqual(whole);
    expect(byRow).toEqual(whole);
    // The grid's levels in another order than the dataset's: the same indices, the levels as the grid has them.
    const reversed = gridAlongFromDataset(
      h5,
      file,
      dir,
      output,
      [grid[0]!, { name: 'x2', values: [1, 0] }, grid[2]!],
      {},
      7,
    );
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Array.from(a).forEach((x, i) => expect(x).toBeCloseTo(b[i]!, 12));
    close(reversed.effects[0]!.S1, whole.effects[0]!.S1);
    close(reversed.effects[1]!.mean[0]!, whole.effects[1]!.mean[1]!);
    close(reversed.effects[1]!.mean[1]!, whole.effects[1]!.mean[0]!);
    // Part of the dataset's levels (a grid the study narrowed since): its own exact indices, however it is read.
    const part = [
      { name: 'x1', values: [0.5, 0.75, 1] },
      { name: 'x2', values: X2 },
      { name: 'z', values: ['b', 'c'] },
    ];
    const partWhole = gridAlongFromDataset(h5, file, dir, output, part, {});
    for (const box of [T.length, T.length * 2, T.length * 4]) {
      const read = gridAlongFromDataset(h5, file, dir, output, part, {}, box);
      read.effects.forEach((e, g) => close(e.S1, partWhole.effects[g]!.S1));
    }
    const v1 = 1 / 24; // the variance of 0.5, 0.75, 1
    T.forEach((t, i) =>
      expect(partWhole.effects[0]!.S1[i]).toBeCloseTo((t * t * v1) / (t * t * v1 + (1 - t) ** 2 * V2), 12),
    );
  }, 60_000);

  it('bad input says where and what to do, and changes nothing stored', async () => {
    const dir = await gridStudy();
    const wrongDim = await furrow(['sensitivity', dir, '--reduce', 'time=mean']);
    expect(wrongDim.code).toBe(2);
    expect(wrongDim.stderr).toContain(
      "--reduce time=mean: no output analysed has a dim 'time' (y: [t]); reduce a dim they have, e.g. --reduce t=mean",
    );
    const scalarOnly = await furrow(['sensitivity', dir, '--output', 'end', '--reduce', 't=mean']);
    expect(scalarOnly.code).toBe(2);
    expect(scalarOnly.stderr).toContain(
      "--reduce t=mean: no output analysed has a dim 't' (every output is a scalar); y has it: add --output y",
    );

    // A level of the grid the dataset does not have (the study grew since its run).
    fs.writeFileSync(path.join(dir, 'study.yaml'), STUDY.replace('z: [a, b, c]', 'z: [a, b, c, d]'));
    const grown = await furrow(['sensitivity', dir, '--output', 'y', '--method', 'grid']);
    expect(grown.code).toBe(2);
    expect(grown.stderr).toContain(
      `10 cells of the grid have no done case; run the rest of the grid: furrow run ${dir}`,
    );
    fs.writeFileSync(path.join(dir, 'study.yaml'), STUDY);

    // A truncated dataset: said, with what to do; the file and the run database as they were.
    const file = path.join(dir, 'data', 'over_time.nc');
    const db = path.join(dir, 'runs.sqlite');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const truncated = fs.readFileSync(file);
    const dbBefore = fs.readFileSync(db);
    for (const args of [['--output', 'y'], []]) {
      const r = await furrow(['sensitivity', dir, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`output 'y' has dims [t], and a run of the grid keeps its values in ${file} alone`);
      expect(r.stderr).toMatch(/truncated/);
      expect(r.stderr).toContain(
        `Nothing was changed; restore the file from a backup, or move it aside and run the grid again: furrow run ${dir}`,
      );
    }
    expect(fs.readFileSync(file).equals(truncated)).toBe(true);
    expect(fs.readFileSync(db).equals(dbBefore)).toBe(true);
    // The scalar output still answers, from the run database.
    expect((await json(dir, '--output', 'end')).outputs['end']!['x1']!.s1).toBeCloseTo(1, 12);

    // Moved aside, as said: the dataset is missing, and the message says to run the grid again.
    fs.renameSync(file, `${file}.damaged`);
    const missing = await furrow(['sensitivity', dir, '--output', 'y']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${file}, which is missing; run the grid again: furrow run ${dir}`);
    expect((await furrow(['run', dir])).code).toBe(0);
    expect((await json(dir, '--output', 'y')).along['y']!.params['x1']!.s1[3]).toBeCloseTo(s1OfX1(0.5), 12);
  }, 120_000);
});
