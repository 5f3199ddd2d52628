import { describe, expect, it } from 'vitest';
import { inAppWords } from './app-words';

describe("the engine's advice in the app's words", () => {
  it('names the control on screen instead of a command-line flag', () => {
    expect(
      inAppWords(
        "crop 'n': 2 of 4 batches are not grown: 1, 2. Grow them (furrow crop grow|submit), or reap what there is with --allow-incomplete",
      ),
    ).toBe(
      "crop 'n': 2 of 4 batches are not grown: 1, 2. Grow them (Grow here, or Submit to a cluster), or reap what there is with Allow incomplete",
    );
    expect(
      inAppWords(
        'a: the dataset holds 1 but this run gave 2; nothing was written. Use --overwrite new to keep the new values or --overwrite old to keep the stored ones',
      ),
    ).toMatch(/nothing was written\. Set Overwrite \(in Run options\) to new/);
    expect(inAppWords('disk full: once there is room, run again with --missing-only')).toBe(
      'disk full: once there is room, run again with Missing only (in Run options)',
    );
    expect(inAppWords('nothing to change')).toBe('nothing to change');
  });
});
