// xyzpy Harvester's merge rules, in memory (mergeDatasets) and on a real HDF5 file (harvestInto: in place where it
// can be, else rewritten after a backup). test/integration/harvest.test.ts checks the same through `furrow run`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { LabelledDataset, LabelledDim, LabelledVariable } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { blank, comparable, isMissing, mergeDatasets, unionDim } from './harvest';
import type { Overwrite } from './harvest';
import { harvestInto } from './harvest-file';
import { loadH5 } from './h5';
import { sizeText } from './disk';
import { bytesOf } from './netcdf-write';
import { readDataset } from './netcdf-read';

const dim = (name: string, values: Scalar[] | null, size = values?.length ?? 0): LabelledDim => ({
  name,
  values,
  size,
});
const float = (name: string, dims: string[], data: number[]): LabelledVariable => ({
  name,
  dims,
  kind: 'float',
  data: Float64Array.from(data),
});
const ds = (dims: LabelledDim[], variables: LabelledVariable[], attrs = {}): LabelledDataset => ({
  dims,
  variables,
  attrs,
});
const dimOf = (d: LabelledDataset, name: string) => d.dims.find((x) => x.name === name);
const values = (d: LabelledDataset, name: string): unknown[] => [...d.variables.find((v) => v.name === name)!.data];

