// A dim whose values mix kinds (`z: [null, 1.2, 'X']`), stored as xarray stores such an object coordinate: variable-
// length UTF-8 strings, null written as "" (xarray writes None so), numbers and booleans as their text. So that Furrow
// reads back the values the model was given (and `--combo z=...` runs them again as they were), the values
// themselves go beside, as JSON in the coordinate's `furrow_values` attribute; xarray shows it as an attribute.
import type { Scalar } from '../../../shared/space';

export const VALUES_ATTR = 'furrow_values';

/** An HDF5 attribute stored compactly holds under 64 KiB: a longer list keeps its strings only. */
const MOST_ATTR_CHARS = 60_000;

/** The text xarray writes for a value of an object coordinate of strings. */
export const coordText = (v: Scalar): string => (v === null ? '' : String(v));

export function mixedCoord(values: Scalar[]): { data: string[]; attrs: Record<string, string> } {
  const data = values.map(coordText);
  if (values.every((v) => typeof v === 'string')) return { data, attrs: {} };
  const json = JSON.stringify(values);
  return { data, attrs: json.length <= MOST_ATTR_CHARS ? { [VALUES_ATTR]: json } : {} };
}

/** The values of a string coordinate as they were given, where its attribute keeps them (and agrees with it). */
export function typedCoords(stored: Scalar[], attrs: Record<string, unknown>): Scalar[] {
  const json = attrs[VALUES_ATTR];
  if (typeof json !== 'string') return stored;
  try {
    const values = JSON.parse(json) as unknown;
    if (!Array.isArray(values) || values.length !== stored.length) return stored;
    // Only when each value's text is what the coordinate holds: a file edited by another tool keeps its strings.
    return values.every((v: Scalar, i) => coordText(v) === stored[i]) ? (values as Scalar[]) : stored;
  } catch {
    return stored;
  }
}
