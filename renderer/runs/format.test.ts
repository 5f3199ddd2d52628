import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/api';
import { lastRunText } from './format';

const run = (change: Partial<RunRecord>): RunRecord => ({
  run_id: 'r3',
  run_seq: 3,
  started_utc: '2026-12-04T00:10:00.123Z',
  finished_utc: '2026-12-04T00:16:39.456Z',
  host: 'h',
  status: 'done',
  cases: 36,
  done: 36,
  failed: 0,
  cancelled: 0,
  skipped: 0,
  model_hash: null,
  model_backup: null,
  kind: null,
  settings: null,
  undeclared: [],
  ...change,
});

describe('how the run bar says the last run ended', () => {
  it("an adaptive run by its points and how it ended (was 'done, 300 done, 0 failed')", () => {
    const adaptive = { kind: 'adaptive', settings: '{}', cases: 300, done: 300 };
    expect(lastRunText(run(adaptive))).toBe(
      'Last run (#3): adaptive run, goal met: 300 points evaluated, 0 failed; finished 2026-12-04 00:16:39 UTC.',
    );
    expect(lastRunText(run({ ...adaptive, status: 'cancelled', done: 120, failed: 2 }))).toBe(
      'Last run (#3): adaptive run, stopped: 120 points evaluated, 2 failed; finished 2026-12-04 00:16:39 UTC.',
    );
  });

  it('a grid run by its cases', () => {
    expect(lastRunText(run({ status: 'cancelled', done: 30, cancelled: 6 }))).toBe(
      'Last run (#3, finished 2026-12-04 00:16:39 UTC): cancelled, 30 done, 0 failed, 6 cancelled.',
    );
    expect(lastRunText(run({ status: 'running', finished_utc: null }))).toBe(
      'Last run (#3): running, 36 done, 0 failed.',
    );
  });
});
