// What an adaptive run learns, checked against the study: the learned parameters (numeric parameters of the study),
// the output (a scalar output), one learner per combination of the other combos, and the points stored by earlier
// adaptive runs of the same parameters and output, retold to the learners so that none is evaluated again.
import path from 'node:path';
import type { AdaptRange } from '../../../shared/adaptive';
import type { AdaptLoss } from '../../../shared/adaptive';
import type { Scalar } from '../../../shared/space';
import { ADAPT_ATTR, storedAdaptSettings } from '../dataset/point-dataset';
import type { RunDb } from '../db/run-db';
import { FurrowError } from '../errors';
import { psetHasher } from '../run/pset-hash';
import type { Study } from '../study/study';
import { BalancingLearner } from './balancing';
import { makeLearner } from './learners';

/** What makes two adaptive runs one series: the same learned parameters with the same ranges, and the same output. */
export interface AdaptSettings {
  params: AdaptRange[];
  output: string;
}

export const settingsText = (s: AdaptSettings): string =>
  JSON.stringify({ params: s.params.map(({ name, lo, hi }) => ({ name, lo, hi })), output: s.output });

const describeSettings = (s: AdaptSettings): string =>
  `${s.output} over ${s.params.map((p) => `${p.name}=${p.lo}:${p.hi}`).join(' ')}`;

/** A point of the run: its learner, its learned parameters' values, and its output (null: failed). */
export interface PointRecord {
  learner: number;
  x: number[];
  y: number | null;
  runSeq: number;
}

export interface AdaptPlan {
  settings: AdaptSettings;
  /** The point dataset: data/<name>.adapt.nc. */
  file: string;
  /** A learner per combination of the other combos (in the order the study's combos vary, the last fastest), balanced. */
  balancer: BalancingLearner;
  combos: Record<string, Scalar>[];
  comboNames: string[];
  /** The case's varied parameters (its learned values and its combination), as its row and its hash have them. */
  paramsOf(learner: number, x: readonly number[]): Record<string, Scalar>;
  hashOf(params: Record<string, Scalar>): string;
  /** Points stored before, told to the learners already, in the order they were evaluated. */
  stored: PointRecord[];
  /** Hashes of every point evaluated (stored or by this run): none is asked again. */
  seen: Set<string>;
}

export const pointDatasetPath = (study: Study): string =>
  path.join(path.dirname(study.datasetPath), `${study.spec.name}.adapt.nc`);

/** Refuse what cannot be learned, naming the study file and the parameter or output. */
export function checkSettings(study: Study, settings: AdaptSettings): void {
  const numeric = study.space.dims
    .filter((d) => d.values.every((v) => typeof v === 'number'))
    .map((d) => d.name)
    .concat(Object.keys(study.constants).filter((n) => typeof study.constants[n] === 'number'));
  const seen = new Set<string>();
  for (const p of settings.params) {
    if (seen.has(p.name)) throw new FurrowError('bad-input', `--param ${p.name} is given twice; give each once`);
    seen.add(p.name);
    const dim = study.space.dims.find((d) => d.name === p.name);
    if (!numeric.includes(p.name)) {
      const why = dim
        ? `its values are not all numbers`
        : p.name in study.constants
          ? 'it is a constant that is not a number'
          : 'the study has no parameter of that name';
      throw new FurrowError(
        'bad-input',
        `${study.file}: --param ${p.name}: a learned parameter must be a numeric parameter of the study, and ${why} (numeric parameters: ${numeric.join(', ') || 'none'})`,
      );
    }
    if (dim && dim.role !== 'combo') {
      throw new FurrowError(
        'bad-input',
        `${study.file}: --param ${p.name}: '${p.name}' comes from ${dim.role === 'zip' ? 'a zip group' : 'cases'}; learn a combo or a constant`,
      );
    }
  }
  const other = study.space.dims.find((d) => d.role !== 'combo' && !seen.has(d.name));
  if (other) {
    throw new FurrowError(
      'bad-input',
      `${study.file}: '${other.name}' comes from ${other.role === 'zip' ? 'a zip group' : 'cases'}; an adaptive run keeps the other parameters as combos (a learner for each combination) or constants`,
    );
  }
  const output = study.spec.outputs[settings.output];
  const scalars = Object.entries(study.spec.outputs)
    .filter(([, o]) => o.dims.length === 0)
    .map(([n]) => n);
  if (!output || output.dims.length > 0) {
    throw new FurrowError(
      'bad-input',
      `${study.file}: --output ${settings.output}: ${output ? `'${settings.output}' has dims (${output.dims.join(', ')}); a learned output must be a scalar output` : 'the study has no output of that name'} (scalar outputs: ${scalars.join(', ') || 'none'})`,
    );
  }
}

