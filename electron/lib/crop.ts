// xyzpy's Crop for the library: a Runner's cases sown into batches on disk, grown anywhere (here, by other
// processes, or as a SLURM/PBS/SGE array job), then reaped into one dataset. It is the engine's crop (crop.ts)
// over a study folder the Runner describes, <parentDir>/.furrow-<name>/, so `furrow crop status|grow|reap` work
// on it too and a reap writes the same dataset and run database as `furrow run`.
import fs from 'node:fs';
import path from 'node:path';
import type { CropStatus } from '../../shared/api';
import type { CombosSpec } from '../../shared/space';
import type { SubmitRequest, SubmitSummary } from '../engine/crop/crop';
import { checkCropName, cropStatus, growBatch, growCrop, reapCrop, sowCrop, submitCrop } from '../engine/crop/crop';
import type { Overwrite } from '../engine/dataset/harvest';
import { forkSpawner } from '../engine/run/spawner';
import { openStudy } from '../engine/study/study';
import { furrowCommand, h5Kit, workerEntry } from '../host/paths';
import { Dataset } from './dataset';
import { moduleOf } from './module-function';
import { checkOptions, kinds, overwritePolicy } from './options';
import type { RunnerSpec } from './runner-spec';
import type { Params } from './runners';
import { checkCombos } from './runners';
import { library, librarySync, RunnerError } from './runner-error';

export interface CropOptions {
  /** Letters, digits, _ . and -. */
  name: string;
  /** Cases per batch (or give `batches`). */
  batchSize?: number;
  /** How many batches (or give `batchSize`). */
  batches?: number;
  /** Where the crop's study folder goes (default: the working folder). */
  parentDir?: string;
  /** Seconds one call may take before it fails (default: no limit). */
  timeout?: number;
}

const parts = { spawner: forkSpawner, workerEntry, h5Kit };

export class Crop {
  /** The study folder the crop lives in: study.yaml, crops/<name>/, and after a reap data/ and runs.sqlite. */
  readonly studyDir: string;

  constructor(
    readonly runner: RunnerSpec,
    readonly options: CropOptions,
  ) {
    checkOptions('runner.crop(options)', options, {
      name: kinds.string,
      batchSize: kinds.count,
      batches: kinds.count,
      parentDir: kinds.string,
      timeout: kinds.seconds,
    });
    const model = moduleOf(runner.fn);
    if (!model) {
      throw new RunnerError(
        "a crop's batches are grown by other processes, maybe on other machines, which import the function: load it with fromModule(file, name)",
      );
    }
    if (runner.options.varNames === null) {
      throw new RunnerError("a crop's study file names the outputs before anything runs: give varNames");
    }
    librarySync(() => checkCropName(options.name)); // it names folders: never a path
    this.studyDir = path.resolve(options.parentDir ?? '.', `.furrow-${options.name}`);
  }

  /** The crop folder, where batches, results and logs are. */
  get dir(): string {
    return path.join(this.studyDir, 'crops', this.options.name);
  }

  /** The study file this crop's cases come from: the Runner's function, outputs, constants and the combos. */
  private studyText(combos: CombosSpec, cases: Params[] | undefined): string {
    const model = moduleOf(this.runner.fn)!;
    const o = this.runner.options;
    const names = typeof o.varNames === 'string' ? [o.varNames] : o.varNames!;
    const spec = {
      name: `crop_${this.options.name.replace(/[^A-Za-z0-9_]/g, '_')}`,
      model: { module: model.file, export: model.exportName, timeout: this.options.timeout ?? 2_000_000 },
      outputs: Object.fromEntries(names.map((n) => [n, { dims: o.varDims?.[n] ?? [] }])),
      coords: o.varCoords ?? {},
      constants: o.constants ?? {},
      resources: o.resources ?? {},
      attrs: o.attrs ?? {},
      combos,
      ...(cases ? { cases } : {}),
      max_cases: Number.MAX_SAFE_INTEGER,
    };
    try {
      return `${JSON.stringify(spec, null, 2)}\n`; // JSON is YAML
    } catch (error) {
      throw new RunnerError(
        `a crop's constants and resources go into its study file, so they must be plain data (${(error as Error).message})`,
      );
    }
  }

