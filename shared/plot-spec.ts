// Facet plots as data: the spec a person writes (in plots.yaml or with the builder), how `based_on` chains
// resolve (as dantro's), and how free dims get encodings (as dantro's auto-encoding). Pure: the engine uses it to
// compute what to draw, the renderer to build and check specs, `furrow export` to render them headless.
import { z } from 'zod';
import { CALENDARS } from './cf-time';
import { scalarSchema } from './space';
import type { Scalar } from './space';

export const PLOT_KINDS = ['auto', 'line', 'scatter', 'step', 'heatmap', 'contour', 'hist', 'errorbands'] as const;
export type PlotKind = Exclude<(typeof PLOT_KINDS)[number], 'auto'>;
export const REDUCERS = ['mean', 'median', 'min', 'max', 'std', 'sum'] as const;
export type Reducer = (typeof REDUCERS)[number];
export const ENCODINGS = ['x', 'y', 'hue', 'col', 'row', 'frames'] as const;
export type Encoding = (typeof ENCODINGS)[number];

const dim = z.string().min(1);

/** One step of `transform`, applied in order after the spec's own sel and isel. */
export const transformStepSchema = z.union([
  z.object({ sel: z.record(z.string(), scalarSchema) }).strict(),
  z.object({ isel: z.record(z.string(), z.number().int()) }).strict(),
  z.object({ reduce: z.record(z.string(), z.enum(REDUCERS)) }).strict(),
  /** Drop every dim of length 1. */
  z.object({ squeeze: z.literal(true) }).strict(),
  z.object({ log10: z.literal(true) }).strict(),
  /** Scale to [0, 1]: over everything (true) or along one dim. */
  z.object({ normalize: z.union([z.literal(true), dim]) }).strict(),
  /** Differences of neighbours along a dim (one fewer value; each at the later coord). */
  z.object({ diff: dim }).strict(),
]);
export type TransformStep = z.infer<typeof transformStepSchema>;

const limits = z.tuple([z.number(), z.number()]);
/** An axis's limits; either may be null (YAML's ~), which that end takes from the data (dantro's set_limits). */
const axisLimits = z.tuple([z.number().nullable(), z.number().nullable()]);

/** A facet plot, as plots.yaml holds it after its `based_on` chain is resolved. */
export const plotSpecSchema = z
  .object({
    /** Where the variable is: the study's dataset (default), an HDF5/NetCDF file's path, or a multiverse path. */
    source: z.string().min(1).optional(),
    variable: z.string().min(1, 'name the variable to plot'),
    kind: z.enum(PLOT_KINDS).default('auto'),
    /**
     * The dim along x (and y). Of a point dataset, a coordinate on its dim instead (a learned parameter on `point`):
     * the values are drawn against it, a line sorted along it; x and y both coordinates: a triangulated heatmap.
     */
    x: dim.optional(),
    y: dim.optional(),
    hue: dim.optional(),
    col: dim.optional(),
    row: dim.optional(),
    /** Wrap the col facets into rows of this many; auto (the default): ceil(√n) for more than 3, without row. */
    col_wrap: z.union([z.literal('auto'), z.number().int().positive()]).optional(),
    frames: dim.optional(),
    /** Which frame to show (an index along `frames`); a slider in the app. */
    frame: z.number().int().nonnegative().optional(),
    /** errorbands: the dim the mean ± std is taken over (default: the smallest dim left). */
    over: dim.optional(),
    /** hist: the number of bins. */
    bins: z.number().int().positive().max(10_000).optional(),
    sel: z.record(z.string(), scalarSchema).default({}),
    isel: z.record(z.string(), z.number().int()).default({}),
    reduce: z.record(z.string(), z.enum(REDUCERS)).default({}),
    transform: z.array(transformStepSchema).default([]),
    title: z.string().optional(),
    /** Under the title: what is fixed or reduced ("k = 9 · mean over seed") when not given; false: none. */
    subtitle: z.union([z.string(), z.literal(false)]).optional(),
    xlabel: z.string().optional(),
    ylabel: z.string().optional(),
    xlim: axisLimits.optional(),
    ylim: axisLimits.optional(),
    xscale: z.enum(['linear', 'log']).optional(),
    yscale: z.enum(['linear', 'log']).optional(),
    legend: z.enum(['right', 'top', 'bottom', 'none']).optional(),
    sharex: z.boolean().default(true),
    sharey: z.boolean().default(true),
    /** The colour scale of heatmaps and contours (a plotly name such as Viridis), and its limits. */
    colorscale: z.string().optional(),
    zlim: limits.optional(),
    /**
     * `case`: a figure per done case (dantro's universe plots), its parameter dims fixed at the case's values,
     * exported as <plot>/<pset_id>; the plot's own sel, or each.sel (a value or a list per dim), chooses cases.
     */
    each: z
      .union(
        [
          z.literal('case'),
          z.object({ sel: z.record(z.string(), z.union([scalarSchema, z.array(scalarSchema).min(1)])) }).strict(),
        ],
        { error: 'give case (a figure per done case) or {sel: {dim: value or [values]}} (those cases)' },
      )
      .optional(),
    /** false: a base for others to build on, not plotted by "export all". */
    enabled: z.boolean().default(true),
  })
  .strict();
