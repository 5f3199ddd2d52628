// What crosses between a run and its model workers: a batch's parameters as columns (or objects when the cases'
// names differ), and each case's row parts made by its worker, read back case by case.
import { describe, expect, it } from 'vitest';
import { paramsBatch, paramsIn, rowPartsAt } from './worker-protocol';
import { handedWith, psetHash } from './pset-hash';

describe('the worker protocol', () => {
  it('sends the parameters of cases with the same names as columns, and gives each case back whole', () => {
    const cases = [
      { a: 1, b: 'x', c: true },
      { a: 2, b: 'y', c: false },
    ];
    const batch = paramsBatch(cases);
    expect(batch).toEqual({
      names: ['a', 'b', 'c'],
      columns: [
        [1, 2],
        ['x', 'y'],
        [true, false],
      ],
    });
    expect([0, 1].map((c) => paramsIn(structuredClone(batch), c))).toEqual(cases);
    expect(Object.keys(paramsIn(batch, 1))).toEqual(['a', 'b', 'c']);
  });

  it("hands a library learner's point (a number, or an array over two parameters) to its function as it is", () => {
    for (const points of [
      [0.5, -0.25],
      [
        [0.5, 1],
        [-0.25, 0],
      ],
    ] as unknown as Record<string, unknown>[][]) {
      const batch = paramsBatch(points);
      expect([0, 1].map((c) => paramsIn(structuredClone(batch), c))).toEqual(points);
    }
  });

  it('sends an object per case when the names or their order differ', () => {
    for (const cases of [
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: 1, b: 2 }, { a: 1 }],
    ]) {
      const batch = paramsBatch(cases);
      expect(batch).toEqual({ each: cases });
      expect(cases.map((_, c) => paramsIn(batch, c))).toEqual(cases);
    }
  });

  it("reads each case's pset_id, pset hash and _params back from its worker's text", () => {
    const parts = [
      { psetId: '5e1e74a6-9c2f-406a-9d58-b426453d88ef', psetHash: psetHash({ a: 1 }), paramsJson: '{"a":1}' },
      { psetId: '349fca7c-906d-4943-8af7-6089fc931af9', psetHash: psetHash({ a: 22 }), paramsJson: '{"k":"x","a":22}' },
    ];
    let text = '';
    const ends: number[] = [];
    for (const p of parts) {
      text += p.psetId + p.psetHash + p.paramsJson;
      ends.push(text.length);
    }
    expect(parts.map((_, k) => rowPartsAt({ text, ends }, k))).toEqual(parts);
  });

  it('hands the model the constants, resources and parameters, and with repeats its seed from its pset hash', () => {
    const recipe = { constants: { k: 2 }, columns: { k: 2 }, fixed: { k: 2, dir: '/r' }, seed: null };
    expect(handedWith(recipe)({ a: 1 })).toEqual({ k: 2, dir: '/r', a: 1 });
    const seeded = handedWith({ ...recipe, seed: 'seed' });
    const hash = psetHash({ k: 2, a: 1, repeat: 0 });
    expect(seeded({ a: 1, repeat: 0 })).toEqual({
      k: 2,
      dir: '/r',
      a: 1,
      repeat: 0,
      seed: parseInt(hash.slice(0, 8), 16),
    });
    // A hash already made (by the worker, for the case's row) is not made again, and gives the same seed.
    expect(seeded({ a: 1, repeat: 0 }, hash)).toEqual(seeded({ a: 1, repeat: 0 }));
  });
});
