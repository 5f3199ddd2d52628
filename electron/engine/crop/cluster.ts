// Growing a crop on a cluster: job scripts for SLURM, PBS and SGE in the style of xyzpy's grow_cluster, their
// submission, and the scheduler's word on each task. Furrow builds no scheduler of its own: every array task runs
// `furrow grow-batch <crop-dir> <k>`, and the crop folder (results/, logs/) is the truth about what was grown.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FurrowError } from '../errors';

export const schedulers = ['slurm', 'pbs', 'sge'] as const;
export type Scheduler = (typeof schedulers)[number];

export interface JobRequest {
  scheduler: Scheduler;
  cropDir: string;
  cropName: string;
  /** The batches this job grows, ascending. */
  batches: number[];
  /** The command that runs Furrow's CLI on the nodes: [node, cli.mjs]. */
  furrow: string[];
  time?: string;
  mem?: string;
  cpusPerTask?: number;
  partition?: string;
  /** Extra scheduler options, KEY=VALUE (KEY alone for a flag). */
  options: string[];
  /** Shell lines run before the grower, e.g. `module load node`. */
  setup: string[];
}

/** Variables that size the thread pools of numerical libraries; set from --cpus-per-task. */
const THREAD_VARIABLES = [
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'NUMEXPR_NUM_THREADS',
  'VECLIB_MAXIMUM_THREADS',
];

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/** 1,2,3,5,7,8 → "1-3,5,7-8": SLURM's --array list. */
export function arraySpec(batches: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < batches.length;) {
    let j = i;
    while (j + 1 < batches.length && batches[j + 1] === batches[j]! + 1) j++;
    parts.push(j === i ? `${batches[i]}` : `${batches[i]}-${batches[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function checkTime(time: string): void {
  if (!/^(\d+-)?\d+(:\d{1,2}){0,2}$/.test(time)) {
    throw new FurrowError('bad-input', `--time '${time}': give a wall time as H:M:S (or D-H:M:S)`);
  }
}

function splitOption(option: string): [string, string | null] {
  const at = option.indexOf('=');
  const key = at < 0 ? option : option.slice(0, at);
  if (!/^[A-Za-z][\w-]*$/.test(key)) {
    throw new FurrowError('bad-input', `--option '${option}': give KEY=VALUE (or KEY alone), KEY a scheduler option`);
  }
  return [key, at < 0 ? null : option.slice(at + 1)];
}

/**
 * The job script. SLURM lists the batches in --array, so a task's id is its batch number. PBS (-J) and SGE (-t)
 * arrays are ranges only: their tasks 1..m look their batch up in a list. A one-batch job has no array line.
 */
export function jobScript(job: JobRequest): string {
  if (job.batches.length === 0) throw new FurrowError('bad-input', 'no batch to submit');
  if (job.time) checkTime(job.time);
  const options = job.options.map(splitOption);
  const logs = path.join(job.cropDir, 'logs');
  const array = job.batches.length > 1;
  const name = `furrow-${job.cropName}`;
  const head: string[] = ['#!/bin/bash'];
  let batchOf: string;
  if (job.scheduler === 'slurm') {
    const d = (line: string) => head.push(`#SBATCH ${line}`);
    d(`--job-name=${shellQuote(name)}`);
    if (array) d(`--array=${arraySpec(job.batches)}`);
    d(`--output=${shellQuote(path.join(logs, array ? 'slurm-%A_%a.out' : 'slurm-%j.out'))}`);
    if (job.time) d(`--time=${job.time}`);
    if (job.mem) d(`--mem=${job.mem}`);
    if (job.cpusPerTask) d(`--cpus-per-task=${job.cpusPerTask}`);
    if (job.partition) d(`--partition=${shellQuote(job.partition)}`);
    for (const [key, value] of options) d(value === null ? `--${key}` : `--${key}=${shellQuote(value)}`);
    batchOf = array ? '"$SLURM_ARRAY_TASK_ID"' : String(job.batches[0]);
  } else {
    const pbs = job.scheduler === 'pbs';
    const d = (line: string) => head.push(`${pbs ? '#PBS' : '#$'} ${line}`);
    d(`-N ${shellQuote(name)}`);
    if (!pbs) d('-S /bin/bash');
    if (array) d(`${pbs ? '-J' : '-t'} 1-${job.batches.length}`);
    d(`-o ${shellQuote(`${logs}/`)}`);
    d(pbs ? '-j oe' : '-j y');
    if (job.time) d(pbs ? `-l walltime=${job.time}` : `-l h_rt=${job.time}`);
    if (job.mem) d(pbs ? `-l mem=${job.mem}` : `-l h_vmem=${job.mem}`);
    if (job.cpusPerTask) d(pbs ? `-l ncpus=${job.cpusPerTask}` : `-pe smp ${job.cpusPerTask}`);
    if (job.partition) d(`-q ${shellQuote(job.partition)}`);
    for (const [key, value] of options) {
      d(
        key.length === 1
          ? `-${key}${value === null ? '' : ` ${shellQuote(value)}`}`
          : `-l ${key}${value === null ? '' : `=${value}`}`,
      );
    }
    const index = pbs ? 'PBS_ARRAY_INDEX' : 'SGE_TASK_ID';
    if (array) head.push('', `batches=(${job.batches.join(' ')})`);
    batchOf = array ? `"\${batches[$((${index} - 1))]}"` : String(job.batches[0]);
  }
  const body: string[] = ['', 'set -e', ...job.setup];
  if (job.cpusPerTask) body.push(`export ${THREAD_VARIABLES.map((v) => `${v}=${job.cpusPerTask}`).join(' ')}`);
  // Inside the app, `furrow` starts with Electron's binary, which acts as Node only when told so.
  if (process.versions['electron']) body.push('export ELECTRON_RUN_AS_NODE=1');
  body.push(`exec ${[...job.furrow, 'grow-batch', job.cropDir].map(shellQuote).join(' ')} ${batchOf}`);
  return `${[...head, ...body].join('\n')}\n`;
}

