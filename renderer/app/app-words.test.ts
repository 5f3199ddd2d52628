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
    expect(
      inAppWords(
        '/s/my study/study.yaml: nothing has run yet (no run database); run a Saltelli design of N ≥ 512: furrow sample /s/my study --design saltelli -n 512',
      ),
    ).toBe(
      '/s/my study/study.yaml: nothing has run yet (no run database); run a Saltelli design of N ≥ 512 (Run a Saltelli design, below)',
    );
    expect(
      inAppWords(
        'x: no morris design; run a Morris design of R ≥ 10 trajectories: furrow sample /s --design morris -n 10',
      ),
    ).toMatch(/trajectories \(Run a Morris design, below\)$/);
    expect(inAppWords('x: 3 of 9 cases of the grid; run the rest of the grid: furrow run /s --missing-only')).toBe(
      'x: 3 of 9 cases of the grid; run the rest of the grid (Run, with Missing only in Run options)',
    );
    expect(
      inAppWords(
        'a.nc: x; apply them without running again with `furrow dataset resolve /s --run 2 --overwrite new` (the new values win) or `--overwrite old` (the stored ones stay)',
      ),
    ).toBe('a.nc: x; apply them without running again with Keep the new values or Keep the stored values');
    expect(inAppWords("--reduce t=mean: no output analysed has a dim 't' (y: [s])")).toBe(
      "mean over t: no output analysed has a dim 't' (y: [s])",
    );
    expect(inAppWords('nothing to change')).toBe('nothing to change');
  });
});