export type PlotSpec = z.output<typeof plotSpecSchema>;
export type PlotSpecInput = z.input<typeof plotSpecSchema>;

export class PlotSpecError extends Error {}

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** dantro's recursive update: mappings merge key by key, anything else (lists too) is replaced. */
export function recursiveUpdate(base: Raw, update: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(update)) {
    const prior = out[key];
    out[key] = isRecord(prior) && isRecord(value) ? recursiveUpdate(prior, value) : value;
  }
  return out;
}

/**
 * One plot's raw config with its `based_on` chain resolved: the first base is the start, each later one updates
 * it, the plot's own keys come last; bases may have bases. A cycle or a missing base is refused, naming the chain.
 */
export function resolveBasedOn(name: string, plots: Record<string, unknown>, chain: string[] = []): Raw {
  if (chain.includes(name)) {
    throw new PlotSpecError(`based_on makes a cycle: ${[...chain, name].join(' → ')}`);
  }
  const raw = plots[name];
  if (raw === undefined) {
    const from = chain.at(-1);
    const known = Object.keys(plots).join(', ') || 'none';
    throw new PlotSpecError(
      from
        ? `plot '${from}' is based on '${name}', which is not defined (plots: ${known})`
        : `no plot named '${name}' (plots: ${known})`,
    );
  }
  if (!isRecord(raw)) throw new PlotSpecError(`plot '${name}': give a mapping of plot options`);
  const { based_on: basedOn, ...own } = raw;
  const bases = basedOn === undefined ? [] : Array.isArray(basedOn) ? basedOn : [basedOn];
  let out: Raw = {};
  for (const base of bases) {
    if (typeof base !== 'string') throw new PlotSpecError(`plot '${name}': based_on names other plots`);
    // A base that says enabled: false is still a base; the plot built on it is enabled unless it says otherwise.
    const { enabled: _enabled, ...resolved } = resolveBasedOn(base, plots, [...chain, name]);
    out = recursiveUpdate(out, resolved);
  }
  return recursiveUpdate(out, own);
}

/** A zod issue as a person reads it: where, then what. */
function issueText(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return `${where}unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${where}${issue.message}`;
}

/** A plot's spec, checked: its based_on chain resolved and validated. */
export function resolvePlot(name: string, plots: Record<string, unknown>): PlotSpec {
  const raw = resolveBasedOn(name, plots);
  return checkSpec(raw, `plot '${name}'`);
}

/** Validate a raw spec; errors say where in it and what to do. */
export function checkSpec(raw: unknown, what = 'the plot'): PlotSpec {
  // A key set to null (YAML's ~) is not set: a plot takes back what its base gave it.
  const given = isRecord(raw) ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)) : raw;
  const parsed = plotSpecSchema.safeParse(given);
  if (!parsed.success) throw new PlotSpecError(`${what}: ${parsed.error.issues.map(issueText).join('; ')}`);
  return parsed.data;
}

