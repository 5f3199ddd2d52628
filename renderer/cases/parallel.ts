// The parallel coordinates of the cases table, as numbers: one axis per parameter and output (and the status), its
// domain and ticks, the brush a column's filter draws, and the colour of a line. A column of text is an axis of
// its categories, evenly spaced; a column of numbers spanning three decades or more is drawn as log10 with its
// ticks labelled in the values. The column filters of the table and the brushes are one filter: a brush writes its
// column's filter (`lo..hi`, in the values; `in: a, b` for the categories it spans), a filter shows as a brush, and
// a line that any filter turns away is drawn grey, as the table leaves it out.
import { inFilterOf, inListOf } from '../../shared/case-filter';

export interface LineColumn {
  name: string;
  kind: 'param' | 'output' | 'run';
  values: (number | string | null)[];
}

export interface Tick {
  /** Where on the axis (in the axis's own units: log10 for a log axis, the index for a category). */
  at: number;
  text: string;
}

export interface Axis {
  name: string;
  label: string;
  /** The categories of a text column, in their order on the axis; null for numbers. */
  categories: string[] | null;
  /** The positions drawn (log10 for a log axis, the category's index); NaN where a case has none. */
  values: number[];
  log: boolean;
  /** The lowest and highest position drawn (equal ends are widened, so every axis has a length). */
  domain: [number, number];
  ticks: Tick[];
  /** The part of the axis the column's filter keeps, in the axis's units. */
  brush?: [number, number];
}

/** The run database's statuses, in the order a run goes through them. */
const STATUS_ORDER = ['done', 'failed', 'cancelled', 'storing', 'conflict'];

/** Log when every value is positive and the largest is at least 1000 times the smallest. */
export function wantsLog(values: (number | string | null)[]): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const x of values) {
    if (typeof x !== 'number' || !Number.isFinite(x)) continue;
    if (x <= 0) return false;
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
    n++;
  }
  return n >= 2 && hi / lo >= 1000;
}

