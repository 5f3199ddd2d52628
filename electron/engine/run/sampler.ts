// `furrow sample`: draw N parameter sets from a study's distributions (xyzpy's Sampler) for a run to go through.
// Combos count as uniform choices among their values, as xyzpy's default combos do; `sample.distributions` and
// then `--set` replace or add distributions. The same seed draws the same samples on every machine.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Draw, DistributionSpec } from '../../../shared/sampling';
import { builtinDraw, drawSamples } from '../../../shared/sampling';
import type { Scalar } from '../../../shared/space';
import { FurrowError } from '../errors';
import type { DesignOptions } from '../sensitivity/designs';
import { designSamples, designSize } from '../sensitivity/designs';
import type { Study } from '../study/study';

export interface SampleRequest {
  n: number;
  seed?: number;
  /** Distributions given on the command line (`--set name=…`), over the study's. */
  set?: Record<string, DistributionSpec>;
  /** A sensitivity design instead of random draws (`--design`): `n` is its base size (see designSize). */
  design?: DesignOptions;
}

async function drawOf(study: Study, name: string, spec: DistributionSpec, where: string): Promise<Draw> {
  if (Array.isArray(spec) || !('module' in spec)) {
    try {
      return builtinDraw(spec, where);
    } catch (error) {
      throw new FurrowError('bad-input', (error as Error).message);
    }
  }
  const file = path.resolve(study.dir, spec.module);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new FurrowError('bad-input', `${where}: cannot load ${file} (${(error as Error).message.split('\n')[0]})`);
  }
  const draw = module[spec.export ?? 'default'];
  if (typeof draw !== 'function') {
    throw new FurrowError(
      'bad-input',
      `${where}: ${file} has no ${spec.export ?? 'default'} export that is a function`,
    );
  }
  return (rng) => (draw as Draw)(rng);
}

export async function drawStudySamples(
  study: Study,
  request: SampleRequest,
): Promise<{ seed: number; samples: Record<string, Scalar>[]; design?: string }> {
  if (!Number.isInteger(request.n) || request.n < 1)
    throw new FurrowError('bad-input', `-n ${request.n}: give a whole number ≥ 1`);
  if (!request.design && request.n > study.spec.max_cases) {
    throw new FurrowError('bad-input', `-n ${request.n} is more than the study's max_cases (${study.spec.max_cases})`);
  }
  const fixed = study.space.dims.filter((d) => d.role !== 'combo');
  if (fixed.length > 0) {
    throw new FurrowError(
      'bad-input',
      `${study.file}: sampling draws the combos and the sample distributions; '${fixed[0]!.name}' comes from ${fixed[0]!.role === 'zip' ? 'zip' : 'cases'}, which are not sampled`,
    );
  }
  const specs = new Map<string, { spec: DistributionSpec; where: string }>();
  for (const d of study.space.dims) specs.set(d.name, { spec: d.values, where: `${study.file}: combos.${d.name}` });
  for (const [name, spec] of Object.entries(study.spec.sample?.distributions ?? {}))
    specs.set(name, { spec, where: `${study.file}: sample.distributions.${name}` });
  for (const [name, spec] of Object.entries(request.set ?? {})) {
    if (name in study.constants)
      throw new FurrowError('bad-input', `--set ${name}: '${name}' is a constant of the study`);
    specs.set(name, { spec, where: `--set ${name}` });
  }
  if (specs.size === 0)
    throw new FurrowError('bad-input', `${study.file}: nothing to sample; give sample.distributions`);
  const seed = request.seed ?? study.spec.sample?.seed ?? Math.floor(Math.random() * 2 ** 32);
  if (request.design) return designOf(study, request.n, request.design, seed, specs);
  const draws: [string, Draw][] = [];
  for (const [name, { spec, where }] of specs) draws.push([name, await drawOf(study, name, spec, where)]);
  try {
    return { seed, samples: drawSamples(request.n, draws, seed) };
  } catch (error) {
    throw new FurrowError('bad-input', (error as Error).message);
  }
}

/** A sensitivity design's rows over the study's distributions, and its record for the run database. */
function designOf(
  study: Study,
  n: number,
  options: DesignOptions,
  seed: number,
  specs: Map<string, { spec: DistributionSpec; where: string }>,
): { seed: number; samples: Record<string, Scalar>[]; design: string } {
  const spec = { ...options, n, seed };
  const size = designSize(spec, specs.size);
  if (size > study.spec.max_cases) {
    throw new FurrowError(
      'bad-input',
      `--design ${spec.design} -n ${n} over ${specs.size} parameters is ${size} cases, more than the study's max_cases (${study.spec.max_cases}); give a smaller -n or raise max_cases in ${study.file}`,
    );
  }
  const params = [...specs].map(([name, { spec: distribution, where }]) => ({ name, distribution, where }));
  try {
    const samples = designSamples(spec, params);
    const design = JSON.stringify({ ...spec, params: params.map((p) => p.name) });
    return { seed, samples, design };
  } catch (error) {
    throw new FurrowError('bad-input', (error as Error).message);
  }
}
