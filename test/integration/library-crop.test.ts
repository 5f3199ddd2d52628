// The library's Crop (issue 9): a Runner's cases sown into batches, grown here in parts and by `furrow grow-batch`
// in another process (as a cluster task would), reaped into the dataset a Runner gives in one go. Real files,
// real child processes, the built command line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromModule, Runner } from '../../electron/lib';
import { furrow, tempDir } from '../helpers/furrow';

function model(): string {
  const file = path.join(tempDir(), 'decay.mjs');
  fs.writeFileSync(
    file,
    `export function decay({ rate, n0, t }) { return t.map((x) => n0 * Math.exp(-rate * x)); }
export function half({ rate }) { return Math.LN2 / rate; }
`,
  );
  return file;
}

describe('Crop', () => {
  it('sows batches, grows them here and elsewhere, and reaps what a Runner gives in one go', async () => {
    const parentDir = tempDir();
    const decay = await fromModule(model(), 'decay');
    const runner = new Runner(decay, {
      varNames: 'n',
      varDims: { n: ['t'] },
      constants: { t: [0, 1, 2, 4] },
    });
    const combos = { rate: [0.1, 0.2, 0.5], n0: [10, 100, 1000, 5] };
    const crop = runner.crop({ name: 'decay', batchSize: 5, parentDir });
    expect(await crop.sow(combos)).toMatchObject({ cases: 12, batches: 3, sown: true });
    expect((await crop.sow(combos)).sown).toBe(false); // the same again changes nothing
    expect((await crop.status()).counts).toMatchObject({ missing: 3 });

    await crop.grow(1);
    // Batch 2 grows in another process, as a cluster task runs it.
    const task = await furrow(['grow-batch', crop.dir, '2']);
    expect(task.code, task.stderr).toBe(0);
    await expect(crop.reap()).rejects.toThrow(/batch.*3/);
    const part = await crop.reap({ allowIncomplete: true });
    expect(part.dims).toEqual({ rate: 3, n0: 4, t: 4 });
    expect(Array.from(part.variables['n']!.data as Float64Array).filter(Number.isNaN)).toHaveLength(2 * 4);

    expect((await crop.grow()).counts).toMatchObject({ reaped: 2, grown: 1 });
    const whole = await crop.reap();
    const inOneGo = await runner.runCombos(combos, { workers: 1 });
    expect(whole.coords).toEqual(inOneGo.coords);
    expect(Array.from(whole.variables['n']!.data as Float64Array)).toEqual(
      Array.from(inOneGo.variables['n']!.data as Float64Array),
    );
    // The crop's folder is a study: the command line reads its dataset and run database.
    const db = await furrow(['db', crop.studyDir, '--format', 'json']);
    expect(db.code, db.stderr).toBe(0);
    expect(JSON.parse(db.stdout)).toHaveLength(12);
  });

  it('writes a job script that grows the batches with the built command line', async () => {
    const half = await fromModule(model(), 'half');
    const crop = new Runner(half, { varNames: 't_half' }).crop({ name: 'half', batches: 2, parentDir: tempDir() });
    await crop.sow({ rate: [1, 2, 3] });
    const job = await crop.submit({ scheduler: 'slurm', dryRun: true });
    expect(job.batches).toEqual([1, 2]);
    expect(job.text).toMatch(/#SBATCH --array=1-2/);
    expect(job.text).toContain('grow-batch');
  });

  it('refuses an inline function and unnamed outputs, saying what to do', () => {
    expect(() => new Runner(({ a }) => a, { varNames: 'a' }).crop({ name: 'x' })).toThrow(
      /grown by other processes.*fromModule/,
    );
  });

  it('refuses to sow other combos under a name already sown', async () => {
    const half = await fromModule(model(), 'half');
    const runner = new Runner(half, { varNames: 't_half' });
    const parentDir = tempDir();
    await runner.crop({ name: 'h', batchSize: 1, parentDir }).sow({ rate: [1, 2] });
    await expect(runner.crop({ name: 'h', batchSize: 1, parentDir }).sow({ rate: [1, 3] })).rejects.toThrow(
      /crop 'h' was sown already with another request/,
    );
    expect(() => new Runner(half, { varNames: null }).crop({ name: 'n', parentDir })).toThrow(/give varNames/);
  });

  it("refuses a name that is a path before anything is written, by the command line's rule", async () => {
    const half = await fromModule(model(), 'half');
    const parentDir = tempDir();
    expect(() => new Runner(half, { varNames: 't_half' }).crop({ name: '../elsewhere', parentDir })).toThrow(
      /'\.\.\/elsewhere' is not a crop name: a crop name is letters, digits/,
    );
    expect(fs.readdirSync(parentDir)).toEqual([]);
  });
});
