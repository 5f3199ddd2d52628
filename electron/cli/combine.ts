// `furrow combine`: the multiverse of a path inside each case folder, as one NetCDF4 file (engine/dataset/multiverse.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { multiverseFile, PATH_FORM } from '../engine/dataset/multiverse';
import { openStudy } from '../engine/study/study';
import { UsageError } from './args';

export const COMBINE_USAGE = `  furrow combine <study> PATH [--out FILE.nc] [--json]   the multiverse: PATH (${PATH_FORM}) of every case
                                              folder as one array over the parameter dims, NaN where no case is
                                              done; without --out into the study's data/multiverse/`;

/** Cases read before progress is shown: fewer take no time worth reporting. */
const PROGRESS_FROM = 100;

export async function combineCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [dir, within, ...extra] = positionals;
  if (!dir || !within) throw new UsageError(`combine needs the study folder and a PATH such as ${PATH_FORM}`);
  if (extra.length) throw new UsageError(`combine takes one PATH; '${extra[0]}' is one too many`);
  if (values.out !== undefined && !values.out.endsWith('.nc'))
    throw new UsageError(`--out ${values.out}: give a file name ending in .nc`);
  const study = openStudy(dir);
  const tty = process.stderr.isTTY && !values.json;
  let shown = 0;
  const onProgress = (read: number, total: number) => {
    if (total < PROGRESS_FROM || values.json) return;
    const now = Date.now();
    if (read < total && now - shown < (tty ? 200 : 5000)) return;
    shown = now;
    process.stderr.write(
      `${tty ? '\r' : ''}combining ${within}: ${read} of ${total} cases read${tty ? '\x1b[K' : '\n'}`,
    );
    if (tty && read === total) process.stderr.write('\n');
  };
  const {
    file,
    info,
    variable: v,
  } = await multiverseFile(study, within, {
    ...(values.out === undefined ? {} : { out: path.resolve(values.out) }),
    onProgress,
  });
  if (values.json) {
    console.log(
      JSON.stringify({
        file,
        variable: v.name,
        dims: v.dims,
        shape: v.shape,
        cases: info.attrs['cases_combined'],
        missing: info.attrs['cells_missing'],
      }),
    );
  } else {
    console.log(
      `${file}: ${v.name}(${v.dims.join(', ')}) [${v.shape.join('×')}] from ${String(info.attrs['cases_combined'])} cases; ${String(info.attrs['cells_missing'])} cells NaN (no case done there)`,
    );
  }
  return 0;
}
