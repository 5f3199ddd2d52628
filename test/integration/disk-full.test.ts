// A study on a disk that fills up (a small tmpfs of its own, so root only; elsewhere skipped with a message, and
// under CI=true a failure): whatever room is left when a run starts, it ends with exit 1 and one line that says the
// disk is full and where, the dataset is byte for byte what it was, no temporary file keeps the disk full, and once
// there is room again one `--missing-only` stores everything, each case recorded done once.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { journalOf } from '../../electron/engine/dataset-journal';
import { readSlice } from '../../electron/engine/netcdf-read';
import { furrow } from '../helpers/furrow';
import { describeWith, mountSmallDisk, python, unmountSmallDisk } from '../helpers/tools';

const T = 10_000; // 80 KB a case
const STUDY = `name: vec
model: {module: ./model.mjs}
outputs:
  y: {dims: [t]}
coords:
  t: {range: [0, ${T}]}
combos:
  a: {range: [0, 10]}
`;
const MODEL = `export default ({ a }) => ({ y: Array.from({ length: ${T} }, (_, i) => a * 1e5 + i) });\n`;
const SECOND = ['--combo', `a=${Array.from({ length: 16 }, (_, i) => 10 + i).join(',')}`];

describeWith('tmpfs', 'a disk that fills up', () => {
  const disk = `/tmp/furrow-small-disk-${process.pid}`;
  const filler = path.join(disk, 'filler');
  let n = 0;

  beforeAll(() => {
    const mounted = mountSmallDisk(disk, 12 * 1024);
    if (!mounted.ok) throw new Error(`cannot mount a tmpfs at ${disk}: ${mounted.why}`);
  });
  afterAll(() => unmountSmallDisk(disk));

  /** Leave `kib` KiB free on the disk. */
  const fill = (kib: number) => {
    const s = fs.statfsSync(disk);
    const free = s.bavail * s.bsize;
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free - kib * 1024)));
  };
  const unfill = () => fs.rmSync(filler, { force: true });

  async function newStudy(): Promise<string> {
    const dir = path.join(disk, `s${n++}`);
    const init = await furrow(['init', dir, '--example', 'blank']);
    expect(init.code, init.stderr).toBe(0);
    fs.writeFileSync(path.join(dir, 'study.yaml'), STUDY);
    fs.writeFileSync(path.join(dir, 'model.mjs'), MODEL);
    return dir;
  }

  const leftovers = (dir: string) =>
    fs.existsSync(path.join(dir, 'data'))
      ? fs.readdirSync(path.join(dir, 'data')).filter((f) => f.endsWith('.tmp') || f.endsWith('.journal'))
      : [];

  /** Each case's `a` recorded done, in order (a case recorded twice shows twice). */
  function doneRows(dir: string): number[] {
    const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
    try {
      return (db.prepare(`SELECT _params FROM psets WHERE _status = 'done'`).pluck().all() as string[])
        .map((p) => (JSON.parse(p) as { a: number }).a)
        .sort((x, y) => x - y);
    } finally {
      db.close();
    }
  }

  const expectOneLine = (stderr: string, dir: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    // Either the write failed, or it was refused before it began for want of room.
    expect(lines[0]).toMatch(
      /^furrow: cannot write .*: (the disk is full \(.* free there\)|.* needs about .*, and the disk has .* free there)\./,
    );
    expect(lines[0]).toContain(dir);
  };

  it('a harvest that finds the disk full leaves the dataset as it was, at every level of room', async () => {
    for (const room of [0, 40, 120, 400, 900]) {
      const dir = await newStudy();
      expect((await furrow(['run', dir])).code).toBe(0);
      const file = path.join(dir, 'data', 'vec.nc');
      const before = fs.readFileSync(file);
      fill(room);
      const run = await furrow(['run', dir, ...SECOND]);
      unfill();
      expect(run.code, `${room} KiB free: ${run.stderr}`).toBe(1);
      expectOneLine(run.stderr, dir);
      expect(fs.readFileSync(file).equals(before), `${room} KiB free`).toBe(true);
      expect(leftovers(dir)).toEqual([]);

      const again = await furrow(['run', dir, ...SECOND, '--missing-only']);
      expect(again.code, again.stderr).toBe(0);
      const y = await readSlice(file, 'y', { t: T - 1 });
      expect(y.values).toEqual(Array.from({ length: 26 }, (_, a) => a * 1e5 + T - 1));
      expect(doneRows(dir)).toEqual(Array.from({ length: 26 }, (_, a) => a));
      expect(python('import sys, xarray as xr\nprint(int(xr.open_dataset(sys.argv[1]).y.count()))', file)).toBe(26 * T);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('a first run on a full disk says why in one line and leaves no temporary file', async () => {
    for (const room of [0, 24, 200, 600]) {
      const dir = await newStudy();
      fill(room);
      const run = await furrow(['run', dir]);
      unfill();
      expect(run.code, `${room} KiB free: ${run.stderr}`).toBe(1);
      expectOneLine(run.stderr, dir);
      expect(leftovers(dir)).toEqual([]);
      expect(fs.existsSync(journalOf(path.join(dir, 'data', 'vec.nc')))).toBe(false);

      const again = await furrow(['run', dir, '--missing-only']);
      expect(again.code, again.stderr).toBe(0);
      expect(doneRows(dir)).toEqual(Array.from({ length: 10 }, (_, a) => a));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
