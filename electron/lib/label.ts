// xyzpy's label decorator: a function and how its outputs are named, as a Runner (or, given a data file's name,
// a Harvester or a Sampler over it). What it returns is still the function: `foo(params)` calls it as before.
import { Harvester } from './harvester';
import { kinds } from './options';
import type { Kind } from './options';
import { checkRunner, Runner, RUNNER_OPTIONS } from './runner';
import type { RunnerOptions } from './runner-spec';
import { RunnerError } from './runner-error';
import type { Model } from './runners';
import { Sampler } from './sampler';

const dataFile: Kind = {
  test: kinds.string.test,
  says: "the name of its data file, e.g. 'foo.nc' (Furrow keeps every round in a file; there is no in-memory one)",
};

export interface LabelOptions extends RunnerOptions {
  /** Make it a Harvester over this data file (xyzpy's `harvester=`). */
  harvester?: string;
  /** Make it a Sampler over this data file (xyzpy's `sampler=`). */
  sampler?: string;
}

/** label(options)(fn): a Runner that is also fn; with `harvester` or `sampler`, a Harvester or Sampler over that file. */
export function label(options: RunnerOptions & { harvester: string }): <F extends Model>(fn: F) => Harvester & F;
export function label(options: RunnerOptions & { sampler: string }): <F extends Model>(fn: F) => Sampler & F;
export function label(options: LabelOptions): <F extends Model>(fn: F) => Runner & F;
export function label(options: LabelOptions): <F extends Model>(fn: F) => (Runner | Harvester | Sampler) & F {
  const where = 'label(options)(fn)';
  const spec = { ...RUNNER_OPTIONS, harvester: dataFile, sampler: dataFile };
  // Checked now, where the options are written, rather than when the function is given.
  checkRunner(where, () => undefined, options, spec);
  const { harvester, sampler, ...runnerOptions } = options;
  if (harvester !== undefined && sampler !== undefined) {
    throw new RunnerError(`${where}: give harvester or sampler, not both (a function is harvested or sampled)`);
  }
  return <F extends Model>(fn: F) => {
    checkRunner(where, fn, runnerOptions, RUNNER_OPTIONS);
    const runner = new Runner(fn, runnerOptions);
    if (harvester !== undefined) return new Harvester(runner, { dataName: harvester }) as Harvester & F;
    if (sampler !== undefined) return new Sampler(runner, { dataName: sampler }) as Sampler & F;
    return runner as Runner & F;
  };
}
