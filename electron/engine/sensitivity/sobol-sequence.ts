// Sobol's low-discrepancy sequence (Bratley & Fox's Gray-code construction), with the direction numbers of
// S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci.
// Comput. 30 (2008) 2635–2654 (their table new-joe-kuo-6.21201; the first 64 rows, as the npm package `sobol`
// (ISC) ships them). Points are 32-bit: up to 2^32 of them in up to 65 dimensions.
//
// Scrambled as scipy's `qmc.Sobol(scramble=True)` and SALib's Saltelli sampler are: a random lower-triangular
// binary matrix per dimension (linear matrix scrambling, Matoušek 1998) and a random digital shift, drawn from a
// seeded generator, so that the same seed gives the same points everywhere and indices can carry a confidence.
import { Rng } from '../../../shared/sampling';

/** Joe–Kuo direction numbers for dimensions 2 to 65: [degree s, coefficients a, initial m_1..m_s]. */
const JOE_KUO: [number, number, number[]][] = [
  [1, 0, [1]],
  [2, 1, [1, 3]],
  [3, 1, [1, 3, 1]],
  [3, 2, [1, 1, 1]],
  [4, 1, [1, 1, 3, 3]],
  [4, 4, [1, 3, 5, 13]],
  [5, 2, [1, 1, 5, 5, 17]],
  [5, 4, [1, 1, 5, 5, 5]],
  [5, 7, [1, 1, 7, 11, 19]],
  [5, 11, [1, 1, 5, 1, 1]],
  [5, 13, [1, 1, 1, 3, 11]],
  [5, 14, [1, 3, 5, 5, 31]],
  [6, 1, [1, 3, 3, 9, 7, 49]],
  [6, 13, [1, 1, 1, 15, 21, 21]],
  [6, 16, [1, 3, 1, 13, 27, 49]],
  [6, 19, [1, 1, 1, 15, 7, 5]],
  [6, 22, [1, 3, 1, 15, 13, 25]],
  [6, 25, [1, 1, 5, 5, 19, 61]],
  [7, 1, [1, 3, 7, 11, 23, 15, 103]],
  [7, 4, [1, 3, 7, 13, 13, 15, 69]],
  [7, 7, [1, 1, 3, 13, 7, 35, 63]],
  [7, 8, [1, 3, 5, 9, 1, 25, 53]],
  [7, 14, [1, 3, 1, 13, 9, 35, 107]],
  [7, 19, [1, 3, 1, 5, 27, 61, 31]],
  [7, 21, [1, 1, 5, 11, 19, 41, 61]],
  [7, 28, [1, 3, 5, 3, 3, 13, 69]],
  [7, 31, [1, 1, 7, 13, 1, 19, 1]],
  [7, 32, [1, 3, 7, 5, 13, 19, 59]],
  [7, 37, [1, 1, 3, 9, 25, 29, 41]],
  [7, 41, [1, 3, 5, 13, 23, 1, 55]],
  [7, 42, [1, 3, 7, 3, 13, 59, 17]],
  [7, 50, [1, 3, 1, 3, 5, 53, 69]],
  [7, 55, [1, 1, 5, 5, 23, 33, 13]],
  [7, 56, [1, 1, 7, 7, 1, 61, 123]],
  [7, 59, [1, 1, 7, 9, 13, 61, 49]],
  [7, 62, [1, 3, 3, 5, 3, 55, 33]],
  [8, 14, [1, 3, 1, 15, 31, 13, 49, 245]],
  [8, 21, [1, 3, 5, 15, 31, 59, 63, 97]],
  [8, 22, [1, 3, 1, 11, 11, 11, 77, 249]],
  [8, 38, [1, 3, 1, 11, 27, 43, 71, 9]],
  [8, 47, [1, 1, 7, 15, 21, 11, 81, 45]],
  [8, 49, [1, 3, 7, 3, 25, 31, 65, 79]],
  [8, 50, [1, 3, 1, 1, 19, 11, 3, 205]],
  [8, 52, [1, 1, 5, 9, 19, 21, 29, 157]],
  [8, 56, [1, 3, 7, 11, 1, 33, 89, 185]],
  [8, 67, [1, 3, 3, 3, 15, 9, 79, 71]],
  [8, 70, [1, 3, 7, 11, 15, 39, 119, 27]],
  [8, 84, [1, 1, 3, 1, 11, 31, 97, 225]],
  [8, 97, [1, 1, 1, 3, 23, 43, 57, 177]],
  [8, 103, [1, 3, 7, 7, 17, 17, 37, 71]],
  [8, 115, [1, 3, 1, 5, 27, 63, 123, 213]],
  [8, 122, [1, 1, 3, 5, 11, 43, 53, 133]],
  [9, 8, [1, 3, 5, 5, 29, 17, 47, 173, 479]],
  [9, 13, [1, 3, 3, 11, 3, 1, 109, 9, 69]],
  [9, 16, [1, 1, 1, 5, 17, 39, 23, 5, 343]],
  [9, 22, [1, 3, 1, 5, 25, 15, 31, 103, 499]],
  [9, 25, [1, 1, 1, 11, 11, 17, 63, 105, 183]],
  [9, 44, [1, 1, 5, 11, 9, 29, 97, 231, 363]],
  [9, 47, [1, 1, 5, 15, 19, 45, 41, 7, 383]],
  [9, 52, [1, 3, 7, 7, 31, 19, 83, 137, 221]],
  [9, 55, [1, 1, 1, 3, 23, 15, 111, 223, 83]],
  [9, 59, [1, 1, 5, 13, 31, 15, 55, 25, 161]],
  [9, 62, [1, 1, 3, 13, 25, 47, 39, 87, 257]],
  [9, 67, [1, 1, 1, 11, 21, 53, 125, 249, 293]],
];