describe('the merge of a run into a dataset', () => {
  const stored = ds([dim('x', [1, 2]), dim('y', ['a', 'b'])], [float('z', ['x', 'y'], [1, 2, NaN, 4])], { k: 1 });
  // x=2, y=b disagrees (40 against 4); x=2, y=a was missing; x=3 is new.
  const run = ds([dim('x', [2, 3]), dim('y', ['a', 'b'])], [float('z', ['x', 'y'], [30, 40, 50, NaN])], { k: 2 });

  it('appends new coordinates, keeps what only one side has, and lets the policy settle a disagreement', () => {
    const merged = (policy: Overwrite) => mergeDatasets(stored, run, policy, 'h.nc');
    const old = merged('old');
    expect(old.dims).toEqual([dim('x', [1, 2, 3]), dim('y', ['a', 'b'])]);
    expect(values(old, 'z')).toEqual([1, 2, 30, 4, 50, NaN]);
    expect(values(merged('new'), 'z')).toEqual([1, 2, 30, 40, 50, NaN]);
    expect(old.attrs).toEqual({ k: 2 });
    expect(() => merged('error')).toThrow(
      "'z' at x=2, y=b: the dataset holds 4 but this run gave 40; nothing was written. Use --overwrite new to keep the new values or --overwrite old to keep the stored ones",
    );
    // The stored dataset is untouched by any of this.
    expect(values(stored, 'z')).toEqual([1, 2, NaN, 4]);
  });

  it('takes equal values under error, and a missing new value never replaces a stored one', () => {
    const same = ds([dim('x', [2])], [float('z', ['x'], [7])]);
    const before = ds([dim('x', [1, 2])], [float('z', ['x'], [NaN, 7])]);
    expect(values(mergeDatasets(before, same, 'error', 'h.nc'), 'z')).toEqual([NaN, 7]);
    const gap = ds([dim('x', [2])], [float('z', ['x'], [NaN])]);
    expect(values(mergeDatasets(before, gap, 'new', 'h.nc'), 'z')).toEqual([NaN, 7]);
  });

  it('treats an empty string and a boolean -1 as missing, and merges those kinds as well', () => {
    expect(isMissing(['', 'a'], 0)).toBe(true);
    expect(isMissing(['', 'a'], 1)).toBe(false);
    expect(isMissing(Int8Array.from([-1, 0, 1]), 0)).toBe(true);
    expect(isMissing(Int8Array.from([-1, 0, 1]), 1)).toBe(false);
    expect(isMissing(Float64Array.from([NaN, 0]), 1)).toBe(false);
    expect(blank('string', 2)).toEqual(['', '']);
    expect(blank('bool', 2)).toEqual(Int8Array.from([-1, -1]));
    expect(blank('float', 1)).toEqual(Float64Array.from([NaN]));
    const text = (data: string[], xs: number[]): LabelledDataset =>
      ds([dim('x', xs)], [{ name: 's', dims: ['x'], kind: 'string', data }]);
    const strings = mergeDatasets(text(['p', ''], [1, 2]), text(['', 'q', 'r'], [1, 2, 3]), 'error', 'h.nc');
    expect(values(strings, 's')).toEqual(['p', 'q', 'r']);
    const flags = (data: number[], xs: number[]): LabelledDataset =>
      ds([dim('x', xs)], [{ name: 'f', dims: ['x'], kind: 'bool', data: Int8Array.from(data) }]);
    expect(() => mergeDatasets(flags([1], [1]), flags([0], [1]), 'error', 'h.nc')).toThrow(
      "'f' at x=1: the dataset holds 1 but this run gave 0",
    );
    expect(values(mergeDatasets(flags([1, -1], [1, 2]), flags([-1, 0], [1, 2]), 'error', 'h.nc'), 'f')).toEqual([1, 0]);
  });

  it('adds a variable of the run, and keeps one the run did not give', () => {
    const more = ds([dim('x', [3])], [float('w', ['x'], [9])]);
    const merged = mergeDatasets(ds([dim('x', [1])], [float('z', ['x'], [1])]), more, 'error', 'h.nc');
    expect(values(merged, 'z')).toEqual([1, NaN]);
    expect(values(merged, 'w')).toEqual([NaN, 9]);
  });

  it('refuses other dims, another layout or kind of a variable, and a dim without coords that changes length', () => {
    const one = ds([dim('x', [1])], [float('z', ['x'], [1])]);
    expect(() => mergeDatasets(one, ds([dim('y', [1])], [float('z', ['y'], [1])]), 'new', 'h.nc')).toThrow(
      'h.nc has dims (x) but this run has (y); a run adds to a dataset with the same dims. Move the old dataset aside, or make the new parameter a dim of it first',
    );
    const two = ds([dim('x', [1]), dim('t', null, 2)], [float('z', ['x', 't'], [1, 2])]);
    expect(() => mergeDatasets(two, ds([dim('x', [1])], [float('z', ['x'], [1])]), 'new', 'h.nc')).toThrow(
      /has dims \(x, t\) but this run has \(x\)/,
    );
    const swapped = ds([dim('x', [1]), dim('t', null, 2)], [float('z', ['t', 'x'], [1, 2])]);
    expect(() => mergeDatasets(two, swapped, 'new', 'h.nc')).toThrow(
      "h.nc: 'z' has dims (x, t) there but (t, x) in this run",
    );
    const text = ds([dim('x', [1])], [{ name: 'z', dims: ['x'], kind: 'string', data: ['a'] }]);
    expect(() => mergeDatasets(one, text, 'new', 'h.nc')).toThrow(
      "h.nc: 'z' holds float values there but string values in this run",
    );
    // Each refusal is the person's to fix (exit status 2 on the command line).
    for (const run of [ds([dim('y', [1])], [float('z', ['y'], [1])]), swapped, text]) {
      expect(() => mergeDatasets(two, run, 'new', 'h.nc')).toThrow(expect.objectContaining({ code: 'bad-input' }));
    }
    expect(() => mergeDatasets(one, ds([dim('x', [1])], [float('z', ['x'], [2])]), 'error', 'h.nc')).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    const longer = ds([dim('x', [1]), dim('t', null, 3)], [float('z', ['x', 't'], [1, 2, 3])]);
    expect(() => mergeDatasets(two, longer, 'new', 'h.nc')).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => mergeDatasets(two, longer, 'new', 'h.nc')).toThrow(
      "h.nc: dim 't' has 2 cells there but 3 in this run",
    );
    // The same length: the cells line up by position.
    const next = ds([dim('x', [2]), dim('t', null, 2)], [float('z', ['x', 't'], [5, 6])]);
    const merged = mergeDatasets(two, next, 'error', 'h.nc');
    expect(merged.dims[1]).toEqual(dim('t', null, 2));
    expect(values(merged, 'z')).toEqual([1, 2, 5, 6]);
    expect(() => mergeDatasets(merged, next, 'error', 'h.nc')).not.toThrow();
    const clash = ds([dim('x', [2]), dim('t', null, 2)], [float('z', ['x', 't'], [5, 7])]);
    expect(() => mergeDatasets(merged, clash, 'error', 'h.nc')).toThrow("'z' at x=2, t=1: the dataset holds 6");
  });

  it('compares coordinates as stored: as strings where either side mixes kinds or the kinds differ', () => {
    expect(unionDim(dim('x', [1, 2]), dim('x', [2, 3]), 'h.nc')).toEqual(dim('x', [1, 2, 3]));
    const [old, fresh] = comparable([dim('x', [1, 2]), dim('y', ['a'])], [dim('x', ['2', 'c']), dim('y', ['b'])]);
    expect(old).toEqual([dim('x', ['1', '2']), dim('y', ['a'])]);
    expect(fresh).toEqual([dim('x', ['2', 'c']), dim('y', ['b'])]);
    const [mixedOld] = comparable([dim('x', [1, 'a'])], [dim('x', [1])]);
    expect(mixedOld).toEqual([dim('x', ['1', 'a'])]);
    const [, mixedNew] = comparable([dim('x', [1])], [dim('x', [2, 'b'])]);
    expect(mixedNew).toEqual([dim('x', ['2', 'b'])]);
    // A dim without coords, or one the run lacks, is left alone.
    const [kept] = comparable([dim('t', null, 2), dim('q', [true])], [dim('t', ['a'])]);
    expect(kept).toEqual([dim('t', null, 2), dim('q', [true])]);
    const merged = mergeDatasets(
      ds([dim('x', [1, 2])], [float('z', ['x'], [1, 2])]),
      ds([dim('x', ['2', 'c'])], [float('z', ['x'], [2, 3])]),
      'error',
      'h.nc',
    );
    // Compared as strings, the merged dim keeps the values given (the stored ones first): written with them beside.
    expect(merged.dims).toEqual([dim('x', [1, 2, 'c'])]);
    expect(values(merged, 'z')).toEqual([1, 2, 3]);
  });
});

