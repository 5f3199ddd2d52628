// What a run knows of its cases while they run: the counts, the cases running now, each finished case's row for
// the run database (its pset_id made when first needed), and the progress events those give.
import { randomUUID } from 'node:crypto';
import type { EngineEvent } from '../../../shared/api';
import type { Scalar } from '../../../shared/space';
import type { CaseRecord, RunDb } from '../db/run-db';
import type { Study } from '../study/study';
import { caseDirOf, psetRecipeOf } from './execute';
import type { Plan } from './plan';
import type { RunOptions } from './run-options';
import type { GrownAt } from './worker-pool';
import type { RowParts } from './worker-protocol';

export type Outcome = Pick<CaseRecord, 'status' | 'timeUtc' | 'host' | 'error' | 'outputs' | 'arrays' | 'runtimeS'>;

/**
 * A finished case waiting for its row: its outcome, the pset_id and folder it was given, if any, and the row parts
 * its worker made, if it made them.
 */
interface Finished {
  index: number;
  outcome: Outcome;
  psetId: string | undefined;
  /** Its pset hash, if it was made before (for its seed). */
  psetHash?: string | undefined;
  calcDir: string | null;
  made?: RowParts | undefined;
}

/** The time now as ISO 8601, formatted once per millisecond however many cases finish in it. */
function utcClock(): () => string {
  let ms = 0;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== ms) {
      ms = now;
      text = new Date(now).toISOString();
    }
    return text;
  };
}

export class RunLedger {
  readonly counts = { done: 0, failed: 0, running: 0, stored: 0 };
  /** A bit per item, set once the case has its outcome: 1.25 MB for 10^7 cases. */
  private readonly finished: Uint8Array;
  /** The cases running now, by when they started (a Map keeps that order: the longest-running come first). */
  private readonly since = new Map<number, number>();
  private readonly psetIds = new Map<number, string>();
  /** Pset hashes made for the seeds of cases running now (with repeats), kept until their rows take them. */
  private readonly psetHashes = new Map<number, string>();
  /**
   * Finished cases, recorded at the next flush (a few times a second, every 1024 cases, and when a round begins).
   * What a row is made of waits here; the row itself (its parameters, hash and pset_id) is made as it is written, so the thousands
   * waiting between two flushes hold little and what the rows take is let go at once.
   */
  private ready: Finished[] = [];
  /** The scalar constants: columns of every case's row, with its varied parameters. */
  private readonly constants: Record<string, Scalar>;
  /** paramsAt gives a fresh object, which a study without scalar constants takes as its row's columns as it is. */
  private readonly noConstants: boolean;
  private readonly utcNow = utcClock();
  private readonly start = Date.now();
  private lastProgress = 0;

  constructor(
    private readonly study: Study,
    private readonly plan: Plan,
    private readonly runId: string,
    private readonly emit: (event: EngineEvent) => void,
    private readonly options: Pick<RunOptions, 'progressEvery' | 'source' | 'samples' | 'design'>,
  ) {
    this.finished = new Uint8Array(Math.ceil(plan.items.count / 8));
    this.constants = psetRecipeOf(study).columns;
    this.noConstants = Object.keys(this.constants).length === 0;
  }

  /**
   * A case's pset_id, made when it is first needed: for its folder (command models) or its record. Kept only from
   * its folder's making to its record, so the run holds ids for the cases running, not for every case.
   */
  psetIdOf(index: number): string {
    let id = this.psetIds.get(index) ?? this.options.source?.psetIdOf(index);
    if (id === undefined) this.psetIds.set(index, (id = randomUUID()));
    return id;
  }

  /** Command models run in a folder of their own per case; module models need none. */
  calcDirOf(index: number): string | null {
    return this.study.model.kind === 'command' ? caseDirOf(this.study, this.psetIdOf(index)) : null;
  }

  rowOf(index: number, outcome: Outcome): CaseRecord {
    const calcDir = this.calcDirOf(index); // first: it names the case's pset_id when the case has a folder
    const psetId = this.takePsetId(index) ?? randomUUID();
    return this.row({ index, outcome, psetId, calcDir, psetHash: this.takePsetHash(index) });
  }

  /**
   * A case's pset hash made before its row, from its parameters (paramsAt's): with repeats, for the seed its model
   * is handed. Made once: its row takes it.
   */
  psetHashOf(index: number, params: Record<string, Scalar>): string {
    let hash = this.psetHashes.get(index);
    if (hash === undefined) this.psetHashes.set(index, (hash = this.plan.hashParams(params)));
    return hash;
  }

