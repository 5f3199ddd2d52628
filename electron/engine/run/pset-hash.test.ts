import { hash } from 'node:crypto';
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

describe('pset hash of nested values', () => {
  it('writes arrays, objects and non-finite numbers in one canonical form', () => {
    const params = { e: -Infinity, d: NaN, c: Infinity, b: { y: true, x: null }, a: [1, [2, 'x']] };
    // {"a":[1,[2,"x"]],"b":{"x":null,"y":true},"c":"Infinity","d":"NaN","e":"-Infinity"}
    expect(psetHash(params)).toBe('185303f26df7ee10d113081a909b5d529b35c3b0');
    expect(psetHasher({})(params)).toBe('185303f26df7ee10d113081a909b5d529b35c3b0');
    expect(psetHash({ a: [1, 2] })).not.toBe(psetHash({ a: { 0: 1, 1: 2 } }));
    expect(psetHash({ c: Infinity })).not.toBe(psetHash({ c: null }));
    expect(psetHash({ a: [undefined] })).toBe(psetHash({ a: [null] })); // as JSON writes it
  });

  it('orders keys by their own characters alone, whatever their values', () => {
    // "a" before "a,b" (a key the next one starts with), and "Z" before "a" (code units, not a dictionary's order).
    const text = '{"Z":2,"a":"z","a,b":1,"é":3}';
    expect(psetHash({ 'a,b': 1, é: 3, a: 'z', Z: 2 })).toBe(hash('sha1', text));
    expect(psetHasher({ a: 'z', é: 3 })({ 'a,b': 1, Z: 2 })).toBe(hash('sha1', text));
  });

  it('sorts many keys, given in any order', () => {
    const keys = ['k5', 'k4', 'k3', 'k2', 'k1', 'k0'];
    const forward = Object.fromEntries([...keys].reverse().map((k, i) => [k, i]));
    const backward = Object.fromEntries(keys.map((k) => [k, Number(k.slice(1))]));
    expect(psetHash(backward)).toBe(psetHash(forward));
    const hash = psetHasher({ z9: 1, a0: 2 });
    expect(hash(backward)).toBe(psetHash({ z9: 1, a0: 2, ...forward }));
  });

  it('tells apart cases whose keys run together', () => {
    const hash = psetHasher({ c: 1 });
    for (const params of [{ a: 1, b: 2 }, { ab: 3 }, { a: 1, b: 2 }]) {
      expect(hash(params)).toBe(psetHash({ c: 1, ...params }));
    }
  });
});
