// Module functions in the library (issue 9): a function loaded with fromModule runs on the engine's worker
// processes, as a study's module model does, so several can run at once; an inline closure with workers > 1 is
// refused with the reason. Real child processes, the built worker entry.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseRunner, comboRunner, fromModule, Harvester, Runner } from '../../electron/lib';
import { tempDir } from '../helpers/furrow';

/** A module with the functions these tests send to workers; each reports the pid that ran it. */
function moduleFile(): string {
  const file = path.join(tempDir(), 'model.mjs');
  fs.writeFileSync(
    file,
    `export function area({ w, h }) { return w * h; }
export function labelled({ w, h, unit }) {
  const until = Date.now() + 3; // long enough that both workers are up before the calls run out
  while (Date.now() < until);
  return { area: w * h, unit, pid: process.pid };
}
export function picky({ w }) { if (w === 3) throw new Error('w = 3 is not allowed'); return w; }
export default function ({ n }) { return Array.from({ length: n }, (_, i) => i * n); }
`,
  );
  return file;
}

describe('a function from a module file', () => {
  it('runs combos and cases on worker processes, nested as in this process', async () => {
    const file = moduleFile();
    const area = await fromModule<(p: Record<string, unknown>) => number>(file, 'area');
    expect(area({ w: 2, h: 3 })).toBe(6); // still an ordinary function here
    const inWorkers = await comboRunner(area, { w: [1, 2], h: [10, 20, 30] }, { workers: 2 });
    expect(inWorkers).toEqual(comboRunner(({ w, h }) => (w as number) * (h as number), { w: [1, 2], h: [10, 20, 30] }));
    const withCases = await comboRunner(area, { h: [1, 2] }, { cases: [{ w: 5 }, { w: 7 }], workers: 2 });
    expect(withCases).toEqual([
      [5, 10],
      [7, 14],
    ]);
    expect(await caseRunner(area, ['w', 'h'], [[2, 2], { w: 3, h: 1 }], { workers: 2 })).toEqual([4, 3]);
  });

  it('spreads the calls over several processes, none of them this one', async () => {
    const labelled = await fromModule(moduleFile(), 'labelled');
    const ds = await new Runner(labelled, { varNames: null, constants: { unit: 'm2' } }).runCombos(
      { w: [1, 2, 3, 4], h: Array.from({ length: 50 }, (_, i) => i) },
      { workers: 2 },
    );
    expect(ds.dims).toEqual({ w: 4, h: 50 });
    expect((ds.variables['area']!.data as Float64Array)[3 * 50 + 49]).toBe(4 * 49);
    const pids = new Set(Array.from(ds.variables['pid']!.data as Float64Array));
    expect(pids.has(process.pid)).toBe(false);
    expect(pids.size).toBe(2);
    expect(ds.attrs).toEqual({ unit: 'm2' });
  });

  it('names the call that failed, and a Harvester stores the calls that did not', async () => {
    const picky = await fromModule(moduleFile(), 'picky');
    await expect(comboRunner(picky, { w: [1, 2, 3, 4] }, { workers: 2 })).rejects.toThrow(
      /1 of 4 calls failed; the first, at w=3: .*w = 3 is not allowed/,
    );
    const file = path.join(tempDir(), 'p.nc');
    const harvester = new Harvester(new Runner(picky, { varNames: 'w2' }), { dataName: file });
    await expect(harvester.harvestCombos({ w: [1, 2, 3, 4] }, { workers: 2 })).rejects.toThrow(/at w=3/);
    const stored = (await harvester.fullDataset)!;
    expect(Array.from(stored.variables['w2']!.data as Float64Array)).toEqual([1, 2, NaN, 4]);
  });

  it('takes the default export and output dims', async () => {
    const fn = await fromModule(moduleFile());
    const ds = await new Runner(fn, { varNames: 'ys', varDims: { ys: ['i'] } }).runCases([{ n: 3 }], { workers: 1 });
    expect(Array.from(ds.variables['ys']!.data as Float64Array)).toEqual([0, 3, 6]);
  });

  it('says what is wrong with a module that cannot be used', async () => {
    const file = moduleFile();
    await expect(fromModule(file, 'nope')).rejects.toThrow(/has no function export 'nope' \(it exports: .*area/);
    await expect(fromModule(path.join(tempDir(), 'gone.mjs'))).rejects.toThrow(/cannot load .*gone\.mjs/);
    const area = await fromModule(file, 'area');
    await expect(
      new Runner(area, { varNames: 'a', resources: { cache: new Map([[1, () => 1]]) } }).runCombos({ w: [1], h: [1] }),
    ).rejects.toThrow(/must be plain data/);
  });
});

describe('an inline function', () => {
  it('is refused with workers > 1, saying why and what to do', async () => {
    const why =
      /an inline function runs in this process only \(a closure cannot be sent to a worker process.*fromModule/;
    expect(() => comboRunner(({ a }) => a, { a: [1] }, { workers: 2 })).toThrow(why);
    expect(() => caseRunner(({ a }) => a, ['a'], [[1]], { workers: 4 })).toThrow(why);
    await expect(new Runner(({ a }) => a, { varNames: 'a' }).runCombos({ a: [1] }, { workers: 2 })).rejects.toThrow(
      why,
    );
  });
});
