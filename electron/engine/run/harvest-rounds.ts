// A run's results reach the dataset and the run database in rounds: every few seconds while the run goes on,
// and once more at its end. So a run killed after hours keeps every round stored before the kill, plots open on
// the dataset refresh as rounds land, and memory holds one round of results rather than the whole run's.
//
// A done case's row is recorded `storing` with the other finished cases' rows, a few times a second and every
// 1024 cases (ROWS_AT_ONCE: the run holds no rows for long); its results wait in the round's grid. A round records every row still waiting, notes
// the last one, merges the grid into the dataset (harvest-file.ts, under its rollback journal) and only then
// records the round's rows done (the run's `storing` rows up to that last one). A kill between the two leaves
// `storing` rows, which the next writer settles by what the dataset holds (RunDb.settleInterrupted): done if
// their round reached the dataset, cancelled if it did not. So after any kill, every case in the dataset is
// recorded done once, and `--missing-only` runs the others.
// A round whose values conflict with stored ones (`--overwrite error`) leaves the dataset as it was but loses
// nothing: its rows are recorded `conflict` (their scalars are in them) and its outputs go into the run's side
// file, data/<name>.<run_seq>.conflict.nc, and so do every later round's, so that the run goes on to its end and
// `furrow dataset resolve` can apply the lot without running it again (run/resolve.ts).
// A round that cannot be stored otherwise (the disk is full, its rows could not be recorded) records its cases
// failed with the reason when it can; so are the cases of later rounds, and the run stops. A case whose row could
// not be recorded is not put in the dataset either: it is run again.
// Rounds never overlap, and the next one waits at least ten times as long as the last took (so that a harvest
// that must rewrite a large file never takes more than a tenth of the run), but no longer than it takes
// ROUND_MOST_CASES cases to finish, or their results to take ROUND_MOST_BYTES (outputs with dims of their own):
// what a round holds stays bounded however fast the cases come and however large their results.
import type { OwnDimsValues, RoundOutcome } from '../db/run-db';
import { ConflictError } from '../dataset/harvest';
import type { HarvestWay } from '../dataset/harvest-file';
import type { ResultGrid } from './results';
import type { Scalar } from '../../../shared/space';

/** How often a running run stores what finished, at the least, in ms. */
export const ROUND_EVERY_MS = 3000;
/** A round starts at the latest once this many cases wait in it. */
export const ROUND_MOST_CASES = 1 << 20;
/** A round starts at the latest once the results waiting in it take this many bytes (ResultGrid.bytes). */
export const ROUND_MOST_BYTES = 32 * 2 ** 20;

const RANK: Record<HarvestWay, number> = { 'in place': 0, rewritten: 1, created: 2 };

export class HarvestRounds {
  private grid: ResultGrid;
  /** Done cases in the grid, not yet stored. */
  private pending = 0;
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  /** A round was asked for by tick() and has not begun yet. */
  private asked = false;
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
  /** The first disagreement with the stored values: this round and every later one go to the side file. */
  conflict: ConflictError | null = null;
  /** Cases recorded `conflict`, their outputs kept in the side file. */
  conflicted = 0;

  constructor(
    private readonly o: {
      newGrid: () => ResultGrid;
      /** Merge a round into the dataset; null when the run has no dataset (samples). `first`: the first round. */
      harvest: ((grid: ResultGrid, first: boolean) => Promise<HarvestWay>) | null;
      /** Record the rows waiting (throws when it cannot); the pset_seq of the last row this run recorded. */
      flush: () => number;
      /** This run's `storing` rows up to `upTo` are in the dataset (done), or could not be stored (failed). */
      settle: (outcome: RoundOutcome, upTo: number) => void;
      /** Keep a round the dataset refused in the run's side file; null when there is none (samples). */
      keepConflict?: (grid: ResultGrid) => Promise<void>;
      /** The reason a conflicting round's rows give. */
      conflictReason?: (conflict: ConflictError) => string;
      /** After each stored round, with the run's count of stored cases. */
      onStored: (stored: number) => void;
      /** A harvest failed: the run should stop. */
      onFailed: (error: Error) => void;
      every?: number;
      /** ROUND_MOST_BYTES unless given (tests). */
      mostBytes?: number;
    },
  ) {
    this.grid = o.newGrid();
    this.nextAt = Date.now() + (o.every ?? ROUND_EVERY_MS);
  }

