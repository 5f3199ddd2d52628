// The plot.* requests: the study's saved plots (plots.yaml), what a plot draws, and its exported files.
import fs from 'node:fs';
import path from 'node:path';
import type { PlotSpec } from '../../../shared/plot-spec';
import { checkSpec, resolvePlot } from '../../../shared/plot-spec';
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { FurrowError } from '../errors';
import { multiverseFile } from '../dataset/multiverse';
import { casePlots } from './each-case';
import { plotData, plotError } from './plot-data';
import {
  listPlots,
  newEvalDir,
  PLOTS_FILE,
  readPlotsFile,
  removePlot,
  savePlot,
  specOf,
  writeExport,
} from './plots-file';

export function plotRequests(engine: EngineState): Handlers<MethodsOf<'plot'>> {
  /** The open study's plots.yaml, or null with no study open (then plots come from a file opened by its path). */
  const plotsFile = (): string | null => (engine.studyDir === null ? null : path.join(engine.study().dir, PLOTS_FILE));

  /**
   * The file a plot's `source` names: the study's dataset (the default), a multiverse (`data.h5:/abm/energy`: that
   * dataset of every case's file, combined; see multiverse.ts), or an HDF5/NetCDF file by its path.
   */
  const sourceFile = async (source: string | undefined): Promise<string> => {
    if (source === undefined || source === 'dataset') {
      const study = engine.study();
      if (!fs.existsSync(study.datasetPath)) {
        throw new FurrowError('not-found', `${study.datasetPath} does not exist yet: run the study first`);
      }
      return study.datasetPath;
    }
    if (/^[^:]+:\//.test(source) && !/^[A-Za-z]:[\\/]/.test(source)) {
      return (await multiverseFile(engine.study(), source)).file;
    }
    return path.resolve(engine.studyDir ?? process.cwd(), source);
  };

  /** What a plot draws: a spec or a saved plot's name; its `source` says which file (default: the dataset). */
  const plot = async (raw: Record<string, unknown> | undefined, name: string | undefined, frame?: number) => {
    try {
      const plots = plotsFile();
      let spec: PlotSpec;
      if (name !== undefined) spec = resolvePlot(name, plots ? readPlotsFile(plots) : {});
      else if (raw) spec = plots ? specOf(plots, raw) : checkSpec(raw);
      else throw new FurrowError('bad-input', 'give a plot spec, or the name of a plot in plots.yaml');
      if (frame !== undefined) spec = { ...spec, frame };
      return await plotData(await sourceFile(spec.source), spec);
    } catch (error) {
      return plotError(error);
    }
  };

  return {
    'plot.list': async () => {
      const file = plotsFile();
      if (file === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
      return { file, plots: listPlots(file) };
    },
    'plot.data': async ({ spec, name, frame }) => plot(spec, name, frame),
    'plot.save': async ({ name, spec }) => {
      const file = plotsFile();
      if (file === null) throw new FurrowError('not-found', 'open a study to save plots in its plots.yaml');
      // A plot that cannot be drawn is not saved: checked under its own name, so a based_on on itself is a cycle.
      try {
        const resolved = resolvePlot(name, { ...readPlotsFile(file), [name]: spec });
        await plotData(await sourceFile(resolved.source), resolved);
      } catch (error) {
        plotError(error);
      }
      savePlot(file, name, spec);
      return { file };
    },
    'plot.cases': async ({ name, spec }) => {
      const file = plotsFile();
      const resolved = file ? specOf(file, spec, `plot '${name}'`) : checkSpec(spec, `plot '${name}'`);
      if (resolved.each === undefined) return { plots: [{ name, spec }] };
      return { plots: casePlots(engine.study(), name, resolved) };
    },
    'plot.remove': async ({ name }) => {
      const file = plotsFile();
      return { removed: file !== null && removePlot(file, name) };
    },
    'plot.export': async ({ dir, name, format, data, spec }) => {
      const study = engine.study();
      const target = dir ?? newEvalDir(study.dir);
      const evalDir = path.join(study.dir, 'eval');
      const inside = path.relative(evalDir, path.resolve(target));
      if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
        throw new FurrowError('bad-input', `exports go into a folder in ${evalDir}; ${target} is not one`);
      }
      fs.mkdirSync(target, { recursive: true });
      return { dir: target, file: writeExport(target, name, format, Buffer.from(data, 'base64'), spec) };
    },
  };
}
