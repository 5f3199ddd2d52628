import { describe, expect, test } from 'vitest';
import { learnInParallel, learnSerially, retold } from './adaptive-test-kit';
import { Learner2D } from './learner-2d';

// python-adaptive's ring: a plane with a sharp circular ridge of radius 0.75.
const a = 0.2;
const ring = ([x, y]: number[]) => x! + Math.exp(-((x! ** 2 + y! ** 2 - 0.75 ** 2) ** 2) / a ** 4);
const square = [
  [-1, 1],
  [-1, 1],
] as const;

/** The root-mean-square error of the learner's linear interpolation against f, on a 200 × 200 grid of cell centres. */
function l2Error(learner: Learner2D, f: (x: number[]) => number): number {
  let sum = 0;
  const m = 200;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const p = [-1 + (2 * (i + 0.5)) / m, -1 + (2 * (j + 0.5)) / m];
      sum += (learner.interpolate(p) - f(p)) ** 2;
    }
  }
  return Math.sqrt(sum / (m * m));
}

function grid(n: number, f: (x: number[]) => number): Learner2D {
  const learner = new Learner2D(square);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const p = [-1 + (2 * i) / (n - 1), -1 + (2 * j) / (n - 1)];
      learner.tell(p, f(p));
    }
  }
  return learner;
}

describe('Learner2D', () => {
  test('learns the ring better with 1000 points than a uniform grid of 3× as many', () => {
    const learner = new Learner2D(square);
    learnSerially(learner, ring, 1000);
    expect(l2Error(learner, ring)).toBeLessThan(l2Error(grid(55, ring), ring)); // 3025 points
  });

  test('puts its points on the ridge', () => {
    const learner = new Learner2D(square);
    learnSerially(learner, ring, 800);
    const onRidge = learner.data().filter((p) => Math.abs(Math.hypot(p.x[0]!, p.x[1]!) - 0.75) < 0.1).length;
    expect(onRidge / 800).toBeGreaterThan(0.45); // the band is 24 % of the square
  });

  test('asks the corners first, then N different points for N free workers, never one twice', () => {
    const learner = new Learner2D(square);
    const first = learner.ask(6).points;
    expect(first.slice(0, 4).map(String).sort()).toEqual(['-1,-1', '-1,1', '1,-1', '1,1']);
    expect(new Set(first.map(String)).size).toBe(6);
    const { asked } = learnInParallel(new Learner2D(square), ring, 600, 4);
    expect(new Set(asked).size).toBe(asked.length);
  });

  test('the loss falls as it learns', () => {
    const learner = new Learner2D(square);
    expect(learner.loss()).toBe(Infinity);
    // Not at every step: finding a stretch of the ridge raises it for a while.
    const early: number[] = [];
    for (let n = 0; n < 6; n++) {
      learnSerially(learner, ring, 50);
      early.push(learner.loss());
    }
    learnSerially(learner, ring, 700);
    expect(learner.loss()).toBeLessThan(Math.max(...early) / 4);
  });

  test('a learner retold the stored points in order goes on as the first would have (resume)', () => {
    const first = new Learner2D(square);
    learnSerially(first, ring, 300);
    const resumed = retold(first, new Learner2D(square));
    expect(resumed.loss()).toBe(first.loss());
    expect(resumed.ask(5)).toEqual(first.ask(5));
  });

  test('failed points and NaN or Infinity outputs are not asked again and leave the losses finite', () => {
    const learner = new Learner2D(square);
    const f = ([x, y]: number[]) =>
      x! > 0.5 && y! > 0.5 ? null : x! < -0.5 ? NaN : y! < -0.8 ? Infinity : ring([x!, y!]);
    const { asked } = learnInParallel(learner, f, 600, 3);
    expect(new Set(asked).size).toBe(asked.length);
    expect(Number.isFinite(learner.loss())).toBe(true);
    expect(learner.data().some((p) => p.y === null)).toBe(true);
    expect(learner.data().some((p) => Number.isNaN(p.y))).toBe(true);
    // The ridge elsewhere is still learned.
    const onRidge = learner.data().filter((p) => Math.abs(Math.hypot(p.x[0]!, p.x[1]!) - 0.75) < 0.1).length;
    expect(onRidge / 600).toBeGreaterThan(0.3);
    // Resumed, the failed points are retold: the new learner does not ask them again either.
    const resumed = retold(learner, new Learner2D(square));
    const again = new Set(resumed.ask(300).points.map(String));
    expect(learner.data().filter((p) => p.y === null && again.has(String(p.x)))).toEqual([]);
  });

  test('a forgotten point is asked again; points outside the bounds and a wrong count of bounds are refused', () => {
    const learner = new Learner2D(square);
    learnSerially(learner, ring, 10);
    const [p] = learner.ask(2).points;
    learner.forget(p!);
    expect(learner.ask(1).points).toEqual([p]);
    expect(() => learner.tell([0, 2], 1)).toThrow(/\[0, 2\] is not 2 numbers within \[-1, 1\] × \[-1, 1\]/);
    expect(() => new Learner2D([[0, 1]])).toThrow(/give 2 parameters/);
  });
});
