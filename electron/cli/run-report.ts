// A run on the command line, whatever starts it (`run`, `sample`, `crop reap`): the engine's parts, Ctrl-C to
// cancel, progress as progress.ts shows it, and the summary with where to look at the end.
import path from 'node:path';
import type { RunSummary } from '../../shared/api';
import type { RunOptions } from '../engine/run/runner';
import { RunDb } from '../engine/db/run-db';
import { forkSpawner } from '../engine/run/spawner';
import { h5Kit, workerEntry } from '../host/paths';
import { fancy } from './output';
import { progressReporter } from './progress';

/** What the command line gives every run: model workers forked from this process, the built entries. */
export type EngineParts = Pick<RunOptions, 'spawner' | 'workerEntry' | 'h5Kit'>;
export const engineParts: EngineParts = { spawner: forkSpawner, workerEntry, h5Kit };

/**
 * Start a run with `go`, show it, and return the exit status: 1 when cases failed. Ctrl-C (or a scheduler's
 * SIGTERM, or the terminal closing) stops every worker at once; what finished is kept.
 */
export async function reportRun(
  dir: string,
  /** json: only the summary on stdout; events: every engine event on stdout too, a JSON line each, as it happens. */
  show: { json: boolean; events?: boolean },
  go: (run: EngineParts & Pick<RunOptions, 'signal' | 'onEvent'>) => Promise<RunSummary>,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const report = progressReporter({ ...show, events: show.events ?? false, tty: fancy(), study: dir });
  const abort = new AbortController();
  const cancel = () => abort.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.once(s, cancel);
  const summary = await go({ ...engineParts, signal: abort.signal, onEvent: report.onEvent }).finally(() => {
    for (const s of signals) process.off(s, cancel);
    report.stop();
  });
  report.finish({ ...summary, ...extra }, failedCaseDirs(dir, summary));
  return summary.failed > 0 ? 1 : 0;
}

/** The folders of (the first few) cases that failed in this run, for command models. */
function failedCaseDirs(studyDir: string, summary: RunSummary, most = 5): string[] {
  if (summary.failed === 0) return [];
  const db = RunDb.openReadOnly(studyDir);
  try {
    return (db?.failedCaseDirs(summary.run_id, most) ?? []).map((d) => path.join(path.resolve(studyDir), d));
  } finally {
    db?.close();
  }
}
