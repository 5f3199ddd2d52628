// How a run's pace and time left, its times, and how the last run ended read on screen.
import type { RunRecord } from '../../shared/api';

export function formatRate(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)} cases/s` : `${rate.toFixed(1)} cases/s`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A time of the run database (ISO 8601, UTC) as a person reads it: '2026-12-04 00:16:39 UTC'. */
export const formatUtc = (utc: string | null) => (utc ? utc.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '');

/** How an adaptive run ended, by its runs row's status. */
const ADAPTIVE_ENDS: Record<string, string> = { done: 'goal met', cancelled: 'stopped', failed: 'could not go on' };

/**
 * How the last run ended: a grid run's cases, an adaptive run's points (the time last, so that a narrow window's
 * run bar cuts that rather than the counts).
 */
export function lastRunText(last: RunRecord): string {
  if (last.kind === 'adaptive') {
    const how = ADAPTIVE_ENDS[last.status] ?? last.status;
    const at = last.finished_utc ? `; finished ${formatUtc(last.finished_utc)}` : '';
    return `Last run (#${last.run_seq}): adaptive run, ${how}: ${last.done} points evaluated, ${last.failed} failed${at}.`;
  }
  const ended = last.finished_utc ? `, finished ${formatUtc(last.finished_utc)}` : '';
  return `Last run (#${last.run_seq}${ended}): ${last.status}, ${last.done} done, ${last.failed} failed${last.cancelled ? `, ${last.cancelled} cancelled` : ''}.`;
}
