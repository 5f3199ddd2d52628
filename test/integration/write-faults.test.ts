// A harvest whose writes fail (a full disk, a failing device) or are cut short by a kill, at the same write every
// time (test/faults/fs-faults.mjs makes one chosen write fail): the dataset is put back byte for byte, the run says
// why in one line and records what it could not store, and the next run grows the dataset. A disk that really
// fills up is in disk-full.test.ts.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalOf } from '../../electron/engine/dataset/dataset-journal';
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow, tempDir, vectorStudy, withFault } from '../helpers/furrow';
import type { FsFault, Result } from '../helpers/furrow';

const T = 2000;
/** The second round: four new values of `a`, appended to the dataset in place. */
const ROUND = ['--combo', 'a=4,5,6,7'];

/** `furrow run` with one write (or removal) of one file made to fail, or to kill the process. */
function faulty(dir: string, fault: FsFault, args = ROUND): Promise<Result> {
  return furrow(['run', dir, ...args], withFault(fault));
}

/** The study after its first round (a = 0..3), copied afresh for each trial. */
let template: string;
const copy = () => {
  const dir = path.join(tempDir('furrow-write-fault-'), 'vec');
  fs.cpSync(template, dir, { recursive: true });
  return dir;
};
const datasetOf = (dir: string) => path.join(dir, 'data', 'vec.nc');

/** Each case's rows in the run database: status and error by the value of `a`. */
function rowsOf(dir: string): { a: number; status: string; error: string | null }[] {
  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  try {
    return (
      db.prepare('SELECT _params, _status, _error FROM psets ORDER BY _pset_seq').all() as {
        _params: string;
        _status: string;
        _error: string | null;
      }[]
    ).map((r) => ({ a: (JSON.parse(r._params) as { a: number }).a, status: r._status, error: r._error }));
  } finally {
    db.close();
  }
}

/** After the next run with room: every `a` of both rounds is in the dataset, and recorded done exactly once. */
async function expectWholeAfterRerun(dir: string): Promise<void> {
  const rerun = await furrow(['run', dir, ...ROUND, '--missing-only']);
  expect(rerun.code, rerun.stderr).toBe(0);
  const y = await readSlice(datasetOf(dir), 'y', { t: T - 1 });
  expect(y.coords['a']).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(y.values).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((a) => a * 1e4 + T - 1));
  const done = rowsOf(dir)
    .filter((r) => r.status === 'done')
    .map((r) => r.a)
    .sort();
  expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
}

/** How many writes `file` gets in the second round, when nothing fails. */
async function writesTo(file: string): Promise<number> {
  const count = path.join(tempDir(), 'count');
  const run = await faulty(copy(), { file, count });
  expect(run.code, run.stderr).toBe(0);
  return Number(fs.readFileSync(count, 'utf8'));
}

beforeAll(async () => {
  template = await exampleStudy('foo', vectorStudy(T, 4, 1e4));
  const first = await furrow(['run', template]);
  expect(first.code, first.stderr).toBe(0);
});

describe('a harvest killed in the middle of a change', () => {
  it('is put back byte for byte by the next opener, whichever write the kill follows', async () => {
    const writes = await writesTo('vec.nc');
    expect(writes).toBeGreaterThan(2);
    for (let nth = 1; nth <= writes; nth++) {
      const dir = copy();
      const before = fs.readFileSync(datasetOf(dir));
      const run = await faulty(dir, { file: 'vec.nc', nth, action: 'kill-after' });
      expect(run.code, `write ${nth}`).toBe(null); // killed
      // The kill landed inside the change: the file holds bytes of the unfinished round, the journal the old ones.
      expect(fs.existsSync(journalOf(datasetOf(dir))), `write ${nth}`).toBe(true);
      expect(fs.readFileSync(datasetOf(dir)).equals(before), `write ${nth} changed nothing`).toBe(false);
      await describeDataset(datasetOf(dir)); // the next opener
      expect(fs.readFileSync(datasetOf(dir)).equals(before), `after a kill at write ${nth}`).toBe(true);
      expect(fs.existsSync(journalOf(datasetOf(dir)))).toBe(false);
      if (nth === 1 || nth === writes) await expectWholeAfterRerun(dir);
    }
  }, 240_000);

  it('between the dataset write and the database commit: the next run records the round done, once', async () => {
    const dir = copy();
    // The journal is removed when the round's change is complete; the kill follows before the database says so.
    const run = await faulty(dir, { file: 'vec.nc.journal', nth: 1, action: 'kill-after-remove' });
    expect(run.code).toBe(null);
    const y = await readSlice(datasetOf(dir), 'y', { t: 0 });
    expect(y.coords['a']).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // the round is in the dataset
    expect(rowsOf(dir).filter((r) => r.status === 'done')).toHaveLength(4); // but not recorded done
    const status = await furrow(['run', dir, ...ROUND, '--missing-only', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ done: 0, skipped: 4 }); // nothing ran again
    await expectWholeAfterRerun(dir);
    const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
    const runs = db.prepare('SELECT status FROM runs ORDER BY run_seq').pluck().all();
    db.close();
    expect(runs[1]).toBe('interrupted'); // not `running` for ever
  }, 120_000);
});

