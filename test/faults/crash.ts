// Crash-safety trials: a real `furrow run` (or crop grower, or reap) and its whole process tree killed with
// SIGKILL at a seeded moment, then everything checked as a person coming back to the study would find it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { journalOf } from '../../electron/engine/dataset/dataset-journal';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { CLI, furrow, tempDir, withFault } from '../helpers/furrow';
import type { FsFault } from '../helpers/furrow';
import { childrenOf, processesWith, waitGone } from '../helpers/processes';
import { SYSTEM_PYTHON } from '../helpers/tools';

/**
 * When in a run the kill lands: at a seeded moment of its start; right after its dataset journal appears; right
 * after a seeded write of a round into the dataset (inside the change); right after a round's journal is removed
 * (its change complete, the database not yet told); or once every case has finished. All but the first and the
 * last are placed by test/faults/fs-faults.mjs at the same write every time for the same seed.
 */
export type Phase = 'start' | 'journal appears' | 'harvest write' | 'journal removed' | 'end';
export const PHASES: Phase[] = ['start', 'journal appears', 'harvest write', 'journal removed', 'end'];

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
  /** Whether it landed inside a change of the dataset (its journal was there after the kill). */
  inside: boolean;
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
  pid: number;
  /** Resolves with the exit code (null when killed). */
  exited: Promise<number | null>;
  /** Kill its whole process group. */
  kill(): void;
  /** Kill it alone, as a crash or an OOM killer would: not its group. */
  killAlone(): void;
  /** The last `stored` count the process reported (its --events), and whether every case had finished. */
  stored(): number;
  allFinished(): boolean;
}

