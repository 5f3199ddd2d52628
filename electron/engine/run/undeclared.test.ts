// What a model returns beyond the declared outputs (psweep's `return {**pset, ...}`): split off, said once.
import { describe, expect, it } from 'vitest';
import { UndeclaredKeys } from './undeclared';

describe('undeclared keys', () => {
  it('drops the pset handed back, keeps undeclared scalars, names what it does not store', () => {
    const keys = new UndeclaredKeys(['y']);
    const given = { a: 1, flag: true, scale: 2 };
    const split = keys.split({ ...given, y: 2, extra: 1.5, note: null, arr: [1], _x: 1 }, () => given);
    expect(split.outputs).toEqual({ y: 2 });
    expect(split.extra).toEqual({ extra: 1.5, note: null });
    const warning = keys.warning()!;
    expect(warning).toMatch(/^the model returned 'extra', 'note', which study.yaml's outputs do not declare/);
    expect(warning).toMatch(/'arr' is not a scalar: not stored/);
    expect(warning).toMatch(/'_x' starts with _/);
    expect(warning).not.toMatch(/'a'|'flag'|'scale'/);
  });

  it('does not store a key that changes a parameter, and says so (NaN is NaN)', () => {
    const keys = new UndeclaredKeys(['y']);
    const split = keys.split({ a: 10, b: NaN, y: 1 }, () => ({ a: 1, b: NaN }));
    expect(split).toEqual({ outputs: { y: 1 }, extra: {} });
    expect(keys.warning()).toBe("'a' differs from the parameter the case was given: not stored");
  });

  it('leaves declared-only outputs and arrays alone, without asking for the parameters', () => {
    const keys = new UndeclaredKeys(['y', 'z']);
    const never = () => {
      throw new Error('asked for the parameters');
    };
    const declared = { y: 1, z: 2 };
    expect(keys.split(declared, never).outputs).toBe(declared);
    expect(keys.split([1, 2], never)).toEqual({ outputs: [1, 2], extra: {} });
    expect(keys.warning()).toBeNull();
  });
});
