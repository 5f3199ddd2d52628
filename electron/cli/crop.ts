// `furrow crop sow|grow|reap|status|submit|cancel` and `furrow grow-batch`: the command line of crops
// (electron/engine/crop/crop.ts), locally and on clusters (electron/engine/crop/cluster.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CropStatus } from '../../shared/api';
import { readCasesFile } from '../engine/study/cases-file';
import type { Scheduler } from '../engine/crop/cluster';
import { schedulers } from '../engine/crop/cluster';
import {
  cancelCrop,
  checkCropName,
  cropStatus,
  growBatch,
  growCrop,
  reapCrop,
  sowCrop,
  submitCrop,
} from '../engine/crop/crop';
import { FurrowError } from '../engine/errors';
import { openStudy, withStoredValues } from '../engine/study/study';
import { parseCombos, positiveInt, UsageError } from './args';
import { furrowCommand } from '../host/paths';
import { engineParts, reportRun } from './run-report';

export const CROP_USAGE = `  furrow crop sow <study> --name C (--batch-size B | --batches N) [--combo ...]... [--cases FILE]
             [--missing-only] [--shuffle SEED]     the cases into crops/C/batches, to grow anywhere
  furrow crop grow <study> --name C [--workers N]  grow the missing batches here
  furrow crop submit <study> --name C --scheduler slurm|pbs|sge [--time H:M:S] [--mem 4G] [--cpus-per-task N]
             [--partition P] [--option KEY=VALUE]... [--setup 'module load node']... [--dry-run]
                                              an array job growing the missing batches on a cluster
  furrow crop status <study> --name C         each batch: missing, pending, running, grown, failed, reaped
  furrow crop reap <study> --name C [--allow-incomplete] [--keep] [--overwrite error|new|old]
                                              the grown batches into the dataset and the run database
  furrow crop cancel <study> --name C         cancel the crop's queued and running cluster jobs
  furrow grow-batch <crop-dir> <k> [--workers N]   grow one batch (what a cluster task runs)`;

function statusLines(status: CropStatus): string[] {
  const c = status.counts;
  const lines = [
    `crop ${status.name} (${status.crop}): ${status.cases} cases in ${status.batches.length} batches; ` +
      `${c.grown} grown, ${c.failed} failed, ${c.running} running, ${c.pending} pending, ${c.missing} missing, ${c.reaped} reaped`,
  ];
  for (const b of status.batches) {
    if (b.state === 'grown' || b.state === 'reaped') continue;
    const job = b.job ? ` (job ${b.job}${b.job_state ? ` ${b.job_state}` : ''})` : '';
    lines.push(`  batch ${b.batch}: ${b.state}${job}${b.error ? `: ${b.error.split('\n')[0]}` : ''}`);
    if (b.state === 'failed') lines.push(`    log: ${b.log}`);
  }
  return lines;
}

