import { describe, expect, it } from 'vitest';
import { axisToPixel, traceDecimated, traceLine } from './canvas-lines';
import { LinePen } from './line-raster';
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
  });
});

describe('a series drawn into pixels', () => {
  const W = 40;
  const H = 20;
  // x over [0, 40) px, y over [0, 20) px, data as pixels (y up from the bottom).
  const px = axisToPixel({ _offset: 0, _length: W, range: [0, W], type: 'linear' }, false);
  const py = axisToPixel({ _offset: 0, _length: H, range: [0, H], type: 'linear' }, true);
  const draw = (x: number[], y: number[], step = false) => {
    const pixels = { data: new Uint8ClampedArray(W * H * 4), width: W, height: H };
    traceLine(
      { xaxis: 'x', yaxis: 'y', name: null, colour: '#000000', x: Float64Array.from(x), y: Float64Array.from(y) },
      step,
      px,
      py,
      new Map(),
      new LinePen(pixels),
      1,
    );
    return (col: number, row: number) => pixels.data[(row * W + col) * 4 + 3]!;
  };

  it('draws a line over decreasing x as the same line over increasing x', () => {
    const up = draw([2, 10, 20, 30], [3, 15, 6, 12]);
    const down = draw([30, 20, 10, 2], [12, 6, 15, 3]);
    for (let c = 0; c < W; c++) for (let r = 0; r < H; r++) expect(down(c, r), `(${c}, ${r})`).toBe(up(c, r));
  });

  it('draws a step along at the old value, then up to the new one, and stops at a gap', () => {
    const at = draw([5.5, 15.5, 25.5, 35.5], [4.5, 14.5, Number.NaN, 9.5], true);
    const row = (v: number) => Math.floor(H - v); // the pixel row of value v
    expect(at(10, row(4.5))).toBe(255); // along from x 5.5 at 4.5
    expect(at(15, row(9.5))).toBe(255); // up at x 15.5
    expect(at(20, row(14.5))).toBe(0); // not along into the gap from x 15.5
    expect(at(30, row(14.5))).toBe(0);
    expect(at(35, row(9.5))).toBe(0); // the value after the gap stands alone: no line
  });

  it('draws no dot for a value with a gap on each side, as plotly draws lines', () => {
    const at = draw([5.5, 10.5, 15.5, 20.5, 25.5], [4.5, Number.NaN, 9.5, Number.NaN, 4.5]);
    for (let c = 0; c < W; c++) for (let r = 0; r < H; r++) expect(at(c, r), `(${c}, ${r})`).toBe(0);
  });
});
