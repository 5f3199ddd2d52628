import { describe, expect, it } from 'vitest';
import { checkSelections, checkSpec, encode, resolveBasedOn, resolvePlot, shapeAfter, valueLabel } from './plot-spec';

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

describe('what a person is told, word for word', () => {
  const spec = (raw: Record<string, unknown>) => checkSpec({ variable: 'v', ...raw });
  const fails = (raw: Record<string, unknown>, d: Record<string, number>) => {
    try {
      encode(spec(raw), dims(d));
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('in based_on chains', () => {
    expect(() => resolvePlot('x', {})).toThrow("no plot named 'x' (plots: none)");
    expect(() => resolvePlot('x', { a: {}, b: {} })).toThrow("no plot named 'x' (plots: a, b)");
    expect(() => resolvePlot('x', { x: { based_on: 'y' } })).toThrow(
      "plot 'x' is based on 'y', which is not defined (plots: x)",
    );
    expect(() => resolvePlot('x', { x: [1] })).toThrow("plot 'x': give a mapping of plot options");
    expect(() => resolvePlot('x', { x: 'line' })).toThrow("plot 'x': give a mapping of plot options");
    expect(() => resolvePlot('x', { x: { based_on: [3], variable: 'v' } })).toThrow(
      "plot 'x': based_on names other plots",
    );
    // A mapping replaces a value that is not one, and a value replaces a mapping.
    expect(resolveBasedOn('x', { b: { sel: 1, t: { a: 1 } }, x: { based_on: 'b', sel: { a: 1 }, t: 2 } })).toEqual({
      sel: { a: 1 },
      t: 2,
    });
  });

  it('in a spec that fails validation: where, then what', () => {
    expect(() => resolvePlot('p', { p: { variable: 'v', kind: 'pie' } })).toThrow(/^plot 'p': kind: /);
    expect(() => checkSpec({ variable: 'v', colour: 1, size: 2 })).toThrow("the plot: unknown key 'colour', 'size'");
    expect(() => checkSpec({ variable: 'v', bins: 0, frame: -1 })).toThrow(/^the plot: frame: .*; bins: /);
    expect(() => checkSpec({ variable: '' })).toThrow('the plot: variable: name the variable to plot');
    expect(() => checkSpec({ variable: 'v', sel: { a: {} } })).toThrow(/^the plot: sel\.a: /);
    expect(() => checkSpec(3)).toThrow('the plot: Invalid input: expected object, received number');
  });

  it('in encodings', () => {
    expect(fails({ x: 'q' }, { t: 2 })).toBe("x: 'q' is not a dim of 'v' here (its dims: t)");
    expect(fails({ x: 'q' }, {})).toBe("x: 'q' is not a dim of 'v' here (its dims: none)");
    expect(fails({ x: 'q' }, { t: 2, s: 3 })).toBe("x: 'q' is not a dim of 'v' here (its dims: t, s)");
    expect(fails({ over: 't' }, { t: 2, s: 3 })).toBe(
      'over names the dim errorbands take the mean ± std over; give kind: errorbands, or drop it',
    );
    expect(fails({ kind: 'errorbands', over: 'q' }, { t: 2 })).toBe("over: 'q' is not a dim of 'v' here");
    expect(fails({ kind: 'errorbands', over: 't', x: 't' }, { t: 2, s: 3 })).toBe(
      "'t' is mapped twice, to x and to over",
    );
    expect(fails({ kind: 'heatmap', hue: 't' }, { t: 2, s: 3 })).toBe(
      'a heatmap plot has no hue (it has x, y, col, row, frames)',
    );
    expect(fails({ kind: 'errorbands', x: 't' }, { t: 2 })).toMatch(
      /^errorbands need a dim to take the mean ± std over, and none is left: .* sel, isel or reduce \(or name it in over\); or choose another Kind$/,
    );
    expect(fails({ kind: 'heatmap' }, { t: 2 })).toBe(
      "a heatmap needs two dims, for x and y; 'v' has 1 here: choose another Kind",
    );
    // One dim given to y (or x) and none left for the other: the same words, not a complaint about x alone.
    expect(fails({ kind: 'heatmap', y: 't' }, { t: 2 })).toBe(
      "a heatmap needs two dims, for x and y; 'v' has 1 here: choose another Kind",
    );
    expect(fails({ kind: 'heatmap', x: 't' }, { t: 2 })).toBe(
      "a heatmap needs two dims, for x and y; 'v' has 1 here: choose another Kind",
    );
    expect(fails({ kind: 'contour' }, { t: 2 })).toBe(
      "a contour needs two dims, for x and y; 'v' has 1 here: choose another Kind",
    );
    expect(fails({ kind: 'line' }, {})).toBe(
      "a line plot needs a dim along x; 'v' has none left here: choose the Kind hist, or another Variable",
    );
    expect(fails({ kind: 'line' }, { a: 6, b: 5, c: 4, d: 3, e: 2, f: 1 })).toBe(
      'too many dims for a line plot: f is left over; fix it with sel or isel, or reduce it',
    );
    expect(fails({ kind: 'line' }, { a: 7, b: 6, c: 5, d: 4, e: 3, f: 2, g: 1 })).toBe(
      'too many dims for a line plot: f, g are left over; fix them with sel or isel, or reduce them',
    );
    expect(fails({ kind: 'line', col_wrap: 2, row: 'b' }, { a: 3, b: 2 })).toBe(
      'col_wrap wraps the col facets into rows: give it or row, not both',
    );
  });

  it('in the dims auto-encoding gives out', () => {
    // auto: a line when the dims left after the facets are one, else a heatmap.
    expect(encode(spec({ col: 'c' }), dims({ t: 9, c: 2 })).kind).toBe('line');
    expect(encode(spec({ col: 'c', row: 'r', frames: 'f' }), dims({ t: 9, c: 2, r: 2, f: 2 })).kind).toBe('line');
    expect(encode(spec({}), dims({ t: 9, c: 2 })).kind).toBe('heatmap');
    // errorbands over the smallest dim left, or the one named; the named one is not given an encoding too.
    expect(encode(spec({ kind: 'errorbands' }), dims({ t: 9, s: 3, h: 5 }))).toMatchObject({
      over: 's',
      enc: { x: 't', hue: 'h' },
    });
    expect(encode(spec({ kind: 'errorbands' }), dims({ t: 9, s: 3, h: 5 })).enc).toEqual({ x: 't', hue: 'h' });
    const named = encode(spec({ kind: 'errorbands', over: 'h' }), dims({ t: 9, s: 3, h: 5 }));
    expect(named).toMatchObject({ over: 'h', enc: { x: 't', hue: 's' } });
    expect(Object.values(named.enc)).not.toContain('h');
    // With col_wrap a number, row is never filled: the cols wrap instead.
    expect(encode(spec({ kind: 'line', col_wrap: 2 }), dims({ t: 9, h: 5, c: 4 }))).toMatchObject({
      enc: { x: 't', hue: 'h', col: 'c' },
      colWrap: 2,
    });
    expect(encode(spec({ kind: 'line', col_wrap: 2 }), dims({ t: 9, h: 5, c: 4, r: 3 })).enc).toEqual({
      x: 't',
      hue: 'h',
      col: 'c',
      frames: 'r',
    });
    expect(encode(spec({ kind: 'line', col_wrap: 2 }), dims({ t: 9 })).colWrap).toBeNull();
    // auto wraps more than three cols into rows of √n, and not when there is a row.
    expect(encode(spec({ kind: 'line', col: 'c' }), dims({ t: 9, c: 3 })).colWrap).toBeNull();
    expect(encode(spec({ kind: 'line', col: 'c' }), dims({ t: 9, c: 5 })).colWrap).toBe(3);
    expect(encode(spec({ kind: 'line', col: 'c', row: 'r' }), dims({ t: 9, c: 5, r: 2 })).colWrap).toBeNull();
  });
});

describe('each', () => {
  it('takes case or a sel of cases, and says so when given anything else', () => {
    expect(checkSpec({ variable: 'w', each: 'case' }).each).toBe('case');
    expect(checkSpec({ variable: 'w', each: { sel: { seed: [0, 1], k: 2 } } }).each).toEqual({
      sel: { seed: [0, 1], k: 2 },
    });
    expect(() => checkSpec({ variable: 'w', each: { sel: { seed: [] } } })).toThrow(/each\.sel\.seed: .*>=1 items/);
    for (const each of ['all', { seed: [0] }]) {
      expect(() => checkSpec({ variable: 'w', each }, "plot 'p'")).toThrow(
        "plot 'p': each: give case (a figure per done case) or {sel: {dim: value or [values]}} (those cases)",
      );
    }
  });
});

describe('the shape a plot draws after its selections, reductions and steps', () => {
  const spec = (raw: Record<string, unknown>) => checkSpec({ variable: 'v', ...raw });
  // A variable over k (5 values), seed (10), t (100) and a dim named like an object's own property.
  const v = dims({ k: 5, seed: 10, t: 100, constructor: 3 });
  const drawn = (raw: Record<string, unknown>) => {
    const s = spec(raw);
    const shape = shapeAfter(v, s);
    return { shape: shape.map((d) => `${d.name}:${d.size}`).join(' '), ...encode(s, shape) };
  };

  it('drops each dim fixed with sel or isel, or reduced, and keeps the rest', () => {
    expect(drawn({ sel: { k: 2 } }).shape).toBe('seed:10 t:100 constructor:3');
    expect(drawn({ isel: { seed: 0 } }).shape).toBe('k:5 t:100 constructor:3');
    expect(drawn({ reduce: { constructor: 'mean' } }).shape).toBe('k:5 seed:10 t:100');
    // Fixing two and reducing the third leaves a line over t.
    expect(drawn({ sel: { k: 2 }, isel: { seed: 0 }, reduce: { constructor: 'max' } })).toMatchObject({
      shape: 't:100',
      kind: 'line',
      enc: { x: 't' },
    });
  });

  it('reduces two dims one after the other, and applies each step in order', () => {
    // Two reductions in a row: both dims are gone, not only the last one asked for.
    expect(
      drawn({ sel: { k: 2 }, transform: [{ reduce: { seed: 'mean' } }, { reduce: { constructor: 'std' } }] }),
    ).toMatchObject({ shape: 't:100', kind: 'line', enc: { x: 't' } });
    expect(drawn({ transform: [{ sel: { k: 1 } }, { isel: { constructor: -1 } }] })).toMatchObject({
      shape: 'seed:10 t:100',
      kind: 'heatmap',
      enc: { x: 't', y: 'seed' },
    });
    // diff leaves one value fewer along its dim only; log10 and normalize keep the shape.
    expect(
      drawn({ sel: { k: 2, seed: 0 }, transform: [{ diff: 't' }, { log10: true }, { normalize: 't' }] }),
    ).toMatchObject({ shape: 't:99 constructor:3', kind: 'heatmap', enc: { x: 't', y: 'constructor' } });
    // squeeze drops the dims of length 1, and only those.
    const single = dims({ one: 1, t: 100, seed: 10 });
    expect(shapeAfter(single, spec({ transform: [{ squeeze: true }] }))).toEqual(dims({ t: 100, seed: 10 }));
    expect(shapeAfter(single, spec({ transform: [{ diff: 'seed' }] }))).toEqual(dims({ one: 1, t: 100, seed: 9 }));
  });

  it("starts the builder's controls from the steps alone when asked to (own: false)", () => {
    const s = spec({ sel: { k: 2 }, isel: { seed: 0 }, reduce: { t: 'mean' }, transform: [{ reduce: { t: 'max' } }] });
    expect(shapeAfter(v, s, false)).toEqual(dims({ k: 5, seed: 10, constructor: 3 }));
    expect(shapeAfter(v, s)).toEqual(dims({ constructor: 3 }));
  });
});

describe('the dims a spec fixes or reduces, checked against the variable', () => {
  const check = (raw: Record<string, unknown>) => {
    try {
      checkSelections(checkSpec({ variable: 'v', ...raw }), 'v', ['k', 'seed', 't']);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('takes dims of the variable, each once', () => {
    expect(check({ sel: { k: 2 }, isel: { seed: -1 }, reduce: { t: 'mean' } })).toBe('no error');
    expect(check({})).toBe('no error');
  });

  it('names where an unknown dim is and the dims there are', () => {
    expect(check({ sel: { q: 1 } })).toBe("sel: 'q' is not a dim of 'v' (its dims: k, seed, t)");
    expect(check({ isel: { q: 0 } })).toBe("isel: 'q' is not a dim of 'v' (its dims: k, seed, t)");
    expect(check({ reduce: { q: 'mean' } })).toBe("reduce: 'q' is not a dim of 'v' (its dims: k, seed, t)");
  });

  it('refuses a dim both fixed and reduced, or in both sel and isel', () => {
    expect(check({ sel: { k: 1 }, reduce: { k: 'mean' } })).toBe("'k' is both selected and reduced; do one of them");
    expect(check({ isel: { k: 1 }, reduce: { k: 'min' } })).toBe("'k' is both selected and reduced; do one of them");
    expect(check({ sel: { seed: 1 }, isel: { seed: 0 } })).toBe("'seed' is in both sel and isel; give it once");
  });
});

describe('a coordinate value in a title', () => {
  it('shows numbers to 6 significant digits, and text and booleans as written', () => {
    expect(valueLabel(0.1 + 0.2)).toBe('0.3');
    expect(valueLabel(1234567)).toBe('1234570');
    expect(valueLabel(-0.000123456789)).toBe('-0.000123457');
    expect(valueLabel('a b')).toBe('a b');
    expect(valueLabel(true)).toBe('true');
  });
});

describe('a key set to null', () => {
  it('is not set: a plot takes back what its base gave it', () => {
    const plots = { base: { variable: 'v', hue: 'seed', title: 'Base' }, mine: { based_on: 'base', hue: null } };
    const mine = resolvePlot('mine', plots);
    expect(mine.hue).toBeUndefined();
    expect(mine.title).toBe('Base');
    expect(checkSpec({ variable: 'v', title: null, xlim: null }).title).toBeUndefined();
    // A plot that is null itself is not a mapping of options, with or without a base.
    expect(() => resolvePlot('x', { x: null })).toThrow("plot 'x': give a mapping of plot options");
    expect(() => checkSpec(null)).toThrow('the plot: Invalid input: expected object, received null');
  });
});
