// `furrow run --simulate`, as psweep's simulate: what a run would do, with nothing of the study changed, and a
// throwaway copy of the run database (.furrow-simulate/runs.sqlite in the study folder) that holds, after the study's
// own rows, a row per case the run would run (status `simulated`), for `furrow db <study> --simulate` to read.
// Each case is looked at once, in order, and handed to `each` (the command line streams it as JSON), whose promise
// is awaited: a slow reader holds the loop, not memory, and rows go to the copy a batch at a time. So what it
// holds does not grow with the study (issue 23: 10^7 cases).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SimulateSummary } from '../../../shared/api';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import type { CaseRecord } from '../db/run-db';
import { RunDb } from '../db/run-db';
import { RUN_DB, SIMULATE_DIR } from '../db/schema';
import type { Study } from '../study/study';
import type { Selection } from './plan';
import { select, summaryOf } from './plan';
import type { RunOptions } from './run-options';
import { storedRunItems } from './stored-cells';

/** A case the run would run, as the copy records it. */
export interface SimulatedCase {
  psetId: string;
  psetHash: string;
  /** Its parameters and the study's scalar constants: the columns its row has. */
  params: Record<string, Scalar>;
}

/** What `--simulate` says: what the run would do, and where the copy is. */
export type SimulatedRun = SimulateSummary & { database: string };

const BATCH = 10_000;

/**
 * `onSummary` hears what the run would do before any case is looked at; `each` then sees every case it would run,
 * in order. Returns the summary and where the copy is.
 */
export async function simulateIntoCopy(
  study: Study,
  options: Pick<RunOptions, 'missingOnly' | 'retryFailed'>,
  hooks: {
    onSummary?: (summary: SimulatedRun) => void | Promise<void>;
    each?: (c: SimulatedCase) => void | Promise<void>;
  } = {},
): Promise<SimulatedRun> {
  const stored = await storedRunItems(study);
  const dir = path.join(study.dir, SIMULATE_DIR);
  const file = path.join(dir, RUN_DB);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = RunDb.openReadOnly(study.dir);
  let s: Selection;
  try {
    s = select(study, study.space, db, options, stored, true);
    db?.copyTo(file); // the study's own rows first, as psweep's copy has them
  } finally {
    db?.close();
  }
  const summary = { ...summaryOf(study, s), database: file };
  await hooks.onSummary?.(summary);
  const copy = RunDb.openScratch(file);
  try {
    const total = study.space.count;
    const runId = randomUUID();
    const cases = s.indices.length;
    const run = { runId, runSeq: copy.startRun({ runId, studyYaml: study.text, cases, skipped: total - cases }) };
    const constants = Object.fromEntries(Object.entries(study.constants).filter(([, v]) => isScalar(v))) as Record<
      string,
      Scalar
    >;
    let rows: CaseRecord[] = [];
    for (let k = 0; k < cases; k++) {
      const index = s.indices.at(k);
      const c: SimulatedCase = {
        psetId: randomUUID(),
        psetHash: s.hashOf(index),
        params: { ...constants, ...study.space.paramsAt(index) },
      };
      rows.push({ ...c, calcDir: null, status: 'simulated' });
      if (rows.length === BATCH) {
        copy.recordCases(run, rows);
        rows = [];
      }
      if (hooks.each) await hooks.each(c);
    }
    copy.recordCases(run, rows);
    copy.finishRun(run.runId, 'simulated', { done: 0, failed: 0, cancelled: 0 });
  } finally {
    copy.close();
  }
  return summary;
}