const BITS = 32;
export const MAX_SOBOL_DIMENSIONS = JOE_KUO.length + 1;

/** The 32 direction numbers v[1..32] (scaled to 32 bits) of each of `dims` dimensions. */
function directions(dims: number): Uint32Array[] {
  const v: Uint32Array[] = [];
  const first = new Uint32Array(BITS + 1);
  for (let i = 1; i <= BITS; i++) first[i] = (1 << (BITS - i)) >>> 0;
  v.push(first);
  for (let d = 1; d < dims; d++) {
    const [s, a, m] = JOE_KUO[d - 1]!;
    const dir = new Uint32Array(BITS + 1);
    for (let i = 1; i <= Math.min(s, BITS); i++) dir[i] = (m[i - 1]! << (BITS - i)) >>> 0;
    for (let i = s + 1; i <= BITS; i++) {
      let value = (dir[i - s]! ^ (dir[i - s]! >>> s)) >>> 0;
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) value = (value ^ dir[i - k]!) >>> 0;
      dir[i] = value;
    }
    v.push(dir);
  }
  return v;
}

/** Multiply the 32-bit digit vector `x` by a lower-triangular binary matrix given by its columns. */
function scrambleDigits(x: number, columns: Uint32Array): number {
  let out = 0;
  for (let bit = 0; bit < BITS; bit++) if ((x >>> (BITS - 1 - bit)) & 1) out ^= columns[bit]!;
  return out >>> 0;
}

/**
 * The first `n` points of a `dims`-dimensional Sobol sequence in [0, 1), row after row (point i, dimension d at
 * i * dims + d); scrambled with `seed` unless it is null (then the first point is the origin, as in Sobol's own).
 */
export function sobolPoints(n: number, dims: number, seed: number | null): Float64Array {
  if (dims < 1 || dims > MAX_SOBOL_DIMENSIONS) {
    throw new RangeError(`a Sobol sequence here has 1 to ${MAX_SOBOL_DIMENSIONS} dimensions, not ${dims}`);
  }
  if (n > 2 ** BITS) throw new RangeError(`a Sobol sequence here has at most 2^32 points, not ${n}`);
  const v = directions(dims);
  let shift = new Uint32Array(dims);
  if (seed !== null) {
    const rng = new Rng(seed);
    // Linear matrix scrambling: column `bit` of a lower-triangular matrix with a unit diagonal, per dimension.
    const matrices = Array.from({ length: dims }, () => {
      const columns = new Uint32Array(BITS);
      for (let bit = 0; bit < BITS; bit++) {
        const below = bit === BITS - 1 ? 0 : rng.uint32() >>> (bit + 1);
        columns[bit] = ((1 << (BITS - 1 - bit)) | below) >>> 0;
      }
      return columns;
    });
    shift = Uint32Array.from({ length: dims }, () => rng.uint32());
    // The scrambled direction numbers give the scrambled sequence by the same Gray-code recurrence.
    for (let d = 0; d < dims; d++) for (let i = 1; i <= BITS; i++) v[d]![i] = scrambleDigits(v[d]![i]!, matrices[d]!);
  }
  const out = new Float64Array(n * dims);
  const x = Uint32Array.from(shift);
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      // The Gray code of i differs from that of i - 1 in the lowest zero bit of i - 1.
      let c = 1;
      for (let value = i - 1; value & 1; value >>>= 1) c++;
      for (let d = 0; d < dims; d++) x[d] = (x[d]! ^ v[d]![c]!) >>> 0;
    }
    for (let d = 0; d < dims; d++) out[i * dims + d] = (x[d]! + 0.5) / 2 ** BITS;
  }
  return out;
}
