// The setup.* request: the setup check (setup-check.ts) of the study asked for, else of the open one.
import type { EngineOptions, EngineState, Handlers, MethodsOf } from '../engine-state';
import { checkSetup } from './setup-check';

/** The built files this engine's processes run from: the command line, the model worker, the condition reader. */
export function buildFiles(
  options: Pick<EngineOptions, 'workerEntry' | 'conditionEntry' | 'furrowCommand' | 'h5Kit' | 'rendererDir'>,
): string[] {
  return [
    options.furrowCommand.at(-1)!,
    options.workerEntry,
    options.conditionEntry,
    ...(options.h5Kit ? [options.h5Kit] : []),
    ...(options.rendererDir ? [`${options.rendererDir}/index.html`] : []),
  ];
}

export function setupRequests(engine: EngineState): Handlers<MethodsOf<'setup'>> {
  return {
    'setup.check': async ({ dir }) =>
      checkSetup({ studyDir: dir ?? engine.studyDir, build: buildFiles(engine.options) }),
  };
}
