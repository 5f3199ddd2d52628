// The one seam between the UI and the engine.
//
// `requests` maps each request name to the zod schemas of its params and its result; `engineEventSchema` is
// the union of everything the engine announces. The engine host validates every request against these
// schemas, the preload bridge and the WebSocket transport carry them unchanged, and the renderer's client is
// typed from them. Adding a request here is the whole of adding it to the contract.
import { z } from 'zod';
import { scalarSchema as scalar } from './space';
import { studySummarySchema } from './study';
import { EXPORT_FORMATS } from './plot-export';
import { plotDataSchema } from './plot-spec';
import { adaptOptionsSchema, adaptProgressSchema, adaptSummarySchema } from './adaptive';
import {
  designOptionsSchema,
  sensitivityMethodSchema,
  sensitivityReduceSchema,
  sensitivityReportSchema,
} from './sensitivity';
import { studyEditSchema, studyRowsSchema } from './study-rows';
import {
  treeChildrenSchema,
  treeDetailsSchema,
  treeEntrySchema,
  treeNodeIdSchema,
  treePreviewParamsSchema,
  treePreviewSchema,
  treeSliceParamsSchema,
  treeSliceSchema,
} from './data-tree';
export type { StudyRows } from './study-rows';

export const runSummarySchema = z.object({
  run_id: z.string(),
  cases: z.number(),
  done: z.number(),
  failed: z.number(),
  skipped: z.number(),
  /** The dataset the results went into; null for samples, which go into the run database only. */
  dataset: z.string().nullable(),
  /** How the results went into the dataset ('in place' where it could; null when nothing was done). */
  harvest: z.enum(['created', 'in place', 'rewritten']).nullable(),
  /** Seconds spent merging and writing the results into the dataset. */
  harvest_seconds: z.number(),
  /** Scalars the model returned that study.yaml's outputs do not declare: kept as run database columns only. */
  undeclared: z.array(z.string()).optional(),
  /** What worked but deserves a look (undeclared keys the model returned; a sample's outputs with dims past its --keep-arrays budget), each said once for the run. */
  warnings: z.array(z.string()).optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** What `--simulate` reports: what a run would do, with nothing touched. */
export const simulateSummarySchema = z.object({
  simulate: z.literal(true),
  cases: z.number(),
  would_run: z.number(),
  /** Never run before. */
  new: z.number(),
  done_before: z.number(),
  failed_before: z.number(),
  dataset: z.string(),
});
export type SimulateSummary = z.infer<typeof simulateSummarySchema>;

export const datasetInfoSchema = z.object({
  path: z.string(),
  dims: z.array(
    z.object({
      name: z.string(),
      size: z.number(),
      values: z.array(scalar).nullable(),
      /** The coordinate variable's attributes (long_name, units, …), where the dim has one. */
      attrs: z.record(z.string(), z.unknown()).optional(),
      /** A CF time coordinate, decoded: `values` are ISO dates; its units ('hours since 2024-01-01') and calendar. */
      time: z.object({ units: z.string(), calendar: z.string() }).optional(),
    }),
  ),
  variables: z.array(
    z.object({
      name: z.string(),
      dims: z.array(z.string()),
      shape: z.array(z.number()),
      dtype: z.string(),
      attrs: z.record(z.string(), z.unknown()),
    }),
  ),
  attrs: z.record(z.string(), z.unknown()),
});
export type DatasetInfo = z.infer<typeof datasetInfoSchema>;

/** A slice of one variable: the dims left after `select`, their coords, and the values row-major. */
export const arraySliceSchema = z.object({
  variable: z.string(),
  dims: z.array(z.string()),
  shape: z.array(z.number()),
  coords: z.record(z.string(), z.array(scalar)),
  /** NaN and other missing values travel as null. */
  values: z.array(z.union([z.number(), z.string(), z.null()])),
});
export type ArraySlice = z.infer<typeof arraySliceSchema>;

/**
 * Where a model's error is in the person's own file (never Furrow's): its path relative to the study folder, the
 * line and column (1-based), and that line's text when the engine could read it.
 */
export const errorAtSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  source: z.string().nullable(),
});
export type ErrorAt = z.infer<typeof errorAtSchema>;

