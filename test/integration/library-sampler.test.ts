// The library's Sampler (issue 9), and what the library says of damaged files: n parameter sets drawn from lists and distributions, the function run on each,
// a row per sample kept in a real run database (SQLite, the schema of a study's runs.sqlite).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fromModule, Harvester, Runner, RunnerError, Sampler, sensitivity } from '../../electron/lib';
import type { Rng } from '../../electron/lib';
import { tempDir } from '../helpers/furrow';

const wave = new Runner(
  ({ amp, fn, t }) => (amp as number) * (fn === 'sin' ? Math.sin(t as number) : Math.cos(t as number)),
  { varNames: 'y', constants: { unit: 'V' } },
);

describe('Sampler', () => {
  it('draws from lists and distributions, runs each sample, and keeps the rows round after round', async () => {
    const file = path.join(tempDir(), 'wave.sqlite');
    const sampler = new Sampler(wave, { dataName: file, defaultCombos: { amp: [1, 2, 3], fn: ['sin', 'cos'] } });
    expect(sampler.fullTable).toEqual([]);
    const first = await sampler.sampleCombos(40, { t: (rng: Rng) => rng.uniform(0, 6) }, { seed: 7 });
    expect(first).toHaveLength(40);
    for (const row of first) {
      expect([1, 2, 3]).toContain(row['amp']);
      expect(['sin', 'cos']).toContain(row['fn']);
      expect(row['t']).toBeGreaterThanOrEqual(0);
      expect(row['t']).toBeLessThan(6);
      const f = row['fn'] === 'sin' ? Math.sin : Math.cos;
      expect(row['y']).toBeCloseTo((row['amp'] as number) * f(row['t'] as number), 12);
      expect(row['unit']).toBe('V');
    }
    expect(new Set(first.map((r) => r['amp'])).size).toBe(3);
    // The same seed draws the same samples.
    const again = new Sampler(wave, { dataName: path.join(tempDir(), 'again.sqlite') });
    expect(
      await again.sampleCombos(
        40,
        { amp: [1, 2, 3], fn: ['sin', 'cos'], t: (rng: Rng) => rng.uniform(0, 6) },
        { seed: 7 },
      ),
    ).toEqual(first);

    // A distribution that ignores the generator works too; a second round adds rows.
    await sampler.sampleCombos(5, { t: () => 1, amp: [10] });
    const full = sampler.fullTable;
    expect(full).toHaveLength(45);
    expect(full.slice(40).every((r) => r['t'] === 1 && r['amp'] === 10)).toBe(true);
    expect(full.slice(0, 40)).toEqual(first);
    expect(sampler.lastTable).toHaveLength(5);

    // The table is a run database: two runs, a row per sample with psweep's columns.
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(2);
    const row = db.prepare('SELECT * FROM psets ORDER BY _pset_seq LIMIT 1').get() as Record<string, unknown>;
    expect(row).toMatchObject({ _status: 'done', amp: first[0]!['amp'], y: first[0]!['y'] });
    expect(row['_pset_hash']).toMatch(/^[0-9a-f]{40}$/);
    db.close();
  });

  it('keeps the samples done before a call that throws, and says which sample failed', async () => {
    const file = path.join(tempDir(), 'bad.sqlite');
    let calls = 0;
    const fragile = new Runner(
      ({ x }) => {
        if (++calls === 4) throw new Error('diverged');
        return x;
      },
      { varNames: 'y' },
    );
    const sampler = new Sampler(fragile, { dataName: file });
    await expect(sampler.sampleCombos(10, { x: [1, 2] })).rejects.toThrow(
      /1 of 4 calls failed; the first, at x=\d: Error: diverged/,
    );
    expect(sampler.fullTable).toHaveLength(3);
    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT _status, _error FROM psets WHERE _status = 'failed'`).all()).toEqual([
      { _status: 'failed', _error: 'Error: diverged' },
    ]);
    expect(db.prepare('SELECT status, done, failed, cancelled FROM runs').get()).toEqual({
      status: 'failed',
      done: 3,
      failed: 1,
      cancelled: 6,
    });
    db.close();
  });

  it('runs a module function on workers', async () => {
    const model = path.join(tempDir(), 'm.mjs');
    fs.writeFileSync(model, 'export const sq = ({ x }) => ({ sq: x * x, pid: process.pid });\n');
    const sq = await fromModule(model, 'sq');
    const sampler = new Sampler(new Runner(sq, { varNames: null }), { dataName: path.join(tempDir(), 'w.sqlite') });
    const rows = await sampler.sampleCombos(30, { x: (rng: Rng) => rng.integers(0, 100) }, { workers: 2, seed: 1 });
    expect(rows.every((r) => r['sq'] === (r['x'] as number) ** 2 && r['pid'] !== process.pid)).toBe(true);
  });

  it('refuses what a table cannot hold, before running anything', async () => {
    const dataName = path.join(tempDir(), 'x.sqlite');
    expect(() => new Sampler(new Runner(() => [1, 2], { varNames: 'v', varDims: { v: ['i'] } }), { dataName })).toThrow(
      /a Sampler keeps a row per sample, so its outputs are scalars: 'v' has dims \[i\]/,
    );
    const sampler = new Sampler(wave, { dataName });
    await expect(sampler.sampleCombos(0, { amp: [1] })).rejects.toThrow(/give a whole number ≥ 1/);
    await expect(sampler.sampleCombos(3, { amp: [] })).rejects.toThrow(/'amp' has no values to draw from/);
    await expect(sampler.sampleCombos(3, { amp: () => ({}) as never })).rejects.toThrow(/'amp' gave object/);
    expect(fs.existsSync(dataName)).toBe(false);
  });
});

describe('sampleDesign and sensitivity()', () => {
  // y = 4a + b + 0·c over the unit cube: S1 = ST = 16/17, 1/17, 0 exactly (a linear function has no interactions).
  const linear = new Runner(({ a, b, c }) => 4 * (a as number) + (b as number) + 0 * (c as number), { varNames: 'y' });
  const unit = { uniform: [0, 1] as [number, number] };

  it('a Saltelli design recorded in the table gives Sobol indices; a Morris design mu*; rows of no design, given data', async () => {
    const sampler = new Sampler(linear, { dataName: path.join(tempDir(), 'linear.sqlite') });
    expect(() => sensitivity(sampler)).toThrow(/nothing has run yet; run a design first \(sampler.sampleDesign\)/);
    const rows = await sampler.sampleDesign({ design: 'saltelli', n: 512 }, { a: unit, b: unit, c: unit }, { seed: 2 });
    expect(rows).toHaveLength(512 * 5);
    const sobol = sensitivity(sampler, { resamples: 200 });
    expect(sobol).toMatchObject({
      method: 'sobol',
      params: ['a', 'b', 'c'],
      design: { name: 'saltelli', n: 512, seed: 2 },
    });
    const y = sobol.outputs['y']!;
    expect(y['a']!.ST).toBeCloseTo(16 / 17, 1);
    expect(y['b']!.ST).toBeCloseTo(1 / 17, 1);
    expect(y['c']!.ST).toBe(0);
    expect(Math.abs(y['a']!.S1! - 16 / 17)).toBeLessThanOrEqual(y['a']!.S1_conf!);

    await sampler.sampleDesign({ design: 'morris', n: 20, levels: 6 }, { a: unit, b: unit, c: unit }, { seed: 3 });
    const morris = sensitivity(sampler).outputs['y']!;
    // The elementary effects of a linear function are its slopes.
    expect(morris['a']!.mu_star).toBeCloseTo(4, 10);
    expect(morris['b']!.mu_star).toBeCloseTo(1, 10);
    expect(morris['c']!.sigma).toBe(0);
    const given = sensitivity(sampler, { method: 'given-data' });
    expect(given.evaluations).toBe(512 * 5 + 20 * 4);
    expect(() => sensitivity(sampler, { outputs: ['z'] })).toThrow(RunnerError);
    // Options are checked as every class's are: a misspelt one is named, not ignored.
    expect(() => sensitivity(sampler, { resample: 10 } as never)).toThrow(
      /unknown option 'resample'.*\(its options: outputs, reduce, method, resamples, confidence, seed\)/,
    );
    expect(() => sensitivity(sampler, { confidence: 95 })).toThrow(
      /option 'confidence' is 95; give a number between 0 and 1/,
    );
  }, 60_000);

  it('refuses a distribution with no inverse CDF, and runs nothing', async () => {
    const file = path.join(tempDir(), 'no.sqlite');
    const sampler = new Sampler(linear, { dataName: file });
    await expect(
      sampler.sampleDesign({ design: 'lhs', n: 4 }, { a: unit, b: { module: 'x.mjs' } as never, c: unit }),
    ).rejects.toThrow(/sampleDesign: 'b': a design maps quantiles through a distribution's inverse CDF/);
    expect(fs.existsSync(file)).toBe(false);
    await expect(sampler.sampleDesign({ design: 'lhs', n: 4, level: 4 } as never, { a: unit })).rejects.toThrow(
      /unknown option 'level'.*\(its options: design, n, secondOrder, levels\)/,
    );
    await expect(sampler.sampleDesign({ design: 'lhs', n: 4 }, { a: unit }, { sed: 1 } as never)).rejects.toThrow(
      /unknown option 'sed'/,
    );
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('damaged files', () => {
  it('a Sampler says its table is not a run database before calling anything, and leaves it as it was', async () => {
    const file = path.join(tempDir(), 'notes.sqlite');
    fs.writeFileSync(file, 'these are my notes, not a database; they are long enough to have a header\n');
    let calls = 0;
    const sampler = new Sampler(new Runner(() => ++calls, { varNames: 'y' }), { dataName: file });
    await expect(sampler.sampleCombos(3, { x: [1] })).rejects.toThrow(
      /notes\.sqlite: cannot open the run database \(file is not a database\)/,
    );
    expect(calls).toBe(0);
    expect(() => sampler.fullTable).toThrow(RunnerError);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^these are my notes/);
  });

  it('a Harvester refuses a file that is not HDF5, whatever it is asked, and leaves it as it was', async () => {
    const file = path.join(tempDir(), 'garbage.nc');
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256));
    fs.writeFileSync(file, bytes);
    const harvester = new Harvester(new Runner(({ x }) => x, { varNames: 'y' }), { dataName: file });
    const unreadable = /garbage\.nc: not a readable HDF5\/NetCDF4 file/;
    await expect(harvester.harvestCombos({ x: [1] })).rejects.toThrow(RunnerError);
    await expect(harvester.harvestCombos({ x: [1] })).rejects.toThrow(unreadable);
    await expect(harvester.harvestCombos({ x: [1] }, { missingOnly: true })).rejects.toThrow(unreadable);
    await expect(harvester.fullDataset).rejects.toThrow(unreadable);
    await expect(harvester.dropSel({ x: 1 })).rejects.toThrow(unreadable);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });
});
