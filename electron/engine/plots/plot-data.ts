// What a facet plot draws, computed here and not in the renderer: the spec's sel and isel narrow the read (only
// that region of the file is read, and only the frame shown), then reduce and the transform steps run on the
// numbers, then each free dim gets an encoding (shared/plot-spec.ts) and the array is cut into panels and traces.
import type { DatasetInfo } from '../../../shared/api';
import type { NdArray } from '../../../shared/nd';
import { applyStep, indexOfValue, isel, reduce, take, transpose } from '../../../shared/nd';
import type { Column, Encoded, Panel, PlotData, PlotSpec, Trace, TransformStep } from '../../../shared/plot-spec';
import { checkSelections, checkSpec, encode, PlotSpecError, shapeAfter, valueLabel } from '../../../shared/plot-spec';
import type { Scalar } from '../../../shared/space';
import type { Calendar } from '../../../shared/cf-time';
import { plainAxisCalendar } from '../../../shared/cf-time';
import { FurrowError } from '../errors';
import { cfDecodingOf, decodeNumbers } from '../dataset/cf';
import { describeDataset, readRegion } from '../dataset/netcdf-read';
import type { PointEncoding } from './point-plot';
import { pointEncoding, pointTrace } from './point-plot';

/** At most this many values are read for one plot (1 GiB of float64); more asks for a narrower selection. */
export const MAX_PLOT_VALUES = 2 ** 27;

export function column(values: Float64Array | number[]): Column {
  // Never backed by a SharedArrayBuffer here: the arrays come from h5wasm reads and our own computations.
  return { f64: values instanceof Float64Array ? (values as Float64Array<ArrayBuffer>) : Float64Array.from(values) };
}

/** Above this many cells a heatmap's values travel as float32 (the renderer draws it as one image: figure.ts). */
export const FLOAT32_HEATMAP_ABOVE = 250_000;

/**
 * A heatmap's values: float32 when there are many and float32 holds them (no value too large, or too small to
 * be told from zero); else float64. Half the bytes to send and to draw, and the colours are the same.
 */
export function cellsColumn(values: Float64Array): Column {
  if (values.length <= FLOAT32_HEATMAP_ABOVE) return column(values);
  for (let i = 0; i < values.length; i++) {
    const m = Math.abs(values[i]!);
    if ((m > 3.4e38 && m !== Infinity) || (m < 1.2e-38 && m !== 0)) return column(values);
  }
  return { f32: Float32Array.from(values) };
}

/**
 * A dim's coordinates as a column, made once per coordinate array: every trace and panel along that dim shares it,
 * and it crosses the wire once (shared/wire-frame.ts, and Electron's structured clone, keep shared arrays shared).
 */
const coordColumns = new WeakMap<Scalar[], Column>();
function coordColumn(coords: Scalar[]): Column {
  let c = coordColumns.get(coords);
  if (!c) {
    c = coords.every((v) => typeof v === 'number') ? column(coords as number[]) : coords.map((v) => v);
    coordColumns.set(coords, c);
  }
  return c;
}

const label = valueLabel;

/** The dims a list of steps touches; `true` where a step works on every dim at once. */
function touched(steps: TransformStep[]): Set<string> | true {
  const dims = new Set<string>();
  for (const s of steps) {
    if ('sel' in s) Object.keys(s.sel).forEach((d) => dims.add(d));
    else if ('isel' in s) Object.keys(s.isel).forEach((d) => dims.add(d));
    else if ('reduce' in s) Object.keys(s.reduce).forEach((d) => dims.add(d));
    else if ('diff' in s) dims.add(s.diff);
    else if ('normalize' in s) {
      if (s.normalize === true) return true;
      dims.add(s.normalize);
    } else if ('squeeze' in s) return true;
  }
  return dims;
}

type Variable = DatasetInfo['variables'][number];

