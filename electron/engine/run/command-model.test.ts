import { describe, expect, it } from 'vitest';
import { parseModelJson } from './command-model';

describe("a command model's JSON", () => {
  it("reads NaN, Infinity and -Infinity as Python's json.dumps writes them, and leaves them alone inside strings", () => {
    expect(parseModelJson('{"z": NaN, "w": -Infinity, "v": Infinity, "s": "NaN \\" Infinity", "a": [1, NaN]}')).toEqual(
      { z: NaN, w: -Infinity, v: Infinity, s: 'NaN " Infinity', a: [1, NaN] },
    );
  });

  it('still refuses what is not JSON', () => {
    expect(() => parseModelJson('{"z": NaNa}')).toThrow();
    expect(() => parseModelJson('{"z": nan}')).toThrow();
  });
});
