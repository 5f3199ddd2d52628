// The fault campaign's adaptive trial: `furrow adapt --workers 1` killed with SIGKILL at a seeded moment, then run
// again with the same command. With one worker the learners are asked in one order, so the points the two runs end
// with, and the loss, must be those of one run left alone; no point is recorded twice, and no point the killed run
// recorded is evaluated again (the model logs every evaluation it finishes).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI, exampleStudy, furrow } from '../helpers/furrow';
import { copyStudy } from './crash';

const POINTS = 60;

/** python-adaptive's peak, 5 ms an evaluation, each evaluation logged (x, a line) once it finished. */
const MODEL = `import fs from 'node:fs';
export default async ({ x, a, log }) => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  fs.appendFileSync(log, x + '\\n');
  return { y: x + (a * a) / (a * a + x * x) };
};
`;

export async function adaptTemplate(): Promise<string> {
  return exampleStudy('foo', {
    studyYaml: 'name: peak\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  x: [0]\nconstants:\n  a: 0.01\n',
    model: MODEL,
  });
}

/** A copy of the template logging to its own evals.log. */
function studyCopy(template: string): { dir: string; log: string } {
  const dir = copyStudy(template);
  const log = path.join(dir, 'evals.log');
  const yaml = path.join(dir, 'study.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8') + `  log: ${JSON.stringify(log)}\n`);
  return { dir, log };
}

const ARGS = ['--param', 'x=-1:1', '--output', 'y', '--goal', `points=${POINTS}`, '--workers', '1', '--json'];

interface Finished {
  points: number;
  loss: number | null;
}

const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Finished;

function recorded(dir: string): { hash: string; x: number; status: string }[] {
  if (!fs.existsSync(path.join(dir, 'runs.sqlite'))) return []; // killed before it made one
  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT _pset_hash AS hash, x, _status AS status FROM psets ORDER BY _pset_seq').all() as never[];
  } finally {
    db.close();
  }
}

const logged = (log: string) =>
  fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : [];

/** One uninterrupted run: the points and the loss every trial must end with. */
export async function adaptReference(template: string): Promise<{ xs: number[]; loss: number | null }> {
  const { dir } = studyCopy(template);
  const r = await furrow(['adapt', dir, ...ARGS]);
  if (r.code !== 0) throw new Error(`furrow adapt failed: ${r.stderr}`);
  return {
    xs: recorded(dir)
      .map((p) => p.x)
      .sort((a, b) => a - b),
    loss: summaryOf(r.stdout).loss,
  };
}

export interface AdaptTrial {
  killed: boolean;
  /** Points recorded before the kill, and in the end. */
  before: number;
  after: number;
  /** Points evaluated when the kill came but not recorded, so evaluated again (at most one, with one worker). */
  inFlight: number;
  problems: string[];
}

export async function adaptTrial(
  template: string,
  reference: { xs: number[]; loss: number | null },
  random: () => number,
): Promise<AdaptTrial> {
  const { dir, log } = studyCopy(template);
  const problems: string[] = [];
  const child = spawn(process.execPath, [CLI, 'adapt', dir, ...ARGS], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Mid-run: once its progress says `at` points are in (a seeded count), a few seeded milliseconds later, so the
  // kill lands while a point is evaluated, recorded, or a round of the point dataset is written.
  const at = 1 + Math.floor(random() * (POINTS - 2));
  const delay = random() * 40;
  let killed = false;
  let armed = false;
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    const points = [...buffer.matchAll(/"points":(\d+)/g)].map((m) => Number(m[1]));
    if (armed || Math.max(0, ...points) < at) return;
    armed = true;
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
        killed = true;
      } catch {
        // gone already
      }
    }, delay);
  });
  const code = await exited;
  killed &&= code === null;
  const first = recorded(dir);
  const loggedFirst = logged(log);
  const again = await furrow(['adapt', dir, ...ARGS]);
  if (again.code !== 0) problems.push(`the second furrow adapt ended ${again.code}: ${again.stderr.trim()}`);
  const rows = recorded(dir);
  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  const statuses = db.prepare('SELECT status FROM runs ORDER BY run_seq').pluck().all() as string[];
  db.close();
  // The killed run is settled by the next (`interrupted`), which ends done.
  if (statuses.at(-1) !== 'done' || statuses.slice(0, -1).some((s) => s !== 'interrupted'))
    problems.push(`the runs are ${statuses.join(', ')}; expected the killed one interrupted, the last done`);
  const hashes = rows.map((r) => r.hash);
  if (new Set(hashes).size !== hashes.length) problems.push('a point is recorded twice');
  const xs = rows.map((r) => r.x).sort((a, b) => a - b);
  if (JSON.stringify(xs) !== JSON.stringify(reference.xs))
    problems.push(`the points differ from an uninterrupted run's (${xs.length} against ${reference.xs.length})`);
  if (again.code === 0 && summaryOf(again.stdout).loss !== reference.loss)
    problems.push(`the loss ${summaryOf(again.stdout).loss} differs from an uninterrupted run's ${reference.loss}`);
  const recordedFirst = new Set(first.map((r) => r.x));
  const evaluatedAgain = logged(log)
    .slice(loggedFirst.length)
    .filter((x) => recordedFirst.has(x));
  if (evaluatedAgain.length > 0) problems.push(`${evaluatedAgain.length} recorded points evaluated again`);
  const all = logged(log);
  const inFlight = all.length - new Set(all).size;
  if (inFlight > 1) problems.push(`${inFlight} points evaluated twice with one worker`);
  return { killed, before: first.length, after: rows.length, inFlight, problems };
}
