import { describe, expect, it } from 'vitest';
import { checkSpec } from '../../shared/plot-spec';
import type { PlotData } from '../../shared/plot-spec';
import { figureOf } from './figure';
import { triangulatedSurface } from './triangulated';

/** Points scattered by a fixed rule (no randomness: the same every run). */
function scattered(n: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    x.push(((i * 0.618034) % 1) * 2 - 1);
    y.push(((i * 0.754878) % 1) * 2 - 1);
  }
  return { x, y };
}

describe('the surface through scattered points', () => {
  it('reproduces a plane exactly inside the points and leaves the outside of their hull empty', () => {
    const { x, y } = scattered(200);
    const z = x.map((xi, i) => 2 * xi - 3 * y[i]! + 1);
    const s = triangulatedSurface(x, y, z, 50)!;
    expect(s.x.length).toBe(50);
    expect(s.z.length).toBe(2500);
    let inside = 0;
    for (let j = 0; j < 50; j++) {
      for (let i = 0; i < 50; i++) {
        const v = s.z[j * 50 + i]!;
        if (Number.isNaN(v)) continue;
        inside++;
        expect(v).toBeCloseTo(2 * s.x[i]! - 3 * s.y[j]! + 1, 9);
      }
    }
    expect(inside).toBeGreaterThan(2000); // most of the box is inside the hull
  });

  it('interpolates linearly on one triangle, and nothing past its sides', () => {
    // One right triangle: (0,0) → 0, (1,0) → 1, (0,1) → 2.
    const s = triangulatedSurface([0, 1, 0], [0, 0, 1], [0, 1, 2], 3)!;
    expect(Array.from(s.z)).toEqual([0, 0.5, 1, 1, 1.5, NaN, 2, NaN, NaN]);
  });

  it('leaves every node outside a triangle empty, whichever side it is on', () => {
    // (0,0), (2,1), (1,2), z = x + y: a 3 × 3 grid over [0, 2]² has nodes beyond each of the three sides.
    const s = triangulatedSurface([0, 2, 1], [0, 1, 2], [0, 3, 3], 3)!;
    expect(Array.from(s.z)).toEqual([0, NaN, NaN, NaN, 2, 3, NaN, 3, NaN]);
  });

  it('has no surface for fewer than three points or points on a line', () => {
    expect(triangulatedSurface([0, 1], [0, 1], [1, 2])).toBeNull();
    expect(triangulatedSurface([0, 1, 2], [0, 1, 2], [1, 2, 3])).toBeNull();
  });

  it('draws a point heatmap as that surface with the points on top', () => {
    const { x, y } = scattered(50);
    const z = x.map((xi, i) => xi * y[i]!);
    const spec = checkSpec({ variable: 'f', kind: 'heatmap', x: 'x', y: 'y' });
    const plot: PlotData = {
      spec,
      given: spec,
      kind: 'heatmap',
      source: '/data/f.nc',
      title: 'f',
      subtitle: null,
      autoSubtitle: '',
      xlabel: 'x',
      ylabel: 'y',
      zlabel: 'f',
      rows: 1,
      cols: 1,
      frames: null,
      hue: null,
      zRange: [-1, 1],
      panels: [
        {
          row: 0,
          col: 0,
          title: null,
          traces: [
            {
              name: null,
              x: { f64: Float64Array.from(x) },
              y: { f64: Float64Array.from(y) },
              z: { f64: Float64Array.from(z) },
              scattered: true,
            },
          ],
        },
      ],
      points: 50,
    };
    const { data } = figureOf(plot);
    expect(data.map((t) => [t['type'], t['mode'] ?? null])).toEqual([
      ['heatmap', null],
      ['scatter', 'markers'],
    ]);
    expect((data[0]!['z'] as Float64Array[]).length).toBe(160);
    expect((data[1]!['x'] as Float64Array).length).toBe(50);
    const contour = figureOf({ ...plot, kind: 'contour' }).data;
    expect(contour[0]!['type']).toBe('contour');
  });
});