/** The encodings each kind fills, in the order free dims are given to them. */
export const KIND_ENCODINGS: Record<PlotKind, Encoding[]> = {
  line: ['x', 'hue', 'col', 'row', 'frames'],
  scatter: ['x', 'hue', 'col', 'row', 'frames'],
  step: ['x', 'hue', 'col', 'row', 'frames'],
  errorbands: ['x', 'hue', 'col', 'row', 'frames'],
  heatmap: ['x', 'y', 'col', 'row', 'frames'],
  contour: ['x', 'y', 'col', 'row', 'frames'],
  hist: ['hue', 'col', 'row', 'frames'],
};

/** The builder's name for each encoding: an error or a note about one names the control a person sees. */
export const ENCODING_LABELS: Record<Encoding, string> = {
  x: 'x',
  y: 'y',
  hue: 'Lines (hue)',
  col: 'Columns',
  row: 'Rows',
  frames: 'Frames',
};

/**
 * The kind drawn: the one given, or for `auto` a line for one dim (or when hue is given) and a heatmap for more.
 * `count` is the number of dims left after the selections and reductions.
 */
export function kindOf(kind: PlotKind | 'auto', given: Partial<Record<Encoding, unknown>>, count: number): PlotKind {
  if (kind !== 'auto') return kind;
  if (given.hue !== undefined) return 'line';
  const faceted = [given.col, given.row, given.frames].filter((d) => d !== undefined).length;
  return count - faceted <= 1 ? 'line' : 'heatmap';
}

/** A coordinate value as a title shows it: numbers to 6 significant digits. */
export const valueLabel = (v: Scalar): string => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));

/**
 * The dims and lengths a variable has after a spec's selections, reductions and transform steps (no values read).
 * `own: false` applies only the transform steps (what the builder's controls start from).
 */
export function shapeAfter(
  dims: { name: string; size: number }[],
  spec: Pick<PlotSpec, 'sel' | 'isel' | 'reduce' | 'transform'>,
  own = true,
): { name: string; size: number }[] {
  // Own keys only: a dim may be named `constructor` or `toString`.
  const has = Object.hasOwn;
  let out = own
    ? dims.filter((d) => !has(spec.sel, d.name) && !has(spec.isel, d.name) && !has(spec.reduce, d.name))
    : dims;
  for (const s of spec.transform) {
    if ('sel' in s) out = out.filter((d) => !has(s.sel, d.name));
    else if ('isel' in s) out = out.filter((d) => !has(s.isel, d.name));
    else if ('reduce' in s) out = out.filter((d) => !has(s.reduce, d.name));
    else if ('squeeze' in s) out = out.filter((d) => d.size !== 1);
    else if ('diff' in s) out = out.map((d) => (d.name === s.diff ? { ...d, size: d.size - 1 } : d));
  }
  return out;
}

/** Check that every dim the spec fixes or reduces is one of the variable's, and each once. */
export function checkSelections(spec: PlotSpec, variable: string, dims: string[]): void {
  const named: [string, string][] = [
    ...Object.keys(spec.sel).map((d): [string, string] => ['sel', d]),
    ...Object.keys(spec.isel).map((d): [string, string] => ['isel', d]),
    ...Object.keys(spec.reduce).map((d): [string, string] => ['reduce', d]),
  ];
  for (const [where, d] of named) {
    if (!dims.includes(d)) {
      throw new PlotSpecError(`${where}: '${d}' is not a dim of '${variable}' (its dims: ${dims.join(', ')})`);
    }
  }
  const twice = Object.keys(spec.reduce).find((d) => Object.hasOwn(spec.sel, d) || Object.hasOwn(spec.isel, d));
  if (twice) throw new PlotSpecError(`'${twice}' is both selected and reduced; do one of them`);
  const both = Object.keys(spec.sel).find((d) => Object.hasOwn(spec.isel, d));
  if (both) throw new PlotSpecError(`'${both}' is in both sel and isel; give it once`);
}

export interface Encoded {
  kind: PlotKind;
  /** The dim each used encoding shows. */
  enc: Partial<Record<Encoding, string>>;
  /** errorbands: the dim reduced to mean ± std. */
  over: string | null;
  /** hist: the dims pooled into each histogram. */
  pooled: string[];
  /** Columns per row when the col facets wrap, else null. */
  colWrap: number | null;
}

