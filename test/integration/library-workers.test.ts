// Module functions in the library (issue 9): a function loaded with fromModule runs on the engine's worker
// processes, as a study's module model does, so several can run at once; an inline closure with workers > 1 is
// refused with the reason. Real child processes, the built worker entry.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseRunner, comboRunner, fromModule, Harvester, Runner } from '../../electron/lib';
import { readDataset } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow, ROOT, tempDir } from '../helpers/furrow';
import { describeWith, python } from '../helpers/tools';

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

describeWith('xarray', 'the library and furrow run', () => {
  it('give identical datasets (values, coords, attrs) for the same study, round by round and with an overwrite', async () => {
    // furrow run on the bar example: outputs with dims of their own, coords from a constant, attrs.
    const study = await exampleStudy('bar');
    expect((await furrow(['run', study, '--combo', 'i=5', '--json'])).code).toBe(0);
    expect((await furrow(['run', study, '--json'])).code).toBe(0);
    const cliFile = path.join(study, 'data', 'bar.nc');
    const t = (await readDataset(cliFile)).dims.find((d) => d.name === 't')!.values!;

    // The same through the library, from the same module, in the same two rounds.
    const bar = await fromModule(path.join(study, 'model.mjs'));
    const runner = new Runner(bar, {
      varNames: null,
      varDims: { A: [], B: ['x'], C: ['x', 't'] },
      varCoords: { x: [10, 20, 30] },
      constants: { t },
      attrs: { source: 'xyzpy Runner example' },
    });
    const libFile = path.join(tempDir(), 'bar.nc');
    const harvester = new Harvester(runner, { dataName: libFile });
    await harvester.harvestCombos({ i: [5], j: [7, 8], k: [9, 10] }, { workers: 2 });
    await harvester.harvestCombos({ i: [5, 6], j: [7, 8], k: [9, 10] }, { workers: 2, overwrite: 'old' });

    const compared = python(
      `import json, sys, xarray as xr
a = xr.open_dataset(sys.argv[1], engine="h5netcdf").load()
b = xr.open_dataset(sys.argv[2], engine="h5netcdf").load()
print(json.dumps([bool(a.identical(b)), sorted(a.data_vars), dict(a.sizes)]))`,
      cliFile,
      libFile,
    );
    expect(compared).toEqual([true, ['A', 'B', 'C'], { i: 2, j: 2, k: 2, x: 3, t: 11 }]);
  });
});

describe('a script killed while it harvests', () => {
  it('loses no round it was told was stored, and missingOnly finishes the rest', async () => {
    const dir = tempDir();
    const script = path.join(ROOT, 'test-results', `harvest-kill-${process.pid}.mjs`);
    fs.mkdirSync(path.dirname(script), { recursive: true });
    fs.writeFileSync(
      script,
      `import { Harvester, Runner } from 'furrow';
const runner = new Runner(({ x, y }) => Array.from({ length: 2000 }, (_, i) => x * y + i), {
  varNames: 'v', varDims: { v: ['i'] },
});
const harvester = new Harvester(runner, { dataName: ${JSON.stringify(path.join(dir, 'k.nc'))} });
for (let x = 0; x < 400; x++) {
  await harvester.harvestCombos({ x: [x], y: [1, 2, 3, 4, 5, 6, 7, 8] });
  console.log(x);
}
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const told: number[] = [];
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        told.push(...d.toString().trim().split('\n').map(Number));
        // Somewhere in the next rounds' merge, write or journal. Resolved once it has exited: until then its pid
        // is alive, and the lock it left is rightly taken for a writer's.
        if (told.length >= 5) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    fs.rmSync(script);
    expect(stderr).toBe('');
    const runner = new Runner(({ x, y }) => Array.from({ length: 2000 }, (_, i) => (x as number) * (y as number) + i), {
      varNames: 'v',
      varDims: { v: ['i'] },
    });
    const harvester = new Harvester(runner, { dataName: path.join(dir, 'k.nc') });
    const stored = (await harvester.fullDataset)!;
    const xs = stored.coords['x']!;
    for (const x of told) expect(xs).toContain(x);
    // The rest, with only the missing cells called; then every cell is right.
    await harvester.harvestCombos(
      { x: Array.from({ length: 12 }, (_, i) => i), y: [1, 2, 3, 4, 5, 6, 7, 8] },
      {
        missingOnly: true,
      },
    );
    const full = (await harvester.fullDataset)!;
    for (const x of [0, told.at(-1)!, 11]) {
      const v = full.sel({ x, y: 3 }).variables['v']!.data as Float64Array;
      expect([v[0], v[1999]]).toEqual([x * 3, x * 3 + 1999]);
    }
  });
});
