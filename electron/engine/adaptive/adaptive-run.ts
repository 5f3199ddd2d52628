// An adaptive run (`furrow adapt`, the app's Adapt mode): whenever a worker is free, the learners (one per combination
// of the other combos) propose the point where the output changes fastest, as python-adaptive's runners do with
// its BalancingLearner (Nijholt, Weston, Hoofwijk, Akhmerov: "Adaptive: parallel active learning of mathematical
// functions", the learner with the largest expected loss improvement is asked). Each evaluation is a case: a row of
// the run database, written as soon as it has finished, in a run of its own (kind adaptive). The point dataset is
// written from the points a round at a time; a later run with the same parameters and output retells them all.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  AdaptGoal,
  AdaptLoss,
  AdaptPoint,
  AdaptProgress,
  AdaptRange,
  AdaptSummary,
} from '../../../shared/adaptive';
import type { EngineEvent } from '../../../shared/api';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import { removeStaleTemporaries } from '../dataset/atomic-file';
import { recoverFile } from '../dataset/dataset-journal';
import { describeDataset } from '../dataset/netcdf-read';
import { ADAPT_ATTR, writePointDataset } from '../dataset/point-dataset';
import type { CaseRecord } from '../db/run-db';
import { RunDb } from '../db/run-db';
import { FurrowError } from '../errors';
import type { CaseFeed } from '../run/case-list';
import { caseDirOf, executeCases, modelParamsOf } from '../run/execute';
import { keepModelFiles } from '../run/model-files';
import type { RunOptions } from '../run/run-options';
import { defaultWorkers } from '../run/schedule';
import { heldCases } from '../run/stored-cells';
import type { Study } from '../study/study';
import { lockStudy } from '../study/study-lock';
import type { AdaptPlan, PointRecord } from './adaptive-plan';
import { checkSettings, planAdapt, settingsText } from './adaptive-plan';
import { learnerSettings } from './learners';

export interface AdaptRequest {
  params: AdaptRange[];
  output: string;
  loss: AdaptLoss;
  goal: AdaptGoal;
  workers?: number | undefined;
}

export interface AdaptRunOptions extends Pick<RunOptions, 'spawner' | 'workerEntry' | 'h5Kit' | 'signal'> {
  runId?: string;
  onEvent?: (event: EngineEvent) => void;
  /** Told once the stored points are retold, before the first new one is asked for. */
  onStarted?: (started: { runId: string; resumed: number }) => void;
  /** How often progress is announced at most, in ms (default 250). */
  progressEvery?: number;
  /** How often the point dataset is written while the run goes on, in ms (default 2000). */
  storeEvery?: number;
}

