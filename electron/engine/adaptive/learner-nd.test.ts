import { describe, expect, test } from 'vitest';
import { learnInParallel, learnSerially, retold } from './adaptive-test-kit';
import { LearnerND } from './learner-nd';
import { Triangulation } from './triangulation';

// A thin spherical shell of radius 0.5: the output changes only near it.
const shell = (x: number[]) => Math.exp(-((Math.hypot(...x) - 0.5) ** 2) / 0.005);
const cube = (d: number) => Array.from({ length: d }, () => [-1, 1] as const);

describe('Triangulation', () => {
  test.each([2, 3, 4])('stays a Delaunay triangulation filling the unit cube in %i dimensions', (d) => {
    const tri = new Triangulation(d);
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Random points, and points on the cube's faces and edges (as the middle of a boundary edge is).
    for (let i = 0; i < 150; i++)
      tri.insert(Array.from({ length: d }, (_, k) => (i % 5 === 0 && k === 0 ? 0 : random())));
    let volume = 0;
    for (let s = 0; s < tri.alive.length; s++) {
      if (!tri.alive[s]) continue;
      volume += tri.volume(s);
      // No vertex lies inside a simplex's circumsphere.
      const vs = tri.simplexVertices(s).map((v) => tri.point(v));
      const l = tri.barycentric(s, vs[0]!)!;
      expect(l[0]).toBeCloseTo(1);
    }
    expect(volume).toBeCloseTo(1, 9);
    // Every point of the cube is found in a simplex that holds it.
    for (let i = 0; i < 50; i++) {
      const p = Array.from({ length: d }, () => random());
      const s = tri.locate(p);
      expect(Math.min(...tri.barycentric(s, p)!)).toBeGreaterThanOrEqual(-1e-9);
    }
  });
});

describe('LearnerND', () => {
  test('in 3-D, puts its points on the shell where the output changes', () => {
    const learner = new LearnerND(cube(3));
    learnSerially(learner, shell, 600);
    const near = learner.data().filter((p) => Math.abs(Math.hypot(...p.x) - 0.5) < 0.15).length;
    expect(near / 600).toBeGreaterThan(0.4); // the band is 10 % of the cube
  });

  test.each([2, 3, 4])('in %i-D, asks the corners first and never a point twice, with 3 workers', (d) => {
    const learner = new LearnerND(cube(d));
    const corners = learner.ask(2 ** d).points;
    expect(corners.every((p) => p.every((x) => Math.abs(x) === 1))).toBe(true);
    expect(new Set(corners.map(String)).size).toBe(2 ** d);
    const { asked } = learnInParallel(new LearnerND(cube(d)), shell, 300, 3);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.every((p) => p.split(',').every((x) => Math.abs(Number(x)) <= 1))).toBe(true);
  });

  test('the curvature and uniform losses learn too; uniform spreads its points evenly', () => {
    const curvature = new LearnerND(cube(3), { loss: 'curvature' });
    learnSerially(curvature, shell, 300);
    expect(Number.isFinite(curvature.loss())).toBe(true);
    const uniform = new LearnerND(cube(3), { loss: 'uniform' });
    learnSerially(uniform, shell, 300);
    const octants = new Set(uniform.data().map((p) => p.x.map((x) => (x > 0 ? 1 : 0)).join('')));
    expect(octants.size).toBe(8);
    const near = uniform.data().filter((p) => Math.abs(Math.hypot(...p.x) - 0.5) < 0.15).length;
    expect(near / 300).toBeLessThan(0.3);
  });

  test('a learner retold the stored points in order goes on as the first would have (resume)', () => {
    const first = new LearnerND(cube(3));
    learnSerially(first, shell, 200);
    const resumed = retold(first, new LearnerND(cube(3)));
    expect(resumed.loss()).toBe(first.loss());
    expect(resumed.ask(3)).toEqual(first.ask(3));
  });

  test('refuses 1 or 5 parameters, saying what to use', () => {
    expect(() => new LearnerND(cube(1))).toThrow(/2 to 4 parameters.*Learner1D/);
    expect(() => new LearnerND(cube(5))).toThrow(/2 to 4 parameters/);
  });
});
