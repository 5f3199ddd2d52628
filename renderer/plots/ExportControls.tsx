// Export this plot or every saved one: the format, the figure's size (one column, two columns, a 16:9 slide, or
// width × height in mm or in), its font size in points and a PNG's dpi, as `furrow export` takes them; and the
// same selection as Python. A size or number that cannot be used is said at its field, and the buttons wait.
import { useEffect, useState } from 'react';
import type { PlotData } from '../../shared/plot-spec';
import { checkExportOptions, exportFontSize, parseSize, SIZE_PRESETS } from '../../shared/plot-export';
import type { ExportOptions, FigureSize } from '../../shared/plot-export';
import { usePlots } from '../app/stores';
import type { ExportFormat } from './export';
import { pythonSnippet } from './python';

type SizeChoice = 'auto' | keyof typeof SIZE_PRESETS | 'custom';
type Field = 'width' | 'height' | 'font' | 'dpi';
const FIELD_NAMES: Record<Field, string> = { width: 'Width', height: 'Height', font: 'Font size', dpi: 'DPI' };

/** The options the fields say, or the field that is wrong and why. */
function optionsOf(
  size: SizeChoice,
  custom: { width: string; height: string; unit: 'mm' | 'in' },
  fontSize: string,
  dpi: string,
  format: ExportFormat,
): { options: ExportOptions; error: null } | { options: null; error: { field: Field; message: string } } {
  let figure: FigureSize = size === 'custom' ? 'auto' : size;
  if (size === 'custom') {
    const most = custom.unit === 'mm' ? 2000 : 80;
    for (const field of ['width', 'height'] as const) {
      const n = Number(custom[field].trim());
      if (!custom[field].trim() || !(n > 0) || n > most) {
        return { options: null, error: { field, message: `give a number above 0, at most ${most} ${custom.unit}` } };
      }
    }
    figure = parseSize(`${custom.width.trim()}x${custom.height.trim()}${custom.unit}`);
  }
  const options: ExportOptions = { size: figure };
  if (fontSize.trim()) options.fontSize = Number(fontSize);
  if (dpi.trim() && format === 'png') options.dpi = Number(dpi);
  try {
    return { options: checkExportOptions(options), error: null };
  } catch (error) {
    const message = (error as Error).message.replace(/^(font size|dpi) [^:]*: /, '');
    return { options: null, error: { field: /^font/.test((error as Error).message) ? 'font' : 'dpi', message } };
  }
}

export function ExportControls({ data }: { data: PlotData | null }) {
  const { exportPlot, exportAll, exporting, saved } = usePlots((s) => s);
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [size, setSize] = useState<SizeChoice>('auto');
  const [custom, setCustom] = useState({ width: '120', height: '80', unit: 'mm' as 'mm' | 'in' });
  const [fontSize, setFontSize] = useState('');
  const [dpi, setDpi] = useState('');
  const [python, setPython] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    setPython(null);
    setCopied(null);
  }, [data]);
  const chosen = optionsOf(size, custom, fontSize, dpi, format);
  const invalid = (field: Field) =>
    chosen.error?.field === field ? { 'aria-invalid': true, 'aria-describedby': 'export-field-error' } : {};
  const defaultFont = exportFontSize({ size: size === 'custom' ? 'auto' : size });
  return (
    <>
      <div className="plot-controls export-controls" role="group" aria-label="Export">
        <label>
          Format
          <select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            <option value="pdf">PDF (vector)</option>
            <option value="svg">SVG</option>
            <option value="png">PNG</option>
          </select>
        </label>
        <label>
          Size
          <select aria-label="Size" value={size} onChange={(e) => setSize(e.target.value as SizeChoice)}>
            <option value="auto">as on screen</option>
            {Object.entries(SIZE_PRESETS).map(([key, p]) => (
              <option key={key} value={key}>
                {p.label}
              </option>
            ))}
            <option value="custom">width × height…</option>
          </select>
        </label>
        {size === 'custom' && (
          <>
            <label className="narrow">
              Width
              <input
                inputMode="decimal"
                value={custom.width}
                onChange={(e) => setCustom({ ...custom, width: e.target.value })}
                {...invalid('width')}
              />
            </label>
            <label className="narrow">
              Height
              <input
                inputMode="decimal"
                value={custom.height}
                onChange={(e) => setCustom({ ...custom, height: e.target.value })}
                {...invalid('height')}
              />
            </label>
            <label className="narrow">
              Unit
              <select
                aria-label="Unit"
                value={custom.unit}
                onChange={(e) => setCustom({ ...custom, unit: e.target.value as 'mm' | 'in' })}
              >
                <option value="mm">mm</option>
                <option value="in">in</option>
              </select>
            </label>
          </>
        )}
        <label className="narrow">
          Font size (pt)
          <input
            inputMode="decimal"
            value={fontSize}
            placeholder={String(defaultFont)}
            onChange={(e) => setFontSize(e.target.value)}
            {...invalid('font')}
          />
        </label>
        {format === 'png' && (
          <label className="narrow">
            DPI
            <input
              inputMode="numeric"
              value={dpi}
              placeholder={size === 'auto' ? '144' : '300'}
              onChange={(e) => setDpi(e.target.value)}
              {...invalid('dpi')}
            />
          </label>
        )}
        <button
          type="button"
          disabled={!data || exporting || !chosen.options}
          onClick={() => chosen.options && void exportPlot(format, chosen.options)}
        >
          Export this plot
        </button>
        <button
          type="button"
          className="plain"
          disabled={exporting || !saved.some((p) => p.enabled) || !chosen.options}
          onClick={() => chosen.options && void exportAll(format, chosen.options)}
        >
          Export all saved plots
        </button>
        <button
          type="button"
          className="plain"
          disabled={!data}
          onClick={() => {
            if (!data) return;
            const snippet = pythonSnippet(data);
            setPython(snippet);
            setCopied(null);
            // The clipboard may be refused (a page not in focus, a browser's policy): then the lines are there to copy.
            void (navigator.clipboard?.writeText(snippet) ?? Promise.reject(new Error('no clipboard'))).then(
              () => setCopied('Copied'),
              () => setCopied('Select the lines below to copy them'),
            );
          }}
        >
          Copy as Python
        </button>
        {copied && (
          <span role="status" className="copied">
            {copied}
          </span>
        )}
      </div>
      {chosen.error && (
        <p id="export-field-error" className="field-error">
          {FIELD_NAMES[chosen.error.field]}: {chosen.error.message}
        </p>
      )}
      {python && (
        <pre className="python" aria-label="Python for this plot">
          {python}
        </pre>
      )}
    </>
  );
}
