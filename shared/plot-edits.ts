// What each control of the plot builder (renderer/plots/PlotBuilder.tsx) does to the draft, as pure functions: a
// kind chosen, a dim put on an encoding, a dim fixed, reduced or freed, a chip removed; the builder's first look at
// a variable; the labels of the controls on screen. Every edit goes through plot-adapt.ts, so the draft it leaves
// can be drawn (or its error names a control on screen), and says in one line what moved. Here, not in the
// renderer, so the property test (test/unit/plot-builder-property.test.ts) runs them over the example studies.
import type { DatasetInfo } from './api';
import { adaptSpec, atFirst, labelOf, MANY } from './plot-adapt';
import type { AdaptDim, Pin } from './plot-adapt';
import { ENCODINGS, KIND_ENCODINGS, valueLabel } from './plot-spec';
import type { Encoding, PlotKind } from './plot-spec';
import type { Scalar } from './space';

/** A plot spec as the builder edits it: plots.yaml's keys (see shared/plot-spec.ts). */
export type Draft = Record<string, unknown> & { variable?: string };

/** A change to the draft (keys set to undefined are removed) and what the person chose, which is kept. */
export interface Edit {
  change: Draft;
  pin?: Pin;
}

/** The dims of a variable as the builder knows them: names, lengths and coordinate values. */
export function dimsOf(info: DatasetInfo, variable: string): AdaptDim[] {
  const v = info.variables.find((c) => c.name === variable);
  if (!v) return [];
  const coordinates = coordinatesOn(info, variable);
  return v.dims.map((name, i) => {
    const on = coordinates.filter((c) => c.dim === name).map((c) => c.name);
    return {
      name,
      size: v.shape[i] ?? 1,
      values: info.dims.find((d) => d.name === name)?.values ?? null,
      ...(on.length ? { coordinates: on } : {}),
    };
  });
}

/** A coordinate on a dim: a 1-D variable of numbers along it, such as a learned parameter on a `point` dim. */
export interface CoordinateOn {
  name: string;
  dim: string;
}

/**
 * The coordinates on the dims of `variable` (xarray's non-dimension coordinates): the numeric 1-D variables along
 * one of its dims, those its `coordinates` attribute lists first (as xarray writes them), then the others.
 */
export function coordinatesOn(info: Pick<DatasetInfo, 'variables'>, variable: string): CoordinateOn[] {
  const v = info.variables.find((c) => c.name === variable);
  if (!v) return [];
  const listed = typeof v.attrs['coordinates'] === 'string' ? v.attrs['coordinates'].split(/\s+/) : [];
  const numeric = (c: DatasetInfo['variables'][number]) => c.dtype !== 'string' && c.dtype !== 'bool';
  const found = info.variables
    .filter((c) => c.name !== variable && c.dims.length === 1 && v.dims.includes(c.dims[0]!) && numeric(c))
    .map((c) => ({ name: c.name, dim: c.dims[0]! }));
  const rank = (c: CoordinateOn) => (listed.includes(c.name) ? listed.indexOf(c.name) : listed.length);
  return found.sort((a, b) => rank(a) - rank(b));
}

/** The coordinates a variable's `coordinates` attribute lists on its one dim: a point dataset's parameters. */
export function pointCoordinates(info: Pick<DatasetInfo, 'variables'>, variable: string): CoordinateOn[] {
  const v = info.variables.find((c) => c.name === variable);
  const listed = typeof v?.attrs['coordinates'] === 'string' ? v.attrs['coordinates'].split(/\s+/) : [];
  return coordinatesOn(info, variable).filter((c) => listed.includes(c.name));
}

/**
 * A first look at a variable: the largest dim along x, the next as a line per value when it has few, the rest at
 * their first value. (kind: auto would make a heatmap of two dims or more; lines are the usual first look.) A
 * point dataset's variable is drawn against the coordinates it lists instead.
 */
