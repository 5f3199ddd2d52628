// The run database's schema: its file's name, its two tables and the names of their columns. Only electron/engine/db/
// writes SQL (RunDb and the readers beside it); everyone else asks RunDb, so a column is named here and there only.
export const RUN_DB = 'runs.sqlite';
/** The folder, in the study folder, of the throwaway copy `furrow run --simulate` writes (run/simulate.ts). */
export const SIMULATE_DIR = '.furrow-simulate';
/**
 * A case's row is written once, when it has finished, so a row is never pending or running: the cases in
 * flight are the run's `cases` minus its counts, which the runs row keeps current while the run goes on.
 * A done case is first recorded `storing`, before its results are merged into the dataset, and becomes `done`
 * once they are there (or `failed` when they could not be stored). A run killed in between leaves `storing` rows;
 * the next writer of the study settles them by what the dataset holds (settleStoring), so every case that
 * reached the dataset is recorded done exactly once.
 * A done case whose round the dataset refused (a new value disagrees with a stored one, `--overwrite error`) is
 * recorded `conflict`: its scalars are in its row, its outputs in the run's side file
 * (data/<name>.<run_seq>.conflict.nc), until `furrow dataset resolve` applies them and records it done.
 * `simulated` rows are only in the throwaway copy `furrow run --simulate` writes (run/simulate.ts).
 */
/**
 * SQLite has no booleans: a true or false parameter or output is stored as 1 or 0 (so \`--where "flag = true"\` works),
 * and the psets columns that ever held one are named in bool_columns, so that what reads them for a person says
 * true and false again.
 */
export type CaseStatus = 'done' | 'failed' | 'cancelled' | 'storing' | 'conflict' | 'simulated';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  run_seq INTEGER NOT NULL UNIQUE,
  started_utc TEXT NOT NULL,
  finished_utc TEXT,
  host TEXT NOT NULL,
  status TEXT NOT NULL,
  cases INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  cancelled INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  study TEXT NOT NULL,
  undeclared TEXT,
  model_hash TEXT,
  model_backup TEXT
);
CREATE TABLE IF NOT EXISTS psets (
  _pset_seq INTEGER PRIMARY KEY,
  _pset_id TEXT NOT NULL,
  _pset_hash TEXT NOT NULL,
  _run_id TEXT NOT NULL REFERENCES runs(run_id),
  _run_seq INTEGER NOT NULL,
  _calc_dir TEXT,
  _time_utc TEXT,
  _exec_host TEXT,
  _runtime_s REAL,
  _status TEXT NOT NULL,
  _error TEXT,
  _params TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS designs (
  run_id TEXT PRIMARY KEY REFERENCES runs(run_id),
  design TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bool_columns (name TEXT PRIMARY KEY);
`;
/**
 * A run of a sensitivity design (\`furrow sample --design\`) has a row in \`designs\` (its design as JSON: name, size,
 * seed, the parameters in order) and each of its cases the row of the design it evaluated, in this column (added
 * when a design is first recorded). The analysis puts the outputs back in the design's order by it.
 */
export const DESIGN_ROW = '_design_row';

/**
 * Columns the runs table gained after its first release, with their types: a database made before gets them when a
 * writer opens it, and a reader of such a database reads them as null.
 *   undeclared: the scalar keys the model returned beyond the declared outputs (a JSON list), kept as psets columns;
 *   model_hash: the SHA-1 of the model's own files as the run found them (model-files.ts);
 *   model_backup: the backups/<timestamp>/ folder, relative to the study, holding the copy of those files that the
 *   run made because they changed since the last copy (null: unchanged, no copy made);
 *   kind: what the run was (null: a run of the grid, samples or a reap; 'adaptive': `furrow adapt`);
 *   settings: what an adaptive run learned, as JSON (its parameters' ranges and its output): a later `furrow adapt`
 *   with the same ones retells this run's points to its learners.
 */
export const LATER_RUN_COLUMNS = {
  undeclared: 'TEXT',
  model_hash: 'TEXT',
  model_backup: 'TEXT',
  kind: 'TEXT',
  settings: 'TEXT',
} as const;

/** A column's name as SQL writes it, whatever characters a parameter's name holds. */
export const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The cases table's own columns a person reads, in this order; the rest (_pset_hash, _params, …) stay out. */
export const RUN_COLUMNS = [
  '_run_seq',
  '_pset_seq',
  '_status',
  '_runtime_s',
  '_exec_host',
  '_time_utc',
  '_error',
  '_calc_dir',
];
