import { describe, expect, it } from 'vitest';
import { parseColour, scaleColour } from './vector-heatmap';

// Plotly's Viridis stops, as its fullLayout holds them after drawing.
const viridis: [number, string][] = [
  [0, '#440154'],
  [0.06274509803921569, '#48186a'],
  [0.12549019607843137, '#472d7b'],
  [0.5, '#21918c'],
  [1, '#fde725'],
];

describe('colour scales as plotly applies them', () => {
  it('reads the colour forms plotly writes, and nothing else', () => {
    expect(parseColour('#440154')).toEqual([68, 1, 84]);
    expect(parseColour('#fff')).toEqual([255, 255, 255]);
    expect(parseColour('rgb(12, 34, 56)')).toEqual([12, 34, 56]);
    expect(parseColour('rgba(1,2,3,0.5)')).toEqual([1, 2, 3]);
    expect(parseColour('red')).toBe(null);
  });

  it('gives the end stops at cmin and cmax, clamps outside, and interpolates in RGB between stops', () => {
    const colour = scaleColour(viridis, -4, 4)!;
    expect(colour(-4)).toBe('rgb(68,1,84)');
    expect(colour(-100)).toBe('rgb(68,1,84)');
    expect(colour(4)).toBe('rgb(253,231,37)');
    expect(colour(0)).toBe('rgb(33,145,140)'); // the 0.5 stop
    // Halfway between the 0.5 and 1 stops.
    expect(colour(2)).toBe(
      `rgb(${Math.round((33 + 253) / 2)},${Math.round((145 + 231) / 2)},${Math.round((140 + 37) / 2)})`,
    );
    expect(scaleColour(viridis, -4, 4, true)!(-4)).toBe('rgb(253,231,37)');
  });

  it('refuses a scale it cannot read, so the caller samples plotly raster instead', () => {
    expect(
      scaleColour(
        [
          [0, 'red'],
          [1, 'blue'],
        ],
        0,
        1,
      ),
    ).toBe(null);
    expect(scaleColour(viridis, 1, 0)).toBe(null);
  });
});
