// plots.yaml: a study's named facet plots (with based_on), read, saved one plot at a time keeping the person's
// comments and key order, and the exported files in eval/<timestamp>/ with each plot's resolved spec beside it.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, stringify } from 'yaml';
import type { ExportFormat } from '../../../shared/plot-export';
import type { PlotSpec } from '../../../shared/plot-spec';
import { checkSpec, PlotSpecError, resolvePlot } from '../../../shared/plot-spec';
import { FurrowError } from '../errors';
import { writeAtomically } from '../dataset/atomic-file';
import type { YamlFile } from '../study/yaml-file';
import { parseYamlFile, plainData } from '../study/yaml-file';

export const PLOTS_FILE = 'plots.yaml';

export interface PlotEntry {
  name: string;
  /** As written in plots.yaml, based_on and all. */
  raw: Record<string, unknown>;
  /** false for a base that is not plotted itself. */
  enabled: boolean;
  /** Why it cannot be drawn (a broken based_on chain, an unknown key), or null. */
  error: string | null;
}

function readYaml(file: string): YamlFile {
  const yaml = parseYamlFile(file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  if (yaml.doc.contents !== null && !isMap(yaml.doc.contents)) {
    throw new FurrowError('bad-input', `${file}: give a mapping of plot names to their options`);
  }
  return yaml;
}

const documentOf = (file: string) => readYaml(file).doc;

/** Every plot of a plots file (default: the study's), raw. A missing file holds no plots. */
export function readPlotsFile(file: string): Record<string, unknown> {
  return (plainData(readYaml(file)) as Record<string, unknown> | null) ?? {};
}

/** The plots of a plots file, each checked: the UI lists them, with the reason where one cannot be drawn. */
export function listPlots(file: string): PlotEntry[] {
  const plots = readPlotsFile(file);
  return Object.entries(plots).map(([name, raw]) => {
    const entry: PlotEntry = { name, raw: (raw ?? {}) as Record<string, unknown>, enabled: true, error: null };
    try {
      entry.enabled = resolvePlot(name, plots).enabled;
    } catch (error) {
      entry.error = (error as Error).message;
      entry.enabled = (raw as { enabled?: unknown } | null)?.enabled !== false;
    }
    return entry;
  });
}

/** A spec checked against a plots file: its based_on names that file's plots. */
export function specOf(file: string, spec: Record<string, unknown>, name = 'the plot'): PlotSpec {
  const plots = readPlotsFile(file);
  if (spec['based_on'] === undefined) return checkSpec(spec, name);
  // Resolve it as if it were in the file, under a name no plot has.
  const own = '\u0000this plot';
  try {
    return resolvePlot(own, { ...plots, [own]: spec });
  } catch (error) {
    if (error instanceof PlotSpecError) throw new PlotSpecError(error.message.replaceAll(`'${own}'`, name));
    throw error;
  }
}

/** Save one plot (new, or replacing the one of that name), keeping everything else in the file as it was. */
export function savePlot(file: string, name: string, spec: Record<string, unknown>): void {
  if (!/^\.?[A-Za-z0-9][\w.-]*$/.test(name)) {
    throw new FurrowError(
      'bad-input',
      `plot name '${name}': use letters, digits, _ . and -, starting with a letter or digit (or a . for a base)`,
    );
  }
  const doc = documentOf(file);
  doc.set(name, doc.createNode(spec));
  writeAtomically(file, doc.toString());
}

export function removePlot(file: string, name: string): boolean {
  const doc = documentOf(file);
  if (!isMap(doc.contents) || !doc.has(name)) return false;
  doc.delete(name);
  writeAtomically(file, doc.toString());
  return true;
}

/** A new folder eval/<timestamp>/ for one export (a suffix where two exports share a second). */
export function newEvalDir(studyDir: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll(':', '-');
  fs.mkdirSync(path.join(studyDir, 'eval'), { recursive: true });
  for (let n = 0; ; n++) {
    const dir = path.join(studyDir, 'eval', n ? `${stamp}-${n}` : stamp);
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Write one exported plot and its resolved spec beside it (<name>.yaml). */
export function writeExport(dir: string, name: string, format: ExportFormat, data: Uint8Array, spec: unknown): string {
  // A per-case figure, <plot>/<pset_id>, goes into a folder of its plot.
  const parts = name.split('/').map((part) => part.replace(/[^\w.-]+/g, '_').replace(/^\.+$/, '_') || 'plot');
  const safe = path.join(...parts);
  fs.mkdirSync(path.dirname(path.join(dir, safe)), { recursive: true });
  const file = path.join(dir, `${safe}.${format}`);
  fs.writeFileSync(file, data);
  fs.writeFileSync(path.join(dir, `${safe}.yaml`), stringify(spec));
  return file;
}
