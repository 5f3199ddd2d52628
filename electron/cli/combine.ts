// `furrow combine`: the multiverse of a path inside each case folder, as one NetCDF4 file (engine/dataset/multiverse.ts).
import path from 'node:path';
import { multiverseFile, PATH_FORM } from '../engine/dataset/multiverse';
import { openStudy } from '../engine/study/study';
import { parseCommand, UsageError } from './args';
import { COMMANDS } from './commands';
import { toJson } from './json-out';
import { data, fancy, output, say } from './output';

/** Cases read before progress is shown: fewer take no time worth reporting. */
const PROGRESS_FROM = 100;

export async function combineCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.combine, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const [dir, within, ...extra] = positionals;
  if (!dir || !within) throw new UsageError(`combine needs the study folder and a PATH such as ${PATH_FORM}`);
  if (extra.length) throw new UsageError(`combine takes one PATH; '${extra[0]}' is one too many`);
  if (values.out !== undefined && !values.out.endsWith('.nc'))
    throw new UsageError(`--out ${values.out}: give a file name ending in .nc`);
  const study = openStudy(dir);
  const tty = fancy() && !values.json;
  let shown = 0;
  const onProgress = (read: number, total: number) => {
    if (total < PROGRESS_FROM || values.json || output.quiet) return;
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
  // Dims along which the cases' arrays differ in length (the multiverse pads the shorter).
  const ragged = typeof info.attrs['ragged_dims'] === 'string' ? info.attrs['ragged_dims'].split(' ') : [];
  if (values.json) {
    data(
      toJson({
        file,
        variable: v.name,
        dims: v.dims,
        shape: v.shape,
        cases: info.attrs['cases_combined'],
        missing: info.attrs['cells_missing'],
        ...(ragged.length ? { ragged } : {}),
      }),
    );
  } else {
    const padded = ragged.length
      ? `; ${ragged.join(', ')}: lengths differ by case, the shorter padded with ${v.dtype === 'string' ? 'empty strings' : 'NaN'}`
      : '';
    say(
      `${file}: ${v.name}(${v.dims.join(', ')}) [${v.shape.join('×')}] from ${String(info.attrs['cases_combined'])} cases; ${String(info.attrs['cells_missing'])} cells NaN (no case done there)${padded}`,
    );
  }
  return 0;
}
