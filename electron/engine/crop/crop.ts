// Crops (xyzpy's Crop): a study's cases sown to disk in batches, grown anywhere (local processes, cluster array
// tasks running `furrow grow-batch`), then reaped into the dataset and the run database as a run would.
//
//   crops/<name>/crop.json                    the request: study.yaml as it was, overrides, batching, jobs
//   crops/<name>/batches/batch-NNNN.json      the cases of batch N: index in the space, pset_id, params
//   crops/<name>/results/batch-NNNN.json      what growing it gave (written whole: a temporary file, renamed)
//   crops/<name>/results/batch-NNNN.failed.json   why a grower could not grow it
//   crops/<name>/logs/batch-NNNN.log          the grower's log (cluster tasks: logs/<scheduler>-<job>_<task>.out)
//
// A grower needs only the crop folder and the model: no run database, no lock. Batches are numbered from 1.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { CropBatch, CropStatus, RunSummary } from '../../../shared/api';
import { cropNameSchema } from '../../../shared/api';
import { Rng } from '../../../shared/sampling';
import { scalarSchema } from '../../../shared/space';
import { writeAtomically } from '../dataset/atomic-file';
import { FurrowError } from '../errors';
import type { ExecuteOptions } from '../run/execute';
import { executeCases, modelParamsOf, startWorkers } from '../run/execute';
import { caseListOf } from '../run/case-list';
import type { Overwrite } from '../dataset/harvest';
import { casesToRun } from '../run/plan';
import type { RunOptions } from '../run/runner';
import { runStudy } from '../run/runner';
import { defaultWorkers } from '../run/schedule';
import type { Study, StudyOverrides } from '../study/study';
import { studyFromText } from '../study/study';
import { lockStudy } from '../study/study-lock';
import type { JobRequest, JobState } from './cluster';
import { cancelJob, jobScript, jobStates, schedulers, submitScript } from './cluster';

const CROP_FORMAT = 'furrow-crop/1';
const RESULT_FORMAT = 'furrow-batch-result/1';

const jobSchema = z.object({
  scheduler: z.enum(schedulers),
  job_id: z.string(),
  batches: z.array(z.number().int().positive()),
  script: z.string(),
  submitted_utc: z.string(),
});
export type CropJob = z.infer<typeof jobSchema>;

const cropSchema = z.object({
  format: z.literal(CROP_FORMAT),
  name: z.string(),
  sown_utc: z.string(),
  /** study.yaml's text when the crop was sown: growers and the reap use it, whatever the file says now. */
  study: z.string(),
  overrides: z.object({
    combos: z.record(z.string(), z.array(scalarSchema)).optional(),
    cases: z.array(z.record(z.string(), scalarSchema)).optional(),
  }),
  request: z.object({
    batch_size: z.number().int().positive().nullable(),
    batches: z.number().int().positive().nullable(),
    missing_only: z.boolean(),
    shuffle: z.number().int().nullable(),
  }),
  cases: z.number().int().nonnegative(),
  batch_count: z.number().int().nonnegative(),
  /** Batches already merged by an incomplete reap: a later reap skips them. */
  reaped: z.array(z.number().int().positive()),
  jobs: z.array(jobSchema),
});
export type Crop = z.infer<typeof cropSchema>;

const batchSchema = z.object({
  crop: z.string(),
  batch: z.number().int().positive(),
  cases: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      pset_id: z.string(),
      pset_hash: z.string(),
      params: z.record(z.string(), scalarSchema),
    }),
  ),
});
type Batch = z.infer<typeof batchSchema>;

const caseResultSchema = z.object({
  index: z.number().int().nonnegative(),
  pset_id: z.string(),
  status: z.enum(['done', 'failed']),
  outputs: z.unknown().optional(),
  error: z.string().optional(),
  runtime_s: z.number().nullable(),
  time_utc: z.string(),
});
const resultSchema = z.object({
  format: z.literal(RESULT_FORMAT),
  crop: z.string(),
  batch: z.number().int().positive(),
  host: z.string(),
  started_utc: z.string(),
  finished_utc: z.string(),
  cases: z.array(caseResultSchema),
});
type BatchResult = z.infer<typeof resultSchema>;

