// The What matters page's figures, from a sensitivity report (shared/sensitivity.ts): S1 and ST bars with their 95 %
// intervals, most influential first; Morris's μ*–σ scatter; a grid's main effects (the output's mean against each
// parameter, ± its spread). Pure: the page draws them, and exports them as it exports every plot.
import type { AlongList, IndicesAlong, ParamIndices, SensitivityReport } from '../../shared/sensitivity';
import { COLOURBLIND as PALETTE } from '../plots/palette';

export interface SensitivityFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/** What the parameters are ranked by for a method: ST for Sobol, μ* for Morris, S1 otherwise. */
export function rankKey(method: SensitivityReport['method']): keyof ParamIndices {
  return method === 'sobol' ? 'ST' : method === 'morris' ? 'mu_star' : 'S1';
}

/** The parameters of one output, most influential first. */
export function ranked(report: SensitivityReport, output: string): [string, ParamIndices][] {
  const key = rankKey(report.method);
  const of = report.outputs[output] ?? {};
  return report.params
    .filter((p) => of[p])
    .map((p): [string, ParamIndices] => [p, of[p]!])
    .sort(([, a], [, b]) => Number(b[key] ?? 0) - Number(a[key] ?? 0));
}

/** How an exported figure is lettered: the page's font, or the one an export embeds. */
export interface FigureFont {
  font?: string;
  fontSize?: number;
}

const fontOf = (options: FigureFont) => ({
  ...(options.font ? { family: options.font } : {}),
  ...(options.fontSize ? { size: options.fontSize } : {}),
});

/** A figure's title (what it shows, fixed and reduced) at its top left, a size above its text; none when empty. */
function titled(text: string, fontSize: number | undefined): Record<string, unknown> {
  if (!text) return {};
  return {
    title: {
      text,
      xref: 'paper',
      x: 0,
      xanchor: 'left',
      y: 0.98,
      yanchor: 'top',
      font: { size: (fontSize ?? 12) + 2 },
    },
  };
}

/** The reductions of an output's own dims, in words ("mean over t"); '' for none. */
export function reductionWords(reduce: Record<string, string>): string {
  return Object.entries(reduce)
    .map(([dim, op]) => `${op} over ${dim}`)
    .join(', ');
}

/**
 * Whether an output is the same in every case (a reduction such as its min over t, where it always starts at 0): no
 * parameter moves it, and its indices are not numbers (null, as the engine sends them).
 */
export function sameInEveryCase(report: SensitivityReport, output: string): boolean {
  const key = rankKey(report.method);
  const rows = Object.values(report.outputs[output] ?? {});
  return rows.length > 0 && rows.every((s) => !Number.isFinite(s[key]));
}

const bar = (name: string, x: string[], y: number[], conf: number[] | null, colour: string) => ({
  type: 'bar',
  name,
  x,
  y,
  marker: { color: colour },
  ...(conf ? { error_y: { type: 'data', array: conf, visible: true, thickness: 1.2, width: 5 } } : {}),
  hovertemplate: `%{x}: ${name} = %{y:.3f}${conf ? ' ± %{error_y.array:.3f}' : ''}<extra></extra>`,
});

/**
 * The figure of one output: bars (Sobol, given data, grid), the μ*–σ scatter (Morris). `title`: the output's name
 * over it (an exported file; on the page its heading names it).
 */
