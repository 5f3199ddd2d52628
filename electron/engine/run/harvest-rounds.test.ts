// A round's byte cap: results with dims of their own start a round once the round holds ROUND_MOST_BYTES of them,
// without waiting for the round's time, and the dataset written round by round is the one a single round writes.
// Real rounds (HarvestRounds, ResultGrid) into a real HDF5 file (harvestInto, h5wasm).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Space } from '../../../shared/space';
import { harvestInto } from '../dataset/harvest-file';
import { readDataset } from '../dataset/netcdf-read';
import { HarvestRounds } from './harvest-rounds';
import { ResultGrid } from './results';

const CASES = 40;
const T = 100;
/** What one case takes in a round: its T values and its cell, 8 bytes each. */
const EACH = (T + 1) * 8;
const space = new Space({ combos: { a: { range: [0, CASES] } } });
const grid = () => new ResultGrid(space, [{ name: 'y', dims: ['t'] }], { t: Array.from({ length: T }, (_, i) => i) });

/** Run the cases' results through rounds capped at `mostBytes` into `file`; the cases each round stored. */
async function storeInRounds(file: string, mostBytes?: number): Promise<number[]> {
  const cuts: number[] = [];
  let harvesting: Promise<unknown> = Promise.resolve();
  let seq = 0;
  const rounds = new HarvestRounds({
    newGrid: grid,
    harvest: (g) => {
      cuts.push(g.bytes / EACH);
      harvesting = harvestInto(file, g.boxDataset({})!, 'error', {
        growableDims: ['a'],
        backupDir: path.join(path.dirname(file), 'backups'),
        whole: g.skeleton({}),
      });
      return harvesting as ReturnType<typeof harvestInto>;
    },
    flush: () => ++seq,
    settle: () => undefined,
    onStored: () => undefined,
    onFailed: (error) => {
      throw error;
    },
    // No round is due by the clock while the test runs: only the cap starts one.
    every: 3_600_000,
    ...(mostBytes === undefined ? {} : { mostBytes }),
  });
  for (let a = 0; a < CASES; a++) {
    rounds.add(a, { y: Array.from({ length: T }, (_, i) => a * 1000 + i) });
    rounds.done();
    // As between two messages of the workers: a round begun by done() gets to run, and is let finish.
    await new Promise(setImmediate);
    await harvesting;
    await new Promise(setImmediate);
  }
  await rounds.round(); // the run's last round: what is left
  expect(rounds.stored).toBe(CASES);
  return cuts;
}

describe('a round of results with dims of their own', () => {
  it('is stored once it holds ROUND_MOST_BYTES, and the dataset is the same as with one round', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-rounds-'));
    const capped = path.join(dir, 'capped.nc');
    const whole = path.join(dir, 'whole.nc');
    // Eight cases fill a round: five rounds of eight, none left for the last.
    expect(await storeInRounds(capped, 8 * EACH)).toEqual([8, 8, 8, 8, 8]);
    // Under the default cap (32 MiB) the 40 cases wait for the run's last round.
    expect(await storeInRounds(whole)).toEqual([CASES]);
    const a = await readDataset(capped);
    const b = await readDataset(whole);
    expect(a).toEqual(b);
    const y = a.variables.find((v) => v.name === 'y')!;
    expect(y.dims).toEqual(['a', 't']);
    expect([...y.data.slice(T * 17, T * 17 + 3)]).toEqual([17000, 17001, 17002]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
