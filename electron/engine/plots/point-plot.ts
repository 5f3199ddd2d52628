// Plots of a point dataset (an adaptive run's: the points along a `point` dim, the learned parameters as coordinates
// on it): the variable against a coordinate, as xarray plots against a non-dimension coordinate. A scatter keeps the
// points in the order they were evaluated; a line is sorted along its coordinate; with a coordinate on y as well, a
// heatmap or contour of the points, which the renderer draws on their Delaunay triangulation (figure.ts).
import type { DatasetInfo } from '../../../shared/api';
import { coordinatesOn } from '../../../shared/plot-edits';
import type { CoordinateOn } from '../../../shared/plot-edits';
import type { PlotKind, PlotSpec, Trace } from '../../../shared/plot-spec';
import { PlotSpecError } from '../../../shared/plot-spec';

export interface PointEncoding {
  kind: Extract<PlotKind, 'line' | 'scatter' | 'step' | 'heatmap' | 'contour'>;
  /** The dim the points are along. */
  dim: string;
  x: CoordinateOn;
  /** heatmap, contour: the coordinate on y. */
  y: CoordinateOn | null;
}

/**
 * Whether the spec draws the variable against coordinates on its dims (x or y names one, not a dim), and how; null
 * when it does not. What cannot be drawn so is refused, naming the builder's control that changes it.
 */
export function pointEncoding(
  info: Pick<DatasetInfo, 'variables'>,
  variable: DatasetInfo['variables'][number],
  spec: PlotSpec,
): PointEncoding | null {
  const coords = coordinatesOn(info, variable.name);
  const coordOf = (name: string | undefined) =>
    name === undefined || variable.dims.includes(name) ? null : (coords.find((c) => c.name === name) ?? null);
  const x = coordOf(spec.x);
  const y = coordOf(spec.y);
  if (!x && !y) return null;
  const names = coords.map((c) => c.name).join(', ');
  if (!x) {
    throw new PlotSpecError(
      `y is the coordinate '${spec.y}': choose a coordinate on ${y!.dim} for x as well (${names})`,
    );
  }
  if (spec.y !== undefined && !y) {
    throw new PlotSpecError(
      `x is the coordinate '${x.name}', on ${x.dim}: y must be a coordinate on ${x.dim} too (${names}), or none`,
    );
  }
  if (y && y.dim !== x.dim) {
    throw new PlotSpecError(`x ('${x.name}') and y ('${y.name}') are on different dims; choose two on ${x.dim}`);
  }
  if (y && y.name === x.name) throw new PlotSpecError(`'${x.name}' is on both x and y; choose another for y`);
  const kind = spec.kind === 'auto' ? (y ? 'heatmap' : 'line') : spec.kind;
  if (kind === 'hist' || kind === 'errorbands') {
    throw new PlotSpecError(
      `x is the coordinate '${x.name}': choose the Kind line, scatter, heatmap or contour (a ${kind === 'hist' ? 'histogram' : 'band'} needs a dim)`,
    );
  }
  if ((kind === 'heatmap' || kind === 'contour') && !y) {
    throw new PlotSpecError(
      `a ${kind} of the points needs a coordinate on y as well (on ${x.dim}: ${names}); or choose the Kind line or scatter`,
    );
  }
  if (y && kind !== 'heatmap' && kind !== 'contour') {
    throw new PlotSpecError(`a ${kind} plot draws the values up y: take '${y.name}' off y, or choose the Kind heatmap`);
  }
  const facet = (['hue', 'col', 'row', 'frames'] as const).find((e) => spec[e] !== undefined);
  if (facet) {
    throw new PlotSpecError(
      `a plot against the coordinate '${x.name}' has no ${facet === 'hue' ? 'Lines (hue)' : facet}; fix ${spec[facet]} at a value instead`,
    );
  }
  return { kind, dim: x.dim, x, y };
}

/**
 * The one trace of a point plot: the points where the coordinates and the value are numbers (a point whose model
 * failed has none, and is left out rather than drawn as a gap); a line's sorted along x.
 */
export function pointTrace(
  kind: PointEncoding['kind'],
  x: ArrayLike<number>,
  y: ArrayLike<number> | null,
  values: ArrayLike<number>,
): Trace {
  const keep: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(x[i]!) && Number.isFinite(values[i]!) && (y === null || Number.isFinite(y[i]!))) keep.push(i);
  }
  if (kind === 'line' || kind === 'step') keep.sort((a, b) => x[a]! - x[b]! || a - b);
  const pick = (from: ArrayLike<number>) => ({ f64: Float64Array.from(keep, (i) => from[i]!) });
  if (y !== null) return { name: null, x: pick(x), y: pick(y), z: pick(values), scattered: true };
  return { name: null, x: pick(x), y: pick(values) };
}