export function sensitivityFigure(
  report: SensitivityReport,
  output: string,
  options: FigureFont & { title?: boolean } = {},
): SensitivityFigure {
  const rows = ranked(report, output);
  const names = rows.map(([p]) => p);
  const title = options.title ? [output, reductionWords(report.reduce)].filter(Boolean).join(', ') : '';
  const base = {
    font: fontOf(options),
    margin: { l: 64, r: 24, t: title ? 72 : 32, b: 56 },
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    ...titled(title, options.fontSize),
  };
  if (report.method === 'morris') {
    return {
      data: [
        {
          type: 'scatter',
          mode: 'markers+text',
          name: 'parameters',
          x: rows.map(([, s]) => s.mu_star ?? 0),
          y: rows.map(([, s]) => s.sigma ?? 0),
          text: names,
          textposition: 'top center',
          cliponaxis: false,
          marker: { color: PALETTE[0], size: 9 },
          error_x: { type: 'data', array: rows.map(([, s]) => s.mu_star_conf ?? 0), visible: true, thickness: 1 },
          hovertemplate: '%{text}: μ* = %{x:.3g}, σ = %{y:.3g}<extra></extra>',
        },
      ],
      layout: {
        ...base,
        showlegend: false,
        xaxis: { title: { text: 'μ* (mean |elementary effect|)' }, rangemode: 'tozero', zeroline: false },
        yaxis: {
          title: { text: 'σ (spread of the effects)' },
          range: [0, 1.15 * Math.max(1e-12, ...rows.map(([, s]) => s.sigma ?? 0))],
          zeroline: false,
        },
      },
    };
  }
  const s1 = bar(
    report.method === 'grid' ? 'S1 (exact)' : 'S1 (first order)',
    names,
    rows.map(([, s]) => s.S1 ?? 0),
    report.method === 'grid' ? null : rows.map(([, s]) => s.S1_conf ?? 0),
    PALETTE[0]!,
  );
  const data: Record<string, unknown>[] = [s1];
  if (report.method === 'sobol') {
    data.push(
      bar(
        'ST (total order)',
        names,
        rows.map(([, s]) => s.ST ?? 0),
        rows.map(([, s]) => s.ST_conf ?? 0),
        PALETTE[1]!,
      ),
    );
  }
  return {
    data,
    layout: {
      ...base,
      barmode: 'group',
      showlegend: true,
      xaxis: { title: { text: 'parameter' }, type: 'category', categoryorder: 'array', categoryarray: names },
      yaxis: { title: { text: 'share of the variance' }, rangemode: 'tozero' },
    },
  };
}

/** A parameter's colour: by its place in the study, so it is the same in every figure whatever the ranking. */
function colourOf(report: SensitivityReport, param: string): string {
  return PALETTE[Math.max(0, report.params.indexOf(param)) % PALETTE.length]!;
}

/** A full grid's main effects: a panel per parameter, the output's mean at each level ± its standard deviation. */
export function mainEffectsFigure(
  report: SensitivityReport,
  output: string,
  options: FigureFont = {},
): SensitivityFigure | null {
  const rows = ranked(report, output).filter(([, s]) => s.main_effect);
  if (rows.length === 0) return null;
  const gap = 0.06;
  const width = (1 - gap * (rows.length - 1)) / rows.length;
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    font: fontOf(options),
    margin: { l: 64, r: 24, t: 40, b: 56 },
    showlegend: false,
    title: { text: `${output}: main effects`, x: 0, xanchor: 'left' },
  };
  rows.forEach(([param, s], i) => {
    const effect = s.main_effect!;
    const axis = i === 0 ? '' : String(i + 1);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: param,
      x: effect.levels,
      y: effect.mean,
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      line: { color: colourOf(report, param) },
      error_y: { type: 'data', array: effect.std, visible: true, thickness: 1 },
      hovertemplate: `${param} = %{x}: mean %{y:.3g} ± %{error_y.array:.3g}<extra></extra>`,
    });
    const from = i * (width + gap);
    layout[`xaxis${axis}`] = { domain: [from, from + width], title: { text: param }, anchor: `y${axis}` };
    layout[`yaxis${axis}`] = {
      anchor: `x${axis}`,
      ...(i === 0 ? { title: { text: `mean ${output}` } } : { matches: 'y' }),
    };
  });
  return { data, layout };
}

/** What each method's lines over an output's own dim show: S1 and ST (Sobol), μ* (Morris), S1 (given data). */
function alongKeys(method: SensitivityReport['method']): { key: AlongList; conf: AlongList; name: string }[] {
  if (method === 'sobol') {
    return [
      { key: 'S1', conf: 'S1_conf', name: 'S1' },
      { key: 'ST', conf: 'ST_conf', name: 'ST' },
    ];
  }
  if (method === 'morris') return [{ key: 'mu_star', conf: 'mu_star_conf', name: 'μ*' }];
  return [{ key: 'S1', conf: 'S1_conf', name: 'S1' }];
}

/** The coordinates of an output's indices along its first dim, the other dims fixed at positions `at` (C order). */
export function alongPositions(along: IndicesAlong, at: number[]): number[] {
  const sizes = along.dims.map((d) => d.values.length);
  const strides = sizes.map((_, i) => sizes.slice(i + 1).reduce((a, b) => a * b, 1));
  const rest = at.reduce((sum, p, i) => sum + p * strides[i + 1]!, 0);
  return Array.from({ length: sizes[0] ?? 0 }, (_, i) => i * strides[0]! + rest);
}