export async function cropCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
      // sow
      'batch-size': { type: 'string' },
      batches: { type: 'string' },
      combo: { type: 'string', multiple: true, default: [] },
      cases: { type: 'string' },
      'missing-only': { type: 'boolean', default: false },
      shuffle: { type: 'string' },
      // grow
      workers: { type: 'string' },
      // reap
      'allow-incomplete': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      events: { type: 'boolean', default: false },
      overwrite: { type: 'string', default: 'error' },
      // submit
      scheduler: { type: 'string' },
      time: { type: 'string' },
      mem: { type: 'string' },
      'cpus-per-task': { type: 'string' },
      partition: { type: 'string' },
      option: { type: 'string', multiple: true, default: [] },
      setup: { type: 'string', multiple: true, default: [] },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const [verb, dir] = positionals;
  const verbs = ['sow', 'grow', 'reap', 'status', 'submit', 'cancel'];
  if (!verb || !verbs.includes(verb)) throw new UsageError(`crop ${verb ?? ''}: choose ${verbs.join(', ')}`);
  if (!dir) throw new UsageError(`crop ${verb} needs the study folder`);
  const name = values.name;
  if (!name) throw new UsageError(`crop ${verb} needs --name, the crop's name`);
  checkCropName(name);
  const studyDir = openStudy(dir).dir; // a clear error for a folder that is no study
  const out = (json: unknown, text: string[]) => console.log(values.json ? JSON.stringify(json) : text.join('\n'));

  switch (verb) {
    case 'sow': {
      const combos = await withStoredValues(dir, parseCombos(values.combo));
      const shuffle = values.shuffle === undefined ? undefined : Number(values.shuffle);
      if (shuffle !== undefined && !(Number.isInteger(shuffle) && shuffle >= 0 && shuffle < 2 ** 32)) {
        throw new UsageError(`--shuffle ${values.shuffle}: give a seed, a whole number from 0 to 2^32 - 1`);
      }
      const batchSize = positiveInt(values['batch-size'], '--batch-size');
      const batches = positiveInt(values.batches, '--batches');
      const summary = await sowCrop(studyDir, {
        name,
        ...(batchSize ? { batchSize } : {}),
        ...(batches ? { batches } : {}),
        overrides: {
          ...(combos ? { combos } : {}),
          ...(values.cases ? { cases: readCasesFile(values.cases) } : {}),
        },
        missingOnly: values['missing-only'],
        ...(shuffle === undefined ? {} : { shuffle }),
      });
      out(summary, [
        summary.sown
          ? `sowed ${summary.cases} cases in ${summary.batches} batches into ${summary.crop}`
          : `${summary.crop} was sown already with this request (${summary.cases} cases in ${summary.batches} batches); nothing changed`,
      ]);
      return 0;
    }
    case 'grow': {
      const workers = positiveInt(values.workers, '--workers');
      const status = await growCrop(studyDir, name, {
        ...engineParts,
        ...(workers ? { workers } : {}),
        onBatch: (k, error) => {
          if (!values.json) console.error(error ? `batch ${k} failed: ${error.split('\n')[0]}` : `batch ${k} grown`);
        },
      });
      out(status, statusLines(status));
      return status.counts.failed > 0 ? 1 : 0;
    }
    case 'status': {
      const status = await cropStatus(studyDir, name);
      out(status, statusLines(status));
      return 0;
    }
    case 'reap': {
      const overwrite = values.overwrite;
      if (overwrite !== 'error' && overwrite !== 'new' && overwrite !== 'old') {
        throw new UsageError(`--overwrite ${overwrite}: choose error, new or old`);
      }
      let reaped: Awaited<ReturnType<typeof reapCrop>> | null = null;
      const code = await reportRun(dir, { json: values.json, events: values.events }, async (run) => {
        reaped = await reapCrop(studyDir, name, {
          ...run,
          overwrite,
          allowIncomplete: values['allow-incomplete'],
          keep: values.keep,
        });
        return reaped;
      });
      const r = reaped as Awaited<ReturnType<typeof reapCrop>> | null;
      if (r && !values.json) {
        console.error(
          r.missing_batches.length > 0
            ? `reaped batches ${r.reaped_batches.join(', ') || 'none'}; batches ${r.missing_batches.join(', ')} are still missing: the crop is kept, grow them and reap again`
            : r.removed
              ? `crop ${name} is reaped whole; its folder was removed`
              : `crop ${name} is reaped whole; its folder is kept (--keep)`,
        );
      }
      return code;
    }
    case 'submit': {
      const scheduler = values.scheduler as Scheduler | undefined;
      if (!scheduler || !schedulers.includes(scheduler)) {
        throw new UsageError(`crop submit needs --scheduler ${schedulers.join('|')}`);
      }
      const cpus = positiveInt(values['cpus-per-task'], '--cpus-per-task');
      const summary = await submitCrop(studyDir, name, {
        scheduler,
        furrow: furrowCommand,
        options: values.option,
        setup: values.setup,
        ...(values.time ? { time: values.time } : {}),
        ...(values.mem ? { mem: values.mem } : {}),
        ...(cpus ? { cpusPerTask: cpus } : {}),
        ...(values.partition ? { partition: values.partition } : {}),
        dryRun: values['dry-run'],
      });
      if (values['dry-run'] && !values.json) {
        process.stdout.write(summary.text);
        console.error(`wrote ${summary.script} (batches ${summary.batches.join(', ')}); not submitted (--dry-run)`);
      } else {
        out(summary, [
          `submitted ${scheduler} job ${summary.job_id} growing batches ${summary.batches.join(', ')} (${summary.script})`,
        ]);
      }
      return 0;
    }
    case 'cancel': {
      const jobs = await cancelCrop(studyDir, name);
      out({ cancelled: jobs }, [
        jobs.length ? `cancelled jobs ${jobs.join(', ')}` : 'no job of this crop is queued or running',
      ]);
      return 0;
    }
  }
  throw new FurrowError('internal', `crop ${verb}`);
}

export async function growBatchCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { workers: { type: 'string' } },
  });
  const [cropDir, k] = positionals;
  if (!cropDir || k === undefined) throw new UsageError('grow-batch needs the crop folder and the batch number');
  const batch = positiveInt(k, 'batch')!;
  const workers = positiveInt(values.workers, '--workers');
  const { done, failed } = await growBatch(path.resolve(cropDir), batch, {
    ...engineParts,
    ...(workers ? { workers } : {}),
  });
  console.error(`batch ${batch} grown: ${done} cases done, ${failed} failed`);
  return 0;
}
