// The What matters page: the open study's sensitivity report (the engine's sensitivity.analyze), asked for when the
// page is shown, when the method changes and after each run; an output with dims of its own reduced as the user
// chose (remembered per output for the session), its indices asked for apart; and the export of its figures as files.
import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/api';
import { EngineRequestError } from '../../shared/api';
import { inAppWords } from '../app/app-words';
import type { Reducer } from '../../shared/plot-spec';
import type { SensitivityMethod, SensitivityReport } from '../../shared/sensitivity';
import type { ExportFormat } from '../plots/export';
import { exportFigure, toBase64 } from '../plots/export';
import { alongFigure, reductionWords, sensitivityFigure } from './figures';

/** An output's own dims reduced before its analysis: dim → reducer (the plot builder's reducers). */
export type Reduction = Record<string, Reducer>;

/** The indices of one output reduced as chosen, asked for apart from the report: null while they are computed. */
export interface Reduced {
  reduce: Reduction;
  report: SensitivityReport | null;
  /** Why they could not be computed. */
  error: string | null;
}

export interface SensitivityState {
  /** The method chosen; null: what the latest design allows. */
  method: SensitivityMethod | null;
  report: SensitivityReport | null;
  analysing: boolean;
  /** Why there is no report: what to run, as the engine says it (or what went wrong). */
  error: string | null;
  /**
   * The engine's answer is what the cases cannot answer and what to run (bad-input): guidance, shown as a note
   * beside its buttons. Otherwise the error is one (the engine stopped, a file unreadable): shown as such.
   */
  guidance: boolean;
  /** output → how its own dims are reduced, as last chosen in this session; none: per coordinate. */
  reductions: Record<string, Reduction>;
  /** output → its indices after its reduction, for the report shown (an output per coordinate has none). */
  reduced: Record<string, Reduced>;
  exporting: boolean;
  /** What the last export wrote, or why it could not. */
  message: string | null;
  choose(method: SensitivityMethod | null): Promise<void>;
  analyse(): Promise<void>;
  /** Reduce `dim` of `output` by `op` before its analysis, or (null) analyse it per coordinate again. */
  reduceDim(output: string, dim: string, op: Reducer | null): Promise<void>;
  /** `at`: for an output with dims of its own, the positions its dims past the first are fixed at. */
  exportOutput(output: string, format: ExportFormat, at?: number[]): Promise<void>;
}

/** The size an index figure is exported at, in points. */
const EXPORT_SIZE = { width: 520, height: 360 };

/** An output's reduction, if it still fits the report: each dim reduced is one of the output's own (else none). */
function reductionFor(report: SensitivityReport, output: string, reduce: Reduction | undefined): Reduction | null {
  const dims = report.along[output]?.dims.map((d) => d.name) ?? [];
  if (!reduce || Object.keys(reduce).length === 0 || !Object.keys(reduce).every((d) => dims.includes(d))) return null;
  return reduce;
}

/** The report an output's indices are shown from: its reduced one when it has a reduction (null while computed). */
export function shownReport(state: SensitivityState, output: string): SensitivityReport | null {
  const reduced = state.reduced[output];
  return reduced ? reduced.report : state.report;
}

export function createSensitivityStore(engine: EngineClient) {
  return createStore<SensitivityState>()((set, get) => {
    /**
     * The indices of one output after its reduction, for `entry` (the store's while it is still the one chosen, for
     * the report shown): by the report's method, of that output alone.
     */
    const reduceOutput = async (output: string, entry: Reduced) => {
      const method = get().report?.method;
      const still = () => get().reduced[output] === entry;
      try {
        const report = await engine.request('sensitivity.analyze', {
          outputs: [output],
          reduce: entry.reduce,
          ...(method ? { method } : {}),
        });
        if (still()) set({ reduced: { ...get().reduced, [output]: { ...entry, report } } });
      } catch (error) {
        const message = `Could not compute the indices of ${output}: ${inAppWords((error as Error).message)}`;
        if (still()) set({ reduced: { ...get().reduced, [output]: { ...entry, error: message } } });
      }
    };
    return {
      method: null,
      report: null,
      analysing: false,
      error: null,
      guidance: false,
      reductions: {},
      reduced: {},
      exporting: false,
      message: null,
      async choose(method) {
        set({ method, message: null });
        await get().analyse();
      },
      async analyse() {
        set({ analysing: true });
        const { method } = get();
        try {
          const report = await engine.request('sensitivity.analyze', method ? { method } : {});
          if (get().method !== method) return;
          const { reductions } = get();
          const reduced = Object.keys(report.along).flatMap((output) => {
            const reduce = reductionFor(report, output, reductions[output]);
            return reduce ? [[output, { reduce, report: null, error: null }] as const] : [];
          });
          set({ report, reduced: Object.fromEntries(reduced), error: null, guidance: false, analysing: false });
          await Promise.all(reduced.map(([output, entry]) => reduceOutput(output, entry)));
        } catch (error) {
          const guidance = error instanceof EngineRequestError && error.info.code === 'bad-input';
          if (get().method === method)
            set({ report: null, error: inAppWords((error as Error).message), guidance, analysing: false });
        }
      },
      async reduceDim(output, dim, op) {
        // From the reduction shown (a remembered one that no longer fits is not).
        const reduce: Reduction = { ...get().reduced[output]?.reduce };
        if (op) reduce[dim] = op;
        else delete reduce[dim];
        const reductions = { ...get().reductions, [output]: reduce };
        const { report } = get();
        const fits = report && reductionFor(report, output, reduce);
        const { [output]: _, ...others } = get().reduced;
        if (!fits) {
          set({ reductions, reduced: others, message: null });
          return;
        }
        const entry: Reduced = { reduce: fits, report: null, error: null };
        set({ reductions, reduced: { ...others, [output]: entry }, message: null });
        await reduceOutput(output, entry);
      },
      async exportOutput(output, format, at = []) {
        const report = shownReport(get(), output);
        if (!report) return;
        const reduced = reductionWords(report.reduce);
        set({ exporting: true, message: null });
        try {
          const bytes = await exportFigure(
            (font) =>
              report.along[output]
                ? alongFigure(report, output, at, { ...font, title: true })
                : sensitivityFigure(report, output, { ...font, title: true }),
            EXPORT_SIZE,
            format,
          );
          const { file } = await engine.request('plot.export', {
            name: `what-matters-${output}${reduced ? `-${reduced.replace(/[\s,]+/g, '-')}` : ''}`,
            format,
            data: toBase64(bytes),
            spec: { sensitivity: { output, method: report.method, reduce: report.reduce } },
          });
          set({ message: `Wrote ${file}` });
        } catch (error) {
          set({ message: `Could not export ${output}: ${(error as Error).message}` });
        } finally {
          set({ exporting: false });
        }
      },
    };
  });
}
