// Adaptive sampling in the library, as python-adaptive's learners and runner: `runLearner(learner, fn, { goal })`
// calls fn where the learner expects the output to change most, until the goal is met. A function from
// `fromModule` runs on worker processes (the engine's pool, as comboRunner's); whenever one is free the learner
// is asked for a new point, taking the points still being evaluated into account, so every worker stays busy.
import type { AdaptGoal, AdaptLoss } from '../../shared/adaptive';
import { ADAPT_LOSSES } from '../../shared/adaptive';
import { BalancingLearner } from '../engine/adaptive/balancing';
import type { Learner } from '../engine/adaptive/learner';
import { Learner1D as EngineLearner1D } from '../engine/adaptive/learner-1d';
import { Learner2D as EngineLearner2D } from '../engine/adaptive/learner-2d';
import { LearnerND as EngineLearnerND } from '../engine/adaptive/learner-nd';
import type { CaseFeed } from '../engine/run/case-list';
import { defaultWorkers } from '../engine/run/schedule';
import { runCases } from '../engine/run/worker-pool';
import { poolOptions } from './in-workers';
import { moduleOf } from './module-function';
import type { Kind } from './options';
import { checkOptions, describe, kinds } from './options';
import { RunnerError } from './runner-error';

export { BalancingLearner };
export type { Learner };

export interface LearnerOptions {
  /** How the learner scores where to sample next: 'default', 'curvature' or 'uniform'. */
  loss?: AdaptLoss;
}

const LEARNER_OPTIONS: Record<string, Kind> = {
  loss: { test: (v) => ADAPT_LOSSES.includes(v as AdaptLoss), says: ADAPT_LOSSES.map((l) => `'${l}'`).join(', ') },
};

function checkLearner(name: string, bounds: unknown, count: [number, number], options: unknown): void {
  const where = `new ${name}(bounds, options)`;
  const pairs = count[1] === 0 ? [bounds] : bounds;
  const ok =
    Array.isArray(pairs) &&
    pairs.length >= Math.max(1, count[0]) &&
    pairs.length <= Math.max(1, count[1]) &&
    pairs.every(
      (b) => Array.isArray(b) && b.length === 2 && b.every(Number.isFinite) && (b[0] as number) < (b[1] as number),
    );
  if (!ok) {
    const shape = count[1] === 0 ? '[lo, hi]' : `${count[0]} to ${count[1]} pairs [lo, hi]`;
    throw new RunnerError(`${where}: bounds are ${describe(bounds)}; give ${shape}, finite numbers with lo < hi`);
  }
  checkOptions(where, options, LEARNER_OPTIONS);
}

/** python-adaptive's Learner1D: one parameter over [lo, hi]. runLearner calls its function with a number. */
export class Learner1D extends EngineLearner1D {
  constructor(bounds: readonly [number, number], options?: LearnerOptions) {
    checkLearner('Learner1D', bounds, [1, 0], options);
    super(bounds, options);
  }
}

/** python-adaptive's Learner2D: two parameters, [[xlo, xhi], [ylo, yhi]]. runLearner calls its function with [x, y]. */
export class Learner2D extends EngineLearner2D {
  constructor(bounds: readonly (readonly [number, number])[], options?: LearnerOptions) {
    checkLearner('Learner2D', bounds, [2, 2], options);
    super(bounds, options);
  }
}

/** python-adaptive's LearnerND: 2 to 4 parameters. runLearner calls its function with an array of them. */
export class LearnerND extends EngineLearnerND {
  constructor(bounds: readonly (readonly [number, number])[], options?: LearnerOptions) {
    checkLearner('LearnerND', bounds, [2, 4], options);
    super(bounds, options);
  }
}

export interface RunLearnerOptions {
  /** When to stop: the learner's loss at or below `loss`, `points` points evaluated (failed ones count), or `seconds`. */
  goal: AdaptGoal;
  /** How many calls at once: worker processes for a function from fromModule (default: one per core); for an inline function, calls awaited together in this process (default 1). */
  workers?: number;
  /** Seconds one call of a module function may take before it fails (default: no limit). */
  timeout?: number;
}

export interface LearnerRun {
  /** Points the learner holds now, failed ones included. */
  points: number;
  /** Points this run evaluated, and how many of them failed (threw, timed out, or returned no number). */
  evaluated: number;
  failed: number;
  failures: { x: number[]; message: string }[];
  /** The learner's loss at the end. */
  loss: number;
  /** Why it stopped: the goal was met, or the learner had nothing left to ask (its points reach float resolution). */
  reason: 'goal' | 'exhausted';
  seconds: number;
  /**
   * The share of the workers' time spent in fn from the first call on (worker processes' start-up left out): 1 when
   * every worker was always in fn, lower by the time spent choosing points and passing them to and from workers.
   */
  busy: number;
  /** Seconds before the first call started (the worker processes starting and loading the module). */
  startup: number;
}

