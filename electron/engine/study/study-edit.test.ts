import { describe, expect, it } from 'vitest';
import { parsePastedCases } from '../../../shared/cases-paste';
import {
  readCases,
  readOutputs,
  readParameters,
  removeParameter,
  setCases,
  setOutputs,
  readModel,
  setModel,
  setParameter,
  readCoords,
  setCoord,
  applyEdit,
  rowsOf,
} from './study-edit';
import type { ParameterRow } from '../../../shared/study-rows';

const STUDY = `# My sweep: energy of a chain.
name: chain
model:
  module: ./model.mjs # returns {energy}
outputs:
  energy: {}
combos:
  # the temperature, in kelvin
  temp: [100, 200, 300]
  field: { linspace: [0, 1, 5] } # tesla
constants:
  size: 64
`;

describe('editing study.yaml', () => {
  it('reads the combos and constants as rows', () => {
    expect(readParameters(STUDY)).toEqual([
      { name: 'temp', role: 'combo', values: { kind: 'values', values: [100, 200, 300] } },
      { name: 'field', role: 'combo', values: { kind: 'linspace', start: 0, stop: 1, num: 5 } },
      { name: 'size', role: 'constant', values: { kind: 'constant', value: 64 } },
    ]);
  });

  it('changes one parameter in place and keeps every comment and the key order', () => {
    const out = setParameter(STUDY, {
      name: 'temp',
      role: 'combo',
      values: { kind: 'range', start: 100, stop: 500, step: 100 },
    });
    expect(out).toContain('# My sweep: energy of a chain.');
    expect(out).toContain('# the temperature, in kelvin\n  temp: { range: [ 100, 500, 100 ] }');
    expect(out).toContain('# tesla');
    expect(out.indexOf('temp:')).toBeLessThan(out.indexOf('field:'));
    // Everything else says what it said (spacing inside flow collections may be normalized).
    const others = (text: string) => text.replace(/temp: .*\n/, '').replace(/\s+/g, '');
    expect(others(out)).toEqual(others(STUDY));
  });

  it('moves a parameter between combos and constants, and renames one', () => {
    const fixed = setParameter(STUDY, { name: 'field', role: 'constant', values: { kind: 'constant', value: 0.5 } });
    expect(readParameters(fixed)).toContainEqual({
      name: 'field',
      role: 'constant',
      values: { kind: 'constant', value: 0.5 },
    });
    expect(
      readParameters(fixed)
        .filter((r) => r.role === 'combo')
        .map((r) => r.name),
    ).toEqual(['temp']);
    const varied = setParameter(STUDY, { name: 'size', role: 'combo', values: { kind: 'values', values: [32, 64] } });
    expect(varied).not.toContain('constants:'); // left empty, so gone
    expect(readParameters(varied).map((r) => r.name)).toEqual(['temp', 'field', 'size']);
    const renamed = setParameter(
      STUDY,
      { name: 'T', role: 'combo', values: { kind: 'values', values: [1] } },
      { name: 'temp' },
    );
    expect(readParameters(renamed).map((r) => r.name)).toEqual(['field', 'T', 'size']);
    expect(() => setParameter(STUDY, { name: '2x', role: 'combo', values: { kind: 'values', values: [1] } })).toThrow(
      /names are letters/,
    );
  });

  it('removes a parameter, sets the cases, and reads pasted rows with their types', () => {
    expect(readParameters(removeParameter(STUDY, 'field')).map((r) => r.name)).toEqual(['temp', 'size']);
    expect(() => removeParameter(STUDY, 'nope')).toThrow(/'nope' is not a combo, zip or constant/);
    const pasted = parsePastedCases('mode\tdt\tfast\nrk4\t0.01\ttrue\neuler\t1e-3\tfalse\n');
    expect(pasted).toEqual([
      { mode: 'rk4', dt: 0.01, fast: true },
      { mode: 'euler', dt: 0.001, fast: false },
    ]);
    const withCases = setCases(STUDY, pasted);
    expect(readCases(withCases)).toEqual(pasted);
    expect(withCases).toContain('# the temperature, in kelvin');
    expect(readCases(setCases(withCases, []))).toEqual([]);
    expect(() => parsePastedCases('a,b\n1\n')).toThrow(/line 2 has 1 values for 2 columns/);
    expect(parsePastedCases('mode,label\n\n"rk4","a, b ""c"""\nx,"7"\n')).toEqual([
      { mode: 'rk4', label: 'a, b "c"' },
      { mode: 'x', label: '7' },
    ]);
    expect(() => parsePastedCases('a\n"open\n')).toThrow(/line 2: a quote opened/);
  });
});

