import { describe, expect, it } from 'vitest';
import { adaptSpec } from './plot-adapt';
import { pagePoints, parseSize } from './plot-export';

// walk(step 3, seed 10, iteration 100), coords for step and seed.
const dims = [
  { name: 'step', size: 3, values: [0.1, 0.3, 1] },
  { name: 'seed', size: 10, values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
  { name: 'iteration', size: 100 },
];
const adapt = (spec: Record<string, unknown>, pin?: Parameters<typeof adaptSpec>[2]) =>
  adaptSpec({ variable: 'walk', ...spec }, dims, pin);

describe('a spec adapted to its kind', () => {
  it('moves a hue to a free facet for a heatmap, and takes a fixed dim back for y', () => {
    expect(adapt({ kind: 'heatmap', x: 'iteration', hue: 'step', isel: { seed: 0 } })).toEqual({
      spec: { variable: 'walk', kind: 'heatmap', x: 'iteration', col: 'step' },
      notes: ['a heatmap plot has no Lines (hue): step moved to Columns', 'seed is free again, for y'],
    });
  });

  it("lets a line's y go, a histogram's x too, and over unless errorbands", () => {
    expect(adapt({ kind: 'line', x: 'iteration', y: 'seed', col: 'step' }).notes).toEqual([
      'a line plot has no y: seed left it',
    ]);
    expect(adapt({ kind: 'hist', x: 'iteration', hue: 'step', isel: { seed: 0 } })).toEqual({
      spec: { variable: 'walk', kind: 'hist', hue: 'step', isel: { seed: 0 } },
      notes: ['a histogram has no x: each counts the values along iteration'],
    });
    expect(adapt({ kind: 'line', x: 'iteration', over: 'seed', hue: 'step' }).notes).toEqual([
      'Bands over (seed) left: only errorbands take a mean ± std over a dim',
    ]);
  });

  it('keeps the encoding just chosen when a dim is on two', () => {
    const both = { kind: 'line', x: 'step', hue: 'step', isel: { seed: 0 } };
    expect(adapt(both, { encoding: 'x', dim: 'step' }).spec).toMatchObject({ x: 'step' });
    expect(adapt(both, { encoding: 'x', dim: 'step' }).spec).not.toHaveProperty('hue');
    expect(adapt(both, { encoding: 'hue', dim: 'step' }).spec).not.toHaveProperty('x');
    // With kind auto, y chosen means a heatmap: the hue gives way to it.
    const y = adapt({ x: 'iteration', hue: 'step', y: 'seed' }, { encoding: 'y', dim: 'seed' });
    expect(y.spec).toMatchObject({ x: 'iteration', y: 'seed', col: 'step' });
  });

  it('fixes the smallest dims a kind has no room for, never the one just freed', () => {
    const crowded = adaptSpec({ variable: 'v', kind: 'line' }, [
      ...dims,
      { name: 'a', size: 2 },
      { name: 'b', size: 4 },
      { name: 'c', size: 5 },
    ]);
    expect(crowded.spec['isel']).toEqual({ a: 0 });
    expect(crowded.notes).toEqual(['a = 0: a line plot has no encoding left for it']);
    const freed = adaptSpec(
      { variable: 'v', kind: 'line', x: 'iteration', hue: 'seed', col: 'step', row: 'b', frames: 'c' },
      [...dims, { name: 'a', size: 2 }, { name: 'b', size: 4 }, { name: 'c', size: 5 }],
      { freed: 'a' },
    );
    expect(freed.spec).toMatchObject({ frames: 'c' });
    expect(freed.spec['isel']).toEqual({ a: 0 }); // nothing else could give way: a is fixed again
  });

  it('takes a dim from a facet onto x when every dim is on a facet', () => {
    const { spec, notes } = adapt({ kind: 'line', hue: 'iteration', col: 'seed', frames: 'step' });
    expect(spec).toMatchObject({ x: 'iteration', col: 'seed', frames: 'step' });
    expect(notes).toEqual(['iteration moved from Lines (hue) to x, which a line plot needs']);
  });

  it('gives a long dim no line or panel per value unless it is chosen for one', () => {
    const square = [
      { name: 'a', size: 142 },
      { name: 'b', size: 142 },
    ];
    // Back from a heatmap (b was its y): b at one value, not 142 lines.
    expect(adaptSpec({ variable: 'y', kind: 'line', x: 'a' }, square)).toEqual({
      spec: { variable: 'y', kind: 'line', x: 'a', isel: { b: 0 } },
      notes: ['b = 0: 142 lines would be too many (choose it for Lines (hue) or Frames to see them)'],
    });
    expect(
      adaptSpec({ variable: 'y', kind: 'line', x: 'a', hue: 'b' }, square, { encoding: 'hue', dim: 'b' }).notes,
    ).toEqual([]);
    expect(adaptSpec({ variable: 'y', kind: 'line', x: 'a' }, square, { freed: 'b' }).spec).not.toHaveProperty('isel');
  });

  it('drops what names a dim the variable does not have, and a frame past its dim', () => {
    expect(adapt({ kind: 'line', x: 'time', hue: 'step', frames: 'seed', frame: 12 })).toEqual({
      spec: { variable: 'walk', kind: 'line', hue: 'step', frames: 'seed', frame: 0 },
      notes: ["x left: 'walk' has no dim 'time' here"],
    });
  });
});

describe('export sizes', () => {
  it('reads presets and WxH in mm or in, in points', () => {
    expect(pagePoints(parseSize('column'))).toEqual({ width: 252.28, height: 198.43 });
    expect(pagePoints(parseSize('slide'))).toEqual({ width: 960, height: 540 });
    expect(pagePoints(parseSize('3.5 x 2.5in'))).toEqual({ width: 252, height: 180 });
    expect(pagePoints(parseSize('auto'))).toBeNull();
    for (const bad of ['a4', '0x10mm', '10x10cm', '3000x10mm', '']) expect(() => parseSize(bad)).toThrow(/give auto/);
  });
});
