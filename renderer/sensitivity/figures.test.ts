// The What matters figures from a report: parameters most influential first, intervals as error bars, the output
// named only in an exported figure, Morris's scatter, a grid's main effects a panel per parameter.
import { describe, expect, it } from 'vitest';
import type { SensitivityReport } from '../../shared/sensitivity';
import { mainEffectsFigure, ranked, sensitivityFigure } from './figures';

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
});
