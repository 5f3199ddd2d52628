import { describe, expect, it } from 'vitest';
import { COUPLED_PDIM, fromParamSpace, PDIM } from './paramspace';
import { Space } from './space';

describe('paramspace parameter spaces', () => {
  it('orders dims by (order, key path), names nested keys with dots, and keeps plain leaves as constants', () => {
    const { space, constants } = fromParamSpace({
      seed: { [PDIM]: { default: 42, range: [3] } },
      model: { max_step_size: { [PDIM]: { values: [0.1, 0.3] } }, num_steps: 1023 },
      first: { [PDIM]: { values: ['x', 'y'], order: -1 } },
      alpha: { [PDIM]: { linspace: [0, 1, 3], name: 'a' } },
    });
    expect(space.combos).toEqual([
      ['first', ['x', 'y']],
      ['a', [0, 0.5, 1]],
      ['model.max_step_size', [0.1, 0.3]],
      ['seed', [0, 1, 2]],
    ]);
    expect(constants).toEqual({ 'model.num_steps': 1023 });
  });

  it("reads range as Python's range and applies as_type", () => {
    const { space } = fromParamSpace({
      a: { [PDIM]: { range: [2, 8, 3] } },
      b: { [PDIM]: { logspace: [0, 2, 3], as_type: 'int' } },
      c: { [PDIM]: { values: [0, 1], as_type: 'bool' } },
    });
    expect(space.combos).toEqual([
      ['a', [2, 5]],
      ['b', [1, 10, 100]],
      ['c', [false, true]],
    ]);
  });

  it('couples a dim to a sibling or to a full key path; it varies with its target and adds no dim', () => {
    const { space } = fromParamSpace({
      seed: { [PDIM]: { values: [1, 2, 3] } },
      label: { [COUPLED_PDIM]: { target_name: 'seed', values: ['a', 'b', 'c'] } },
      sub: { copy: { [COUPLED_PDIM]: { target_name: ['seed'] } } },
    });
    const expanded = new Space(space);
    expect(expanded.dims.map((d) => d.name)).toEqual(['seed']);
    expect(expanded.paramsAt(1)).toEqual({ seed: 2, label: 'b', 'sub.copy': 2 });
  });

  it('finds targets as paramspace does, takes its own values from range or linspace, and refuses unknown keys', () => {
    const { space } = fromParamSpace({
      model: { seed: { [PDIM]: { values: [1, 2] } } },
      other: { s2: { [COUPLED_PDIM]: { target_name: 'seed', range: [5, 7] } } },
      third: { s3: { [COUPLED_PDIM]: { target_name: ['', 'model', 'seed'] } } },
    });
    expect(space.coupled).toEqual([
      { name: 'other.s2', target: 'model.seed', values: [5, 6] },
      { name: 'third.s3', target: 'model.seed', values: [1, 2] },
    ]);
    expect(() => fromParamSpace({ a: { [PDIM]: { values: [1], as_typ: 'int' } } })).toThrow(
      /!pdim does not take 'as_typ'/,
    );
  });

  it('says which coupled dim has no target', () => {
    expect(() => fromParamSpace({ x: { [COUPLED_PDIM]: { target_name: 'nope' } } })).toThrow(
      /coupled dim 'x': no !pdim named nope/,
    );
  });
});
