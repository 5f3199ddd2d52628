// Crash-safety trials: a real `furrow run` (or crop grower, or reap) and its whole process tree killed with
// SIGKILL at a seeded moment, then everything checked as a person coming back to the study would find it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readSlice } from '../../electron/engine/netcdf-read';
import { CLI, ROOT, furrow, tempDir } from '../helpers/furrow';
import { SYSTEM_PYTHON } from '../helpers/tools';

const FAULTS = path.join(ROOT, 'test', 'faults', 'fs-faults.mjs');

/** When in a run the kill lands. */
export type Phase = 'start' | 'harvest write' | 'database commit' | 'end';
export const PHASES: Phase[] = ['start', 'harvest write', 'database commit', 'end'];

/** A seeded random number generator (the same trials for the same seed). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** What one trial found: the figures of the campaign's table, and what went wrong, in words. */
export interface Trial {
  what: string;
  /** Whether the kill landed before the process ended on its own. */
  killed: boolean;
  /** Cases the run had reported stored (its events) when it was killed. */
  storedBefore: number;
  /** Cases recorded done in the run database after the kill. */
  recorded: number;
  /** Cells the dataset holds after the kill. */
  found: number;
  lost: number;
  unreadable: number;
  duplicated: number;
  problems: string[];
}

const A = 40;
const B = 50;
/** 2,000 cases of a model that takes 2 ms; the value of each cell says which case wrote it. */
export const CRASH_STUDY = `name: crash
model: {module: ./model.mjs}
outputs: {z: {}}
combos:
  a: {range: [0, ${A}]}
  b: {range: [0, ${B}]}
`;
export const CRASH_MODEL = `export default async ({ a, b }) => {
  await new Promise((r) => setTimeout(r, 2));
  return 1000 * a + b;
};
`;
const expected = (i: number) => 1000 * Math.floor(i / B) + (i % B);
export const CASES = A * B;

/** Copy a study folder made once, so that every trial starts from the same files. */
export function copyStudy(template: string): string {
  const dir = path.join(tempDir('furrow-fault-'), path.basename(template));
  fs.cpSync(template, dir, { recursive: true });
  return dir;
}

interface Killable {
  /** Resolves with the exit code (null when killed). */
  exited: Promise<number | null>;
  kill(): void;
  /** The last `stored` count the process reported (its --events), and whether every case had finished. */
  stored(): number;
  allFinished(): boolean;
}

/** A write (or removal) of a file that kills the process as it happens (fs-faults.mjs), every time at the same one. */
interface Fault {
  file: string;
  nth: number;
  action: 'kill-after' | 'kill-after-remove';
}

/** Start the command line in a process group of its own, reading its events from stdout. */
function start(args: string[], fault?: Fault): Killable {
  const node = fault ? ['--import', FAULTS] : [];
  const child = spawn(process.execPath, [...node, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
    ...(fault ? { env: { ...process.env, FURROW_FS_FAULT: JSON.stringify(fault) } } : {}),
  });
  let stored = 0;
  let finished = false;
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        const e = JSON.parse(line) as {
          type?: string;
          stored?: number;
          done?: number;
          failed?: number;
          total?: number;
        };
        if (e.type === 'run.stored') stored = Math.max(stored, e.stored ?? 0);
        if (e.type === 'run.progress' && e.total && (e.done ?? 0) + (e.failed ?? 0) >= e.total) finished = true;
      } catch {
        // the summary line, or a line cut by the kill
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => (alive = false));
  return {
    exited,
    kill: () => {
      if (!alive) return;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole tree: the run and its model workers
      } catch {
        // gone already
      }
    },
    stored: () => stored,
    allFinished: () => finished,
  };
}

/**
 * Arrange the kill for a phase at a random moment: after the start, or once every case has finished, while the
 * last round is stored and the run closes. A harvest's write and the database's commit after it are hit exactly
 * (faultFor), not by chance.
 */
function killAt(phase: Phase, run: Killable, random: () => number): () => void {
  const later = (ms: number) => setTimeout(() => run.kill(), ms);
  if (phase === 'start') {
    const timer = later(50 + random() * 700);
    return () => clearTimeout(timer);
  }
  if (phase === 'end') {
    const poll = setInterval(() => {
      if (!run.allFinished()) return;
      clearInterval(poll);
      later(random() * 40);
    }, 2);
    return () => clearInterval(poll);
  }
  return () => undefined;
}

/**
 * The rounds after the first are written in place, under a journal; how many there are depends on the machine's
 * pace. 'harvest write': killed right after the first or second write into the dataset (a round makes two or
 * three), its bytes changed and the journal holding the old ones; 'database commit': killed right after the first
 * or second round's journal is removed (its change complete), before the database records it. A run with fewer
 * rounds ends on its own, and the table counts that trial without a fault.
 */