describe('the merge, at its edges', () => {
  it('refuses a variable of another kind as bad input, the person to fix it', () => {
    const one = ds([dim('x', [1])], [float('z', ['x'], [1])]);
    const text = ds([dim('x', [1])], [{ name: 'z', dims: ['x'], kind: 'string', data: ['a'] }]);
    expect(() => mergeDatasets(one, text, 'new', 'h.nc')).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });

  it('lines up by position a dim with coords on one side and none on the other, and refuses another length', () => {
    const bare = ds([dim('t', null, 2)], [float('z', ['t'], [1, NaN])]);
    const labelled = ds([dim('t', ['a', 'b'])], [float('z', ['t'], [NaN, 2])]);
    const intoBare = mergeDatasets(bare, labelled, 'error', 'h.nc');
    expect(intoBare.dims).toEqual([dim('t', null, 2)]);
    expect(values(intoBare, 'z')).toEqual([1, 2]);
    const intoLabelled = mergeDatasets(labelled, bare, 'error', 'h.nc');
    expect(intoLabelled.dims).toEqual([dim('t', ['a', 'b'])]);
    expect(values(intoLabelled, 'z')).toEqual([1, 2]);
    const three = ds([dim('t', ['a', 'b', 'c'])], [float('z', ['t'], [1, 2, 3])]);
    expect(() => mergeDatasets(bare, three, 'error', 'h.nc')).toThrow(
      "h.nc: dim 't' has 2 cells there but 3 in this run",
    );
  });

  it('compares as strings only where a side mixes kinds or the kinds differ, never numbers with numbers', () => {
    // Both sides mix kinds: 1 and '1' are the same coordinate once stored as strings.
    const merged = mergeDatasets(
      ds([dim('x', [1, 'a'])], [float('z', ['x'], [1, 2])]),
      ds([dim('x', ['1', 2])], [float('z', ['x'], [1, 3])]),
      'error',
      'h.nc',
    );
    expect(merged.dims).toEqual([dim('x', [1, 'a', 2])]);
    expect(values(merged, 'z')).toEqual([1, 2, 3]);
    // Numbers against numbers, booleans against booleans stay as they are.
    const [old, fresh] = comparable([dim('x', [1, 2]), dim('q', [true])], [dim('x', [2, 3]), dim('q', [false])]);
    expect(old).toEqual([dim('x', [1, 2]), dim('q', [true])]);
    expect(fresh).toEqual([dim('x', [2, 3]), dim('q', [false])]);
    // Strings new to a dim of numbers, or numbers new to a dim of strings: both sides as strings.
    expect(comparable([dim('x', [1])], [dim('x', ['b'])])).toEqual([[dim('x', ['1'])], [dim('x', ['b'])]]);
    expect(comparable([dim('x', ['b'])], [dim('x', [1])])).toEqual([[dim('x', ['b'])], [dim('x', ['1'])]]);
  });

  it('keeps null and the kinds of a mixed dim through a merge (compared as strings, null as "")', () => {
    const merged = mergeDatasets(
      ds([dim('z', [null, 1.2, 'X'])], [float('y', ['z'], [0, 1, 2])]),
      ds([dim('z', [null, 4])], [float('y', ['z'], [0, 3])]),
      'error',
      'h.nc',
    );
    expect(merged.dims).toEqual([dim('z', [null, 1.2, 'X', 4])]);
    expect(values(merged, 'y')).toEqual([0, 1, 2, 3]);
  });

  it('lets a side with no coordinates yet take the kind of the other side', () => {
    // An empty dim has no kind of its own: the other side's numbers (or booleans) stay as they are.
    expect(comparable([dim('x', [])], [dim('x', [1, 2])])).toEqual([[dim('x', [])], [dim('x', [1, 2])]]);
    expect(comparable([dim('q', [true])], [dim('q', [])])).toEqual([[dim('q', [true])], [dim('q', [])]]);
    expect(comparable([dim('x', [])], [dim('x', [])])).toEqual([[dim('x', [])], [dim('x', [])]]);
    // The other side mixing kinds still makes both sides strings.
    expect(comparable([dim('x', [])], [dim('x', [1, 'a'])])).toEqual([[dim('x', [])], [dim('x', ['1', 'a'])]]);
    const merged = mergeDatasets(
      ds([dim('x', [])], [float('z', ['x'], [])]),
      ds([dim('x', [1, 2])], [float('z', ['x'], [3, 4])]),
      'error',
      'h.nc',
    );
    expect(merged.dims).toEqual([dim('x', [1, 2])]);
    expect(values(merged, 'z')).toEqual([3, 4]);
  });

  it('refuses a run with one more dim than the dataset, all the others the same', () => {
    const one = ds([dim('x', [1])], [float('z', ['x'], [1])]);
    const more = ds([dim('x', [1]), dim('y', [1])], [float('z', ['x', 'y'], [1])]);
    expect(() => mergeDatasets(one, more, 'new', 'h.nc')).toThrow(
      'h.nc has dims (x) but this run has (x, y); a run adds to a dataset with the same dims',
    );
  });
});

