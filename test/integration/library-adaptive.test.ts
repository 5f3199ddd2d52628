// Adaptive sampling in the library (issue 26): runLearner calls a function where the learner expects the output to
// change most, in this process or, for a function from fromModule, on the engine's worker processes (real child
// processes, the built worker entry), asking a new point whenever a worker is free.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromModule, Learner1D, Learner2D, LearnerND, RunnerError, runLearner } from '../../electron/lib';
import { tempDir } from '../helpers/furrow';

const a = 0.01;
const peak = (x: number) => x + (a * a) / (a * a + x * x);

describe('runLearner with an inline function', () => {
  it('learns until the loss goal is met, with its points at the peak', async () => {
    const learner = new Learner1D([-1, 1]);
    const run = await runLearner(learner, peak, { goal: { loss: 0.02 } });
    expect(run.reason).toBe('goal');
    expect(run.loss).toBeLessThanOrEqual(0.02);
    expect(run.points).toBe(learner.data().length);
    expect(run.points).toBeLessThan(300);
    const near = learner.data().filter((p) => Math.abs(p.x[0]!) < 0.1).length;
    expect(near / run.points).toBeGreaterThan(0.3);
  });

  it('stops at a points goal, counting the points the learner held before', async () => {
    const learner = new Learner2D([
      [-1, 1],
      [-1, 1],
    ]);
    const first = await runLearner(learner, ([x, y]: number[]) => x! * y!, { goal: { points: 30 } });
    expect(first.points).toBe(30);
    const second = await runLearner(learner, ([x, y]: number[]) => x! * y!, { goal: { points: 50 } });
    expect([second.points, second.evaluated]).toEqual([50, 20]);
    expect(new Set(learner.data().map((p) => String(p.x))).size).toBe(50);
  });

  it('keeps `workers` calls of an async function in flight at once', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = async (x: number[]) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return Math.hypot(...x);
    };
    const learner = new LearnerND([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    const run = await runLearner(learner, slow, { goal: { points: 60 }, workers: 3 });
    expect(most).toBe(3);
    expect(run.points).toBe(60);
    expect(new Set(learner.data().map((p) => String(p.x))).size).toBe(60);
  });

  it('a call that throws or returns no number fails its point, which is not asked again', async () => {
    const learner = new Learner1D([0, 1]);
    const f = (x: number) => {
      if (x > 0.7) throw new Error(`no model above 0.7 (x = ${x})`);
      return (x < 0.2 ? 'oops' : Math.sin(10 * x)) as number;
    };
    const run = await runLearner(learner, f, { goal: { points: 80 } });
    expect(run.failed).toBeGreaterThan(0);
    expect(run.failures.some((fail) => /no model above 0.7/.test(fail.message))).toBe(true);
    expect(run.failures.some((fail) => /returned "oops", not a number/.test(fail.message))).toBe(true);
    expect(new Set(learner.data().map((p) => p.x[0])).size).toBe(80);
  });

  it('refuses bad bounds, options and goals, naming them', async () => {
    expect(() => new Learner1D([1, 0])).toThrow(RunnerError);
    expect(() => new Learner1D([1, 0])).toThrow(/bounds are \[1,0\]; give \[lo, hi\]/);
    expect(() => new Learner2D([[0, 1]])).toThrow(/give 2 to 2 pairs/);
    expect(() => new Learner1D([0, 1], { loss: 'fast' as never })).toThrow(/option 'loss' is "fast"; give 'default'/);
    const learner = new Learner1D([0, 1]);
    await expect(runLearner(learner, peak, {} as never)).rejects.toThrow(/give a goal/);
    await expect(runLearner(learner, peak, { goal: { loss: -1 } })).rejects.toThrow(/option 'goal'/);
    await expect(runLearner(learner, peak, { goal: { points: 5 }, npoints: 3 } as never)).rejects.toThrow(
      /unknown option 'npoints'/,
    );
  });
});

describe('runLearner with a function from a module file', () => {
  it('runs on worker processes, asking a new point whenever one is free', async () => {
    const file = path.join(tempDir(), 'model.mjs');
    fs.writeFileSync(
      file,
      `const a = 0.01;
export function peak(x) {
  if (x > 0.95) throw new Error('no model above 0.95');
  return x + (a * a) / (a * a + x * x);
}
`,
    );
    const model = await fromModule<(x: number) => number>(file, 'peak');
    const learner = new Learner1D([-1, 1]);
    const run = await runLearner(learner, model, { goal: { points: 120 }, workers: 2 });
    expect(run.points).toBe(120);
    expect(run.failed).toBeGreaterThan(0);
    expect(run.failures[0]!.message).toMatch(/no model above 0.95/);
    expect(new Set(learner.data().map((p) => p.x[0])).size).toBe(120);
    expect(learner.data().filter((p) => Math.abs(p.x[0]!) < 0.1).length).toBeGreaterThan(30);
  });
});