/** Short text for a tick or a filter: at most 6 significant digits, no trailing noise. */
export function shortNumber(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** About `count` round ticks between lo and hi (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

const NUMBER = String.raw`-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?`;
const RANGE = new RegExp(`^(${NUMBER})\\s*\\.\\.\\s*(${NUMBER})$`, 'i');
const COMPARISON = new RegExp(`^(<=|>=|!=|<>|=|<|>)\\s*(${NUMBER})$`, 'i');

/**
 * Whether a cell passes its column's filter, as the engine's table filter has it (SQL on the run database): a
 * range `lo..hi` (both ends kept), a comparison with a number, exact values (`in: a, b`, `= a`), or text the cell
 * contains (any case). As in SQL, an
 * empty cell passes none, and text compares above every number.
 */
export function passesFilter(value: number | string | null, filter: string): boolean {
  const t = filter.trim();
  if (t === '') return true;
  if (value === null) return false;
  const list = inListOf(t);
  if (list) return list.some((v) => v === String(value) || (typeof value === 'number' && Number(v) === value));
  const range = RANGE.exec(t);
  if (range) return typeof value === 'number' && value >= Number(range[1]) && value <= Number(range[2]);
  const m = COMPARISON.exec(t);
  if (m) {
    const x = Number(m[2]);
    const order = typeof value === 'string' ? 1 : Math.sign(value - x);
    switch (m[1]) {
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '>=':
        return order >= 0;
      case '=':
        return order === 0;
      default:
        return order !== 0;
    }
  }
  const exact = /^=\s*([\s\S]+)$/.exec(t);
  if (exact) return String(value) === exact[1]!.trim();
  const needle = t.toLowerCase();
  const text = String(value).toLowerCase();
  // SQLite writes a whole float with ".0" (2.0), JavaScript without.
  return text.includes(needle) || (Number.isInteger(value) && `${text}.0`.includes(needle));
}

/** For each line, whether every column filter keeps it (a filter on a column the lines lack is left out). */
export function insideFilters(columns: LineColumn[], filters: Record<string, string>): boolean[] {
  const count = columns[0]?.values.length ?? 0;
  const inside = new Array<boolean>(count).fill(true);
  for (const [name, text] of Object.entries(filters)) {
    const column = columns.find((c) => c.name === name);
    if (!column || text.trim() === '') continue;
    for (let i = 0; i < count; i++) if (inside[i] && !passesFilter(column.values[i] ?? null, text)) inside[i] = false;
  }
  return inside;
}

const RANK = { param: 0, output: 1, run: 2 } as const;

/** The columns that are axes: every parameter, then every output, then the status. */
export function axisColumns(columns: LineColumn[]): LineColumn[] {
  return columns
    .filter((c) => c.kind !== 'run' || c.name === '_status')
    .map((c, i) => ({ c, i }))
    .sort((a, b) => RANK[a.c.kind] - RANK[b.c.kind] || a.i - b.i)
    .map(({ c }) => c);
}

const isText = (values: (number | string | null)[]) => values.some((v) => typeof v === 'string');

function categoriesOf(column: LineColumn): string[] {
  const seen = [...new Set(column.values.filter((v) => v !== null).map(String))];
  if (column.name === '_status')
    return seen.sort((a, b) => (STATUS_ORDER.indexOf(a) + 1 || 99) - (STATUS_ORDER.indexOf(b) + 1 || 99));
  return seen.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function categoryAxis(c: LineColumn, filter: string): Axis {
  const categories = categoriesOf(c);
  const index = new Map(categories.map((k, i) => [k, i]));
  const values = c.values.map((v) => (v === null ? NaN : (index.get(String(v)) ?? NaN)));
  const axis: Axis = {
    name: c.name,
    label: c.name === '_status' ? 'status' : c.name,
    categories,
    values,
    log: false,
    domain: [-0.5, Math.max(0.5, categories.length - 0.5)],
    ticks: categories.map((text, at) => ({ at, text })),
  };
  if (filter.trim()) {
    const kept = categories.flatMap((k, i) => (passesFilter(k, filter) ? [i] : []));
    if (kept.length > 0) axis.brush = [Math.min(...kept) - 0.4, Math.max(...kept) + 0.4];
  }
  return axis;
}

function numberAxis(c: LineColumn, filter: string): Axis {
  const log = wantsLog(c.values);
  const values = c.values.map((v) => (typeof v !== 'number' || !Number.isFinite(v) ? NaN : log ? Math.log10(v) : v));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === Infinity) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const ticks: Tick[] = log
    ? Array.from({ length: Math.floor(hi) - Math.ceil(lo) + 1 }, (_, i) => Math.ceil(lo) + i).map((k) => ({
        at: k,
        text: k >= -3 && k <= 4 ? shortNumber(10 ** k) : `1e${k}`,
      }))
    : niceTicks(lo, hi).map((at) => ({ at, text: shortNumber(at) }));
  const axis: Axis = {
    name: c.name,
    label: log ? `${c.name} (log)` : c.name,
    categories: null,
    values,
    log,
    domain: [lo, hi],
    ticks,
  };
  const range = RANGE.exec(filter.trim());
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (!log) axis.brush = [a, b];
    else if (a > 0 && b > 0) axis.brush = [Math.log10(a), Math.log10(b)];
  }
  return axis;
}

/** One column's axis (or colour scale), with what its filter keeps drawn as a brush. */
export function axisOf(c: LineColumn, filter = ''): Axis {
  return isText(c.values) || c.name === '_status' ? categoryAxis(c, filter) : numberAxis(c, filter);
}

/** The axes for these columns, with what each column's filter keeps drawn as a brush. */
export function axesOf(columns: LineColumn[], filters: Record<string, string>): Axis[] {
  return axisColumns(columns).map((c) => axisOf(c, filters[c.name] ?? ''));
}

/**
 * The filter a brush from `a` to `b` (in the axis's units, either order) means: a range of the values; on a text
 * axis, the categories it spans (at least the one nearest its middle).
 */
export function filterOfBrush(axis: Axis, a: number, b: number): string {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  if (axis.categories) {
    const last = axis.categories.length - 1;
    const within = (x: number) => Math.min(last, Math.max(0, x));
    const [first, end] = [within(Math.ceil(lo)), within(Math.floor(hi))];
    const spanned = first <= end ? axis.categories.slice(first, end + 1) : [];
    const kept = spanned.length > 0 ? spanned : [axis.categories[within(Math.round((lo + hi) / 2))]!];
    return axis.categories.length === 0 ? '' : inFilterOf(kept);
  }
  const value = (x: number) => (axis.log ? 10 ** x : x);
  return `${shortNumber(value(lo))}..${shortNumber(value(hi))}`;
}

// Viridis, sampled at nine points; colours between are interpolated.
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
] as const;

/** The colour at t in [0, 1] of the viridis scale, as `rgb(r, g, b)`. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i]!, VIRIDIS[i + 1]!];
  const mix = (k: number) => Math.round(a[k]! + (b[k]! - a[k]!) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** Okabe and Ito's colour-blind-safe colours, for categories. */
const CATEGORY_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/**
 * The colour of each category: the colour-blind-safe set while it lasts, else evenly along viridis (never a colour
 * twice). The status keeps its meaning: done green, failed red.
 */
export function categoryColours(axis: Axis): string[] {
  const k = axis.categories ?? [];
  if (axis.name === '_status')
    return k.map((c) => ({ done: '#009E73', failed: '#D55E00', cancelled: '#999999' })[c] ?? '#E69F00');
  return k.length <= CATEGORY_COLOURS.length
    ? k.map((_, i) => CATEGORY_COLOURS[i]!)
    : k.map((_, i) => viridis(i / Math.max(1, k.length - 1)));
}
