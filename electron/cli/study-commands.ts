// The commands of one study or file: init, run, sample (random or a design), inspect, dataset
// expand-dims|drop|resolve, serve. main.ts loads this module only when one of them is asked for.
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYamlScalar } from 'yaml';
import type { EngineEvent } from '../../shared/api';
import { isScalar } from '../../shared/space';
import type { EditResult } from '../engine/dataset/dataset-edit';
import { dropValues, expandDims } from '../engine/dataset/dataset-edit';
import { Engine } from '../engine/engine';
import { FurrowError } from '../engine/errors';
import { cfDecodingOf, decodingText } from '../engine/dataset/cf';
import type { GroupInfo } from '../engine/dataset/netcdf-read';
import { describeTree } from '../engine/dataset/netcdf-read';
import type { RunOptions } from '../engine/run/runner';
import { simulateIntoCopy } from '../engine/run/simulate';
import { runStudy } from '../engine/run/runner';
import { resolveRun } from '../engine/run/resolve';
import { readCasesFile } from '../engine/study/cases-file';
import { drawStudySamples } from '../engine/run/sampler';
import type { DesignName, DesignOptions } from '../engine/sensitivity/designs';
import { DESIGNS } from '../engine/sensitivity/designs';
import type { DistributionSpec } from '../../shared/sampling';
import { distributionSchema } from '../../shared/sampling';
import { openStudy, openStudyForRun } from '../engine/study/study';
import { conditionEntry, examplesDir, furrowCommand, rendererDir } from '../host/paths';
import { isLoopback, serve } from '../host/server';
import { createStudy } from '../engine/study/study-create';
import { byteSize, parseCommand, positiveInt, reading, seconds, UsageError } from './args';
import { parseCombos } from './combos';
import { COMMANDS } from './commands';
import { groupHelp } from './help';
import { toJson } from './json-out';
import { data, note, problem, say } from './output';
import type { EngineParts } from './run-report';
import { engineParts, reportRun } from './run-report';