function faultFor(phase: Phase, dataset: string, random: () => number): Fault | undefined {
  if (phase === 'harvest write') return { file: dataset, nth: 1 + Math.floor(random() * 2), action: 'kill-after' };
  if (phase === 'database commit') {
    return { file: `${dataset}.journal`, nth: 1 + Math.floor(random() * 2), action: 'kill-after-remove' };
  }
  return undefined;
}

/** The dataset's cells, read as Furrow reads them (a change cut short is rolled back first). */
async function cellsOf(file: string): Promise<Map<number, number>> {
  const cells = new Map<number, number>();
  if (!fs.existsSync(file)) return cells;
  const z = await readSlice(file, 'z', {});
  const as = z.coords['a'] as number[];
  const bs = z.coords['b'] as number[];
  z.values.forEach((v, i) => {
    if (v === null) return;
    const a = as[Math.floor(i / bs.length)]!;
    const b = bs[i % bs.length]!;
    cells.set(a * B + b, v as number);
  });
  return cells;
}

/** Debian's xarray opens the file and counts its cells; null when it cannot open it (the message in `why`). */
function xarrayCount(file: string): Promise<{ count: number | null; why: string }> {
  return new Promise((resolve) => {
    const py = spawn(SYSTEM_PYTHON, [
      '-c',
      'import sys, xarray as xr\nds = xr.open_dataset(sys.argv[1], engine="h5netcdf")\nprint(int(ds["z"].count()))',
      file,
    ]);
    let out = '';
    let err = '';
    py.stdout.on('data', (d: Buffer) => (out += d.toString()));
    py.stderr.on('data', (d: Buffer) => (err += d.toString()));
    py.on('close', (code) =>
      resolve({ count: code === 0 ? Number(out.trim()) : null, why: err.trim().split('\n').at(-1) ?? '' }),
    );
  });
}

interface DbState {
  ok: boolean;
  why: string;
  /** Done rows: each case's (a, b) and pset hash. */
  done: { a: number; b: number; hash: string }[];
}

function readDb(dir: string): DbState {
  const file = path.join(dir, 'runs.sqlite');
  if (!fs.existsSync(file)) return { ok: true, why: '', done: [] };
  const db = new Database(file);
  try {
    const check = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
    const rows = db.prepare(`SELECT _params, _pset_hash FROM psets WHERE _status = 'done'`).all() as {
      _params: string;
      _pset_hash: string;
    }[];
    return {
      ok: check.length === 1 && check[0] === 'ok',
      why: check.join('; '),
      done: rows.map((r) => ({ ...(JSON.parse(r._params) as { a: number; b: number }), hash: r._pset_hash })),
    };
  } finally {
    db.close();
  }
}

/**
 * Check a study after a kill, then finish it with --missing-only and check it again: nothing reported stored is
 * lost, every file opens, no case is recorded done twice.
 */
async function checkAfter(
  dir: string,
  trial: Trial,
  withXarray: boolean,
  finish = ['run', dir, '--missing-only', '--json'],
): Promise<void> {
  const file = path.join(dir, 'data', 'crash.nc');
  let cells = new Map<number, number>();
  try {
    cells = await cellsOf(file);
  } catch (error) {
    trial.unreadable++;
    trial.problems.push(`Furrow cannot read the dataset: ${(error as Error).message}`);
  }
  if (withXarray && fs.existsSync(file)) {
    const x = await xarrayCount(file);
    if (x.count === null) {
      trial.unreadable++;
      trial.problems.push(`xarray cannot open the dataset: ${x.why}`);
    } else if (x.count !== cells.size) trial.problems.push(`xarray counts ${x.count} cells, Furrow ${cells.size}`);
  }
  const db = readDb(dir);
  if (!db.ok) {
    trial.unreadable++;
    trial.problems.push(`the run database fails its integrity check: ${db.why}`);
  }
  trial.found = cells.size;
  trial.recorded = db.done.length;
  // Every case recorded done, or reported stored, is in the dataset with its own value.
  const missing = db.done.filter(({ a, b }) => cells.get(a * B + b) !== 1000 * a + b);
  const unreported = Math.max(0, trial.storedBefore - db.done.length);
  trial.lost += missing.length + unreported;
  if (missing.length) trial.problems.push(`${missing.length} cases recorded done are not in the dataset`);
  if (unreported) trial.problems.push(`${unreported} cases reported stored are not recorded done`);
  for (const [i, v] of cells) {
    if (v !== expected(i)) trial.problems.push(`cell ${i} holds ${v}, not ${expected(i)}`);
  }

  // The rest, once.
  const rest = await furrow(finish, { timeoutMs: 120_000 });
  if (rest.code !== 0) trial.problems.push(`${finish.join(' ')} ended with ${rest.code}: ${rest.stderr.trim()}`);
  const after = await cellsOf(file).catch(() => new Map<number, number>());
  const absent = Array.from({ length: CASES }, (_, i) => i).filter((i) => after.get(i) !== expected(i));
  if (absent.length) {
    trial.lost += absent.length;
    trial.problems.push(`${absent.length} cells missing or wrong after --missing-only`);
  }
  const hashes = readDb(dir).done.map((d) => d.hash);
  trial.duplicated = hashes.length - new Set(hashes).size;
  if (trial.duplicated) trial.problems.push(`${trial.duplicated} cases recorded done twice`);
}

