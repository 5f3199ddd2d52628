import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../shared/api';
import type { Draft } from './plot-store';
import { dimChoice, firstDraft, switchVariable } from './plot-store';

const variable = (name: string, dims: string[], shape: number[]) => ({
  name,
  dims,
  shape,
  dtype: 'float64',
  attrs: {},
});
const info: DatasetInfo = {
  path: '/d.nc',
  dims: [],
  attrs: {},
  variables: [
    variable('walk', ['step_size', 'seed', 'iteration'], [3, 10, 1024]),
    variable('energy', ['step_size', 'seed', 'iteration'], [3, 10, 1024]),
    variable('image', ['y', 'x'], [512, 512]),
    variable('wide', ['k', 'x'], [50, 100]),
  ],
};

describe('the builder’s drafts', () => {
  it('first shows the longest dim along x, a line per value of the next when it has few, the rest at their first', () => {
    expect(firstDraft(info, 'walk')).toEqual({
      variable: 'walk',
      kind: 'line',
      x: 'iteration',
      hue: 'seed',
      isel: { step_size: 0 },
    });
    expect(firstDraft(info, 'wide')).toEqual({ variable: 'wide', kind: 'line', x: 'x', isel: { k: 0 } });
  });

  it('keeps the mapping when another variable has the same dims, and starts afresh when it has not', () => {
    const edited = { variable: 'walk', kind: 'errorbands', x: 'iteration', over: 'seed', hue: 'step_size' };
    expect(switchVariable(info, edited, 'energy')).toEqual({ ...edited, variable: 'energy' });
    expect(switchVariable(info, edited, 'image')).toEqual({ variable: 'image', kind: 'line', x: 'y', isel: { x: 0 } });
  });
});

describe('how a dim off the encodings is shown', () => {
  it('reduces a second dim beside the first, fixes one, and frees one, leaving the others as they were', () => {
    const edit = (draft: Draft, dim: string, value: string) => ({ ...draft, ...dimChoice(draft, dim, value) });
    const draft: Draft = { variable: 'walk', x: 'iteration', isel: { step_size: 0 }, sel: { seed: 3 } };
    const seeds = edit(draft, 'seed', 'reduce:mean');
    expect(seeds).toMatchObject({ isel: { step_size: 0 }, sel: undefined, reduce: { seed: 'mean' } });
    const both = edit(seeds, 'step_size', 'reduce:max');
    expect(both).toMatchObject({ isel: undefined, reduce: { seed: 'mean', step_size: 'max' } });
    const fixed = edit(both, 'seed', 'isel:2');
    expect(fixed).toMatchObject({ isel: { seed: 2 }, reduce: { step_size: 'max' } });
    expect(edit(fixed, 'step_size', 'free')).toMatchObject({ isel: { seed: 2 }, reduce: undefined });
  });
});
