// The `furrow` command line: the same engine the app uses, for scripts, terminals and cluster jobs.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYamlScalar } from 'yaml';
import type { EngineEvent } from '../../shared/api';
import { isScalar } from '../../shared/space';
import type { EditResult } from '../engine/dataset/dataset-edit';
import { dropValues, expandDims } from '../engine/dataset/dataset-edit';
import { Engine } from '../engine/engine';
import { asDiskError } from '../engine/dataset/disk';
import { FurrowError, StudyFileError } from '../engine/errors';
import { describeDataset } from '../engine/dataset/netcdf-read';
import type { RunOptions } from '../engine/run/runner';
import { simulateRun } from '../engine/run/plan';
import { runStudy } from '../engine/run/runner';
import { readCasesFile } from '../engine/study/cases-file';
import { drawStudySamples } from '../engine/run/sampler';
import { excerptOf } from '../engine/run/model-error';
import type { DistributionSpec } from '../../shared/sampling';
import { distributionSchema } from '../../shared/sampling';
import { openStudy, openStudyForRun } from '../engine/study/study';
import { conditionEntry, examplesDir, furrowCommand, rendererDir } from '../host/paths';
import { isLoopback, serve } from '../host/server';
import { CROP_USAGE, cropCommand, growBatchCommand } from './crop';
import { COMBINE_USAGE, combineCommand } from './combine';
import { dbCommand } from './db';
import { EXPORT_USAGE, exportCommand } from './export';
import { createStudy, listExamples } from '../engine/study/study-create';
import { parseCombos, positiveInt, seconds, UsageError } from './args';
import type { EngineParts } from './run-report';
import { engineParts, reportRun } from './run-report';

const USAGE = `furrow — parameter studies into one labelled dataset

usage:
  furrow init <dir> [--example NAME] [--paramspace FILE]   new study folder (examples: ${listExamples(examplesDir).join(', ')};
                                              FILE: paramspace YAML or a dantro run config for its parameters)
  furrow run <study> [--combo name=v1,v2,...|name=...]... [--cases FILE] [--workers N] [--missing-only]
             [--retry-failed] [--overwrite error|new|old] [--fail-fast] [--store-every SECONDS] [--simulate]
             [--json] [--events]   (--cases: CSV, TSV, JSON or YAML rows in place of the study's cases;
             finished cases are stored in the dataset and database every 3 s while the run goes on;
             --events prints every progress event as a JSON line on stdout)
  furrow sample <study> -n N [--seed S] [--set name=DIST]... [--workers N] [--fail-fast] [--json]
             N random samples into the run database (DIST: [values] or {uniform|loguniform|normal|randint: [a, b]})
  furrow db <study> [--format table|csv|json] [--where EXPR]   the cases table of the run database
             (EXPR: an SQL condition on its columns, read-only, stopped after 2 s)
  furrow dataset expand-dims <study> NAME VALUE   a constant becomes a new dim of length 1 (backup first)
  furrow dataset drop <study> NAME=V1,V2,...      remove those coordinate values and their cells (backup first)
  furrow inspect <file.nc|.h5> [--json]       dims, coords, variables and attrs of any HDF5/NetCDF4 file
${COMBINE_USAGE}
${EXPORT_USAGE}
  furrow serve [<study>] [--port P] [--host H]   the app in a browser, on 127.0.0.1 (--host: elsewhere, warned), with a token
${CROP_USAGE}

exit status: 0 all cases done, 1 some cases failed or a write failed (a full disk: nothing of it kept), 2 bad input,
             130 cancelled (Ctrl-C), 3 internal error`;

function init(args: string[]): number {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { example: { type: 'string' }, paramspace: { type: 'string' } },
  });
  const dir = positionals[0];
  if (!dir) throw new UsageError('init needs the folder to create');
  // A study made around an imported parameter space starts from the blank example.
  const example = values.example ?? (values.paramspace ? 'blank' : 'foo');
  const created = createStudy(dir, example, examplesDir, values.paramspace && path.resolve(values.paramspace));
  console.log(
    `created study ${created} from the '${example}' example${values.paramspace ? `, its parameters from ${values.paramspace}` : ''}; run it with: furrow run ${dir}`,
  );
  return 0;
}

