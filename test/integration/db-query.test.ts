// The cases table as the app reads it (db.cases, db.export): sorted, filtered per column and by a condition,
// paged, over a real run database written by a real run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { casesCsv, lineColumns, numericColumns, queryCases, runHistory } from '../../electron/engine/db/db-query';
import { RunDb } from '../../electron/engine/db/run-db';
import { childProcesses, CLI, exampleStudy, furrow, isAlive, tempDir } from '../helpers/furrow';

/** A condition SQLite would work on forever: it counts the rows of an endless recursive table. */
const RUNAWAY = '(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c) > 0';

describe('the cases table', () => {
  let dir: string;
  const outputs = new Set(['y', 'note']);
  const open = () => RunDb.openReadOnly(dir)!;

  beforeAll(async () => {
    dir = await exampleStudy('foo', {
      studyYaml:
        'name: q\nmodel: {module: ./model.mjs}\noutputs: {y: {}, note: {}}\ncombos:\n  x: [1, 2, 3, 4, 5]\n  tag: ["a_b", "a%b", "ab"]\n',
      model:
        "export default ({ x, tag }) => { if (x === 5 && tag === 'ab') throw new Error('no'); return { y: x * 10, note: `${tag}-${x}` }; };\n",
    });
    const run = await furrow(['run', dir]);
    expect(run.code).toBe(1); // one case fails
  });

  it('lists the run columns, then parameters, then outputs; pages in the order cases were recorded', () => {
    const db = open();
    try {
      const page = queryCases(db, outputs, { offset: 3, limit: 4 });
      expect(page.columns.filter((c) => c.kind !== 'run').map((c) => `${c.kind}:${c.name}`)).toEqual([
        'param:x',
        'param:tag',
        'output:y',
        'output:note',
      ]);
      expect(page.total).toBe(15);
      const seq = page.columns.findIndex((c) => c.name === '_pset_seq');
      expect(page.rows.map((r) => r[seq])).toEqual([4, 5, 6, 7]);
    } finally {
      db.close();
    }
  });

  it('sorts with missing values last, filters by comparison or by text (with % and _ taken literally)', () => {
    const db = open();
    try {
      const col = (page: ReturnType<typeof queryCases>, name: string) =>
        page.rows.map((r) => r[page.columns.findIndex((c) => c.name === name)]);
      const desc = queryCases(db, outputs, { sort: { column: 'y', descending: true }, limit: 100 });
      expect(col(desc, 'y')).toEqual([50, 50, 40, 40, 40, 30, 30, 30, 20, 20, 20, 10, 10, 10, null]);
      expect(queryCases(db, outputs, { filters: { x: '>= 4' } }).total).toBe(6);
      expect(queryCases(db, outputs, { filters: { x: '!= 1', y: '< 30' } }).total).toBe(3);
      expect(queryCases(db, outputs, { filters: { x: '2..3' } }).total).toBe(6); // both ends included
      expect(queryCases(db, outputs, { filters: { y: '1.5e1 .. 25' } }).total).toBe(3);
      expect(col(queryCases(db, outputs, { filters: { tag: 'a_b' } }), 'tag')).toEqual(Array(5).fill('a_b'));
      expect(col(queryCases(db, outputs, { filters: { tag: '%' } }), 'tag')).toEqual(Array(5).fill('a%b'));
      // Exact texts: one (`= ab`, which contains-filtering would widen to a_b too) or several (`in:`), and numbers.
      expect(queryCases(db, outputs, { filters: { tag: 'ab' } }).total).toBe(5);
      expect(queryCases(db, outputs, { filters: { tag: 'b' } }).total).toBe(15);
      expect(col(queryCases(db, outputs, { filters: { tag: '= ab' } }), 'tag')).toEqual(Array(5).fill('ab'));
      expect(queryCases(db, outputs, { filters: { tag: 'in: ab, a_b' } }).total).toBe(10);
      expect(queryCases(db, outputs, { filters: { tag: 'in: "a%b", zz', x: 'in: 1, 5' } }).total).toBe(2);
      expect(queryCases(db, outputs, { filters: { y: 'in: 10, 20' } }).total).toBe(6); // the stored 10.0 and 20.0
      const failed = queryCases(db, outputs, { where: "_status = 'failed'" });
      expect(failed.total).toBe(1);
      expect(col(failed, '_error')[0]).toMatch(/no/);
    } finally {
      db.close();
    }
  });

  it('says what is wrong with a condition or a column, and never writes', () => {
    const db = open();
    try {
      expect(() => queryCases(db, outputs, { where: 'nope = 1' })).toThrow(/does not work: no such column: nope/);
      expect(() => queryCases(db, outputs, { where: '1; DELETE FROM psets' })).toThrow(/does not work/);
      expect(() => queryCases(db, outputs, { where: '1) OR (1' })).not.toThrow();
      expect(() => queryCases(db, outputs, { sort: { column: 'z', descending: false } })).toThrow(
        /sort by 'z': the cases table has no such column/,
      );
      expect(() => queryCases(db, outputs, { filters: { z: '1' } })).toThrow(/filter on 'z'/);
      expect(queryCases(db, outputs, {}).total).toBe(15);
    } finally {
      db.close();
    }
  });

  it('exports the filtered cases as CSV, and lists the runs', () => {
    const db = open();
    try {
      const { csv, rows } = casesCsv(db, { filters: { x: '= 2' } });
      expect(rows).toBe(3);
      const lines = csv.trim().split('\n');
      expect(lines[0]).toMatch(/^_pset_seq,_pset_id,_pset_hash,_run_id/);
      expect(lines[0]).not.toMatch(/_params/);
      expect(lines.slice(1).every((l) => l.includes(',2,'))).toBe(true);
      expect(runHistory(db)).toMatchObject([{ run_seq: 1, status: 'failed', done: 14, failed: 1 }]);
    } finally {
      db.close();
    }
  });

  it('gives the numeric columns for the parallel coordinates, evenly thinned past a maximum', () => {
    const db = open();
    try {
      const all = numericColumns(db, outputs, { max: 100 });
      expect(all.columns.map((c) => `${c.kind}:${c.name}`)).toEqual(['param:x', 'output:y']); // tag, note: text
      expect(all).toMatchObject({ total: 15, shown: 15 });
      expect(all.columns[1]!.values.filter((v) => v === null)).toHaveLength(1); // the failed case
      const few = numericColumns(db, outputs, { max: 5, where: "_status = 'done'" });
      expect(few).toMatchObject({ total: 14, shown: 5 });
      expect(few.columns[0]!.values).toHaveLength(5);
    } finally {
      db.close();
    }
  });

  it('gives every column of the lines, text and status too, evenly thinned past a maximum', () => {
    const db = open();
    try {
      const all = lineColumns(db, outputs, { max: 100 });
      expect(all.columns.map((c) => `${c.kind}:${c.name}`)).toEqual([
        'run:_run_seq',
        'run:_status',
        'run:_runtime_s',
        'run:_exec_host',
        'param:x',
        'param:tag',
        'output:y',
        'output:note',
      ]);
      expect(all).toMatchObject({ total: 15, shown: 15 });
      const of = (name: string, page = all) => page.columns.find((c) => c.name === name)!.values;
      expect(new Set(of('tag'))).toEqual(new Set(['a_b', 'a%b', 'ab']));
      expect(of('_status').filter((s) => s === 'failed')).toHaveLength(1);
      const few = lineColumns(db, outputs, { max: 4, where: "_status = 'done'" });
      expect(few).toMatchObject({ total: 14, shown: 4 });
      // The same spread as the numeric columns': rows 0, 3.5, 7 and 10.5 of 14, rounded down.
      expect(of('y', few)).toEqual(
        numericColumns(db, outputs, { max: 4, where: "_status = 'done'" }).columns[1]!.values,
      );
    } finally {
      db.close();
    }
  });

  it('is empty before the first run', async () => {
    const fresh = await exampleStudy('foo');
    expect(queryCases(RunDb.openReadOnly(path.join(fresh)), outputs, {})).toEqual({
      columns: [],
      total: 0,
      attempts: 0,
      offset: 0,
      rows: [],
    });
  });
});

