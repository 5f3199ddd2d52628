// What a sample keeps of its outputs with dims of their own (sample_arrays in the run database, which the sensitivity
// analysis reads per coordinate): every case's values, up to a budget for the run (1 GiB unless given: `furrow
// sample --keep-arrays SIZE`). Past it, none of them (indices per coordinate need every case's values), decided at
// the first case that returns some, and said once at the end of the run with how to get them.
import { sizeText } from '../dataset/disk';
import type { OwnDimsValues } from '../db/run-db';

/** A run's budget for its sample's arrays in the run database, in bytes, unless given. */
export const KEEP_ARRAYS_DEFAULT = 1024 ** 3;

/** A size as --keep-arrays takes it, at least `bytes`: 3.1GiB, 200MiB. */
export function sizeArgument(bytes: number): string {
  const [unit, scale] = bytes >= 1024 ** 3 ? ['GiB', 1024 ** 3] : ['MiB', 1024 ** 2];
  return `${Math.ceil((bytes / scale) * 10) / 10}${unit}`;
}

export class ArrayBudget {
  /** null until the first case that returns values with dims. */
  private keeping: boolean | null = null;
  private said: string | null = null;

  constructor(
    private readonly budget: number,
    private readonly cases: number,
  ) {}

  /** Whether a case's values with dims are worth collecting: false once the run keeps none. */
  get open(): boolean {
    return this.keeping !== false && this.budget > 0;
  }

  /** Whether this case's values are kept: the first case that has some decides for the whole run. */
  keeps(arrays: Record<string, OwnDimsValues>): boolean {
    if (this.keeping !== null) return this.keeping;
    const perCase = Object.values(arrays).reduce((n, a) => n + a.values.byteLength, 0);
    const total = perCase * this.cases;
    this.keeping = total <= this.budget;
    if (!this.keeping && this.budget > 0) {
      const each = Object.entries(arrays)
        .map(([name, a]) => `${name}: ${a.values.length} values`)
        .join(', ');
      this.said =
        `the outputs with dims of their own (${each} per case) would take ${sizeText(total)} of the run database ` +
        `for this sample's ${this.cases} cases, past its budget of ${sizeText(this.budget)}: none of their values ` +
        `are kept, so furrow sensitivity gives no indices of them. To keep them, sample again with --keep-arrays ` +
        `${sizeArgument(total)}; or have the model also return what you need of them as scalar outputs (a mean ` +
        `over a dim, say)`;
    }
    return this.keeping;
  }

  /** The run's one warning about its arrays; null when it kept them (or was told to keep none). */
  warning(): string | null {
    return this.said;
  }
}