const runProgressSchema = z.object({
  type: z.literal('run.progress'),
  runId: z.string(),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  running: z.number(),
  /** Done cases already stored in the dataset and the run database (a run stores them in rounds). */
  stored: z.number(),
  /** Cases finished per second so far, and the seconds left at that rate (null before the first). */
  rate: z.number(),
  eta: z.number().nullable(),
  /** The cases running now that have run longest (at most 10), with their seconds so far. */
  current: z.array(z.object({ params: z.record(z.string(), scalar), seconds: z.number() })),
});

/**
 * A page of the run database's cases. `filters` hold one condition per column: text the cell contains, a
 * comparison with a number (`> 3`, `<= 0.5`, `= 2`, `!= 1`), a range (`0.1..0.5`), one exact text (`= rk4`) or
 * exact values (`in: a, b, "c, d"`: shared/case-filter.ts). `where` is an SQL condition, as `furrow db --where`.
 */
export const casesQuerySchema = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(200),
  sort: z.object({ column: z.string(), descending: z.boolean().default(false) }).optional(),
  where: z.string().max(4000).optional(),
  filters: z.record(z.string(), z.string().max(200)).default({}),
  /**
   * Only each case's latest attempt: a case is its parameters' hash, an attempt a row of the run database (the
   * case's row with the largest `_pset_seq`). The filters, `where` and the sort apply on top.
   */
  latest: z.boolean().default(false),
});
export type CasesQuery = z.input<typeof casesQuerySchema>;

/** Run: _run_seq, _status, …; param: a parameter or constant; output: a scalar output. */
export const caseColumnSchema = z.object({ name: z.string(), kind: z.enum(['run', 'param', 'output']) });
export type CaseColumn = z.infer<typeof caseColumnSchema>;

export const casesPageSchema = z.object({
  columns: z.array(caseColumnSchema),
  /** Cases that pass the filters, in all. */
  total: z.number(),
  /** The rows that pass the filters with every attempt counted: `total` unless only the latest are asked for. */
  attempts: z.number(),
  offset: z.number(),
  /** Row-major, in the order of `columns`. */
  rows: z.array(z.array(z.union([z.number(), z.string(), z.null()]))),
});
export type CasesPage = z.infer<typeof casesPageSchema>;

