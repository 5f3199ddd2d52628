// The parallel coordinates of the cases table, as numbers: one axis per numeric column, its domain and ticks, the
// brush a column's range filter draws, and the colour of a line. A column whose values span three decades or
// more is drawn as log10 with its ticks labelled in the values. Brushing an axis gives a range, which becomes
// that column's filter in the table (`lo..hi`, in the values, not their log), and a typed range shows as a brush.

export interface NumericColumn {
  name: string;
  kind: 'param' | 'output';
  values: (number | null)[];
}

export interface Tick {
  /** Where on the axis (in the axis's own units: log10 for a log axis). */
  at: number;
  text: string;
}

export interface Axis {
  name: string;
  label: string;
  /** The values as drawn (log10 for a log axis); NaN where a case has none. */
  values: number[];
  log: boolean;
  /** The lowest and highest value drawn (equal ends are widened, so every axis has a length). */
  domain: [number, number];
  ticks: Tick[];
  /** The range the column's filter holds, in the axis's units. */
  brush?: [number, number];
}

/** Log when every value is positive and the largest is at least 1000 times the smallest. */
export function wantsLog(values: (number | null)[]): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const x of values) {
    if (x === null || !Number.isFinite(x)) continue;
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

const RANGE = /^\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*\.\.\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*$/i;

/** The axes for these columns, with the range each column's filter holds drawn as a brush. */
export function axesOf(columns: NumericColumn[], filters: Record<string, string>): Axis[] {
  return columns.map((c) => {
    const log = wantsLog(c.values);
    const values = c.values.map((v) => (v === null || !Number.isFinite(v) ? NaN : log ? Math.log10(v) : v));
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
    const axis: Axis = { name: c.name, label: log ? `${c.name} (log)` : c.name, values, log, domain: [lo, hi], ticks };
    const range = RANGE.exec(filters[c.name] ?? '');
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (!log) axis.brush = [a, b];
      else if (a > 0 && b > 0) axis.brush = [Math.log10(a), Math.log10(b)];
    }
    return axis;
  });
}

/** The filter of the table that a brush from `a` to `b` (in the axis's units, either order) means. */
export function filterOfBrush(axis: Axis, a: number, b: number): string {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const value = (x: number) => (axis.log ? 10 ** x : x);
  return `${shortNumber(value(lo))}..${shortNumber(value(hi))}`;
}

/** Whether case i lies inside every brush (a case with no value on a brushed axis does not). */
export function insideBrushes(axes: Axis[], i: number): boolean {
  for (const a of axes) {
    if (!a.brush) continue;
    const v = a.values[i]!;
    // A little slack, so a range typed as the values shown (rounded to 6 digits) keeps its ends.
    const slack = (a.brush[1] - a.brush[0]) * 1e-9 + 1e-12;
    if (!(v >= a.brush[0] - slack && v <= a.brush[1] + slack)) return false;
  }
  return true;
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
