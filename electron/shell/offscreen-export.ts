// `Furrow --export <study> [--only NAME]... [--format pdf|svg|png]`: the desktop app exports a study's saved plots
// with no window on screen, as `furrow export` does where Electron is not installed. An offscreen window loads
// the app's own page and opens the study in its engine host; the page draws each plot (shared/plot-export.ts) and the
// engine host writes it into eval/<timestamp>/, beside its resolved spec. The process then exits: 0, or 2 when a
// plot could not be drawn (each one said on stderr).
import type { RequestReply } from '../../shared/api';
import type { ExportFormat, ExportOptions, PlotToDraw } from '../../shared/plot-export';
import { checkExportOptions, drawAll, drawExpression, EXPORT_FORMATS, parseSize } from '../../shared/plot-export';

export interface ExportArgs {
  study: string;
  only: string[];
  format: ExportFormat;
  /** --size, --font-size, --dpi: as `furrow export` takes them. */
  options: ExportOptions;
}

/** The export asked for on the command line, if any; a mistake in it is thrown as a message to print. */
export function exportArgs(argv: string[]): ExportArgs | null {
  const at = argv.indexOf('--export');
  if (at < 0) return null;
  const study = argv[at + 1];
  if (!study || study.startsWith('--')) throw new Error('--export needs the study folder: --export <study>');
  const only: string[] = [];
  let format: ExportFormat = 'pdf';
  const options: ExportOptions = {};
  argv.forEach((arg, i) => {
    const value = argv[i + 1];
    if (arg === '--only' && value) only.push(value);
    if (arg === '--format') {
      if (!EXPORT_FORMATS.includes(value as ExportFormat)) throw new Error(`--format ${value}: give pdf, svg or png`);
      format = value as ExportFormat;
    }
    try {
      if (arg === '--size') options.size = parseSize(value ?? '');
      if (arg === '--font-size') options.fontSize = Number(value);
      if (arg === '--dpi') options.dpi = Number(value);
    } catch (error) {
      throw new Error(`--${(error as Error).message}`, { cause: error });
    }
  });
  try {
    checkExportOptions(options);
  } catch (error) {
    throw new Error(`--${(error as Error).message.replace(/^font size/, 'font-size')}`, { cause: error });
  }
  return { study, only, format, options };
}

/** The parts of a study window an export uses: its engine host, and its page. */
export interface ExportWindow {
  invoke(method: string, params: unknown): Promise<RequestReply>;
  /** Evaluate an expression in the page (Electron: webContents.executeJavaScript), awaiting a promise it gives. */
  evaluate(code: string): Promise<unknown>;
}

const result = async (reply: Promise<RequestReply>) => {
  const r = await reply;
  if (r.kind === 'error') throw new Error(r.error.message);
  return r.result;
};

/** Export the study's saved plots through `window`; returns the exit status. */
export async function exportOffscreen(
  window: ExportWindow,
  args: ExportArgs,
  log: (line: string) => void,
  options: { readyTimeoutMs?: number } = {},
): Promise<number> {
  const failed: string[] = [];
  try {
    await result(window.invoke('study.open', { dir: args.study }));
    const list = (await result(window.invoke('plot.list', {}))) as {
      file: string;
      plots: { name: string; raw: Record<string, unknown>; enabled: boolean; error: string | null }[];
    };
    const unknown = args.only.filter((name) => !list.plots.some((p) => p.name === name));
    if (unknown.length) {
      throw new Error(
        `${list.file} has no plot ${unknown.map((n) => `'${n}'`).join(', ')} (it has: ${list.plots.map((p) => p.name).join(', ') || 'none'})`,
      );
    }
    const chosen = args.only.length
      ? list.plots.filter((p) => args.only.includes(p.name))
      : list.plots.filter((p) => p.enabled);
    if (chosen.length === 0) throw new Error(`${list.file} has no plots to export`);
    const plots: PlotToDraw[] = [];
    for (const p of chosen) {
      if (p.error) failed.push(`plot '${p.name}': ${p.error}`);
      else {
        // A plot drawn for each case (each: case) is a figure per case, <plot>/<pset_id>.
        try {
          const { plots: figures } = (await result(window.invoke('plot.cases', { name: p.name, spec: p.raw }))) as {
            plots: PlotToDraw[];
          };
          plots.push(...figures);
        } catch (error) {
          failed.push(`plot '${p.name}': ${(error as Error).message.replace(/^plot '[^']*': /, '')}`);
        }
      }
    }
    failed.forEach((f) => log(`furrow: ${f}`));

    // The page has loaded when it offers furrowExport.
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    while ((await window.evaluate('typeof window.furrowExport')) !== 'function') {
      if (Date.now() > deadline) throw new Error('the app page did not load in the offscreen window');
      await new Promise((r) => setTimeout(r, 100));
    }
    let dir: string | undefined;
    const written = await drawAll(
      plots,
      args.format,
      args.options,
      (spec, format, o) => window.evaluate(drawExpression(spec, format, o)) as Promise<{ data: string; spec: unknown }>,
      async (name, data, spec) => {
        const out = (await result(
          window.invoke('plot.export', { ...(dir ? { dir } : {}), name, format: args.format, data, spec }),
        )) as { dir: string; file: string };
        dir = out.dir;
        log(out.file);
        return out.file;
      },
      failed,
      log,
    );
    if (written.length) log(`furrow: wrote ${written.length} plot${written.length === 1 ? '' : 's'} into ${dir}`);
    return failed.length ? 2 : 0;
  } catch (error) {
    log(`furrow: ${(error as Error).message}`);
    return 2;
  }
}