/**
 * Give each free dim an encoding, as dantro does: `kind: auto` is a line for one dim (or when hue is given) and a
 * heatmap for more; the dims no encoding names go, largest first, to the kind's encodings not yet used (a
 * histogram pools them instead). `dims`
 * are the variable's dims after sel, isel, reduce and the transform steps, with their lengths.
 */
export function encode(spec: PlotSpec, dims: { name: string; size: number }[]): Encoded {
  const names = dims.map((d) => d.name);
  const given: Partial<Record<Encoding, string>> = {};
  const usedBy = new Map<string, string>();
  for (const e of ENCODINGS) {
    const d = spec[e];
    if (d === undefined) continue;
    if (!names.includes(d)) {
      throw new PlotSpecError(
        `${e}: '${d}' is not a dim of '${spec.variable}' here (its dims: ${names.join(', ') || 'none'})`,
      );
    }
    const other = usedBy.get(d);
    if (other) throw new PlotSpecError(`'${d}' is mapped twice, to ${other} and to ${e}; map each dim once`);
    usedBy.set(d, e);
    given[e] = d;
  }
  if (spec.over !== undefined) {
    if (spec.kind !== 'errorbands') {
      throw new PlotSpecError(
        `over names the dim errorbands take the mean ± std over; give kind: errorbands, or drop it`,
      );
    }
    if (!names.includes(spec.over))
      throw new PlotSpecError(`over: '${spec.over}' is not a dim of '${spec.variable}' here`);
    const other = usedBy.get(spec.over);
    if (other) throw new PlotSpecError(`'${spec.over}' is mapped twice, to ${other} and to over`);
  }
  const kind = kindOf(spec.kind, given, dims.length);
  const allowed = KIND_ENCODINGS[kind];
  for (const e of Object.keys(given) as Encoding[]) {
    if (!allowed.includes(e)) throw new PlotSpecError(`a ${kind} plot has no ${e} (it has ${allowed.join(', ')})`);
  }
  const wrap = spec.col_wrap ?? 'auto';
  if (given.row !== undefined && typeof wrap === 'number') {
    throw new PlotSpecError('col_wrap wraps the col facets into rows: give it or row, not both');
  }

  // Free dims, largest first (ties keep their order).
  let free = dims
    .filter((d) => !usedBy.has(d.name) && d.name !== spec.over)
    .sort((a, b) => b.size - a.size)
    .map((d) => d.name);
  let over: string | null = null;
  if (kind === 'errorbands') {
    over = spec.over ?? free.at(-1) ?? null;
    if (over === null) {
      throw new PlotSpecError(
        'errorbands need a dim to take the mean ± std over, and none is left: each is on an encoding, fixed at a ' +
          "value or reduced. Free one: in the builder, its menu's 'on a free encoding'; in plots.yaml, drop it from " +
          'sel, isel or reduce (or name it in over); or choose another Kind',
      );
    }
    free = free.filter((d) => d !== over);
  }
  const enc: Partial<Record<Encoding, string>> = { ...given };
  const pooled: string[] = [];
  for (const d of free) {
    // A histogram counts the values of every dim no encoding names; its facets are only those asked for.
    const slot =
      kind === 'hist'
        ? undefined
        : allowed.find((e) => enc[e] === undefined && !(e === 'row' && typeof wrap === 'number'));
    if (slot) enc[slot] = d;
    else if (kind === 'hist') pooled.push(d);
    else {
      const left = free.filter((f) => !Object.values(enc).includes(f));
      throw new PlotSpecError(
        `too many dims for a ${kind} plot: ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} left over; ` +
          `fix ${left.length === 1 ? 'it' : 'them'} with sel or isel, or reduce ${left.length === 1 ? 'it' : 'them'}`,
      );
    }
  }
  if ((kind === 'heatmap' || kind === 'contour') && (enc.x === undefined || enc.y === undefined)) {
    throw new PlotSpecError(
      `a ${kind} needs two dims, for x and y; '${spec.variable}' has ${dims.length} here: choose another Kind`,
    );
  }
  if (kind !== 'hist' && enc.x === undefined) {
    throw new PlotSpecError(
      `a ${kind} plot needs a dim along x; '${spec.variable}' has none left here: choose the Kind hist, or another Variable`,
    );
  }
  let colWrap: number | null = null;
  const cols = enc.col === undefined ? 0 : (dims.find((d) => d.name === enc.col)?.size ?? 0);
  if (wrap === 'auto') colWrap = cols > 3 && enc.row === undefined ? Math.ceil(Math.sqrt(cols)) : null;
  else if (enc.col !== undefined) colWrap = wrap;
  return { kind, enc, over, pooled, colWrap };
}

