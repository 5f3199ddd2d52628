// The plot builder cannot trap: every variable of the bundled examples, from every kind, through random orders of
// kind switches, encodings, fixed, reduced and freed dims and removed chips, is left in a state that draws, as
// the engine checks a spec before it reads a value (shared/plot-spec.ts). Variables no kind can show (one dim, none)
// get an error that names a control on screen. Pure: the builder's edit functions and the spec's resolution.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../shared/api';
import type { AdaptDim } from '../../shared/plot-adapt';
import { checkSelections, checkSpec, encode, PLOT_KINDS, REDUCERS, shapeAfter } from '../../shared/plot-spec';
import type { Draft, Edit } from '../../shared/plot-edits';
import {
  applyEdit,
  chipsOf,
  controlsOnScreen,
  dimEdit,
  dimsOf,
  encodingEdit,
  encodingsFor,
  firstDraft,
  kindEdit,
} from '../../shared/plot-edits';

import { openStudy } from '../../electron/engine/study/study';
import { ROOT } from '../helpers/furrow';

/** What the engine checks before it reads: null when the draft draws, else its message. */
function problem(draft: Draft, dims: AdaptDim[]): { message: string; drawn: null } | { message: null; drawn: Draft } {
  try {
    const spec = checkSpec(draft);
    checkSelections(
      spec,
      spec.variable,
      dims.map((d) => d.name),
    );
    for (const [d, i] of Object.entries(spec.isel)) {
      const size = dims.find((o) => o.name === d)!.size;
      if (i >= size || i < -size) return { message: `isel: ${i} is outside ${d}`, drawn: null };
    }
    const e = encode(spec, shapeAfter(dims, spec));
    if (e.enc.frames !== undefined && (spec.frame ?? 0) >= dims.find((d) => d.name === e.enc.frames)!.size) {
      return { message: `frame ${spec.frame} is past the end of ${e.enc.frames}`, drawn: null };
    }
    return { message: null, drawn: { ...spec, kind: e.kind, ...e.enc, ...(e.over ? { over: e.over } : {}) } };
  } catch (error) {
    return { message: (error as Error).message, drawn: null };
  }
}

/** The example studies' dataset variables: each output over the parameter dims, then its own. */
function exampleInfos(): { example: string; info: DatasetInfo }[] {
  const dir = path.join(ROOT, 'assets', 'examples');
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'study.yaml')))
    .map((example) => {
      const study = openStudy(path.join(dir, example));
      const params = study.space.dims.map((d) => ({ name: d.name, size: d.values.length, values: d.values }));
      const own = (d: string) => {
        const values = study.coords[d] ?? null;
        return { name: d, size: values?.length ?? 7, values };
      };
      const variables = Object.entries(study.spec.outputs).map(([name, o]) => {
        const dims = [...params, ...(o.dims ?? []).map(own)];
        return { name, dims: dims.map((d) => d.name), shape: dims.map((d) => d.size), dtype: 'float64', attrs: {} };
      });
      const allDims = [...params, ...Object.values(study.spec.outputs).flatMap((o) => (o.dims ?? []).map(own))];
      return { example, info: { path: `${example}.nc`, dims: allDims, variables, attrs: {} } };
    })
    .filter((e) => e.info.dims.length > 0); // a study of samples only (ishigami) has no dataset to plot
}

/** A small seeded generator (mulberry32): the same walks every run, and a failing one can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
}

/** One random thing a person does in the builder, among the controls on screen. */
function anEdit(pick: ReturnType<typeof random>, draft: Draft, drawn: Draft | null, dims: AdaptDim[]): [string, Edit] {
  const kind = (draft['kind'] as string | undefined) ?? 'auto';
  const what = pick(['kind', 'encoding', 'encoding', 'dim', 'chip'] as const);
  if (what === 'kind') {
    const k = pick(PLOT_KINDS);
    return [`Kind → ${k}`, kindEdit(k)];
  }
  if (what === 'encoding') {
    const e = pick([...encodingsFor(kind), ...(kind === 'errorbands' ? (['over'] as const) : [])]);
    const d = pick([undefined, ...dims.map((o) => o.name)]);
    return [`${e} → ${d ?? 'auto'}`, encodingEdit(draft, e, d)];
  }
  const chips = chipsOf(draft, drawn, dims);
  if (what === 'chip' && chips.length) {
    const chip = pick(chips);
    return [`remove chip ${chip.text}`, chip.remove];
  }
  const mapped = new Set(encodingsFor(kind).map((e) => draft[e]));
  const off = dims.filter((d) => !mapped.has(d.name));
  const d = off.length ? pick(off) : pick(dims);
  const how = pick(['free', `isel:${Math.floor(pick([0, 0.5, 0.99]) * d.size)}`, `reduce:${pick(REDUCERS)}`]);
  return [`${d.name} → ${how}`, dimEdit(draft, d.name, how)];
}

