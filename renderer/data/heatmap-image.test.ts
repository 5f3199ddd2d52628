import { describe, expect, it } from 'vitest';
import { viridis } from '../plots/palette';
import { cellAt, evenSteps, heatmapPixels } from './heatmap-image';

const rgbOf = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

describe("the Data tab's heatmap image", () => {
  it('takes evenly spaced numbers only', () => {
    expect(evenSteps(Float64Array.from({ length: 1024 }, (_, i) => i / 1024))).toEqual({ start: 0, step: 1 / 1024 });
    expect(evenSteps([5, 3, 1])).toEqual({ start: 5, step: -2 });
    expect(evenSteps([0, 1, 3])).toBe(null);
    expect(evenSteps(['2024-01-01T00:00:00', '2024-01-02T00:00:00'])).toBe(null);
    expect(evenSteps([1, 1])).toBe(null);
    expect(evenSteps([7])).toEqual({ start: 7, step: 1 });
  });

  it('colours each cell on viridis, the highest y at the top, a missing value transparent', () => {
    // 2 rows × 3 columns; row 0 is the lowest y, so it is the image's bottom row.
    const values = Float64Array.of(0, 5, 10, NaN, 10, 0);
    const px = heatmapPixels(values, 2, 3, 0, 10, true);
    const at = (row: number, col: number) => Array.from(px.subarray((row * 3 + col) * 4, (row * 3 + col) * 4 + 4));
    expect(at(1, 0)).toEqual([...rgbOf(viridis(0)), 255]);
    expect(at(1, 2)).toEqual([...rgbOf(viridis(1)), 255]);
    expect(at(1, 1)).toEqual([...rgbOf(viridis(128 / 255)), 255]);
    expect(at(0, 0)).toEqual([0, 0, 0, 0]);
    expect(at(0, 1)).toEqual([...rgbOf(viridis(1)), 255]);
    // y falling with the row: row 0 on top.
    expect(Array.from(heatmapPixels(values, 2, 3, 0, 10, false).subarray(0, 4))).toEqual([...rgbOf(viridis(0)), 255]);
  });

  it('finds the cell under a point, and none outside', () => {
    const xs = [0, 0.5, 1, 1.5];
    expect(cellAt(xs, 0.74)).toBe(1);
    expect(cellAt(xs, 0.76)).toBe(2);
    expect(cellAt(xs, -0.3)).toBe(null);
    expect(cellAt(xs, 1.8)).toBe(null);
  });
});
