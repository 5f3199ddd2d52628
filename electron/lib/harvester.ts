// xyzpy's Harvester: a Runner's results merged round after round into one dataset file, with the same merge
// code and the same file as `furrow run` (harvest-file.ts: in place where it can, journaled, xyzpy's overwrite
// rules). The file is rewritten only when it must be, after a copy into backups/ beside it.
import fs from 'node:fs';
import path from 'node:path';
import type { Overwrite } from '../engine/harvest';
import { harvestInto } from '../engine/harvest-file';
import { readDataset } from '../engine/netcdf-read';
import type { CombosSpec } from '../../shared/space';
import { Dataset } from './dataset';
import type { Runner } from './runner';
import type { Params } from './runners';

export interface HarvestOptions {
  /** Where a stored value and a new one disagree: 'error' (refuse the round, write nothing), 'new' or 'old'. */
  overwrite?: Overwrite;
}

export class Harvester {
  /** The last round's results, as run (not merged). */
  lastDataset: Dataset | null = null;
  readonly dataName: string;

  constructor(
    readonly runner: Runner,
    options: { dataName: string },
  ) {
    this.dataName = path.resolve(options.dataName);
  }

  /** Run every combination (for each case, if given) and merge the results into the file. */
  async harvestCombos(combos: CombosSpec, options: HarvestOptions & { cases?: Params[] } = {}): Promise<Dataset> {
    return this.harvest(this.runner.runCombos(combos, options.cases ? { cases: options.cases } : {}), options);
  }

  /** Run these cases and merge the results into the file. */
  async harvestCases(cases: Params[], options: HarvestOptions = {}): Promise<Dataset> {
    return this.harvest(this.runner.runCases(cases), options);
  }

  /** Everything the file holds, read whole. */
  get fullDataset(): Promise<Dataset | null> {
    return fs.existsSync(this.dataName)
      ? readDataset(this.dataName).then((d) => new Dataset(d))
      : Promise.resolve(null);
  }

  private async harvest(round: Dataset, options: HarvestOptions): Promise<Dataset> {
    const inner = new Set(Object.values(this.runner.options.varDims ?? {}).flat());
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await harvestInto(this.dataName, round.labelled, options.overwrite ?? 'error', {
      growableDims: round.labelled.dims.map((d) => d.name).filter((d) => !inner.has(d)),
      backupDir: path.join(path.dirname(this.dataName), 'backups', stamp),
    });
    this.lastDataset = round;
    return round;
  }
}