const WALKS = 12;
const STEPS = 14;

describe('the plot builder cannot trap', () => {
  const examples = exampleInfos();

  it('reads every example study', () => {
    expect(examples.map((e) => e.example).sort()).toEqual(['bar', 'blank', 'foo', 'random-walk']);
    expect(examples.flatMap((e) => e.info.variables.map((v) => v.name))).toEqual(
      expect.arrayContaining(['A', 'B', 'C', 'random_walk', 'mean_energy', 'a_out']),
    );
  });

  // And one of more dims than any kind has encodings: some must be fixed, whatever is chosen.
  const wide = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name, i) => ({ name, size: i + 2, values: null }));
  const crowded: DatasetInfo = {
    path: 'wide.nc',
    dims: wide,
    attrs: {},
    variables: [
      { name: 'w', dims: wide.map((d) => d.name), shape: wide.map((d) => d.size), dtype: 'float64', attrs: {} },
    ],
  };
  for (const { example, info } of [...examples, { example: 'seven dims', info: crowded }]) {
    for (const v of info.variables) {
      it(`${example}: ${v.name}(${v.dims.join(', ')}) draws (or names a control on screen) after every edit, from every kind`, () => {
        const dims = dimsOf(info, v.name);
        let seed = 1;
        for (const start of PLOT_KINDS) {
          for (let walk = 0; walk < WALKS; walk++) {
            const pick = random(seed++);
            const first = applyEdit(firstDraft(info, v.name), kindEdit(start), dims);
            let draft = first.draft;
            const steps = [`Kind → ${start}`];
            let state = problem(draft, dims);
            const holds = () => {
              const where = `${steps.join(', ')}: ${JSON.stringify(draft)} says "${state.message}"`;
              // Two dims or more: every kind draws. Fewer: a heatmap cannot, and says which control to change.
              if (dims.length >= 2 || state.message === null) return expect(state.message, where).toBeNull();
              expect(
                controlsOnScreen(draft, dims).some((c) => state.message!.includes(c)),
                where,
              ).toBe(true);
            };
            holds();
            for (let s = 0; s < STEPS; s++) {
              const [said, edit] = anEdit(pick, draft, state.drawn, dims);
              steps.push(said);
              draft = applyEdit(draft, edit, dims).draft;
              state = problem(draft, dims);
              holds();
            }
          }
        }
      });
    }
  }

  it('the nine kind switches of the issue, on bar’s C, say in one line what moved', () => {
    const { info } = examples.find((e) => e.example === 'bar')!;
    const dims = dimsOf(info, 'C');
    let draft = firstDraft(info, 'C');
    expect(draft).toEqual({ variable: 'C', kind: 'line', x: 't', hue: 'x', isel: { i: 0, j: 0, k: 0 } });
    const notes: (string | null)[] = [];
    for (const kind of ['heatmap', 'line', 'contour', 'scatter', 'heatmap', 'step', 'hist', 'errorbands', 'line']) {
      const next = applyEdit(draft, kindEdit(kind), dims);
      draft = next.draft;
      notes.push(next.note);
      expect(problem(draft, dims).message, `${kind}: ${JSON.stringify(draft)}`).toBeNull();
    }
    expect(notes[0]).toBe('A heatmap plot has no Lines (hue): x moved to Columns; i is free again, for y.');
    expect(notes[6]).toBe('A histogram has no x: each counts the values along t.');
    for (const note of notes) if (note) expect(note.split('\n')).toHaveLength(1);
  });

  it('a variable no kind can show gets an error naming a control on screen', () => {
    const info: DatasetInfo = {
      path: 'odd.nc',
      dims: [{ name: 't', size: 5, values: null }],
      attrs: {},
      variables: [
        { name: 'line', dims: ['t'], shape: [5], dtype: 'float64', attrs: {} },
        { name: 'one', dims: [], shape: [], dtype: 'float64', attrs: {} },
      ],
    };
    let errors = 0;
    for (const v of info.variables) {
      const dims = dimsOf(info, v.name);
      for (const kind of PLOT_KINDS) {
        const { draft } = applyEdit(firstDraft(info, v.name), kindEdit(kind), dims);
        const { message } = problem(draft, dims);
        if (message === null) continue;
        errors++;
        const controls = controlsOnScreen(draft, dims);
        expect(
          controls.some((c) => message.includes(c)),
          `${v.name} as ${kind}: "${message}" names none of ${controls.join(', ')}`,
        ).toBe(true);
      }
    }
    expect(errors).toBeGreaterThan(0); // heatmaps of one dim, lines of none: said, not drawn blank
  });
});
