// A module function run over many parameter sets on worker processes: the engine's own pool (worker-pool.ts), the
// one `furrow run` uses, so a library call gets the same timeouts, crash isolation and batching. A call that
// throws, crashes its worker or times out fails that call alone; the rest still run.
import path from 'node:path';
import { defaultWorkers } from '../engine/run/schedule';
import { forkSpawner } from '../engine/run/spawner';
import type { PoolOptions } from '../engine/run/worker-pool';
import { runCases } from '../engine/run/worker-pool';
import { workerEntry } from '../host/paths';
import type { ModuleRef } from './module-function';
import { RunnerError } from './runner-error';

export interface WorkerOptions {
  /** How many worker processes (default: one per core). */
  workers?: number | undefined;
  /** Seconds one call may take before its worker is killed and the call failed (default: no limit). */
  timeout?: number | undefined;
}

export interface Failure {
  index: number;
  message: string;
}

/** Longest a Node timer can wait (2^31 ms fires at once), as the study file's own limit. */
const NO_LIMIT = 2_000_000;

/** Call the module function on every parameter set; the outputs in order, undefined where a call failed. */
export async function runInWorkers(
  model: ModuleRef,
  count: number,
  paramsAt: (index: number) => Record<string, unknown>,
  options: WorkerOptions,
): Promise<{ outputs: unknown[]; failures: Failure[] }> {
  const workers = options.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new RunnerError(`workers: ${workers}: give a whole number ≥ 1`);
  const outputs = new Array<unknown>(count);
  const failures: Failure[] = [];
  if (count === 0) return { outputs, failures };
  try {
    structuredClone(paramsAt(0));
  } catch (error) {
    throw new RunnerError(
      `the parameters, constants and resources go to worker processes, so they must be plain data (${(error as Error).message}); pass live objects only to an inline function with workers: 1`,
    );
  }
  try {
    await runCases(
      Array.from({ length: count }, (_, i) => i),
      {
        paramsOf: paramsAt,
        onBusy: () => undefined,
        onDone: (index, value) => (outputs[index] = value),
        onFailed: (index, message) => failures.push({ index, message }),
      },
      poolOptions(model, workers, options.timeout),
    );
  } catch (error) {
    throw new RunnerError((error as Error).message);
  }
  failures.sort((a, b) => a.index - b.index);
  return { outputs, failures };
}

/** The engine's pool running the module function on `workers` processes, each call limited to `timeout` seconds. */
export function poolOptions(model: ModuleRef, workers: number, timeout = NO_LIMIT): PoolOptions {
  return {
    spawner: forkSpawner,
    entry: workerEntry,
    workers,
    model: {
      modulePath: model.file,
      exportName: model.exportName,
      studyDir: path.dirname(model.file),
      timeoutSeconds: timeout,
      loadTimeoutSeconds: Math.min(timeout, 60),
    },
  };
}

/** One message for failed calls: how many, and the first with its parameters. */
export function failedCalls(failures: Failure[], count: number, params: (index: number) => Record<string, unknown>) {
  const first = failures[0]!;
  const where = Object.entries(params(first.index))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return new RunnerError(
    `${failures.length} of ${count} calls failed; the first, at ${where}: ${first.message.split('\n')[0]}`,
  );
}