describe('a harvest into a file', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-harvest-'));
  const round = (xs: Scalar[], z: number[], attrs = {}) =>
    ds([dim('x', xs), dim('t', [0, 1])], [float('z', ['x', 't'], z)], attrs);
  const options = (dir: string) => ({ growableDims: ['x'], backupDir: path.join(dir, 'backup') });

  it('creates the file, then grows it in place: new cells written, cells no run filled missing, not 0', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    expect(await harvestInto(file, round([1, 2], [1, 2, 3, 4]), 'error', options(dir))).toBe('created');
    const inode = fs.statSync(file).ino;
    // x=3 and x=4 are sorted in past the end (x is stored in order), the run leaves x=3 missing, and x=2's
    // stored cells are rewritten with the same values.
    expect(await harvestInto(file, round([2, 4, 3], [3, 4, 7, 8, NaN, NaN]), 'error', options(dir))).toBe('in place');
    expect(fs.statSync(file).ino).toBe(inode);
    expect(fs.existsSync(path.join(dir, 'backup'))).toBe(false);
    const read = await readDataset(file);
    expect(dimOf(read, 'x')).toEqual(dim('x', [1, 2, 3, 4]));
    expect(values(read, 'z')).toEqual([1, 2, 3, 4, NaN, NaN, 7, 8]);
    expect(fs.existsSync(`${file}.journal`)).toBe(false);
  });

  it('in place: error refuses a disagreement and leaves the file byte for byte; old and new pick a side', async () => {
    for (const [policy, expected] of [
      ['old', [1, 2, 3, 4, 5, 6]],
      ['new', [1, 2, 3, -4, 5, 6]],
    ] as const) {
      const dir = tmp();
      const file = path.join(dir, 'h.nc');
      await harvestInto(file, round([1, 2], [1, 2, 3, 4]), 'error', options(dir));
      const before = fs.readFileSync(file);
      await expect(harvestInto(file, round([2, 3], [3, -4, 5, 6]), 'error', options(dir))).rejects.toThrow(
        "'z' at x=2, t=1: the dataset holds 4 but this run gave -4; nothing was written",
      );
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(await harvestInto(file, round([2, 3], [3, -4, 5, 6]), policy, options(dir))).toBe('in place');
      expect(values(await readDataset(file), 'z')).toEqual(expected);
    }
  });

  it('in place: a run inside the stored extent, in another order, merges with the cells around it', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, round([1, 2, 3], [1, NaN, 3, 4, NaN, 6]), 'error', options(dir));
    const inside = ds([dim('x', [3, 1]), dim('t', [1])], [float('z', ['x', 't'], [60, 20])]);
    await expect(harvestInto(file, inside, 'error', options(dir))).rejects.toThrow(
      "'z' at x=3, t=1: the dataset holds 6 but this run gave 60",
    );
    expect(await harvestInto(file, inside, 'old', options(dir))).toBe('in place');
    expect(values(await readDataset(file), 'z')).toEqual([1, 20, 3, 4, NaN, 6]);
    expect(await harvestInto(file, inside, 'new', options(dir))).toBe('in place');
    expect(values(await readDataset(file), 'z')).toEqual([1, 20, 3, 4, NaN, 60]);
  });

  it('rewrites the file after a backup when it cannot grow in place, and keeps the first backup of a run', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, round([1, 2], [1, 2, 3, 4]), 'error', options(dir));
    const first = fs.readFileSync(file);
    // String coords cannot be appended in place.
    const strings = round(['a'], [5, 6]);
    await expect(harvestInto(file, round(['2'], [3, 40]), 'error', options(dir))).rejects.toThrow(
      "'z' at x=2, t=1: the dataset holds 4 but this run gave 40",
    );
    expect(fs.readFileSync(file).equals(first)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'backup'))).toBe(false);
    expect(await harvestInto(file, strings, 'error', options(dir))).toBe('rewritten');
    expect(fs.readFileSync(path.join(dir, 'backup', 'h.nc')).equals(first)).toBe(true);
    const read = await readDataset(file);
    expect(dimOf(read, 'x')).toEqual(dim('x', [1, 2, 'a']));
    expect(values(read, 'z')).toEqual([1, 2, 3, 4, 5, 6]);
    // A new attribute is a rewrite too; the backup of the run's first rewrite stays.
    expect(await harvestInto(file, round(['b'], [7, 8], { note: 'x' }), 'error', options(dir))).toBe('rewritten');
    expect(fs.readFileSync(path.join(dir, 'backup', 'h.nc')).equals(first)).toBe(true);
    expect((await readDataset(file)).attrs).toEqual({ note: 'x' });
    // The same attributes again: in place, were it not for the string coords.
    const same = ds([dim('x', [1]), dim('t', [0, 1])], [float('z', ['x', 't'], [1, 2])], { note: 'x' });
    await expect(harvestInto(file, same, 'error', options(dir))).resolves.toBe('rewritten');
  });

  it('creates a missing file for the whole box of a run, every cell missing, then puts the first round in it', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    const whole = {
      dims: [dim('x', [1, 2, 3]), dim('t', [0, 1])],
      variables: [{ name: 'z', dims: ['x', 't'], kind: 'float' as const, data: null }],
      attrs: {},
    };
    expect(await harvestInto(file, round([2], [5, 6]), 'error', { ...options(dir), whole })).toBe('created');
    const read = await readDataset(file);
    expect(dimOf(read, 'x')).toEqual(dim('x', [1, 2, 3]));
    expect(values(read, 'z')).toEqual([NaN, NaN, 5, 6, NaN, NaN]);
    expect(await harvestInto(file, round([3], [7, 8]), 'error', options(dir))).toBe('in place');
    expect(values(await readDataset(file), 'z')).toEqual([NaN, NaN, 5, 6, 7, 8]);
  });

  it('refuses a rewrite the disk has no room for, saying how much it needs, and leaves the file as it was', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, round([1, 2], [1, 2, 3, 4]), 'error', options(dir));
    const before = fs.readFileSync(file);
    // String coords cannot be appended in place: a rewrite, beside a backup of the file as it was.
    const strings = round(['a'], [5, 6]);
    const needs = (backup: boolean) =>
      (async () =>
        (backup ? before.length : 0) + bytesOf(mergeDatasets(await readDataset(file), strings, 'error', file)))();
    // The disk under the study has 10 bytes free (what fs.statfsSync says of it).
    const statfs = fs.statfsSync(dir);
    const fill = () => vi.spyOn(fs, 'statfsSync').mockReturnValue({ ...statfs, bavail: 10, bsize: 1 });
    let full = fill();
    try {
      await expect(harvestInto(file, strings, 'error', options(dir))).rejects.toThrow(
        `cannot write ${file}: writing it anew, beside a backup of it, needs about ${sizeText(await needs(true))}, ` +
          'and the disk has 10 B free there. The dataset is as it was before',
      );
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.existsSync(path.join(dir, 'backup'))).toBe(false);
      // Once the run has its backup, a later round needs room for the new file only.
      full.mockRestore();
      expect(await harvestInto(file, round(['b'], [7, 8]), 'error', options(dir))).toBe('rewritten');
      const rewritten = fs.readFileSync(file);
      full = fill();
      const third = round(['c'], [9, 10]);
      const merged = mergeDatasets(await readDataset(file), third, 'error', file);
      await expect(harvestInto(file, third, 'error', options(dir))).rejects.toThrow(
        `cannot write ${file}: writing it anew needs about ${sizeText(bytesOf(merged))}, and the disk has 10 B free there. ` +
          'The dataset is as it was before',
      );
      expect(fs.readFileSync(file).equals(rewritten)).toBe(true);
    } finally {
      full.mockRestore();
    }
  });

  it('rewrites for a new variable, a variable of another kind, another layout, or other dims', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, round([1], [1, 2]), 'error', options(dir));
    const withW = ds([dim('x', [2]), dim('t', [0, 1])], [float('z', ['x', 't'], [3, 4]), float('w', ['x'], [9])]);
    expect(await harvestInto(file, withW, 'error', options(dir))).toBe('rewritten');
    expect(values(await readDataset(file), 'w')).toEqual([NaN, 9]);
    // The dataset has both now, and a run giving only z grows it in place, w missing at the new x.
    expect(await harvestInto(file, round([3], [5, 6]), 'error', options(dir))).toBe('in place');
    expect(values(await readDataset(file), 'w')).toEqual([NaN, 9, NaN]);
    const flag = ds(
      [dim('x', [4]), dim('t', [0, 1])],
      [{ name: 'z', dims: ['x', 't'], kind: 'bool', data: Int8Array.from([1, 0]) }],
    );
    await expect(harvestInto(file, flag, 'error', options(dir))).rejects.toThrow(
      "'z' holds float values there but bool values in this run",
    );
    const other = ds([dim('y', [1])], [float('q', ['y'], [1])]);
    await expect(harvestInto(file, other, 'error', options(dir))).rejects.toThrow(
      /has dims \(t, x\) but this run has \(y\)/,
    );
  });

  it('grows a boolean variable in place, and a string variable by a rewrite', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    const mixed = (xs: number[], flags: number[], labels: string[]) =>
      ds(
        [dim('x', xs)],
        [
          { name: 'ok', dims: ['x'], kind: 'bool', data: Int8Array.from(flags) },
          { name: 'label', dims: ['x'], kind: 'string', data: labels },
        ],
      );
    const flagsOnly = (xs: number[], flags: number[]) =>
      ds([dim('x', xs)], [{ name: 'ok', dims: ['x'], kind: 'bool', data: Int8Array.from(flags) }]);
    await harvestInto(file, mixed([1], [1], ['a']), 'error', options(dir));
    expect(await harvestInto(file, flagsOnly([2, 3], [0, -1]), 'error', options(dir))).toBe('rewritten');
    expect(await harvestInto(file, flagsOnly([2], [0]), 'error', options(dir))).toBe('in place');
    await expect(harvestInto(file, flagsOnly([2], [1]), 'error', options(dir))).rejects.toThrow(
      "'ok' at x=2: the dataset holds 0 but this run gave 1",
    );
    const read = await readDataset(file);
    expect(values(read, 'ok')).toEqual([1, 0, -1]);
    expect(values(read, 'label')).toEqual(['a', '', '']);
    expect(await harvestInto(file, mixed([1], [1], ['a']), 'error', options(dir))).toBe('rewritten');
  });
});

