// The setup check (`furrow doctor`, the app's Help → Check setup): what Furrow found on this machine and what a
// study needs, a line each, ok or what to do. Nothing is changed: the database is opened read-only, the dataset
// only read, the schedulers only asked for their state.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SetupLine, SetupReport } from '../../../shared/api';
import { listCrops, readCrop, cropDirOf } from '../crop/crop';
import type { Scheduler } from '../crop/cluster';
import { RunDb } from '../db/run-db';
import { describeDataset } from '../dataset/netcdf-read';
import { PLOTS_FILE } from '../plots/plots-file';
import { openStudy } from '../study/study';
import { LOCK_FILE, lockState } from '../study/study-lock';
import { CHROMIUM_MISSING, findChromium } from './chromium';

/** The Node Furrow needs (package.json's engines). */
export const NODE_NEEDED: [number, number] = [20, 19];
/** Room a run needs beyond the dataset's own size (a harvest may write the dataset anew beside the old one). */
const ROOM_MARGIN = 100 * 2 ** 20;
const ROOM_COMFORTABLE = 2 ** 30;
/** How long a scheduler may take to answer. */
const ASK_MS = 5000;

/** The commands Furrow runs for each scheduler (cluster.ts), and how it asks whether the scheduler answers. */
const SCHEDULERS: Record<Scheduler, { label: string; commands: string[]; ask: string[] }> = {
  slurm: { label: 'SLURM', commands: ['sbatch', 'squeue', 'scancel', 'scontrol'], ask: ['sinfo', '-h', '-o', '%P %a'] },
  pbs: { label: 'PBS', commands: ['qsub', 'qstat', 'qdel', 'pbsnodes'], ask: ['qstat', '-B'] },
  sge: { label: 'SGE', commands: ['qsub', 'qstat', 'qdel', 'qconf'], ask: ['qstat'] },
};

export interface SetupInput {
  /** The study to check, if any. */
  studyDir: string | null;
  /** The built files Furrow runs from (the CLI, the worker, the condition process, the renderer's page). */
  build: string[];
}

const line = (check: string, state: SetupLine['state'], found: string, fix: string | null = null): SetupLine => ({
  check,
  state,
  found,
  fix,
});

function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  for (; bytes >= 1024 && i < units.length - 1; i++) bytes /= 1024;
  return `${bytes < 10 && i > 0 ? bytes.toFixed(1) : Math.round(bytes)} ${units[i]}`;
}

function onPath(command: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

function ask(argv: string[]): Promise<{ ok: boolean; said: string }> {
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { timeout: ASK_MS, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout, stderr) => {
        const said = (error ? stderr || error.message : stdout).trim().split('\n')[0] ?? '';
        resolve({ ok: !error, said: error?.killed ? `no answer within ${ASK_MS / 1000} s` : said });
      },
    );
  });
}

function nodeLine(): SetupLine {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const [needMajor, needMinor] = NODE_NEEDED;
  const ok = major > needMajor || (major === needMajor && minor >= needMinor);
  return ok
    ? line('Node', 'ok', `Node ${process.versions.node}`)
    : line(
        'Node',
        'error',
        `Node ${process.versions.node}`,
        `install Node ${needMajor}.${needMinor} or newer (nodejs.org, or your package manager)`,
      );
}

function buildLine(build: string[]): SetupLine {
  const missing = build.filter((file) => !fs.existsSync(file));
  return missing.length === 0
    ? line('build', 'ok', `built (${path.dirname(build[0] ?? '.')})`)
    : line(
        'build',
        'error',
        `missing: ${missing.join(', ')}`,
        'run `npm run build` in the Furrow folder (npm install runs it too)',
      );
}

function chromiumLine(needed: boolean): SetupLine {
  const check = 'Chromium (export)';
  try {
    return line(check, 'ok', findChromium());
  } catch (error) {
    const found = (error as Error).message.startsWith('Chromium: ') ? (error as Error).message : 'not found';
    return line(
      check,
      needed ? 'error' : 'warning',
      `${found}${needed ? '' : '; needed only by furrow export'}`,
      CHROMIUM_MISSING,
    );
  }
}

function popplerLine(): SetupLine {
  const found = onPath('pdftotext');
  return found
    ? line('poppler (optional)', 'ok', found)
    : line(
        'poppler (optional)',
        'warning',
        'pdftotext not found; only needed to check exported PDFs',
        'install poppler-utils (Debian: apt-get install poppler-utils), if you want it',
      );
}

/** A line per scheduler whose commands are here (and per one the study's crops used); one line when none is. */
async function schedulerLines(used: Set<Scheduler>): Promise<SetupLine[]> {
  const lines: SetupLine[] = [];
  for (const [name, s] of Object.entries(SCHEDULERS) as [Scheduler, (typeof SCHEDULERS)[Scheduler]][]) {
    const missing = s.commands.filter((c) => !onPath(c));
    const needed = used.has(name);
    if (missing.length === s.commands.length && !needed) continue;
    if (missing.length > 0) {
      lines.push(
        line(
          s.label,
          needed ? 'error' : 'warning',
          `${missing.join(', ')} not found${needed ? "; the study's crops were submitted to it" : ''}`,
          `run this on the cluster's login node, or load its module (e.g. module load ${name})`,
        ),
      );
      continue;
    }
    const answer = await ask(s.ask);
    lines.push(
      answer.ok
        ? line(
            s.label,
            'ok',
            `${s.commands.join(', ')} found; ${s.ask[0]} answers${answer.said ? `: ${answer.said}` : ''}`,
          )
        : line(
            s.label,
            needed ? 'error' : 'warning',
            `${s.commands.join(', ')} found, but ${s.ask.join(' ')} failed: ${answer.said}`,
            `check that the ${s.label} controller runs and this machine may reach it (${s.ask.join(' ')})`,
          ),
    );
  }
  if (lines.length === 0) {
    lines.push(line('cluster', 'ok', 'no SLURM, PBS or SGE commands here; crops grow here (furrow crop grow)', null));
  }
  return lines;
}

