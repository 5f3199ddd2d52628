// One case's part of a multiverse: its file's dataset as a flat array, every way it can be wrong a message
// naming the case folder; and, from the first case read, the array's own dims.
import fs from 'node:fs';
import path from 'node:path';
import type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm/node';
import type { LabelledDim } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import { FurrowError } from '../errors';
import type { H5 } from './h5';
import type { MultiversePath } from './multiverse-path';
import { PATH_FORM } from './multiverse-path';
import { h5Reason, openForReading, PHONY_SCALE_PREFIX } from './netcdf-read';
import type { Study } from '../study/study';

export const positions = (n: number): Scalar[] => Array.from({ length: n }, (_, i) => i);

export interface DoneCase {
  cell: number;
  caseDir: string;
  /** `case max_step_size=0.1 seed=3`: its values of the parameter dims, for messages. */
  label: string;
}

/** What an HDF5 file holds: its datasets with their shapes, the first `most` of them. */
function contents(h5: H5, file: H5File, most = 20): string {
  const found: string[] = [];
  const walk = (group: H5Group, at: string) => {
    for (const name of group.keys()) {
      if (found.length > most) return;
      const entity = group.get(name);
      const full = `${at}/${name}`;
      if (entity instanceof h5.Group) walk(entity, full);
      else if (entity instanceof h5.Dataset) found.push(`${full} [${(entity.shape ?? []).join('×')}]`);
    }
  };
  try {
    walk(file, '');
  } catch {
    // a damaged group: say what could be listed
  }
  if (found.length === 0) return 'no datasets';
  return found.length > most ? `${found.slice(0, most).join(', ')}, …` : found.join(', ');
}

export interface CaseArray {
  shape: number[];
  kind: 'float' | 'string';
  values: Float64Array | string[];
  /** The file, open, for the first case's dims; closed by the caller. */
  file: H5File;
  ds: H5Dataset;
  path: string;
}

/** One case's array. Every way it can be wrong is a message naming the case's folder and file. */
export async function readCase(h5: H5, realStudy: string, c: DoneCase, p: MultiversePath): Promise<CaseArray> {
  const filePath = path.join(c.caseDir, p.file);
  if (!fs.existsSync(filePath)) {
    const held = fs.existsSync(c.caseDir) ? fs.readdirSync(c.caseDir).sort().join(', ') || 'nothing' : null;
    throw new FurrowError(
      'bad-input',
      held === null
        ? `${c.caseDir}: this case folder is gone (${c.label}, done in the run database), so it has no ${p.file}`
        : `${c.caseDir}: this case folder has no ${p.file} (${c.label}); it holds ${held}`,
    );
  }
  const real = fs.realpathSync(filePath);
  if (!real.startsWith(realStudy + path.sep)) {
    throw new FurrowError(
      'bad-input',
      `'${p.text}': ${filePath} leads outside the study folder (to ${real}); give the path as ${PATH_FORM}, a file inside each case folder`,
    );
  }
  let file: H5File;
  try {
    file = await openForReading(filePath);
  } catch (error) {
    if (error instanceof FurrowError) throw new FurrowError(error.code, `${error.message} (${c.label})`);
    throw error;
  }
  try {
    let entity: ReturnType<H5File['get']>;
    try {
      entity = file.get(p.inner);
    } catch {
      entity = null;
    }
    if (!(entity instanceof h5.Dataset)) {
      throw new FurrowError(
        'bad-input',
        `${filePath} has no dataset ${p.inner}${entity instanceof h5.Group ? ' (that is a group)' : ''}; this case folder is the first that lacks it (${c.label}); the file holds ${contents(h5, file)}`,
      );
    }
    const ds = entity;
    const shape = ds.shape ?? [];
    const type = ds.metadata.type; // HDF5's class: 0 integer, 1 float, 3 string
    if (type !== 0 && type !== 1 && type !== 3) {
      throw new FurrowError(
        'bad-input',
        `${filePath}: ${p.inner} holds ${String(ds.dtype)} values; the multiverse combines numbers or strings`,
      );
    }
    let raw: unknown;
    try {
      raw = ds.value;
    } catch (error) {
      throw new FurrowError(
        'bad-input',
        `${filePath}: cannot read ${p.inner} (${h5Reason((error as Error).message)}) (${c.label})`,
      );
    }
    const flat: unknown[] = ArrayBuffer.isView(raw)
      ? Array.from(raw as unknown as ArrayLike<unknown>)
      : Array.isArray(raw)
        ? (raw as unknown[])
        : [raw];
    let values: CaseArray['values'];
    if (type === 3) values = flat.map((v) => (v === null || v === undefined ? '' : String(v)));
    else {
      const fill = ds.attrs['_FillValue']?.value;
      const fillValue = ArrayBuffer.isView(fill) ? Number((fill as unknown as ArrayLike<number>)[0]) : fill;
      values = Float64Array.from(flat, (v) => {
        const x = Number(v as number | bigint);
        return x === fillValue ? NaN : x;
      });
    }
    return { shape, kind: type === 3 ? 'string' : 'float', values, file, ds, path: filePath };
  } catch (error) {
    file.close();
    throw error;
  }
}

/**
 * The array's own dims, from the first case's file: each axis's dimension scale (its name, and its values where
 * it has some), else the dims study.yaml declares for an output read from this file and path, else
 * `<name>_dim0`, `<name>_dim1`, … as `study.try` suggests them; coordinates 0..n-1 where none are given.
 */
export function ownDims(h5: H5, study: Study, first: CaseArray, p: MultiversePath, variable: string): LabelledDim[] {
  const declared = Object.values(study.spec.outputs).find(
    (o) =>
      o.file !== undefined &&
      o.path !== undefined &&
      path.posix.normalize(o.file) === p.file &&
      '/' + o.path.split('/').filter(Boolean).join('/') === p.inner &&
      o.dims.length === first.shape.length,
  )?.dims;
  const dims = first.shape.map((size, axis): LabelledDim => {
    let scale: string | undefined;
    try {
      scale = first.ds.get_attached_scales(axis)[0];
    } catch {
      scale = undefined;
    }
    if (scale) {
      const name = scale.split('/').filter(Boolean).pop()!;
      const sds = first.file.get(scale);
      let values = positions(size);
      if (
        sds instanceof h5.Dataset &&
        !(sds.get_scale_name() ?? '').startsWith(PHONY_SCALE_PREFIX) &&
        (sds.shape ?? []).join() === String(size)
      ) {
        try {
          const raw = sds.value as unknown;
          const list = ArrayBuffer.isView(raw)
            ? Array.from(raw as unknown as ArrayLike<number | bigint>, Number)
            : (raw as Scalar[]);
          if (list.every(isScalar)) values = list;
        } catch {
          // unreadable coordinates: the positions will do
        }
      }
      return { name, values, size };
    }
    const named = declared?.[axis];
    if (named) {
      const coords = study.coords[named];
      return { name: named, values: coords?.length === size ? coords : positions(size), size };
    }
    return { name: `${variable}_dim${axis}`, values: positions(size), size };
  });
  // A dim twice in one array (a square matrix on one scale) gets a name of its own for the second axis.
  const seen = new Set<string>();
  return dims.map((d, axis) => {
    const name = seen.has(d.name) ? `${d.name}_${axis}` : d.name;
    seen.add(name);
    return { ...d, name };
  });
}