async function run(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      combo: { type: 'string', multiple: true, default: [] },
      cases: { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false },
      'missing-only': { type: 'boolean', default: false },
      'retry-failed': { type: 'boolean', default: false },
      'fail-fast': { type: 'boolean', default: false },
      'store-every': { type: 'string' },
      events: { type: 'boolean', default: false },
      simulate: { type: 'boolean', default: false },
      overwrite: { type: 'string', default: 'error' },
    },
  });
  const dir = positionals[0];
  if (!dir) throw new UsageError('run needs the study folder');
  const overwrite = values.overwrite;
  if (overwrite !== 'error' && overwrite !== 'new' && overwrite !== 'old') {
    throw new UsageError(`--overwrite ${overwrite}: choose error, new or old`);
  }
  const cases = values.cases;
  const study = await openStudyForRun(dir, parseCombos(values.combo), () => (cases ? readCasesFile(cases) : undefined));
  const choose = { missingOnly: values['missing-only'], retryFailed: values['retry-failed'] };
  if (values.simulate) {
    const plan = await simulateRun(study, choose);
    if (values.json) console.log(JSON.stringify(plan));
    else {
      console.log(
        `would run ${plan.would_run} of ${plan.cases} cases: ${plan.new} never run, ${plan.done_before} done before, ${plan.failed_before} failed before; nothing was changed`,
      );
    }
    return 0;
  }
  return runAndReport(
    study,
    dir,
    { json: values.json, events: values.events },
    {
      ...choose,
      failFast: values['fail-fast'],
      overwrite,
      harvestEvery: seconds(values['store-every'], '--store-every'),
      workers: positiveInt(values.workers, '--workers'),
    },
  );
}

/** A run (or a sample) of the study, shown as reportRun shows it. */
function runAndReport(
  study: ReturnType<typeof openStudy>,
  dir: string,
  show: { json: boolean; events?: boolean },
  options: Omit<RunOptions, keyof EngineParts | 'signal' | 'onEvent' | 'workers'> & { workers: number | undefined },
  extra: Record<string, unknown> = {},
): Promise<number> {
  const { workers, ...rest } = options;
  return reportRun(dir, show, (run) => runStudy(study, { ...run, ...rest, ...(workers ? { workers } : {}) }), extra);
}

async function sample(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      n: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false },
      'fail-fast': { type: 'boolean', default: false },
    },
  });
  const dir = positionals[0];
  if (!dir) throw new UsageError('sample needs the study folder');
  const n = positiveInt(values.n, '-n');
  if (n === undefined) throw new UsageError('sample needs -n N, the number of samples');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) {
    throw new UsageError(`--seed ${values.seed}: give a whole number from 0 to 2^32 - 1`);
  }
  const set: Record<string, DistributionSpec> = {};
  for (const spec of values.set) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${spec}: write --set name=DIST, e.g. --set x='{uniform: [0, 1]}'`);
    const parsed = distributionSchema.safeParse(parseYamlScalar(spec.slice(eq + 1)));
    if (!parsed.success) {
      throw new UsageError(
        `--set ${spec}: not a distribution; give a list of values, or {uniform|loguniform|normal|randint: [a, b]}, or {module: file.mjs}`,
      );
    }
    set[spec.slice(0, eq)] = parsed.data;
  }
  const study = openStudy(dir);
  const drawn = await drawStudySamples(study, { n, set, ...(seed === undefined ? {} : { seed }) });
  if (!values.json) console.error(`drawing ${n} samples with seed ${drawn.seed}`);
  return runAndReport(
    study,
    dir,
    { json: values.json },
    { samples: drawn.samples, failFast: values['fail-fast'], workers: positiveInt(values.workers, '--workers') },
    { seed: drawn.seed },
  );
}

async function inspect(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('inspect needs a file');
  const info = await describeDataset(path.resolve(file));
  if (values.json) {
    console.log(JSON.stringify(info));
    return 0;
  }
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  console.log(info.path);
  console.log('dims:');
  for (const d of info.dims) {
    const preview = d.values
      ? ` [${d.values.slice(0, 8).map(show).join(', ')}${d.values.length > 8 ? ', …' : ''}]`
      : '';
    console.log(`  ${d.name}: ${d.size}${preview}`);
  }
  console.log('variables:');
  for (const v of info.variables) console.log(`  ${v.name}(${v.dims.join(', ')}) ${v.dtype} [${v.shape.join('×')}]`);
  if (Object.keys(info.attrs).length) {
    console.log('attrs:');
    for (const [k, v] of Object.entries(info.attrs)) console.log(`  ${k}: ${show(v)}`);
  }
  return 0;
}

async function datasetCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [verb, dir, ...rest] = positionals;
  if (!dir) throw new UsageError('dataset needs what to do (expand-dims or drop) and the study folder');
  let result: EditResult;
  if (verb === 'expand-dims') {
    const [name, text] = rest;
    if (!name || text === undefined || rest.length !== 2) throw new UsageError('dataset expand-dims needs NAME VALUE');
    const value: unknown = parseYamlScalar(text);
    if (!isScalar(value)) throw new UsageError(`${text} is not a number, string or boolean`);
    result = await expandDims(openStudy(dir), name, value);
  } else if (verb === 'drop') {
    if (rest.length !== 1) throw new UsageError('dataset drop needs NAME=V1,V2,...');
    const [name, dropped] = Object.entries(parseCombos(rest)!)[0]!;
    result = await dropValues(openStudy(dir), name, dropped);
  } else {
    throw new UsageError(`dataset ${verb ?? ''}: choose expand-dims or drop`);
  }
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${result.dataset}: dims now ${result.dims.map((d) => `${d.name}(${d.size})`).join(', ')}`);
    console.log(`the file as it was is in ${result.backup}`);
  }
  return 0;
}