const pad = (k: number) => String(k).padStart(4, '0');
/** Refuse a crop name that is not one (a path such as ../../other/crops/c), by the rule requests are checked with. */
export function checkCropName(name: string): void {
  const checked = cropNameSchema.safeParse(name);
  if (!checked.success)
    throw new FurrowError('bad-input', `'${name}' is not a crop name: ${checked.error.issues[0]!.message}`);
}

/** A crop's folder: crops/<name>, for a name that passes checkCropName (checked here, so no caller can forget). */
export function cropDirOf(studyDir: string, name: string): string {
  checkCropName(name);
  return path.join(studyDir, 'crops', name);
}
const batchFile = (cropDir: string, k: number) => path.join(cropDir, 'batches', `batch-${pad(k)}.json`);
const resultFile = (cropDir: string, k: number) => path.join(cropDir, 'results', `batch-${pad(k)}.json`);
const failedFile = (cropDir: string, k: number) => path.join(cropDir, 'results', `batch-${pad(k)}.failed.json`);
export const batchLog = (cropDir: string, k: number) => path.join(cropDir, 'logs', `batch-${pad(k)}.log`);
/** A crop folder is crops/<name> inside its study. */
const studyDirOf = (cropDir: string) => path.resolve(cropDir, '..', '..');

/** Outputs as JSON: typed arrays as arrays, NaN and ±Infinity (which JSON lacks) as {"$number": "NaN"}. */
export function encodeOutputs(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>);
    return v;
  });
}

export function decodeOutputs(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && '$number' in v
      ? Number((v as { $number: string }).$number)
      : v,
  );
}

function readJson<T>(file: string, schema: z.ZodType<T>, what: string, hint: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new FurrowError('not-found', `${file} is missing: ${hint}`);
  }
  let value: unknown;
  try {
    value = decodeOutputs(text);
  } catch (error) {
    throw new FurrowError(
      'bad-input',
      `${file} is not valid JSON (${(error as Error).message}); ${what} is corrupt. ${hint}`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FurrowError(
      'bad-input',
      `${file} is not ${what} (${issue.path.join('.') || 'top level'}: ${issue.message}). ${hint}`,
    );
  }
  return parsed.data;
}

/** Read a crop folder's crop.json; a missing or corrupt one is a clear error naming it. */
export function readCrop(cropDir: string): Crop {
  return readJson(
    path.join(cropDir, 'crop.json'),
    cropSchema,
    "a crop's crop.json",
    `Is ${cropDir} a crop folder? Sow it again with \`furrow crop sow <study> --name ${path.basename(cropDir)}\`.`,
  );
}

function writeCrop(cropDir: string, crop: Crop): void {
  writeAtomically(path.join(cropDir, 'crop.json'), `${JSON.stringify(crop, null, 2)}\n`);
}

function readBatch(cropDir: string, k: number): Batch {
  return readJson(batchFile(cropDir, k), batchSchema, 'a batch file', 'Sow the crop again.');
}

/** The study a crop was sown from, as it was then. */
export function cropStudy(cropDir: string, crop: Crop): Study {
  return studyFromText(studyDirOf(cropDir), crop.study, crop.overrides as StudyOverrides);
}

/**
 * The sizes of the batches, as xyzpy's Crop makes them. With `batchSize` B: batches of B, the last one the rest.
 * With `batches` N: the first n mod N batches hold one case more. With both, they must agree: n ≤ B·N < n + B.
 */
export function batchSizes(n: number, request: { batchSize?: number; batches?: number }): number[] {
  const { batchSize: b, batches: m } = request;
  if (b === undefined && m === undefined) {
    throw new FurrowError('bad-input', 'say how to batch the cases: --batch-size B (cases per batch) or --batches N');
  }
  if (n === 0) return [];
  if (b !== undefined && m !== undefined && !(n <= b * m && b * m < n + b)) {
    throw new FurrowError(
      'bad-input',
      `--batch-size ${b} and --batches ${m} do not fit ${n} cases: they need ${n} ≤ ${b}×${m} < ${n} + ${b}; give one of them`,
    );
  }
  if (b !== undefined) return Array.from({ length: Math.ceil(n / b) }, (_, i) => Math.min(b, n - i * b));
  const count = Math.min(m!, n);
  const base = Math.floor(n / count);
  return Array.from({ length: count }, (_, i) => base + (i < n % count ? 1 : 0));
}

export interface SowRequest {
  name: string;
  batchSize?: number;
  batches?: number;
  overrides: StudyOverrides;
  missingOnly?: boolean;
  shuffle?: number;
}

