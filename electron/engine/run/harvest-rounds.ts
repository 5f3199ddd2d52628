// A run's results reach the dataset and the run database in rounds: every few seconds while the run goes on,
// and once more at its end. So a run killed after hours keeps every round stored before the kill, plots open on
// the dataset refresh as rounds land, and memory holds one round of results rather than the whole run's.
//
// A round takes the cases done since the last one, records them `storing` in the database, merges their
// results into the dataset (harvest-file.ts, under its rollback journal) and only then records them done. A kill
// between the two leaves `storing` rows, which the next writer settles by what the dataset holds
// (RunDb.settleInterrupted): done if their round reached the dataset, cancelled if it did not. So after any kill,
// every case in the dataset is recorded done once, and `--missing-only` runs the others.
// A round that cannot be stored (its values conflict with stored ones, or the disk is full) records its cases
// failed with the reason; so are the cases of later rounds, and the run stops.
// Rounds never overlap, and the next one waits at least ten times as long as the last took, so that a harvest
// that must rewrite a large file never takes more than a tenth of the run.
import type { HarvestWay } from '../dataset/harvest-file';
import type { ResultGrid } from './results';
import type { CaseRecord } from '../db/run-db';
import type { Scalar } from '../../../shared/space';

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
  /** Cases not stored whose failure the database could not record either (a full disk): the next run settles them. */
  unrecorded = 0;

  constructor(
    private readonly o: {
      newGrid: () => ResultGrid;
      /** Merge a round into the dataset; null when the run has no dataset (samples). `first`: the first round. */
      harvest: ((grid: ResultGrid, first: boolean) => Promise<HarvestWay>) | null;
      /** Record rows in the run database (throws when it cannot). */
      record: (rows: CaseRecord[]) => void;
      /** The rows recorded `storing` are in the dataset (done), or could not be stored (failed, with the reason). */
      settle: (outcome: { status: 'done' } | { status: 'failed'; error: string }) => void;
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
    const notStored = (error: Error) => `not stored in the dataset: ${error.message}`;
    if (this.error) {
      const reason = notStored(this.error);
      if (!this.quietly(() => this.o.record(rows.map((r) => ({ ...r, status: 'failed', error: reason }))))) {
        this.unrecorded += rows.length;
      }
      return;
    }
    if (!this.o.harvest) {
      // Samples: the database is all there is to store them in.
      try {
        this.o.record(rows);
      } catch (error) {
        return this.fail(error as Error);
      }
      this.stored += rows.length;
      this.o.onStored(this.stored);
      return;
    }
    this.busy = true;
    const start = performance.now();
    try {
      this.o.record(rows.map((r) => ({ ...r, status: 'storing' })));
      const way = await this.o.harvest(grid, this.way === null);
      if (this.way === null || RANK[way] > RANK[this.way]) this.way = way;
    } catch (error) {
      // Nothing of the round is in the dataset. Its rows say why; should the database be unwritable too (a full
      // disk), they stay `storing`, and the next run settles them as cancelled.
      if (!this.quietly(() => this.o.settle({ status: 'failed', error: notStored(error as Error) }))) {
        this.unrecorded += rows.length;
      }
      return this.fail(error as Error);
    } finally {
      const took = performance.now() - start;
      this.seconds += took / 1000;
      this.nextAt = Date.now() + Math.max(this.o.every ?? ROUND_EVERY_MS, 10 * took);
      this.busy = false;
    }
    // The round is in the dataset: its cases count as stored even if the database cannot say so now (the next
    // run's settleInterrupted will).
    this.stored += rows.length;
    try {
      this.o.settle({ status: 'done' });
    } catch (error) {
      this.fail(error as Error);
    }
    this.o.onStored(this.stored);
  }

  private fail(error: Error): void {
    this.error ??= error;
    this.o.onFailed(error);
  }

  /** A write whose failure changes nothing for the run (the first error is the one it reports): whether it wrote. */
  private quietly(write: () => void): boolean {
    try {
      write();
      return true;
    } catch {
      return false;
    }
  }
}