export function init(args: string[]): number {
  const parsed = parseCommand(COMMANDS.init, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const dir = positionals[0];
  if (!dir) throw new UsageError('init needs the folder to create');
  // A study made around an imported parameter space starts from the blank example.
  const example = values.example ?? (values.paramspace ? 'blank' : 'foo');
  const created = createStudy(dir, example, examplesDir, values.paramspace && path.resolve(values.paramspace));
  say(
    `created study ${created} from the '${example}' example${values.paramspace ? `, its parameters from ${values.paramspace}` : ''}; run it with: furrow run ${dir}`,
  );
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.run, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const dir = positionals[0];
  if (!dir) throw new UsageError('run needs the study folder');
  const overwrite = values.overwrite;
  if (overwrite !== 'error' && overwrite !== 'new' && overwrite !== 'old') {
    throw new UsageError(`--overwrite ${overwrite}: choose error, new or old`);
  }
  const cases = values.cases;
  const study = await openStudyForRun(dir, parseCombos(values.combo ?? []), () =>
    cases ? readCasesFile(cases) : undefined,
  );
  const choose = { missingOnly: values['missing-only'] ?? false, retryFailed: values['retry-failed'] ?? false };
  if (values.simulate) return simulate(study, choose, values.json ?? false);
  return runAndReport(
    study,
    dir,
    { json: values.json ?? false, events: values.events ?? false },
    {
      ...choose,
      failFast: values['fail-fast'] ?? false,
      overwrite,
      harvestEvery: seconds(values['store-every'], '--store-every'),
      workers: positiveInt(values.workers, '--workers'),
    },
  );
}

/**
 * `furrow run --simulate`: what the run would do, and the copy of the run database with its cases. With --json,
 * one JSON object whose `psets` list is written as the cases are looked at, a case a line, each write waiting for
 * the reader: 10^7 cases stream in flat memory.
 */
async function simulate(
  study: ReturnType<typeof openStudy>,
  choose: { missingOnly: boolean; retryFailed: boolean },
  json: boolean,
): Promise<number> {
  let chunk = '';
  let first = true;
  const flush = async () => {
    const text = chunk;
    chunk = '';
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  };
  const summary = await simulateIntoCopy(
    study,
    choose,
    json
      ? {
          // The summary's object, left open for the list.
          onSummary: (s) => {
            chunk = `${toJson(s).slice(0, -1)},"psets":[`;
          },
          each: (c) => {
            chunk += `${first ? '' : ','}\n${toJson({ psetId: c.psetId, psetHash: c.psetHash, params: c.params })}`;
            first = false;
            if (chunk.length >= 1 << 16) return flush();
          },
        }
      : {},
  );
  if (json) {
    chunk += '\n]}\n';
    await flush();
  } else {
    say(
      `would run ${summary.would_run} of ${summary.cases} cases: ${summary.new} never run, ${summary.done_before} done before, ${summary.failed_before} failed before; nothing was changed`,
    );
    say(`the cases it would run are in ${summary.database}: furrow db ${study.dir} --simulate`);
  }
  return 0;
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

export async function sample(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.sample, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const dir = positionals[0];
  if (!dir) throw new UsageError('sample needs the study folder');
  const n = positiveInt(values.n, '-n');
  if (n === undefined) throw new UsageError('sample needs -n N, the number of samples');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) {
    throw new UsageError(`--seed ${values.seed}: give a whole number from 0 to 2^32 - 1`);
  }
  const set: Record<string, DistributionSpec> = {};
  for (const spec of values.set ?? []) {
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
  const design = designOption(values.design, values['second-order'], values.levels);
  const keepArrays = byteSize(values['keep-arrays'], '--keep-arrays');
  const study = openStudy(dir);
  const drawn = await drawStudySamples(study, {
    n,
    set,
    ...(seed === undefined ? {} : { seed }),
    ...(design ? { design } : {}),
  });
  if (!values.json) {
    note(
      design
        ? `running a ${design.design} design of ${drawn.samples.length} cases (-n ${n}) with seed ${drawn.seed}`
        : `drawing ${n} samples with seed ${drawn.seed}`,
    );
  }
  return runAndReport(
    study,
    dir,
    { json: values.json ?? false },
    {
      samples: drawn.samples,
      ...(drawn.design ? { design: drawn.design } : {}),
      failFast: values['fail-fast'] ?? false,
      workers: positiveInt(values.workers, '--workers'),
      ...(keepArrays === undefined ? {} : { keepArrays }),
    },
    {
      seed: drawn.seed,
      // The design the cases came from, as the sensitivity report names it (null: random draws).
      design: design
        ? {
            name: design.design,
            n,
            ...(design.secondOrder ? { second_order: true } : {}),
            ...(design.design === 'morris' ? { levels: design.levels ?? 4 } : {}),
          }
        : null,
    },
  );
}

/** `--design`, `--second-order` and `--levels`, checked: what a design adds to `furrow sample`. */
function designOption(
  name: string | undefined,
  secondOrder: boolean | undefined,
  levels: string | undefined,
): DesignOptions | null {
  if (name === undefined) {
    if (secondOrder) throw new UsageError('--second-order goes with --design saltelli');
    if (levels !== undefined) throw new UsageError('--levels goes with --design morris');
    return null;
  }
  if (!DESIGNS.includes(name as DesignName)) {
    throw new UsageError(`--design ${name}: give one of ${DESIGNS.join(', ')}`);
  }
  const design = name as DesignName;
  if (secondOrder && design !== 'saltelli') throw new UsageError('--second-order goes with --design saltelli');
  if (levels !== undefined && design !== 'morris') throw new UsageError('--levels goes with --design morris');
  const count = levels === undefined ? undefined : Number(levels);
  if (count !== undefined && !(Number.isInteger(count) && count >= 2 && count % 2 === 0 && count <= 1000)) {
    throw new UsageError(`--levels ${levels}: give an even whole number from 2 to 1000`);
  }
  return {
    design,
    ...(secondOrder ? { secondOrder: true } : {}),
    ...(count === undefined ? {} : { levels: count }),
  };
}

export async function inspect(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.inspect, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const file = positionals[0];
  if (!file) throw new UsageError('inspect needs a file');
  const tree = await describeTree(path.resolve(file), values.path ?? '/');
  if (values.json) {
    data(toJson(tree));
    return 0;
  }
  data(tree.path);
  for (const line of groupLines(tree, '')) data(line);
  return 0;
}

/** One group as `furrow inspect` prints it, its subgroups nested below it, indented. */
function groupLines(g: GroupInfo, indent: string): string[] {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const lines: string[] = [];
  if (g.dims.length) {
    lines.push(`${indent}dims:`);
    for (const d of g.dims) {
      const preview = d.values
        ? ` [${d.values.slice(0, 8).map(show).join(', ')}${d.values.length > 8 ? ', …' : ''}]`
        : '';
      const time = d.time ? `  (${d.time.units}, ${d.time.calendar} calendar)` : '';
      lines.push(`${indent}  ${d.name}: ${d.size}${preview}${time}`);
    }
  }
  if (g.variables.length) {
    lines.push(`${indent}variables:`);
    for (const v of g.variables) {
      const decoding = decodingText(cfDecodingOf(v.attrs, v.dtype));
      lines.push(
        `${indent}  ${v.name}(${v.dims.join(', ')}) ${v.dtype} [${v.shape.join('×')}]${decoding ? `  (${decoding})` : ''}`,
      );
    }
  }
  if (g.links.length) {
    lines.push(`${indent}links:`);
    for (const l of g.links) lines.push(`${indent}  ${l.name} → ${l.target}  (${l.type} link)`);
  }
  if (Object.keys(g.attrs).length) {
    lines.push(`${indent}attrs:`);
    for (const [k, v] of Object.entries(g.attrs)) lines.push(`${indent}  ${k}: ${show(v)}`);
  }
  for (const sub of g.groups) {
    lines.push(`${indent}group ${sub.group}:`);
    lines.push(...groupLines(sub, `${indent}  `));
  }
  if (!lines.length) lines.push(`${indent}(empty)`);
  return lines;
}

export async function datasetCommand(args: string[]): Promise<number> {
  const verb = args[0];
  reading.group = 'dataset';
  if (verb !== 'expand-dims' && verb !== 'drop' && verb !== 'resolve') {
    if (verb === '--help' || verb === '-h') {
      data(groupHelp('dataset'));
      return 0;
    }
    throw new UsageError(
      verb === undefined
        ? 'dataset needs what to do: expand-dims, drop or resolve'
        : `dataset ${verb}: choose expand-dims, drop or resolve`,
    );
  }
  const parsed = parseCommand(COMMANDS[`dataset ${verb}`], args.slice(1));
  if (!parsed) return 0;
  const { values } = parsed;
  const [dir, ...rest] = parsed.positionals;
  if (!dir) throw new UsageError(`dataset ${verb} needs the study folder`);
  if (verb === 'resolve') return resolve(dir, values);
  let result: EditResult;
  if (verb === 'expand-dims') {
    const [name, text] = rest;
    if (!name || text === undefined || rest.length !== 2) throw new UsageError('dataset expand-dims needs NAME VALUE');
    const value: unknown = parseYamlScalar(text);
    if (!isScalar(value)) throw new UsageError(`${text} is not a number, string or boolean`);
    result = await expandDims(openStudy(dir), name, value);
  } else {
    if (rest.length !== 1) throw new UsageError('dataset drop needs NAME=V1,V2,...');
    const [name, dropped] = Object.entries(parseCombos(rest)!)[0]!;
    result = await dropValues(openStudy(dir), name, dropped);
  }
  if (values.json) data(toJson(result));
  else {
    say(`${result.dataset}: dims now ${result.dims.map((d) => `${d.name}(${d.size})`).join(', ')}`);
    say(`the file as it was is in ${result.backup}`);
  }
  return 0;
}

/** `furrow dataset resolve`: a run's side file into the dataset, its conflict rows done. */
async function resolve(dir: string, values: { run?: string; overwrite?: string; json?: boolean }): Promise<number> {
  const runSeq = positiveInt(values.run, '--run');
  if (runSeq === undefined) throw new UsageError('dataset resolve needs --run N, the run_seq `furrow run` named');
  const { overwrite } = values;
  if (overwrite !== 'new' && overwrite !== 'old') {
    throw new UsageError(
      overwrite === undefined
        ? 'dataset resolve needs --overwrite new (the kept values win) or --overwrite old (the stored ones stay)'
        : `--overwrite ${overwrite}: choose new or old`,
    );
  }
  const result = await resolveRun(openStudy(dir), runSeq, overwrite);
  if (values.json) data(toJson(result));
  else if (result.resolved === 0) {
    say(
      `run ${runSeq} has nothing to resolve: none of its cases waits in conflict${result.archived ? `; its side file is now in ${result.archived}` : ''}`,
    );
  } else {
    say(
      `${result.dataset}: run ${runSeq}'s ${result.resolved} case${result.resolved === 1 ? '' : 's'} applied (--overwrite ${overwrite}) and recorded done; its side file is now in ${result.archived}`,
    );
  }
  return 0;
}

export async function serveCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.serve, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  let broadcast: (event: EngineEvent) => void = () => undefined;
  const engine = new Engine({
    ...engineParts,
    conditionEntry,
    furrowCommand,
    examplesDir,
    rendererDir,
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
    problem(
      `furrow: warning: listening on ${values.host}, not only on this machine: anyone who can reach it and has the token in the URL can run models and read the study's files. Use it only on a network you trust.`,
    );
  }
  const server = await serve({ engine, rendererDir, port, host: values.host });
  broadcast = (event) => server.broadcast(event);
  data(`Furrow is serving ${dir ? path.resolve(dir) : 'no study yet'} at ${server.url}`);
  say('Open that URL in a browser (the token in it is the key). Press Ctrl+C to stop.');
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

/** `furrow help crop sow`, `furrow crop --help`: the help of those words, or a UsageError. */