export interface SowSummary {
  crop: string;
  cases: number;
  batches: number;
  /** False when the same request had been sown already: nothing was written. */
  sown: boolean;
}

/** Sow a study's cases into crops/<name>. Sowing the same request again changes nothing. */
export async function sowCrop(studyDir: string, request: SowRequest): Promise<SowSummary> {
  const dir = cropDirOf(studyDir, request.name);
  const text = fs.readFileSync(path.join(studyDir, 'study.yaml'), 'utf8');
  const study = studyFromText(studyDir, text, request.overrides);
  const wanted: Crop['request'] = {
    batch_size: request.batchSize ?? null,
    batches: request.batches ?? null,
    missing_only: request.missingOnly ?? false,
    shuffle: request.shuffle ?? null,
  };
  const overrides = JSON.parse(JSON.stringify(request.overrides)) as Crop['overrides'];
  if (fs.existsSync(path.join(dir, 'crop.json'))) {
    const old = readCrop(dir);
    const same =
      old.study === text &&
      JSON.stringify(old.overrides) === JSON.stringify(overrides) &&
      JSON.stringify(old.request) === JSON.stringify(wanted);
    if (!same) {
      throw new FurrowError(
        'bad-input',
        `crop '${request.name}' was sown already with another request (${dir}); reap or remove it, or choose another --name`,
      );
    }
    return { crop: dir, cases: old.cases, batches: old.batch_count, sown: false };
  }
  const unlock = lockStudy(study.dir, 'furrow crop sow');
  try {
    if (study.space.dims.length === 0) {
      throw new FurrowError('bad-input', `${study.file} only has sample distributions: there are no cases to sow`);
    }
    const { indices, hashOf } = await casesToRun(study, { missingOnly: wanted.missing_only });
    if (indices.length === 0) {
      throw new FurrowError('bad-input', 'every case is done already (--missing-only): there is nothing to sow');
    }
    if (wanted.shuffle !== null) {
      const rng = new Rng(wanted.shuffle);
      for (let i = indices.length - 1; i > 0; i--) {
        const j = rng.integers(0, i + 1);
        [indices[i], indices[j]] = [indices[j]!, indices[i]!];
      }
    }
    const sizes = batchSizes(indices.length, request);
    // Everything is written into a temporary folder, then renamed into place: a sow is whole or absent.
    const tmp = `${dir}.${process.pid}.sowing`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(path.join(tmp, 'batches'), { recursive: true });
    let next = 0;
    sizes.forEach((size, b) => {
      const cases = indices.slice(next, next + size).map((index) => ({
        index,
        pset_id: randomUUID(),
        pset_hash: hashOf(index),
        params: study.space.paramsAt(index),
      }));
      next += size;
      fs.writeFileSync(batchFile(tmp, b + 1), `${JSON.stringify({ crop: request.name, batch: b + 1, cases })}\n`);
    });
    const crop: Crop = {
      format: CROP_FORMAT,
      name: request.name,
      sown_utc: new Date().toISOString(),
      study: text,
      overrides,
      request: wanted,
      cases: indices.length,
      batch_count: sizes.length,
      reaped: [],
      jobs: [],
    };
    writeCrop(tmp, crop);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(tmp, dir);
    return { crop: dir, cases: indices.length, batches: sizes.length, sown: true };
  } finally {
    unlock();
  }
}

export type GrowOptions = Omit<ExecuteOptions, 'signal' | 'started' | 'workers'> & { workers?: number };

/**
 * Grow batch k of a crop: run its cases and write results/batch-NNNN.json whole. This is what a cluster task
 * runs; it reads only the crop folder and the model. A grower that cannot grow the batch (a corrupt batch file,
 * a model that does not load) writes why to results/batch-NNNN.failed.json and throws.
 */
