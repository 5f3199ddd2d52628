// The What matters figures from a report: parameters most influential first, intervals as error bars, the output
// named only in an exported figure, Morris's scatter, a grid's main effects a panel per parameter.
import { describe, expect, it } from 'vitest';
import type { ParamIndices, SensitivityReport } from '../../shared/sensitivity';
import {
  alongFigure,
  mainEffectsFigure,
  ranked,
  rankedAlong,
  reductionWords,
  sameInEveryCase,
  secondOrderPairs,
  sensitivityFigure,
  type SensitivityFigure,
} from './figures';

const sobol: SensitivityReport = {
  method: 'sobol',
  params: ['a', 'b', 'c'],
  evaluations: 500,
  design: { name: 'saltelli', n: 100, seed: 1 },
  reduce: {},
  along: {},
  outputs: {
    y: {
      a: { S1: 0.1, S1_conf: 0.01, ST: 0.2, ST_conf: 0.02 },
      b: { S1: 0.5, S1_conf: 0.05, ST: 0.6, ST_conf: 0.06 },
      c: { S1: 0.0, S1_conf: 0.03, ST: 0.3, ST_conf: 0.04 },
    },
  },
};

describe('the What matters figures', () => {
  it('rank by ST and draw S1 and ST bars in that order, with their intervals', () => {
    expect(ranked(sobol, 'y').map(([p]) => p)).toEqual(['b', 'c', 'a']);
    const figure = sensitivityFigure(sobol, 'y');
    expect(figure.data.map((t) => t['x'])).toEqual([
      ['b', 'c', 'a'],
      ['b', 'c', 'a'],
    ]);
    expect(figure.data[0]!['y']).toEqual([0.5, 0, 0.1]);
    expect(figure.data[1]!['error_y']).toMatchObject({ array: [0.06, 0.04, 0.02] });
    expect(figure.layout['xaxis']).toMatchObject({ categoryarray: ['b', 'c', 'a'] });
    expect(figure.layout['title']).toBeUndefined();
    expect(sensitivityFigure(sobol, 'y', { title: true }).layout['title']).toMatchObject({ text: 'y' });
  });

  it('draw Morris as a scatter of mu* against sigma, ranked by mu*', () => {
    const morris: SensitivityReport = {
      ...sobol,
      method: 'morris',
      outputs: {
        y: {
          a: { mu: 1, mu_star: 3, mu_star_conf: 0.5, sigma: 1 },
          b: { mu: -1, mu_star: 1, mu_star_conf: 0.2, sigma: 2 },
          c: { mu: 0, mu_star: 2, mu_star_conf: 0.1, sigma: 0 },
        },
      },
    };
    const [trace] = sensitivityFigure(morris, 'y').data;
    expect(trace).toMatchObject({ type: 'scatter', text: ['a', 'c', 'b'], x: [3, 2, 1], y: [1, 0, 2] });
  });

  it("draw a grid's main effects, a panel per parameter, the mean ± its spread at each level", () => {
    const grid: SensitivityReport = {
      ...sobol,
      method: 'grid',
      design: null,
      params: ['a', 'b'],
      outputs: {
        y: {
          a: { S1: 0.4, main_effect: { levels: [0, 1, 2], mean: [1, 2, 3], std: [1, 1, 1] } },
          b: { S1: 0.6, main_effect: { levels: [0, 1], mean: [1, 3], std: [0.8, 0.8] } },
        },
      },
    };
    const figure = mainEffectsFigure(grid, 'y')!;
    expect(figure.data.map((t) => [t['name'], t['x'], t['xaxis']])).toEqual([
      ['b', [0, 1], 'x'],
      ['a', [0, 1, 2], 'x2'],
    ]);
    expect(figure.data[1]!['error_y']).toMatchObject({ array: [1, 1, 1] });
    expect(mainEffectsFigure(sobol, 'y')).toBeNull();
  });

  it('draw an output over its own dim as lines, a colour per parameter, S1 solid and ST dashed, each with its band', () => {
    const over: SensitivityReport = {
      ...sobol,
      params: ['a', 'b'],
      outputs: {},
      along: {
        y: {
          // Over t (3 values) and a second dim s (2): C order, t the slower.
          dims: [
            { name: 't', values: [0, 0.5, 1] },
            { name: 's', values: ['p', 'q'] },
          ],
          params: {
            a: {
              S1: [0, 9, 0.5, 9, 1, 9],
              S1_conf: [0, 0, 0.1, 0, 0.2, 0],
              ST: [0, 9, 0.6, 9, 1, 9],
              ST_conf: [0, 0, 0, 0, 0, 0],
            },
            b: {
              S1: [1, 0, 0.5, 0, 0, 0],
              S1_conf: [0.1, 0, 0.1, 0, 0.1, 0],
              ST: [1, 0, 0.5, 0, null, 0],
              ST_conf: [0, 0, 0, 0, 0, 0],
            },
          },
        },
      },
    };
    const figure = alongFigure(over, 'y');
    const lines = figure.data.filter((t) => t['name'] !== undefined);
    // Ranked by the largest ST anywhere (a: 9 at s = q; b: 1), at s = p by default.
    expect(lines.map((t) => [t['name'], t['y'], (t['line'] as { dash: string }).dash])).toEqual([
      ['a S1', [0, 0.5, 1], 'solid'],
      ['a ST', [0, 0.6, 1], 'dash'],
      ['b S1', [1, 0.5, 0], 'solid'],
      ['b ST', [1, 0.5, null], 'dash'],
    ]);
    expect(lines[0]!['x']).toEqual([0, 0.5, 1]);
    // The band of a's S1: its upper edge along t, then its lower edge back.
    expect(figure.data[0]!['y']).toEqual([0, 0.6, 1.2, 0.8, 0.4, 0]);
    expect(figure.layout['title']).toMatchObject({ text: 'at s = p' });
    expect(alongFigure(over, 'y', [1], { title: true }).layout['title']).toMatchObject({ text: 'y, at s = q' });
    expect(alongFigure(over, 'y', [1]).data.find((t) => t['name'] === 'a S1')!['y']).toEqual([9, 9, 9]);
    // A parameter keeps its colour when another output ranks it second: b leads z, yet b is still b's colour.
    const colour = (f: SensitivityFigure, name: string) =>
      (f.data.find((t) => t['name'] === name)!['line'] as { color: string }).color;
    const swapped: SensitivityReport = {
      ...over,
      along: {
        z: { ...over.along['y']!, params: { a: over.along['y']!.params['b']!, b: over.along['y']!.params['a']! } },
      },
    };
    expect(rankedAlong(swapped, 'z')).toEqual(['b', 'a']);
    expect(colour(alongFigure(swapped, 'z'), 'b S1')).toBe(colour(figure, 'b S1'));
    expect(colour(figure, 'a S1')).not.toBe(colour(figure, 'b S1'));
  });

  it('say in an exported title how the output was reduced, and tell an output no parameter moves', () => {
    // y over (time, t) with time reduced: the lines over t, the title naming both what is fixed and what is reduced.
    expect(reductionWords({ time: 'mean', s: 'max' })).toBe('mean over time, max over s');
    const meanOverTime: SensitivityReport = { ...sobol, reduce: { time: 'mean' } };
    expect(sensitivityFigure(meanOverTime, 'y', { title: true }).layout['title']).toMatchObject({
      text: 'y, mean over time',
    });
    expect(sensitivityFigure(meanOverTime, 'y').layout['title']).toBeUndefined();
    const lines: SensitivityReport = {
      ...meanOverTime,
      outputs: {},
      along: {
        y: {
          dims: [
            { name: 't', values: [0, 1] },
            { name: 's', values: ['p', 'q'] },
          ],
          params: { a: { S1: [0, 1, 0, 1], S1_conf: [0, 0, 0, 0], ST: [0, 1, 0, 1], ST_conf: [0, 0, 0, 0] } },
        },
      },
    };
    expect(alongFigure(lines, 'y', [1], { title: true }).layout['title']).toMatchObject({
      text: 'y, at s = q, mean over time',
    });
    // Its min over t is the same in every case (the engine's indices are null, not numbers): no bars to draw.
    const nulls = { S1: null, S1_conf: null, ST: null, ST_conf: null } as unknown as ParamIndices;
    expect(sameInEveryCase({ ...sobol, outputs: { y: { a: nulls, b: nulls, c: nulls } } }, 'y')).toBe(true);
    expect(sameInEveryCase(sobol, 'y')).toBe(false);
    expect(sameInEveryCase(sobol, 'not an output')).toBe(false);
  });

  it('list the pairs of a second-order design by S2, largest first', () => {
    const second: SensitivityReport = {
      ...sobol,
      outputs: {
        y: {
          a: { S1: 0.1, S2: { b: { value: 0.02, conf: 0.01 }, c: { value: 0.3, conf: 0.05 } } },
          b: { S1: 0.2, S2: { a: { value: 0.02, conf: 0.01 }, c: { value: -0.01, conf: 0.02 } } },
          c: { S1: 0.3, S2: { a: { value: 0.3, conf: 0.05 }, b: { value: -0.01, conf: 0.02 } } },
        },
      },
    };
    expect(secondOrderPairs(second, 'y')).toEqual([
      { pair: ['a', 'c'], value: 0.3, conf: 0.05 },
      { pair: ['a', 'b'], value: 0.02, conf: 0.01 },
      { pair: ['b', 'c'], value: -0.01, conf: 0.02 },
    ]);
    expect(secondOrderPairs(sobol, 'y')).toEqual([]);
  });
});