/** A point being evaluated: its learner and where. */
interface Pending {
  learner: number;
  x: number[];
  params: Record<string, Scalar>;
  hash: string;
  psetId: string;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** The worst loss of the learners (the one the goal compares); null before every learner has one. */
const worstLoss = (plan: AdaptPlan) => finiteOrNull(plan.balancer.loss());

/** The model's value of each declared scalar output (an object by name, an array in outputs' order, or one value). */
function scalarOutputs(study: Study, raw: unknown): Record<string, Scalar | null> {
  const names = Object.keys(study.spec.outputs);
  const byName: Record<string, unknown> =
    Array.isArray(raw) && names.length > 1
      ? Object.fromEntries(names.map((n, i) => [n, raw[i]]))
      : raw !== null && typeof raw === 'object' && !Array.isArray(raw)
        ? (raw as Record<string, unknown>)
        : { [names[0]!]: raw };
  const out: Record<string, Scalar | null> = {};
  for (const n of names) {
    const v = byName[n];
    if (study.spec.outputs[n]!.dims.length === 0 && (v === null || isScalar(v))) out[n] = v;
  }
  return out;
}

export async function adaptStudy(study: Study, request: AdaptRequest, options: AdaptRunOptions): Promise<AdaptSummary> {
  const runId = options.runId ?? randomUUID();
  const emit = options.onEvent ?? (() => undefined);
  if (study.model.kind === 'command' && study.spec.repeats !== undefined) {
    throw new FurrowError('bad-input', `${study.file}: an adaptive run learns without repeats; remove repeats:`);
  }
  const settings = { params: request.params, output: request.output };
  // Refused before anything is touched (the run database is not even created).
  checkSettings(study, settings);
  const unlock = lockStudy(study.dir, 'furrow adapt');
  let db: RunDb | null = null;
  try {
    recoverFile(study.datasetPath, { force: true });
    removeStaleTemporaries(study.datasetPath);
    db = RunDb.open(study.dir);
    // A run killed before left its runs row `running` (and a grid run its `storing` rows): settled first.
    await db.settleInterrupted((params) =>
      heldCases(study.datasetPath, params, () => describeDataset(study.datasetPath)),
    );
    const plan = await planAdapt(study, db, settings, request.loss);
    return await runAdaptive(study, request, plan, db, { ...options, runId }, emit);
  } finally {
    db?.close();
    unlock();
  }
}

async function runAdaptive(
  study: Study,
  request: AdaptRequest,
  plan: AdaptPlan,
  db: RunDb,
  options: AdaptRunOptions & { runId: string },
  emit: (event: EngineEvent) => void,
): Promise<AdaptSummary> {
  const { runId } = options;
  const workers = request.workers ?? defaultWorkers();
  const backupDir = path.join(study.dir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
  if (db.hasRuns()) {
    fs.mkdirSync(backupDir, { recursive: true });
    db.copyTo(path.join(backupDir, path.basename(db.file)));
  }
  const model = keepModelFiles(study, db.lastModelBackupHash(), backupDir);
  const runSeq = db.startRun({
    runId,
    studyYaml: study.text,
    cases: 0,
    skipped: plan.stored.length,
    model,
    adaptive: settingsText(plan.settings),
  });
  const run = { runId, runSeq };
  const points: PointRecord[] = [...plan.stored];
  let added: AdaptPoint[] = [];
  const counts = { done: 0, failed: 0, running: 0 };
  const failedBefore = plan.stored.filter((p) => p.y === null).length;
  const start = Date.now();
  const pending = new Map<number, Pending>();
  const returned: number[] = [];
  let nextIndex = 0;
  let stopped = false;
  /** The learners have no point left to propose (every piece as small as floating point allows). */
  let exhausted = false;
  const goal = request.goal;
  const goalMet = (): boolean => {
    if (goal.points !== undefined && points.length + pending.size >= goal.points) return true;
    if (goal.seconds !== undefined && (Date.now() - start) / 1000 >= goal.seconds) return true;
    const loss = worstLoss(plan);
    return goal.loss !== undefined && loss !== null && loss <= goal.loss;
  };
  const asking = () => !stopped && !exhausted && !options.signal?.aborted && !goalMet();
  const constants = Object.fromEntries(Object.entries(study.constants).filter(([, v]) => isScalar(v))) as Record<
    string,
    Scalar
  >;

  const progress = (): AdaptProgress => ({
    type: 'adapt.progress',
    runId,
    params: plan.settings.params,
    output: plan.settings.output,
    points: points.length,
    failed: failedBefore + counts.failed,
    pending: pending.size,
    loss: worstLoss(plan),
    learners: plan.balancer.learners.map((l, i) => ({
      combo: plan.combos[i]!,
      points: l.npoints,
      loss: finiteOrNull(l.loss()),
    })),
    added,
    seconds: (Date.now() - start) / 1000,
  });
  let lastProgress = 0;
  const announce = (force = false) => {
    if (!force && Date.now() - lastProgress < (options.progressEvery ?? 250)) return;
    lastProgress = Date.now();
    emit(progress());
    added = [];
  };

  const attrs = (): Record<string, Scalar | Scalar[]> => ({
    [ADAPT_ATTR]: settingsText(plan.settings),
    furrow_adapt_goal: JSON.stringify(goal),
    furrow_adapt_loss_value: worstLoss(plan) ?? NaN,
    furrow_adapt_workers: workers,
    ...Object.fromEntries(
      Object.entries(learnerSettings(plan.settings.params.length, request.loss)).map(([k, v]) => [
        `furrow_adapt_${k}`,
        v,
      ]),
    ),
    ...Object.fromEntries(plan.settings.params.map((p) => [`furrow_adapt_range_${p.name}`, [p.lo, p.hi]])),
    study: study.spec.name,
  });
  let written = -1;
  let writing: Promise<void> = Promise.resolve();
  /** Write the point dataset from every point so far (a round), unless no point came since the last. */
  const storeRound = () => {
    writing = writing.then(async () => {
      if (points.length === written || points.length === 0) return;
      const n = points.length;
      const upTo = points.slice(0, n);
      await writePointDataset(
        plan.file,
        {
          params: plan.settings.params.map((p, i) => ({ name: p.name, values: upTo.map((q) => q.x[i]!) })),
          combos: plan.comboNames.map((name) => ({ name, values: upTo.map((q) => plan.combos[q.learner]![name]!) })),
          output: { name: plan.settings.output, values: upTo.map((q) => q.y) },
          failed: upTo.map((q) => (q.y === null ? 1 : 0)),
          runs: upTo.map((q) => q.runSeq),
        },
        attrs(),
      );
      written = n;
    });
    return writing;
  };

  const record = (
    index: number,
    row: Omit<CaseRecord, 'psetId' | 'psetHash' | 'params' | 'calcDir'>,
    y: number | null,
  ) => {
    const p = pending.get(index)!;
    pending.delete(index);
    db.recordCases(run, [
      {
        psetId: p.psetId,
        psetHash: p.hash,
        params: { ...constants, ...p.params },
        calcDir: caseDirOf(study, p.psetId),
        timeUtc: new Date().toISOString(),
        ...row,
      },
    ]);
    db.countRun(runId, { ...counts, cancelled: 0 }, counts.done + counts.failed);
    if (y === null) plan.balancer.tellFailed(p.learner, p.x);
    else plan.balancer.tell(p.learner, p.x, y);
    points.push({ learner: p.learner, x: p.x, y, runSeq });
    added.push({ learner: p.learner, x: p.x, y });
    announce();
  };

  const feed: CaseFeed = {
    get length() {
      return returned.length + (asking() ? workers : 0);
    },
    take(n) {
      const out = returned.splice(0, n);
      while (out.length < n && asking()) {
        const asked = plan.balancer.ask(1).points[0];
        if (!asked) {
          exhausted = true; // else a free worker would be started again and again for nothing
          break;
        }
        const { learner, x } = asked;
        const params = plan.paramsOf(learner, x);
        const hash = plan.hashOf(params);
        if (plan.seen.has(hash)) {
          // A learner asked again for a point it was told (the same value twice): it may not be evaluated twice.
          plan.balancer.forget(learner, x);
          stopped = true;
          break;
        }
        plan.seen.add(hash);
        const index = nextIndex++;
        pending.set(index, { learner, x, params, hash, psetId: randomUUID() });
        out.push(index);
      }
      return out;
    },
    giveBack(indices) {
      returned.unshift(...indices);
    },
  };

  options.onStarted?.({ runId, resumed: plan.stored.length });
  announce(true);
  const modelParams = modelParamsOf(study);
  const runtime = (seconds: number | null) => (seconds === null ? {} : { runtimeS: seconds });
  const timer = setInterval(() => void storeRound().catch(() => undefined), options.storeEvery ?? 2000);
  const ticker = setInterval(() => announce(), 1000);
  let runError: unknown = null;
  try {
    await executeCases(
      study,
      feed,
      {
        runId,
        psetIdOf: (index) => pending.get(index)!.psetId,
        // The point's pset hash, made as it was asked for: with repeats its seed comes from it, not from a second one.
        paramsOf: (index) => {
          const p = pending.get(index)!;
          return modelParams(p.params, p.hash);
        },
        onBusy: (delta) => (counts.running += delta),
        onDone: (index, raw, seconds) => {
          const outputs = scalarOutputs(study, raw);
          const y = outputs[plan.settings.output];
          if (typeof y !== 'number' || !Number.isFinite(y)) {
            const said = y === undefined ? 'returned no' : `returned ${JSON.stringify(y)} as its`;
            const error = `the model ${said} '${plan.settings.output}', which an adaptive run needs as a finite number`;
            return fail(index, error, seconds);
          }
          counts.done++;
          record(index, { status: 'done', outputs, ...runtime(seconds) }, y);
        },
        onFailed: (index, message, seconds) => fail(index, message, seconds),
      },
      {
        spawner: options.spawner,
        workerEntry: options.workerEntry,
        workers,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.h5Kit ? { h5Kit: options.h5Kit } : {}),
      },
    );
  } catch (error) {
    runError = error;
  } finally {
    clearInterval(timer);
    clearInterval(ticker);
  }
  function fail(index: number, message: string, seconds: number | null) {
    const p = pending.get(index)!;
    counts.failed++;
    emit({ type: 'case.failed', runId, params: p.params, error: message });
    record(index, { status: 'failed', error: message, ...runtime(seconds) }, null);
  }
  // Points being evaluated when the run stopped were never evaluated: the next run asks for them again.
  for (const p of pending.values()) plan.balancer.forget(p.learner, p.x);
  await storeRound();
  announce(true);
  const reason = runError ? 'error' : goalMet() || exhausted ? 'goal' : 'stopped';
  db.finishRun(runId, reason === 'goal' ? 'done' : reason === 'error' ? 'failed' : 'cancelled', {
    ...counts,
    cancelled: 0,
  });
  db.countRun(runId, { ...counts, cancelled: 0 }, counts.done + counts.failed);
  if (runError) throw runError;
  return {
    runId,
    run: runSeq,
    points: points.length,
    evaluated: counts.done + counts.failed,
    failed: failedBefore + counts.failed,
    loss: worstLoss(plan),
    reason,
    dataset: plan.file,
  };
}