export function firstDraft(info: DatasetInfo, variable: string): Draft {
  const v = info.variables.find((c) => c.name === variable);
  if (!v) return { variable };
  // A point dataset's variable: against its parameters, a line over one, a triangulated heatmap over two.
  const coords = pointCoordinates(info, variable);
  if (coords[0]) {
    const on = coords.filter((c) => c.dim === coords[0]!.dim);
    const draft: Draft = { variable, kind: on[1] ? 'heatmap' : 'line', x: on[0]!.name };
    if (on[1]) draft['y'] = on[1].name;
    const rest = v.dims.filter((d) => d !== coords[0]!.dim);
    if (rest.length) draft['isel'] = Object.fromEntries(rest.map((d) => [d, 0]));
    return draft;
  }
  const dims = v.dims.map((name, i) => ({ name, size: v.shape[i] ?? 1 })).sort((a, b) => b.size - a.size);
  const draft: Draft = { variable, kind: 'line' };
  if (dims[0]) draft['x'] = dims[0].name;
  const rest = dims.slice(1);
  if (rest[0] && rest[0].size <= MANY) draft['hue'] = rest.shift()!.name;
  if (rest.length) draft['isel'] = Object.fromEntries(rest.map((d) => [d.name, 0]));
  return draft;
}

/** The draft for another variable: the same mapping where it has the same dims, else a first look. */
export function switchVariable(info: DatasetInfo, draft: Draft | null, variable: string): Draft {
  const from = info.variables.find((c) => c.name === draft?.variable);
  const to = info.variables.find((c) => c.name === variable);
  const same = from && to && from.dims.length === to.dims.length && from.dims.every((d) => to.dims.includes(d));
  return same && draft ? { ...draft, variable } : firstDraft(info, variable);
}

