import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api';
import { shownOfStatus } from './adapt-store';

/** adapt.status's answer while a run with one worker is between two points (test/integration/adapt-requests.test.ts). */
const between: NonNullable<Result<'adapt.status'>> = {
  type: 'adapt.progress',
  runId: 'r1',
  params: [{ name: 'x', lo: -1, hi: 1 }],
  output: 'y',
  points: 3,
  failed: 0,
  pending: 0,
  loss: 0.5,
  learners: [{ combo: {}, points: 3, loss: 0.5 }],
  added: [
    { learner: 0, x: [-1], y: -1 },
    { learner: 0, x: [1], y: 1 },
    { learner: 0, x: [0], y: 0 },
  ],
  seconds: 1.2,
  running: true,
};

describe('what a window shows of adapt.status', () => {
  it('a run between two points (none pending) is running: the page offers Stop, not Start', () => {
    expect(shownOfStatus(between)).toMatchObject({ running: true, points: between.added, progress: { pending: 0 } });
    expect(shownOfStatus(between).progress!.added).toEqual([]);
  });

  it('stored points of a run that ended are not running; no answer shows nothing', () => {
    expect(shownOfStatus({ ...between, running: false })).toMatchObject({
      running: false,
      lossHistory: [{ points: 3, loss: 0.5 }],
    });
    expect(shownOfStatus(null)).toEqual({ progress: null, points: [], lossHistory: [], running: false });
  });
});
