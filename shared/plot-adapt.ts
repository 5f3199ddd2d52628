// A plot spec adapted to its kind, so the builder cannot trap a person: when a kind has no place for an encoding
// (a heatmap has no hue, a line no y, a histogram no x), the dim moves to a facet or leaves; `over` goes unless the
// kind is errorbands; a dim on two encodings keeps the one just chosen; too many dims for the kind's encodings are
// fixed at their first value, too few are freed from their fixed value. Each change is a note in the builder's
// words, so the builder can say in one line what moved. Pure: the builder adapts every edit through it, and the
// property test (plot-adapt.test.ts) checks that what comes out draws or names a control on screen.
import { ENCODING_LABELS, ENCODINGS, KIND_ENCODINGS, kindOf, PLOT_KINDS, shapeAfter, valueLabel } from './plot-spec';
import type { Encoding, PlotKind, TransformStep } from './plot-spec';
import type { Scalar } from './space';

type Raw = Record<string, unknown>;

/** One dim of the variable: its name, length and coordinate values (null: 0..n-1). */
export interface AdaptDim {
  name: string;
  size: number;
  values?: Scalar[] | null;
  /** The coordinates on this dim (a point dataset's parameters on `point`): x and y may name one instead of a dim. */
  coordinates?: string[];
}

/** What the person just did, which the adaptation keeps: a dim put on an encoding, fixed or reduced, or freed. */
export type Pin = { encoding: Encoding | 'over'; dim: string } | { fixed: string } | { freed: string };

export interface Adapted {
  spec: Raw;
  /** What moved, each in the builder's words ("a heatmap has no Lines (hue): x moved to Columns"). */
  notes: string[];
}

/** The builder's control for errorbands' `over`. */
export const OVER_LABEL = 'Bands over';
export const labelOf = (key: Encoding | 'over'): string => (key === 'over' ? OVER_LABEL : ENCODING_LABELS[key]);

const KEYS: (Encoding | 'over')[] = [...ENCODINGS, 'over'];
/** Auto-encoding gives a dim a line or a panel per value only up to this many (the first look's rule too). */
export const MANY = 20;
const FACETS: Encoding[] = ['col', 'row', 'frames'];
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = Object.hasOwn;

/** "a heatmap", "an errorbands plot": the kind as a sentence names it. */
export function kindPhrase(kind: PlotKind): string {
  return kind === 'errorbands' ? 'an errorbands plot' : kind === 'hist' ? 'a histogram' : `a ${kind} plot`;
}

/** "k = 9": a dim at its first value, as the builder's menus and the subtitle say it. */
export function atFirst(dim: AdaptDim): string {
  const v = dim.values?.[0];
  return `${dim.name} = ${v === undefined ? 0 : valueLabel(v)}`;
}

/**
 * Adapt a spec (plots.yaml's keys, as the builder edits them) to its kind and its variable's dims. `pin` is what
 * the person just chose, kept where anything else can give way.
 */
