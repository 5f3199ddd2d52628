// `furrow db`: the cases table of a study's run database, as a table, CSV or JSON.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FurrowError } from '../engine/errors';
import { casesCsv } from '../engine/db-query';
import { RUN_DB, RunDb } from '../engine/run-db';

type Row = Record<string, unknown>;

/** Columns a person reads first: the run, the case's status, its parameters and outputs, its time, its error. */
function tableColumns(columns: string[]): string[] {
  const meta = ['_run_seq', '_pset_seq', '_status'];
  const own = columns.filter((c) => !c.startsWith('_'));
  return [...meta, ...own, '_runtime_s', '_error'];
}

function cell(value: unknown, width = 40): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'number' && !Number.isInteger(value) ? String(Number(value.toPrecision(6))) : String(value);
  const line = text.split('\n')[0]!;
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export function dbCommand(args: string[]): number {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'table' }, where: { type: 'string' } },
  });
  const dir = positionals[0];
  if (!dir)
    throw new FurrowError(
      'bad-input',
      'db needs the study folder: furrow db <study> [--format table|csv|json] [--where EXPR]',
    );
  if (!['table', 'csv', 'json'].includes(values.format)) {
    throw new FurrowError('bad-input', `--format ${values.format}: choose table, csv or json`);
  }
  const db = RunDb.openReadOnly(path.resolve(dir));
  if (!db)
    throw new FurrowError(
      'bad-input',
      `${path.join(path.resolve(dir), RUN_DB)} does not exist: the study has not been run yet`,
    );
  try {
    if (values.format === 'csv') {
      process.stdout.write(casesCsv(db, values.where ? { where: values.where } : {}).csv);
      return 0;
    }
    let rows: Row[];
    try {
      // The database is opened read-only, so an expression can filter but never change anything.
      rows = db.db
        .prepare(`SELECT * FROM psets ${values.where ? `WHERE ${values.where}` : ''} ORDER BY _pset_seq`)
        .all() as Row[];
    } catch (error) {
      throw new FurrowError('bad-input', `--where ${values.where ?? ''}: ${(error as Error).message}`);
    }
    const columns = (db.db.pragma('table_info(psets)') as { name: string }[]).map((c) => c.name);
    if (values.format === 'json') {
      console.log(
        JSON.stringify(
          rows.map(({ _params, ...row }) => ({ ...row, _params: JSON.parse(String(_params)) as unknown })),
        ),
      );
    } else {
      const shown = tableColumns(columns);
      const cells = rows.map((row) => shown.map((c) => cell(row[c])));
      const widths = shown.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
      const line = (parts: string[]) =>
        parts
          .map((p, i) => p.padEnd(widths[i]!))
          .join('  ')
          .trimEnd();
      console.log(line(shown));
      for (const r of cells) console.log(line(r));
      console.log(`(${rows.length} case${rows.length === 1 ? '' : 's'})`);
    }
    return 0;
  } finally {
    db.close();
  }
}
