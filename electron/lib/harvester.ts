// xyzpy's Harvester: a Runner's results merged round after round into one dataset file, with the same merge
// code and the same file as `furrow run` (harvest-file.ts: in place where it can, journaled, xyzpy's overwrite
// rules), and edited with the same code as `furrow dataset` (dataset-edit.ts). The file is rewritten only when it
// must be, after a copy into backups/ beside it; its folder's lock (.furrow.lock) is held while it is written, so
// a second writer (another script, `furrow run` on a study kept there) is told who holds it. A Harvester is also
// its Runner's function, as xyzpy's is.
import fs from 'node:fs';
import path from 'node:path';
import type { Scalar } from '../../shared/space';
import type { Edit } from '../engine/dataset/dataset-edit';
import { dropValuesEdit, editDatasetFile, expandDimsEdit } from '../engine/dataset/dataset-edit';
import { FurrowError } from '../engine/errors';
import type { Overwrite } from '../engine/dataset/harvest';
import { OVERWRITE_HINT } from '../engine/dataset/harvest';
import { harvestInto } from '../engine/dataset/harvest-file';
import { storedCells } from '../engine/run/stored-cells';
import { lockStudy } from '../engine/study/study-lock';
import { resolveStoredValues } from '../engine/study/study';
import type { CombosSpec, Scalar as Value } from '../../shared/space';
import { callableClass, callingInstance } from './calling-instance';
import { Dataset } from './dataset';
import { checkOptions, kinds, overwritePolicy } from './options';
import type { RunOptions } from './runner';
import { checkCases, checkRunnerGiven, RUN_OPTIONS, SpaceOf } from './runner';
import type { Runner } from './runner';
import type { Params } from './runners';
import { checkCombos, isStoredValues } from './runners';
import { library, librarySync, RunnerError } from './runner-error';

export interface HarvestOptions extends RunOptions {
  /**
   * Where a stored value and a new one disagree: 'error' (refuse the round, write nothing), 'new' or 'old'; or
   * xyzpy's null, true (new wins) and false (old wins).
   */
  overwrite?: Overwrite | boolean | null;
  /** Call the function only for the cells the file holds no value for yet. */
  missingOnly?: boolean;
}

const HARVEST_OPTIONS = { ...RUN_OPTIONS, overwrite: kinds.overwrite, missingOnly: kinds.boolean };