/** Find the variable and check that every dim the spec names is one of its dims. */
function variableOf(info: DatasetInfo, spec: PlotSpec): Variable {
  const v = info.variables.find((c) => c.name === spec.variable);
  if (!v) {
    const names = info.variables.map((c) => c.name).join(', ') || 'none';
    throw new PlotSpecError(`variable '${spec.variable}' is not in ${info.path} (its variables: ${names})`);
  }
  if (v.dtype === 'string') throw new PlotSpecError(`'${v.name}' holds text; a plot draws numbers`);
  checkSelections(spec, v.name, v.dims);
  return v;
}

/** Read what the spec needs of a variable: its region, one frame, fixed dims dropped, missing values as NaN. */
async function readNeeded(file: string, info: DatasetInfo, v: Variable, spec: PlotSpec, frame: string | null) {
  const coordsOf = (name: string, size: number): Scalar[] =>
    info.dims.find((d) => d.name === name)?.values ?? Array.from({ length: size }, (_, i) => i);
  const fixed = new Map<string, number>();
  for (const [d, value] of Object.entries(spec.sel)) {
    fixed.set(d, indexOfValue(coordsOf(d, v.shape[v.dims.indexOf(d)]!), value, d));
  }
  for (const [d, index] of Object.entries(spec.isel)) {
    const n = v.shape[v.dims.indexOf(d)]!;
    const at = index < 0 ? n + index : index;
    if (at < 0 || at >= n) throw new PlotSpecError(`isel: index ${index} is outside '${d}' (length ${n})`);
    fixed.set(d, at);
  }
  const frameIndex = frame === null ? null : (spec.frame ?? 0);
  if (frame !== null && frameIndex !== null) {
    const n = v.shape[v.dims.indexOf(frame)]!;
    if (frameIndex >= n) throw new PlotSpecError(`frame ${frameIndex} is past the end of '${frame}' (length ${n})`);
  }
  const ranges = v.dims.map((d, axis): [number, number] => {
    const at = fixed.get(d) ?? (d === frame ? frameIndex : null);
    return at === null || at === undefined ? [0, v.shape[axis]!] : [at, at + 1];
  });
  const count = ranges.reduce((n, [a, b]) => n * (b - a), 1);
  if (count > MAX_PLOT_VALUES) {
    throw new PlotSpecError(
      `this plot would read ${count.toLocaleString('en')} values of '${v.name}'; ` +
        `fix more of its dims with sel or isel (at most ${MAX_PLOT_VALUES.toLocaleString('en')})`,
    );
  }
  const raw = v.shape.length === 0 ? await readRegion(file, v.name, []) : await readRegion(file, v.name, ranges);
  // Missing values as NaN: a bool's -1; a number's _FillValue and missing_value, then scaled (CF, as xarray).
  // Plain loops: a typed array's `from` with a mapping function goes through its iterator, several times slower.
  let data: Float64Array;
  if (v.dtype === 'bool') {
    const bools = raw as Int8Array;
    data = new Float64Array(bools.length);
    for (let i = 0; i < bools.length; i++) data[i] = bools[i]! < 0 ? NaN : bools[i]!;
  } else {
    const cf = cfDecodingOf(v.attrs, v.dtype);
    data = !cf && raw instanceof Float64Array ? raw : decodeNumbers(raw as ArrayLike<number>, cf);
  }
  let a: NdArray = {
    dims: v.dims,
    shape: ranges.map(([lo, hi]) => hi - lo),
    coords: v.dims.map((d, axis) => coordsOf(d, v.shape[axis]!).slice(ranges[axis]![0], ranges[axis]![1])),
    data,
  };
  // A fixed dim is read at one index: drop it.
  for (const d of fixed.keys()) a = isel(a, d, 0);
  return {
    array: a,
    frameIndex,
    frameCoords: frame === null ? null : coordsOf(frame, v.shape[v.dims.indexOf(frame)]!),
  };
}

