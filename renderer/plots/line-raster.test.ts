import { describe, expect, it } from 'vitest';
import { LinePen, rgbOf } from './line-raster';
import type { Pixels } from './line-raster';

const picture = (width = 32, height = 32): Pixels => ({
  data: new Uint8ClampedArray(width * height * 4),
  width,
  height,
});
const at = (p: Pixels, x: number, y: number) =>
  Array.from(p.data.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4));
const alphaAt = (p: Pixels, x: number, y: number) => at(p, x, y)[3]!;

describe('lines drawn into pixels', () => {
  it('draws a horizontal line through pixel centres as one full row of its colour, nothing above or below', () => {
    const p = picture();
    const pen = new LinePen(p);
    pen.colour('#1f77b4');
    pen.moveTo(2, 10.5);
    pen.lineTo(20, 10.5);
    for (let x = 2; x < 20; x++) expect(at(p, x, 10)).toEqual([...rgbOf('#1f77b4'), 255]);
    for (let x = 0; x < 32; x++) {
      expect(alphaAt(p, x, 9)).toBe(0);
      expect(alphaAt(p, x, 11)).toBe(0);
    }
    expect(alphaAt(p, 1, 10)).toBe(0);
    expect(alphaAt(p, 20, 10)).toBe(0);
  });

  it('shares a line between two rows when it runs between them (antialiased)', () => {
    const p = picture();
    const pen = new LinePen(p);
    pen.colour('#d62728');
    pen.moveTo(0, 10);
    pen.lineTo(30, 10);
    expect(alphaAt(p, 15, 9)).toBeGreaterThan(120);
    expect(alphaAt(p, 15, 9)).toBeLessThan(135);
    expect(alphaAt(p, 15, 10)).toBeGreaterThan(120);
    expect(alphaAt(p, 15, 10)).toBeLessThan(135);
  });

  it('covers each column of a diagonal about once, and draws steep lines row by row', () => {
    for (const [x0, y0, x1, y1] of [
      [1, 3, 25, 17],
      [4, 1, 12, 30],
    ] as const) {
      const p = picture();
      const pen = new LinePen(p);
      pen.colour('#000000');
      pen.moveTo(x0, y0);
      pen.lineTo(x1, y1);
      const steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
      const [from, to] = steep ? [y0 + 1, y1 - 1] : [x0 + 1, x1 - 1];
      for (let a = from; a < to; a++) {
        let sum = 0;
        for (let b = 0; b < 32; b++) sum += steep ? alphaAt(p, b, a) : alphaAt(p, a, b);
        expect(sum).toBeGreaterThan(240);
        expect(sum).toBeLessThan(270);
      }
    }
  });

  it('draws nothing outside the clip rectangle, in CSS pixels scaled to the device', () => {
    const p = picture(64, 64);
    const pen = new LinePen(p, 2);
    pen.clipTo(5, 5, 10, 10); // device pixels 10..30
    pen.colour('#2ca02c');
    pen.moveTo(0, 10.25);
    pen.lineTo(31, 10.25);
    for (let x = 0; x < 64; x++) {
      const inside = x >= 10 && x < 30;
      expect(alphaAt(p, x, 20) > 0, `x = ${x}`).toBe(inside);
    }
  });

  it('draws a wider line on a denser screen: two full rows for width 2', () => {
    const p = picture();
    const pen = new LinePen(p, 1, 2);
    pen.colour('#9467bd');
    pen.moveTo(0, 10);
    pen.lineTo(30, 10);
    expect(alphaAt(p, 15, 9)).toBe(255);
    expect(alphaAt(p, 15, 10)).toBe(255);
    expect(alphaAt(p, 15, 8)).toBe(0);
    expect(alphaAt(p, 15, 11)).toBe(0);
  });

  it('lays a later line over an earlier one, and blends where it covers a pixel in part', () => {
    const p = picture();
    const pen = new LinePen(p);
    pen.colour('#0000ff');
    pen.moveTo(0, 10.5);
    pen.lineTo(30, 10.5);
    pen.colour('#ff0000');
    pen.moveTo(0, 10.5);
    pen.lineTo(30, 10.5); // fully over: red
    pen.moveTo(0, 11);
    pen.lineTo(30, 11); // half over row 10: between red and what is under
    expect(at(p, 5, 10)[0]).toBe(255);
    expect(at(p, 5, 10)[2]).toBe(0);
    pen.colour('#0000ff');
    pen.moveTo(0, 11);
    pen.lineTo(30, 11);
    const [r, , b, a] = at(p, 5, 10);
    expect(a).toBe(255);
    expect(r).toBeGreaterThan(100);
    expect(b).toBeGreaterThan(100);
  });

  describe('column by column, for a line whose x only grows', () => {
    it('draws a horizontal line as one full row, like the segment it is', () => {
      const p = picture();
      const pen = new LinePen(p);
      pen.colour('#1f77b4');
      pen.sweep([2.5, 10.5, 19.5], [10.5, 10.5, 10.5], 3);
      for (let x = 2; x < 20; x++) expect(at(p, x, 10)).toEqual([...rgbOf('#1f77b4'), 255]);
      for (let x = 0; x < 32; x++) expect(alphaAt(p, x, 9) + alphaAt(p, x, 11)).toBe(0);
    });

    it('covers, in each column, everything between the lowest and highest point of the line there', () => {
      const p = picture(40, 64);
      const pen = new LinePen(p);
      pen.colour('#000000');
      // 100 points per column, swinging between rows 10 and 50 inside columns 5..9.
      const n = 500;
      const xs = Array.from({ length: n }, (_, i) => 5 + i / 100);
      const ys = Array.from({ length: n }, (_, i) => (i % 2 ? 10.5 : 50.5));
      pen.sweep(xs, ys, n);
      for (let x = 5; x < 10; x++) {
        for (let y = 10; y <= 50; y++) expect(alphaAt(p, x, y), `(${x}, ${y})`).toBe(255);
        expect(alphaAt(p, x, 8)).toBe(0);
        expect(alphaAt(p, x, 52)).toBe(0);
      }
      expect(alphaAt(p, 4, 30)).toBe(0);
      expect(alphaAt(p, 10, 30)).toBe(0);
    });

    it('joins points further apart than a column through every column between them', () => {
      const p = picture();
      const pen = new LinePen(p);
      pen.colour('#000000');
      pen.sweep([0, 30], [2, 28], 2); // a diagonal of slope 26/30
      for (let x = 1; x < 29; x++) {
        const y = 2 + (26 / 30) * (x + 0.5);
        expect(alphaAt(p, x, Math.floor(y)), `column ${x}`).toBeGreaterThan(100);
        expect(alphaAt(p, x, Math.floor(y) - 3)).toBe(0);
        expect(alphaAt(p, x, Math.floor(y) + 3)).toBe(0);
      }
    });

    it('breaks the line where a value is missing, and survives a step back', () => {
      const p = picture();
      const pen = new LinePen(p);
      pen.colour('#000000');
      pen.sweep([2, 8, 14, 20, 26, 25], [10.5, 10.5, Number.NaN, 10.5, 10.5, 10.5], 6);
      expect(alphaAt(p, 5, 10)).toBe(255);
      expect(alphaAt(p, 11, 10)).toBe(0); // the gap, from 8 to 20
      expect(alphaAt(p, 17, 10)).toBe(0);
      expect(alphaAt(p, 22, 10)).toBe(255);
      expect(alphaAt(p, 25, 10)).toBe(255); // the step back, from 26 to 25, drawn in a column of its own
    });

    it('walks only the columns it draws in, however far apart two points are', () => {
      const p = picture();
      const pen = new LinePen(p);
      pen.colour('#000000');
      pen.sweep([-1e12, 1e12], [-1e12, 1e12], 2); // the diagonal y = x, zoomed in 10^12 times: hours, column by column
      for (let x = 2; x < 30; x++) expect(alphaAt(p, x, x), `(${x}, ${x})`).toBeGreaterThan(100);
    });
  });
});
