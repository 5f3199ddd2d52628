// `furrow db`: the cases table of a study's run database, as a table, CSV or JSON.
import fs from 'node:fs';
import path from 'node:path';
import { ConditionReader } from '../engine/db/condition-reader';
import { FurrowError } from '../engine/errors';
import { csvField, runHistory, terminalColumns, withParams } from '../engine/db/db-query';
import { RunDb } from '../engine/db/run-db';
import { RUN_DB, SIMULATE_DIR } from '../engine/db/schema';
import { forkSpawner } from '../engine/run/spawner';
import { conditionEntry } from '../host/paths';
import { parseCommand, UsageError } from './args';
import { COMMANDS } from './commands';
import { data } from './output';

function cell(value: unknown, width = 40): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'number' && !Number.isInteger(value) ? String(Number(value.toPrecision(6))) : String(value);
  const line = text.split('\n')[0]!;
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export async function dbCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.db, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const dir = positionals[0];
  if (!dir) throw new UsageError('db needs the study folder');
  if (!['table', 'csv', 'json'].includes(values.format)) {
    throw new UsageError(`--format ${values.format}: choose table, csv or json`);
  }
  // --simulate: the copy `furrow run --simulate` wrote, a run database of the same shape in a folder of the study.
  const studyDir = values.simulate ? path.resolve(dir, SIMULATE_DIR) : path.resolve(dir);
  if (!fs.existsSync(path.join(studyDir, RUN_DB))) {
    throw new FurrowError(
      'bad-input',
      values.simulate
        ? `${path.join(studyDir, RUN_DB)} does not exist: write it with \`furrow run ${dir} --simulate\``
        : `${path.join(studyDir, RUN_DB)} does not exist: the study has not been run yet`,
    );
  }
  if (values.runs) {
    if (values.where !== undefined) throw new UsageError('--where is for the cases; --runs lists every run');
    printRuns(studyDir, values.format);
    return 0;
  }
  const conditions = new ConditionReader(forkSpawner, conditionEntry);
  // The condition runs in a process of its own: Ctrl-C or SIGTERM stops that one too, not only this one.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const stop = () => conditions.close();
  for (const s of signals) process.once(s, stop);
  try {
    const query = values.where === undefined ? {} : { where: values.where };
    if (values.format === 'csv') {
      process.stdout.write((await conditions.read(studyDir, { kind: 'csv', query })).csv);
      return 0;
    }
    const { columns, rows } = await conditions.read(studyDir, { kind: 'rows', query });
    if (values.format === 'json') {
      // The rows as the table has them: its own columns are snake_case (_run_seq), the others are the person's names.
      data(JSON.stringify(rows.map(withParams)));
    } else {
      printTable(terminalColumns(columns), rows);
      data(`(${rows.length} case${rows.length === 1 ? '' : 's'})`);
    }
    return 0;
  } finally {
    for (const s of signals) process.off(s, stop);
    conditions.close();
  }
}

function printTable(shown: string[], rows: Record<string, unknown>[]): void {
  const cells = rows.map((row) => shown.map((c) => cell(row[c])));
  const widths = shown.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (parts: string[]) =>
    parts
      .map((p, i) => p.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  data(line(shown));
  for (const r of cells) data(line(r));
}

/** `furrow db --runs`: a row per run, newest first, with the model files' hash and backup (psweep's backup_script). */
function printRuns(studyDir: string, format: string): void {
  const db = RunDb.openReadOnly(studyDir)!;
  try {
    const runs = runHistory(db);
    if (format === 'json') return data(JSON.stringify(runs));
    const rows = runs.map((r) => ({
      ...r,
      model_hash: r.model_hash?.slice(0, 12) ?? null,
      undeclared: r.undeclared.join(' '),
    }));
    const columns = ['run_seq', 'started_utc', 'status', 'cases', 'done', 'failed', 'skipped', 'model_hash'];
    const shown = [...columns, 'model_backup', 'undeclared'];
    if (format === 'csv') {
      data(shown.join(','));
      for (const r of runs) {
        const row = { ...r, undeclared: r.undeclared.join(' ') } as Record<string, unknown>;
        data(shown.map((c) => csvField(row[c])).join(','));
      }
      return;
    }
    printTable(shown, rows);
    data(`(${runs.length} run${runs.length === 1 ? '' : 's'})`);
  } finally {
    db.close();
  }
}