/** A dim's or variable's attributes: its coordinate variable's for a dim. */
function attrsOf(info: DatasetInfo, name: string): Record<string, unknown> {
  return info.dims.find((d) => d.name === name)?.attrs ?? info.variables.find((v) => v.name === name)?.attrs ?? {};
}

/** An axis label as xarray writes it: the long_name (else the name), and the units in brackets. */
function axisLabel(info: DatasetInfo, name: string): string {
  const attrs = attrsOf(info, name);
  const long = typeof attrs['long_name'] === 'string' ? attrs['long_name'] : name;
  return typeof attrs['units'] === 'string' ? `${long} [${attrs['units']}]` : long;
}

/** A dim at one value, as facet titles, legends and the subtitle say it: "Step size = 0.3 m" (else "k = 9"). */
function dimAt(info: DatasetInfo, name: string, value: Scalar): string {
  const attrs = attrsOf(info, name);
  const long = typeof attrs['long_name'] === 'string' ? attrs['long_name'] : name;
  return `${long} = ${label(value)}${typeof attrs['units'] === 'string' ? ` ${attrs['units']}` : ''}`;
}

/**
 * What a figure shows but its axes do not: each fixed selection, the frame shown, each reduction and transform
 * step, and errorbands' mean ± std, in the variable's dim order ("k = 9 · j = 7 · mean over seed").
 */
function subtitleOf(info: DatasetInfo, v: Variable, spec: PlotSpec, e: Encoded, frame: Scalar | null): string {
  const coordOf = (d: string, i: number): Scalar => {
    const n = v.shape[v.dims.indexOf(d)] ?? 0;
    return info.dims.find((o) => o.name === d)?.values?.[i < 0 ? n + i : i] ?? (i < 0 ? n + i : i);
  };
  const parts: string[] = [];
  for (const d of v.dims) {
    if (Object.hasOwn(spec.sel, d)) parts.push(dimAt(info, d, spec.sel[d]!));
    else if (Object.hasOwn(spec.isel, d)) parts.push(dimAt(info, d, coordOf(d, spec.isel[d]!)));
    else if (d === e.enc.frames && frame !== null) parts.push(dimAt(info, d, frame));
  }
  for (const [d, op] of Object.entries(spec.reduce)) parts.push(`${op} over ${d}`);
  for (const s of spec.transform) {
    if ('sel' in s) for (const [d, value] of Object.entries(s.sel)) parts.push(dimAt(info, d, value));
    else if ('isel' in s) for (const [d, i] of Object.entries(s.isel)) parts.push(dimAt(info, d, coordOf(d, i)));
    else if ('reduce' in s) for (const [d, op] of Object.entries(s.reduce)) parts.push(`${op} over ${d}`);
    else if ('log10' in s) parts.push('log10');
    else if ('normalize' in s) parts.push(s.normalize === true ? 'normalized' : `normalized along ${s.normalize}`);
    else if ('diff' in s) parts.push(`differences along ${s.diff}`);
  }
  if (e.over) parts.push(`mean ± std over ${e.over}`);
  return parts.join(' · ');
}

/** Equal-width bins over [lo, hi]: the centres and the count in each (NaN and ±Infinity are not counted). */
function histogram(values: Float64Array, lo: number, hi: number, bins: number): { x: number[]; y: number[] } {
  const width = hi > lo ? (hi - lo) / bins : 1;
  const y = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    y[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  }
  return { x: y.map((_, i) => lo + (i + 0.5) * width), y };
}

function finiteRange(data: Float64Array): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  // An indexed loop: a typed array's iterator is several times slower on 10^6 values. NaN fails both tests.
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (x < lo && x !== -Infinity) lo = x;
    if (x > hi && x !== Infinity) hi = x;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The traces of one panel's array (its facet dims already fixed). */
