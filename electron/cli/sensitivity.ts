// `furrow sensitivity`: which parameters matter, from the cases a study's run database records (the analysis is
// electron/engine/sensitivity/). A table per output, most influential first; --json for one object.
import path from 'node:path';
import type { Reducer } from '../../shared/plot-spec';
import { REDUCERS } from '../../shared/plot-spec';
import type { IndicesAlong, ParamIndices, SensitivityMethod, SensitivityReport } from '../../shared/sensitivity';
import { SENSITIVITY_METHODS } from '../../shared/sensitivity';
import { RunDb } from '../engine/db/run-db';
import { h5ForSensitivity, studySensitivity } from '../engine/sensitivity/study-sensitivity';
import { openStudy } from '../engine/study/study';
import { parseCommand, positiveInt, UsageError } from './args';
import { COMMANDS } from './commands';
import { snakeCase } from './json-out';
import { data } from './output';

/** Indices' keys as --json writes them (S1 → s1, mu_star → mu_star), the person's names (parameters) kept. */
const snakeIndices = (byParam: Record<string, object>) =>
  Object.fromEntries(
    Object.entries(byParam).map(([param, indices]) => [
      param,
      Object.fromEntries(Object.entries(indices).map(([key, value]) => [snakeCase(key), value as unknown])),
    ]),
  );

/** The report as --json prints it: the person's output and parameter names kept, the indices' keys snake_case. */
export function sensitivityJson(report: SensitivityReport): unknown {
  return {
    method: report.method,
    params: report.params,
    evaluations: report.evaluations,
    design: report.design,
    reduce: report.reduce,
    along: Object.fromEntries(
      Object.entries(report.along).map(([output, along]) => [
        output,
        { dims: along.dims, params: snakeIndices(along.params) },
      ]),
    ),
    outputs: Object.fromEntries(
      Object.entries(report.outputs).map(([output, byParam]) => [
        output,
        Object.fromEntries(
          Object.entries(byParam).map(([param, indices]) => [
            param,
            Object.fromEntries(Object.entries(indices).map(([key, value]) => [snakeCase(key), value])),
          ]),
        ),
      ]),
    ),
  };
}

/** What the parameters are sorted by, most influential first, and the columns shown. */
const COLUMNS: Record<
  SensitivityMethod,
  { sort: keyof ParamIndices; shown: [string, keyof ParamIndices, keyof ParamIndices | null][] }
> = {
  sobol: {
    sort: 'ST',
    shown: [
      ['S1', 'S1', 'S1_conf'],
      ['ST', 'ST', 'ST_conf'],
    ],
  },
  morris: {
    sort: 'mu_star',
    shown: [
      ['mu*', 'mu_star', 'mu_star_conf'],
      ['mu', 'mu', null],
      ['sigma', 'sigma', null],
    ],
  },
  'given-data': { sort: 'S1', shown: [['S1', 'S1', 'S1_conf']] },
  grid: { sort: 'S1', shown: [['S1 (exact)', 'S1', null]] },
};

const DESCRIBED: Record<SensitivityMethod, string> = {
  sobol: 'Sobol indices (S1: Saltelli 2010, ST: Jansen)',
  morris: "Morris's elementary effects",
  'given-data': 'first-order indices from given data (binned)',
  grid: 'exact main effects of the grid',
};

const fixed = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toPrecision(3) : v.toFixed(4));

export function sensitivityTable(report: SensitivityReport): string[] {
  const { sort, shown } = COLUMNS[report.method];
  const from = report.design
    ? `, ${report.design.name} design of N = ${report.design.n}, seed ${report.design.seed}`
    : '';
  const lines = [`${DESCRIBED[report.method]}: ${report.evaluations} cases${from}; ± the 95 % interval`];
  for (const [output, byParam] of Object.entries(report.outputs)) {
    const rows = Object.entries(byParam).sort(([, a], [, b]) => Number(b[sort] ?? 0) - Number(a[sort] ?? 0));
    const cells = rows.map(([param, x]) => [
      param,
      ...shown.map(([, key, conf]) => {
        const v = x[key] as number | undefined;
        if (v === undefined) return '';
        return conf ? `${fixed(v)} ± ${fixed(x[conf] as number)}` : fixed(v);
      }),
    ]);
    const head = ['parameter', ...shown.map(([title]) => title)];
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    const line = (parts: string[]) => `  ${parts.map((p, i) => p.padEnd(widths[i]!)).join('  ')}`.trimEnd();
    lines.push('', output, line(head), ...cells.map(line));
  }
  for (const [output, along] of Object.entries(report.along)) lines.push('', ...alongTable(report, output, along));
  return lines;
}

