// `furrow sensitivity`: which parameters matter, from the cases a study's run database records (the analysis is
// electron/engine/sensitivity/). A table per output, most influential first; --json for one object.
import path from 'node:path';
import type { ParamIndices, SensitivityMethod, SensitivityReport } from '../../shared/sensitivity';
import { SENSITIVITY_METHODS } from '../../shared/sensitivity';
import { RunDb } from '../engine/db/run-db';
import { studySensitivity } from '../engine/sensitivity/study-sensitivity';
import { openStudy } from '../engine/study/study';
import { parseCommand, positiveInt, UsageError } from './args';
import { COMMANDS } from './commands';
import { snakeCase } from './json-out';
import { data } from './output';

/** The report as --json prints it: the person's output and parameter names kept, the indices' keys snake_case. */
export function sensitivityJson(report: SensitivityReport): unknown {
  return {
    method: report.method,
    params: report.params,
    evaluations: report.evaluations,
    design: report.design,
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
  return lines;
}

export function sensitivityCommand(args: string[]): number {
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
  const study = openStudy(dir);
  const db = RunDb.openReadOnly(path.resolve(dir));
  let report: SensitivityReport;
  try {
    report = studySensitivity(study, db, {
      ...(values.output ? { outputs: values.output } : {}),
      ...(method ? { method: method as SensitivityMethod } : {}),
      ...(resamples === undefined ? {} : { resamples }),
    });
  } finally {
    db?.close();
  }
  if (values.json) data(JSON.stringify(sensitivityJson(report)));
  else for (const line of sensitivityTable(report)) data(line);
  return 0;
}
