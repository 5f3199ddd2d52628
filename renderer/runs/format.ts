// How a run's pace and time left read on screen.

export function formatRate(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)} cases/s` : `${rate.toFixed(1)} cases/s`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
