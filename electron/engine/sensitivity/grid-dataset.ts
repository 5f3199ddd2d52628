// A full grid's output with dims of its own, from the study's dataset (data/<name>.nc), where a run of the grid keeps
// its values (the run database keeps only scalars). Read a box of cells at a time, so memory stays bounded however
// large the grid, each cell's values reduced as asked (`--reduce time=mean`), into GridAnova: the exact main effects
// and first-order indices at each coordinate of what is left.
import type { Dataset as H5Dataset } from 'h5wasm/node';
import type { NdArray } from '../../../shared/nd';
import { reduce as reduceDim } from '../../../shared/nd';
import type { Reducer } from '../../../shared/plot-spec';
import type { Scalar } from '../../../shared/space';
import type { H5 } from '../dataset/h5';
import { axisDims, coordValues, dataOf, plain, withLoadedFile } from '../dataset/netcdf-read';
import { FurrowError } from '../errors';
import type { MainEffectsAlong } from './analyze';
import { GridAnova } from './analyze';

/** At most this many values are read from the dataset at once (32 MiB of float64), unless one cell holds more. */
export const BOX_VALUES = 1 << 22;

export interface GridAlong {
  /** The output's own dims left after the reductions, with the dataset's coordinates. */
  dims: { name: string; values: Scalar[] }[];
  /** Per parameter of the grid (in its order): the main effects at each coordinate left. */
  effects: MainEffectsAlong[];
}

/** A coordinate as the grid and the dataset both spell it (a boolean combo is stored as 0/1). */
const keyOf = (v: Scalar) => JSON.stringify(typeof v === 'boolean' ? Number(v) : v);

/**
 * The main effects of `output` over the full `grid` at each coordinate of its own dims (after `reduce`), from the
 * dataset `file`. `dir` names the study in what to run. Every cell of the grid must be in the dataset.
 */