async function serveCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  let broadcast: (event: EngineEvent) => void = () => undefined;
  const engine = new Engine({
    ...engineParts,
    conditionEntry,
    furrowCommand,
    examplesDir,
    emit: (event) => broadcast(event),
  });
  const dir = positionals[0];
  if (dir) await engine.handlers['study.open']({ dir });
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new FurrowError('internal', `the UI is not built (${rendererDir} is missing); run \`npm run build\``);
  }
  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${values.port}: give a port number`);
  if (!isLoopback(values.host)) {
    console.error(
      `furrow: warning: listening on ${values.host}, not only on this machine: anyone who can reach it and has the token in the URL can run models and read the study's files. Use it only on a network you trust.`,
    );
  }
  const server = await serve({ engine, rendererDir, port, host: values.host });
  broadcast = (event) => server.broadcast(event);
  console.log(`Furrow is serving ${dir ? path.resolve(dir) : 'no study yet'} at ${server.url}`);
  console.log('Open that URL in a browser (the token in it is the key). Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () =>
      void engine
        .close()
        .then(() => server.close())
        .then(resolve);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, stop);
  });
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'init':
      return init(rest);
    case 'run':
      return run(rest);
    case 'sample':
      return sample(rest);
    case 'inspect':
      return inspect(rest);
    case 'combine':
      return combineCommand(rest);
    case 'db':
      return dbCommand(rest);
    case 'dataset':
      return datasetCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'crop':
      return cropCommand(rest);
    case 'grow-batch':
      return growBatchCommand(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** What to do about an error, as the command line says it. */
function adviceOf(error: FurrowError): string {
  if (!(error instanceof StudyFileError)) return '';
  if (error.details.reason === 'no-folder') return `; create one with \`furrow init ${error.file}\``;
  if (error.details.reason === 'no-study-file') return `; create one with \`furrow init ${path.dirname(error.file)}\``;
  return '';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (raw: unknown) => {
    // A write that failed for the disk's sake wherever it happened: what a person can act on, not a stack.
    const where = (raw as NodeJS.ErrnoException | null)?.path;
    const error = asDiskError(raw, where ?? process.cwd(), 'Free some space and try again');
    if (error instanceof FurrowError && error.code === 'cancelled') {
      console.error(`furrow: ${error.message}`);
      process.exitCode = 130;
    } else if (error instanceof FurrowError && error.code === 'io') {
      // A write failed for the disk's sake (nothing of it was kept): the run's cases are recorded failed.
      console.error(`furrow: ${error.message}`);
      process.exitCode = 1;
    } else if (error instanceof UsageError) {
      console.error(`furrow: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof FurrowError && error.code !== 'internal') {
      console.error(
        `furrow: ${error.message}${adviceOf(error)}${error.details.at ? `\n${excerptOf(error.details.at)}` : ''}`,
      );
      process.exitCode = 2;
    } else if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`furrow: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(
        `furrow: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 3;
    }
  },
);