export function adaptSpec(raw: Raw, dims: AdaptDim[], pin?: Pin): Adapted {
  const onCoordinate = pointDim(raw, dims);
  if (onCoordinate) return adaptPoints(raw, dims, onCoordinate);
  const spec: Raw = { ...raw };
  const notes: string[] = [];
  const sel: Raw = isRecord(spec['sel']) ? { ...spec['sel'] } : {};
  const isel: Raw = isRecord(spec['isel']) ? { ...spec['isel'] } : {};
  const reduce: Raw = isRecord(spec['reduce']) ? { ...spec['reduce'] } : {};
  const transform = (Array.isArray(spec['transform']) ? spec['transform'] : []) as TransformStep[];
  const pinned = pin && 'encoding' in pin ? pin : null;
  const pinnedDim = !pin ? null : 'encoding' in pin ? pin.dim : 'fixed' in pin ? pin.fixed : pin.freed;
  const variable = typeof spec['variable'] === 'string' ? `'${spec['variable']}'` : 'the variable';

  // The dims the encodings can show: after the transform steps (the builder has no control for them).
  let shown: AdaptDim[];
  try {
    shown = shapeAfter(dims, { sel: {}, isel: {}, reduce: {}, transform }, false).map((d) => ({
      ...d,
      values: dims.find((o) => o.name === d.name)?.values ?? null,
    }));
  } catch {
    shown = dims;
  }
  const dimOf = (name: string) => shown.find((d) => d.name === name) ?? { name, size: 1 };
  const fixed = (d: string) => has(sel, d) || has(isel, d);
  const reduced = (d: string) => has(reduce, d);
  const unfix = (d: string) => {
    delete sel[d];
    delete isel[d];
    delete reduce[d];
  };
  const at = (key: Encoding | 'over') => (typeof spec[key] === 'string' ? (spec[key] as string) : undefined);

  // A dim the variable does not have (another variable chosen, a file changed) leaves its encoding.
  for (const key of KEYS) {
    const d = at(key);
    if (d !== undefined && !shown.some((s) => s.name === d)) {
      delete spec[key];
      notes.push(`${labelOf(key)} left: ${variable} has no dim '${d}' here`);
    }
  }
  for (const r of [sel, isel, reduce]) for (const d of Object.keys(r)) if (!dims.some((s) => s.name === d)) delete r[d];
  for (const d of Object.keys(reduce)) if (fixed(d)) delete reduce[d];
  for (const d of Object.keys(sel)) if (has(isel, d)) delete sel[d];

  // A dim on an encoding is not fixed or reduced, unless fixing it is what was just chosen.
  for (const key of KEYS) {
    const d = at(key);
    if (d === undefined || !(fixed(d) || reduced(d))) continue;
    if (pin && 'fixed' in pin && pin.fixed === d) {
      delete spec[key];
      notes.push(`${d} left ${labelOf(key)}`);
    } else unfix(d);
  }

  // A dim on two encodings stays on the one just chosen (else the first), and leaves the others.
  for (const d of new Set(KEYS.map(at).filter((v): v is string => v !== undefined))) {
    const holders = KEYS.filter((k) => at(k) === d);
    if (holders.length < 2) continue;
    const keep = pinned && pinned.dim === d && holders.includes(pinned.encoding) ? pinned.encoding : holders[0]!;
    for (const other of holders.filter((k) => k !== keep)) {
      delete spec[other];
      notes.push(`${d} moved from ${labelOf(other)} to ${labelOf(keep)}`);
    }
  }

  const left = () => shown.filter((d) => !fixed(d.name) && !reduced(d.name));
  const given = () => Object.fromEntries(ENCODINGS.filter((e) => at(e) !== undefined).map((e) => [e, at(e)]));
  const kindName = (PLOT_KINDS as readonly unknown[]).includes(spec['kind'])
    ? (spec['kind'] as PlotKind | 'auto')
    : 'auto';
  // Auto with y just chosen means a heatmap: the hue gives way to it, as it would for a heatmap chosen by name.
  const autoGiven = () => (kindName === 'auto' && pinned?.encoding === 'y' ? { ...given(), hue: undefined } : given());
  let kind = kindOf(kindName, autoGiven(), left().length);
  const wrapped = () => typeof spec['col_wrap'] === 'number';

  // The kind's encodings: a facet-like encoding it lacks moves to a free facet, any other leaves.
  const allowed = () => KIND_ENCODINGS[kind];
  for (const e of ENCODINGS) {
    const d = at(e);
    if (d === undefined || allowed().includes(e)) continue;
    delete spec[e];
    const target =
      e === 'x' || e === 'y'
        ? undefined
        : FACETS.find((t) => allowed().includes(t) && at(t) === undefined && !(t === 'row' && wrapped()));
    if (target) {
      spec[target] = d;
      notes.push(`${kindPhrase(kind)} has no ${labelOf(e)}: ${d} moved to ${labelOf(target)}`);
    } else if (kind === 'hist') {
      notes.push(`${kindPhrase(kind)} has no ${labelOf(e)}: each counts the values along ${d}`);
    } else notes.push(`${kindPhrase(kind)} has no ${labelOf(e)}: ${d} left it`);
    kind = kindOf(kindName, autoGiven(), left().length);
  }
  if (at('over') !== undefined && kind !== 'errorbands') {
    notes.push(`${OVER_LABEL} (${at('over')}) left: only errorbands take a mean ± std over a dim`);
    delete spec['over'];
  }
  if (wrapped() && at('row') !== undefined) {
    notes.push(`Rows given, so the columns no longer wrap at ${String(spec['col_wrap'])} (col_wrap left)`);
    delete spec['col_wrap'];
  }

  // Room: every dim left needs an encoding (a histogram counts the rest), and the kind's own need filling.
  if (kind !== 'hist') {
    const onEncoding = () => new Set(KEYS.map(at).filter((v) => v !== undefined));
    const free = () => left().filter((d) => !onEncoding().has(d.name));
    const needOver = () => (kind === 'errorbands' && at('over') === undefined ? 1 : 0);
    const slots = () => allowed().filter((e) => at(e) === undefined && !(e === 'row' && wrapped()));
    const extra = free().length - needOver() - slots().length;
    if (extra > 0) {
      // The smallest give way (auto-encoding gives the largest the encodings), never the one just freed.
      const candidates = free().sort((a, b) =>
        a.name === pinnedDim ? 1 : b.name === pinnedDim ? -1 : a.size - b.size,
      );
      const gone = candidates.slice(0, extra);
      for (const d of gone) isel[d.name] = 0;
      if (gone.length) {
        notes.push(
          `${gone.map(atFirst).join(', ')}: ${kindPhrase(kind)} has no encoding left for ${gone.length === 1 ? 'it' : 'them'}`,
        );
      }
    }
    const need = (): Encoding[] =>
      kind === 'heatmap' || kind === 'contour'
        ? (['x', 'y'] as const).filter((e) => at(e) === undefined)
        : at('x') === undefined
          ? ['x']
          : [];
    const takeBack = (order: (a: AdaptDim, b: AdaptDim) => number, what: string) => {
      const held = shown.filter((d) => fixed(d.name) || reduced(d.name)).sort(order);
      const d = held.find((h) => h.name !== pinnedDim) ?? held[0];
      if (!d) return false;
      unfix(d.name);
      notes.push(`${d.name} is free again, for ${what}`);
      return true;
    };
    /** A dim taken from a facet or hue onto `target` (not the one just chosen, where another will do). */
    const steal = (target: Encoding | 'over', order: (a: AdaptDim, b: AdaptDim) => number) => {
      const from = KEYS.filter((k) => k !== 'x' && k !== 'y' && k !== 'over' && at(k) !== undefined)
        .map((k) => ({ k, d: dimOf(at(k)!) }))
        .sort((a, b) => (a.d.name === pinnedDim ? 1 : b.d.name === pinnedDim ? -1 : order(a.d, b.d)));
      const source = from[0];
      if (!source) return false;
      delete spec[source.k];
      spec[target] = source.d.name;
      notes.push(
        `${source.d.name} moved from ${labelOf(source.k)} to ${labelOf(target)}, which ${kindPhrase(kind)} needs`,
      );
      return true;
    };
    const largest = (a: AdaptDim, b: AdaptDim) => b.size - a.size;
    const smallest = (a: AdaptDim, b: AdaptDim) => a.size - b.size;
    // x and y take the largest dims back; errorbands' over the smallest (the seeds, the repeats).
    for (let guard = 0; guard < KEYS.length; guard++) {
      const wanted = need();
      if (wanted.length > free().length) {
        if (!takeBack(largest, wanted[free().length]!) && !steal(wanted[free().length]!, largest)) break;
      } else if (needOver() && free().length - wanted.length < 1) {
        if (!takeBack(smallest, OVER_LABEL) && !steal('over', smallest)) break;
      } else break;
    }
  }

  // Auto-encoding would give a long dim a line or a panel per value (a switch from a heatmap, whose y it was):
  // as the first look does, it stays at one value unless it was just chosen; a slider (Frames) or a pick of the
  // encoding shows them all.
  if (kind !== 'hist') {
    for (let guard = 0; guard < shown.length; guard++) {
      const taken = new Set(KEYS.map(at).filter((v) => v !== undefined));
      let free = left()
        .filter((d) => !taken.has(d.name))
        .sort((a, b) => b.size - a.size);
      if (kind === 'errorbands' && at('over') === undefined) free = free.slice(0, -1);
      const slots = allowed().filter((e) => at(e) === undefined && !(e === 'row' && wrapped()));
      const many = slots
        .map((e, i) => ({ e, d: free[i] }))
        .find(({ e, d }) => d && (e === 'hue' || e === 'col' || e === 'row') && d.size > MANY && d.name !== pinnedDim);
      if (!many?.d) break;
      isel[many.d.name] = 0;
      notes.push(
        `${atFirst(many.d)}: ${many.d.size} ${many.e === 'hue' ? 'lines' : 'panels'} would be too many ` +
          `(choose it for ${labelOf(many.e)} or Frames to see them)`,
      );
    }
  }

  // The frame shown stays within its dim.
  const frames = at('frames');
  if (typeof spec['frame'] === 'number' && frames !== undefined && spec['frame'] >= dimOf(frames).size) {
    spec['frame'] = 0;
  }
  return { spec: withSelections(spec, { sel, isel, reduce }), notes };
}