const sameSettings = (a: unknown, b: AdaptSettings): boolean => {
  try {
    return settingsText(a as AdaptSettings) === settingsText(b);
  } catch {
    return false;
  }
};

/** Every combination of `dims`' values, the last varying fastest. */
function combinations(dims: { name: string; values: Scalar[] }[]): Record<string, Scalar>[] {
  let out: Record<string, Scalar>[] = [{}];
  for (const d of dims) out = out.flatMap((c) => d.values.map((v) => ({ ...c, [d.name]: v })));
  return out;
}

/** The plan of an adaptive run, its learners told every stored point. Reads the run database and the point dataset. */
export async function planAdapt(study: Study, db: RunDb, settings: AdaptSettings, loss: AdaptLoss): Promise<AdaptPlan> {
  checkSettings(study, settings);
  const file = pointDatasetPath(study);
  const stored = await storedAdaptSettings(
    file,
    `Nothing was changed. Its points are kept in ${path.join(study.dir, 'runs.sqlite')}: move the file aside and run furrow adapt again to write it anew from them`,
  );
  if (stored !== null && !sameSettings(stored, settings)) {
    const was = stored as AdaptSettings;
    throw new FurrowError(
      'bad-input',
      `${file} holds the points of ${describeSettings(was)}, not ${describeSettings(settings)}. To go on with those, give the same --param and --output; to learn these instead, move ${file} aside (its points stay in the run database)`,
    );
  }
  return retold(study, db, settings, loss);
}

/**
 * The learners of these settings told every point the run database holds for them (the same parameters, ranges and
 * output, and the study's constants as they are now), in the order the points were evaluated.
 */
export function retold(study: Study, db: RunDb, settings: AdaptSettings, loss: AdaptLoss): AdaptPlan {
  checkSettings(study, settings);
  const file = pointDatasetPath(study);
  const learned = new Set(settings.params.map((p) => p.name));
  const comboDims = study.space.dims.filter((d) => !learned.has(d.name));
  const combos = combinations(comboDims);
  const comboNames = comboDims.map((d) => d.name);
  const keyOf = (params: Record<string, Scalar>) => JSON.stringify(comboNames.map((n) => params[n] ?? null));
  const learnerOf = new Map(combos.map((c, i) => [keyOf(c), i]));
  const bounds = settings.params.map((p): [number, number] => [p.lo, p.hi]);
  const balancer = new BalancingLearner(combos.map(() => makeLearner(bounds, loss)));
  const hashOf = psetHasher(study.constants);
  const paramsOf = (learner: number, x: readonly number[]): Record<string, Scalar> => {
    const params: Record<string, Scalar> = { ...combos[learner]! };
    settings.params.forEach((p, i) => (params[p.name] = x[i]!));
    // The study's own order of its parameters (the row's columns), the learned constants after them.
    return Object.fromEntries(
      [...study.space.dims.map((d) => d.name), ...settings.params.map((p) => p.name)]
        .filter((n, i, all) => all.indexOf(n) === i)
        .map((n) => [n, params[n]!]),
    );
  };
  const text = settingsText(settings);
  const runs = db
    .adaptiveRuns()
    .filter((r) => r.settings === text)
    .map((r) => r.runId);
  const seen = new Set<string>();
  const points: PointRecord[] = [];
  for (const row of db.evaluatedCases(runs, settings.output)) {
    const learner = learnerOf.get(keyOf(row.params));
    const x = settings.params.map((p) => row.params[p.name]);
    if (learner === undefined || x.some((v) => typeof v !== 'number')) continue;
    const params = paramsOf(learner, x as number[]);
    // A point of other constants is not a point of this study as it is now.
    if (hashOf(params) !== row.psetHash || seen.has(row.psetHash)) continue;
    seen.add(row.psetHash);
    const y = row.status === 'done' && typeof row.value === 'number' && Number.isFinite(row.value) ? row.value : null;
    if (y === null) balancer.tellFailed(learner, x as number[]);
    else balancer.tell(learner, x as number[], y);
    points.push({ learner, x: x as number[], y, runSeq: row.runSeq });
  }
  return { settings, file, balancer, combos, comboNames, paramsOf, hashOf, stored: points, seen };
}

export { ADAPT_ATTR };
