import { describe, expect, it } from 'vitest';
import type { ArraySlice } from '../../shared/api';
import { lineTraces } from './line-traces';

// a_out over a (3) × b (2), row-major: a_out[a, b] = 10 a + b, one cell missing.
const slice: ArraySlice = {
  variable: 'a_out',
  dims: ['a', 'b'],
  shape: [3, 2],
  coords: { a: [1, 2, 3], b: ['x', 'y'] },
  values: [11, 12, 21, null, 31, 32],
};

describe('line traces', () => {
  it('draw one line per hue value along x, with gaps where values are missing', () => {
    const traces = lineTraces(slice, 'a', 'b');
    expect(traces.map((t) => t.name)).toEqual(['b = x', 'b = y']);
    expect(traces[0]!.x).toEqual([1, 2, 3]);
    expect(traces[0]!.y).toEqual([11, 21, 31]);
    expect(traces[1]!.y).toEqual([12, null, 32]);
  });

  it('follow the data when x is the second dim', () => {
    const traces = lineTraces(slice, 'b', 'a');
    expect(traces.map((t) => t.name)).toEqual(['a = 1', 'a = 2', 'a = 3']);
    expect(traces[1]!.x).toEqual(['x', 'y']);
    expect(traces[1]!.y).toEqual([21, null]);
  });

  it('draw a single line for a one-dim slice', () => {
    const one: ArraySlice = { variable: 'v', dims: ['t'], shape: [2], coords: { t: [0, 1] }, values: [5, 6] };
    expect(lineTraces(one, 't', null)).toEqual([
      { type: 'scatter', mode: 'lines+markers', name: 'v', x: [0, 1], y: [5, 6] },
    ]);
  });
});
