// "Copy as Python": the same variable opened with xarray, the same selection, reductions and steps, and the same
// facet grid, so a plot can be taken on in a notebook.
import type { PlotData, TransformStep } from '../../shared/plot-spec';
import type { Scalar } from '../../shared/space';

/** A value of a spec as Python (specs hold finite numbers only: the schema refuses NaN and Infinity). */
const py = (v: Scalar | string): string =>
  typeof v === 'string' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);
const kwargs = (record: Record<string, Scalar>) =>
  Object.entries(record)
    .map(([k, v]) => (/^[A-Za-z_]\w*$/.test(k) && !PYTHON_KEYWORDS.has(k) ? `${k}=${py(v)}` : `**{${py(k)}: ${py(v)}}`))
    .join(', ');

/**
 * A date selected by its ISO string (a CF time coord, decoded) is a partial-date slice for xarray's cftime index:
 * the dim stays, with one value. Drop it, as a selection of one value does.
 */
const dateSqueezes = (sel: Record<string, Scalar>): string[] =>
  Object.entries(sel)
    .filter(([, v]) => typeof v === 'string' && /^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(v))
    .map(([d]) => `da = da.squeeze(${py(d)}, drop=True) if ${py(d)} in da.dims else da`);

function stepLines(step: TransformStep): string[] {
  if ('sel' in step) return [`da = da.sel(${kwargs(step.sel)})`, ...dateSqueezes(step.sel)];
  if ('isel' in step) return [`da = da.isel(${kwargs(step.isel)})`];
  if ('reduce' in step) return Object.entries(step.reduce).map(([d, op]) => `da = da.${op}(${py(d)})`);
  if ('squeeze' in step) return ['da = da.squeeze()'];
  if ('log10' in step) return ['da = np.log10(da.where(da > 0))'];
  if ('normalize' in step) {
    return step.normalize === true
      ? ['da = (da - da.min()) / (da.max() - da.min())']
      : [`da = (da - da.min(${py(step.normalize)})) / (da.max(${py(step.normalize)}) - da.min(${py(step.normalize)}))`];
  }
  return [`da = da.diff(${py(step.diff)}, label="upper")`];
}

export function pythonSnippet(plot: PlotData): string {
  const { spec } = plot;
  const lines = [
    'import numpy as np',
    'import xarray as xr',
    '',
    `ds = xr.open_dataset(${py(plot.source)}, engine="h5netcdf")`,
    `da = ds[${py(spec.variable)}]`,
  ];
  if (Object.keys(spec.sel).length) lines.push(`da = da.sel(${kwargs(spec.sel)})`, ...dateSqueezes(spec.sel));
  if (Object.keys(spec.isel).length) lines.push(`da = da.isel(${kwargs(spec.isel)})`);
  for (const [d, op] of Object.entries(spec.reduce)) lines.push(`da = da.${op}(${py(d)})`);
  for (const step of spec.transform) lines.push(...stepLines(step));
  if (spec.frames !== undefined) lines.push(`da = da.isel(${kwargs({ [spec.frames]: plot.frames?.index ?? 0 })})`);
  const facets: Record<string, Scalar> = {};
  for (const e of ['x', 'y', 'hue', 'col', 'row'] as const) if (spec[e] !== undefined) facets[e] = spec[e];
  if (spec.col !== undefined && spec.row === undefined && plot.rows > 1) facets['col_wrap'] = plot.cols;
  switch (plot.kind) {
    case 'heatmap':
      lines.push(`da.plot.pcolormesh(${kwargs(facets)})`);
      break;
    case 'contour':
      lines.push(`da.plot.contourf(${kwargs(facets)})`);
      break;
    case 'scatter':
      lines.push(`da.plot.line(${kwargs(facets)}, linestyle="", marker=".")`);
      break;
    case 'step':
      lines.push(`da.plot.step(${kwargs(facets)}, where="post")`); // plotly's 'hv' steps
      break;
    case 'hist':
      // xarray's hist pools every value; Furrow's draws one per hue value and facet: select them first.
      lines.push(`da.plot.hist(bins=${spec.bins ?? 30})`);
      break;
    case 'errorbands': {
      const over = py(spec.over ?? '');
      lines.push(
        `mean, std = da.mean(${over}), da.std(${over})`,
        `grid = mean.plot.line(${kwargs(facets)})`,
        '# the band: mean ± std, e.g. plt.fill_between(mean[x], mean - std, mean + std, alpha=0.25) per line',
      );
      break;
    }
    default:
      lines.push(`da.plot.line(${kwargs(facets)})`);
  }
  return `${lines.join('\n')}\n`;
}