/** The spec with its sel, isel and reduce as adapted: each kept where it names a dim, else left out. */
function withSelections(spec: Raw, selections: Record<'sel' | 'isel' | 'reduce', Raw>): Raw {
  for (const [key, r] of Object.entries(selections)) {
    if (Object.keys(r).length) spec[key] = r;
    else delete spec[key];
  }
  return spec;
}

/** The dim whose coordinates x or y name (not a dim of the variable), or null: the spec plots points. */
function pointDim(raw: Raw, dims: AdaptDim[]): AdaptDim | null {
  for (const key of ['x', 'y'] as const) {
    const name = raw[key];
    if (typeof name !== 'string' || dims.some((d) => d.name === name)) continue;
    const dim = dims.find((d) => d.coordinates?.includes(name));
    if (dim) return dim;
  }
  return null;
}

/**
 * A spec that draws the variable against coordinates on `dim` (a point dataset's): x a coordinate, and for a
 * heatmap or contour y another (a line, scatter or step has no y); no facets; the variable's other dims fixed at
 * their first value unless fixed or reduced; `dim` itself free. A histogram or error bands need a dim on x: the
 * coordinates leave, and the spec is adapted as any other.
 */
function adaptPoints(raw: Raw, dims: AdaptDim[], dim: AdaptDim): Adapted {
  const spec: Raw = { ...raw };
  const notes: string[] = [];
  const coords = dim.coordinates ?? [];
  const isCoord = (v: unknown): v is string => typeof v === 'string' && coords.includes(v);
  const kindName = (PLOT_KINDS as readonly unknown[]).includes(spec['kind'])
    ? (spec['kind'] as PlotKind | 'auto')
    : 'auto';
  if (kindName === 'hist' || kindName === 'errorbands') {
    for (const key of ['x', 'y'] as const) {
      if (!isCoord(spec[key])) continue;
      notes.push(`${kindPhrase(kindName)} needs a dim, not the coordinate '${spec[key]}': it left ${labelOf(key)}`);
      delete spec[key];
    }
    const rest = adaptSpec(spec, dims);
    return { spec: rest.spec, notes: [...notes, ...rest.notes] };
  }
  if (!isCoord(spec['x'])) {
    const x = coords.find((c) => c !== spec['y'])!;
    if (spec['x'] !== undefined) notes.push(`x is the coordinate '${x}', as y is a coordinate on ${dim.name}`);
    spec['x'] = x;
  }
  const surface = kindName === 'heatmap' || kindName === 'contour' || (kindName === 'auto' && isCoord(spec['y']));
  if (surface && !isCoord(spec['y'])) {
    const y = coords.find((c) => c !== spec['x']);
    if (y) {
      spec['y'] = y;
      notes.push(
        `y is the coordinate '${y}': ${kindPhrase(kindName === 'auto' ? 'heatmap' : kindName)} of the points needs two`,
      );
    } else {
      delete spec['y'];
      spec['kind'] = 'line';
      notes.push(`${dim.name} has one coordinate, '${String(spec['x'])}': the Kind is line`);
    }
  } else if (!surface && spec['y'] !== undefined) {
    notes.push(
      `${kindPhrase(kindName === 'auto' ? 'line' : kindName)} draws the values up y: ${String(spec['y'])} left y`,
    );
    delete spec['y'];
  }
  for (const key of ['hue', 'col', 'row', 'frames', 'over'] as const) {
    if (spec[key] === undefined) continue;
    notes.push(
      `a plot against the coordinate '${String(spec['x'])}' has no ${labelOf(key)}: ${String(spec[key])} left it`,
    );
    delete spec[key];
  }
  const sel: Raw = isRecord(spec['sel']) ? { ...spec['sel'] } : {};
  const isel: Raw = isRecord(spec['isel']) ? { ...spec['isel'] } : {};
  const reduce: Raw = isRecord(spec['reduce']) ? { ...spec['reduce'] } : {};
  if (has(sel, dim.name) || has(isel, dim.name) || has(reduce, dim.name)) {
    delete sel[dim.name];
    delete isel[dim.name];
    delete reduce[dim.name];
    notes.push(`${dim.name} is free again: its coordinates are on the axes`);
  }
  const gone = dims.filter(
    (d) => d.name !== dim.name && !has(sel, d.name) && !has(isel, d.name) && !has(reduce, d.name),
  );
  for (const d of gone) isel[d.name] = 0;
  if (gone.length)
    notes.push(
      `${gone.map(atFirst).join(', ')}: a plot of the points shows one value of ${gone.length === 1 ? 'it' : 'each'}`,
    );
  return { spec: withSelections(spec, { sel, isel, reduce }), notes };
}
