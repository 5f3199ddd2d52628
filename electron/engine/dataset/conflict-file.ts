// A run's side file: what a run computed that its study's dataset refused (a new value disagreed with a stored one
// under `--overwrite error`), kept beside the dataset as data/<name>.<run_seq>.conflict.nc, a NetCDF4 file like the
// dataset itself (xarray opens it), until `furrow dataset resolve` applies it (run/resolve.ts).
import path from 'node:path';

/** The side file of run `runSeq` of the dataset at `datasetPath`. */
export function conflictFileOf(datasetPath: string, runSeq: number): string {
  const name = path.basename(datasetPath).replace(/\.nc$/, '');
  return path.join(path.dirname(datasetPath), `${name}.${runSeq}.conflict.nc`);
}