function diskLine(where: string, datasetBytes: number): SetupLine {
  const check = 'disk space';
  let free: number;
  try {
    const stats = fs.statfsSync(where);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    return line(check, 'warning', `cannot tell (${(error as Error).message})`, null);
  }
  const need = datasetBytes + ROOM_MARGIN;
  const found = `${size(free)} free in ${where}`;
  if (free < need) {
    return line(
      check,
      'error',
      found,
      `free at least ${size(need - free)} more: a run may write the dataset (${size(datasetBytes)}) anew beside the old one`,
    );
  }
  return free < ROOM_COMFORTABLE
    ? line(check, 'warning', found, 'free some space before a long run')
    : line(check, 'ok', found);
}

function lockLine(dir: string): SetupLine {
  const check = 'study lock';
  const lock = lockState(dir);
  const file = path.join(dir, LOCK_FILE);
  if (!lock) return line(check, 'ok', 'free: no run is writing the study');
  const { holder, alive } = lock;
  const who = `${holder.what} (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
  if (alive === false) return line(check, 'ok', `left by ${who}, which is gone; the next run takes it over`);
  if (alive === null) {
    return line(
      check,
      'warning',
      `held by ${who}, on another machine`,
      `wait for that run to end; if it is gone, delete ${file}`,
    );
  }
  return line(check, 'warning', `held by ${who}, which is running`, 'wait for it to finish, or stop it, before a run');
}

function databaseLine(dir: string): SetupLine {
  const check = 'run database';
  let db: RunDb | null = null;
  try {
    db = RunDb.openReadOnly(dir);
    if (!db) return line(check, 'ok', 'none yet (the study has not been run)');
    db.quickCheck();
    return line(check, 'ok', `${db.file}: quick_check ok`);
  } catch (error) {
    return line(
      check,
      'error',
      `damaged: ${(error as Error).message}`,
      "move it aside (the dataset keeps the results) and restore a copy from the study's backups/, if there is one",
    );
  } finally {
    db?.close();
  }
}

async function datasetLine(file: string): Promise<SetupLine> {
  const check = 'dataset';
  if (!fs.existsSync(file)) return line(check, 'ok', 'none yet (the study has not been run)');
  try {
    const info = await describeDataset(file);
    return line(
      check,
      'ok',
      `${file} opens: ${info.dims.map((d) => `${d.name}(${d.size})`).join(', ') || 'no dims'}; ${info.variables.length} variables`,
    );
  } catch (error) {
    return line(
      check,
      'error',
      `${file} does not open: ${(error as Error).message}`,
      "restore the newest copy from the study's backups/, or move it aside and run the study again",
    );
  }
}

/** The schedulers the study's crops were submitted to. */
function schedulersUsed(dir: string): Set<Scheduler> {
  const used = new Set<Scheduler>();
  for (const name of listCrops(dir)) {
    try {
      for (const job of readCrop(cropDirOf(dir, name)).jobs) used.add(job.scheduler);
    } catch {
      // a damaged crop.json is the crop's own message, not the setup's
    }
  }
  return used;
}

export async function checkSetup(input: SetupInput): Promise<SetupReport> {
  const dir = input.studyDir === null ? null : path.resolve(input.studyDir);
  const lines: SetupLine[] = [nodeLine(), buildLine(input.build)];
  let datasetFile: string | null = null;
  let studyLine: SetupLine | null = null;
  if (dir !== null) {
    try {
      const study = openStudy(dir);
      datasetFile = study.datasetPath;
      studyLine = line('study', 'ok', `${path.join(dir, 'study.yaml')}: ${study.spec.name}`);
    } catch (error) {
      studyLine = line('study', 'error', (error as Error).message, 'fix study.yaml where the message says');
    }
  }
  const exists = dir !== null && fs.existsSync(dir);
  lines.push(chromiumLine(exists && fs.existsSync(path.join(dir, PLOTS_FILE))));
  lines.push(popplerLine());
  lines.push(...(await schedulerLines(exists ? schedulersUsed(dir) : new Set())));
  const datasetBytes = datasetFile && fs.existsSync(datasetFile) ? fs.statSync(datasetFile).size : 0;
  lines.push(diskLine(exists ? dir : process.cwd(), datasetBytes));
  if (studyLine) lines.push(studyLine);
  if (exists) {
    lines.push(lockLine(dir), databaseLine(dir));
    if (datasetFile) lines.push(await datasetLine(datasetFile));
  }
  return { study: dir, ready: lines.every((l) => l.state !== 'error'), lines };
}