export function gridAlongFromDataset(
  h5: H5,
  file: string,
  dir: string,
  output: { name: string; dims: string[] },
  grid: { name: string; values: Scalar[] }[],
  reduce: Record<string, Reducer>,
  boxValues = BOX_VALUES,
): GridAlong {
  const name = output.name;
  // The refusals below say what to do themselves; any other (a damaged or truncated file) is said with what to do.
  const own = new WeakSet<Error>();
  function refuse(message: string): never {
    const error = new FurrowError('bad-input', message);
    own.add(error);
    throw error;
  }
  try {
    return readGrid();
  } catch (error) {
    if (!(error instanceof FurrowError) || error.code !== 'bad-input' || own.has(error)) throw error;
    throw new FurrowError(
      'bad-input',
      `output '${name}' has dims [${output.dims.join(', ')}], and a run of the grid keeps its values in ${file} alone: ${error.message}. ` +
        `Nothing was changed; restore the file from a backup, or move it aside and run the grid again: furrow run ${dir}`,
    );
  }

  function readGrid(): GridAlong {
    return withLoadedFile(h5, file, (f) => {
      const ds = f.get(name);
      if (!(ds instanceof h5.Dataset)) {
        refuse(`${file} has no variable '${name}': no run of the grid has stored it; run the grid: furrow run ${dir}`);
      }
      const dims = axisDims(h5, f, name, ds);
      const shape = ds.shape ?? [];
      const expected = [...grid.map((d) => d.name), ...output.dims];
      if (dims.length !== expected.length || !expected.every((d) => dims.includes(d))) {
        refuse(
          `${file}: '${name}' has dims [${dims.join(', ')}], but the study's grid and the output's own dims are [${expected.join(', ')}]; ` +
            `the study changed since the dataset was made: run the grid again (furrow run ${dir}), or analyse the dims it has with the study as it was`,
        );
      }
      const dtype = ds.metadata.type;
      if (dtype !== 0 && dtype !== 1) {
        refuse(`${file}: '${name}' holds no numbers; sensitivity indices are of numbers`);
      }
      const axisOf = (dim: string) => dims.indexOf(dim);
      // Each grid level's index in the dataset's coordinates (the dataset may hold more levels than the grid).
      const at = grid.map((d) => {
        const axis = axisOf(d.name);
        const stored = new Map(coordValues(f, h5, d.name, shape[axis]!, false).map((v, i) => [keyOf(v), i]));
        return d.values.map((v) => {
          const i = stored.get(keyOf(v));
          if (i === undefined) {
            refuse(
              `${file}: '${name}' has no ${d.name} = ${JSON.stringify(v)}, a level of the grid; run the rest of the grid: furrow run ${dir} --missing-only`,
            );
          }
          return i;
        });
      });
      const ownShape = output.dims.map((d) => shape[axisOf(d)]!);
      const ownCoords = output.dims.map((d, i) => coordValues(f, h5, d, ownShape[i]!, false));
      const ownSize = ownShape.reduce((a, b) => a * b, 1);
      const reduced = (data: Float64Array): NdArray => {
        let a: NdArray = { dims: output.dims, shape: ownShape, coords: ownCoords, data };
        for (const [dim, op] of Object.entries(reduce)) if (a.dims.includes(dim)) a = reduceDim(a, dim, op);
        return a;
      };
      const template = reduced(new Float64Array(ownSize));
      const anova = new GridAnova(
        grid.map((d) => d.values.length),
        template.data.length,
      );
      const reducing = Object.keys(reduce).some((d) => output.dims.includes(d));

      // The box read at once: the grid's dims (outermost first) are read one level at a time until it is small enough;
      // the others span the levels the grid needs. Own dims are read whole.
      const span = grid.map((_, g) => [Math.min(...at[g]!), Math.max(...at[g]!) + 1] as const);
      const fixed = new Set<number>();
      const boxSize = () => grid.reduce((n, _, g) => n * (fixed.has(g) ? 1 : span[g]![1] - span[g]![0]), ownSize);
      const outermost = grid.map((_, g) => g).sort((a, b) => axisOf(grid[a]!.name) - axisOf(grid[b]!.name));
      for (const g of outermost) {
        if (boxSize() <= boxValues) break;
        fixed.add(g);
      }
      const boxShape = dims.map((d) => {
        const g = grid.findIndex((x) => x.name === d);
        return g < 0 ? shape[axisOf(d)]! : fixed.has(g) ? 1 : span[g]![1] - span[g]![0];
      });
      const boxStrides = boxShape.map((_, axis) => boxShape.slice(axis + 1).reduce((a, b) => a * b, 1));
      // Where each own coordinate (C order over the output's dims) lies in a box, from a cell's first value.
      const ownOffsets = new Float64Array(ownSize);
      for (let c = 0; c < ownSize; c++) {
        let rest = c;
        let offset = 0;
        for (let o = output.dims.length - 1; o >= 0; o--) {
          offset += (rest % ownShape[o]!) * boxStrides[axisOf(output.dims[o]!)]!;
          rest = Math.floor(rest / ownShape[o]!);
        }
        ownOffsets[c] = offset;
      }
      const fill = plain(ds.attrs['_FillValue']?.value);
      const cell = new Float64Array(ownSize);
      const levels = new Int32Array(grid.length);
      const fixedGrid = outermost.filter((g) => fixed.has(g));
      const freeGrid = grid.map((_, g) => g).filter((g) => !fixed.has(g));
      const readBox = (choice: number[]) => {
        const ranges = dims.map((d): [number, number] => {
          const g = grid.findIndex((x) => x.name === d);
          if (g < 0) return [0, shape[axisOf(d)]!];
          if (fixed.has(g)) return [at[g]![choice[fixedGrid.indexOf(g)]!]!, at[g]![choice[fixedGrid.indexOf(g)]!]! + 1];
          return [span[g]![0], span[g]![1]];
        });
        const raw = dataOf(ds as H5Dataset, file, ranges) as ArrayLike<number | bigint>;
        return raw;
      };
      // Every choice of the fixed dims' levels, then every cell of the free dims inside the box.
      const eachLevels = (gs: number[], visit: (choice: number[]) => void) => {
        const choice = gs.map(() => 0);
        const sizes = gs.map((g) => grid[g]!.values.length);
        for (;;) {
          visit(choice);
          let i = gs.length - 1;
          while (i >= 0 && ++choice[i]! === sizes[i]) choice[i--] = 0;
          if (i < 0) return;
        }
      };
      eachLevels(fixedGrid, (fixedChoice) => {
        const raw = readBox(fixedChoice);
        fixedGrid.forEach((g, i) => (levels[g] = fixedChoice[i]!));
        eachLevels(freeGrid, (freeChoice) => {
          let base = 0;
          freeGrid.forEach((g, i) => {
            const level = freeChoice[i]!;
            levels[g] = level;
            base += (at[g]![level]! - span[g]![0]) * boxStrides[axisOf(grid[g]!.name)]!;
          });
          for (let c = 0; c < ownSize; c++) {
            const v = Number(raw[base + ownOffsets[c]!]);
            cell[c] = v === fill ? NaN : v;
          }
          anova.add(levels, reducing ? reduced(cell).data : cell);
        });
      });
      return {
        dims: template.dims.map((d, i) => ({ name: d, values: template.coords[i]! })),
        effects: anova.effects(),
      };
    });
  }
}