const GOAL: Kind = {
  test: (g) =>
    typeof g === 'object' &&
    g !== null &&
    Object.entries(g).every(
      ([k, v]) =>
        (k === 'loss' || k === 'seconds' || k === 'points') &&
        typeof v === 'number' &&
        v > 0 &&
        (k !== 'points' || Number.isInteger(v)),
    ) &&
    Object.keys(g).length > 0,
  says: '{ loss: L }, { points: N } or { seconds: S } (one or more, each > 0)',
};
const RUN_OPTIONS: Record<string, Kind> = { goal: GOAL, workers: kinds.count, timeout: kinds.seconds };

/**
 * Calls fn at the points the learner asks for, and tells the learner what it returned, until the goal is met.
 * fn takes the point (a number for a Learner1D, an array otherwise) and returns a number (or a promise of one);
 * a call that throws or returns no number fails that point: the learner does not ask it again.
 */
export async function runLearner<X extends number | number[]>(
  learner: Learner,
  fn: (x: X) => number | Promise<number>,
  options: RunLearnerOptions,
): Promise<LearnerRun> {
  checkOptions('runLearner(learner, fn, options)', options, RUN_OPTIONS);
  if (options?.goal === undefined) {
    throw new RunnerError(`runLearner(learner, fn, options): give a goal: ${GOAL.says}`);
  }
  if (typeof fn !== 'function') throw new RunnerError(`runLearner(learner, fn, options): fn is ${describe(fn)}`);
  const { goal } = options;
  const module = moduleOf(fn);
  const workers = options.workers ?? (module ? defaultWorkers() : 1);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const argOf = (x: number[]) => (learner.bounds.length === 1 ? x[0]! : x) as X;
  const run: LearnerRun = {
    points: 0,
    evaluated: 0,
    failed: 0,
    failures: [],
    loss: learner.loss(),
    reason: 'goal',
    seconds: 0,
    busy: 0,
    startup: 0,
  };
  let firstCall: number | null = null;
  const callStarted = () => (firstCall ??= performance.now());
  const before = learner.data().length;
  let inFlight = 0;
  let busySeconds = 0;
  let exhausted = false;
  const goalMet = () =>
    (goal.loss !== undefined && learner.loss() <= goal.loss) ||
    (goal.points !== undefined && before + run.evaluated + inFlight >= goal.points) ||
    (goal.seconds !== undefined && elapsed() >= goal.seconds);
  const next = (): number[] | null => {
    if (exhausted || goalMet()) return null;
    const x = learner.ask(1).points[0];
    if (x === undefined) exhausted = true;
    return x ?? null;
  };
  const settle = (x: number[], y: unknown, seconds: number, error?: string) => {
    inFlight--;
    busySeconds += seconds;
    run.evaluated++;
    const message = error ?? (typeof y === 'number' ? null : `returned ${describe(y)}, not a number`);
    if (message === null) learner.tell(x, y as number);
    else {
      learner.tellFailed(x);
      run.failed++;
      run.failures.push({ x, message: message.split('\n')[0]! });
    }
  };

  if (module) {
    const points = new Map<number, number[]>();
    let count = 0;
    const feed: CaseFeed = {
      get length() {
        return exhausted || goalMet() ? 0 : workers;
      },
      take(n) {
        const out: number[] = [];
        for (let x = out.length < n ? next() : null; x !== null; x = out.length < n ? next() : null) {
          points.set(count, x);
          out.push(count++);
          inFlight++;
        }
        return out;
      },
      giveBack(indices) {
        for (const i of indices) {
          learner.forget(points.get(i)!);
          points.delete(i);
          inFlight--;
        }
      },
    };
    try {
      await runCases(
        feed,
        {
          paramsOf: (i) => argOf(points.get(i)!) as unknown as Record<string, unknown>,
          onBusy: () => undefined,
          onStart: callStarted,
          onDone: (i, y, seconds) => settle(points.get(i)!, y, seconds),
          onFailed: (i, message, seconds) => settle(points.get(i)!, undefined, seconds ?? 0, message),
        },
        poolOptions(module, workers, options.timeout),
      );
    } catch (error) {
      throw new RunnerError((error as Error).message);
    }
  } else {
    const calls = new Set<Promise<void>>();
    const call = async (x: number[]) => {
      callStarted();
      const t = performance.now();
      try {
        const y: unknown = await fn(argOf(x));
        settle(x, y, (performance.now() - t) / 1000);
      } catch (error) {
        settle(x, undefined, (performance.now() - t) / 1000, error instanceof Error ? error.message : String(error));
      }
    };
    for (;;) {
      while (calls.size < workers) {
        const x = next();
        if (x === null) break;
        inFlight++;
        const p: Promise<void> = call(x).finally(() => calls.delete(p));
        calls.add(p);
      }
      if (calls.size === 0) break;
      await Promise.race(calls);
    }
  }
  run.points = before + run.evaluated;
  run.loss = learner.loss();
  run.reason = exhausted && !goalMet() ? 'exhausted' : 'goal';
  run.seconds = elapsed();
  run.startup = ((firstCall ?? performance.now()) - started) / 1000;
  const calling = run.seconds - run.startup;
  run.busy = calling > 0 ? Math.min(1, busySeconds / (workers * calling)) : 0;
  return run;
}