describe("each case's latest attempt", () => {
  let dir: string;
  const outputs = new Set(['y']);

  beforeAll(async () => {
    // x = 3 fails on its first attempt and is done on its second: 3 cases, 4 attempts.
    const marker = path.join(tempDir(), 'failed-once');
    dir = await exampleStudy('foo', {
      studyYaml: 'name: l\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  x: [1, 2, 3]\n',
      model: `import fs from 'node:fs';
export default ({ x }) => {
  if (x === 3 && !fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); throw new Error('once'); }
  return { y: x * 10 };
};
`,
    });
    expect((await furrow(['run', dir])).code).toBe(1);
    expect((await furrow(['run', dir, '--retry-failed'])).code).toBe(0);
  });

  it('keeps the row with the largest _pset_seq of each case, under the filters, condition and sort, and counts every attempt', () => {
    const db = RunDb.openReadOnly(dir)!;
    try {
      const column = (page: ReturnType<typeof queryCases>, name: string) =>
        page.rows.map((r) => r[page.columns.findIndex((c) => c.name === name)]);
      const all = queryCases(db, outputs, {});
      expect(all).toMatchObject({ total: 4, attempts: 4 });
      const latest = queryCases(db, outputs, { latest: true, sort: { column: 'x', descending: true } });
      expect(latest).toMatchObject({ total: 3, attempts: 4 });
      expect(column(latest, 'x')).toEqual([3, 2, 1]);
      expect(column(latest, '_status')).toEqual(['done', 'done', 'done']);
      // The failed attempt is not the case's latest: no case is failed, though one attempt was.
      expect(queryCases(db, outputs, { latest: true, filters: { _status: 'failed' } })).toMatchObject({
        total: 0,
        attempts: 1,
      });
      expect(queryCases(db, outputs, { latest: true, where: 'x >= 2' })).toMatchObject({ total: 2, attempts: 3 });
      expect(numericColumns(db, outputs, { latest: true, max: 100 })).toMatchObject({ total: 3, shown: 3 });
      expect(casesCsv(db, { latest: true }).rows).toBe(3);
    } finally {
      db.close();
    }
  });
});

describe('furrow db --where with a condition that never ends', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await exampleStudy('foo');
    expect((await furrow(['run', dir])).code).toBe(0);
  });

  it('stops it at its budget and says so in one line, with exit status 2', async () => {
    for (const format of ['table', 'csv']) {
      const db = await furrow(['db', dir, '--format', format, '--where', RUNAWAY]);
      expect(db.code, format).toBe(2);
      expect(db.stdout, format).toBe('');
      expect(db.stderr.trimEnd().split('\n'), format).toEqual([
        expect.stringMatching(/^furrow: the condition '.+' took too long: it was stopped after 2 s\. Use a simpler/),
      ]);
    }
  });

  it('stops on SIGTERM, and the condition with it', async () => {
    const child = spawn(process.execPath, [CLI, 'db', dir, '--where', RUNAWAY], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const reader = () => childProcesses(child.pid!).find((p) => p.command.includes('condition.mjs'));
    await expect.poll(reader).toBeDefined();
    const { pid } = reader()!;
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(stderr.trimEnd().split('\n')).toEqual(['furrow: stopped while a condition was being read']);
    await expect.poll(() => isAlive(pid)).toBe(false);
  });
});