/**
 * Numbers travel as a Float64Array (NaN stays NaN: a gap in a line), as their own bytes (shared/wire-frame.ts);
 * a large heatmap's colours as a Float32Array (f32: the colour cannot show more, and it is half the bytes);
 * text as a list.
 */
export const columnSchema = z.union([
  z.object({ f64: z.instanceof(Float64Array) }),
  z.object({ f32: z.instanceof(Float32Array) }),
  z.array(z.union([z.number(), z.string(), z.boolean(), z.null()])),
]);
export type Column = z.infer<typeof columnSchema>;

/** One trace of a panel: a line, a band, a heatmap (z row-major, y.length rows of x.length) or a histogram. */
export const traceSchema = z.object({
  /** The hue value it shows ("max_step_size = 0.3"), or null. */
  name: z.string().nullable(),
  x: columnSchema,
  y: columnSchema,
  z: columnSchema.optional(),
  /** The hue value it shows, where it is a number (a colour scale colours it). */
  hueValue: z.number().optional(),
  /** errorbands: mean − std and mean + std. */
  lower: columnSchema.optional(),
  upper: columnSchema.optional(),
  /**
   * heatmap, contour of a point dataset: x, y and z hold a value per point (the coordinates on its `point` dim and
   * the variable there), not a grid; the renderer draws them on their Delaunay triangulation.
   */
  scattered: z.literal(true).optional(),
});
export type Trace = z.infer<typeof traceSchema>;

export const panelSchema = z.object({
  /** Its place in the grid, from the top left. */
  row: z.number().int(),
  col: z.number().int(),
  title: z.string().nullable(),
  traces: z.array(traceSchema),
});
export type Panel = z.infer<typeof panelSchema>;

/** What a facet plot draws: computed in the engine, so the renderer receives only what it draws. */
export const plotDataSchema = z.object({
  /** The spec as drawn: based_on resolved, kind and every encoding filled in. */
  spec: plotSpecSchema,
  /** The spec as given: based_on resolved, but what auto-encoding chose not filled in. */
  given: plotSpecSchema,
  kind: z.enum(['line', 'scatter', 'step', 'heatmap', 'contour', 'hist', 'errorbands']),
  /** The file the variable was read from. */
  source: z.string(),
  title: z.string(),
  /** The subtitle drawn (null: none), and the one Furrow writes when none is given. */
  subtitle: z.string().nullable(),
  autoSubtitle: z.string(),
  xlabel: z.string(),
  ylabel: z.string(),
  /** The colour bar's title (heatmap, contour), else null. */
  zlabel: z.string().nullable(),
  rows: z.number().int(),
  cols: z.number().int(),
  frames: z.object({ dim: z.string(), labels: z.array(z.string()), index: z.number().int() }).nullable(),
  /** The dim on hue: its label, how many values it has, and their range where they are numbers. */
  hue: z.object({ label: z.string(), count: z.number().int(), range: limits.nullable() }).nullable(),
  /** One colour scale for every panel (heatmap, contour). */
  zRange: limits.nullable(),
  panels: z.array(panelSchema),
  /** How many values are drawn, in all. */
  points: z.number(),
  /**
   * The calendar of an axis of dates that plotly's date axis would misplace or drop (noleap, all_leap, 360_day,
   * julian: 2001-02-30 is a date in 360_day); absent for other axes.
   */
  calendars: z.object({ x: z.enum(CALENDARS).optional(), y: z.enum(CALENDARS).optional() }).optional(),
});
export type PlotData = z.infer<typeof plotDataSchema>;
