// CF decoding of stored values, as xarray's open_dataset does it by default: `_FillValue` and `missing_value`
// masked (NaN), then `scale_factor` and `add_offset`, then `units: "<unit> since <date>"` with its calendar read as
// dates (shared/cf-time.ts). The one place this is done: the data tree, the value table, the plots, `furrow
// inspect` and the library's Dataset all decode through here. Furrow's own writes and merges read raw values.
import type { TimeEncoding, TimeUnits } from '../../../shared/cf-time';
import { timeEncodingOf, timesOf } from '../../../shared/cf-time';
import type { Scalar } from '../../../shared/space';

export interface CfDecoding {
  /** Stored values that mean "missing" (_FillValue, missing_value). */
  fills: number[];
  scale: number;
  offset: number;
  /** Set when the values are times: their units and calendar. */
  time: (TimeEncoding & { parsed: TimeUnits }) | null;
}

const numbers = (v: unknown): number[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(Number);

/**
 * How a variable's values decode, from its attributes (as readAttrs gives them: a NaN fill value is null), or null
 * when they are read as stored (no CF attributes, text, or Furrow's booleans).
 */
export function cfDecodingOf(attrs: Record<string, unknown>, dtype?: string): CfDecoding | null {
  if (dtype === 'string' || dtype === 'bool' || attrs['dtype'] === 'bool') return null;
  const fills = [...numbers(attrs['_FillValue']), ...numbers(attrs['missing_value'])].filter((x) => !Number.isNaN(x));
  const scale = typeof attrs['scale_factor'] === 'number' ? attrs['scale_factor'] : 1;
  const offset = typeof attrs['add_offset'] === 'number' ? attrs['add_offset'] : 0;
  const time = timeEncodingOf(attrs);
  if (!fills.length && scale === 1 && offset === 0 && !time) return null;
  return { fills, scale, offset, time };
}

/** Stored numbers decoded: missing values NaN, scaled and offset. A time variable's numbers are its unit counts. */
export function decodeNumbers(raw: ArrayLike<number | bigint>, cf: CfDecoding | null): Float64Array {
  const out = new Float64Array(raw.length);
  // Indexed loops: typed arrays' `from` with a mapping function is several times slower on 10^6 values.
  for (let i = 0; i < raw.length; i++) out[i] = Number(raw[i]);
  if (!cf) return out;
  const { fills, scale, offset } = cf;
  if (fills.length === 1) {
    const fill = fills[0]!;
    for (let i = 0; i < out.length; i++) if (out[i] === fill) out[i] = NaN;
  } else if (fills.length) {
    for (let i = 0; i < out.length; i++) if (fills.includes(out[i]!)) out[i] = NaN;
  }
  if (scale !== 1 || offset !== 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale + offset;
  return out;
}

/** Decoded values as cells: times as ISO dates, numbers as numbers, missing as null. */
export function decodeCells(raw: ArrayLike<number | bigint>, cf: CfDecoding): (number | string | null)[] {
  const values = decodeNumbers(raw, cf);
  if (cf.time) return timesOf(values, cf.time);
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}

/** A coordinate's decoded values: times as ISO dates ('NaT' where missing, as xarray prints it). */
export function decodeCoords(raw: ArrayLike<number | bigint>, cf: CfDecoding): Scalar[] {
  const values = decodeNumbers(raw, cf);
  if (cf.time) return timesOf(values, cf.time).map((t) => t ?? 'NaT');
  return Array.from(values);
}

/** In words, for the details pane and `furrow inspect`: how the stored values become the ones shown. */
export function decodingText(cf: CfDecoding | null): string | null {
  if (!cf) return null;
  const parts: string[] = [];
  if (cf.fills.length) parts.push(`missing where ${cf.fills.join(' or ')}`);
  if (cf.scale !== 1 || cf.offset !== 0)
    parts.push(`× ${cf.scale}${cf.offset ? ` ${cf.offset < 0 ? '−' : '+'} ${Math.abs(cf.offset)}` : ''}`);
  if (cf.time) parts.push(`dates: ${cf.time.units} (${cf.time.calendar} calendar)`);
  return parts.join('; ');
}