/** Start the command line in a process group of its own, reading its events from stdout; `fault` armed. */
function start(args: string[], fault?: FsFault): Killable {
  const armed = fault ? withFault(fault) : { node: [], env: process.env };
  const child = spawn(process.execPath, [...armed.node, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
    env: armed.env,
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
    pid: child.pid!,
    exited,
    killAlone: () => child.kill('SIGKILL'),
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

/** What a phase arms: a kill at a seeded moment (start, end), or a fault at a seeded write of the dataset. */
function faultFor(phase: Phase, random: () => number, snapshot: string): FsFault | undefined {
  // The first round creates the dataset; the ones after it change it in place, under a journal: a seeded one.
  const round = 1 + Math.floor(random() * 3);
  if (phase === 'journal appears') return { file: 'crash.nc.journal', nth: round, action: 'kill-after-open', snapshot };
  if (phase === 'journal removed') return { file: 'crash.nc.journal', nth: round, action: 'kill-after-remove' };
  // A round in place writes this dataset three times or so (its metadata, the new cells): one of the first three.
  if (phase === 'harvest write') {
    return { file: 'crash.nc', nth: 1 + Math.floor(random() * 3), action: 'kill-after', snapshot };
  }
  return undefined;
}

/** Arrange the kill of the phases that are timed rather than placed at a write: the start and the end. */
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
    // Killed as it started, a run may leave the file created and its tables not yet: nothing recorded.
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'psets'`).get();
    const rows = (hasTable ? db.prepare(`SELECT _params, _pset_hash FROM psets WHERE _status = 'done'`).all() : []) as {
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
 * Check a study after a kill, then finish it with --missing-only and check it again: a change the kill cut short
 * is undone byte for byte, nothing reported stored is lost, every file opens, and in the end every case is
 * recorded done exactly once.
 */
async function checkAfter(
  dir: string,
  trial: Trial,
  withXarray: boolean,
  finish = ['run', dir, '--missing-only', '--json'],
  /** The dataset as the change the kill cut short found it (copied when its journal appeared). */
  snapshot?: string,
): Promise<void> {
  const file = path.join(dir, 'data', 'crash.nc');
  trial.inside = fs.existsSync(journalOf(file));
  if (trial.inside && snapshot && fs.existsSync(snapshot)) {
    // The next opener puts the file back: the build under test opens it (the self-check's may not).
    await furrow(['inspect', file, '--json']);
    if (!fs.readFileSync(file).equals(fs.readFileSync(snapshot))) {
      trial.lost++;
      trial.problems.push('a change cut short by the kill was not undone: the dataset differs from before it');
    }
  }
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
  const unrecorded = CASES - new Set(hashes).size;
  if (unrecorded > 0) {
    trial.lost += unrecorded;
    trial.problems.push(`${unrecorded} cases in the dataset are not recorded done in the run database`);
  }
}

const blankTrial = (what: string): Trial => ({
  what,
  killed: false,
  inside: false,
  storedBefore: 0,
  recorded: 0,
  found: 0,
  lost: 0,
  unreadable: 0,
  duplicated: 0,
  problems: [],
});

/** One trial of `furrow run` killed in `phase`. */
export async function runTrial(template: string, phase: Phase, random: () => number, withXarray: boolean) {
  const dir = copyStudy(template);
  const trial = blankTrial(`furrow run killed at ${phase}`);
  const snapshot = path.join(path.dirname(dir), 'before-change.nc');
  const run = start(['run', dir, '--events', '--store-every', '0.3'], faultFor(phase, random, snapshot));
  const stop = killAt(phase, run, random);
  const code = await run.exited;
  stop();
  trial.killed = code === null;
  trial.storedBefore = run.stored();
  await checkAfter(dir, trial, withXarray, undefined, snapshot);
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
  const snapshot = path.join(path.dirname(dir), 'before-change.nc');
  const reaper = start(['crop', 'reap', dir, '--name', 'k', '--events'], faultFor('harvest write', random, snapshot));
  reap.killed = (await reaper.exited) === null;
  reap.storedBefore = reaper.stored();
  // Reaped again: a reap killed halfway is reaped whole the next time.
  await checkAfter(dir, reap, withXarray, ['crop', 'reap', dir, '--name', 'k', '--json'], snapshot);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  return [grow, reap];
}

/**
 * `furrow run` killed alone at a seeded moment (its process, not its group): its model workers, or its command
 * models in process groups of their own, do not run on without it; then --missing-only finishes the study.
 */
export async function aloneTrial(
  template: string,
  kind: 'module' | 'command',
  random: () => number,
): Promise<Trial & { processes: number; left: number; seconds: number }> {
  const trial = { ...blankTrial(`furrow run killed alone: its ${kind === 'module' ? 'workers' : 'commands'}`) };
  const dir = copyStudy(template);
  const marker = `${600 + random()}`; // a \`sleep\` no other process runs
  if (kind === 'command') {
    fs.writeFileSync(
      path.join(dir, 'study.yaml'),
      `name: crash\nmodel: {command: [sh, -c, 'sleep ${marker} & sleep ${marker}'], timeout: 3600}\noutputs: {z: {}}\ncombos:\n  a: [1, 2, 3]\n`,
    );
  }
  const run = start(['run', dir, '--events', '--store-every', '0.3', '--workers', '2']);
  const running = () => (kind === 'module' ? childrenOf(run.pid) : processesWith(`sleep\u0000${marker}`));
  // Until its processes are up (two workers, or two commands each with the child it started), then a moment more.
  const upBy = performance.now() + 20_000;
  while (running().length < (kind === 'module' ? 2 : 4) && performance.now() < upBy) await sleep(20);
  await sleep(random() * (kind === 'module' ? 800 : 200));
  const seen = running();
  run.killAlone();
  trial.killed = (await run.exited) === null;
  trial.storedBefore = run.stored();
  const { left, seconds } = await waitGone(seen, 10_000);
  if (left.length)
    trial.problems.push(`${left.length} of its ${seen.length} processes still run 10 s after it was killed`);
  trial.lost += left.length;
  for (const pid of left) process.kill(pid, 'SIGKILL');
  if (kind === 'module') await checkAfter(dir, trial, false);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  return { ...trial, processes: seen.length, left: left.length, seconds };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