describe('setting the outputs', () => {
  it('writes them in order, keeps what a kept output says, and drops the rest', () => {
    const text = `name: s
outputs:
  # read from the case's file
  field: {file: out.h5, path: /f}
  old: {}
`;
    const out = setOutputs(text, [
      { name: 'energy', dims: [] },
      { name: 'field', dims: ['x', 'y'] },
    ]);
    expect(out).toContain('# read from the case');
    expect(out).toMatch(/energy: \{\}/);
    expect(out).toMatch(/field: \{ file: out\.h5, path: \/f, dims: \[ x, y \] \}/);
    expect(out).not.toContain('old');
    expect(out.indexOf('energy')).toBeLessThan(out.indexOf('field'));
    expect(() => setOutputs(text, [{ name: '1x', dims: [] }])).toThrow(/names are letters/);
    expect(readOutputs(out)).toEqual([
      { name: 'energy', dims: [] },
      { name: 'field', dims: ['x', 'y'] },
    ]);
  });
});

describe('parameter roles: zip groups, case columns and distributions', () => {
  const row = (r: ParameterRow) => r;
  it('puts parameters in zip groups, moves them between groups, and drops a group left empty', () => {
    let text = setParameter(
      STUDY,
      row({ name: 'p', role: 'zip', group: 0, values: { kind: 'values', values: [1, 2, 3] } }),
    );
    text = setParameter(
      text,
      row({ name: 'q', role: 'zip', group: 0, values: { kind: 'linspace', start: 0, stop: 1, num: 3 } }),
    );
    text = setParameter(
      text,
      row({ name: 'r', role: 'zip', group: 1, values: { kind: 'values', values: ['x', 'y'] } }),
    );
    expect(readParameters(text).filter((r) => r.role === 'zip')).toEqual([
      { name: 'p', role: 'zip', group: 0, values: { kind: 'values', values: [1, 2, 3] } },
      { name: 'q', role: 'zip', group: 0, values: { kind: 'linspace', start: 0, stop: 1, num: 3 } },
      { name: 'r', role: 'zip', group: 1, values: { kind: 'values', values: ['x', 'y'] } },
    ]);
    // temp, a combo, joins the second group: it leaves combos.
    text = setParameter(
      text,
      row({ name: 'temp', role: 'zip', group: 1, values: { kind: 'values', values: [5, 6] } }),
      {
        name: 'temp',
        role: 'combo',
      },
    );
    expect(readParameters(text).find((r) => r.name === 'temp')).toMatchObject({ role: 'zip', group: 1 });
    expect(text).toContain('# tesla'); // the other combo and its comment stay
    // r moves to the first group; its group still holds temp. Then temp becomes a combo again: group 1 is gone.
    text = setParameter(
      text,
      row({ name: 'r', role: 'zip', group: 0, values: { kind: 'values', values: ['x', 'y', 'z'] } }),
      {
        name: 'r',
        role: 'zip',
      },
    );
    text = setParameter(text, row({ name: 'temp', role: 'combo', values: { kind: 'values', values: [5, 6] } }), {
      name: 'temp',
      role: 'zip',
    });
    const zip = readParameters(text).filter((r) => r.role === 'zip');
    expect(zip.map((r) => [r.name, r.group])).toEqual([
      ['p', 0],
      ['q', 0],
      ['r', 0],
    ]);
    expect(() =>
      setParameter(text, row({ name: 's', role: 'zip', group: 5, values: { kind: 'values', values: [1] } })),
    ).toThrow(/there are 1 zip groups; give 0 to 1/);
    // Removing every zip parameter removes the section.
    for (const name of ['p', 'q', 'r']) text = removeParameter(text, name, 'zip');
    expect(text).not.toContain('zip');
  });

  it('turns a combo into a case column (each case repeated per value) and back (each case kept once)', () => {
    const withCases = setCases(STUDY, [{ mode: 'rk4' }, { mode: 'euler' }]);
    const asCase = setParameter(
      withCases,
      row({ name: 'temp', role: 'case', values: { kind: 'range', start: 100, stop: 300, step: 100 } }),
      { name: 'temp', role: 'combo' },
    );
    expect(readCases(asCase)).toEqual([
      { mode: 'rk4', temp: 100 },
      { mode: 'rk4', temp: 200 },
      { mode: 'euler', temp: 100 },
      { mode: 'euler', temp: 200 },
    ]);
    expect(readParameters(asCase).slice(0, 2)).toEqual([
      { name: 'mode', role: 'case', values: { kind: 'values', values: ['rk4', 'euler'] } },
      { name: 'temp', role: 'case', values: { kind: 'values', values: [100, 200] } },
    ]);
    expect(readParameters(asCase).some((r) => r.name === 'temp' && r.role === 'combo')).toBe(false);
    const back = setParameter(
      asCase,
      row({ name: 'temp', role: 'combo', values: { kind: 'values', values: [100, 200] } }),
      {
        name: 'temp',
        role: 'case',
      },
    );
    expect(readCases(back)).toEqual([{ mode: 'rk4' }, { mode: 'euler' }]);
    expect(readParameters(back).find((r) => r.name === 'temp')).toMatchObject({ role: 'combo' });
    // The last case column leaves no empty cases behind.
    const none = setParameter(
      back,
      row({ name: 'mode', role: 'constant', values: { kind: 'constant', value: 'rk4' } }),
      {
        name: 'mode',
        role: 'case',
      },
    );
    expect(none).not.toContain('cases:');
    // A space too big to list is refused with what to do.
    expect(() =>
      setParameter(
        STUDY,
        row({ name: 'temp', role: 'case', values: { kind: 'linspace', start: 0, stop: 1, num: 20_000 } }),
      ),
    ).toThrow(/would make 20000 cases in study.yaml \(at most 10000\); keep it a combo/);
  });

  it("writes distributions for sampling beside the combos, in the study file's forms", () => {
    let text = setParameter(STUDY, row({ name: 'x', role: 'sample', values: { kind: 'uniform', a: 0, b: 6.283 } }));
    text = setParameter(text, row({ name: 'amp', role: 'sample', values: { kind: 'values', values: [1, 2, 3] } }));
    // A distribution for temp stands beside its combo (sampling draws it instead of the combo's values).
    text = setParameter(text, row({ name: 'temp', role: 'sample', values: { kind: 'normal', a: 300, b: 10 } }));
    expect(text).toMatch(/sample:\n {2}distributions:\n {4}x: \{ uniform: \[ 0, 6\.283 \] \}\n {4}amp: \[ 1, 2, 3 \]/);
    expect(
      readParameters(text)
        .filter((r) => r.name === 'temp')
        .map((r) => r.role),
    ).toEqual(['combo', 'sample']);
    expect(readParameters(text).filter((r) => r.role === 'sample')).toEqual([
      { name: 'x', role: 'sample', values: { kind: 'uniform', a: 0, b: 6.283 } },
      { name: 'amp', role: 'sample', values: { kind: 'values', values: [1, 2, 3] } },
      { name: 'temp', role: 'sample', values: { kind: 'normal', a: 300, b: 10 } },
    ]);
    expect(() =>
      setParameter(STUDY, row({ name: 'y', role: 'combo', values: { kind: 'normal', a: 0, b: 1 } })),
    ).toThrow(/a normal distribution is only for sampling/);
    for (const name of ['x', 'amp', 'temp']) text = removeParameter(text, name, 'sample');
    expect(text).not.toContain('sample');
    expect(readParameters(text).find((r) => r.name === 'temp')).toMatchObject({ role: 'combo' });
  });
});