function tracesOf(
  a: NdArray,
  e: Encoded,
  hist: { lo: number; hi: number; bins: number },
  named: (dim: string, v: Scalar) => string,
): Trace[] {
  const { enc, kind } = e;
  const coordsOf = (d: string) => a.coords[a.dims.indexOf(d)]!;
  const hueValues = enc.hue ? coordsOf(enc.hue) : [null];
  const byHue = (i: number): NdArray => (enc.hue ? isel(a, enc.hue, i) : a);
  const name = (v: Scalar | null) => (v === null || !enc.hue ? null : named(enc.hue, v));
  const hueOf = (v: Scalar | null) => (typeof v === 'number' ? { hueValue: v } : {});
  if (kind === 'heatmap' || kind === 'contour') {
    const t = transpose(a, [enc.y!, enc.x!]);
    return [{ name: null, x: coordColumn(coordsOf(enc.x!)), y: coordColumn(coordsOf(enc.y!)), z: cellsColumn(t.data) }];
  }
  if (kind === 'hist') {
    return hueValues.map((v, i) => {
      const { x, y } = histogram(byHue(i).data, hist.lo, hist.hi, hist.bins);
      return { name: name(v), ...hueOf(v), x: column(x), y: column(y) };
    });
  }
  return hueValues.map((v, i) => {
    let line = byHue(i);
    if (kind === 'errorbands') {
      const mean = reduce(line, e.over!, 'mean');
      const std = reduce(line, e.over!, 'std');
      return {
        name: name(v),
        ...hueOf(v),
        x: coordColumn(coordsOf(enc.x!)),
        y: column(mean.data),
        lower: column(mean.data.map((m, k) => m - std.data[k]!)),
        upper: column(mean.data.map((m, k) => m + std.data[k]!)),
      };
    }
    line = transpose(line, [enc.x!]);
    return { name: name(v), ...hueOf(v), x: coordColumn(coordsOf(enc.x!)), y: column(line.data) };
  });
}

/** The dim on hue, for the legend or the colour scale: its label, its count, and its range where numeric. */
function hueInfo(info: DatasetInfo, a: NdArray, hue: string | undefined): PlotData['hue'] {
  if (hue === undefined) return null;
  const values = a.coords[a.dims.indexOf(hue)] ?? [];
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const range: [number, number] | null =
    numbers.length === values.length && numbers.length > 0
      ? [numbers.reduce((x, y) => Math.min(x, y)), numbers.reduce((x, y) => Math.max(x, y))]
      : null;
  return { label: axisLabel(info, hue), count: values.length, range };
}

/**
 * Compute what a facet plot draws from a checked spec and the file its variable is in. Errors are PlotSpecErrors
 * that say what to change, never a blank plot.
 */
