// A study on a disk that fills up (a small tmpfs of its own, so root only; elsewhere skipped with a message, and
// under CI=true a failure), at levels of room from none to nearly enough: test/faults/disk-full.ts says what must
// hold after each (one line, exit 1, the dataset as it was, nothing left behind, everything stored once there is
// room). The fault campaign runs the same trials at seeded levels.
import { expect, it } from 'vitest';
import { diskFullTrials } from '../faults/disk-full';
import { describeWith } from '../helpers/tools';

describeWith('tmpfs', 'a disk that fills up', () => {
  it('a harvest that finds the disk full leaves the dataset as it was, at every level of room', async () => {
    const r = await diskFullTrials('harvest', [0, 40, 120, 400, 900]);
    expect(r.problems).toEqual([]);
    expect(r.clear).toBe(5);
  }, 300_000);

  it('a first run on a full disk says why in one line and leaves no temporary file', async () => {
    const r = await diskFullTrials('first run', [0, 24, 200, 600]);
    expect(r.problems).toEqual([]);
    expect(r.clear).toBe(4);
  }, 300_000);
});
