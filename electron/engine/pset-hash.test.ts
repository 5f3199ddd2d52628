import { describe, expect, it } from 'vitest';
import { psetHash } from './pset-hash';

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
});