export async function growBatch(
  cropDir: string,
  k: number,
  options: GrowOptions,
): Promise<{ done: number; failed: number }> {
  const crop = readCrop(cropDir);
  if (!Number.isInteger(k) || k < 1 || k > crop.batch_count) {
    throw new FurrowError(
      'bad-input',
      `crop '${crop.name}' has batches 1 to ${crop.batch_count}; there is no batch ${k}`,
    );
  }
  const log = batchLog(cropDir, k);
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const say = (line: string) => fs.appendFileSync(log, `${new Date().toISOString()} ${line}\n`);
  const startedUtc = new Date().toISOString();
  say(`growing batch ${k} of crop '${crop.name}' on ${os.hostname()} (pid ${process.pid})`);
  try {
    const study = cropStudy(cropDir, crop);
    const batch = readBatch(cropDir, k);
    const byIndex = new Map(batch.cases.map((c) => [c.index, c]));
    const results = new Map<number, BatchResult['cases'][number]>();
    const now = () => new Date().toISOString();
    // On a cluster node, the CPUs given to the task, not the node's.
    const workers = options.workers ?? (Number(process.env['SLURM_CPUS_PER_TASK']) || defaultWorkers());
    const execute: ExecuteOptions = { ...options, workers };
    const started = startWorkers(study, batch.cases.length, execute);
    const modelParams = modelParamsOf(study);
    try {
      await executeCases(
        study,
        caseListOf(batch.cases.map((c) => c.index)),
        {
          runId: `crop:${crop.name}`,
          psetIdOf: (index) => byIndex.get(index)!.pset_id,
          paramsOf: (index) => modelParams(byIndex.get(index)!.params),
          onBusy: () => undefined,
          onDone: (index, outputs, seconds) =>
            results.set(index, {
              index,
              pset_id: byIndex.get(index)!.pset_id,
              status: 'done',
              outputs,
              runtime_s: seconds,
              time_utc: now(),
            }),
          onFailed: (index, message, seconds) => {
            say(`case ${index} failed: ${message}`);
            results.set(index, {
              index,
              pset_id: byIndex.get(index)!.pset_id,
              status: 'failed',
              error: message,
              runtime_s: seconds,
              time_utc: now(),
            });
          },
        },
        { ...execute, ...(started ? { started } : {}) },
      );
    } finally {
      started?.close();
    }
    const cases = batch.cases.map((c) => results.get(c.index)!);
    const result: BatchResult = {
      format: RESULT_FORMAT,
      crop: crop.name,
      batch: k,
      host: os.hostname(),
      started_utc: startedUtc,
      finished_utc: now(),
      cases,
    };
    writeAtomically(resultFile(cropDir, k), `${encodeOutputs(result)}\n`);
    fs.rmSync(failedFile(cropDir, k), { force: true });
    const failed = cases.filter((c) => c.status === 'failed').length;
    say(`grown: ${cases.length - failed} done, ${failed} failed`);
    return { done: cases.length - failed, failed };
  } catch (error) {
    const message = (error as Error).message;
    say(`could not grow batch ${k}: ${message}`);
    writeAtomically(
      failedFile(cropDir, k),
      `${JSON.stringify({ batch: k, host: os.hostname(), time_utc: new Date().toISOString(), error: message })}\n`,
    );
    throw error;
  }
}

/** The batches of a crop not grown yet (no result), and not reaped. */
function ungrown(cropDir: string, crop: Crop): number[] {
  return Array.from({ length: crop.batch_count }, (_, i) => i + 1).filter(
    (k) => !crop.reaped.includes(k) && !fs.existsSync(resultFile(cropDir, k)),
  );
}

