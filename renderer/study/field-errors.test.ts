import { describe, expect, it } from 'vitest';
import type { StudyRows } from '../../shared/api';
import { fieldOfCheck, fieldProblems, paramKey } from './field-errors';

const rows: StudyRows = {
  model: { module: './model.mjs' },
  parameters: [
    { name: 'x', role: 'combo', values: { kind: 'linspace', start: 0, stop: 1, num: 2.5 } },
    { name: 'b', role: 'zip', group: 0, values: { kind: 'values', values: [1, 2, 3] } },
    { name: 'c', role: 'zip', group: 0, values: { kind: 'values', values: [1, 2, 3, 4] } },
  ],
  cases: [],
  outputs: [{ name: 'y', dims: [] }],
  coords: [],
};

describe('errors at the field', () => {
  it("finds the field of an engine's message, in plain words, and keeps its line for the text view", () => {
    const error = { line: 11, path: ['combos', 'x', 'linspace', 2], detail: 'is required but missing' };
    expect(fieldOfCheck(error, rows)).toEqual({ key: paramKey('combo', 'x', 2), message: 'points is missing' });
    const zip = {
      line: 11,
      path: ['zip', 0, 'c'],
      detail: "zip group: 'c' has 4 values but 'b' has 3; parameters that vary together need as many values each",
    };
    expect(fieldOfCheck(zip, rows)).toEqual({
      key: paramKey('zip', 'c'),
      message: "'c' has 4 values but 'b' has 3; parameters that vary together need as many values each",
    });
  });

  it('leaves what the form has no field for to the text view', () => {
    expect(fieldOfCheck({ line: 2, path: ['name'], detail: 'names are letters, digits and _' }, rows)).toBeNull();
    expect(fieldOfCheck({ line: 3, path: null, detail: 'YAML does not parse: x' }, rows)).toBeNull();
  });

  it('says what is wrong with a field as it is typed', () => {
    expect(fieldProblems('linspace', ['0', '1', '2.5'])).toEqual([
      null,
      null,
      'points must be a whole number of at least 2',
    ]);
    expect(fieldProblems('range', ['0', '10', '0'])).toEqual([null, null, 'step must not be 0']);
    expect(fieldProblems('range', ['5', '1', ''])).toEqual([
      null,
      'stop must be more than start (or give a negative step)',
      null,
    ]);
    expect(fieldProblems('range', ['a', '1', ''])).toEqual(['start must be a number', null, null]);
    expect(fieldProblems('values', ['1,,2'])).toEqual(['a value is missing between two commas']);
    expect(fieldProblems('uniform', ['2', '1'])).toEqual([null, 'high must be more than low']);
    expect(fieldProblems('linspace', ['0', '1', '5'])).toEqual([null, null, null]);
  });
});
