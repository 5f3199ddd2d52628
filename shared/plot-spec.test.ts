import { describe, expect, it } from 'vitest';
import { checkSpec, encode, resolveBasedOn, resolvePlot } from './plot-spec';

const dims = (spec: Record<string, number>) => Object.entries(spec).map(([name, size]) => ({ name, size }));

describe('based_on, as dantro resolves it', () => {
  const plots = {
    base: { enabled: false, kind: 'line', sel: { a: 1, b: 2 }, title: 'Base' },
    logy: { yscale: 'log', sel: { b: 3 } },
    mine: { based_on: ['base', 'logy'], variable: 'v', title: 'Mine' },
    deep: { based_on: 'mine', hue: 'seed' },
    loop1: { based_on: 'loop2', variable: 'v' },
    loop2: { based_on: 'loop3' },
    loop3: { based_on: 'loop1' },
    lost: { based_on: 'nowhere', variable: 'v' },
  };

  it('starts from the first base, lets later ones update it, and puts the own keys last', () => {
    expect(resolveBasedOn('mine', plots)).toEqual({
      kind: 'line',
      sel: { a: 1, b: 3 }, // mappings merge key by key
      title: 'Mine',
      yscale: 'log',
      variable: 'v',
    });
    const deep = resolvePlot('deep', plots);
    expect(deep).toMatchObject({ hue: 'seed', yscale: 'log', title: 'Mine', enabled: true });
    expect(resolvePlot('base', { base: { ...plots.base, variable: 'v' } }).enabled).toBe(false);
  });

  it('refuses a cycle naming the chain, and a base that does not exist naming it', () => {
    expect(() => resolvePlot('loop1', plots)).toThrow('based_on makes a cycle: loop1 → loop2 → loop3 → loop1');
    expect(() => resolvePlot('lost', plots)).toThrow(/plot 'lost' is based on 'nowhere', which is not defined/);
    expect(() => resolvePlot('none', plots)).toThrow(/no plot named 'none'/);
  });

  it('says which key is wrong', () => {
    expect(() => checkSpec({ variable: 'v', colour: 'red' })).toThrow(/unknown key 'colour'/);
    expect(() => checkSpec({ variable: 'v', kind: 'pie' })).toThrow(/kind:/);
    expect(() => checkSpec({ kind: 'line' })).toThrow(/variable/);
  });
});

describe('auto-encoding, as dantro assigns it', () => {
  const spec = (s: Record<string, unknown>) => checkSpec({ variable: 'v', ...s });

  it('draws one dim as a line and more as a heatmap, the largest dims on x and y', () => {
    expect(encode(spec({}), dims({ t: 100 }))).toMatchObject({ kind: 'line', enc: { x: 't' } });
    expect(encode(spec({}), dims({ seed: 10, t: 100 }))).toMatchObject({ kind: 'heatmap', enc: { x: 't', y: 'seed' } });
    expect(encode(spec({}), dims({ a: 3, seed: 10, t: 100 }))).toMatchObject({
      kind: 'heatmap',
      enc: { x: 't', y: 'seed', col: 'a' },
    });
  });

  it('makes a line when hue is given, and fills the rest largest first', () => {
    expect(encode(spec({ hue: 'a' }), dims({ a: 3, seed: 10, t: 100 }))).toMatchObject({
      kind: 'line',
      enc: { hue: 'a', x: 't', col: 'seed' },
      colWrap: 4, // ceil(√10): more than three columns and no row
    });
    expect(encode(spec({ hue: 'a', col_wrap: 2 }), dims({ a: 3, c: 2, t: 5 })).colWrap).toBe(2);
    expect(encode(spec({ hue: 'a', row: 'c' }), dims({ a: 3, c: 2, t: 5, d: 5 })).colWrap).toBeNull();
  });

  it('takes errorbands over the smallest dim left, and pools the rest of a histogram', () => {
    expect(encode(spec({ kind: 'errorbands' }), dims({ seed: 10, t: 100 }))).toMatchObject({
      enc: { x: 't' },
      over: 'seed',
    });
    expect(encode(spec({ kind: 'hist', hue: 'a' }), dims({ a: 2, s: 5, t: 100 }))).toEqual({
      kind: 'hist',
      enc: { hue: 'a' },
      over: null,
      pooled: ['t', 's'],
      colWrap: null,
    });
    const pooled = encode(
      spec({ kind: 'hist', hue: 'a', col: 'b', row: 'c', frames: 'd' }),
      dims({ a: 2, b: 2, c: 2, d: 2, t: 50 }),
    );
    expect(pooled.pooled).toEqual(['t']);
  });

  it('refuses a dim mapped twice, an unknown dim, a dim left over, and an encoding the kind has not', () => {
    expect(() => encode(spec({ x: 't', hue: 't' }), dims({ t: 5 }))).toThrow(/'t' is mapped twice, to x and to hue/);
    expect(() => encode(spec({ x: 'time' }), dims({ t: 5 }))).toThrow(
      /x: 'time' is not a dim of 'v' here \(its dims: t\)/,
    );
    expect(() => encode(spec({ kind: 'line' }), dims({ a: 2, b: 2, c: 2, d: 2, e: 2, f: 2 }))).toThrow(
      /too many dims for a line plot: f is left over; fix it with sel or isel, or reduce it/,
    );
    expect(() => encode(spec({ kind: 'heatmap', hue: 'a' }), dims({ a: 2, t: 3 }))).toThrow(
      /a heatmap plot has no hue/,
    );
    expect(() => encode(spec({ kind: 'heatmap' }), dims({ t: 3 }))).toThrow(/a heatmap needs two dims/);
    expect(() => encode(spec({ row: 'a', col_wrap: 2 }), dims({ a: 2, b: 3, t: 3 }))).toThrow(/col_wrap wraps/);
    expect(() => encode(spec({ kind: 'line', x: 't', over: 'a' }), dims({ a: 2, t: 3 }))).toThrow(
      /over names the dim errorbands take the mean ± std over; give kind: errorbands/,
    );
    // Every dim on an encoding (the others fixed before the shape is known): the message says how to free one.
    expect(() => encode(spec({ kind: 'errorbands', x: 't', hue: 'a' }), dims({ a: 2, t: 3 }))).toThrow(
      /errorbands need a dim to take the mean ± std over, and none is left.*Free one: in the builder, its menu's 'on a free encoding'/,
    );
  });
});
