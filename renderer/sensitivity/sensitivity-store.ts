// The What matters page: the open study's sensitivity report (the engine's sensitivity.analyze), asked for when the
// page is shown, when the method changes and after each run; and the export of its figures as files.
import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/api';
import { EngineRequestError } from '../../shared/api';
import { inAppWords } from '../app/app-words';
import type { SensitivityMethod, SensitivityReport } from '../../shared/sensitivity';
import type { ExportFormat } from '../plots/export';
import { exportFigure, toBase64 } from '../plots/export';
import { alongFigure, sensitivityFigure } from './figures';

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
  exporting: boolean;
  /** What the last export wrote, or why it could not. */
  message: string | null;
  choose(method: SensitivityMethod | null): Promise<void>;
  analyse(): Promise<void>;
  /** `at`: for an output with dims of its own, the positions its dims past the first are fixed at. */
  exportOutput(output: string, format: ExportFormat, at?: number[]): Promise<void>;
}

/** The size an index figure is exported at, in points. */
const EXPORT_SIZE = { width: 520, height: 360 };

export function createSensitivityStore(engine: EngineClient) {
  return createStore<SensitivityState>()((set, get) => ({
    method: null,
    report: null,
    analysing: false,
    error: null,
    guidance: false,
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
        if (get().method === method) set({ report, error: null, guidance: false, analysing: false });
      } catch (error) {
        const guidance = error instanceof EngineRequestError && error.info.code === 'bad-input';
        if (get().method === method)
          set({ report: null, error: inAppWords((error as Error).message), guidance, analysing: false });
      }
    },
    async exportOutput(output, format, at = []) {
      const { report } = get();
      if (!report) return;
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
          name: `what-matters-${output}`,
          format,
          data: toBase64(bytes),
          spec: { sensitivity: { output, method: report.method } },
        });
        set({ message: `Wrote ${file}` });
      } catch (error) {
        set({ message: `Could not export ${output}: ${(error as Error).message}` });
      } finally {
        set({ exporting: false });
      }
    },
  }));
}
