import { describe, expect, it } from 'vitest';
import { parsePastedCases } from './cases-paste';
import {
  readCases,
  readOutputs,
  readParameters,
  removeParameter,
  setCases,
  setOutputs,
  setParameter,
} from './study-edit';

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
    const renamed = setParameter(STUDY, { name: 'T', role: 'combo', values: { kind: 'values', values: [1] } }, 'temp');
    expect(readParameters(renamed).map((r) => r.name)).toEqual(['field', 'T', 'size']);
    expect(() => setParameter(STUDY, { name: '2x', role: 'combo', values: { kind: 'values', values: [1] } })).toThrow(
      /names are letters/,
    );
  });

  it('removes a parameter, sets the cases, and reads pasted rows with their types', () => {
    expect(readParameters(removeParameter(STUDY, 'field')).map((r) => r.name)).toEqual(['temp', 'size']);
    expect(() => removeParameter(STUDY, 'nope')).toThrow(/neither a combo nor a constant/);
    const pasted = parsePastedCases('mode\tdt\tfast\nrk4\t0.01\ttrue\neuler\t1e-3\tfalse\n');
    expect(pasted).toEqual([
      { mode: 'rk4', dt: 0.01, fast: true },
      { mode: 'euler', dt: 0.001, fast: false },
    ]);
    const withCases = setCases(STUDY, pasted);
    expect(readCases(withCases)).toEqual(pasted);
    expect(withCases).toContain('# the temperature, in kelvin');
    expect(readCases(setCases(withCases, []))).toEqual([]);
    expect(() => parsePastedCases('a,b\n1\n')).toThrow(/row 1 has 1 values for 2 columns/);
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
