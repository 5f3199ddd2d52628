// A run's execute stage: the chosen cases through the model (or, for a crop's reap, its grown results), each outcome
// to the ledger and each done case's results to its round. Finished cases are recorded in batches, one transaction
// per flush, four times a second and whenever ROWS_AT_ONCE wait; a done case is recorded `storing` until its round
// is in the dataset (harvest-rounds.ts).
import path from 'node:path';
import type { EngineEvent } from '../../../shared/api';
import type { OwnDimsValues, RunDb } from '../db/run-db';
import { loadH5 } from '../dataset/h5';
import type { Study } from '../study/study';
import { executeCases, modelParamsOf } from './execute';
import type { HarvestRounds } from './harvest-rounds';
import type { Plan } from './plan';
import { OutputError } from './results';
import type { Outcome, RunLedger } from './run-ledger';
import type { RunOptions } from './run-options';
import type { Schedule } from './schedule';
import type { ArrayBudget } from './array-budget';
import type { UndeclaredKeys } from './undeclared';
import type { PoolHooks } from './worker-pool';

/**
 * Rows are recorded once this many finished cases wait, between the timer's flushes: a fast run's rows then wait a
 * few milliseconds, not a quarter of a second, and what they are made of dies young (the garbage collector's cheap
 * kind) instead of piling up in the old generation, which grew the faster the run went.
 */
export const ROWS_AT_ONCE = 1024;

export interface Execution {
  study: Study;
  plan: Plan;
  options: RunOptions;
  schedule: Schedule;
  db: RunDb;
  ledger: RunLedger;
  rounds: HarvestRounds;
  /** What the model returned beyond the declared outputs: split off each case's outputs, said once at the end. */
  undeclared: UndeclaredKeys;
  /** What a sample keeps of its outputs with dims of their own: all, up to the run's budget. */
  arrays: ArrayBudget;
  /** Stops the cases: the caller's signal, a failed round, --fail-fast or a database that cannot record. */
  abort: AbortController;
  emit: (event: EngineEvent) => void;
}

/** Run the cases; resolves with what stopped the run early (null: nothing did), never rejects. */
export async function runCases(x: Execution): Promise<unknown> {
  const { options, schedule, db, ledger, rounds, abort } = x;
  const { runId } = schedule.run;
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort);
  let flushError: unknown = null;
  /** Record the finished cases' rows (and with `counts`, the run's counts); a failure stops the run. */
  const record = (counts: boolean) => {
    try {
      ledger.flushTo(db, schedule.run);
      if (counts) db.countRun(runId, { done: ledger.counts.done, failed: ledger.counts.failed, cancelled: 0 });
    } catch (error) {
      flushError ??= error;
      // Rows that could not be recorded: no case of the round goes into the dataset without its row.
      rounds.fail(error as Error);
      abort.abort();
    }
  };
  const flush = () => {
    record(true);
    rounds.tick();
  };
  /** After each finished case: the rows are recorded once ROWS_AT_ONCE wait (unless recording failed already). */
  const recorded = () => {
    if (flushError === null && ledger.waiting >= ROWS_AT_ONCE) record(false);
  };
  const flushTimer = setInterval(flush, 250);
  // Slow cases finish rarely: the running ones' clocks are announced every second all the same.
  const ticker = setInterval(() => ledger.progress(), 1000);
  x.emit({ type: 'run.started', runId, total: x.plan.indices.length });
  let runError: unknown = null;
  try {
    const hooks = caseHooks(x, recorded);
    if (options.source) await options.source.deliver(hooks);
    else
      await executeCases(
        x.study,
        x.plan.indices,
        { ...hooks, psetIdOf: (i) => ledger.psetIdOf(i), ownParamsOf: (i) => x.plan.items.paramsAt(i), runId },
        {
          spawner: options.spawner,
          workerEntry: options.workerEntry,
          workers: schedule.workers,
          signal: abort.signal,
          ...(options.h5Kit ? { h5Kit: options.h5Kit } : {}),
          ...(schedule.started ? { started: schedule.started } : {}),
        },
      );
  } catch (error) {
    runError = error;
  } finally {
    clearInterval(flushTimer);
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', onOuterAbort);
    ledger.stopped();
    flush();
  }
  return runError ?? flushError;
}

/** What the pool (or a crop's results) reports each case's outcome to. */
function caseHooks(x: Execution, recorded: () => void): PoolHooks {
  const { study, plan, options, ledger, rounds, undeclared, abort, emit, schedule } = x;
  const runtime = (seconds: number | null) => (seconds === null ? {} : { runtimeS: seconds });
  const fail: PoolHooks['onFailed'] = (index, message, seconds, grown, at, made) => {
    ledger.counts.failed++;
    const { calcDir } = ledger.record(index, { status: 'failed', error: message, ...runtime(seconds) }, grown, made);
    emit({
      type: 'case.failed',
      runId: schedule.run.runId,
      params: plan.items.paramsAt(index),
      error: message,
      ...(at ? { errorAt: at } : {}),
      ...(calcDir ? { caseDir: path.join(study.dir, calcDir) } : {}),
    });
    if (options.failFast) abort.abort();
    ledger.progress();
    recorded();
  };
  const modelParams = modelParamsOf(study);
  const keepsArrays = options.samples !== undefined && Object.values(study.spec.outputs).some((o) => o.dims.length > 0);
  // With repeats the seed comes from the case's pset hash: made here once, its row takes it (run-ledger.ts).
  const seeded = study.spec.repeats !== undefined;
  const paramsOf = (index: number) => {
    const params = plan.items.paramsAt(index);
    return modelParams(params, seeded ? ledger.psetHashOf(index, params) : undefined);
  };
  return {
    paramsOf,
    onBusy: (delta) => {
      ledger.counts.running += delta;
    },
    onStart: (index) => ledger.started(index),
    onDone: (index, outputs, seconds, grown, made) => {
      // The harvest needs h5wasm: compile it while the cases run (the workers are busy), not after the last.
      if (ledger.counts.done === 0) loadH5().catch(() => undefined);
      try {
        const split = undeclared.split(outputs, () => paramsOf(index));
        // A sample has no cell in the dataset: its outputs with dims of their own go into the run database.
        const arrays: Record<string, OwnDimsValues> | undefined = keepsArrays && x.arrays.open ? {} : undefined;
        const scalars = rounds.add(index, split.outputs, arrays);
        ledger.counts.done++;
        let extra = false;
        for (const _ in split.extra) extra = true;
        const outcome: Omit<Outcome, 'timeUtc' | 'host'> = {
          status: 'done',
          outputs: extra ? { ...scalars, ...split.extra } : scalars,
          runtimeS: seconds,
        };
        if (arrays && Object.keys(arrays).length > 0 && x.arrays.keeps(arrays)) outcome.arrays = arrays;
        ledger.record(index, outcome, grown, made);
        rounds.done();
        ledger.progress();
        recorded();
      } catch (error) {
        if (!(error instanceof OutputError)) throw error;
        fail(index, error.message, seconds, grown, undefined, made);
      }
    },
    onFailed: fail,
  };
}
