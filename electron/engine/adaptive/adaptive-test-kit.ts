// Test helpers shared by the learners' tests: learning serially or with simulated workers.
import type { Learner } from './learner';

/** Asks one point at a time and tells its value, `count` times. */
export function learnSerially(learner: Learner, f: (x: number[]) => number, count: number): void {
  for (let n = 0; n < count; n++) {
    const x = learner.ask(1).points[0]!;
    learner.tell(x, f(x));
  }
}

/**
 * `workers` workers: every free one asks; a random busy one (seeded) finishes next, as a pool of processes would.
 * f returning null fails the point. Returns every point asked (as strings) and the points still being evaluated.
 */
export function learnInParallel(learner: Learner, f: (x: number[]) => number | null, count: number, workers: number) {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const busy: number[][] = [];
  const asked: string[] = [];
  for (let done = 0; done < count; done++) {
    while (busy.length < workers) {
      const point = learner.ask(1).points[0]!;
      asked.push(String(point));
      busy.push(point);
    }
    const point = busy.splice(Math.floor(random() * busy.length), 1)[0]!;
    const y = f(point);
    if (y === null) learner.tellFailed(point);
    else learner.tell(point, y);
  }
  return { asked, busy };
}

/** A new learner told the stored points of `learner` in order, as a resumed run does. */
export function retold<L extends Learner>(learner: Learner, fresh: L): L {
  for (const p of learner.data()) {
    if (p.y === null) fresh.tellFailed(p.x);
    else fresh.tell(p.x, p.y);
  }
  return fresh;
}
