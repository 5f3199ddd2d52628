// What the Adapt page draws while the learners learn, from the points announced so far: for one learned parameter a
// line through the points sorted along it (a line per learner), for two or more the surface through them on their
// triangulation over the first two (as the Plots page draws the point dataset: the same PlotData, figure.ts draws
// both); and the loss against the points evaluated.
import type { AdaptPoint, AdaptProgress } from '../../shared/adaptive';
import type { PlotData, Trace } from '../../shared/plot-spec';
import { checkSpec, valueLabel } from '../../shared/plot-spec';
import type { Scalar } from '../../shared/space';

/** A learner's combination of the other parameters, as a legend says it ("a = 1, b = x"); null for none. */
export function comboLabel(combo: Record<string, Scalar>): string | null {
  const parts = Object.entries(combo).map(([k, v]) => `${k} = ${valueLabel(v)}`);
  return parts.length ? parts.join(', ') : null;
}

const f64 = (values: number[]) => ({ f64: Float64Array.from(values) });

/**
 * The learned function as far as it is known: null before any point has a value. `learner`: which learner a
 * surface shows (a line shows every learner).
 */
export function learnedPlot(progress: AdaptProgress, points: AdaptPoint[], learner = 0): PlotData | null {
  const [px, py] = progress.params;
  if (!px) return null;
  const known = points.filter((p) => p.y !== null && p.x.every(Number.isFinite) && Number.isFinite(p.y));
  if (known.length === 0) return null;
  const surface = py !== undefined;
  const spec = checkSpec({
    variable: progress.output,
    kind: surface ? 'heatmap' : 'line',
    x: px.name,
    ...(surface ? { y: py.name } : {}),
  });
  const traces: Trace[] = [];
  let zRange: [number, number] | null = null;
  if (surface) {
    const mine = known.filter((p) => p.learner === learner);
    const z = mine.map((p) => p.y!);
    if (z.length) zRange = [Math.min(...z), Math.max(...z)];
    traces.push({
      name: null,
      x: f64(mine.map((p) => p.x[0]!)),
      y: f64(mine.map((p) => p.x[1]!)),
      z: f64(z),
      scattered: true,
    });
  } else {
    const learners = progress.learners.length || 1;
    for (let l = 0; l < learners; l++) {
      const line = known.filter((p) => p.learner === l).sort((a, b) => a.x[0]! - b.x[0]!);
      const combo = progress.learners[l]?.combo ?? {};
      traces.push({
        name: learners > 1 ? comboLabel(combo) : null,
        x: f64(line.map((p) => p.x[0]!)),
        y: f64(line.map((p) => p.y!)),
      });
    }
  }
  const combo = surface && progress.learners.length > 1 ? comboLabel(progress.learners[learner]?.combo ?? {}) : null;
  const others = progress.params.slice(2).map((p) => p.name);
  const subtitle = [combo, others.length ? `over every ${others.join(', ')}` : null].filter(Boolean).join(' · ');
  return {
    spec,
    given: spec,
    kind: surface ? 'heatmap' : 'line',
    source: '',
    title: progress.output,
    subtitle: subtitle || null,
    autoSubtitle: subtitle,
    xlabel: px.name,
    ylabel: surface ? py.name : progress.output,
    zlabel: surface ? progress.output : null,
    rows: 1,
    cols: 1,
    frames: null,
    hue: null,
    zRange,
    panels: [{ row: 0, col: 0, title: null, traces }],
    points: known.length,
  };
}

/** The loss against the points evaluated, on a log axis (it falls by decades). */
export function lossFigure(history: { points: number; loss: number }[]): {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
} {
  const shown = history.filter((h) => Number.isFinite(h.loss) && h.loss > 0);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        x: shown.map((h) => h.points),
        y: shown.map((h) => h.loss),
        line: { color: '#0072b2' },
        hovertemplate: '%{x} points: loss %{y:.3g}<extra></extra>',
      },
    ],
    layout: {
      margin: { t: 10, r: 10, b: 40, l: 60 },
      xaxis: { title: { text: 'points' } },
      yaxis: { title: { text: 'loss' }, type: 'log', dtick: 1, exponentformat: 'power' },
      showlegend: false,
    },
  };
}
