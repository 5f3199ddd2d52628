// A run's results reach the dataset and the run database in rounds: every few seconds while the run goes on,
// and once more at its end. So a run killed after hours keeps every round stored before the kill, plots open on
// the dataset refresh as rounds land, and memory holds one round of results rather than the whole run's.
//
// A round takes the cases done since the last one, merges their results into the dataset (harvest-file.ts, under
// its rollback journal) and only then records them done in the database. A kill between the two leaves cells the
// dataset holds and the database does not: `--missing-only` reads the dataset too, so they never run twice.
// Rounds never overlap, and the next one waits at least ten times as long as the last took, so that a harvest
// that must rewrite a large file never takes more than a tenth of the run.
import type { HarvestWay } from './harvest-file';
import type { ResultGrid } from './results';
import type { CaseRecord } from './run-db';
import type { Scalar } from '../../shared/space';

/** How often a running run stores what finished, at the least, in ms. */
export const ROUND_EVERY_MS = 3000;

const RANK: Record<HarvestWay, number> = { 'in place': 0, rewritten: 1, created: 2 };

export class HarvestRounds {
  private grid: ResultGrid;
  private waiting: { index: number; row: CaseRecord }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  private nextAt: number;
  /** Cases stored in the dataset (when the run has one) and recorded done in the database. */
  stored = 0;
  /** How the dataset was written: created beats rewritten beats in place, over all rounds. */
  way: HarvestWay | null = null;
  seconds = 0;
  /** The first harvest that failed; the cases of later rounds are recorded failed with its reason. */
  error: Error | null = null;

  constructor(
    private readonly o: {
      newGrid: () => ResultGrid;
      /** Merge a round into the dataset; null when the run has no dataset (samples). `first`: the first round. */
      harvest: ((grid: ResultGrid, first: boolean) => Promise<HarvestWay>) | null;
      record: (rows: CaseRecord[]) => void;
      /** After each stored round, with the run's count of stored cases. */
      onStored: (stored: number) => void;
      /** A harvest failed: the run should stop. */
      onFailed: (error: Error) => void;
      every?: number;
    },
  ) {
    this.grid = o.newGrid();
    this.nextAt = Date.now() + (o.every ?? ROUND_EVERY_MS);
  }

  /** Check a case's outputs and keep them for the next round; its scalars go into its record. Throws OutputError. */
  add(index: number, outputs: unknown): Record<string, Scalar | null> {
    return this.grid.add(index, outputs);
  }

  /** A done case's record, written once its round is stored. */
  done(index: number, row: CaseRecord): void {
    this.waiting.push({ index, row });
  }

  /** Called often (a timer): starts a round when one is due and none is running. */
  tick(): void {
    if (this.busy || Date.now() < this.nextAt || this.waiting.length === 0) return;
    void this.round();
  }

  /** Store what is waiting, after any round still running. */
  round(): Promise<void> {
    this.chain = this.chain.then(() => this.store());
    return this.chain;
  }

  private async store(): Promise<void> {
    if (this.waiting.length === 0) return;
    // Done cases are recorded in the order of the parameter space (or of the samples), not as they finished.
    const rows = this.waiting.sort((x, y) => x.index - y.index).map((w) => w.row);
    const grid = this.grid;
    this.waiting = [];
    this.grid = this.o.newGrid();
    if (this.error) {
      this.o.record(
        rows.map((r) => ({ ...r, status: 'failed', error: `not stored in the dataset: ${this.error!.message}` })),
      );
      return;
    }
    this.busy = true;
    const start = performance.now();
    try {
      if (this.o.harvest) {
        const way = await this.o.harvest(grid, this.way === null);
        if (this.way === null || RANK[way] > RANK[this.way]) this.way = way;
      }
    } catch (error) {
      this.error = error as Error;
      this.o.record(
        rows.map((r) => ({ ...r, status: 'failed', error: `not stored in the dataset: ${this.error!.message}` })),
      );
      this.o.onFailed(this.error);
      return;
    } finally {
      const took = performance.now() - start;
      this.seconds += took / 1000;
      this.nextAt = Date.now() + Math.max(this.o.every ?? ROUND_EVERY_MS, 10 * took);
      this.busy = false;
    }
    this.o.record(rows);
    this.stored += rows.length;
    this.o.onStored(this.stored);
  }
}
