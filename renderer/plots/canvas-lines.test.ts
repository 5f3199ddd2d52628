import { describe, expect, it } from 'vitest';
import { axisToPixel, rangesOf, traceDecimated } from './canvas-lines';
import type { Pen } from './canvas-lines';

/** A pen that writes down what it was asked to draw. */
function recorder(): Pen & { ops: ['M' | 'L', number, number][] } {
  const ops: ['M' | 'L', number, number][] = [];
  return { ops, moveTo: (x, y) => ops.push(['M', x, y]), lineTo: (x, y) => ops.push(['L', x, y]) };
}

describe('a line traced through a pen', () => {
  it('keeps every point when there are fewer than a pixel column each', () => {
    const x = [0, 3, 7, 12, 20];
    const y = [5, 1, 8, 2, 9];
    const pen = recorder();
    expect(traceDecimated(x, y, 5, pen)).toBe(5);
    expect(pen.ops).toEqual([
      ['M', 0, 5],
      ['L', 3, 1],
      ['L', 7, 8],
      ['L', 12, 2],
      ['L', 20, 9],
    ]);
  });

  it('keeps at most four vertices per pixel column, among them its lowest and highest point', () => {
    const n = 10_000;
    const vx = (k: number) => (k / n) * 10; // 1,000 points per column
    const vy = (k: number) => Math.sin(k / 37) * 50 + (k % 7);
    const pen = recorder();
    const drawn = traceDecimated(
      Array.from({ length: n }, (_, k) => vx(k)),
      Array.from({ length: n }, (_, k) => vy(k)),
      n,
      pen,
    );
    expect(drawn).toBe(pen.ops.length);
    expect(drawn).toBeLessThanOrEqual(4 * 11);
    for (let column = 0; column <= 10; column++) {
      let low = Infinity;
      let high = -Infinity;
      for (let k = 0; k < n; k++) {
        if (Math.round(vx(k)) !== column) continue;
        low = Math.min(low, vy(k));
        high = Math.max(high, vy(k));
      }
      const ys = pen.ops.filter(([, x]) => Math.round(x) === column).map(([, , y]) => y);
      expect(ys).toContain(low);
      expect(ys).toContain(high);
    }
  });

  it('breaks the line where a value is missing (NaN), on a denser screen too', () => {
    const y = [1, 2, Number.NaN, 4, 5];
    for (const ratio of [1, 2]) {
      const pen = recorder();
      traceDecimated([0, 10, 20, 30, 40], y, 5, pen, ratio);
      expect(pen.ops.map(([op]) => op)).toEqual(['M', 'L', 'M', 'L']);
      expect(pen.ops[2]).toEqual(['M', 30, 4]);
    }
  });
});

describe('axes', () => {
  const axis = { _offset: 100, _length: 200, range: [0, 10] as [number, number], type: 'linear' };

  it('maps data to the page: x from the left, y from the bottom, log axes in decades', () => {
    expect(axisToPixel(axis, false)(5)).toBe(200);
    expect(axisToPixel(axis, true)(0)).toBe(300);
    expect(axisToPixel(axis, true)(10)).toBe(100);
    const log = { ...axis, range: [0, 2] as [number, number], type: 'log' };
    expect(axisToPixel(log, false)(10)).toBe(200);
    expect(axisToPixel(log, false)(-1)).toBeNaN(); // cannot be shown: a gap
    expect(axisToPixel(axis, false, [5, 10])(5)).toBe(100); // a pan in progress
  });

  it('reads the ranges being dragged to from plotly’s relayouting event', () => {
    const ranges = rangesOf({
      'xaxis2.range[0]': 1,
      'xaxis2.range[1]': 4,
      'yaxis.range': [-2, 2],
      'xaxis.autorange': true,
    });
    expect(Object.fromEntries(ranges)).toEqual({ xaxis2: [1, 4], yaxis: [-2, 2] });
  });
});