export async function plotData(file: string, spec: PlotSpec): Promise<PlotData> {
  const info = await describeDataset(file, { decode: true });
  const v = variableOf(info, spec);
  const against = pointEncoding(info, v, spec);
  if (against) return pointPlotData(file, info, v, spec, against);
  const dims = v.dims.map((name, axis) => ({ name, size: v.shape[axis]! }));
  for (const s of spec.transform) {
    const names = 'sel' in s ? s.sel : 'isel' in s ? s.isel : 'reduce' in s ? s.reduce : null;
    const missing = names ? Object.keys(names).find((d) => !v.dims.includes(d)) : undefined;
    if (missing)
      throw new PlotSpecError(`transform: '${missing}' is not a dim of '${v.name}' (its dims: ${v.dims.join(', ')})`);
  }
  const encoded = encode(spec, shapeAfter(dims, spec));
  const { enc } = encoded;
  const steps = touched(spec.transform);
  // Read only the frame shown, where no step needs the others.
  const frameDim = enc.frames !== undefined && steps !== true && !steps.has(enc.frames) ? enc.frames : null;
  const read = await readNeeded(file, info, v, spec, frameDim);
  let a = read.array;
  for (const [d, op] of Object.entries(spec.reduce)) a = reduce(a, d, op);
  for (const step of spec.transform) a = applyStep(a, step);
  let frames: PlotData['frames'] = null;
  if (enc.frames !== undefined) {
    const coords = read.frameCoords ?? a.coords[a.dims.indexOf(enc.frames)]!;
    const index = spec.frame ?? 0;
    if (index >= coords.length) {
      throw new PlotSpecError(`frame ${index} is past the end of '${enc.frames}' (length ${coords.length})`);
    }
    frames = { dim: enc.frames, labels: coords.map(label), index };
    if (frameDim === null) a = take(a, enc.frames, [index]);
    a = isel(a, enc.frames, 0);
  }
  if (encoded.pooled.length) {
    // hist: the pooled dims become one long dim of samples.
    const keep = a.dims.filter((d) => !encoded.pooled.includes(d));
    a = transpose(a, [...keep, ...encoded.pooled]);
    const n = encoded.pooled.reduce((s, d) => s * a.shape[a.dims.indexOf(d)]!, 1);
    a = {
      dims: [...keep, '_sample'],
      shape: [...keep.map((d) => a.shape[a.dims.indexOf(d)]!), n],
      coords: [...keep.map((d) => a.coords[a.dims.indexOf(d)]!), []],
      data: a.data,
    };
  }

  const colValues = enc.col ? a.coords[a.dims.indexOf(enc.col)]! : [null];
  const rowValues = enc.row ? a.coords[a.dims.indexOf(enc.row)]! : [null];
  const wrap = encoded.colWrap;
  const cols = wrap ?? colValues.length;
  const rows = wrap ? Math.ceil(colValues.length / wrap) : rowValues.length;
  const range = finiteRange(a.data);
  const hist = { lo: range?.[0] ?? 0, hi: range?.[1] ?? 1, bins: spec.bins ?? 30 };
  const panels: Panel[] = [];
  let points = 0;
  rowValues.forEach((rv, r) => {
    colValues.forEach((cv, c) => {
      let part = a;
      if (enc.row) part = isel(part, enc.row, r);
      if (enc.col) part = isel(part, enc.col, c);
      const title = [enc.row ? dimAt(info, enc.row, rv!) : null, enc.col ? dimAt(info, enc.col, cv!) : null]
        .filter(Boolean)
        .join(', ');
      const traces = tracesOf(part, encoded, hist, (d, value) => dimAt(info, d, value));
      points += part.data.length;
      panels.push({
        row: wrap ? Math.floor(c / wrap) : r,
        col: wrap ? c % wrap : c,
        title: title || null,
        traces,
      });
    });
  });

  const filled: PlotSpec = { ...spec, kind: encoded.kind, ...enc };
  if (encoded.over) filled.over = encoded.over;
  const heat = encoded.kind === 'heatmap' || encoded.kind === 'contour';
  const valueLabel = axisLabel(info, v.name);
  const calendars = axisCalendars(info, encoded.kind === 'hist' ? [] : heat ? [enc.x!, enc.y!] : [enc.x!]);
  const autoSubtitle = subtitleOf(
    info,
    v,
    spec,
    encoded,
    frames ? ((read.frameCoords ?? [])[frames.index] ?? null) : null,
  );
  return {
    spec: filled,
    given: spec,
    kind: encoded.kind,
    source: file,
    title: spec.title ?? v.name,
    subtitle: spec.subtitle === false ? null : spec.subtitle || autoSubtitle || null,
    autoSubtitle,
    xlabel: spec.xlabel ?? (encoded.kind === 'hist' ? valueLabel : axisLabel(info, enc.x!)),
    ylabel: spec.ylabel ?? (heat ? axisLabel(info, enc.y!) : encoded.kind === 'hist' ? 'count' : valueLabel),
    zlabel: heat ? valueLabel : null,
    rows,
    cols,
    frames,
    hue: hueInfo(info, a, enc.hue),
    zRange: heat ? (spec.zlim ?? range) : null,
    panels,
    points,
    ...(calendars ? { calendars } : {}),
  };
}