describe('setting the model', () => {
  it('switches between a module and a command, and keeps what else the section says', () => {
    const text = `name: s
model:
  module: ./model.mjs # the simulation
  load_timeout: 5
  timeout: 60
outputs: {}
`;
    expect(readModel(text)).toEqual({ module: './model.mjs', timeout: 60 });
    const command = setModel(text, { command: ['python3', 'sim.py', '--seed', '{seed}'], timeout: 120 });
    expect(readModel(command)).toEqual({ command: ['python3', 'sim.py', '--seed', '{seed}'], timeout: 120 });
    expect(command).toContain('load_timeout: 5');
    expect(command).not.toContain('module');
    const named = setModel(command, { module: 'lib/run.mjs', export: 'simulate', timeout: 60 });
    expect(readModel(named)).toEqual({ module: 'lib/run.mjs', export: 'simulate', timeout: 60 });
    expect(readModel(setModel(named, { module: 'm.mjs', export: 'default' }))).toEqual({ module: 'm.mjs' });
    expect(() => setModel(text, {})).toThrow(/a module \(a JS file\) or a command/);
    expect(() => setModel(text, { command: [''] })).toThrow(/give the program/);
    expect(() => setModel(text, { module: 'm.mjs', timeout: 0 })).toThrow(/seconds above 0/);
  });
});

