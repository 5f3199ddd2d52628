// A run's plan on its own: which cases it chooses, from a study and what the database and dataset hold already.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDb } from '../db/run-db';
import { openStudy } from '../study/study';
import { NO_ITEMS, itemSetOf } from './case-list';
import type { CaseList } from './case-list';
import { select } from './plan';

const study = (() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-plan-'));
  fs.writeFileSync(path.join(dir, 'model.mjs'), 'export default () => 1;\n');
  fs.writeFileSync(
    path.join(dir, 'study.yaml'),
    'name: p\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos: {a: [1, 2, 3]}\n',
  );
  return openStudy(dir);
})();

/** A run database that holds these hashes done and these failed. */
const recorded = (done: string[], failed: string[]) =>
  ({ doneHashes: () => new Set(done), hashesWithStatus: () => new Set(failed) }) as unknown as RunDb;

const listed = (cases: CaseList) => Array.from({ length: cases.length }, (_, k) => cases.at(k));
const hashes = [0, 1, 2].map((i) => select(study, study.space, null, {}, NO_ITEMS).hashOf(i));

describe('a run plan', () => {
  it('chooses every case when nothing was run', () => {
    const plan = select(study, study.space, null, {}, NO_ITEMS);
    expect(listed(plan.indices)).toEqual([0, 1, 2]);
    expect(new Set(hashes).size).toBe(3);
    expect([plan.doneBefore, plan.failedBefore]).toEqual([0, 0]);
  });

  it('--missing-only leaves out what the database or the dataset holds done', () => {
    const stored = itemSetOf(Uint8Array.from([0, 0, 1]));
    const plan = select(study, study.space, recorded([hashes[0]!], []), { missingOnly: true }, stored);
    expect(listed(plan.indices)).toEqual([1]);
    expect(plan.doneBefore).toBe(2);
  });

  it('--retry-failed chooses only what failed last, and a case done since is not counted failed', () => {
    const db = recorded([hashes[0]!], [hashes[0]!, hashes[1]!]);
    const plan = select(study, study.space, db, { retryFailed: true }, NO_ITEMS, true);
    expect(listed(plan.indices)).toEqual([0, 1]);
    expect([plan.doneBefore, plan.failedBefore]).toEqual([1, 1]);
  });
});
