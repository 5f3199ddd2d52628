import { describe, expect, test } from 'vitest';
import { BalancingLearner } from './balancing';
import { Learner1D } from './learner-1d';

// One learner per combination of another parameter `a`: the spike's width.
const peak = (a: number) => (x: number) => x + (a * a) / (a * a + x * x);

describe('BalancingLearner', () => {
  test('gives more points to the combination whose output changes more, and lowers the worst loss', () => {
    const widths = [0.5, 0.01];
    const balancing = new BalancingLearner(widths.map(() => new Learner1D([-1, 1])));
    const asked = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const { points } = balancing.ask(1);
      const { learner, x } = points[0]!;
      asked.add(`${learner}:${x}`);
      balancing.tell(learner, x, peak(widths[learner]!)(x[0]!));
    }
    expect(asked.size).toBe(300);
    const counts = [0, 1].map((i) => balancing.data().filter((p) => p.learner === i).length);
    expect(counts[1]).toBeGreaterThan(1.5 * counts[0]!);
    const [smooth, sharp] = balancing.losses();
    // Balanced: neither learner's loss is far above the other's.
    expect(sharp! / smooth!).toBeLessThan(3);
    expect(balancing.loss()).toBe(Math.max(smooth!, sharp!));
  });

  test('N free workers get N different points across the learners', () => {
    const balancing = new BalancingLearner([new Learner1D([0, 1]), new Learner1D([0, 1])]);
    const { points } = balancing.ask(10);
    expect(new Set(points.map((p) => `${p.learner}:${p.x}`)).size).toBe(10);
    expect(new Set(points.map((p) => p.learner))).toEqual(new Set([0, 1]));
  });

  test('a learner told something new hands back the point it had kept, and it is not lost', () => {
    const balancing = new BalancingLearner([new Learner1D([0, 1]), new Learner1D([0, 1])]);
    for (const { learner, x } of balancing.ask(4).points) balancing.tell(learner, x, x[0]! ** 2);
    balancing.ask(1); // each learner has proposed a point; one was asked
    balancing.tell(0, [0.3], 0.09); // news for learner 0: its kept proposal is handed back
    const next = balancing.ask(6).points.map((p) => `${p.learner}:${p.x}`);
    expect(new Set(next).size).toBe(6);
    expect(() => balancing.tell(2, [0.5], 1)).toThrow(/no learner 2 \(there are 2\)/);
  });

  test('a kept proposal told from elsewhere (a stored point retold) is not asked again', () => {
    const balancing = new BalancingLearner([new Learner1D([0, 1]), new Learner1D([0, 1])]);
    expect(balancing.ask(1).points).toEqual([{ learner: 0, x: [0] }]); // learner 1 keeps its proposal, x = 0
    balancing.tell(1, [0], 0);
    const next = balancing.ask(6).points;
    expect(next).not.toContainEqual({ learner: 1, x: [0] });
    expect(new Set(next.map((p) => `${p.learner}:${p.x}`)).size).toBe(6);
  });
});