describe('setting the coords of the output dims', () => {
  const text = `name: s
outputs:
  trace: {dims: [t]}
  image: {dims: [x, y]}
coords:
  # sampled every millisecond
  t: {range: [0, 5]}
  y: {geomspace: [1, 100, 3]}
`;

  it('lists each output dim once, with the coords the file gives it, or null for positions 0..n-1', () => {
    expect(readCoords(text)).toEqual([
      { name: 't', values: { kind: 'range', start: 0, stop: 5 } },
      { name: 'x', values: null },
      { name: 'y', values: null }, // geomspace: a form the form does not edit
    ]);
  });

  it('writes a dim, keeps the comment, and drops a dim set back to positions', () => {
    const out = setCoord(text, 'x', { kind: 'linspace', start: 0, stop: 1, num: 11 });
    expect(out).toContain('# sampled every millisecond');
    expect(out).toMatch(/x: \{ linspace: \[ 0, 1, 11 \] \}/);
    expect(readCoords(out)[1]).toEqual({ name: 'x', values: { kind: 'linspace', start: 0, stop: 1, num: 11 } });
    const dropped = setCoord(out, 't', null);
    expect(dropped).not.toMatch(/^\s+t:/m);
    expect(readCoords(dropped)[0]).toEqual({ name: 't', values: null });
    const fresh = setCoord('name: s\noutputs:\n  f: {dims: [k]}\n', 'k', { kind: 'values', values: [1, 2, 4] });
    expect(readCoords(fresh)).toEqual([{ name: 'k', values: { kind: 'values', values: [1, 2, 4] } }]);
    expect(() => setCoord(text, 'a b', null)).toThrow(/names are letters/);
    expect(() => setCoord(text, 't', { kind: 'uniform', low: 0, high: 1 } as never)).toThrow(/values, a range/);
  });

  it('applies each kind of edit through one entry point, and reads all rows back', () => {
    const edited = applyEdit(text, { op: 'set-coord', name: 'x', values: { kind: 'values', values: ['a', 'b'] } });
    const rows = rowsOf(edited);
    expect(rows?.coords.find((c) => c.name === 'x')?.values).toEqual({ kind: 'values', values: ['a', 'b'] });
    expect(rows?.outputs.map((o) => o.name)).toEqual(['trace', 'image']);
    const withCase = applyEdit(edited, { op: 'set-cases', cases: [{ mode: 'rk4' }] });
    expect(rowsOf(withCase)?.cases).toEqual([{ mode: 'rk4' }]);
    expect(rowsOf('name: [unclosed')).toBeNull();
  });
});