const blankTrial = (what: string): Trial => ({
  what,
  killed: false,
  storedBefore: 0,
  recorded: 0,
  found: 0,
  lost: 0,
  unreadable: 0,
  duplicated: 0,
  problems: [],
});

/** After a kill right after a write into the dataset, the change must have been cut short: a journal left behind. */
function faultLanded(trial: Trial, fault: Fault | undefined, dataset: string): void {
  if (fault?.action !== 'kill-after' || !trial.killed || fs.existsSync(`${dataset}.journal`)) return;
  trial.problems.push(`killed right after write ${fault.nth} of the dataset, but no journal was left to roll back`);
}

/** One trial of `furrow run` killed in `phase`. */
export async function runTrial(template: string, phase: Phase, random: () => number, withXarray: boolean) {
  const dir = copyStudy(template);
  const trial = blankTrial(`furrow run killed at ${phase}`);
  const dataset = path.join(dir, 'data', 'crash.nc');
  const fault = faultFor(phase, path.basename(dataset), random);
  const run = start(['run', dir, '--events', '--store-every', '0.3'], fault);
  const stop = killAt(phase, run, random);
  const code = await run.exited;
  stop();
  trial.killed = code === null;
  faultLanded(trial, fault, dataset);
  trial.storedBefore = run.stored();
  await checkAfter(dir, trial, withXarray);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  return trial;
}

/** A crop of the same 2,000 cases: its grower killed mid-batch, then its reap killed mid-merge. */
export async function cropTrial(template: string, random: () => number, withXarray: boolean): Promise<Trial[]> {
  const dir = copyStudy(template);
  // The crop holds the second half of the cases; the first half is run first, so the reap merges into a dataset.
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i).join(',');
  const sow = await furrow([
    'crop',
    'sow',
    dir,
    '--name',
    'k',
    '--batch-size',
    '250',
    '--combo',
    `a=${range(A / 2, A)}`,
  ]);
  const grow = blankTrial('crop grower killed mid-batch');
  if (sow.code !== 0) grow.problems.push(`sow failed: ${sow.stderr}`);
  const crop = path.join(dir, 'crops', 'k');
  const grower = start(['grow-batch', crop, '1']);
  setTimeout(() => grower.kill(), 100 + random() * 600);
  grow.killed = (await grower.exited) === null;
  // A batch has its whole result file or none: a partial one would be reaped as if it were whole.
  const result = path.join(crop, 'results', 'batch-0001.json');
  if (fs.existsSync(result)) {
    try {
      JSON.parse(fs.readFileSync(result, 'utf8'));
    } catch {
      grow.unreadable++;
      grow.problems.push('the killed grower left a partial result file');
    }
  }
  const growAll = await furrow(['crop', 'grow', dir, '--name', 'k'], { timeoutMs: 120_000 });
  if (growAll.code !== 0) grow.problems.push(`growing again ended with ${growAll.code}: ${growAll.stderr.trim()}`);

  // The reap is a run: killed inside its merge's write.
  const reap = blankTrial('crop reap killed mid-merge');
  const half = await furrow(['run', dir, '--combo', `a=${range(0, A / 2)}`]);
  if (half.code !== 0) reap.problems.push(`the first half ended with ${half.code}: ${half.stderr.trim()}`);
  const dataset = path.join(dir, 'data', 'crash.nc');
  const fault = faultFor('harvest write', path.basename(dataset), random);
  const reaper = start(['crop', 'reap', dir, '--name', 'k', '--events'], fault);
  reap.killed = (await reaper.exited) === null;
  faultLanded(reap, fault, dataset);
  reap.storedBefore = reaper.stored();
  // Reaped again: a reap killed halfway is reaped whole the next time.
  await checkAfter(dir, reap, withXarray, ['crop', 'reap', dir, '--name', 'k', '--json']);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  return [grow, reap];
}