describe('a harvest whose write fails', () => {
  const cases: [string, FsFault][] = [
    ['the journal has no room for its first record', { file: 'vec.nc.journal', nth: 2, action: 'enospc' }],
    ['the journal record is written only in part', { file: 'vec.nc.journal', nth: 3, action: 'short' }],
    ['a journal record fails halfway, and later writes work', { file: 'vec.nc.journal', nth: 3, action: 'flaky' }],
    ['the dataset has no room for its first new bytes', { file: 'vec.nc', nth: 1, action: 'enospc' }],
    ['the dataset is written only in part', { file: 'vec.nc', nth: 1, action: 'short' }],
    ['the disk fails under the dataset', { file: 'vec.nc', nth: 5, action: 'eio' }],
  ];
  it.each(cases)(
    'when %s: the file is as before, the run says so and exits 1, the next run stores the round',
    async (_what, fault) => {
      const dir = copy();
      const before = fs.readFileSync(datasetOf(dir));
      const run = await faulty(dir, fault);
      expect(run.code, run.stderr).toBe(1);
      const reason =
        fault.action === 'eio' || fault.action === 'flaky'
          ? 'the disk reported an input/output error'
          : 'the disk is full';
      const lines = run.stderr.trim().split('\n');
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`cannot write ${datasetOf(dir)}`);
      expect(lines[0]).toContain(reason);
      expect(lines[0]).toMatch(/4 done cases were not stored \(recorded failed\): once there is room, run again/);
      expect(fs.readFileSync(datasetOf(dir)).equals(before)).toBe(true);
      expect(fs.existsSync(journalOf(datasetOf(dir)))).toBe(false);
      const failed = rowsOf(dir).filter((r) => r.status === 'failed');
      expect(failed.map((r) => r.a)).toEqual([4, 5, 6, 7]);
      for (const r of failed) expect(r.error).toContain(reason);
      await expectWholeAfterRerun(dir);
    },
    60_000,
  );
});

describe('a dataset written anew', () => {
  it('a first run whose write fails leaves no dataset and no temporary file, and the next run writes it', async () => {
    const dir = path.join(tempDir('furrow-write-fault-'), 'vec');
    fs.cpSync(template, dir, { recursive: true });
    fs.rmSync(path.join(dir, 'data'), { recursive: true });
    fs.rmSync(path.join(dir, 'runs.sqlite'));
    const run = await faulty(dir, { file: '.tmp', nth: 3, action: 'enospc' }, []);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`cannot write ${datasetOf(dir)}: the disk is full`);
    expect(fs.readdirSync(path.join(dir, 'data'))).toEqual([]);
    const again = await furrow(['run', dir, '--missing-only']);
    expect(again.code, again.stderr).toBe(0);
    expect(rowsOf(dir).filter((r) => r.status === 'done')).toHaveLength(4);
  });

  it('a rewrite killed midway leaves a temporary file that the next writer removes before it needs the room', async () => {
    const dir = copy();
    const before = fs.readFileSync(datasetOf(dir));
    const edit = await furrow(
      ['dataset', 'expand-dims', dir, 'k', '1'],
      withFault({ file: '.tmp', nth: 3, action: 'kill-after' }),
    );
    expect(edit.code).toBe(null);
    const left = fs.readdirSync(path.join(dir, 'data')).filter((f) => f.endsWith('.tmp'));
    expect(left).toHaveLength(1);
    expect(fs.readFileSync(datasetOf(dir)).equals(before)).toBe(true);
    const run = await furrow(['run', dir, ...ROUND]);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'data')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
