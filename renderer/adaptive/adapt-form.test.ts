import { describe, expect, it } from 'vitest';
import type { AdaptProgress } from '../../shared/adaptive';
import type { StudySummary } from '../../shared/study';
import { adaptWords, checkForm, fieldOfError, formFor } from './adapt-form';
import type { AdaptForm } from './adapt-form';

const study: StudySummary = {
  dir: '/s',
  name: 's',
  model: 'module',
  outputs: [
    { name: 'series', dims: ['t'] },
    { name: 'y', dims: [] },
  ],
  dims: [
    { name: 'method', values: ['euler', 'rk4'], role: 'combo' },
    { name: 'x', values: [3, -1, 2], role: 'combo' },
    { name: 'k', values: [5], role: 'combo' },
  ],
  caseCount: 6,
  dataset: '/s/data/s.nc',
  hasDataset: false,
};

const form = (change: Partial<AdaptForm> = {}): AdaptForm => ({ ...formFor(study, null), ...change });

describe('the Adapt form', () => {
  it('offers the numeric parameters over their values’ range, the first learned, and the scalar outputs', () => {
    const f = formFor(study, null);
    expect(f.params).toEqual([
      { name: 'x', learn: true, lo: '-1', hi: '3' },
      { name: 'k', learn: false, lo: '5', hi: '6' }, // one value: a range of width 1 to start from
    ]);
    expect(f.output).toBe('y');
    expect(checkForm(f).options).toEqual({
      params: [{ name: 'x', lo: -1, hi: 3 }],
      output: 'y',
      loss: 'default',
      goal: { points: 100 },
    });
  });

  it('starts from what a stored adaptive run learned, so Start resumes it', () => {
    const stored = {
      params: [{ name: 'k', lo: 0, hi: 10 }],
      output: 'y',
    } as unknown as AdaptProgress;
    const f = formFor(study, stored);
    expect(f.params.map((p) => [p.name, p.learn, p.lo, p.hi])).toEqual([
      ['x', false, '-1', '3'],
      ['k', true, '0', '10'],
    ]);
  });

  it('puts each error at its control, in words', () => {
    const bad = form({
      params: [
        { name: 'x', learn: true, lo: 'a', hi: '1' },
        { name: 'k', learn: true, lo: '2', hi: '2' },
      ],
      goalValue: '2.5',
      workers: '0',
    });
    expect(checkForm(bad).errors).toEqual({
      'lo:x': 'From must be a number',
      'hi:k': 'To must be above From (2)',
      goal: 'Points in all must be a whole number',
      workers: 'Workers must be a whole number from 1 to 256, or empty for the default',
    });
    const none = form({ params: form().params.map((p) => ({ ...p, learn: false })) });
    expect(checkForm(none).errors).toEqual({ params: 'Choose a parameter to learn' });
    expect(checkForm(form({ goal: 'loss', goalValue: '0' })).errors).toEqual({
      goal: 'Loss at most must be a number above 0',
    });
    expect(checkForm(form({ goal: 'seconds', goalValue: '1.5', workers: '2' })).options).toMatchObject({
      goal: { seconds: 1.5 },
      workers: 2,
    });
  });

  it('puts an error of the engine at the control it names, in the app’s words', () => {
    const f = form();
    expect(fieldOfError("--param x=-1:3: 'x' is not a parameter of the study", f)).toBe('hi:x');
    expect(fieldOfError("--output y: output 'y' is not a scalar", f)).toBe('output');
    expect(fieldOfError('the model failed to load', f)).toBe('start');
    expect(adaptWords('--param x=-1:3 is outside; give --goal or --workers')).toBe(
      "the range of 'x' is outside; give Goal or Workers",
    );
  });
});
