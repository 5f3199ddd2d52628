// The learners' priority queue: the interval, triangle or simplex with the largest loss on top, so choosing the next
// point costs O(log n), not a scan of every loss. Entries are never updated in place: a changed loss is pushed again
// and the stale entry is dropped when it surfaces (the learner checks it against its current state).

export class LossQueue<T> {
  private heap: T[] = [];

  /** `before(a, b)`: a comes out first (a larger loss, ties broken by something that does not depend on history). */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  clear(): void {
    this.heap = [];
  }

  push(item: T): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(heap[r]!, heap[l]!) ? r : l;
      if (!this.before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

/** Index of the first element of the sorted `xs` that is >= x. */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A learner's ask(n): its best point n times over, each pending before the next is chosen. */
export function askEach(
  n: number,
  askOne: () => { x: number[]; improvement: number } | null,
): { points: number[][]; lossImprovements: number[] } {
  const points: number[][] = [];
  const lossImprovements: number[] = [];
  for (let k = 0; k < n; k++) {
    const next = askOne();
    if (next === null) break;
    points.push(next.x);
    lossImprovements.push(next.improvement);
  }
  return { points, lossImprovements };
}