const SUBMIT: Record<Scheduler, { command: string; args: string[] }> = {
  slurm: { command: 'sbatch', args: ['--parsable'] },
  pbs: { command: 'qsub', args: [] },
  sge: { command: 'qsub', args: ['-terse'] },
};

/** Submit a written job script; returns the scheduler's job id. */
export function submitScript(scheduler: Scheduler, script: string): string {
  const { command, args } = SUBMIT[scheduler];
  const run = spawnSync(command, [...args, script], { encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new FurrowError(
      'bad-input',
      `${command} is not on PATH, so this machine cannot submit ${scheduler} jobs. Run this where ${command} is (a login node), or use --dry-run to write the job script and submit it yourself`,
    );
  }
  if (run.status !== 0) {
    throw new FurrowError('bad-input', `${command} refused the job (${script}): ${(run.stderr || run.stdout).trim()}`);
  }
  // sbatch --parsable: "123" or "123;cluster"; PBS: "123.server"; SGE -terse: "123" or "123.1-4:1".
  const id = run.stdout.trim().split(/[;.\s]/)[0] ?? '';
  if (!/^\d+$/.test(id)) throw new FurrowError('internal', `${command} printed no job id: ${run.stdout.trim()}`);
  return id;
}

/** Cancel a job (all its tasks). A job the scheduler no longer knows is no error. */
export function cancelJob(scheduler: Scheduler, jobId: string): void {
  const command = scheduler === 'slurm' ? 'scancel' : 'qdel';
  const run = spawnSync(command, [jobId], { encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new FurrowError('bad-input', `${command} is not on PATH: cancel job ${jobId} where ${command} is`);
  }
  if (run.status !== 0 && !/invalid job id|unknown job|does not exist/i.test(run.stderr)) {
    throw new FurrowError('bad-input', `${command} ${jobId} failed: ${run.stderr.trim()}`);
  }
}

export interface JobState {
  /** The scheduler's state name, e.g. PENDING, RUNNING, FAILED. */
  state: string;
  /** Queued or running: the batch is on its way. */
  active: boolean;
  /** Ended without success (FAILED, TIMEOUT, OUT_OF_MEMORY, …). A cancelled task is no failure: not grown. */
  failed: boolean;
  reason: string | null;
  /** The task's output file. */
  log: string | null;
}

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING']);
const ENDED_BADLY = new Set(['FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);

/** "1-3,5,7-9%2" → [1,2,3,5,7,8,9] (SLURM's array task lists; the %limit is dropped). */
export function expandArray(spec: string): number[] {
  return spec
    .replace(/%\d+$/, '')
    .split(',')
    .flatMap((part) => {
      const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
      if (!m) return [];
      const [lo, hi, step] = [Number(m[1]), Number(m[2] ?? m[1]), Number(m[3] ?? 1)];
      return Array.from({ length: Math.floor((hi - lo) / step) + 1 }, (_, i) => lo + i * step);
    });
}

/** `scontrol show job -o` lines as key=value records. */
function parseRecords(text: string): Map<string, string>[] {
  return text
    .split('\n')
    .filter((line) => line.includes('JobId='))
    .map((line) => new Map([...line.matchAll(/(\w+)=(\S*)/g)].map((m) => [m[1]!, m[2]!])));
}

/**
 * What SLURM says of each batch of these jobs, keyed `<job_id>:<batch>`. Asked through `scontrol show job`
 * (`sacct` needs a database many sites' login nodes lack); a job SLURM has forgotten gives nothing, and the crop
 * folder decides. PBS and SGE jobs are not asked: their batches are judged by the crop folder alone.
 */
export function jobStates(jobs: { scheduler: Scheduler; job_id: string; batches: number[] }[]): Map<string, JobState> {
  const states = new Map<string, JobState>();
  for (const job of jobs) {
    if (job.scheduler !== 'slurm') continue;
    const run = spawnSync('scontrol', ['show', 'job', '-o', job.job_id], { encoding: 'utf8' });
    if (run.error || run.status !== 0) continue;
    for (const record of parseRecords(run.stdout)) {
      const state = (record.get('JobState') ?? 'UNKNOWN').split('+')[0]!;
      const tasks = record.has('ArrayTaskId') ? expandArray(record.get('ArrayTaskId')!) : job.batches.slice(0, 1);
      const reason = record.get('Reason');
      for (const k of tasks) {
        if (!job.batches.includes(k)) continue;
        const dir = record.get('StdOut');
        states.set(`${job.job_id}:${k}`, {
          state,
          active: ACTIVE.has(state),
          failed: ENDED_BADLY.has(state),
          reason: reason && reason !== 'None' ? reason : null,
          log: dir
            ? path.join(
                path.dirname(dir),
                record.has('ArrayTaskId') && job.batches.length > 1
                  ? `slurm-${job.job_id}_${k}.out`
                  : path.basename(dir),
              )
            : null,
        });
      }
    }
  }
  return states;
}