  /** Check a case's outputs and keep them for the next round; its scalars go into its record. Throws OutputError. */
  add(index: number, outputs: unknown, arrays?: Record<string, OwnDimsValues>): Record<string, Scalar | null> {
    return this.grid.add(index, outputs, arrays);
  }

  /** A done case: its outputs are in the grid (add) and its row waits to be recorded `storing`. */
  done(): void {
    this.pending++;
    // Large results fill a round long before the timer's next tick.
    if (this.full()) this.tick();
  }

  /** Called often (a timer): starts a round when one is due and none is running. */
  tick(): void {
    if (this.busy || this.asked || this.pending === 0) return;
    if (Date.now() < this.nextAt && !this.full()) return;
    this.asked = true;
    void this.round();
  }

  /** Whether the round waiting holds as much as a round may. */
  private full(): boolean {
    return this.pending >= ROUND_MOST_CASES || this.grid.bytes >= (this.o.mostBytes ?? ROUND_MOST_BYTES);
  }

  /** Store what is waiting, after any round still running. */
  round(): Promise<void> {
    this.chain = this.chain.then(() => this.store());
    return this.chain;
  }

  /** Stop storing: what waits and what comes is recorded failed with `error`'s reason (the run stops). */
  fail(error: Error): void {
    this.error ??= error;
    this.o.onFailed(error);
  }

  private async store(): Promise<void> {
    this.asked = false;
    if (this.pending === 0) return;
    const count = this.pending;
    const grid = this.grid;
    this.pending = 0;
    this.grid = this.o.newGrid();
    const notStored = (error: Error) => `not stored in the dataset: ${error.message}`;
    // The cut: every case in this grid has its row recorded first.
    let upTo: number;
    try {
      upTo = this.o.flush();
    } catch (error) {
      // Some of the grid's cases have no row: none of them goes into the dataset, so all are run again.
      this.unrecorded += count;
      return this.fail(error as Error);
    }
    if (!this.o.harvest) {
      // Samples: the database is all there is to store them in, and their rows were recorded done.
      this.stored += count;
      this.o.onStored(this.stored);
      return;
    }
    if (this.conflict && !this.error) return this.keep(grid, count, upTo);
    if (this.error) {
      if (!this.quietly(() => this.o.settle({ status: 'failed', error: notStored(this.error!) }, upTo))) {
        this.unrecorded += count;
      }
      return;
    }
    this.busy = true;
    const start = performance.now();
    try {
      const way = await this.o.harvest(grid, this.way === null);
      if (this.way === null || RANK[way] > RANK[this.way]) this.way = way;
    } catch (error) {
      if (error instanceof ConflictError && this.o.keepConflict) this.conflict = error;
      else {
        // Nothing of the round is in the dataset. Its rows say why; should the database be unwritable too (a full
        // disk), they stay `storing`, and the next run settles them as cancelled.
        if (!this.quietly(() => this.o.settle({ status: 'failed', error: notStored(error as Error) }, upTo))) {
          this.unrecorded += count;
        }
        return this.fail(error as Error);
      }
    } finally {
      const took = performance.now() - start;
      this.seconds += took / 1000;
      this.nextAt = Date.now() + Math.max(this.o.every ?? ROUND_EVERY_MS, 10 * took);
      this.busy = false;
    }
    if (this.conflict) return this.keep(grid, count, upTo);
    // The round is in the dataset: its cases count as stored even if the database cannot say so now (the next
    // run's settleInterrupted will).
    this.stored += count;
    try {
      this.o.settle({ status: 'done' }, upTo);
    } catch (error) {
      this.fail(error as Error);
    }
    this.o.onStored(this.stored);
  }

  /**
   * A round the dataset refused: its rows are recorded `conflict` first (their scalars are safe then, even if the
   * side file cannot be written), then its outputs are merged into the side file.
   */
  private async keep(grid: ResultGrid, count: number, upTo: number): Promise<void> {
    const conflict = this.conflict!;
    try {
      this.o.settle({ status: 'conflict', error: this.o.conflictReason?.(conflict) ?? conflict.detail }, upTo);
      this.conflicted += count;
      await this.o.keepConflict!(grid);
    } catch (error) {
      this.fail(error as Error);
    }
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