describe('an in-place harvest, cell by cell', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-harvest-'));
  const options = (dir: string) => ({ growableDims: ['x', 'y'], backupDir: path.join(dir, 'backup') });
  const grid = (xs: Scalar[], ys: Scalar[], z: number[], more: LabelledVariable[] = []) =>
    ds([dim('x', xs), dim('y', ys)], [float('z', ['x', 'y'], z), ...more]);

  it('grows two dims at once: every cell no run filled is missing, in each variable, numbers and booleans', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    const ok = (data: number[]): LabelledVariable => ({
      name: 'ok',
      dims: ['x', 'y'],
      kind: 'bool',
      data: Int8Array.from(data),
    });
    await harvestInto(file, grid([1, 2], [1, 2], [1, 2, 3, 4], [ok([1, 0, 1, 0])]), 'error', options(dir));
    expect(await harvestInto(file, grid([3], [3], [9]), 'error', options(dir))).toBe('in place');
    const read = await readDataset(file);
    expect(dimOf(read, 'x')).toEqual(dim('x', [1, 2, 3]));
    expect(dimOf(read, 'y')).toEqual(dim('y', [1, 2, 3]));
    expect(values(read, 'z')).toEqual([1, 2, NaN, 3, 4, NaN, NaN, NaN, 9]);
    expect(values(read, 'ok')).toEqual([1, 0, -1, 1, 0, -1, -1, -1, -1]);
    // A run over a corner of the grown dataset: what it gives lands there, what it leaves stays.
    expect(await harvestInto(file, grid([2, 3], [3], [5, NaN]), 'error', options(dir))).toBe('in place');
    expect(values(await readDataset(file), 'z')).toEqual([1, 2, NaN, 3, 4, 5, NaN, NaN, 9]);
  });

  it('appends coordinates in their stored type: float, integer, boolean; a value that does not fit is a rewrite', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, grid([0.5], [true], [1]), 'error', options(dir));
    expect(await harvestInto(file, grid([1.5, 2.25], [false], [2, 3]), 'error', options(dir))).toBe('in place');
    let read = await readDataset(file);
    expect(dimOf(read, 'x')).toEqual(dim('x', [0.5, 1.5, 2.25]));
    expect(dimOf(read, 'y')).toEqual(dim('y', [true, false]));
    expect(values(read, 'z')).toEqual([1, NaN, NaN, 2, NaN, 3]);

    const ints = path.join(dir, 'i.nc');
    await harvestInto(ints, grid([1], [1], [1]), 'error', options(dir));
    expect(await harvestInto(ints, grid([2], [1], [2]), 'error', options(dir))).toBe('in place');
    // Past 2^53 an integer is not exact: the coords become floats, by a rewrite; then a larger one fits in place.
    expect(await harvestInto(ints, grid([2 ** 60], [1], [3]), 'error', options(dir))).toBe('rewritten');
    expect(await harvestInto(ints, grid([2 ** 61], [1], [4]), 'error', options(dir))).toBe('in place');
    read = await readDataset(ints);
    expect(dimOf(read, 'x')).toEqual(dim('x', [1, 2, 2 ** 60, 2 ** 61]));
    // A boolean dim given a number, or a number dim given a boolean: stored as strings, by a rewrite.
    expect(await harvestInto(file, grid([0.5], [2], [7]), 'error', options(dir))).toBe('rewritten');
    expect(dimOf(await readDataset(file), 'y')).toEqual(dim('y', [true, false, 2]));
  });

  it('grows coordinates another tool stored as int32, uint64 or float32 by a rewrite, every value kept', async () => {
    // Furrow stores coordinates as int64, float64 or int8 booleans; a file written elsewhere may hold others. Growing
    // such a dim in place would write Furrow's values into a type that cannot hold them: the file is written anew.
    const dir = tmp();
    const h5 = await loadH5();
    const written = (name: string, xs: Int32Array | BigUint64Array | Float32Array) => {
      const file = path.join(dir, name);
      const out = new h5.File(file, 'w');
      try {
        out.create_dataset({ name: 'x', data: xs, shape: [xs.length], maxshape: [null], chunks: [4] }).make_scale('x');
        const z = out.create_dataset({
          name: 'z',
          data: Float64Array.from({ length: xs.length }, (_, i) => i + 1),
          shape: [xs.length],
          maxshape: [null],
          chunks: [4],
        });
        z.create_attribute('_FillValue', new Float64Array([NaN]), []);
        z.attach_scale(0, '/x');
      } finally {
        out.close();
      }
      return file;
    };
    const line = (xs: number[], z: number[]) => ds([dim('x', xs)], [float('z', ['x'], z)]);
    const cases: [string, Int32Array | BigUint64Array | Float32Array, number[]][] = [
      ['int32.nc', Int32Array.from([1, 2]), [1, 2, 3]],
      ['uint64.nc', BigUint64Array.from([1n, 2n]), [1, 2, 3]],
      ['float32.nc', Float32Array.from([0.5, 1.5]), [0.5, 1.5, 3]],
    ];
    for (const [name, xs, all] of cases) {
      const file = written(name, xs);
      expect(await harvestInto(file, line([3], [30]), 'error', options(dir)), name).toBe('rewritten');
      const read = await readDataset(file);
      expect(dimOf(read, 'x'), name).toEqual(dim('x', all));
      expect(values(read, 'z'), name).toEqual([1, 2, 30]);
    }
    // A variable made fixed along a dim whose coordinates may grow: it cannot follow them in place.
    const fixed = path.join(dir, 'fixed.nc');
    const out = new h5.File(fixed, 'w');
    try {
      for (const [name, n] of [
        ['x', 2],
        ['y', 2],
      ] as const) {
        const xs = BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1));
        out.create_dataset({ name, data: xs, shape: [n], maxshape: [null], chunks: [4] }).make_scale(name);
      }
      const z = out.create_dataset({ name: 'z', data: Float64Array.from([1, 2, 3, 4]), shape: [2, 2] });
      z.create_attribute('_FillValue', new Float64Array([NaN]), []);
      z.attach_scale(0, '/x');
      z.attach_scale(1, '/y');
    } finally {
      out.close();
    }
    expect(await harvestInto(fixed, grid([3], [1, 2], [5, 6]), 'error', options(dir))).toBe('rewritten');
    expect(values(await readDataset(fixed), 'z')).toEqual([1, 2, 3, 4, 5, 6]);
    // Integers past 2^53 beside ones below it are not exact as int64 and as float64 alike: a rewrite as well.
    const ints = path.join(dir, 'ints.nc');
    await harvestInto(ints, line([1], [1]), 'error', options(dir));
    expect(await harvestInto(ints, line([2 ** 60 + 2 ** 10, 5], [2, 3]), 'error', options(dir))).toBe('rewritten');
    expect(dimOf(await readDataset(ints), 'x')).toEqual(dim('x', [1, 5, 2 ** 60 + 2 ** 10]));
  });

  it('grows in place only dims that were made growable', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, grid([1], [1], [1]), 'error', { growableDims: ['x'], backupDir: path.join(dir, 'b') });
    expect(await harvestInto(file, grid([2], [1], [2]), 'error', options(dir))).toBe('in place');
    expect(await harvestInto(file, grid([2], [2], [3]), 'error', options(dir))).toBe('rewritten');
    expect(values(await readDataset(file), 'z')).toEqual([1, NaN, 2, 3]);
  });

  it('keeps the same attributes in place, and rewrites for a changed one', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    const withAttrs = (xs: number[], attrs: Record<string, Scalar | Scalar[]>) =>
      ds([dim('x', xs)], [float('z', ['x'], xs)], attrs);
    await harvestInto(file, withAttrs([1], { k: 1, tags: ['a', 'b'] }), 'error', options(dir));
    expect(await harvestInto(file, withAttrs([2], { k: 1, tags: ['a', 'b'] }), 'error', options(dir))).toBe('in place');
    expect(await harvestInto(file, withAttrs([3], {}), 'error', options(dir))).toBe('in place');
    expect(await harvestInto(file, withAttrs([4], { k: 2 }), 'error', options(dir))).toBe('rewritten');
    expect((await readDataset(file)).attrs).toEqual({ k: 2, tags: ['a', 'b'] });
  });

  it('refuses a run with fewer dims, or others in the same number, as the merge does', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, grid([1], [1], [1]), 'error', options(dir));
    const before = fs.readFileSync(file);
    for (const [dims, text] of [
      [[dim('x', [2])], '(x)'],
      [[dim('x', [2]), dim('q', [1])], '(x, q)'],
    ] as const) {
      const names = dims.map((d) => d.name);
      const run = ds([...dims], [float('z', names, [1])]);
      await expect(harvestInto(file, run, 'error', options(dir))).rejects.toThrow(
        `${file} has dims (x, y) but this run has ${text}`,
      );
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    }
  });

  it('names the cell of a conflict inside a box of several rows that starts past the first', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, grid([1, 2, 3], [1, 2], [1, 2, 3, 4, 5, 6]), 'error', options(dir));
    await expect(harvestInto(file, grid([2, 3], [1, 2], [3, 4, 5, 60]), 'error', options(dir))).rejects.toThrow(
      "'z' at x=3, y=2: the dataset holds 6 but this run gave 60",
    );
  });

  it('refuses a variable over the same dims in another order, and leaves the file as it was', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, grid([1, 2], [1, 2], [1, 2, 3, 4]), 'error', options(dir));
    const before = fs.readFileSync(file);
    const swapped = ds([dim('x', [1, 2]), dim('y', [1, 2])], [float('z', ['y', 'x'], [1, 3, 2, 4])]);
    await expect(harvestInto(file, swapped, 'new', options(dir))).rejects.toThrow(
      `${file}: 'z' has dims (x, y) there but (y, x) in this run`,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('rewrites a string variable that grows along one of its two dims', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    const label: LabelledVariable = { name: 'label', dims: ['x', 'y'], kind: 'string', data: ['a', 'b'] };
    await harvestInto(file, grid([1], [1, 2], [1, 2], [label]), 'error', options(dir));
    expect(await harvestInto(file, grid([2], [1, 2], [3, 4]), 'error', options(dir))).toBe('rewritten');
    const read = await readDataset(file);
    expect(values(read, 'z')).toEqual([1, 2, 3, 4]);
    expect(values(read, 'label')).toEqual(['a', 'b', '', '']);
  });

  it('puts back a change another host left unfinished, since the caller holds the lock, and leaves no file open', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, grid([1], [1], [1]), 'error', options(dir));
    // A journal with no record, written by a harvest on another machine sharing the folder, which then died.
    const header = Buffer.from(JSON.stringify({ pid: 1, host: 'elsewhere', size: fs.statSync(file).size, since: '' }));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    fs.writeFileSync(`${file}.journal`, Buffer.concat([Buffer.from('FURROWJ1'), length, header]));
    const fds = fs.readdirSync('/proc/self/fd').length;
    expect(await harvestInto(file, grid([2], [1], [2]), 'error', options(dir))).toBe('in place');
    expect(fs.existsSync(`${file}.journal`)).toBe(false);
    expect(fs.readdirSync('/proc/self/fd').length).toBe(fds);
    // A boolean dim takes true as 1.
    const flags = path.join(dir, 'f.nc');
    await harvestInto(flags, grid([1], [false], [1]), 'error', options(dir));
    expect(await harvestInto(flags, grid([1], [true], [2]), 'error', options(dir))).toBe('in place');
    expect(dimOf(await readDataset(flags), 'y')).toEqual(dim('y', [false, true]));
  });
});