/** At most this many coordinates of an output's own dims in the table (evenly spread; --json has them all). */
const ROWS_SHOWN = 25;

/** An output's indices per coordinate: a row per coordinate, a column per parameter and index. */
function alongTable(report: SensitivityReport, output: string, along: IndicesAlong): string[] {
  const { sort, shown } = COLUMNS[report.method];
  const params = Object.keys(along.params);
  const size = along.dims.reduce((n, d) => n * d.values.length, 1);
  // The parameters in the order of their largest index anywhere along the dims.
  const peak = (p: string) =>
    Math.max(...(along.params[p]![sort as 'S1' | 'ST' | 'mu_star'] ?? []).map((v) => v ?? -Infinity));
  params.sort((a, b) => peak(b) - peak(a));
  const at = (flat: number) => {
    let rest = flat;
    const parts: string[] = [];
    for (let d = along.dims.length - 1; d >= 0; d--) {
      const dim = along.dims[d]!;
      parts.unshift(`${dim.name}=${String(dim.values[rest % dim.values.length])}`);
      rest = Math.floor(rest / dim.values.length);
    }
    return parts.join(' ');
  };
  const picked =
    size <= ROWS_SHOWN
      ? Array.from({ length: size }, (_, i) => i)
      : [...new Set(Array.from({ length: ROWS_SHOWN }, (_, i) => Math.round((i * (size - 1)) / (ROWS_SHOWN - 1))))];
  const head = ['at', ...params.flatMap((p) => shown.map(([title]) => `${title} ${p}`))];
  const cells = picked.map((flat) => [
    at(flat),
    ...params.flatMap((p) =>
      shown.map(([, key, conf]) => {
        const entry = along.params[p] as Record<string, (number | null)[] | undefined>;
        const v = entry[key]?.[flat];
        if (v === undefined) return '';
        if (v === null) return '-';
        const c = conf ? entry[conf]?.[flat] : undefined;
        return c === undefined || c === null ? fixed(v) : `${fixed(v)} ± ${fixed(c)}`;
      }),
    ),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (parts: string[]) => `  ${parts.map((p, i) => p.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  const dims = along.dims.map((d) => d.name).join(', ');
  const more = picked.length < size ? `; ${picked.length} of its ${size} coordinates (--json for all)` : '';
  return [`${output}, over ${dims}${more}`, line(head), ...cells.map(line)];
}

/** `--reduce DIM=OP`, each checked. */
function reduceOption(given: string[] | undefined): Record<string, Reducer> {
  const reduce: Record<string, Reducer> = {};
  for (const spec of given ?? []) {
    const eq = spec.indexOf('=');
    const dim = spec.slice(0, eq);
    const op = spec.slice(eq + 1);
    if (eq <= 0 || !REDUCERS.includes(op as Reducer)) {
      throw new UsageError(
        `--reduce ${spec}: write --reduce DIM=OP, OP one of ${REDUCERS.join(', ')} (e.g. --reduce time=mean)`,
      );
    }
    if (dim in reduce) throw new UsageError(`--reduce ${dim}: given twice; reduce a dim once`);
    reduce[dim] = op as Reducer;
  }
  return reduce;
}

export async function sensitivityCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.sensitivity, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const dir = positionals[0];
  if (!dir) throw new UsageError('sensitivity needs the study folder');
  const method = values.method;
  if (method !== undefined && !SENSITIVITY_METHODS.includes(method as SensitivityMethod)) {
    throw new UsageError(`--method ${method}: give one of ${SENSITIVITY_METHODS.join(', ')}`);
  }
  const resamples = positiveInt(values.resamples, '--resamples');
  const reduce = reduceOption(values.reduce);
  const study = openStudy(dir);
  const h5 = await h5ForSensitivity(study);
  const db = RunDb.openReadOnly(path.resolve(dir));
  let report: SensitivityReport;
  try {
    report = studySensitivity(
      study,
      db,
      {
        ...(values.output ? { outputs: values.output } : {}),
        ...(method ? { method: method as SensitivityMethod } : {}),
        ...(resamples === undefined ? {} : { resamples }),
        reduce,
      },
      h5,
    );
  } finally {
    db?.close();
  }
  if (values.json) data(JSON.stringify(sensitivityJson(report)));
  else for (const line of sensitivityTable(report)) data(line);
  return 0;
}
