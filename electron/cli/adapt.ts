// `furrow adapt`: learn a study's output over ranges of its parameters (electron/engine/adaptive/). Progress on
// stderr (a line that updates on a terminal); with --json, each progress event and then the summary as JSON lines
// on stdout (docs/schemas/adapt.json).
import type { AdaptGoal, AdaptLoss, AdaptProgress, AdaptRange, AdaptSummary } from '../../shared/adaptive';
import { ADAPT_LOSSES, adaptGoalSchema, adaptRangeSchema } from '../../shared/adaptive';
import { adaptStudy } from '../engine/adaptive/adaptive-run';
import { FurrowError } from '../engine/errors';
import { openStudy } from '../engine/study/study';
import { parseCommand, positiveInt, UsageError } from './args';
import { COMMANDS } from './commands';
import { toJson } from './json-out';
import { data, fancy, output, problem, say } from './output';
import { describeParams } from './progress';
import { engineParts } from './run-report';

const PLAIN_EVERY_MS = 5_000;

/** `x=LO:HI` → a range; LO and HI may be negative or in exponent form (`x=-1e-3:2`). */
export function parseRange(text: string): AdaptRange {
  const m = /^([^=]+)=([^:]+):(.+)$/.exec(text);
  if (!m) throw new UsageError(`--param ${text}: give name=LO:HI, e.g. x=-1:1`);
  const range = { name: m[1]!.trim(), lo: Number(m[2]), hi: Number(m[3]) };
  const checked = adaptRangeSchema.safeParse(range);
  if (!checked.success || m[2]!.trim() === '' || m[3]!.trim() === '')
    throw new UsageError(`--param ${text}: LO and HI must be finite numbers with LO < HI`);
  return checked.data;
}

/** `loss=L`, `points=N` or `seconds=S`, each given once. */
export function parseGoal(texts: string[]): AdaptGoal {
  const goal: Record<string, number> = {};
  for (const text of texts) {
    const m = /^(loss|points|seconds)=(.+)$/.exec(text);
    if (!m) throw new UsageError(`--goal ${text}: give loss=L, points=N or seconds=S`);
    if (m[1]! in goal) throw new UsageError(`--goal ${m[1]} is given twice; give it once`);
    goal[m[1]!] = Number(m[2]);
  }
  const checked = adaptGoalSchema.safeParse(goal);
  if (!checked.success) {
    if (texts.length === 0) throw new UsageError('adapt needs a --goal: loss=L, points=N or seconds=S');
    throw new UsageError(
      `--goal ${texts.join(' --goal ')}: loss and seconds are numbers > 0, points a whole number ≥ 1`,
    );
  }
  return checked.data;
}

const shortNumber = (v: number | null) => (v === null ? '–' : v < 1e-3 || v >= 1e4 ? v.toPrecision(3) : v.toFixed(4));

function progressLine(p: AdaptProgress): string {
  const running = p.pending ? `, ${p.pending} running` : '';
  return `${p.points} points (${p.failed} failed${running}), loss ${shortNumber(p.loss)}, ${p.seconds.toFixed(1)} s`;
}

export async function adaptCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.adapt, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const dir = positionals[0];
  if (!dir) throw new UsageError('adapt needs the study folder');
  const params = (values.param ?? []).map(parseRange);
  if (params.length === 0) throw new UsageError('adapt needs at least one --param name=LO:HI');
  if (params.length > 4) throw new UsageError('adapt learns up to 4 parameters at once');
  if (!values.output) throw new UsageError('adapt needs --output NAME, the scalar output to learn');
  const loss = values.loss ?? 'default';
  if (!ADAPT_LOSSES.includes(loss as AdaptLoss))
    throw new UsageError(`--loss ${loss}: choose ${ADAPT_LOSSES.join(', ')}`);
  const goal = parseGoal(values.goal ?? []);
  const workers = positiveInt(values.workers, '--workers');
  const json = values.json ?? false;
  const study = openStudy(dir);

  const bar = fancy() && !json && !output.quiet;
  let lastPlain = 0;
  const abort = new AbortController();
  const cancel = () => abort.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.once(s, cancel);
  let summary: AdaptSummary;
  try {
    summary = await adaptStudy(
      study,
      { params, output: values.output, loss: loss as AdaptLoss, goal, workers },
      {
        ...engineParts,
        signal: abort.signal,
        onStarted: ({ resumed }) => {
          if (resumed > 0 && !json) problem(`furrow: ${resumed} stored points told to the learners; going on`);
        },
        onEvent: (event) => {
          if (event.type === 'case.failed') {
            problem(
              `${bar ? '\r\x1b[K' : ''}point ${describeParams(event.params)} failed: ${event.error.split('\n')[0]}`,
            );
          } else if (event.type === 'adapt.progress') {
            if (json) data(toJson(event));
            else if (bar) process.stderr.write(`\r${progressLine(event)}\x1b[K`);
            else if (!output.quiet && Date.now() - lastPlain >= PLAIN_EVERY_MS) {
              lastPlain = Date.now();
              process.stderr.write(`${progressLine(event)}\n`);
            }
          }
        },
      },
    );
  } finally {
    for (const s of signals) process.off(s, cancel);
    if (bar) process.stderr.write('\n');
  }
  if (json) data(toJson({ type: 'adapt.finished', ...summary }));
  else {
    const why = { goal: 'goal met', stopped: 'stopped', error: 'stopped by an error' }[summary.reason];
    say(
      `${why}: ${summary.points} points (${summary.evaluated} evaluated by this run, ${summary.failed} failed), loss ${shortNumber(summary.loss)}; points: ${summary.dataset}`,
    );
  }
  if (summary.reason === 'stopped')
    throw new FurrowError('cancelled', 'stopped; run the same furrow adapt again to go on');
  return 0;
}
