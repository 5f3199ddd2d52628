// The crop.* requests: the Crops tab's sow, grow here, submit, follow, cancel and reap (a reap is a run).
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { FurrowError } from '../errors';
import { withStoredValues } from '../study/study';
import {
  cancelCrop,
  cropDirOf,
  cropStatus,
  cropStudy,
  growCrop,
  listCrops,
  readCrop,
  reapCrop,
  sowCrop,
  submitCrop,
} from './crop';

export function cropRequests(engine: EngineState): Handlers<MethodsOf<'crop'>> {
  const changed = (name: string) =>
    engine.options.emit({ type: 'crop.changed', name, growing: engine.growing.has(name) });
  return {
    'crop.list': async () => {
      const { dir } = engine.study();
      return Promise.all(listCrops(dir).map((name) => cropStatus(dir, name)));
    },
    'crop.status': async ({ name }) => cropStatus(engine.study().dir, name),
    'crop.sow': async ({ name, batchSize, batches, combos, missingOnly, shuffle }) => {
      const { dir } = engine.study();
      const resolved = await withStoredValues(dir, combos);
      return sowCrop(dir, {
        name,
        ...(batchSize ? { batchSize } : {}),
        ...(batches ? { batches } : {}),
        overrides: resolved ? { combos: resolved } : {},
        missingOnly: missingOnly ?? false,
        ...(shuffle === undefined ? {} : { shuffle }),
      });
    },
    'crop.grow': async ({ name, workers }) => {
      const { dir } = engine.study();
      if (engine.growing.has(name)) throw new FurrowError('busy', `crop '${name}' is growing already`);
      const status = await cropStatus(dir, name);
      const batches = status.counts.missing + status.counts.failed;
      engine.growing.add(name);
      void growCrop(dir, name, {
        ...engine.parts(),
        ...(workers ? { workers } : {}),
        onBatch: () => changed(name),
      })
        .catch(() => undefined) // each batch's failure is in its status; the crop folder is the record
        .finally(() => {
          engine.growing.delete(name);
          changed(name);
        });
      return { batches };
    },
    'crop.reap': async ({ name, ...choices }) => {
      if (engine.run) throw new FurrowError('busy', 'a run of this study is going; wait for it before reaping');
      const dir = engine.study().dir;
      const crop = readCrop(cropDirOf(dir, name));
      const defined = Object.fromEntries(Object.entries(choices).filter(([, v]) => v !== undefined));
      return engine.startRun(cropStudy(cropDirOf(dir, name), crop), defined, (_study, options) =>
        reapCrop(dir, name, options).finally(() => changed(name)),
      );
    },
    'crop.submit': async ({ name, scheduler, cpusPerTask, ...rest }) => {
      const summary = await submitCrop(engine.study().dir, name, {
        scheduler,
        furrow: engine.options.furrowCommand,
        options: rest.options ?? [],
        setup: rest.setup ?? [],
        ...(rest.time ? { time: rest.time } : {}),
        ...(rest.mem ? { mem: rest.mem } : {}),
        ...(cpusPerTask ? { cpusPerTask } : {}),
        ...(rest.partition ? { partition: rest.partition } : {}),
        ...(rest.dryRun ? { dryRun: true } : {}),
      });
      changed(name);
      return { script: summary.script, text: summary.text, batches: summary.batches, job_id: summary.job_id };
    },
    'crop.cancel': async ({ name }) => {
      const cancelled = await cancelCrop(engine.study().dir, name);
      changed(name);
      return { cancelled };
    },
  };
}