  private takePsetHash(index: number): string | undefined {
    const hash = this.psetHashes.get(index);
    if (hash !== undefined) this.psetHashes.delete(index);
    return hash;
  }

  /** The pset_id named for a case so far (its folder's, or its source's), let go of here. */
  private takePsetId(index: number): string | undefined {
    const id = this.psetIds.get(index) ?? this.options.source?.psetIdOf(index);
    this.psetIds.delete(index);
    return id;
  }

  /** A finished case's row: its parameters read once, for its columns (and its hash, unless its worker made it). */
  private row({ index, outcome, psetId, calcDir, made, psetHash }: Finished): CaseRecord {
    const params = this.plan.items.paramsAt(index);
    return {
      psetId: psetId ?? made?.psetId ?? randomUUID(),
      psetHash: made?.psetHash ?? psetHash ?? this.plan.hashParams(params),
      params: this.noConstants ? params : { ...this.constants, ...params },
      ...(made ? { paramsJson: made.paramsJson } : {}),
      calcDir,
      ...outcome,
      ...(this.options.design ? { designRow: index } : {}),
    };
  }

  started(index: number): void {
    this.since.set(index, Date.now());
  }

  /**
   * A case has its outcome: its row (returned) waits for the next flush. A done case of a run that stores a dataset is
   * recorded `storing` until its round is in it (harvest-rounds.ts).
   */
  record(
    index: number,
    outcome: Omit<Outcome, 'timeUtc' | 'host'>,
    grown?: GrownAt,
    made?: RowParts,
  ): { calcDir: string | null } {
    this.finished[index >>> 3]! |= 1 << (index & 7);
    this.since.delete(index);
    const storing = outcome.status === 'done' && !this.options.samples;
    const calcDir = this.calcDirOf(index); // first: it names the case's pset_id when the case has a folder
    this.ready.push({
      index,
      outcome: {
        timeUtc: grown?.timeUtc ?? this.utcNow(),
        ...(grown ? { host: grown.host } : {}),
        ...outcome,
        ...(storing ? { status: 'storing' } : {}),
      },
      psetId: this.takePsetId(index),
      psetHash: this.takePsetHash(index),
      calcDir,
      made,
    });
    return { calcDir };
  }

  /**
   * Record the rows waiting, in the order of the run's items (not as they finished); they stay waiting if the
   * database cannot take them. Returns the pset_seq of the last row this run recorded.
   */
  flushTo(db: RunDb, run: { runId: string; runSeq: number }): number {
    if (this.ready.length > 0) {
      const ready = this.ready.sort((x, y) => x.index - y.index);
      // Rows made as they are written (again should the write be tried again): none is held longer than its insert.
      const rows = function* (ledger: RunLedger) {
        for (const f of ready) yield ledger.row(f);
      };
      db.recordCases(run, { [Symbol.iterator]: () => rows(this) });
      this.ready = [];
    }
    return db.lastRecorded;
  }

  /** Finished cases whose rows wait for the next flush. */
  get waiting(): number {
    return this.ready.length;
  }

  /** No case runs any more. */
  stopped(): void {
    this.since.clear();
    this.counts.running = 0;
  }

  /** The chosen cases that never finished, `most` at a time: the run records them cancelled when it closes. */
  *unfinished(most = 10_000): Generator<number[]> {
    const { indices } = this.plan;
    let some: number[] = [];
    for (let k = 0; k < indices.length; k++) {
      const index = indices.at(k);
      if (this.finished[index >>> 3]! & (1 << (index & 7))) continue;
      some.push(index);
      if (some.length === most) {
        yield some;
        some = [];
      }
    }
    if (some.length) yield some;
  }

  /** A round stored: `stored` cases of the run are in the dataset (if it has one) and recorded done. */
  stored(stored: number): void {
    this.counts.stored = stored;
    const dataset = this.options.samples ? null : this.study.datasetPath;
    this.emit({ type: 'run.stored', runId: this.runId, stored, dataset });
    this.progress(true);
  }

  /** Announce the run's progress: at most every `progressEvery` ms unless `force`d. */
  progress(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < (this.options.progressEvery ?? 100)) return;
    this.lastProgress = now;
    const total = this.plan.indices.length;
    const finished = this.counts.done + this.counts.failed;
    const rate = finished / Math.max(0.001, (now - this.start) / 1000);
    this.emit({
      type: 'run.progress',
      runId: this.runId,
      total,
      ...this.counts,
      rate,
      eta: rate > 0 ? (total - finished) / rate : null,
      current: [...this.since].slice(0, 10).map(([index, start]) => ({
        params: this.plan.items.paramsAt(index),
        seconds: (now - start) / 1000,
      })),
    });
  }
}
