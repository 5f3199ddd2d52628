import { describe, expect, it } from 'vitest';
import { describeDraw, fieldsForKind, fieldsOf, kindsFor, valuesForRole, valuesOf } from './parameter-fields';

describe('a parameter row as fields', () => {
  it('reads what is typed, and nothing while it is not whole', () => {
    expect(valuesOf('values', ['1, two, true'])).toEqual({ kind: 'values', values: [1, 'two', true] });
    expect(valuesOf('values', ['1, '])).toBeNull();
    expect(valuesOf('range', ['0', '10', ''])).toEqual({ kind: 'range', start: 0, stop: 10 });
    expect(valuesOf('normal', ['0', ''])).toBeNull();
    expect(valuesOf('loguniform', ['1e-3', '1'])).toEqual({ kind: 'loguniform', a: 0.001, b: 1 });
    expect(valuesOf('module', [' draw.mjs ', ''])).toEqual({ kind: 'module', module: 'draw.mjs' });
    expect(fieldsOf({ kind: 'randint', a: 1, b: 7 })).toEqual(['1', '7']);
  });

  it('offers the kinds of each role, and keeps the fields that still make sense when the kind changes', () => {
    expect(kindsFor('combo')).not.toContain('normal');
    expect(kindsFor('sample')).toEqual(['values', 'uniform', 'loguniform', 'normal', 'randint', 'module']);
    expect(kindsFor('constant')[0]).toBe('constant');
    expect(fieldsForKind('constant', 'values', ['3, 4'])).toEqual(['3, 4']);
    expect(fieldsForKind('normal', 'uniform', ['2', '5'])).toEqual(['2', '5']);
    expect(fieldsForKind('uniform', 'linspace', ['0', '1', '5'])).toEqual(['0', '1']);
  });

  it('turns values into what another role takes, keeping their span', () => {
    const range = { kind: 'range' as const, start: 10, stop: 0 };
    expect(valuesForRole(range, 'combo')).toBe(range);
    expect(valuesForRole(range, 'sample')).toEqual({ kind: 'uniform', a: 0, b: 10 });
    expect(valuesForRole({ kind: 'logspace', start: -3, stop: 0, num: 4 }, 'sample')).toEqual({
      kind: 'loguniform',
      a: 0.001,
      b: 1,
    });
    expect(valuesForRole({ kind: 'normal', a: 1, b: 0.5 }, 'zip')).toEqual({
      kind: 'linspace',
      start: 0,
      stop: 2,
      num: 5,
    });
    expect(valuesForRole({ kind: 'randint', a: 1, b: 4 }, 'case')).toEqual({ kind: 'range', start: 1, stop: 4 });
    expect(valuesForRole({ kind: 'values', values: [7, 8] }, 'constant')).toEqual({ kind: 'constant', value: 7 });
    expect(valuesForRole({ kind: 'constant', value: 7 }, 'combo')).toEqual({ kind: 'values', values: [7] });
    expect(valuesForRole({ kind: 'module', module: 'd.mjs' }, 'combo')).toBeNull();
    expect(describeDraw({ kind: 'randint', a: 1, b: 4 })).toBe('an integer from 1 to 3');
  });
});
