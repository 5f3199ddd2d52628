import { describe, expect, it } from 'vitest';
import { inFilterOf, inListOf } from './case-filter';

describe('the in: filter', () => {
  it('reads values separated by commas, quoted when they hold one', () => {
    expect(inListOf('in: a, b,c')).toEqual(['a', 'b', 'c']);
    expect(inListOf(`IN: "x, y", 'it''s', z`)).toEqual(['x, y', "it's", 'z']);
    expect(inListOf('in:')).toEqual([]);
    expect(inListOf('rk4')).toBeNull();
    expect(inListOf('= in: a')).toBeNull();
  });

  it('writes what it reads back', () => {
    for (const values of [
      ['euler', 'rk4'],
      ['a, b', 'say "hi"', ' padded', ''],
      ['1', '2.5'],
    ])
      expect(inListOf(inFilterOf(values))).toEqual(values);
  });
});