/** One run of the run database's runs table. */
export const runRecordSchema = z.object({
  run_id: z.string(),
  run_seq: z.number(),
  started_utc: z.string(),
  finished_utc: z.string().nullable(),
  host: z.string(),
  status: z.string(),
  cases: z.number(),
  done: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  skipped: z.number(),
  /** SHA-1 of the model's own files as the run found them; null when it has none in the study (or a reap). */
  model_hash: z.string().nullable(),
  /** The backups/<timestamp> folder holding the copy of them this run made (null: unchanged since the last copy). */
  model_backup: z.string().nullable(),
  /** 'adaptive' for a run of `furrow adapt`; null for a run of the grid, samples or a reap. */
  kind: z.string().nullable(),
  /** An adaptive run's learned parameters' ranges and output, as JSON. */
  settings: z.string().nullable(),
  /** Scalars the model returned beyond the declared outputs, kept as cases table columns. */
  undeclared: z.array(z.string()),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/**
 * A crop's name is its folder under crops/, so it is a name and never a path: letters, digits, _ . and -, starting
 * with a letter or digit. Every command and request that takes one checks it with this rule.
 */
export const cropNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a crop name is letters, digits, _ . and -, starting with a letter or digit');

/** One batch of a crop: where it is between sown and reaped. */
export const cropBatchSchema = z.object({
  batch: z.number(),
  /** pending / running: queued or running in a cluster job; missing: sown, not grown, not on its way. */
  state: z.enum(['reaped', 'grown', 'failed', 'running', 'pending', 'missing']),
  /** The cluster job that grows or grew it, and the scheduler's state for its task (null when unknown). */
  job: z.string().nullable(),
  job_state: z.string().nullable(),
  /** The log to read when it fails: the grower's, or the cluster task's output. */
  log: z.string(),
  error: z.string().nullable(),
});
export type CropBatch = z.infer<typeof cropBatchSchema>;

export const cropStatusSchema = z.object({
  crop: z.string(),
  name: z.string(),
  cases: z.number(),
  sown_utc: z.string(),
  batches: z.array(cropBatchSchema),
  counts: z.object({
    reaped: z.number(),
    grown: z.number(),
    failed: z.number(),
    running: z.number(),
    pending: z.number(),
    missing: z.number(),
  }),
});
export type CropStatus = z.infer<typeof cropStatusSchema>;

/** One line of the setup check (`furrow doctor`, Help → Check setup): what was found, and what to do when not ok. */
export const setupLineSchema = z.object({
  /** What is checked: "Node", "Chromium (export)", "SLURM", "run database", … */
  check: z.string(),
  /** ok; warning: works, but look (or optional and missing); error: the study needs it and it is not there. */
  state: z.enum(['ok', 'warning', 'error']),
  found: z.string(),
  /** What to do, when the state is not ok. */
  fix: z.string().nullable(),
});
export type SetupLine = z.infer<typeof setupLineSchema>;

export const setupReportSchema = z.object({
  /** The study checked (its folder), or null when only this machine was. */
  study: z.string().nullable(),
  /** Every line that the study (or Furrow alone) needs is ok: `furrow doctor` exits 0. */
  ready: z.boolean(),
  lines: z.array(setupLineSchema),
});
export type SetupReport = z.infer<typeof setupReportSchema>;

export const requests = {
  /**
   * What Furrow found on this machine and what the study needs (`furrow doctor`): Node, the build, Chromium,
   * poppler, the cluster schedulers, free disk space, and of the study (`dir`, else the open one, if any) its lock,
   * its run database and its dataset.
   */
  'setup.check': { params: z.object({ dir: z.string().min(1).optional() }), result: setupReportSchema },
  /**
   * Which parameters matter (`furrow sensitivity`): indices of the open study's outputs (those with dims of their own
   * per coordinate, after the reductions asked for) from the cases its run database records, by the method the latest design allows unless one is given. Cases that cannot answer are a
   * `bad-input` error that says what to run.
   */
  'sensitivity.analyze': {
    params: z.object({
      outputs: z.array(z.string().min(1)).max(100).optional(),
      method: sensitivityMethodSchema.optional(),
      reduce: sensitivityReduceSchema.optional(),
    }),
    result: sensitivityReportSchema,
  },
  /**
   * Learn the open study's output over ranges of its parameters (`furrow adapt`): each learner (one per combination
   * of the other combos) proposes a point whenever a worker is free, where the output changes fastest. Points are
   * cases in the run database and land in the point dataset; a second start resumes from the stored points. Progress
   * arrives as `adapt.progress` events, the end as `adapt.finished`.
   */
  'adapt.start': {
    params: adaptOptionsSchema,
    /** `resumed`: the points already stored that the learners were told before the first new one. */
    result: z.object({ runId: z.string(), resumed: z.number() }),
  },
  /** Stop the adaptive run: points being evaluated are cancelled and asked again by the next start. */
  'adapt.stop': { params: z.object({}), result: z.object({ stopped: z.boolean() }) },
  /**
   * The open study's adaptive run (running, else the point dataset's stored points), with every point so far in
   * `added`; null when the study has no point dataset. `running`: the run is going now (between two points none may
   * be pending).
   */
  'adapt.status': {
    params: z.object({}),
    result: adaptProgressSchema.extend({ running: z.boolean() }).nullable(),
  },
  /** Open a study folder; it becomes the engine's current study. */
  'study.open': { params: z.object({ dir: z.string().min(1) }), result: studySummarySchema },
  /** The study that is open now, if any. */
  'study.current': { params: z.object({}), result: studySummarySchema.nullable() },
  /** A new study in `dir` (new or empty) from one of the bundled examples, opened at once. */
  'study.create': {
    params: z.object({
      dir: z.string().min(1),
      example: z.string().default('foo'),
      /** A paramspace YAML file (or a dantro run config) to take the parameters from. */
      paramSpace: z.string().min(1).optional(),
    }),
    result: studySummarySchema,
  },
  /** The bundled examples a new study can start from. */
  /** The bundled examples a study can start from, each with what it shows (its study.yaml's description). */
  'study.examples': {
    params: z.object({}),
    result: z.array(z.object({ name: z.string(), description: z.string() })),
  },
  /** study.yaml's text, to edit. */
  'study.source': { params: z.object({}), result: z.object({ file: z.string(), text: z.string() }) },
  /** The study folder's own files (paths relative to it), to pick a model module or a command's script from. */
  'study.files': {
    params: z.object({}),
    result: z.object({ files: z.array(z.string()), truncated: z.boolean() }),
  },
  /**
   * Check an edited study.yaml with the command line's rules, without saving it: the study it makes, how many of
   * its cases are new, and how long they would take at the pace of earlier runs; or the first error, with its line.
   */
  'study.check': {
    params: z.object({ text: z.string().max(1_000_000) }),
    result: z.discriminatedUnion('ok', [
      z.object({
        ok: z.literal(true),
        summary: studySummarySchema,
        /** The rows the app edits, read from the text. */
        rows: studyRowsSchema,
        new: z.number(),
        done_before: z.number(),
        failed_before: z.number(),
        /** The new cases at the mean runtime of the cases done so far, on the default workers; null before any. */
        estimated_seconds: z.number().nullable(),
      }),
      z.object({
        ok: z.literal(false),
        error: z.string(),
        line: z.number().nullable(),
        /** The field's path, e.g. ['combos', 'x', 'linspace', 2] (null when the error names none). */
        field: z.array(z.union([z.string(), z.number()])).nullable(),
        /** The words after the path: what is wrong there. */
        detail: z.string(),
        /** The rows, when the text at least parses as YAML. */
        rows: studyRowsSchema.nullable(),
      }),
    ]),
  },
  /** Change one thing in study.yaml's text (the engine's study/study-edit.ts): comments and key order stay. */
  'study.edit': {
    params: z.object({
      text: z.string().max(1_000_000),
      edit: studyEditSchema,
    }),
    result: z.object({ text: z.string() }).merge(studyRowsSchema),
  },
  /**
   * Run one case of a (possibly unsaved) study.yaml through its model, recording nothing: the first case, or
   * these parameters. Says what came back and the outputs section that would fit it.
   */
  'study.try': {
    params: z.object({ text: z.string().max(1_000_000).optional(), params: z.record(z.string(), scalar).optional() }),
    result: z.object({
      params: z.record(z.string(), scalar),
      seconds: z.number().nullable(),
      outputs: z.array(
        z.object({
          name: z.string(),
          shape: z.array(z.number()),
          kind: z.enum(['number', 'string', 'boolean', 'mixed', 'none']),
          preview: z.array(scalar.nullable()),
        }),
      ),
      suggested: z.array(z.object({ name: z.string(), dims: z.array(z.string()) })),
      error: z.string().nullable(),
      /** Where in the person's model the error is (a syntax error's line, the top frame of theirs). */
      errorAt: errorAtSchema.optional(),
      caseDir: z.string().nullable(),
    }),
  },
  /**
   * Save an edited study.yaml (checked first). `base` is the text it was edited from: if the file changed on disk
   * since, nothing is written and the error says so.
   */
  'study.save': {
    params: z.object({ text: z.string().max(1_000_000), base: z.string().max(1_000_000) }),
    result: studySummarySchema,
  },
  /** Start a run of the current study; progress arrives as events. */
  'run.start': {
    params: z.object({
      workers: z.number().int().min(1).max(256).optional(),
      /** Replaces the values of these combos for this run (as `furrow run --combo`); the others stay. */
      combos: z.record(z.string(), z.array(scalar).min(1)).optional(),
      missingOnly: z.boolean().optional(),
      retryFailed: z.boolean().optional(),
      failFast: z.boolean().optional(),
      overwrite: z.enum(['error', 'new', 'old']).optional(),
      /**
       * Run N random samples instead of the parameter space (as `furrow sample -n N --seed S`): drawn from the
       * combos (a uniform choice each) and `sample.distributions`; kept in the run database, not the dataset.
       */
      sample: z
        .object({
          n: z.number().int().min(1),
          /** A sensitivity design instead of random draws (`furrow sample --design`); `n` is its base size. */
          design: designOptionsSchema.optional(),
          seed: z
            .number()
            .int()
            .min(0)
            .max(2 ** 32 - 1)
            .optional(),
        })
        .optional(),
    }),
    /** `seed`: the seed the samples were drawn with (give it again to draw the same samples). */
    result: z.object({ runId: z.string(), cases: z.number(), seed: z.number().optional() }),
  },
  /** What `run.start` with these choices would run (`furrow run --simulate`); nothing changes. */
  'run.simulate': {
    params: z.object({
      combos: z.record(z.string(), z.array(scalar).min(1)).optional(),
      missingOnly: z.boolean().optional(),
      retryFailed: z.boolean().optional(),
    }),
    result: simulateSummarySchema,
  },
  /** Stop the current run: its workers are killed at once. */
  'run.cancel': { params: z.object({}), result: z.object({ cancelled: z.boolean() }) },
  /** Where the current run is (for a window opened or reloaded mid-run), or null when none runs. */
  'run.status': { params: z.object({}), result: runProgressSchema.nullable() },
  /**
   * Apply what a run computed but its dataset refused (its values differ from the stored ones under Overwrite
   * error; the run's cases wait in conflict, their outputs in its side file), as `furrow dataset resolve`: `new`
   * writes the run's values over the stored ones, `old` keeps the stored ones. Announced as `run.resolved`.
   */
  'run.resolve': {
    params: z.object({ run: z.number().int().positive(), overwrite: z.enum(['new', 'old']) }),
    result: z.object({
      dataset: z.string(),
      run: z.number(),
      overwrite: z.enum(['new', 'old']),
      /** The run's cases recorded done now (0: it had nothing left to resolve). */
      resolved: z.number(),
      harvest: z.enum(['created', 'in place', 'rewritten']).nullable(),
      /** Where the run's side file went (null: there was none). */
      archived: z.string().nullable(),
    }),
  },
  /** Dims, coords (CF-decoded, as xarray opens them), variables and attrs of the study's dataset, or of any file. */
  'dataset.describe': {
    params: z.object({ file: z.string().optional() }),
    result: datasetInfoSchema,
  },
  /** One slice of a variable (CF-decoded): each dim in `select` is fixed at that index, the others kept whole. */
  'dataset.read': {
    params: z.object({
      file: z.string().optional(),
      variable: z.string(),
      select: z.record(z.string(), z.number().int().min(0)).default({}),
    }),
    result: arraySliceSchema,
  },
  /**
   * The multiverse of `path` (`file.h5:/group/dataset`, a file in each case folder): one array over the dataset's
   * parameter dims, then the array's own, NaN where the case is not done. Kept as NetCDF4 in
   * data/multiverse/<name>.nc (written again when the run database has newer cases); read it as any file.
   */
  'multiverse.combine': {
    params: z.object({ path: z.string().min(1).max(4096) }),
    result: z.object({ file: z.string(), info: datasetInfoSchema }),
  },
  /** The study's plots.yaml: each named plot as written, and why one cannot be drawn (or null). */
  'plot.list': {
    params: z.object({}),
    result: z.object({
      file: z.string(),
      plots: z.array(
        z.object({
          name: z.string(),
          raw: z.record(z.string(), z.unknown()),
          enabled: z.boolean(),
          error: z.string().nullable(),
        }),
      ),
    }),
  },
  /**
   * What a facet plot draws: a spec (its based_on naming plots of plots.yaml) or a saved plot by name, with `frame`
   * choosing the frame shown. A spec that cannot be drawn is bad input, with a message saying what to change.
   */
  'plot.data': {
    params: z.object({
      spec: z.record(z.string(), z.unknown()).optional(),
      name: z.string().optional(),
      frame: z.number().int().nonnegative().optional(),
    }),
    result: plotDataSchema,
  },
  /**
   * The figures a saved plot exports: itself, or for a plot with `each: case` one per done case of the study, named
   * <plot>/<pset_id>, each spec fixing the case's parameter dims.
   */
  'plot.cases': {
    params: z.object({ name: z.string().min(1), spec: z.record(z.string(), z.unknown()) }),
    result: z.object({ plots: z.array(z.object({ name: z.string(), spec: z.record(z.string(), z.unknown()) })) }),
  },
  /** Save a plot into plots.yaml under a name (replacing one of that name), keeping the rest of the file. */
  'plot.save': {
    params: z.object({ name: z.string().min(1), spec: z.record(z.string(), z.unknown()) }),
    result: z.object({ file: z.string() }),
  },
  'plot.remove': { params: z.object({ name: z.string().min(1) }), result: z.object({ removed: z.boolean() }) },
  /**
   * Write one exported plot into eval/<timestamp>/ (a new one when `dir` is not given; pass the returned `dir`
   * again to put the rest of an "export all" beside it), with its resolved spec as <name>.yaml.
   */
  'plot.export': {
    params: z.object({
      dir: z.string().optional(),
      name: z.string().min(1),
      format: z.enum(EXPORT_FORMATS),
      /** The file's bytes, base64. */
      data: z.string(),
      spec: z.record(z.string(), z.unknown()),
    }),
    result: z.object({ dir: z.string(), file: z.string() }),
  },
  /**
   * The data tree's roots: the study's dataset, its case folders (or the tree its `load:` section builds), and
   * each HDF5/NetCDF file opened by its path.
   */
  'tree.roots': {
    params: z.object({ files: z.array(z.string().min(1).max(4096)).max(100).default([]) }),
    result: z.array(treeEntrySchema),
  },
  /** A page of a node's children, read when it is opened; a child that cannot be read carries its error. */
  'tree.children': {
    params: z.object({
      node: treeNodeIdSchema,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    result: treeChildrenSchema,
  },
  /** A node's details: shape, dtype, dims, chunks, compression, attrs. */
  'tree.node': { params: z.object({ node: treeNodeIdSchema }), result: treeDetailsSchema },
  /** A window of a dataset's values (the other axes fixed at an index each), or a text file's first lines. */
  'tree.preview': { params: treePreviewParamsSchema, result: treePreviewSchema },
  /** The slice a Line (one axis) or Heatmap (two) view of a dataset draws, the other axes fixed at an index each. */
  'tree.slice': { params: treeSliceParamsSchema, result: treeSliceSchema },
  /** A page of the cases table of the open study's run database (empty before the first run). */
  'db.cases': { params: casesQuerySchema, result: casesPageSchema },
  /** The cases that pass the same filters, as CSV (every column but `_params`). */
  'db.export': {
    params: casesQuerySchema.omit({ offset: true, limit: true }),
    result: z.object({ csv: z.string(), rows: z.number() }),
  },
  /**
   * The numeric parameter and output columns of the cases that pass the filters, column by column, for the
   * parallel coordinates: at most `max` cases, evenly spread when there are more.
   */
  'db.numeric': {
    params: casesQuerySchema.omit({ offset: true, limit: true, sort: true }).extend({
      max: z.number().int().min(1).max(200_000).default(20_000),
    }),
    result: z.object({
      columns: z.array(
        z.object({ name: z.string(), kind: z.enum(['param', 'output']), values: z.array(z.number().nullable()) }),
      ),
      total: z.number(),
      shown: z.number(),
    }),
  },
  /**
   * Every parameter and scalar output column (text too) and the run columns `_status`, `_run_seq`, `_runtime_s` and
   * `_exec_host` of the cases that pass the condition (column filters grey lines, they do not take them away), for
   * the parallel coordinates: at most `max` cases, evenly spread when there are more.
   */
  'db.lines': {
    params: casesQuerySchema.omit({ offset: true, limit: true, sort: true, filters: true }).extend({
      max: z.number().int().min(1).max(200_000).default(20_000),
    }),
    result: z.object({
      columns: z.array(
        z.object({
          name: z.string(),
          kind: z.enum(['param', 'output', 'run']),
          values: z.array(z.union([z.number(), z.string(), z.null()])),
        }),
      ),
      total: z.number(),
      shown: z.number(),
    }),
  },
  /** Every run of the open study, newest first. */
  'run.history': { params: z.object({}), result: z.array(runRecordSchema) },
  /** The crops of the open study (crops/<name>), each with its batches' states. */
  'crop.list': { params: z.object({}), result: z.array(cropStatusSchema) },
  /** One crop's batches: sown, grown, failed, queued or running on a cluster, reaped. */
  'crop.status': { params: z.object({ name: cropNameSchema }), result: cropStatusSchema },
  /** Sow the open study's cases into crops/<name> (`furrow crop sow`). */
  'crop.sow': {
    params: z.object({
      name: cropNameSchema,
      batchSize: z.number().int().min(1).optional(),
      batches: z.number().int().min(1).optional(),
      combos: z.record(z.string(), z.array(scalar).min(1)).optional(),
      missingOnly: z.boolean().optional(),
      shuffle: z.number().int().min(0).max(4294967295).optional(),
    }),
    result: z.object({ crop: z.string(), cases: z.number(), batches: z.number(), sown: z.boolean() }),
  },
  /** Grow the crop's missing batches here, in the background; `crop.changed` follows each batch. */
  'crop.grow': {
    params: z.object({ name: cropNameSchema, workers: z.number().int().min(1).max(256).optional() }),
    result: z.object({ batches: z.number() }),
  },
  /** Reap the crop's grown batches: a run (its events are a run's). */
  'crop.reap': {
    params: z.object({
      name: cropNameSchema,
      allowIncomplete: z.boolean().optional(),
      keep: z.boolean().optional(),
      overwrite: z.enum(['error', 'new', 'old']).optional(),
    }),
    result: z.object({ runId: z.string(), cases: z.number() }),
  },
  /** Write the crop's job script and submit it to the cluster's scheduler (`furrow crop submit`). */
  'crop.submit': {
    params: z.object({
      name: cropNameSchema,
      scheduler: z.enum(['slurm', 'pbs', 'sge']),
      time: z.string().optional(),
      mem: z.string().optional(),
      cpusPerTask: z.number().int().min(1).max(1024).optional(),
      partition: z.string().optional(),
      options: z.array(z.string()).default([]),
      setup: z.array(z.string()).default([]),
      dryRun: z.boolean().optional(),
    }),
    result: z.object({
      script: z.string(),
      text: z.string(),
      batches: z.array(z.number()),
      job_id: z.string().nullable(),
    }),
  },
  /** Cancel the crop's queued and running cluster jobs. */
  'crop.cancel': {
    params: z.object({ name: cropNameSchema }),
    result: z.object({ cancelled: z.array(z.string()) }),
  },
} as const;

export type Method = keyof typeof requests;
export type Params<M extends Method> = z.input<(typeof requests)[M]['params']>;
export type Result<M extends Method> = z.output<(typeof requests)[M]['result']>;

export const engineEventSchema = z.discriminatedUnion('type', [
  /** The engine host stopped (it crashed); Electron main restarts it and re-opens the study. */
  z.object({ type: z.literal('engine.stopped'), message: z.string() }),
  z.object({ type: z.literal('study.opened'), study: studySummarySchema }),
  z.object({
    type: z.literal('run.started'),
    runId: z.string(),
    total: z.number(),
    /** Who started it, when not this engine: e.g. "furrow run (pid 4242)"; it is watched from the run database. */
    by: z.string().optional(),
  }),
  runProgressSchema,
  z.object({
    type: z.literal('case.failed'),
    runId: z.string(),
    params: z.record(z.string(), scalar),
    error: z.string(),
    /** Where in the person's model the error is (the top frame of theirs), when the engine found it. */
    errorAt: errorAtSchema.optional(),
    /** The case's folder (command models), with its stdout.log and stderr.log. */
    caseDir: z.string().optional(),
  }),
  /** A round of the run's done cases was stored: `dataset` (null for samples) changed, and `stored` cases are in it. */
  z.object({ type: z.literal('run.stored'), runId: z.string(), stored: z.number(), dataset: z.string().nullable() }),
  z.object({ type: z.literal('run.finished'), runId: z.string(), summary: runSummarySchema }),
  /** A run's cases in conflict were applied to the dataset (run.resolve): the dataset and the runs changed. */
  z.object({
    type: z.literal('run.resolved'),
    run: z.number(),
    dataset: z.string(),
    overwrite: z.enum(['new', 'old']),
  }),
  z.object({
    type: z.literal('run.error'),
    runId: z.string(),
    message: z.string(),
    /** A model that could not be loaded: where in the person's file (a syntax error's line). */
    errorAt: errorAtSchema.optional(),
  }),
  adaptProgressSchema,
  z.object({ type: z.literal('adapt.finished'), runId: z.string(), summary: adaptSummarySchema }),
  /** A crop's batches changed here (one grown or failed, or growing ended: `growing` false). */
  z.object({ type: z.literal('crop.changed'), name: z.string(), growing: z.boolean() }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;

/** What went wrong, as the UI and the command line report it. */
export interface EngineErrorInfo {
  /**
   * bad-input: the person can fix it (file, line, field say where); busy: try later; io: a write failed (a full
   * disk, say: the message says where and how much room there is) and nothing of it was kept; internal: a bug.
   */
  code: 'bad-input' | 'busy' | 'not-found' | 'cancelled' | 'io' | 'internal';
  message: string;
  /** A model that could not be loaded: where in the person's file. */
  at?: ErrorAt;
  /**
   * Why a folder does not open as a study (study.open): no such folder, no study.yaml in it, or a study.yaml with
   * an error (the message says where).
   */
  reason?: 'no-folder' | 'no-study-file' | 'bad-study-file';
}

/** What the renderer holds: the same on the Electron bridge and over WebSocket. */
export interface EngineClient {
  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

// The wire format shared by every transport (WebSocket, utility-process port).
export const wireRequestSchema = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type WireReply =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: EngineErrorInfo }
  | { kind: 'event'; event: EngineEvent };

export class EngineRequestError extends Error {
  constructor(readonly info: EngineErrorInfo) {
    super(info.message);
    this.name = 'EngineRequestError';
  }
}

export function isMethod(name: string): name is Method {
  return Object.hasOwn(requests, name);
}

export type RequestReply =
  Extract<WireReply, { kind: 'result' | 'error' }> | { kind: 'error'; id?: number; error: EngineErrorInfo };

/**
 * A transport, untyped: `window.furrow` in Electron (the preload bridge) and the WebSocket of `furrow serve`
 * both are one of these. Replies carry errors as data, because Error subclasses do not survive the bridge.
 */
export interface EngineBridge {
  invoke(method: string, params: unknown): Promise<RequestReply>;
  /** Returns the function that unsubscribes. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** The typed client over any bridge: the renderer never knows which transport it has. */
export function clientOf(bridge: EngineBridge): EngineClient {
  return {
    async request(method, params) {
      const reply = await bridge.invoke(method, params);
      if (reply.kind === 'error') throw new EngineRequestError(reply.error);
      return reply.result as never;
    },
    subscribe: (listener) => bridge.onEvent(listener),
  };
}