/** Grow a crop's missing batches here, `workers` batches at a time (one model worker each). */
export async function growCrop(
  studyDir: string,
  name: string,
  options: GrowOptions & { onBatch?: (k: number, error: string | null) => void },
): Promise<CropStatus> {
  const dir = cropDirOf(studyDir, name);
  const crop = readCrop(dir);
  const queue = ungrown(dir, crop);
  const lane = async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      try {
        await growBatch(dir, k, { ...options, workers: 1 });
        options.onBatch?.(k, null);
      } catch (error) {
        options.onBatch?.(k, (error as Error).message);
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.workers ?? defaultWorkers(), queue.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return cropStatus(studyDir, name);
}

function readResult(cropDir: string, k: number, batch: Batch): BatchResult {
  const result = readJson(resultFile(cropDir, k), resultSchema, "a grown batch's results", 'Grow the batch again.');
  const sown = batch.cases.map((c) => `${c.index}:${c.pset_id}`).join();
  const grown = result.cases.map((c) => `${c.index}:${c.pset_id}`).join();
  if (result.batch !== k || sown !== grown) {
    throw new FurrowError(
      'bad-input',
      `${resultFile(cropDir, k)} holds other cases than batches/batch-${pad(k)}.json; was it grown from another crop? Grow the batch again.`,
    );
  }
  return result;
}

export interface ReapOptions extends Omit<RunOptions, 'source' | 'samples' | 'missingOnly' | 'retryFailed'> {
  allowIncomplete?: boolean;
  keep?: boolean;
  overwrite?: Overwrite;
}

export type ReapSummary = RunSummary & {
  crop: string;
  reaped_batches: number[];
  missing_batches: number[];
  /** The crop folder was removed (a complete reap without --keep). */
  removed: boolean;
};

/**
 * Merge a crop's grown batches into the dataset and the run database: a run whose outcomes come from the
 * batches' results. Missing batches refuse the reap unless `allowIncomplete`; then the crop is kept, and a later
 * reap merges only the batches reaped since. A complete reap removes the crop folder unless `keep`.
 */
export async function reapCrop(studyDir: string, name: string, options: ReapOptions): Promise<ReapSummary> {
  const dir = cropDirOf(studyDir, name);
  const crop = readCrop(dir);
  const study = cropStudy(dir, crop);
  const pending = Array.from({ length: crop.batch_count }, (_, i) => i + 1).filter((k) => !crop.reaped.includes(k));
  const missing = pending.filter((k) => !fs.existsSync(resultFile(dir, k)));
  if (missing.length > 0 && !options.allowIncomplete) {
    const status = await cropStatus(studyDir, name);
    const describe = (k: number) => {
      const b = status.batches[k - 1]!;
      return `${k} (${b.state}${b.job ? `, job ${b.job}` : ''})`;
    };
    throw new FurrowError(
      'bad-input',
      `crop '${name}': ${missing.length} of ${crop.batch_count} batches are not grown: ${missing.map(describe).join(', ')}. Grow them (furrow crop grow|submit), or reap what there is with --allow-incomplete`,
    );
  }
  const ready = pending.filter((k) => !missing.includes(k));
  if (pending.length === 0) {
    throw new FurrowError(
      'bad-input',
      `crop '${name}' is reaped already (all ${crop.batch_count} batches are in the dataset); remove ${dir} when you no longer need it`,
    );
  }
  const results = ready.map((k) => readResult(dir, k, readBatch(dir, k)));
  const cases = results.flatMap((r) => r.cases.map((c) => ({ ...c, host: r.host })));
  const psetIds = new Map(cases.map((c) => [c.index, c.pset_id]));
  const summary = await runStudy(study, {
    ...options,
    source: {
      label: `furrow crop reap ${name}`,
      indices: cases.map((c) => c.index),
      psetIdOf: (index) => psetIds.get(index)!,
      deliver: async (hooks) => {
        for (const c of cases) {
          const grown = { timeUtc: c.time_utc, host: c.host };
          if (c.status === 'done') hooks.onDone(c.index, c.outputs, c.runtime_s ?? 0, grown);
          else hooks.onFailed(c.index, c.error ?? 'failed', c.runtime_s, grown);
        }
      },
    },
  });
  const reaped = [...crop.reaped, ...ready].sort((x, y) => x - y);
  const complete = reaped.length === crop.batch_count;
  const removed = complete && !options.keep;
  if (removed) fs.rmSync(dir, { recursive: true, force: true });
  else writeCrop(dir, { ...readCrop(dir), reaped });
  return { ...summary, crop: dir, reaped_batches: ready, missing_batches: missing, removed };
}

/** The names of a study's crops: the folders under crops/ that hold a crop.json. */
export function listCrops(studyDir: string): string[] {
  const root = path.join(studyDir, 'crops');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((name) => cropNameSchema.safeParse(name).success && fs.existsSync(path.join(root, name, 'crop.json')))
    .sort();
}

/** Each batch's state: reaped, grown, failed, running, pending (queued by a scheduler) or missing. */
export async function cropStatus(studyDir: string, name: string): Promise<CropStatus> {
  const dir = cropDirOf(studyDir, name);
  const crop = readCrop(dir);
  const states = jobStates(crop.jobs);
  const batches: CropBatch[] = Array.from({ length: crop.batch_count }, (_, i) => {
    const k = i + 1;
    const job = [...crop.jobs].reverse().find((j) => j.batches.includes(k));
    const task: JobState | undefined = job ? states.get(`${job.job_id}:${k}`) : undefined;
    const at = { batch: k, log: batchLog(dir, k), job: job?.job_id ?? null, job_state: task?.state ?? null };
    if (crop.reaped.includes(k)) return { ...at, state: 'reaped', error: null };
    if (fs.existsSync(resultFile(dir, k))) return { ...at, state: 'grown', error: null };
    if (task?.active) return { ...at, state: task.state === 'PENDING' ? 'pending' : 'running', error: null };
    const failed = fs.existsSync(failedFile(dir, k));
    if (failed || task?.failed) {
      let error = task
        ? `the ${job!.scheduler} task ended ${task.state}${task.reason ? ` (${task.reason})` : ''}`
        : 'failed';
      try {
        if (failed) error = (JSON.parse(fs.readFileSync(failedFile(dir, k), 'utf8')) as { error: string }).error;
      } catch {
        // an unreadable marker: the scheduler's word stands
      }
      return { ...at, state: 'failed', error, ...(task?.log ? { log: task.log } : {}) };
    }
    return { ...at, state: 'missing', error: null };
  });
  const count = (state: CropBatch['state']) => batches.filter((b) => b.state === state).length;
  return {
    crop: dir,
    name: crop.name,
    cases: crop.cases,
    sown_utc: crop.sown_utc,
    batches,
    counts: {
      reaped: count('reaped'),
      grown: count('grown'),
      failed: count('failed'),
      running: count('running'),
      pending: count('pending'),
      missing: count('missing'),
    },
  };
}

export type SubmitRequest = Omit<JobRequest, 'cropDir' | 'cropName' | 'batches'> & { dryRun?: boolean };

export interface SubmitSummary {
  crop: string;
  script: string;
  /** The script's text (what --dry-run prints). */
  text: string;
  batches: number[];
  /** Null for a dry run. */
  job_id: string | null;
}

/**
 * Write a job script growing the crop's batches that are neither grown nor on their way (queued or running in an
 * earlier job), and submit it unless `dryRun`. The job is remembered in crop.json for `status` and `cancel`.
 */
export async function submitCrop(studyDir: string, name: string, request: SubmitRequest): Promise<SubmitSummary> {
  const dir = cropDirOf(studyDir, name);
  const crop = readCrop(dir);
  const status = await cropStatus(studyDir, name);
  const batches = status.batches.filter((b) => b.state === 'missing' || b.state === 'failed').map((b) => b.batch);
  if (batches.length === 0) {
    throw new FurrowError(
      'bad-input',
      `crop '${name}': every batch is grown, reaped or on its way (${JSON.stringify(status.counts)}); nothing to submit`,
    );
  }
  const text = jobScript({ ...request, cropDir: dir, cropName: crop.name, batches });
  const script = path.join(dir, `${request.scheduler}-${new Date().toISOString().replace(/[:.]/g, '-')}.sh`);
  writeAtomically(script, text);
  fs.chmodSync(script, 0o755);
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  if (request.dryRun) return { crop: dir, script, text, batches, job_id: null };
  let jobId: string;
  try {
    jobId = submitScript(request.scheduler, script);
  } catch (error) {
    if (error instanceof FurrowError)
      throw new FurrowError(error.code, `${error.message} (the job script is ${script})`);
    throw error;
  }
  const unlock = lockStudy(studyDir, 'furrow crop submit');
  try {
    const now = readCrop(dir);
    const job: CropJob = {
      scheduler: request.scheduler,
      job_id: jobId,
      batches,
      script,
      submitted_utc: new Date().toISOString(),
    };
    writeCrop(dir, { ...now, jobs: [...now.jobs, job] });
  } finally {
    unlock();
  }
  return { crop: dir, script, text, batches, job_id: jobId };
}

/** Cancel the crop's jobs that still have batches queued or running. Returns the job ids cancelled. */
export async function cancelCrop(studyDir: string, name: string): Promise<string[]> {
  const dir = cropDirOf(studyDir, name);
  const crop = readCrop(dir);
  const status = await cropStatus(studyDir, name);
  const active = new Set(
    status.batches.filter((b) => b.state === 'pending' || b.state === 'running').map((b) => b.job!),
  );
  const jobs = crop.jobs.filter((j) => active.has(j.job_id));
  for (const job of jobs) cancelJob(job.scheduler, job.job_id);
  return jobs.map((j) => j.job_id);
}
