// The study.* requests: open, create and read a study, check and edit a draft of study.yaml, try one case, save.
import fs from 'node:fs';
import { NO_ROWS } from '../../../shared/study-rows';
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { FurrowError, StudyFileError } from '../errors';
import { writeAtomically } from '../dataset/atomic-file';
import { simulateRun } from '../run/plan';
import { defaultWorkers } from '../run/schedule';
import { tryOneCase } from '../run/try-case';
import type { Study } from './study';
import { openStudy, studyFromText, summarize } from './study';
import { createStudy, describeExamples } from './study-create';
import { applyEdit, rowsOf, StudyEditError } from './study-edit';
import { studyFiles } from './study-files';

export function studyRequests(engine: EngineState): Handlers<MethodsOf<'study'>> {
  const open: Handlers<'study.open'>['study.open'] = async ({ dir }) => {
    if (engine.run)
      throw new FurrowError('busy', 'a run is going; cancel it or wait for it before opening another study');
    let study: Study;
    try {
      study = openStudy(dir);
    } catch (error) {
      // A folder with a study.yaml that has an error: the message says where; the reason says what kind.
      if (error instanceof StudyFileError && !error.details.reason)
        throw new StudyFileError(error.file, error.line, error.path, error.detail, { reason: 'bad-study-file' });
      throw error;
    }
    engine.opened(study);
    const summary = summarize(study);
    engine.options.emit({ type: 'study.opened', study: summary });
    return summary;
  };
  return {
    'study.open': open,
    'study.create': async ({ dir, example, paramSpace }) =>
      open({ dir: createStudy(dir, example ?? 'foo', engine.options.examplesDir, paramSpace) }),
    'study.examples': async () => describeExamples(engine.options.examplesDir),
    'study.current': async () => (engine.studyDir === null ? null : summarize(engine.study())),
    'study.source': async () => {
      const { file } = engine.study();
      return { file, text: fs.readFileSync(file, 'utf8') };
    },
    'study.files': async () => studyFiles(engine.study().dir),
    'study.check': async ({ text }) => {
      const dir = engine.studyDir;
      if (dir === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
      let study: Study;
      const rows = rowsOf(text);
      try {
        study = studyFromText(dir, text);
      } catch (error) {
        if (!(error instanceof FurrowError)) throw error;
        const file = error instanceof StudyFileError ? error : null;
        return {
          ok: false as const,
          error: error.message,
          line: file?.line ?? null,
          field: file?.path ?? null,
          detail: file?.detail ?? error.message,
          rows,
        };
      }
      const plan = await simulateRun(study, {});
      const mean = engine.readDb((db) => db?.meanRuntime() ?? null);
      return {
        ok: true as const,
        summary: summarize(study),
        rows: rows ?? NO_ROWS,
        new: plan.new,
        done_before: plan.done_before,
        failed_before: plan.failed_before,
        estimated_seconds: mean === null ? null : (mean * plan.new) / defaultWorkers(),
      };
    },
    'study.edit': async ({ text, edit }) => {
      let next: string;
      try {
        next = applyEdit(text, edit);
      } catch (error) {
        if (error instanceof StudyEditError) throw new FurrowError('bad-input', error.message);
        throw error;
      }
      return { text: next, ...(rowsOf(next) ?? NO_ROWS) };
    },
    'study.try': async ({ text, params }) => {
      const opened = engine.study();
      const study = text === undefined ? opened : studyFromText(opened.dir, text);
      return tryOneCase(study, engine.parts(), params);
    },
    'study.save': async ({ text, base }) => {
      const { file, dir } = engine.study();
      if (fs.readFileSync(file, 'utf8') !== base) {
        throw new FurrowError(
          'bad-input',
          `${file} changed on disk since it was opened here; nothing was saved. Reload it, then make the change again`,
        );
      }
      const summary = summarize(studyFromText(dir, text)); // the command line's rules: a bad edit is refused
      writeAtomically(file, text);
      engine.options.emit({ type: 'study.opened', study: summary });
      return summary;
    },
  };
}