/**
 * A plot of a point dataset: the variable against a coordinate on its dim (or two, a heatmap or contour), every
 * other dim fixed or reduced. (point-plot.ts says which kinds and encodings.)
 */
async function pointPlotData(
  file: string,
  info: DatasetInfo,
  v: Variable,
  spec: PlotSpec,
  p: PointEncoding,
): Promise<PlotData> {
  let a = (await readNeeded(file, info, v, spec, null)).array;
  for (const [d, op] of Object.entries(spec.reduce)) a = reduce(a, d, op);
  for (const step of spec.transform) a = applyStep(a, step);
  const left = a.dims.filter((d) => d !== p.dim);
  if (!a.dims.includes(p.dim)) {
    throw new PlotSpecError(`x is a coordinate on ${p.dim}: free ${p.dim} (it is fixed or reduced here)`);
  }
  if (left.length) {
    throw new PlotSpecError(
      `'${v.name}' has ${left.join(', ')} besides ${p.dim}: fix ${left.length === 1 ? 'it' : 'them'} at a value, or reduce ${left.length === 1 ? 'it' : 'them'}`,
    );
  }
  const valuesOf = async (name: string) => {
    const c = info.variables.find((o) => o.name === name)!;
    return (await readNeeded(file, info, c, checkSpec({ variable: name }), null)).array.data;
  };
  const x = await valuesOf(p.x.name);
  const y = p.y ? await valuesOf(p.y.name) : null;
  if (x.length !== a.data.length) {
    throw new PlotSpecError(
      `the transform steps change the length of ${p.dim}; drop them to plot against '${p.x.name}'`,
    );
  }
  const trace = pointTrace(p.kind, x, y, a.data);
  const heat = p.y !== null;
  const filled: PlotSpec = { ...spec, kind: p.kind, x: p.x.name, ...(p.y ? { y: p.y.name } : {}) };
  const encoded: Encoded = { kind: p.kind, enc: {}, over: null, pooled: [], colWrap: null };
  const autoSubtitle = subtitleOf(info, v, spec, encoded, null);
  const drawn = heat ? (trace.z as { f64: Float64Array }).f64 : (trace.y as { f64: Float64Array }).f64;
  const valueLabel = axisLabel(info, v.name);
  return {
    spec: filled,
    given: spec,
    kind: p.kind,
    source: file,
    title: spec.title ?? v.name,
    subtitle: spec.subtitle === false ? null : spec.subtitle || autoSubtitle || null,
    autoSubtitle,
    xlabel: spec.xlabel ?? axisLabel(info, p.x.name),
    ylabel: spec.ylabel ?? (p.y ? axisLabel(info, p.y.name) : valueLabel),
    zlabel: heat ? valueLabel : null,
    rows: 1,
    cols: 1,
    frames: null,
    hue: null,
    zRange: heat ? (spec.zlim ?? finiteRange(drawn)) : null,
    panels: [{ row: 0, col: 0, title: null, traces: [trace] }],
    points: drawn.length,
  };
}

/** The calendars of the axes [x, y] whose dims are dates that plotly's date axis cannot place; null for none. */
function axisCalendars(info: DatasetInfo, dims: string[]): { x?: Calendar; y?: Calendar } | null {
  const out: { x?: Calendar; y?: Calendar } = {};
  dims.forEach((d, i) => {
    const cal = plainAxisCalendar(cfDecodingOf(attrsOf(info, d))?.time?.calendar);
    if (cal) out[i === 0 ? 'x' : 'y'] = cal;
  });
  return Object.keys(out).length ? out : null;
}

/** A plot error as the engine's API reports bad input. */
export function plotError(error: unknown): never {
  if (error instanceof PlotSpecError) throw new FurrowError('bad-input', error.message);
  throw error;
}
