// `furrow doctor [<study>]`: the setup check (electron/engine/setup/setup-check.ts), a line each, coloured on a
// terminal; exit 0 when all that the study (or Furrow alone) needs is there, else 1.
import type { SetupLine } from '../../shared/api';
import { checkSetup } from '../engine/setup/setup-check';
import { buildFiles } from '../engine/setup/setup-requests';
import { conditionEntry, furrowCommand, h5Kit, rendererDir, workerEntry } from '../host/paths';
import { parseCommand } from './args';
import { COMMANDS } from './commands';
import { toJson } from './json-out';
import { data, paint, say } from './output';

const MARK: Record<SetupLine['state'], [string, 'green' | 'yellow' | 'red']> = {
  ok: ['ok  ', 'green'],
  warning: ['warn', 'yellow'],
  error: ['FAIL', 'red'],
};

export async function doctorCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.doctor, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const report = await checkSetup({
    studyDir: positionals[0] ?? null,
    build: buildFiles({ workerEntry, conditionEntry, furrowCommand, h5Kit, rendererDir }),
  });
  if (values.json) {
    data(toJson(report));
    return report.ready ? 0 : 1;
  }
  const width = Math.max(...report.lines.map((l) => l.check.length));
  for (const l of report.lines) {
    const [mark, colour] = MARK[l.state];
    const text = `${paint(mark, colour)}  ${l.check.padEnd(width)}  ${l.found}${l.fix ? `\n      ${' '.repeat(width)}  → ${l.fix}` : ''}`;
    // The lines that need doing are what --quiet leaves.
    if (l.state === 'error') data(text);
    else say(text);
  }
  say(
    report.ready
      ? `all that ${report.study ? 'the study' : 'Furrow'} needs is here`
      : `some of what ${report.study ? 'the study' : 'Furrow'} needs is missing: see the FAIL lines`,
  );
  return report.ready ? 0 : 1;
}
