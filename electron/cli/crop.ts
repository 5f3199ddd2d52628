// `furrow crop sow|grow|reap|status|submit|cancel` and `furrow grow-batch`: the command line of crops
// (electron/engine/crop/crop.ts), locally and on clusters (electron/engine/crop/cluster.ts).
import path from 'node:path';
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
import { parseCommand, positiveInt, reading, UsageError } from './args';
import { parseCombos } from './combos';
import { COMMANDS, subcommandsOf } from './commands';
import { groupHelp } from './help';
import { toJson } from './json-out';
import { data, note, problem, say } from './output';
import { furrowCommand } from '../host/paths';
import { engineParts, reportRun } from './run-report';

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

/** The options of every crop verb; each verb has some of them. */
interface CropValues {
  name?: string;
  json?: boolean;
  'batch-size'?: string;
  batches?: string;
  combo?: string[];
  cases?: string;
  'missing-only'?: boolean;
  shuffle?: string;
  workers?: string;
  'allow-incomplete'?: boolean;
  keep?: boolean;
  events?: boolean;
  overwrite?: string;
  scheduler?: string;
  time?: string;
  mem?: string;
  'cpus-per-task'?: string;
  partition?: string;
  option?: string[];
  setup?: string[];
  'dry-run'?: boolean;
}

type CropVerb = 'sow' | 'grow' | 'reap' | 'status' | 'submit' | 'cancel';

export async function cropCommand(args: string[]): Promise<number> {
  const verb = args[0];
  const verbs = subcommandsOf('crop');
  reading.group = 'crop';
  if (verb === '--help' || verb === '-h') {
    data(groupHelp('crop'));
    return 0;
  }
  if (!verb) throw new UsageError(`crop needs a command: ${verbs.join(', ')}`);
  if (!verbs.includes(verb)) throw new UsageError(`crop ${verb}: choose ${verbs.join(', ')}`);
  const parsed = parseCommand(COMMANDS[`crop ${verb as CropVerb}`], args.slice(1));
  if (!parsed) return 0;
  // Each verb takes only its own options (parseCommand refused the others): read them as one record.
  const values = parsed.values as CropValues;
  const dir = parsed.positionals[0];
  if (!dir) throw new UsageError(`crop ${verb} needs the study folder`);
  const name = values.name;
  if (!name) throw new UsageError(`crop ${verb} needs --name, the crop's name`);
  checkCropName(name);
  const studyDir = openStudy(dir).dir; // a clear error for a folder that is no study
  const out = (json: unknown, text: string[]) => (values.json ? data(toJson(json)) : say(text.join('\n')));

  switch (verb) {
    case 'sow': {
      const combos = await withStoredValues(dir, parseCombos(values.combo ?? []));
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
        missingOnly: values['missing-only'] ?? false,
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
          if (values.json) return;
          if (error) problem(`batch ${k} failed: ${error.split('\n')[0]}`);
          else note(`batch ${k} grown`);
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
      const overwrite = values.overwrite ?? 'error';
      if (overwrite !== 'error' && overwrite !== 'new' && overwrite !== 'old') {
        throw new UsageError(`--overwrite ${overwrite}: choose error, new or old`);
      }
      let reaped: Awaited<ReturnType<typeof reapCrop>> | null = null;
      const code = await reportRun(dir, { json: values.json ?? false, events: values.events ?? false }, async (run) => {
        reaped = await reapCrop(studyDir, name, {
          ...run,
          overwrite,
          allowIncomplete: values['allow-incomplete'] ?? false,
          keep: values.keep ?? false,
        });
        return reaped;
      });
      const r = reaped as Awaited<ReturnType<typeof reapCrop>> | null;
      if (r && !values.json) {
        note(
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
        options: values.option ?? [],
        setup: values.setup ?? [],
        ...(values.time ? { time: values.time } : {}),
        ...(values.mem ? { mem: values.mem } : {}),
        ...(cpus ? { cpusPerTask: cpus } : {}),
        ...(values.partition ? { partition: values.partition } : {}),
        dryRun: values['dry-run'] ?? false,
      });
      if (values['dry-run'] && !values.json) {
        process.stdout.write(summary.text);
        note(`wrote ${summary.script} (batches ${summary.batches.join(', ')}); not submitted (--dry-run)`);
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
  const parsed = parseCommand(COMMANDS['grow-batch'], args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const [cropDir, k] = positionals;
  if (!cropDir || k === undefined) throw new UsageError('grow-batch needs the crop folder and the batch number');
  const batch = positiveInt(k, 'batch')!;
  const workers = positiveInt(values.workers, '--workers');
  const { done, failed } = await growBatch(path.resolve(cropDir), batch, {
    ...engineParts,
    ...(workers ? { workers } : {}),
  });
  note(`batch ${batch} grown: ${done} cases done, ${failed} failed`);
  return 0;
}