/** A data file as a repr shows it: relative to the working folder when inside it (as it was likely given). */
export function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export class Harvester {
  /** The last round's results, as run (not merged); null before the first round or when it ran nothing. */
  declare lastDataset: Dataset | null;
  declare readonly dataName: string;
  declare readonly runner: Runner;

  constructor(runner: Runner, options: { dataName: string }) {
    const where = 'new Harvester(runner, options)';
    checkRunnerGiven(where, runner);
    checkOptions(where, options, { dataName: kinds.string });
    if (options?.dataName === undefined) throw new RunnerError(`${where}: give dataName, the file to harvest into`);
    const self = callingInstance<Harvester>(runner.fn, new.target.prototype);
    Object.defineProperties(self, { runner: { value: runner }, dataName: { value: path.resolve(options.dataName) } });
    self.lastDataset = null;
    return self;
  }

  /** xyzpy's spelling of lastDataset. */
  get lastDs(): Dataset | null {
    return this.lastDataset;
  }

  /** Its Runner, and the file it harvests into, as xyzpy's repr of a Harvester. */
  toString(): string {
    const file = fs.existsSync(this.dataName) ? 'NetCDF4' : 'NetCDF4, not written yet';
    return `<furrow.Harvester>\nRunner: ${String(this.runner)}\nSync file -->\n    ${shown(this.dataName)}    [${file}]`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  private get dir(): string {
    return path.dirname(this.dataName);
  }

  /** The outputs' own dims: every other dim of the file can grow. */
  private get innerDims(): string[] {
    return Object.values(this.runner.options.varDims ?? {}).flat();
  }

  /** Run every combination (for each case, if given) and merge the results into the file. */
  async harvestCombos(
    combos: CombosSpec,
    options: HarvestOptions & { cases?: Params[] } = {},
  ): Promise<Dataset | null> {
    checkOptions('harvestCombos(combos, options)', options, { ...HARVEST_OPTIONS, cases: kinds.cases });
    const resolved = await this.storedValuesIn(combos);
    checkCombos('harvestCombos', resolved, 'give the values');
    return this.harvest(new SpaceOf(resolved, options.cases), options);
  }

  /** Run these cases and merge the results into the file. */
  async harvestCases(cases: Params[], options: HarvestOptions = {}): Promise<Dataset | null> {
    checkOptions('harvestCases(cases, options)', options, HARVEST_OPTIONS);
    checkCases('harvestCases', cases);
    return this.harvest(new SpaceOf({}, cases), options);
  }

  /** Each combo given as '...' (or ['...']) replaced by the values its dim has in the file, as `--combo a=...`. */
  private async storedValuesIn(combos: CombosSpec): Promise<CombosSpec> {
    const entries: [string, unknown][] = Array.isArray(combos) ? combos : Object.entries(combos ?? {});
    if (!entries.some(([, spec]) => isStoredValues(spec))) return combos;
    const asked = Object.fromEntries(entries.filter(([, spec]) => isStoredValues(spec)).map(([k]) => [k, ['...']]));
    const found = await library(() =>
      resolveStoredValues(() => this.dataName, asked as Record<string, Value[]>, {
        said: (name) => `harvestCombos: '${name}' is '...'`,
        first: 'harvest some values first',
      }),
    );
    const resolved = entries.map(([name, spec]): [string, unknown] => [
      name,
      isStoredValues(spec) ? found![name] : spec,
    ]);
    return (Array.isArray(combos) ? resolved : Object.fromEntries(resolved)) as CombosSpec;
  }

  /** Everything the file holds, read whole; null when there is no file yet. */
  get fullDataset(): Promise<Dataset | null> {
    return library(async () => (fs.existsSync(this.dataName) ? await Dataset.open(this.dataName) : null));
  }

  /**
   * Make `name` a new dim of length 1 at `value` (by default the Runner's constant of that name), so that later
   * rounds can vary it. The old file is kept in backups/.
   */
  async expandDims(name: string, value?: Scalar): Promise<Dataset> {
    const given = value ?? this.runner.options.constants?.[name];
    if (typeof given !== 'number' && typeof given !== 'string' && typeof given !== 'boolean') {
      throw new RunnerError(`expandDims('${name}'): give its value (the Runner has no scalar constant '${name}')`);
    }
    return this.edit('expand-dims', expandDimsEdit(name, given));
  }

  /** Remove coordinate values and their cells, e.g. `{ x: [3, 4] }` (xarray's drop_sel). The old file is kept. */
  async dropSel(labels: Record<string, Scalar | Scalar[]>): Promise<Dataset> {
    const edits = Object.entries(labels).map(([name, v]) => dropValuesEdit(name, Array.isArray(v) ? v : [v]));
    return this.edit('drop', (dataset, file) => edits.reduce((d, edit) => edit(d, file), dataset));
  }

  /**
   * Delete the file. With `backup` (the default, unlike xyzpy) it is moved into backups/<timestamp>/ instead, and
   * the path it went to is returned.
   */
  deleteDataset(options: { backup?: boolean } = {}): string | null {
    checkOptions('deleteDataset(options)', options, { backup: kinds.boolean });
    if (!fs.existsSync(this.dataName)) return null;
    const unlock = this.lock('delete');
    try {
      if (options.backup === false) {
        fs.rmSync(this.dataName);
        return null;
      }
      const to = path.join(this.dir, 'backups', stamp(), path.basename(this.dataName));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(this.dataName, to);
      return to;
    } finally {
      unlock();
    }
  }

  private lock(what: string): () => void {
    fs.mkdirSync(this.dir, { recursive: true });
    return librarySync(() => lockStudy(this.dir, `a Harvester's ${what} of ${path.basename(this.dataName)}`));
  }

  private async edit(what: string, edit: Edit): Promise<Dataset> {
    await library(() =>
      editDatasetFile(this.dataName, edit, {
        lockDir: this.dir,
        what: `a Harvester's ${what} of ${path.basename(this.dataName)}`,
        innerDims: this.innerDims,
        missing: `${this.dataName} does not exist yet: harvest something first`,
      }),
    );
    return (await this.fullDataset)!;
  }

  private async harvest(space: SpaceOf, options: HarvestOptions): Promise<Dataset | null> {
    const stored = options.missingOnly ? await library(() => storedCells(this.dataName, space)) : new Set<number>();
    const outcome = await this.runner.run(space, options, (i) => stored.has(i));
    this.lastDataset = outcome.ran > 0 ? outcome.dataset : null;
    if (outcome.ran > 0) {
      // What ran is stored even when some calls failed; the failures are reported after.
      const round = outcome.dataset.toLabelled();
      const inner = new Set(this.innerDims);
      const unlock = this.lock('harvest');
      try {
        await harvestInto(this.dataName, round, overwritePolicy(options.overwrite), {
          growableDims: round.dims.map((d) => d.name).filter((d) => !inner.has(d)),
          backupDir: path.join(this.dir, 'backups', stamp()),
        });
      } catch (error) {
        if (!(error instanceof FurrowError)) throw error;
        throw new RunnerError(
          error.message.replace(
            OVERWRITE_HINT,
            "Harvest with overwrite: 'new' to keep the new values, or overwrite: 'old' to keep the stored ones",
          ),
        );
      } finally {
        unlock();
      }
    }
    if (outcome.failed) throw outcome.failed;
    return this.lastDataset;
  }
}

callableClass(Harvester);
