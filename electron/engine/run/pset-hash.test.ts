import { describe, expect, it } from 'vitest';
import { psetHash, psetHasher } from './pset-hash';

describe('pset hash', () => {
  it('ignores key order and the written form of a number', () => {
    expect(psetHash({ a: 1, b: 'x' })).toBe(psetHash({ b: 'x', a: 1.0 }));
    expect(psetHash({ a: 1 })).not.toBe(psetHash({ a: '1' }));
    expect(psetHash({ a: 1 })).not.toBe(psetHash({ a: 1, b: 2 }));
  });

  it('is the same on every machine: SHA-1 of canonical JSON', () => {
    // {"a":1,"b":"x"} — a fixed input, so a change of the hashing scheme cannot go unnoticed.
    expect(psetHash({ b: 'x', a: 1 })).toBe('6773f537e12881321ac5aca774c9ac2dd80f3a12');
  });

  it("hashes a run's cases as psetHash hashes each, constants included", () => {
    const constants = { n: 1023, tags: ['x', 'y'], z: { deep: true }, gone: undefined };
    const hash = psetHasher(constants);
    const cases = [
      { a: 1, b: 'x' },
      { b: 'y', a: 2.5 },
      { a: 3 },
      { n: 7, a: 1 }, // a parameter that shadows a constant
      { a: undefined, b: 'q' },
      { 'é"k': -0, a: Infinity },
    ];
    for (const params of cases) expect(hash(params)).toBe(psetHash({ ...constants, ...params }));
    expect(psetHasher({})({})).toBe(psetHash({}));
  });
});
