// The cases a run goes through, without an array of every one: a run of 10^7 cases holds a range, or a typed array
// of the chosen ones (4 bytes each), and hands them to its workers from a queue that takes from the front. So what
// a run holds per case does not grow with the study.

/** The chosen cases, in the order they run: `at(k)` is the k-th one's index among the run's items. */
export interface CaseList {
  readonly length: number;
  at(k: number): number;
}

/** Every item, in order. */
export function allCases(count: number): CaseList {
  return { length: count, at: (k) => k };
}

export function caseListOf(indices: ArrayLike<number>): CaseList {
  return { length: indices.length, at: (k) => indices[k]! };
}

/** The chosen cases as they are found, four bytes each. */
export class CaseCollector {
  private indices = new Uint32Array(1024);
  length = 0;

  push(index: number): void {
    if (this.length === this.indices.length) {
      const grown = new Uint32Array(this.indices.length * 2);
      grown.set(this.indices);
      this.indices = grown;
    }
    this.indices[this.length++] = index;
  }

  list(): CaseList {
    return caseListOf(this.indices.subarray(0, this.length));
  }
}

/** Which items a set holds (the cases the dataset holds, say), one byte per item. */
export interface ItemSet {
  has(index: number): boolean;
}

export const NO_ITEMS: ItemSet = { has: () => false };

export function itemSetOf(bits: Uint8Array): ItemSet {
  return { has: (index) => bits[index] === 1 };
}

/**
 * Where workers take their cases from. `length` is how many can be taken now: a queue's count, or for cases made as
 * they are asked for (an adaptive run's learners choose each point when a worker is free) how many workers may ask.
 */
export interface CaseFeed {
  readonly length: number;
  take(n: number): number[];
  /** Cases taken but never started (their worker died): they are taken again first. */
  giveBack(indices: number[]): void;
}

export const isCaseFeed = (cases: unknown): cases is CaseFeed =>
  typeof (cases as Partial<CaseFeed>).take === 'function';

/** The cases handed to workers: taken from the front; the ones a dead worker never started go back to the front. */
export class CaseQueue implements CaseFeed {
  private next = 0;
  private returned: number[] = [];

  constructor(private readonly cases: CaseList) {}

  get length(): number {
    return this.returned.length + this.cases.length - this.next;
  }

  take(n: number): number[] {
    const out = this.returned.splice(0, n);
    while (out.length < n && this.next < this.cases.length) out.push(this.cases.at(this.next++));
    return out;
  }

  /** Take one, or undefined when none is left. */
  shift(): number | undefined {
    return this.take(1)[0];
  }

  giveBack(indices: number[]): void {
    this.returned.unshift(...indices);
  }
}
