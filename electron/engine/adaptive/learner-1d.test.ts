import { describe, expect, test } from 'vitest';
import { Learner1D } from './learner-1d';
import { learnInParallel, learnSerially, retold } from './adaptive-test-kit';

// python-adaptive's peak: flat but for a spike of width ~a at 0.
const a = 0.01;
const peak = (x: number) => x + (a * a) / (a * a + x * x);

/** The largest error of the linear interpolation of the points against f, on 10^5 points of [-1, 1]. */
function interpolationError(points: { x: number[]; y: number | null }[], f: (x: number) => number): number {
  const known = points
    .filter((p) => p.y !== null && Number.isFinite(p.y))
    .map((p) => [p.x[0]!, p.y!] as const)
    .sort((p, q) => p[0] - q[0]);
  let worst = 0;
  let k = 0;
  for (let t = 0; t < 1e5; t++) {
    const x = -1 + (2 * t) / (1e5 - 1);
    while (k + 2 < known.length && known[k + 1]![0] < x) k++;
    const [x0, y0] = known[k]!;
    const [x1, y1] = known[k + 1]!;
    worst = Math.max(worst, Math.abs(y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) - f(x)));
  }
  return worst;
}

describe('Learner1D', () => {
  test('learns the peak to an error under 0.01 with far fewer points than a uniform grid needs', () => {
    const learner = new Learner1D([-1, 1]);
    learnSerially(learner, ([x]) => peak(x!), 150);
    expect(interpolationError(learner.data(), peak)).toBeLessThan(0.01);
    // The uniform grid of 5 × 150 points is still worse than 0.01 (the spike falls between its points).
    const grid = Array.from({ length: 750 }, (_, i) => -1 + (2 * i) / 749).map((x) => ({ x: [x], y: peak(x) }));
    expect(interpolationError(grid, peak)).toBeGreaterThan(0.01);
  });

  test('puts its points where the output changes: most of them within 0.1 of the peak', () => {
    const learner = new Learner1D([-1, 1]);
    learnSerially(learner, ([x]) => peak(x!), 200);
    const near = learner.data().filter((p) => Math.abs(p.x[0]!) < 0.1).length;
    expect(near / 200).toBeGreaterThan(0.3); // a grid puts 5 % there
  });

  test('the curvature loss learns the peak too; the uniform loss spaces its points evenly', () => {
    const curvature = new Learner1D([-1, 1], { loss: 'curvature' });
    learnSerially(curvature, ([x]) => peak(x!), 100);
    expect(interpolationError(curvature.data(), peak)).toBeLessThan(0.01);
    const uniform = new Learner1D([-1, 1], { loss: 'uniform' });
    learnSerially(uniform, ([x]) => peak(x!), 17);
    const xs = uniform
      .data()
      .map((p) => p.x[0]!)
      .sort((p, q) => p - q);
    expect(xs).toEqual(Array.from({ length: 17 }, (_, i) => -1 + i / 8));
  });

  test('the loss falls as it learns, and is the worst interval’s', () => {
    const learner = new Learner1D([-1, 1]);
    expect(learner.loss()).toBe(Infinity);
    learnSerially(learner, ([x]) => peak(x!), 20);
    const early = learner.loss();
    learnSerially(learner, ([x]) => peak(x!), 200);
    expect(learner.loss()).toBeLessThan(early / 4);
    expect(Number.isFinite(learner.loss())).toBe(true);
  });

  test('N free workers get N different points, and no point is ever asked twice', () => {
    const learner = new Learner1D([-1, 1]);
    const first = learner.ask(8).points.map(String);
    expect(new Set(first).size).toBe(8);
    expect(first.slice(0, 2)).toEqual(['-1', '1']); // the bounds first
    const { asked } = learnInParallel(new Learner1D([-1, 1]), ([x]) => peak(x!), 300, 4);
    expect(new Set(asked).size).toBe(asked.length);
  });

  test('pending points spread the asks over the worst interval rather than piling into it', () => {
    const learner = new Learner1D([0, 1], { loss: 'uniform' });
    learnSerially(learner, ([x]) => x!, 2);
    const xs = learner.ask(3).points.map((p) => p[0]);
    expect(xs).toEqual([0.5, 0.25, 0.75]);
  });

  test('a learner retold the stored points in order goes on as the first would have (resume)', () => {
    const first = new Learner1D([-1, 1]);
    const { busy } = learnInParallel(first, ([x]) => peak(x!), 150, 3);
    // Killed mid-run: the points being evaluated are lost, the stored ones are retold to a new learner.
    for (const point of busy) first.forget(point);
    const resumed = retold(first, new Learner1D([-1, 1]));
    expect(resumed.loss()).toBe(first.loss());
    expect(resumed.ask(5)).toEqual(first.ask(5));
  });

  test('the next points depend on the points told, not on the order they were told in', () => {
    const first = new Learner1D([-1, 1]);
    learnSerially(first, ([x]) => peak(x!), 120);
    const shuffled = new Learner1D([-1, 1]);
    // Backwards: the bounds, which set the outputs' range, come last.
    for (const p of first.data().reverse()) shuffled.tell(p.x, p.y!);
    expect(shuffled.loss()).toBe(first.loss());
    expect(shuffled.ask(10)).toEqual(first.ask(10));
  });

  test('a failed point is not asked again, and the rest of the range is still learned', () => {
    const direct = new Learner1D([0, 1]);
    direct.tell([0], 0);
    direct.tell([1], 1);
    direct.tellFailed([0.5]); // as a resumed run retells it, never asked by this learner
    expect(direct.ask(50).points.map(String)).not.toContain('0.5');

    const learner = new Learner1D([-1, 1]);
    const fails = ([x]: number[]) => (x! > 0.3 && x! < 0.4 ? null : peak(x!));
    const { asked } = learnInParallel(learner, fails, 300, 2);
    expect(new Set(asked).size).toBe(asked.length);
    const failed = learner.data().filter((p) => p.y === null);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((p) => p.x[0]! > 0.3 && p.x[0]! < 0.4)).toBe(true);
    // The failing stretch does not swallow the run: the peak is still found.
    expect(learner.data().filter((p) => Math.abs(p.x[0]!) < 0.05).length).toBeGreaterThan(50);
    // Resumed, the failed points are retold: the new learner does not ask them again either.
    const resumed = retold(learner, new Learner1D([-1, 1]));
    const again = new Set(resumed.ask(300).points.map(String));
    expect(failed.filter((p) => again.has(String(p.x)))).toEqual([]);
  });

  test('NaN and Infinity outputs are kept as told and neither poison the losses nor are asked again', () => {
    const learner = new Learner1D([-1, 1]);
    const f = ([x]: number[]) => (x! > 0.5 ? NaN : x! < -0.5 ? Infinity : peak(x!));
    const { asked } = learnInParallel(learner, f, 200, 2);
    expect(new Set(asked).size).toBe(asked.length);
    expect(Number.isFinite(learner.loss())).toBe(true);
    expect(learner.data().some((p) => Number.isNaN(p.y))).toBe(true);
    expect(learner.data().some((p) => p.y === Infinity)).toBe(true);
    expect(learner.data().filter((p) => Math.abs(p.x[0]!) < 0.05).length).toBeGreaterThan(50);
  });

  test('a forgotten pending point is asked again; a point outside the bounds is refused, saying where', () => {
    const learner = new Learner1D([0, 1]);
    learnSerially(learner, ([x]) => x!, 2);
    const [p, q] = learner.ask(2).points;
    learner.forget(p!);
    learner.forget(q!);
    expect(learner.ask(2).points).toEqual([p, q]);
    expect(() => learner.tell([2], 1)).toThrow(/\[2\] is not one number within \[0, 1\]/);
    expect(() => new Learner1D([1, 1])).toThrow(/lo < hi/);
  });
});