/** The parameters of an output with dims, the largest index anywhere along them first. */
export function rankedAlong(report: SensitivityReport, output: string): string[] {
  const along = report.along[output];
  if (!along) return [];
  const key = alongKeys(report.method).at(-1)!.key;
  const peak = (p: string) => Math.max(-Infinity, ...(along.params[p]?.[key] ?? []).map((v) => v ?? -Infinity));
  return report.params.filter((p) => along.params[p]).sort((a, b) => peak(b) - peak(a));
}

/**
 * An output's indices over its own dim, as lines: one per parameter (its colour) and index (S1 solid, ST dashed),
 * each with its 95 % interval as a band. With more dims than one, the others are fixed at positions `at`.
 */
export function alongFigure(
  report: SensitivityReport,
  output: string,
  at: number[] = [],
  options: FigureFont & { title?: boolean } = {},
): SensitivityFigure {
  const along = report.along[output]!;
  const dim = along.dims[0]!;
  const positions = alongPositions(along, at);
  const x = dim.values;
  const fixed = along.dims
    .slice(1)
    .map((d, i) => `${d.name} = ${String(d.values[at[i] ?? 0])}`)
    .join(', ');
  const data: Record<string, unknown>[] = [];
  rankedAlong(report, output).forEach((param) => {
    const colour = colourOf(report, param);
    alongKeys(report.method).forEach(({ key, conf, name }, k) => {
      const values = along.params[param]![key] ?? [];
      const confs = along.params[param]![conf] ?? [];
      const y = positions.map((p) => values[p] ?? null);
      const half = positions.map((p) => confs[p] ?? null);
      const group = `${param} ${name}`;
      // The band: the upper edge, then the lower edge back, filled between.
      data.push({
        type: 'scatter',
        mode: 'lines',
        x: [...x, ...x.slice().reverse()],
        y: [
          ...y.map((v, j) => (v === null || half[j] === null ? null : v + half[j]!)),
          ...y.map((v, j) => (v === null || half[j] === null ? null : v - half[j]!)).reverse(),
        ],
        fill: 'toself',
        fillcolor: `${colour}${k === 0 ? '2e' : '1a'}`,
        line: { width: 0 },
        hoverinfo: 'skip',
        showlegend: false,
        legendgroup: group,
      });
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: group,
        legendgroup: group,
        x,
        y,
        line: { color: colour, width: 2, dash: k === 0 ? 'solid' : 'dash' },
        marker: { color: colour, size: 5 },
        customdata: half,
        hovertemplate: `${group} at ${dim.name} = %{x}: %{y:.3f} ± %{customdata:.3f}<extra></extra>`,
      });
    });
  });
  const title = [options.title ? output : '', fixed ? `at ${fixed}` : '', reductionWords(report.reduce)]
    .filter(Boolean)
    .join(', ');
  return {
    data,
    layout: {
      font: fontOf(options),
      margin: { l: 64, r: 24, t: title ? 72 : 40, b: 56 },
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      ...titled(title, options.fontSize),
      xaxis: { title: { text: dim.name }, ...(typeof x[0] === 'string' ? { type: 'category' } : {}) },
      yaxis: {
        title: { text: report.method === 'morris' ? 'μ* (mean |elementary effect|)' : 'share of the variance' },
        ...(report.method === 'morris' ? { rangemode: 'tozero' } : {}),
      },
    },
  };
}

/** A Saltelli design with --second-order: its pairs' S2 with their intervals, the largest first. */
export function secondOrderPairs(
  report: SensitivityReport,
  output: string,
): { pair: [string, string]; value: number; conf: number }[] {
  const of = report.outputs[output] ?? {};
  const pairs: { pair: [string, string]; value: number; conf: number }[] = [];
  report.params.forEach((p, i) => {
    for (const q of report.params.slice(i + 1)) {
      const s = of[p]?.S2?.[q];
      if (s) pairs.push({ pair: [p, q], value: s.value, conf: s.conf });
    }
  });
  return pairs.sort((a, b) => b.value - a.value);
}
