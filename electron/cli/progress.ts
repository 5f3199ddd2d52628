// How `furrow run` shows a run: a bar on a terminal, a plain line every few seconds otherwise, each failed case
// as it fails, and at the end the counts and where to look. With --json, only the summary object on stdout.
import { frameOf } from '../engine/run/model-error';
import type { EngineEvent, RunSummary } from '../../shared/api';
import type { Scalar } from '../../shared/space';
import { toJson } from './json-out';
import { data, note, output, problem, say } from './output';

const PLAIN_EVERY_MS = 10_000;

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function describeParams(params: Record<string, Scalar>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** `tty`: the bar may be drawn (a terminal, no NO_COLOR); with --quiet neither the bar nor the lines show. */
export function progressReporter(options: { json: boolean; events: boolean; tty: boolean; study: string }) {
  const bar = options.tty && !options.json && !output.quiet;
  let lastPlain = Date.now();
  return {
    onEvent(event: EngineEvent): void {
      if (options.events) data(toJson(event));
      if (event.type === 'case.failed') {
        const where = event.errorAt ? ` (${frameOf(event.errorAt)})` : '';
        const first = `${event.error.split('\n')[0]}${where}`;
        problem(`${bar ? '\r\x1b[K' : ''}case ${describeParams(event.params)} failed: ${first}`);
      } else if (event.type === 'run.progress' && !options.json && !output.quiet) {
        const finished = event.done + event.failed;
        const rate = `${event.rate < 10 ? event.rate.toFixed(1) : Math.round(event.rate)} cases/s`;
        if (bar) {
          const width = 30;
          const filled = Math.round((finished / Math.max(1, event.total)) * width);
          process.stderr.write(
            `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${finished}/${event.total} (${event.failed} failed, ${event.stored} stored) ${rate}, ETA ${duration(event.eta)}\x1b[K`,
          );
        } else if (Date.now() - lastPlain >= PLAIN_EVERY_MS) {
          lastPlain = Date.now();
          process.stderr.write(
            `${finished}/${event.total} finished (${event.failed} failed, ${event.stored} stored), ${rate}, ETA ${duration(event.eta)}\n`,
          );
        }
      }
    },
    /** The run is over (or stopped): end the bar's line. */
    stop(): void {
      if (bar) process.stderr.write('\n');
    },
    /** `failedDirs`: some failed cases' folders (command models), where their logs are. */
    finish(summary: RunSummary & Record<string, unknown>, failedDirs: string[]): void {
      // On stderr, so that --json's stdout stays one object.
      for (const warning of summary.warnings ?? []) note(`furrow: warning: ${warning}`);
      if (options.json) {
        data(toJson(summary));
        return;
      }
      say(
        `${summary.done} of ${summary.cases} cases done, ${summary.failed} failed, ${summary.skipped} not run; ${summary.dataset === null ? 'recorded in the run database (samples are not gridded)' : `dataset: ${summary.dataset}`}`,
      );
      if (summary.failed > 0) {
        say(`${summary.failed} cases failed; see why with: furrow db ${options.study} --where "_status = 'failed'"`);
        if (failedDirs.length > 0) {
          const more = summary.failed > failedDirs.length ? ` (and ${summary.failed - failedDirs.length} more)` : '';
          say(`their logs (stdout.log, stderr.log) are in:\n  ${failedDirs.join('\n  ')}${more}`);
        }
      }
    },
  };
}