/** Apply an edit and adapt the draft to its kind and dims; the note says what moved, in one line. */
export function applyEdit(draft: Draft, edit: Edit, dims: AdaptDim[]): { draft: Draft; note: string | null } {
  const next: Draft = { ...draft };
  for (const [key, value] of Object.entries(edit.change)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  if (dims.length === 0) return { draft: next, note: null };
  const { spec, notes } = adaptSpec(next, dims, edit.pin);
  return { draft: spec as Draft, note: notes.length ? `${sentence(notes.join('; '))}.` : null };
}

/** A note as a sentence: "a heatmap …" starts with a capital, a dim's name stays as the file spells it. */
const sentence = (s: string) => (/^an? /.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s);

type Selections = Record<string, unknown>;
const without = (record: unknown, dim: string): Selections | undefined => {
  const { [dim]: _gone, ...rest } = (record ?? {}) as Selections;
  return Object.keys(rest).length ? rest : undefined;
};

/** A kind chosen in the Kind menu. */
export const kindEdit = (kind: string): Edit => ({ change: { kind } });

/** A dim chosen for an encoding (or auto, with undefined): the dim is no longer fixed or reduced. */
export function encodingEdit(draft: Draft, e: Encoding | 'over', dim: string | undefined): Edit {
  if (dim === undefined) return { change: { [e]: undefined } };
  return {
    change: {
      [e]: dim,
      isel: without(draft['isel'], dim),
      sel: without(draft['sel'], dim),
      reduce: without(draft['reduce'], dim),
    },
    pin: { encoding: e, dim },
  };
}

/**
 * A dim off the encodings left free (`free`), fixed at an index (`isel:I`) or reduced (`reduce:R`): it leaves
 * the other two, and every other dim keeps how it is shown.
 */
export function dimEdit(draft: Draft, dim: string, value: string): Edit {
  const [how, what] = value.split(':') as [string, string | undefined];
  const isel = (draft['isel'] ?? {}) as Record<string, number>;
  const reduce = (draft['reduce'] ?? {}) as Record<string, string>;
  return {
    change: {
      isel: how === 'isel' ? { ...isel, [dim]: Number(what) } : without(isel, dim),
      sel: without(draft['sel'], dim),
      reduce: how === 'reduce' ? { ...reduce, [dim]: what } : without(reduce, dim),
    },
    pin: how === 'free' ? { freed: dim } : { fixed: dim },
  };
}

/** One chip under the builder: a mapping, or a fixed or reduced dim; its × removes it. */
export interface Chip {
  key: string;
  text: string;
  /** Given by the person (false: chosen by auto-encoding). */
  given: boolean;
  /** What its remove button says to a screen reader. */
  removeLabel: string;
  remove: Edit;
}

/** The value a fixed dim is shown at: its coordinate, or the index where it has none. */
function fixedValue(dim: AdaptDim | undefined, draft: Draft, name: string): string {
  const sel = (draft['sel'] ?? {}) as Record<string, Scalar>;
  if (Object.hasOwn(sel, name)) return valueLabel(sel[name]!);
  const index = ((draft['isel'] ?? {}) as Record<string, number>)[name] ?? 0;
  const size = dim?.size ?? 0;
  const at = index < 0 ? size + index : index;
  const v = dim?.values?.[at];
  return v === undefined ? String(index) : valueLabel(v);
}

/**
 * The chips: each encoding's dim (as drawn, auto-encoding's choices too), then each fixed and each reduced dim.
 * Removing a mapping takes its dim off the plot (fixed at its first value); removing a fixed or reduced dim frees
 * it (auto-encoding places it).
 */
export function chipsOf(draft: Draft, drawn: Record<string, unknown> | null, dims: AdaptDim[]): Chip[] {
  const chips: Chip[] = [];
  const shown = drawn ?? draft;
  for (const key of [...ENCODINGS, 'over'] as const) {
    const d = shown[key];
    if (typeof d !== 'string') continue;
    if (!dims.some((o) => o.name === d) && dims.some((o) => o.coordinates?.includes(d))) {
      // A coordinate on x or y: its × takes the coordinates off both (the dim they are on is drawn as any dim).
      chips.push({
        key: `enc-${key}`,
        text: `${labelOf(key)}: ${d}`,
        given: draft[key] === d,
        removeLabel: `Remove the coordinate ${d} from ${labelOf(key)} (plot against the dims)`,
        remove: {
          change: Object.fromEntries(
            (['x', 'y'] as const)
              .filter((k) => dims.some((o) => o.coordinates?.includes(String(draft[k]))))
              .map((k) => [k, undefined]),
          ),
        },
      });
      continue;
    }
    const dim = dims.find((o) => o.name === d) ?? { name: d, size: 1 };
    chips.push({
      key: `enc-${key}`,
      text: `${labelOf(key)}: ${d}`,
      given: draft[key] === d,
      removeLabel: `Remove ${d} from ${labelOf(key)} (fix it at ${atFirst(dim)})`,
      remove: {
        change: {
          [key]: undefined,
          isel: { ...((draft['isel'] ?? {}) as Selections), [d]: 0 },
          sel: without(draft['sel'], d),
          reduce: without(draft['reduce'], d),
        },
        pin: { fixed: d },
      },
    });
  }
  /** A fixed or reduced dim's chip: its × frees the dim. */
  const held = (key: string, d: string, text: string): Chip => ({
    key,
    text,
    given: true,
    removeLabel: `Remove ${text} (free ${d})`,
    remove: dimEdit(draft, d, 'free'),
  });
  const fixedDims = [
    ...Object.keys((draft['sel'] ?? {}) as Selections),
    ...Object.keys((draft['isel'] ?? {}) as Selections),
  ];
  for (const d of new Set(fixedDims)) {
    chips.push(
      held(
        `fix-${d}`,
        d,
        `${d} = ${fixedValue(
          dims.find((o) => o.name === d),
          draft,
          d,
        )}`,
      ),
    );
  }
  for (const [d, op] of Object.entries((draft['reduce'] ?? {}) as Record<string, string>)) {
    chips.push(held(`red-${d}`, d, `${op} over ${d}`));
  }
  return chips;
}

/** The encodings the builder shows for a kind (auto: all of them). */
export function encodingsFor(kind: string): readonly Encoding[] {
  return kind === 'auto' ? ENCODINGS : (KIND_ENCODINGS[kind as PlotKind] ?? ENCODINGS);
}

/** The labels of the builder's controls on screen for a draft: what an error may name. */
export function controlsOnScreen(draft: Draft, dims: AdaptDim[]): string[] {
  const kind = (draft['kind'] as string | undefined) ?? 'auto';
  const encodings = encodingsFor(kind);
  const mapped = new Set(encodings.map((e) => draft[e]));
  return [
    'Variable',
    'Kind',
    ...encodings.map((e) => labelOf(e)),
    ...(kind === 'errorbands' ? [labelOf('over')] : []),
    ...dims.filter((d) => !mapped.has(d.name)).map((d) => `How ${d.name} is shown`),
  ];
}
