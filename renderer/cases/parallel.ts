// The parallel coordinates of the cases table, as plotly's parcoords draws them. parcoords has no log axis:
// a column whose values span three decades or more is drawn as log10 and its ticks relabelled with the values.
// Brushing an axis gives a range, which becomes that column's filter in the table (`lo..hi`), and back.

export interface NumericColumn {
  name: string;
  kind: 'param' | 'output';
  values: (number | null)[];
}

export interface Axis {
  label: string;
  values: number[];
  log: boolean;
  tickvals?: number[];
  ticktext?: string[];
  constraintrange?: [number, number];
}

/** Log when every value is positive and the largest is at least 1000 times the smallest. */
export function wantsLog(values: (number | null)[]): boolean {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length < 2 || v.some((x) => x <= 0)) return false;
  return Math.max(...v) / Math.min(...v) >= 1000;
}

const RANGE = /^\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*\.\.\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*$/i;

/** The axes for these columns, with the range each column's filter holds drawn as a brush. */
export function axesOf(columns: NumericColumn[], filters: Record<string, string>): Axis[] {
  return columns.map((c) => {
    const log = wantsLog(c.values);
    const values = c.values.map((v) => (v === null ? NaN : log ? Math.log10(v) : v));
    const axis: Axis = { label: log ? `${c.name} (log)` : c.name, values, log };
    if (log) {
      const finite = values.filter(Number.isFinite);
      const lo = Math.floor(Math.min(...finite));
      const hi = Math.ceil(Math.max(...finite));
      axis.tickvals = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
      axis.ticktext = axis.tickvals.map((k) => (k >= 0 && k <= 4 ? String(10 ** k) : `1e${k}`));
    }
    const range = RANGE.exec(filters[c.name] ?? '');
    if (range) {
      const [lo, hi] = [Number(range[1]), Number(range[2])];
      axis.constraintrange = log ? [Math.log10(lo), Math.log10(hi)] : [lo, hi];
    }
    return axis;
  });
}

/**
 * What a brush on the axes changed, from plotly's restyle event ({'dimensions[2].constraintrange': …}), as
 * filters of the table: `lo..hi` (the union of the brushed ranges), or '' where a brush was cleared.
 */
export function filtersFromBrush(
  change: Record<string, unknown>,
  columns: NumericColumn[],
  axes: Axis[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(change)) {
    const m = /^dimensions\[(\d+)\]\.constraintrange$/.exec(key);
    const column = m ? columns[Number(m[1])] : undefined;
    if (!m || !column) continue;
    // plotly wraps the value of a restyle in an array (one per trace), and gives one range or a list of them.
    const unwrapped = Array.isArray(value) && Array.isArray(value[0]) && Array.isArray(value[0][0]) ? value[0] : value;
    const ranges = (Array.isArray(unwrapped) && Array.isArray(unwrapped[0]) ? unwrapped : [unwrapped]).filter(
      (r): r is [number, number] => Array.isArray(r) && r.length === 2,
    );
    if (ranges.length === 0) {
      out[column.name] = '';
      continue;
    }
    const log = axes[Number(m[1])]?.log ?? false;
    const show = (x: number) => String(Number((log ? 10 ** x : x).toPrecision(6)));
    out[column.name] = `${show(Math.min(...ranges.map((r) => r[0])))}..${show(Math.max(...ranges.map((r) => r[1])))}`;
  }
  return out;
}
