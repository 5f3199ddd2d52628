// A study on a disk that fills up: a small tmpfs of its own (mounting one needs root), filled to leave a chosen
// room before a run. Whatever room is left, the run ends with exit 1 and one line that says the disk is full (or how
// much room it needed) and where; the dataset is byte for byte what it was; no temporary file or journal keeps the
// disk full; and once there is room again, one `--missing-only` stores everything, each case recorded done once.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { journalOf } from '../../electron/engine/dataset/dataset-journal';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { furrow, vectorStudy } from '../helpers/furrow';
import { SYSTEM_PYTHON, mountSmallDisk, unmountSmallDisk } from '../helpers/tools';
import { spawnSync } from 'node:child_process';

const T = 10_000; // 80 KB a case
const STUDY = vectorStudy(T, 10, 1e5);
/** The second round: 16 new values of `a`, 1.3 MB more. */
const SECOND = ['--combo', `a=${Array.from({ length: 16 }, (_, i) => 10 + i).join(',')}`];

/** 'harvest': a round into a dataset that exists; 'first run': the run that creates it. */
export type DiskFullKind = 'harvest' | 'first run';

export interface DiskFullResult {
  trials: number;
  /** Trials that ended as they should (the one line, the file as it was, nothing left, all stored after). */
  clear: number;
  problems: string[];
  /** What each trial said, for the campaign's log. */
  messages: string[];
}

/** Trials of `kind` with `rooms` KiB left free on a 12 MiB disk of their own. */
export async function diskFullTrials(kind: DiskFullKind, rooms: number[]): Promise<DiskFullResult> {
  const disk = `/tmp/furrow-small-disk-${process.pid}-${kind.replace(' ', '-')}`;
  const mounted = mountSmallDisk(disk, 12 * 1024);
  if (!mounted.ok) return { trials: 0, clear: 0, problems: [`cannot mount a tmpfs: ${mounted.why}`], messages: [] };
  const result: DiskFullResult = { trials: 0, clear: 0, problems: [], messages: [] };
  try {
    for (const [n, room] of rooms.entries()) {
      result.trials++;
      const dir = path.join(disk, `s${n}`);
      const problems = await trial(dir, kind, room, path.join(disk, 'filler'), result.messages);
      fs.rmSync(dir, { recursive: true, force: true }); // room for the next trial
      result.problems.push(...problems.map((p) => `${kind}, ${room} KiB free: ${p}`));
      if (problems.length === 0) result.clear++;
    }
  } finally {
    unmountSmallDisk(disk);
  }
  return result;
}

async function trial(dir: string, kind: DiskFullKind, room: number, filler: string, messages: string[]) {
  const problems: string[] = [];
  const init = await furrow(['init', dir, '--example', 'blank']);
  if (init.code !== 0) return [`furrow init failed: ${init.stderr}`];
  fs.writeFileSync(path.join(dir, 'study.yaml'), STUDY.studyYaml);
  fs.writeFileSync(path.join(dir, 'model.mjs'), STUDY.model);
  const file = path.join(dir, 'data', 'vec.nc');
  const round = kind === 'harvest' ? SECOND : [];
  if (kind === 'harvest') {
    const first = await furrow(['run', dir]);
    if (first.code !== 0) return [`the first round failed: ${first.stderr}`];
  }
  const before = fs.existsSync(file) ? fs.readFileSync(file) : null;

  const s = fs.statfsSync(path.dirname(dir));
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, s.bavail * s.bsize - room * 1024)));
  const run = await furrow(['run', dir, ...round]);
  fs.rmSync(filler);
  messages.push(run.stderr.trim());

  const lines = run.stderr.trim().split('\n');
  if (run.code !== 1) problems.push(`exit ${run.code}, not 1: ${run.stderr.trim()}`);
  // Either the write failed, or it was refused before it began for want of room: one line, naming the place.
  const said =
    /^furrow: cannot write .*: (the disk is full \(.* free there\)|.* needs about .*, and the disk has .* free there)\./;
  if (lines.length !== 1 || !said.test(lines[0]!) || !lines[0]!.includes(dir)) {
    problems.push(`it did not say in one line that the disk under ${dir} is full: ${run.stderr.trim()}`);
  }
  if (before && !fs.readFileSync(file).equals(before)) problems.push('the dataset changed');
  if (!before && fs.existsSync(file)) problems.push('a dataset was left by a run that failed to write it');
  const data = path.join(dir, 'data');
  const left = fs.existsSync(data) ? fs.readdirSync(data).filter((f) => /\.(tmp|journal)$/.test(f)) : [];
  if (left.length || fs.existsSync(journalOf(file))) problems.push(`left behind: ${left.join(', ')}`);

  const again = await furrow(['run', dir, ...round, '--missing-only']);
  if (again.code !== 0) return [...problems, `with room again, --missing-only ended ${again.code}: ${again.stderr}`];
  const as = kind === 'harvest' ? 26 : 10;
  const y = await readSlice(file, 'y', { t: T - 1 });
  const want = Array.from({ length: as }, (_, a) => a * 1e5 + T - 1);
  if (JSON.stringify(y.values) !== JSON.stringify(want)) problems.push('not every case is in the dataset after');
  const done = doneRows(dir);
  if (JSON.stringify(done) !== JSON.stringify(Array.from({ length: as }, (_, a) => a))) {
    problems.push(`recorded done: ${done.join(', ')} (each case once, 0 to ${as - 1}, was expected)`);
  }
  const xr = spawnSync(
    SYSTEM_PYTHON,
    ['-c', 'import sys, xarray as xr\nprint(int(xr.open_dataset(sys.argv[1]).y.count()))', file],
    { encoding: 'utf8' },
  );
  if (xr.status === 0 && Number(xr.stdout) !== as * T) problems.push(`xarray counts ${xr.stdout.trim()} values`);
  return problems;
}

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