  /** Sow every combination (for each case, if given) into batches. Sowing the same again changes nothing. */
  async sow(combos: CombosSpec, options: { cases?: Params[]; shuffle?: number } = {}) {
    checkOptions('crop.sow(combos, options)', options, { cases: kinds.cases, shuffle: kinds.integer });
    checkCombos(
      'crop.sow',
      combos,
      'a crop is sown before it stores anything; give the values (or harvest with a Harvester)',
    );
    const text = this.studyText(combos, options.cases);
    return library(async () => {
      fs.mkdirSync(this.studyDir, { recursive: true });
      const file = path.join(this.studyDir, 'study.yaml');
      // The study file is what the crop is sown from; a crop keeps its own copy, so rewriting it never changes
      // a crop already sown (sowing other combos under the same name is refused by the engine).
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file);
      }
      openStudy(this.studyDir); // a clear error now, naming the field, rather than at grow time
      return sowCrop(this.studyDir, {
        name: this.options.name,
        ...(this.options.batchSize !== undefined ? { batchSize: this.options.batchSize } : {}),
        ...(this.options.batches !== undefined ? { batches: this.options.batches } : {}),
        ...(options.shuffle !== undefined ? { shuffle: options.shuffle } : {}),
        overrides: {},
      });
    });
  }

  /** Grow batches here: the ones given, or every one not grown yet, `workers` at a time. */
  async grow(batches?: number | number[], options: { workers?: number } = {}): Promise<CropStatus> {
    checkOptions('crop.grow(batches, options)', options, { workers: kinds.count });
    return library(async () => {
      if (batches === undefined) {
        return growCrop(this.studyDir, this.options.name, {
          ...parts,
          ...(options.workers !== undefined ? { workers: options.workers } : {}),
        });
      }
      for (const k of Array.isArray(batches) ? batches : [batches])
        await growBatch(this.dir, k, { ...parts, workers: 1 });
      return cropStatus(this.studyDir, this.options.name);
    });
  }

  /** Each batch's state: reaped, grown, failed, running, pending or missing. */
  status(): Promise<CropStatus> {
    return library(() => cropStatus(this.studyDir, this.options.name));
  }

  /** Submit the batches not grown yet as an array job (slurm, pbs or sge). */
  submit(
    request: Omit<SubmitRequest, 'furrow' | 'options' | 'setup'> & Partial<SubmitRequest>,
  ): Promise<SubmitSummary> {
    const text = { test: (v: unknown) => typeof v === 'string', says: 'a string' };
    const texts = { test: (v: unknown) => Array.isArray(v) && v.every(text.test), says: 'a list of strings' };
    checkOptions('crop.submit(request)', request, {
      scheduler: { test: (v) => v === 'slurm' || v === 'pbs' || v === 'sge', says: "'slurm', 'pbs' or 'sge'" },
      time: text,
      mem: text,
      cpusPerTask: kinds.count,
      partition: text,
      dryRun: kinds.boolean,
      furrow: texts,
      options: texts,
      setup: texts,
    });
    return library(() =>
      submitCrop(this.studyDir, this.options.name, { furrow: furrowCommand, options: [], setup: [], ...request }),
    );
  }

  /**
   * Merge the grown batches into the crop's dataset and run database, and return the whole dataset. Missing
   * batches refuse the reap unless `allowIncomplete` (a later reap takes the rest).
   */
  async reap(
    options: { allowIncomplete?: boolean; overwrite?: Overwrite | boolean | null; keep?: boolean } = {},
  ): Promise<Dataset> {
    checkOptions('crop.reap(options)', options, {
      allowIncomplete: kinds.boolean,
      overwrite: kinds.overwrite,
      keep: kinds.boolean,
    });
    return library(async () => {
      await reapCrop(this.studyDir, this.options.name, {
        ...parts,
        ...options,
        overwrite: overwritePolicy(options.overwrite),
      });
      return Dataset.open(openStudy(this.studyDir).datasetPath);
    });
  }
}
